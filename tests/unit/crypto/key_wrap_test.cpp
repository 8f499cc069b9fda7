// wrap_key / unwrap_key (src/crypto/aes.h, spec §7.2): one block of AES-128-ECB, no padding.
#include <array>
#include <cstdint>

#include <gtest/gtest.h>

#include "crypto/aes.h"

namespace cpddi::crypto {
namespace {

using Block = std::array<std::uint8_t, 16>;

Aes128Key key_of(const Block& bytes) { return Aes128Key(std::span<const std::uint8_t, 16>(bytes)); }

Block bytes_of(const Aes128Key& key) {
  Block out{};
  std::copy(key.expose().begin(), key.expose().end(), out.begin());
  return out;
}

// FIPS-197 Appendix C.1 (AES-128).
constexpr Block kFipsKey = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                            0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
constexpr Block kFipsPlaintext = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                  0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
constexpr Block kFipsCiphertext = {0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                   0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a};

TEST(KeyWrapTest, WrapMatchesFips197KnownAnswer) {
  Result<Block> wrapped = wrap_key(key_of(kFipsKey), key_of(kFipsPlaintext));
  ASSERT_TRUE(wrapped);
  EXPECT_EQ(*wrapped, kFipsCiphertext);
}

TEST(KeyWrapTest, UnwrapMatchesFips197KnownAnswer) {
  Result<Aes128Key> unwrapped =
      unwrap_key(key_of(kFipsKey), std::span<const std::uint8_t, 16>(kFipsCiphertext));
  ASSERT_TRUE(unwrapped);
  EXPECT_EQ(bytes_of(*unwrapped), kFipsPlaintext);
}

TEST(KeyWrapTest, RoundTripsAndLeavesInputsUnchanged) {
  const Block kek_bytes = {0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  const Block key_bytes = {0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88,
                           0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00};
  const Aes128Key kek = key_of(kek_bytes);
  const Aes128Key key = key_of(key_bytes);

  Result<Block> wrapped = wrap_key(kek, key);
  ASSERT_TRUE(wrapped);
  EXPECT_NE(*wrapped, key_bytes);
  Result<Aes128Key> unwrapped = unwrap_key(kek, std::span<const std::uint8_t, 16>(*wrapped));
  ASSERT_TRUE(unwrapped);

  EXPECT_EQ(bytes_of(*unwrapped), key_bytes);
  EXPECT_EQ(bytes_of(kek), kek_bytes);
  EXPECT_EQ(bytes_of(key), key_bytes);
}

TEST(KeyWrapTest, UnwrapUnderAnotherKekGivesAnotherKey) {
  Block other_kek = kFipsKey;
  other_kek[15] ^= 1;
  Result<Aes128Key> unwrapped =
      unwrap_key(key_of(other_kek), std::span<const std::uint8_t, 16>(kFipsCiphertext));
  ASSERT_TRUE(unwrapped);  // ECB has no integrity: a wrong KEK yields a wrong key, not an error
  EXPECT_NE(bytes_of(*unwrapped), kFipsPlaintext);
}

TEST(KeyWrapTest, WrapIsDeterministicAndKeyed) {
  Result<Block> a = wrap_key(key_of(kFipsKey), key_of(kFipsPlaintext));
  Result<Block> b = wrap_key(key_of(kFipsKey), key_of(kFipsPlaintext));
  Block other_kek = kFipsKey;
  other_kek[0] ^= 0x80;
  Result<Block> c = wrap_key(key_of(other_kek), key_of(kFipsPlaintext));
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
}

}  // namespace
}  // namespace cpddi::crypto
