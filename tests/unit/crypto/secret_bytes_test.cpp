// SecretBytes (src/crypto/secret_bytes.h, CONVENTIONS §5): stored in the object, move-only,
// wiped on every move and in the destructor, copied only by clone(), XORed for refresh (spec
// §7.3) and compared in constant time.
#include "crypto/secret_bytes.h"

#include <array>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

#include <gtest/gtest.h>

namespace cpddi::crypto {
namespace {

using Bytes16 = std::array<std::uint8_t, 16>;

constexpr Bytes16 kA = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                        0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
constexpr Bytes16 kB = {0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
                        0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0};
constexpr Bytes16 kZero{};

Bytes16 bytes_of(const Aes128Key& key) {
  Bytes16 out{};
  for (std::size_t i = 0; i < 16; ++i) {
    out[i] = key.expose()[i];
  }
  return out;
}

static_assert(!std::is_copy_constructible_v<Aes128Key>);
static_assert(!std::is_copy_assignable_v<Aes128Key>);
static_assert(std::is_nothrow_move_constructible_v<Aes128Key>);
static_assert(std::is_nothrow_move_assignable_v<Aes128Key>);
static_assert(sizeof(Aes128Key) == 16, "the secret is stored in the object");

TEST(SecretBytesTest, DefaultIsAllZero) {
  const Aes128Key key;
  EXPECT_EQ(bytes_of(key), kZero);
}

TEST(SecretBytesTest, ConstructionCopiesTheBytes) {
  const Aes128Key key{std::span<const std::uint8_t, 16>(kA)};
  EXPECT_EQ(bytes_of(key), kA);
}

TEST(SecretBytesTest, MoveConstructionWipesTheSource) {
  Aes128Key source{std::span<const std::uint8_t, 16>(kA)};
  Aes128Key target(std::move(source));

  EXPECT_EQ(bytes_of(target), kA);
  EXPECT_EQ(bytes_of(source), kZero);  // NOLINT(bugprone-use-after-move): the wipe is the point
}

TEST(SecretBytesTest, MoveAssignmentOverwritesTargetAndWipesTheSource) {
  Aes128Key source{std::span<const std::uint8_t, 16>(kA)};
  Aes128Key target{std::span<const std::uint8_t, 16>(kB)};

  target = std::move(source);

  EXPECT_EQ(bytes_of(target), kA);
  EXPECT_EQ(bytes_of(source), kZero);  // NOLINT(bugprone-use-after-move)
}

TEST(SecretBytesTest, SelfMoveAssignmentKeepsTheBytes) {
  Aes128Key key{std::span<const std::uint8_t, 16>(kA)};
  Aes128Key& alias = key;
  key = std::move(alias);
  EXPECT_EQ(bytes_of(key), kA);
}

TEST(SecretBytesTest, ExposeMutIsTheWritableView) {
  Aes128Key key;
  std::span<std::uint8_t, 16> view = key.expose_mut();
  view[0] = 0xAB;
  view[15] = 0xCD;
  EXPECT_EQ(key.expose()[0], 0xAB);
  EXPECT_EQ(key.expose()[15], 0xCD);
  EXPECT_EQ(key.expose().data(), view.data());
}

TEST(SecretBytesTest, DestructorWipesTheStorage) {
  alignas(Aes128Key) std::uint8_t storage[sizeof(Aes128Key)];
  auto* key = new (storage) Aes128Key(std::span<const std::uint8_t, 16>(kA));
  ASSERT_EQ(bytes_of(*key), kA);

  key->~Aes128Key();

  // OPENSSL_cleanse wrote the storage; the bytes still belong to `storage`.
  for (std::uint8_t byte : storage) {
    EXPECT_EQ(byte, 0);
  }
}

TEST(SecretBytesTest, CloneCopiesAndLeavesTheSourceIntact) {
  const Aes128Key original{std::span<const std::uint8_t, 16>(kA)};
  Aes128Key copy = original.clone();

  EXPECT_EQ(bytes_of(copy), kA);
  EXPECT_EQ(bytes_of(original), kA);
  EXPECT_NE(copy.expose().data(), original.expose().data());

  copy.xor_in(Aes128Key{std::span<const std::uint8_t, 16>(kB)});  // the clone is independent
  EXPECT_EQ(bytes_of(original), kA);
}

TEST(SecretBytesTest, XorInIsBytewiseXorAndLeavesTheOperand) {
  Aes128Key key{std::span<const std::uint8_t, 16>(kA)};
  const Aes128Key number{std::span<const std::uint8_t, 16>(kB)};

  key.xor_in(number);

  Bytes16 expected{};
  for (std::size_t i = 0; i < 16; ++i) {
    expected[i] = static_cast<std::uint8_t>(kA[i] ^ kB[i]);
  }
  EXPECT_EQ(bytes_of(key), expected);
  EXPECT_EQ(bytes_of(number), kB);

  key.xor_in(number);  // XOR twice restores the original
  EXPECT_EQ(bytes_of(key), kA);
}

TEST(SecretBytesTest, XorInWithItselfGivesZero) {
  Aes128Key key{std::span<const std::uint8_t, 16>(kA)};
  key.xor_in(key);
  EXPECT_EQ(bytes_of(key), kZero);
}

TEST(SecretBytesTest, ConstantTimeEqualsComparesAllBytes) {
  const Aes128Key a{std::span<const std::uint8_t, 16>(kA)};
  const Aes128Key same{std::span<const std::uint8_t, 16>(kA)};
  EXPECT_TRUE(a.constant_time_equals(same));
  EXPECT_TRUE(a.constant_time_equals(a));

  for (std::size_t i = 0; i < 16; ++i) {
    for (std::uint8_t bit : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
      Bytes16 changed = kA;
      changed[i] ^= bit;
      const Aes128Key other{std::span<const std::uint8_t, 16>(changed)};
      EXPECT_FALSE(a.constant_time_equals(other)) << "byte " << i << " bit " << int{bit};
      EXPECT_FALSE(other.constant_time_equals(a)) << "byte " << i << " bit " << int{bit};
    }
  }
}

TEST(SecretBytesTest, OtherSizesWork) {
  std::array<std::uint8_t, 32> raw{};
  for (std::size_t i = 0; i < raw.size(); ++i) {
    raw[i] = static_cast<std::uint8_t>(i + 1);
  }
  SecretBytes<32> a{std::span<const std::uint8_t, 32>(raw)};
  SecretBytes<32> b(std::move(a));
  EXPECT_EQ(b.expose()[31], 32);
  for (std::uint8_t byte : a.expose()) {  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(byte, 0);
  }
}

TEST(CleanseTest, ZeroesExactlyTheGivenRange) {
  std::array<std::uint8_t, 8> buffer = {1, 2, 3, 4, 5, 6, 7, 8};
  cleanse(buffer.data() + 2, 4);
  EXPECT_EQ(buffer, (std::array<std::uint8_t, 8>{1, 2, 0, 0, 0, 0, 7, 8}));
}

TEST(ConstantTimeEqualTest, ComparesTheGivenLength) {
  const std::uint8_t a[] = {1, 2, 3, 4};
  const std::uint8_t b[] = {1, 2, 3, 5};
  EXPECT_TRUE(constant_time_equal(a, b, 3));
  EXPECT_FALSE(constant_time_equal(a, b, 4));
  EXPECT_TRUE(constant_time_equal(a, b, 0));
}

}  // namespace
}  // namespace cpddi::crypto
