// conform's application-side model of partial encryption (conform::app_side::apply_block_map, spec
// §7.4), which the decrypt.partial-* conform cases build their expected bytes with, checked
// against the spec's example by hand. The driver's side is in conform/cases_blt.cpp.
#include <gtest/gtest.h>

#include "conform/app_side.h"

namespace cpddi::testing {
namespace {

using namespace conform::app_side;

TEST(AppSideBlockMapTest, MatchesTheDocExampleByHand) {
  // (100, 20, 2) over 130 bytes: 100 encrypted, 20 clear, 2 encrypted, 8 clear.
  const Bytes in(130, 0x00);
  Bytes ks(130);
  for (std::size_t i = 0; i < ks.size(); ++i) {
    ks[i] = static_cast<std::uint8_t>(i + 1);
  }
  const Bytes out = apply_block_map(in, ks, BlockMap{100, 20, 2});
  for (std::size_t i = 0; i < 100; ++i) {
    EXPECT_EQ(out[i], ks[i]) << i;
  }
  for (std::size_t i = 100; i < 120; ++i) {
    EXPECT_EQ(out[i], 0) << i;
  }
  EXPECT_EQ(out[120], ks[100]);  // the keystream continues where the first run stopped
  EXPECT_EQ(out[121], ks[101]);
  for (std::size_t i = 122; i < 130; ++i) {
    EXPECT_EQ(out[i], 0) << i;
  }
}

}  // namespace
}  // namespace cpddi::testing
