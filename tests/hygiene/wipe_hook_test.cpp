// The freed-memory hook itself: it is installed, and it catches what it must (negative
// controls) — an unwiped key copy freed with delete, and an unwiped exponent freed by OpenSSL in
// either byte order — while wiped copies pass. Without these the wipe tests could pass by
// seeing nothing.
#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <vector>

#include <openssl/bn.h>
#include <openssl/crypto.h>

#include "hygiene/freed_memory_hook.h"
#include "support/driver_fixture.h"

namespace cpddi::hygiene {
namespace {

using testing::kTestKey;

// Makes `p` and what it points to observable, so new/delete pairs are not optimised away.
void escape(void* p) { asm volatile("" : : "g"(p) : "memory"); }

TEST(WipeHookTest, OpenSslAllocatorIsInstalled) {
  ASSERT_TRUE(openssl_hook_installed())
      << "CRYPTO_set_mem_functions refused: OpenSSL allocated before the hook";
  const std::size_t before = openssl_frees();
  void* p = OPENSSL_malloc(32);
  ASSERT_NE(p, nullptr);
  OPENSSL_free(p);
  EXPECT_EQ(openssl_frees(), before + 1);
}

TEST(WipeHookTest, CatchesAnUnwipedKeyFreedWithDelete) {
  FreedMemoryScan scan;
  scan.add_secret("test key", kTestKey);
  auto* copy = new std::array<std::uint8_t, 16>(kTestKey);
  escape(copy);  // or the compiler may elide the allocation altogether
  delete copy;
  const std::vector<Finding> findings = scan.finish();
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  EXPECT_EQ(findings[0].secret, "test key");
  EXPECT_FALSE(findings[0].openssl);
}

TEST(WipeHookTest, CatchesAKeyInsideALargerVectorFreedLateAndLearntLate) {
  FreedMemoryScan scan;
  {
    std::vector<std::uint8_t> buffer(1000, 0x11);
    std::copy(kTestKey.begin(), kTestKey.end(), buffer.begin() + 517);
    escape(buffer.data());
  }
  // Registered after the free: the kept block is still searched.
  scan.add_secret("test key", kTestKey);
  EXPECT_EQ(scan.finish().size(), 1u);
}

TEST(WipeHookTest, PassesAKeyWipedBeforeItsFree) {
  FreedMemoryScan scan;
  scan.add_secret("test key", kTestKey);
  auto copy = std::make_unique<std::array<std::uint8_t, 16>>(kTestKey);
  escape(copy.get());
  OPENSSL_cleanse(copy->data(), copy->size());
  copy.reset();
  const std::vector<Finding> findings = scan.finish();
  EXPECT_TRUE(findings.empty()) << describe(findings);
}

TEST(WipeHookTest, CatchesAnUnwipedExponentFreedByOpenSsl) {
  std::array<std::uint8_t, 256> exponent{};
  for (std::size_t i = 0; i < exponent.size(); ++i) {
    exponent[i] = static_cast<std::uint8_t>(i * 7 + 3);
  }
  std::array<std::uint8_t, 256> little_endian{};
  std::reverse_copy(exponent.begin(), exponent.end(), little_endian.begin());
  FreedMemoryScan scan;
  scan.add_secret("d (big-endian)", exponent);
  scan.add_secret("d (little-endian)", little_endian);
  // Raw bytes through OPENSSL_free: caught; through OPENSSL_clear_free: not.
  void* raw = OPENSSL_memdup(exponent.data(), exponent.size());
  ASSERT_NE(raw, nullptr);
  OPENSSL_free(raw);
  void* cleared = OPENSSL_memdup(exponent.data(), exponent.size());
  ASSERT_NE(cleared, nullptr);
  OPENSSL_clear_free(cleared, exponent.size());
  // A BIGNUM keeps little-endian limbs on x86-64: BN_free leaves them, BN_clear_free wipes them.
  BIGNUM* loose = BN_bin2bn(exponent.data(), static_cast<int>(exponent.size()), nullptr);
  ASSERT_NE(loose, nullptr);
  BN_free(loose);
  BIGNUM* wiped = BN_bin2bn(exponent.data(), static_cast<int>(exponent.size()), nullptr);
  ASSERT_NE(wiped, nullptr);
  BN_clear_free(wiped);
  const std::vector<Finding> findings = scan.finish();
  ASSERT_EQ(findings.size(), 2u) << describe(findings);
  EXPECT_EQ(findings[0].secret, "d (big-endian)");
  EXPECT_EQ(findings[1].secret, "d (little-endian)");
  EXPECT_TRUE(findings[0].openssl && findings[1].openssl);
}

}  // namespace
}  // namespace cpddi::hygiene
