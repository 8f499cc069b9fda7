// Known answer for spec §9 A10: the 64-bit Count wraps modulo 2^64 without carrying into the
// 64-bit IV. The expected keystream is computed independently here, block by block, as
// AES-128-ECB(K, IV_be64 || BE64(Count + i mod 2^64)) with OpenSSL's EVP directly — one of the
// two vector tests that include OpenSSL, with wycheproof_channel_cmac_test — and compared with
// cpddi's aes128_ctr_xor, with CtrKeystream fed in two pieces, and with DecryptionBlt through the
// C ABI.

#include <cstdint>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "crypto/aes.h"
#include "support/driver_fixture.h"
#include "vector_files.h"

namespace cpddi::testing::vectors {
namespace {

constexpr Key kKey = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                      0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
constexpr std::uint64_t kIvField = 0x0123456789abcdefu;
constexpr std::uint64_t kCountNearWrap = 0xfffffffffffffffeu;
constexpr std::size_t kNumBlocks = 4;
constexpr std::size_t kLen = kNumBlocks * 16;

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

// Keystream blocks AES-128-ECB(key, iv || count + i), Count wrapping in 64 bits (A10).
Bytes expected_keystream(const Key& key, std::uint64_t iv, std::uint64_t count,
                         std::size_t num_blocks) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  EXPECT_NE(ctx, nullptr);
  EXPECT_EQ(EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_ecb(), nullptr, key.data(), nullptr), 1);
  EXPECT_EQ(EVP_CIPHER_CTX_set_padding(ctx.get(), 0), 1);
  Bytes out(num_blocks * 16);
  for (std::size_t i = 0; i < num_blocks; ++i) {
    const Iv block = make_iv(iv, count + i);  // unsigned: wraps mod 2^64
    int written = 0;
    EXPECT_EQ(EVP_EncryptUpdate(ctx.get(), out.data() + 16 * i, &written, block.data(), 16), 1);
    EXPECT_EQ(written, 16);
  }
  return out;
}

// OpenSSL's own CTR mode: a 128-bit increment, which carries into the IV at the boundary.
Bytes carrying_keystream(const Key& key, const Iv& first_block, std::size_t len) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  EXPECT_EQ(
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_ctr(), nullptr, key.data(), first_block.data()), 1);
  const Bytes zeros(len, 0);
  Bytes out(len);
  int written = 0;
  EXPECT_EQ(EVP_EncryptUpdate(ctx.get(), out.data(), &written, zeros.data(), static_cast<int>(len)),
            1);
  return out;
}

Bytes xor_bytes(const Bytes& a, const Bytes& b) {
  Bytes out(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(a[i] ^ b[i]);
  }
  return out;
}

crypto::Aes128Key secret(const Key& key) {
  return crypto::Aes128Key(std::span<const std::uint8_t, 16>(key));
}

TEST(CtrCountWrapTest, ExpectedKeystreamDiffersFromA128BitCarryAfterTheWrap) {
  // The check below can fail: before the wrap both counters agree, after it they do not.
  const Bytes wrap = expected_keystream(kKey, kIvField, kCountNearWrap, kNumBlocks);
  const Bytes carry = carrying_keystream(kKey, make_iv(kIvField, kCountNearWrap), kLen);
  EXPECT_EQ(to_hex(std::span(wrap).first(32)), to_hex(std::span(carry).first(32)));
  EXPECT_NE(to_hex(std::span(wrap).subspan(32, 16)), to_hex(std::span(carry).subspan(32, 16)));
  EXPECT_NE(to_hex(std::span(wrap).subspan(48, 16)), to_hex(std::span(carry).subspan(48, 16)));
}

TEST(CtrCountWrapTest, Aes128CtrXorWrapsCountWithoutCarryIntoIv) {
  const Bytes plaintext = pattern_bytes(kLen, 10);
  // Count = 2^64 − 4 … 2^64 − 1: the wrap falls after each of the four blocks in turn.
  for (std::uint64_t back = 4; back >= 1; --back) {
    const std::uint64_t count = 0 - back;
    SCOPED_TRACE("Count = 2^64 - " + std::to_string(back));
    const Bytes expected =
        xor_bytes(plaintext, expected_keystream(kKey, kIvField, count, kNumBlocks));
    Bytes out(kLen);
    const Result<void> r =
        crypto::aes128_ctr_xor(secret(kKey), make_iv(kIvField, count), plaintext, out);
    ASSERT_TRUE(r.has_value()) << r.error().reason;
    EXPECT_EQ(to_hex(out), to_hex(expected));
  }
}

TEST(CtrCountWrapTest, KeystreamSplitAtEveryByteWrapsCountWithoutCarryIntoIv) {
  const Bytes plaintext = pattern_bytes(kLen, 11);
  const Bytes expected =
      xor_bytes(plaintext, expected_keystream(kKey, kIvField, kCountNearWrap, kNumBlocks));
  for (std::size_t split = 0; split <= kLen; ++split) {
    SCOPED_TRACE("first apply() of " + std::to_string(split) + " bytes");
    Result<crypto::CtrKeystream> stream =
        crypto::CtrKeystream::create(secret(kKey), make_iv(kIvField, kCountNearWrap));
    ASSERT_TRUE(stream.has_value()) << stream.error().reason;
    Bytes out(kLen);
    ASSERT_TRUE(stream->apply(plaintext.data(), out.data(), split).has_value());
    ASSERT_TRUE(
        stream->apply(plaintext.data() + split, out.data() + split, kLen - split).has_value());
    EXPECT_EQ(to_hex(out), to_hex(expected));
  }
}

TEST(CtrCountWrapTest, DecryptionBltWrapsCountWithoutCarryIntoIv) {
  OpenedDevice device;
  ASSERT_NE(device.device(), nullptr);
  KeyedSession session(device, kKey);
  ASSERT_NE(session.handle(), nullptr);
  HANDLE surface = device.create_surface(D3DDDIFMT_X8R8G8B8, 16, 1, D3DDDIPOOL_VIDEOMEMORY, true);
  ASSERT_NE(surface, nullptr);
  ASSERT_EQ(session.surface_bytes(surface, D3DDDIFMT_X8R8G8B8, 1), kLen);

  const Bytes plaintext = pattern_bytes(kLen, 12);
  const Bytes ciphertext =
      xor_bytes(plaintext, expected_keystream(kKey, kIvField, kCountNearWrap, kNumBlocks));
  const HRESULT hr =
      session.decryption_blt(surface, ciphertext, make_iv(kIvField, kCountNearWrap));
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
  HRESULT read_hr = E_FAIL;
  EXPECT_EQ(to_hex(session.read_back(surface, kLen, &read_hr)), to_hex(plaintext));
  EXPECT_EQ(read_hr, S_OK) << hr_name(read_hr);
  EXPECT_EQ(device.destroy_surface(surface), S_OK);
}

// Partial decryption (spec §7.4): the keystream is contiguous across clear gaps, so with
// (E0 = 32, S = 16, E = 16) the first run uses Counts 2^64−2 and 2^64−1, ends exactly on the wrap,
// and the run after the gap must continue at IV || 0.
TEST(CtrCountWrapTest, PartialDecryptionBltRunEndingOnTheWrapContinuesAtCountZero) {
  OpenedDevice device;
  ASSERT_NE(device.device(), nullptr);
  ASSERT_NE(device.caps_bits() & D3DCPCAPS_PARTIALDECRYPTION, 0u);
  KeyedSession session(device, kKey);
  ASSERT_NE(session.handle(), nullptr);
  HANDLE surface = device.create_surface(D3DDDIFMT_X8R8G8B8, 16, 1, D3DDDIPOOL_VIDEOMEMORY, true);
  ASSERT_NE(surface, nullptr);
  ASSERT_EQ(session.surface_bytes(surface, D3DDDIFMT_X8R8G8B8, 1), kLen);

  const Bytes plaintext = pattern_bytes(kLen, 13);
  const Bytes keystream = expected_keystream(kKey, kIvField, kCountNearWrap, 3);
  Bytes ciphertext = plaintext;
  for (std::size_t i = 0; i < 32; ++i) {
    ciphertext[i] ^= keystream[i];  // E0: Counts 2^64−2, 2^64−1
  }
  for (std::size_t i = 48; i < 64; ++i) {
    ciphertext[i] ^= keystream[i - 16];  // after 16 clear bytes: Count 0, IV unchanged
  }
  const D3DDDIENCRYPTED_BLOCK_INFO pattern{32, 16, 16};
  const HRESULT hr = session.decryption_blt(surface, ciphertext,
                                            make_iv(kIvField, kCountNearWrap), &pattern);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
  HRESULT read_hr = E_FAIL;
  EXPECT_EQ(to_hex(session.read_back(surface, kLen, &read_hr)), to_hex(plaintext));
  EXPECT_EQ(read_hr, S_OK) << hr_name(read_hr);
  EXPECT_EQ(device.destroy_surface(surface), S_OK);
}

}  // namespace
}  // namespace cpddi::testing::vectors
