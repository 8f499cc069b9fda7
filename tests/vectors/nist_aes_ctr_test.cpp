// NIST SP 800-38A F.5.1 (CTR-AES128.Encrypt) through cpddi::crypto::aes128_ctr_xor and through
// the C ABI's DecryptionBlt, under the session key and under a content key. The vector's initial
// counter block f0f1…feff, passed as the D3DAES_CTR_IV bytes exactly as stored, is
// IV = 0xf0f1f2f3f4f5f6f7 and Count = 0xf8f9fafbfcfdfeff, both big-endian (spec §7.1); its four
// blocks do not reach the 2^64 Count boundary, so the 128-bit increment of SP 800-38A and cpddi's
// 64-bit Count agree (the boundary is aes_ctr_count_wrap_test's business).

#include <cstring>
#include <optional>
#include <string_view>

#include <gtest/gtest.h>

#include "crypto/aes.h"
#include "support/driver_fixture.h"
#include "vector_files.h"

namespace cpddi::testing::vectors {
namespace {

constexpr std::string_view kFile = "nist-sp800-38a-ctr.txt";

struct CtrVector {
  Key key{};
  Iv counter_block{};
  Bytes plaintext;
  Bytes ciphertext;
};

template <std::size_t N>
std::array<std::uint8_t, N> fixed(const Bytes& bytes, const char* name) {
  if (bytes.size() != N) {
    throw FormatError(std::string(name) + " must be " + std::to_string(N) + " bytes");
  }
  std::array<std::uint8_t, N> out{};
  std::memcpy(out.data(), bytes.data(), N);
  return out;
}

CtrVector read_vector(Fields& record) {
  CtrVector v;
  v.key = fixed<16>(record.hex("key"), "key");
  v.counter_block = fixed<16>(record.hex("counter_block"), "counter_block");
  v.plaintext = record.hex("plaintext");
  v.ciphertext = record.hex("ciphertext");
  if (v.plaintext.size() != v.ciphertext.size() || v.plaintext.empty() ||
      v.plaintext.size() % 16 != 0) {
    throw FormatError("plaintext and ciphertext must be the same whole number of blocks");
  }
  return v;
}

Bytes aes128_ctr(const CtrVector& v, const Bytes& in) {
  const crypto::Aes128Key key{std::span<const std::uint8_t, 16>(v.key)};
  Bytes out(in.size());
  const Result<void> r = crypto::aes128_ctr_xor(key, v.counter_block, in, out);
  EXPECT_TRUE(r.has_value()) << r.error().reason;
  return out;
}

TEST(NistAesCtrTest, Aes128CtrXorEncryptsAndDecryptsF51) {
  const std::size_t num_records = run_nist(kFile, [](Fields& record) {
    const CtrVector v = read_vector(record);
    EXPECT_EQ(to_hex(aes128_ctr(v, v.plaintext)), to_hex(v.ciphertext));
    EXPECT_EQ(to_hex(aes128_ctr(v, v.ciphertext)), to_hex(v.plaintext));
  });
  EXPECT_EQ(num_records, 1u);
}

// DecryptionBlt of the NIST ciphertext into a protected 16×1 X8R8G8B8 surface (pitch 64, so
// L = 64 bytes = the four blocks), pIV = the counter block as stored, then EncryptionBlt read-back.
// With `content_key_wrapped`, the data key is the NIST key sent as a content key and the session
// key is `session_key`; otherwise the NIST key is the session key itself.
void decrypt_through_blt(const CtrVector& v, const Key& session_key,
                         const std::optional<Key>& content_key_wrapped) {
  // Spec §7.1: the stored bytes are IV then Count, each big-endian.
  ASSERT_EQ(v.counter_block, make_iv(0xf0f1f2f3f4f5f6f7, 0xf8f9fafbfcfdfeff));

  OpenedDevice device;
  ASSERT_NE(device.device(), nullptr);
  if (content_key_wrapped) {
    D3DCONTENTPROTECTIONCAPS caps{};
    ASSERT_EQ(device.content_protection_caps(&caps), S_OK);
    ASSERT_NE(caps.Caps & D3DCPCAPS_CONTENTKEY, 0u) << "default caps lack CONTENTKEY";
  }
  KeyedSession session(device, session_key);
  ASSERT_NE(session.handle(), nullptr);
  HANDLE surface = device.create_surface(D3DDDIFMT_X8R8G8B8, 16, 1, D3DDDIPOOL_VIDEOMEMORY, true);
  ASSERT_NE(surface, nullptr);
  const std::size_t len = session.surface_bytes(surface, D3DDDIFMT_X8R8G8B8, 1);
  EXPECT_EQ(len, v.ciphertext.size()) << "L must be exactly the NIST blocks";

  const HRESULT hr =
      session.decryption_blt(surface, v.ciphertext, v.counter_block, nullptr,
                             content_key_wrapped ? content_key_wrapped->data() : nullptr);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
  HRESULT read_hr = E_FAIL;
  const Bytes plain = session.read_back(surface, v.plaintext.size(), &read_hr);
  EXPECT_EQ(read_hr, S_OK) << hr_name(read_hr);
  EXPECT_EQ(to_hex(plain), to_hex(v.plaintext));
  EXPECT_EQ(device.destroy_surface(surface), S_OK);
}

TEST(NistCtrDecryptionBltTest, SessionKeyDecryptsF51IntoProtectedSurface) {
  const std::size_t num_records = run_nist(kFile, [](Fields& record) {
    const CtrVector v = read_vector(record);
    decrypt_through_blt(v, v.key, std::nullopt);
  });
  EXPECT_EQ(num_records, 1u);
}

TEST(NistCtrDecryptionBltTest, ContentKeyDecryptsF51IntoProtectedSurface) {
  const std::size_t num_records = run_nist(kFile, [](Fields& record) {
    const CtrVector v = read_vector(record);
    ASSERT_NE(kTestKey, v.key) << "the session key must differ from the content key";
    decrypt_through_blt(v, kTestKey, ecb_wrap(kTestKey, v.key));
  });
  EXPECT_EQ(num_records, 1u);
}

}  // namespace
}  // namespace cpddi::testing::vectors
