// Per-device caps (CPDDI_ADAPTER_OPTIONS MaxSessionsPerDevice / MaxResourcesPerDevice, and the
// protected-memory budget): past a cap the create call fails with the documented code and writes
// no handle, the device keeps working, a destroy makes room again, and nothing leaks — the asan
// preset runs these binaries with LeakSanitizer, which fails the process at exit on any leak.
#include <gtest/gtest.h>

#include <vector>

#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

constexpr UINT kSessionCap = 3;
constexpr UINT kResourceCap = 4;

CPDDI_ADAPTER_OPTIONS capped_options() {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.MaxSessionsPerDevice = kSessionCap;
  options.MaxResourcesPerDevice = kResourceCap;
  return options;
}

// CreateCryptoSession with a sentinel in hCryptoSession, so a failing call that wrote a handle
// is caught.
HRESULT create_session_raw(const OpenedDevice& device, HANDLE* out) {
  D3DDDIARG_CREATECRYPTOSESSION args{D3DCRYPTOTYPE_AES128_CTR, GUID{}, *out};
  const HRESULT hr = device.funcs().pfnCreateCryptoSession(device.device(), &args);
  *out = args.hCryptoSession;
  return hr;
}

HRESULT create_surface_raw(const OpenedDevice& device, bool protected_surface, HANDLE* out) {
  D3DDDI_SURFACEINFO surface{};
  surface.Width = 64;
  surface.Height = 16;  // X8R8G8B8: 4 KiB
  D3DDDIARG_CREATERESOURCE args{};
  args.Format = D3DDDIFMT_X8R8G8B8;
  args.Pool = protected_surface ? D3DDDIPOOL_VIDEOMEMORY : D3DDDIPOOL_SYSTEMMEM;
  args.pSurfList = &surface;
  args.SurfCount = 1;
  args.Flags.RestrictedContent = protected_surface ? 1 : 0;
  args.hResource = *out;
  const HRESULT hr = device.funcs().pfnCreateResource(device.device(), &args);
  *out = args.hResource;
  return hr;
}

HANDLE sentinel() { return reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(0x5E5E5E5E)); }

TEST(SessionLimitTest, CreatePastTheCapReturnsOutOfMemoryAndWritesNoHandle) {
  const CPDDI_ADAPTER_OPTIONS options = capped_options();
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  std::vector<HANDLE> live;
  for (UINT i = 0; i < kSessionCap; ++i) {
    HRESULT hr = S_OK;
    live.push_back(device.create_session(&hr));
    ASSERT_EQ(hr, S_OK) << "session " << i;
  }
  HANDLE extra = sentinel();
  EXPECT_EQ(create_session_raw(device, &extra), E_OUTOFMEMORY);
  EXPECT_EQ(extra, sentinel());
  for (HANDLE session : live) {
    EXPECT_EQ(device.destroy_session(session), S_OK);
  }
}

TEST(SessionLimitTest, SessionsAtTheCapKeepWorking) {
  const CPDDI_ADAPTER_OPTIONS options = capped_options();
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  KeyedSession first(device, kTestKey);
  KeyedSession second(device, kOtherKey);
  HRESULT hr = S_OK;
  HANDLE third = device.create_session(&hr);
  ASSERT_EQ(hr, S_OK);
  HANDLE extra = sentinel();
  ASSERT_EQ(create_session_raw(device, &extra), E_OUTOFMEMORY);
  // The refused create changed nothing: both keyed sessions decrypt, refresh and read back.
  EXPECT_TRUE(first.decrypts_under(*surface, kTestKey, 1));
  EXPECT_TRUE(second.decrypts_under(*surface, kOtherKey, 2));
  ASSERT_EQ(first.refresh(), S_OK);
  EXPECT_TRUE(first.decrypts_under(*surface, first.app_key(), 3));
  EXPECT_EQ(device.destroy_session(third), S_OK);
}

TEST(SessionLimitTest, DestroyMakesRoomAgainAndTheCountNeverDrifts) {
  const CPDDI_ADAPTER_OPTIONS options = capped_options();
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  std::vector<HANDLE> live;
  for (UINT i = 0; i < kSessionCap; ++i) {
    live.push_back(device.create_session());
    ASSERT_NE(live.back(), nullptr);
  }
  // 200 rounds of destroy-one, create-one, refused-one: the cap holds exactly every time.
  for (int round = 0; round < 200; ++round) {
    ASSERT_EQ(device.destroy_session(live[round % kSessionCap]), S_OK) << "round " << round;
    HRESULT hr = S_OK;
    live[round % kSessionCap] = device.create_session(&hr);
    ASSERT_EQ(hr, S_OK) << "round " << round;
    HANDLE extra = sentinel();
    ASSERT_EQ(create_session_raw(device, &extra), E_OUTOFMEMORY) << "round " << round;
  }
  // A failed DestroyCryptoSession (stale handle) does not free a slot either.
  HANDLE stale = live[0];
  ASSERT_EQ(device.destroy_session(stale), S_OK);
  EXPECT_EQ(device.destroy_session(stale), E_INVALIDARG);
  live[0] = device.create_session();
  ASSERT_NE(live[0], nullptr);
  HANDLE extra = sentinel();
  EXPECT_EQ(create_session_raw(device, &extra), E_OUTOFMEMORY);
  for (HANDLE session : live) {
    EXPECT_EQ(device.destroy_session(session), S_OK);
  }
}

TEST(SessionLimitTest, TheCapIsPerDevice) {
  const CPDDI_ADAPTER_OPTIONS options = capped_options();
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  std::unique_ptr<OpenedDevice> other = OpenedDevice::another_device(device);
  ASSERT_TRUE(other->ok());
  std::vector<HANDLE> live;
  for (UINT i = 0; i < kSessionCap; ++i) {
    live.push_back(device.create_session());
    ASSERT_NE(live.back(), nullptr);
  }
  HANDLE extra = sentinel();
  ASSERT_EQ(create_session_raw(device, &extra), E_OUTOFMEMORY);
  // The other device of the same adapter has its own allowance.
  std::vector<HANDLE> other_live;
  for (UINT i = 0; i < kSessionCap; ++i) {
    HRESULT hr = S_OK;
    other_live.push_back(other->create_session(&hr));
    EXPECT_EQ(hr, S_OK) << "session " << i << " on the second device";
  }
  extra = sentinel();
  EXPECT_EQ(create_session_raw(*other, &extra), E_OUTOFMEMORY);
  for (HANDLE session : other_live) {
    EXPECT_EQ(other->destroy_session(session), S_OK);
  }
  for (HANDLE session : live) {
    EXPECT_EQ(device.destroy_session(session), S_OK);
  }
}

TEST(SessionLimitTest, DefaultCapIs1024) {
  OpenedDevice device;
  ASSERT_TRUE(device.ok());
  std::vector<HANDLE> live;
  for (int i = 0; i < 1024; ++i) {
    HRESULT hr = S_OK;
    live.push_back(device.create_session(&hr));
    ASSERT_EQ(hr, S_OK) << "session " << i;
  }
  HANDLE extra = sentinel();
  EXPECT_EQ(create_session_raw(device, &extra), E_OUTOFMEMORY);
  EXPECT_EQ(extra, sentinel());
  // DestroyDevice with every session still live releases them all (LeakSanitizer checks).
  EXPECT_EQ(device.destroy_device(), S_OK);
}

TEST(ResourceLimitTest, CreatePastTheCapReturnsOutOfMemoryAndWritesNoHandle) {
  const CPDDI_ADAPTER_OPTIONS options = capped_options();
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  std::vector<HANDLE> live;
  for (UINT i = 0; i < kResourceCap; ++i) {
    HANDLE h = nullptr;
    ASSERT_EQ(create_surface_raw(device, i % 2 == 0, &h), S_OK) << "resource " << i;
    live.push_back(h);
  }
  for (bool protected_surface : {false, true}) {
    HANDLE extra = sentinel();
    EXPECT_EQ(create_surface_raw(device, protected_surface, &extra), E_OUTOFMEMORY);
    EXPECT_EQ(extra, sentinel());
  }
  // The surfaces at the cap still work: Lock/Unlock of a system-memory one.
  const Bytes bytes = pattern_bytes(4096, 9);
  device.write_surface(live[1], bytes);
  EXPECT_EQ(device.read_surface(live[1], bytes.size()), bytes);
  for (HANDLE h : live) {
    EXPECT_EQ(device.destroy_surface(h), S_OK);
  }
}

TEST(ResourceLimitTest, DestroyMakesRoomAgainAndTheCountNeverDrifts) {
  const CPDDI_ADAPTER_OPTIONS options = capped_options();
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  std::vector<HANDLE> live(kResourceCap, nullptr);
  for (UINT i = 0; i < kResourceCap; ++i) {
    ASSERT_EQ(create_surface_raw(device, true, &live[i]), S_OK);
  }
  for (int round = 0; round < 200; ++round) {
    HANDLE& slot = live[round % kResourceCap];
    ASSERT_EQ(device.destroy_surface(slot), S_OK) << "round " << round;
    ASSERT_EQ(create_surface_raw(device, round % 3 == 0, &slot), S_OK) << "round " << round;
    HANDLE extra = sentinel();
    ASSERT_EQ(create_surface_raw(device, false, &extra), E_OUTOFMEMORY) << "round " << round;
  }
  // A refused create (bad format) does not use up a slot: after freeing one, one create fits.
  ASSERT_EQ(device.destroy_surface(live[0]), S_OK);
  HRESULT hr = S_OK;
  EXPECT_EQ(device.create_surface(D3DDDIFMT_UNKNOWN, 64, 16, D3DDDIPOOL_SYSTEMMEM, false, &hr),
            nullptr);
  EXPECT_EQ(hr, E_INVALIDARG);
  ASSERT_EQ(create_surface_raw(device, false, &live[0]), S_OK);
  for (HANDLE h : live) {
    EXPECT_EQ(device.destroy_surface(h), S_OK);
  }
}

TEST(ResourceLimitTest, DestroyDeviceReleasesEverythingItHosts) {
  const CPDDI_ADAPTER_OPTIONS options = capped_options();
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  std::unique_ptr<OpenedDevice> doomed = OpenedDevice::another_device(device);
  ASSERT_TRUE(doomed->ok());
  {
    // Keyed sessions and surfaces left live on purpose: DestroyDevice must free them all.
    KeyedSession session(*doomed);
    HANDLE h = nullptr;
    for (UINT i = 0; i < kResourceCap; ++i) {
      ASSERT_EQ(create_surface_raw(*doomed, i % 2 == 0, &h), S_OK);
    }
    ASSERT_EQ(doomed->destroy_device(), S_OK);
    EXPECT_EQ(session.destroy(), E_INVALIDARG);  // the session died with its device
  }
  // A new device of the same adapter gets the full allowance.
  std::unique_ptr<OpenedDevice> fresh = OpenedDevice::another_device(device);
  ASSERT_TRUE(fresh->ok());
  std::vector<HANDLE> live(kResourceCap, nullptr);
  for (UINT i = 0; i < kResourceCap; ++i) {
    EXPECT_EQ(create_surface_raw(*fresh, false, &live[i]), S_OK);
  }
  EXPECT_EQ(fresh->destroy_device(), S_OK);
}

TEST(ProtectedMemoryLimitTest, PastTheBudgetCreateReturnsOutOfProtectedMemoryUntilAFree) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.ProtectedMemorySize = 3 * 4096;  // three 64×16 X8R8G8B8 surfaces
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  std::vector<HANDLE> live(3, nullptr);
  for (HANDLE& h : live) {
    ASSERT_EQ(create_surface_raw(device, true, &h), S_OK);
  }
  HANDLE extra = sentinel();
  EXPECT_EQ(create_surface_raw(device, true, &extra), D3DDDIERR_OUTOFHWPROTECTEDMEMORY);
  EXPECT_EQ(extra, sentinel());
  // Unprotected surfaces do not draw on the protected budget.
  HANDLE plain = nullptr;
  EXPECT_EQ(create_surface_raw(device, false, &plain), S_OK);
  EXPECT_EQ(device.destroy_surface(plain), S_OK);
  ASSERT_EQ(device.destroy_surface(live[1]), S_OK);
  EXPECT_EQ(create_surface_raw(device, true, &live[1]), S_OK);
  for (HANDLE h : live) {
    EXPECT_EQ(device.destroy_surface(h), S_OK);
  }
}

}  // namespace
}  // namespace cpddi::testing
