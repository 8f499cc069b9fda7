// random_bytes and its test seam (src/crypto/random.h, CONVENTIONS §5): a failing RNG is an
// error, never a zero buffer; fail_random_after(n) lets n calls through, then fails every call
// until reset with a negative value.
#include "crypto/random.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace cpddi::crypto {
namespace {

class RandomBytesTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::fail_random_after(-1); }
  void TearDown() override { testing::fail_random_after(-1); }

  static bool draw() {
    std::array<std::uint8_t, 16> buffer{};
    return static_cast<bool>(random_bytes(buffer));
  }
};

TEST_F(RandomBytesTest, FillsTheBufferWithFreshBytes) {
  std::vector<std::uint8_t> a(64, 0);
  std::vector<std::uint8_t> b(64, 0);
  ASSERT_TRUE(random_bytes(a));
  ASSERT_TRUE(random_bytes(b));
  EXPECT_NE(a, b);  // 2^-512
  EXPECT_NE(a, std::vector<std::uint8_t>(64, 0));
  // The tail was written too (an all-zero 16-byte tail: 2^-128).
  EXPECT_FALSE(std::all_of(a.end() - 16, a.end(), [](std::uint8_t v) { return v == 0; }));
}

TEST_F(RandomBytesTest, EmptyRequestSucceeds) {
  EXPECT_TRUE(random_bytes(std::span<std::uint8_t>()));
}

TEST_F(RandomBytesTest, FailAfterZeroFailsTheNextCallWithInternal) {
  testing::fail_random_after(0);
  std::array<std::uint8_t, 32> buffer;
  buffer.fill(0xAB);

  Result<void> r = random_bytes(buffer);

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInternal);
  EXPECT_STRNE(r.error().reason, "");
  // Never a zero-filled buffer on failure.
  EXPECT_FALSE(std::all_of(buffer.begin(), buffer.end(), [](std::uint8_t v) { return v == 0; }));
}

TEST_F(RandomBytesTest, FailAfterNLetsExactlyNCallsSucceed) {
  testing::fail_random_after(3);
  EXPECT_TRUE(draw());
  EXPECT_TRUE(draw());
  EXPECT_TRUE(draw());
  EXPECT_FALSE(draw());
  EXPECT_FALSE(draw());  // stays failed
  EXPECT_FALSE(draw());
}

TEST_F(RandomBytesTest, NegativeValueResetsToNeverFail) {
  testing::fail_random_after(0);
  ASSERT_FALSE(draw());
  testing::fail_random_after(-1);
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(draw()) << "call " << i;
  }
}

TEST_F(RandomBytesTest, ReArmingReplacesTheBudget) {
  testing::fail_random_after(1);
  testing::fail_random_after(2);
  EXPECT_TRUE(draw());
  EXPECT_TRUE(draw());
  EXPECT_FALSE(draw());
  testing::fail_random_after(1);
  EXPECT_TRUE(draw());
  EXPECT_FALSE(draw());
}

TEST_F(RandomBytesTest, EmptyRequestsCountAgainstTheBudget) {
  testing::fail_random_after(1);
  EXPECT_TRUE(random_bytes(std::span<std::uint8_t>()));
  EXPECT_FALSE(random_bytes(std::span<std::uint8_t>()));
}

}  // namespace
}  // namespace cpddi::crypto
