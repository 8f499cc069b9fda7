// cpddi's own crypto-session choices the spec leaves open: the session cap (spec §4.1
// "Unsaid", MaxSessionsPerDevice) and a real decode profile refused because cpddi has no decoder
// (A34). The life-cycle and handle rules every driver follows are conform cases session.* and
// device.*.
#include <gtest/gtest.h>

#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

constexpr GUID kSomeDecodeProfile = {
    0x1b81be68, 0xa0c7, 0x11d3, {0xb9, 0x84, 0x00, 0xc0, 0x4f, 0x2e, 0x73, 0xc5}};
const HANDLE kSentinelHandle = reinterpret_cast<HANDLE>(0x5A5A5A5A);

using SessionLifecycleTest = SharedDeviceTest;

// A34 for a real decode profile (conform case session.create-bad-crypto-type checks a profile
// no decoder has).
TEST_F(SessionLifecycleTest, CreateWithARealDecodeProfileIsUnsupportedCrypto) {
  D3DDDIARG_CREATECRYPTOSESSION args{D3DCRYPTOTYPE_AES128_CTR, kSomeDecodeProfile,
                                     kSentinelHandle};
  const HRESULT hr = device().funcs().pfnCreateCryptoSession(device().device(), &args);
  EXPECT_EQ(hr, D3DDDIERR_UNSUPPORTEDCRYPTO) << hr_name(hr);
  EXPECT_EQ(args.hCryptoSession, kSentinelHandle);
}

// ---- The session cap (MaxSessionsPerDevice) ----

TEST(SessionCapTest, PastTheCapCreateIsOutOfMemoryUntilASessionIsDestroyed) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.MaxSessionsPerDevice = 3;
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  // Failed creates do not count against the cap.
  D3DDDIARG_CREATECRYPTOSESSION bad{GUID{}, GUID{}, nullptr};
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(device.funcs().pfnCreateCryptoSession(device.device(), &bad),
              D3DDDIERR_NOTAVAILABLE);
  }
  HANDLE sessions[3];
  for (HANDLE& s : sessions) {
    s = device.create_session();
    ASSERT_NE(s, nullptr);
  }
  D3DDDIARG_CREATECRYPTOSESSION args{D3DCRYPTOTYPE_AES128_CTR, GUID{}, kSentinelHandle};
  HRESULT hr = device.funcs().pfnCreateCryptoSession(device.device(), &args);
  EXPECT_EQ(hr, E_OUTOFMEMORY) << hr_name(hr);
  EXPECT_EQ(args.hCryptoSession, kSentinelHandle);
  ASSERT_EQ(device.destroy_session(sessions[1]), S_OK);
  HANDLE again = device.create_session(&hr);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
  ASSERT_NE(again, nullptr);
  hr = device.funcs().pfnCreateCryptoSession(device.device(), &args);
  EXPECT_EQ(hr, E_OUTOFMEMORY) << "full again: " << hr_name(hr);
  EXPECT_EQ(device.destroy_session(again), S_OK);
  EXPECT_EQ(device.destroy_session(sessions[0]), S_OK);
  EXPECT_EQ(device.destroy_session(sessions[2]), S_OK);
}

}  // namespace
}  // namespace cpddi::testing
