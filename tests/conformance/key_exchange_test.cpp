// CryptoSessionKeyExchange: spec §4.2, §7.5, A11, A25, and the common rule that a failed call
// changes nothing (the old key stays in force — shown by decrypting and reading back). A key
// exchange while a refresh is pending (A7) is in key_refresh_test.cpp.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "support/driver_fixture.h"
#include "support/scoped_environment.h"

namespace cpddi::testing {
namespace {

using KeyExchangeTest = SharedDeviceTest;

TEST_F(KeyExchangeTest, GoodExchangeInstallsTheKey) {
  KeyedSession session(device(), kOtherKey);
  auto surface = ScopedSurface::small_protected(device());
  EXPECT_TRUE(session.decrypts_under(*surface, kOtherKey));
  EXPECT_FALSE(session.decrypts_under(*surface, kTestKey, 2));
}

TEST_F(KeyExchangeTest, SessionsHoldTheirOwnKeys) {
  KeyedSession a(device(), kTestKey);
  KeyedSession b(device(), kOtherKey);
  auto surface = ScopedSurface::small_protected(device());
  EXPECT_TRUE(a.decrypts_under(*surface, kTestKey));
  EXPECT_TRUE(b.decrypts_under(*surface, kOtherKey));
}

TEST_F(KeyExchangeTest, RepeatExchangeReplacesTheKey) {
  KeyedSession session(device(), kTestKey);
  auto surface = ScopedSurface::small_protected(device());
  ASSERT_TRUE(session.decrypts_under(*surface, kTestKey));
  const HRESULT hr = session.rekey(kOtherKey);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_TRUE(session.decrypts_under(*surface, kOtherKey, 2));
  EXPECT_FALSE(session.decrypts_under(*surface, kTestKey, 3));
}

TEST_F(KeyExchangeTest, RepeatExchangeDropsTheReadBackKey) {
  // cpddi's choice (docs/behaviour.md): the read-back key belonged to the old key holder, so
  // after a new exchange EncryptionBlt needs a new GetEncryptionBltKey (A19's code until then).
  KeyedSession session(device(), kTestKey);
  auto surface = ScopedSurface::small_protected(device());
  const std::size_t len = session.surface_bytes(*surface);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  ASSERT_TRUE(session.readback_key().has_value());
  const Key old_readback_key = *session.readback_key();
  ASSERT_EQ(session.rekey(kOtherKey), S_OK);
  session.set_readback_key(old_readback_key);  // so read_back goes straight to EncryptionBlt
  HRESULT hr = S_OK;
  EXPECT_TRUE(session.read_back(surface->handle(), len, &hr).empty());
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << hr_name(hr);
  session.forget_readback_key();
  EXPECT_TRUE(session.decrypts_under(*surface, kOtherKey, 4));  // a fresh read-back key works
}

TEST_F(KeyExchangeTest, RepeatExchangeRestartsTheIvHistory) {
  // A11: an IV already used with the old key may be used again with the new one.
  KeyedSession session(device(), kTestKey);
  auto surface = ScopedSurface::small_protected(device());
  const std::size_t len = session.surface_bytes(*surface);
  const Bytes plain = pattern_bytes(len, 5);
  const Iv iv = make_iv(50);
  ASSERT_EQ(session.decryption_blt(surface->handle(), ctr(kTestKey, iv, plain), iv), S_OK);
  ASSERT_EQ(session.rekey(kOtherKey), S_OK);
  const Bytes plain2 = pattern_bytes(len, 6);
  const HRESULT hr = session.decryption_blt(surface->handle(), ctr(kOtherKey, iv, plain2), iv);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_EQ(session.read_back(surface->handle(), len), plain2);
}

TEST_F(KeyExchangeTest, ExchangeOfTheSameKeyAlsoRestartsTheIvHistory) {
  KeyedSession session(device(), kTestKey);
  auto surface = ScopedSurface::small_protected(device());
  const std::size_t len = session.surface_bytes(*surface);
  const Iv iv = make_iv(50);
  ASSERT_EQ(session.decryption_blt(surface->handle(), ctr(kTestKey, iv, Bytes(len, 1)), iv),
            S_OK);
  ASSERT_EQ(session.rekey(kTestKey), S_OK);
  const Bytes plain = pattern_bytes(len, 6);
  const HRESULT hr = session.decryption_blt(surface->handle(), ctr(kTestKey, iv, plain), iv);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_EQ(session.read_back(surface->handle(), len), plain);
}

// ---- Rejected blobs: E_INVALIDARG, and nothing changes ----

enum class Blob {
  kDataSizeZero, kDataSize255, kDataSize257, kDataSize128, kDataSize512, kNullData,
  kGarbage, kAllOnes, kAllZero, kFlippedBit, kSha1Oaep, kSha256Oaep, kMgf1Sha1, kLabel,
  kEmptyKey, kKey15, kKey17, kKey32, kOtherAdapter
};

struct BlobRow {
  const char* name;
  Blob blob;
};

constexpr std::uint8_t kLabelBytes[] = {'c', 'p', 'd', 'd', 'i'};

// The blob of a row, for a key exchange with `device`'s adapter.
Bytes make_blob(Blob blob, const OpenedDevice& device, bool* null_data) {
  const Bytes good = device.wrap_session_key(kOtherKey);
  *null_data = false;
  auto resized = [&](std::size_t n) {
    Bytes b = good;
    b.resize(n, 0x01);
    return b;
  };
  auto wrap = [&](std::size_t key_len, crypto::OaepParams params = crypto::kKeyExchangeOaep) {
    const Bytes key = pattern_bytes(key_len, 77);
    return device.wrap_session_key(key, params);
  };
  switch (blob) {
    case Blob::kDataSizeZero: return Bytes{};
    case Blob::kDataSize255: return resized(255);
    case Blob::kDataSize257: return resized(257);
    case Blob::kDataSize128: return resized(128);
    case Blob::kDataSize512: return resized(512);
    case Blob::kNullData: *null_data = true; return good;
    case Blob::kGarbage: return pattern_bytes(256, 3);
    case Blob::kAllOnes: return Bytes(256, 0xFF);
    case Blob::kAllZero: return Bytes(256, 0x00);
    case Blob::kFlippedBit: {
      Bytes b = good;
      b[200] ^= 0x10;
      return b;
    }
    case Blob::kSha1Oaep:
      return wrap(16, {crypto::HashAlgorithm::kSha1, crypto::HashAlgorithm::kSha1, {}});
    case Blob::kSha256Oaep:
      return wrap(16, {crypto::HashAlgorithm::kSha256, crypto::HashAlgorithm::kSha256, {}});
    case Blob::kMgf1Sha1:
      return wrap(16, {crypto::HashAlgorithm::kSha512, crypto::HashAlgorithm::kSha1, {}});
    case Blob::kLabel:
      return wrap(16, {crypto::HashAlgorithm::kSha512, crypto::HashAlgorithm::kSha512,
                       std::span<const std::uint8_t>(kLabelBytes)});
    case Blob::kEmptyKey: return wrap(0);
    case Blob::kKey15: return wrap(15);
    case Blob::kKey17: return wrap(17);
    case Blob::kKey32: return wrap(32);
    case Blob::kOtherAdapter: {
      ScopedGeneratedIdentity generated;  // another adapter has another key, even in a pinned run
      OpenedDevice other;
      return other.wrap_session_key(kOtherKey);
    }
  }
  return good;
}

class KeyExchangeRejectTest : public SharedDeviceTest,
                              public ::testing::WithParamInterface<BlobRow> {};

TEST_P(KeyExchangeRejectTest, KeyedSessionKeepsItsKeyAndPendingNumber) {
  bool null_data = false;
  const Bytes blob = make_blob(GetParam().blob, device(), &null_data);
  if (GetParam().blob != Blob::kDataSizeZero) {
    ASSERT_FALSE(blob.empty()) << "the application side could not build the blob";
  }
  KeyedSession session(device(), kTestKey);
  auto surface = ScopedSurface::small_protected(device());
  Bytes number;
  ASSERT_EQ(session.start_refresh(&number), S_OK);

  const HRESULT hr = session.exchange_blob(blob, null_data);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);

  // Still the old key, and the pending number still applies to it.
  EXPECT_TRUE(session.decrypts_under(*surface, kTestKey));
  ASSERT_EQ(session.finish_refresh(), S_OK);
  session.app_apply(number);
  EXPECT_TRUE(session.decrypts_under(*surface, xor_keys(kTestKey, number), 2));
}

TEST_P(KeyExchangeRejectTest, FreshSessionStaysWithoutAKey) {
  bool null_data = false;
  const Bytes blob = make_blob(GetParam().blob, device(), &null_data);
  KeyedSession session(device(), kTestKey, ExchangeKey::kNo);
  const HRESULT hr = session.exchange_blob(blob, null_data);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  Bytes number(16, 0xEE);
  const HRESULT start = session.start_refresh_raw(number.data(), 16);
  EXPECT_EQ(start, D3DDDIERR_INVALIDCALL) << "still NoKey: " << hr_name(start);
  // And a good exchange afterwards works normally.
  ASSERT_EQ(session.rekey(kTestKey), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  EXPECT_TRUE(session.decrypts_under(*surface, kTestKey));
}

INSTANTIATE_TEST_SUITE_P(
    Blobs, KeyExchangeRejectTest,
    ::testing::Values(BlobRow{"DataSizeZero", Blob::kDataSizeZero},
                      BlobRow{"DataSize255", Blob::kDataSize255},
                      BlobRow{"DataSize257", Blob::kDataSize257},
                      BlobRow{"DataSize128", Blob::kDataSize128},
                      BlobRow{"DataSize512", Blob::kDataSize512},
                      BlobRow{"NullData", Blob::kNullData},
                      BlobRow{"GarbageCiphertext", Blob::kGarbage},
                      BlobRow{"CiphertextNotBelowModulus", Blob::kAllOnes},
                      BlobRow{"AllZeroCiphertext", Blob::kAllZero},
                      BlobRow{"FlippedBit", Blob::kFlippedBit},
                      BlobRow{"OaepSha1", Blob::kSha1Oaep},
                      BlobRow{"OaepSha256", Blob::kSha256Oaep},
                      BlobRow{"OaepSha512WithMgf1Sha1", Blob::kMgf1Sha1},
                      BlobRow{"OaepWithLabel", Blob::kLabel},
                      BlobRow{"EmptyKey", Blob::kEmptyKey},
                      BlobRow{"FifteenByteKey", Blob::kKey15},
                      BlobRow{"SeventeenByteKey", Blob::kKey17},
                      BlobRow{"ThirtyTwoByteKey", Blob::kKey32},
                      BlobRow{"OtherAdaptersKey", Blob::kOtherAdapter}),
    RowName());

TEST_F(KeyExchangeTest, FailedExchangeKeepsTheIvHistory) {
  // Nothing changes on failure (spec §4): an IV used before is still a replay afterwards.
  KeyedSession session(device(), kTestKey);
  auto surface = ScopedSurface::small_protected(device());
  const std::size_t len = session.surface_bytes(*surface);
  const Bytes plain = pattern_bytes(len, 9);
  const Iv iv = make_iv(70);
  ASSERT_EQ(session.decryption_blt(surface->handle(), ctr(kTestKey, iv, plain), iv), S_OK);
  Bytes blob = device().wrap_session_key(pattern_bytes(15, 1));
  ASSERT_EQ(session.exchange_blob(blob), E_INVALIDARG);
  const HRESULT hr =
      session.decryption_blt(surface->handle(), ctr(kTestKey, iv, Bytes(len, 0)), iv);
  EXPECT_EQ(hr, E_INVALIDARG) << "replayed IV: " << hr_name(hr);
  EXPECT_EQ(session.read_back(surface->handle(), len), plain);
}

TEST_F(KeyExchangeTest, NullArgumentStructIsInvalidArgument) {
  const HRESULT hr = device().funcs().pfnCryptoSessionKeyExchange(device().device(), nullptr);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
}

}  // namespace
}  // namespace cpddi::testing
