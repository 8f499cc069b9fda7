// DecryptionBlt IV rules: spec §4.5, §7.1, A9, A11–A13 and the CPDDI_IV_CHECK_OFF option. The
// restart of the IV history after a refresh (A11) is in key_refresh_test.cpp.
#include <string>

#include <gtest/gtest.h>

#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

constexpr Key kContentKeyA = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                              0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf};
constexpr Key kContentKeyB = {0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7,
                              0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf};

// A keyed session and a small protected surface, with blts at chosen IVs.
class IvHarness {
 public:
  explicit IvHarness(const OpenedDevice& device, Key key = kTestKey)
      : session_(device, key), surface_(ScopedSurface::small_protected(device)) {
    len_ = session_.surface_bytes(*surface_);
  }

  // DecryptionBlt of fresh bytes under the session key (or a content key) at `iv`. On S_OK the
  // surface must hold those bytes, else it must still hold the last accepted ones.
  HRESULT blt(const Iv& iv, const Key* content_key = nullptr) {
    const Bytes plain = pattern_bytes(len_, ++seed_);
    HRESULT hr = S_OK;
    if (content_key != nullptr) {
      const Key wrapped = ecb_wrap(session_.app_key(), *content_key);
      hr = session_.decryption_blt(surface_->handle(), ctr(*content_key, iv, plain), iv, nullptr,
                                   wrapped.data());
    } else {
      hr = session_.decryption_blt(surface_->handle(), ctr(session_.app_key(), iv, plain), iv);
    }
    if (hr == S_OK) {
      last_ = plain;
    }
    EXPECT_EQ(session_.read_back(surface_->handle(), len_), last_)
        << "surface content after a blt that returned " << hr_name(hr);
    return hr;
  }

  KeyedSession& session() { return session_; }

 private:
  KeyedSession session_;
  std::unique_ptr<ScopedSurface> surface_;
  std::size_t len_ = 0;
  std::uint32_t seed_ = 100;
  Bytes last_;
};

using DecryptionIvTest = SharedDeviceTest;

TEST_F(DecryptionIvTest, IncreasingIvsAreAcceptedWithGaps) {
  IvHarness h(device());
  for (std::uint64_t iv : {0ull, 1ull, 2ull, 7ull, 1000ull, 0x7FFFFFFFFFFFFFFFull,
                           0xFFFFFFFFFFFFFFFEull}) {
    const HRESULT hr = h.blt(make_iv(iv));
    EXPECT_EQ(hr, S_OK) << "IV " << iv << ": " << hr_name(hr);
  }
}

TEST_F(DecryptionIvTest, ReplayedAndLowerIvsAreRejected) {
  IvHarness h(device());
  ASSERT_EQ(h.blt(make_iv(500)), S_OK);
  for (std::uint64_t iv : {500ull, 499ull, 1ull, 0ull}) {
    const HRESULT hr = h.blt(make_iv(iv));
    EXPECT_EQ(hr, E_INVALIDARG) << "IV " << iv << ": " << hr_name(hr);
  }
  EXPECT_EQ(h.blt(make_iv(501)), S_OK);
}

TEST_F(DecryptionIvTest, CountDoesNotMakeAnIvNew) {
  // Without SEQUENTIAL_CTR_IV the IV field itself must grow (A12).
  ASSERT_EQ(device().caps_bits() & D3DCPCAPS_SEQUENTIAL_CTR_IV, 0u);
  IvHarness h(device());
  ASSERT_EQ(h.blt(make_iv(40, 0)), S_OK);
  for (std::uint64_t count : {1ull, 16ull, 0xFFFFFFFFFFFFFFFFull}) {
    const HRESULT hr = h.blt(make_iv(40, count));
    EXPECT_EQ(hr, E_INVALIDARG) << "Count " << count << ": " << hr_name(hr);
  }
  EXPECT_EQ(h.blt(make_iv(41, 0)), S_OK);
}

TEST_F(DecryptionIvTest, MaximumIvIsAcceptedOnceThenNothingMore) {
  IvHarness h(device());
  ASSERT_EQ(h.blt(make_iv(0xFFFFFFFFFFFFFFFFull)), S_OK);
  EXPECT_EQ(h.blt(make_iv(0xFFFFFFFFFFFFFFFFull)), E_INVALIDARG);
  EXPECT_EQ(h.blt(make_iv(0)), E_INVALIDARG) << "no wrap-around";
}

TEST_F(DecryptionIvTest, IvIsComparedAsABigEndianNumber) {
  // Pitfall §1.6.1: 01 00 .. 00 is 2^56 big-endian, far above 00 .. 00 02. A driver that loads
  // the field as a little-endian integer would see 1 and 2^57 and accept the second blt.
  IvHarness h(device());
  ASSERT_EQ(h.blt(make_iv(0x0100000000000000ull)), S_OK);
  EXPECT_EQ(h.blt(make_iv(2)), E_INVALIDARG);
  EXPECT_EQ(h.blt(make_iv(0x0100000000000001ull)), S_OK);
}

TEST_F(DecryptionIvTest, EachContentKeyAndTheSessionKeyHaveTheirOwnHistory) {
  // A11/A12: the rule is per effective key.
  IvHarness h(device());
  ASSERT_EQ(h.blt(make_iv(100)), S_OK);
  EXPECT_EQ(h.blt(make_iv(1), &kContentKeyA), S_OK) << "content key A starts afresh";
  EXPECT_EQ(h.blt(make_iv(1), &kContentKeyA), E_INVALIDARG) << "replay under content key A";
  EXPECT_EQ(h.blt(make_iv(1), &kContentKeyB), S_OK) << "content key B starts afresh";
  EXPECT_EQ(h.blt(make_iv(100)), E_INVALIDARG) << "session key history unaffected";
  EXPECT_EQ(h.blt(make_iv(2), &kContentKeyA), S_OK);
  EXPECT_EQ(h.blt(make_iv(101)), S_OK);
}

TEST_F(DecryptionIvTest, SessionsHaveTheirOwnHistory) {
  IvHarness a(device());
  IvHarness b(device());
  EXPECT_EQ(a.blt(make_iv(5)), S_OK);
  EXPECT_EQ(b.blt(make_iv(5)), S_OK);
  EXPECT_EQ(a.blt(make_iv(5)), E_INVALIDARG);
}

TEST(DecryptionIvCheckOffTest, AnyIvIsAcceptedAndDecryptedCorrectly) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.IvCheck = CPDDI_IV_CHECK_OFF;
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  IvHarness h(device);
  for (std::uint64_t iv : {10ull, 10ull, 9ull, 0ull, 10ull}) {
    const HRESULT hr = h.blt(make_iv(iv));
    EXPECT_EQ(hr, S_OK) << "IV " << iv << ": " << hr_name(hr);
  }
  EXPECT_EQ(h.blt(make_iv(3), &kContentKeyA), S_OK);
  EXPECT_EQ(h.blt(make_iv(3), &kContentKeyA), S_OK);
}

}  // namespace
}  // namespace cpddi::testing
