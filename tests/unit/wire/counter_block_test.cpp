// The AES-CTR counter block as the DDI carries it (src/wire/counter_block.h, spec §7.1, §9 A9):
// bytes 0–7 are IV and 8–15 Count, both big-endian, never loaded as native integers.
#include "wire/counter_block.h"

#include <array>
#include <cstdint>

#include <gtest/gtest.h>

namespace cpddi::wire {
namespace {

TEST(CounterBlockTest, MakeStoresBothHalvesBigEndian) {
  const CounterBlock block = make_counter_block(0x0102030405060708, 0x1112131415161718);
  const CounterBlock expected = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18};
  EXPECT_EQ(block, expected);
}

TEST(CounterBlockTest, ParseReadsBothHalvesBigEndian) {
  // NIST SP 800-38A F.5.1's initial counter block.
  const std::array<std::uint8_t, 16> bytes = {0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
                                              0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff};
  const CounterBlock block = counter_block_from_bytes(bytes);
  EXPECT_EQ(block, bytes);
  EXPECT_EQ(iv_of(block), 0xf0f1f2f3f4f5f6f7u);
  EXPECT_EQ(count_of(block), 0xf8f9fafbfcfdfeffu);
}

TEST(CounterBlockTest, SmallValuesSitInTheLastByteOfEachHalf) {
  const CounterBlock block = make_counter_block(1, 2);
  EXPECT_EQ(block[7], 1);
  EXPECT_EQ(block[15], 2);
  for (std::size_t i : {0u, 1u, 2u, 3u, 4u, 5u, 6u, 8u, 9u, 10u, 11u, 12u, 13u, 14u}) {
    EXPECT_EQ(block[i], 0) << "byte " << i;
  }
}

TEST(CounterBlockTest, MakeAndParseRoundTrip) {
  const std::uint64_t values[] = {0,
                                  1,
                                  0xff,
                                  0x100,
                                  0x8000000000000000u,
                                  0x7fffffffffffffffu,
                                  0xffffffffffffffffu,
                                  0x0123456789abcdefu};
  for (std::uint64_t iv : values) {
    for (std::uint64_t count : values) {
      const CounterBlock block = make_counter_block(iv, count);
      EXPECT_EQ(iv_of(block), iv);
      EXPECT_EQ(count_of(block), count);
      EXPECT_EQ(counter_block_from_bytes(block), block);
    }
  }
}

TEST(CounterBlockTest, IncrementingTheIvIsPlusOneOnTheBigEndianValue) {
  const CounterBlock block = make_counter_block(0x00000000000000ffu, 0);
  const CounterBlock next = make_counter_block(iv_of(block) + 1, 0);
  EXPECT_EQ(next[6], 0x01);  // carry into the more significant byte, which comes first
  EXPECT_EQ(next[7], 0x00);
}

}  // namespace
}  // namespace cpddi::wire
