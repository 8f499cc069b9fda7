// layout_for (src/device/resource.h, spec §9 A16): pitch aligned to 64 for driver-owned
// surfaces, the caller's pitch for caller memory, NV12 rows = 3/2 × height, dimensions 1–16384.
#include <cstdint>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "device/resource.h"

namespace cpddi::device {
namespace {

SurfaceDesc desc(SurfaceFormat format, std::uint32_t width, std::uint32_t height) {
  SurfaceDesc d;
  d.format = format;
  d.width = width;
  d.height = height;
  return d;
}

struct LayoutCase {
  const char* name;
  SurfaceFormat format;
  std::uint32_t width;
  std::uint32_t height;
  std::uint32_t pitch;
  std::uint32_t rows;
};

void PrintTo(const LayoutCase& c, std::ostream* os) { *os << c.name; }

class LayoutForTest : public ::testing::TestWithParam<LayoutCase> {};

TEST_P(LayoutForTest, PitchAndRowsMatch) {
  const LayoutCase& c = GetParam();
  Result<SurfaceLayout> layout = layout_for(desc(c.format, c.width, c.height));
  ASSERT_TRUE(layout) << layout.error().reason;
  EXPECT_EQ(layout->pitch, c.pitch);
  EXPECT_EQ(layout->rows, c.rows);
  EXPECT_EQ(layout->linear_size(), std::uint64_t{c.pitch} * c.rows);
  EXPECT_EQ(layout->pitch % kPitchAlignment, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Formats, LayoutForTest,
    ::testing::Values(
        LayoutCase{"Argb1x1", SurfaceFormat::kA8R8G8B8, 1, 1, 64, 1},
        LayoutCase{"Xrgb16x4", SurfaceFormat::kX8R8G8B8, 16, 4, 64, 4},
        LayoutCase{"Xrgb17x3", SurfaceFormat::kX8R8G8B8, 17, 3, 128, 3},
        LayoutCase{"Argb100x10", SurfaceFormat::kA8R8G8B8, 100, 10, 448, 10},
        LayoutCase{"Xrgb1920x1080", SurfaceFormat::kX8R8G8B8, 1920, 1080, 7680, 1080},
        LayoutCase{"Xrgb16384x16384", SurfaceFormat::kX8R8G8B8, 16384, 16384, 65536, 16384},
        LayoutCase{"Nv12Width2", SurfaceFormat::kNv12, 2, 2, 64, 3},
        LayoutCase{"Nv12Width64", SurfaceFormat::kNv12, 64, 64, 64, 96},
        LayoutCase{"Nv12Width100", SurfaceFormat::kNv12, 100, 64, 128, 96},
        LayoutCase{"Nv12Width1920", SurfaceFormat::kNv12, 1920, 1080, 1920, 1620},
        LayoutCase{"Nv12Max", SurfaceFormat::kNv12, 16384, 16384, 16384, 24576}),
    [](const ::testing::TestParamInfo<LayoutCase>& p) { return std::string(p.param.name); });

struct RejectCase {
  const char* name;
  SurfaceFormat format;
  std::uint32_t width;
  std::uint32_t height;
};

void PrintTo(const RejectCase& c, std::ostream* os) { *os << c.name; }

class LayoutRejectTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(LayoutRejectTest, IsInvalidArgument) {
  const RejectCase& c = GetParam();
  Result<SurfaceLayout> layout = layout_for(desc(c.format, c.width, c.height));
  ASSERT_FALSE(layout);
  EXPECT_EQ(layout.error().code, Errc::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(
    BadDimensions, LayoutRejectTest,
    ::testing::Values(RejectCase{"ZeroWidth", SurfaceFormat::kX8R8G8B8, 0, 16},
                      RejectCase{"ZeroHeight", SurfaceFormat::kX8R8G8B8, 16, 0},
                      RejectCase{"ZeroBoth", SurfaceFormat::kA8R8G8B8, 0, 0},
                      RejectCase{"WidthPastMax", SurfaceFormat::kX8R8G8B8, 16385, 16},
                      RejectCase{"HeightPastMax", SurfaceFormat::kX8R8G8B8, 16, 16385},
                      RejectCase{"HugeWidth", SurfaceFormat::kA8R8G8B8, 0xFFFFFFFFu, 1},
                      RejectCase{"Nv12OddWidth", SurfaceFormat::kNv12, 101, 64},
                      RejectCase{"Nv12OddHeight", SurfaceFormat::kNv12, 100, 63},
                      RejectCase{"Nv12OddBoth", SurfaceFormat::kNv12, 1, 1},
                      RejectCase{"Nv12ZeroWidth", SurfaceFormat::kNv12, 0, 2},
                      RejectCase{"Nv12PastMax", SurfaceFormat::kNv12, 16386, 2}),
    [](const ::testing::TestParamInfo<RejectCase>& p) { return std::string(p.param.name); });

TEST(LayoutForCallerMemoryTest, UsesTheCallerPitchUnaligned) {
  std::uint8_t memory[1];
  SurfaceDesc d = desc(SurfaceFormat::kX8R8G8B8, 10, 3);
  d.pool = Pool::kSystemMemory;
  d.caller_memory = memory;
  d.caller_pitch = 40;  // exactly one row, not a multiple of 64
  Result<SurfaceLayout> layout = layout_for(d);
  ASSERT_TRUE(layout);
  EXPECT_EQ(layout->pitch, 40u);
  EXPECT_EQ(layout->rows, 3u);
  EXPECT_EQ(layout->linear_size(), 120u);

  d.caller_pitch = 1000;
  layout = layout_for(d);
  ASSERT_TRUE(layout);
  EXPECT_EQ(layout->pitch, 1000u);
}

TEST(LayoutForCallerMemoryTest, PitchSmallerThanARowIsRejected) {
  std::uint8_t memory[1];
  SurfaceDesc d = desc(SurfaceFormat::kX8R8G8B8, 10, 3);
  d.pool = Pool::kSystemMemory;
  d.caller_memory = memory;
  for (std::uint32_t pitch : {0u, 1u, 39u}) {
    d.caller_pitch = pitch;
    Result<SurfaceLayout> layout = layout_for(d);
    ASSERT_FALSE(layout) << "pitch " << pitch;
    EXPECT_EQ(layout.error().code, Errc::kInvalidArgument);
  }
}

TEST(LayoutForCallerMemoryTest, Nv12CallerPitchCoversTheLumaRow) {
  std::uint8_t memory[1];
  SurfaceDesc d = desc(SurfaceFormat::kNv12, 100, 10);
  d.pool = Pool::kSystemMemory;
  d.caller_memory = memory;
  d.caller_pitch = 99;
  EXPECT_FALSE(layout_for(d));
  d.caller_pitch = 100;
  Result<SurfaceLayout> layout = layout_for(d);
  ASSERT_TRUE(layout);
  EXPECT_EQ(layout->pitch, 100u);
  EXPECT_EQ(layout->rows, 15u);
}

TEST(LayoutForCallerMemoryTest, CallerPitchIsIgnoredWithoutCallerMemory) {
  SurfaceDesc d = desc(SurfaceFormat::kX8R8G8B8, 10, 3);
  d.caller_pitch = 1;  // no caller memory: the driver picks the pitch
  Result<SurfaceLayout> layout = layout_for(d);
  ASSERT_TRUE(layout);
  EXPECT_EQ(layout->pitch, 64u);
}

}  // namespace
}  // namespace cpddi::device
