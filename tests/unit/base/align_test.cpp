// align_up (src/base/align.h): the rounding behind pitches (64) and blt buffer sizes (16).
#include "base/align.h"

#include <cstdint>

#include <gtest/gtest.h>

namespace cpddi {
namespace {

static_assert(align_up(65, 64) == 128, "align_up must be usable in constant expressions");

TEST(AlignUpTest, RoundsUpToTheNextMultiple) {
  EXPECT_EQ(align_up(1, 64), 64u);
  EXPECT_EQ(align_up(63, 64), 64u);
  EXPECT_EQ(align_up(65, 64), 128u);
  EXPECT_EQ(align_up(400, 64), 448u);
  EXPECT_EQ(align_up(17, 16), 32u);
  EXPECT_EQ(align_up(100, 3), 102u);
}

TEST(AlignUpTest, KeepsExactMultiplesAndZero) {
  EXPECT_EQ(align_up(0, 64), 0u);
  EXPECT_EQ(align_up(0, 16), 0u);
  EXPECT_EQ(align_up(64, 64), 64u);
  EXPECT_EQ(align_up(16, 16), 16u);
  EXPECT_EQ(align_up(7, 1), 7u);
}

TEST(AlignUpTest, HandlesTheLargestSurfaceSizes) {
  // 16384 × 4 bytes per row, and a whole 16384² ARGB surface.
  EXPECT_EQ(align_up(std::uint64_t{16384} * 4, 64), 65536u);
  const std::uint64_t surface = std::uint64_t{16384} * 16384 * 4;
  EXPECT_EQ(align_up(surface, 16), surface);
  EXPECT_EQ(align_up(surface + 1, 16), surface + 16);
  EXPECT_EQ(align_up((std::uint64_t{1} << 40) + 1, 64), (std::uint64_t{1} << 40) + 64);
}

}  // namespace
}  // namespace cpddi
