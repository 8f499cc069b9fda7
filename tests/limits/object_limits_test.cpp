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

// Whether a create whose handle field was pre-set to sentinel() returned `expected` and left
// `written` (what the field holds afterwards) untouched.
::testing::AssertionResult refused_with(HRESULT expected, HRESULT hr, HANDLE written) {
  if (hr != expected) {
    return ::testing::AssertionFailure()
           << "the create returned " << hr_name(hr) << ", not " << hr_name(expected);
  }
  if (written != sentinel()) {
    return ::testing::AssertionFailure() << "the refused create wrote a handle";
  }
  return ::testing::AssertionSuccess();
}

// Whether one more CreateCryptoSession, or CreateResource of a protected or plain surface, on
// `device` is refused that way.
::testing::AssertionResult session_create_refused(const OpenedDevice& device) {
  HANDLE extra = sentinel();
  const HRESULT hr = create_session_raw(device, &extra);
  return refused_with(E_OUTOFMEMORY, hr, extra);
}
::testing::AssertionResult surface_create_refused(const OpenedDevice& device,
                                                  bool protected_surface,
                                                  HRESULT expected = E_OUTOFMEMORY) {
  HANDLE extra = sentinel();
  const HRESULT hr = create_surface_raw(device, protected_surface, &extra);
  return refused_with(expected, hr, extra);
}

// Creates `count` sessions on `device` into `live`; call through ASSERT_NO_FATAL_FAILURE.
void create_sessions(const OpenedDevice& device, std::size_t count, std::vector<HANDLE>* live) {
  for (std::size_t i = 0; i < count; ++i) {
    HRESULT hr = S_OK;
    live->push_back(device.create_session(&hr));
    ASSERT_EQ(hr, S_OK) << "session " << i;
    ASSERT_NE(live->back(), nullptr) << "session " << i;
  }
}

// Destroys each of `handles` with `destroy` (OpenedDevice::destroy_session or destroy_surface);
// each must go.
void destroy_all(const OpenedDevice& device, HRESULT (OpenedDevice::*destroy)(HANDLE) const,
                 const std::vector<HANDLE>& handles) {
  for (HANDLE handle : handles) {
    EXPECT_EQ((device.*destroy)(handle), S_OK);
  }
}

TEST(SessionLimitTest, CreatePastTheCapReturnsOutOfMemoryAndWritesNoHandle) {
  const CPDDI_ADAPTER_OPTIONS options = capped_options();
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  std::vector<HANDLE> live;
  ASSERT_NO_FATAL_FAILURE(create_sessions(device, kSessionCap, &live));
  EXPECT_TRUE(session_create_refused(device));
  destroy_all(device, &OpenedDevice::destroy_session, live);
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
  ASSERT_TRUE(session_create_refused(device));
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
  ASSERT_NO_FATAL_FAILURE(create_sessions(device, kSessionCap, &live));
  // 200 rounds of destroy-one, create-one, refused-one: the cap holds exactly every time.
  for (int round = 0; round < 200; ++round) {
    ASSERT_EQ(device.destroy_session(live[round % kSessionCap]), S_OK) << "round " << round;
    HRESULT hr = S_OK;
    live[round % kSessionCap] = device.create_session(&hr);
    ASSERT_EQ(hr, S_OK) << "round " << round;
    ASSERT_TRUE(session_create_refused(device)) << "round " << round;
  }
  // A failed DestroyCryptoSession (stale handle) does not free a slot either.
  HANDLE stale = live[0];
  ASSERT_EQ(device.destroy_session(stale), S_OK);
  EXPECT_EQ(device.destroy_session(stale), E_INVALIDARG);
  live[0] = device.create_session();
  ASSERT_NE(live[0], nullptr);
  EXPECT_TRUE(session_create_refused(device));
  destroy_all(device, &OpenedDevice::destroy_session, live);
}

TEST(SessionLimitTest, TheCapIsPerDevice) {
  const CPDDI_ADAPTER_OPTIONS options = capped_options();
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  std::unique_ptr<OpenedDevice> other = OpenedDevice::another_device(device);
  ASSERT_TRUE(other->ok());
  std::vector<HANDLE> live;
  ASSERT_NO_FATAL_FAILURE(create_sessions(device, kSessionCap, &live));
  ASSERT_TRUE(session_create_refused(device));
  // The other device of the same adapter has its own allowance.
  std::vector<HANDLE> other_live;
  EXPECT_NO_FATAL_FAILURE(create_sessions(*other, kSessionCap, &other_live))
      << "on the second device";
  EXPECT_TRUE(session_create_refused(*other));
  destroy_all(*other, &OpenedDevice::destroy_session, other_live);
  destroy_all(device, &OpenedDevice::destroy_session, live);
}

TEST(SessionLimitTest, DefaultCapIs1024) {
  OpenedDevice device;
  ASSERT_TRUE(device.ok());
  std::vector<HANDLE> live;
  ASSERT_NO_FATAL_FAILURE(create_sessions(device, 1024, &live));
  EXPECT_TRUE(session_create_refused(device));
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
    EXPECT_TRUE(surface_create_refused(device, protected_surface))
        << (protected_surface ? "protected" : "plain");
  }
  // The surfaces at the cap still work: Lock/Unlock of a system-memory one.
  const Bytes bytes = pattern_bytes(4096, 9);
  device.write_surface(live[1], bytes);
  EXPECT_EQ(device.read_surface(live[1], bytes.size()), bytes);
  destroy_all(device, &OpenedDevice::destroy_surface, live);
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
    ASSERT_TRUE(surface_create_refused(device, false)) << "round " << round;
  }
  // A refused create (bad format) does not use up a slot: after freeing one, one create fits.
  ASSERT_EQ(device.destroy_surface(live[0]), S_OK);
  HRESULT hr = S_OK;
  EXPECT_EQ(device.create_surface(D3DDDIFMT_UNKNOWN, 64, 16, D3DDDIPOOL_SYSTEMMEM, false, &hr),
            nullptr);
  EXPECT_EQ(hr, E_INVALIDARG);
  ASSERT_EQ(create_surface_raw(device, false, &live[0]), S_OK);
  destroy_all(device, &OpenedDevice::destroy_surface, live);
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
  EXPECT_TRUE(surface_create_refused(device, true, D3DDDIERR_OUTOFHWPROTECTEDMEMORY));
  // Unprotected surfaces do not draw on the protected budget.
  HANDLE plain = nullptr;
  EXPECT_EQ(create_surface_raw(device, false, &plain), S_OK);
  EXPECT_EQ(device.destroy_surface(plain), S_OK);
  ASSERT_EQ(device.destroy_surface(live[1]), S_OK);
  EXPECT_EQ(create_surface_raw(device, true, &live[1]), S_OK);
  destroy_all(device, &OpenedDevice::destroy_surface, live);
}

}  // namespace
}  // namespace cpddi::testing
