// Crypto-session life cycle and handle validity: spec §1.1, §1.4, §4 (common rules), §4.1, §4.3,
// A29, and the header comments of CreateCryptoSession, DestroyCryptoSession, CreateDevice,
// DestroyDevice and CloseAdapter.
#include <cstring>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

constexpr GUID kSomeDecodeProfile = {
    0x1b81be68, 0xa0c7, 0x11d3, {0xb9, 0x84, 0x00, 0xc0, 0x4f, 0x2e, 0x73, 0xc5}};
constexpr GUID kUnknownCryptoType = {
    0x12345678, 0x9abc, 0xdef0, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};
const HANDLE kSentinelHandle = reinterpret_cast<HANDLE>(0x5A5A5A5A);
const HANDLE kGarbageHandle = reinterpret_cast<HANDLE>(0xDEADBEEF);

using SessionLifecycleTest = SharedDeviceTest;

TEST_F(SessionLifecycleTest, CreateGivesAHandleAndDestroySucceedsOnce) {
  HRESULT hr = S_OK;
  HANDLE session = device().create_session(&hr);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  ASSERT_NE(session, nullptr);
  hr = device().destroy_session(session);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
  hr = device().destroy_session(session);
  EXPECT_EQ(hr, E_INVALIDARG) << "second destroy: " << hr_name(hr);
}

TEST_F(SessionLifecycleTest, LiveSessionsHaveDistinctHandles) {
  HANDLE a = device().create_session();
  HANDLE b = device().create_session();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a, b);
  EXPECT_EQ(device().destroy_session(a), S_OK);
  EXPECT_EQ(device().destroy_session(b), S_OK);
}

TEST_F(SessionLifecycleTest, HandleOfANewSessionNeverEqualsADestroyedOne) {
  // A29: even when the new session reuses the old one's slot, its handle differs.
  HANDLE first = device().create_session();
  ASSERT_NE(first, nullptr);
  ASSERT_EQ(device().destroy_session(first), S_OK);
  for (int i = 0; i < 8; ++i) {
    HANDLE next = device().create_session();
    ASSERT_NE(next, nullptr);
    EXPECT_NE(next, first);
    ASSERT_EQ(device().destroy_session(next), S_OK);
  }
}

TEST_F(SessionLifecycleTest, NewSessionInAReusedSlotInheritsNoKeyMaterial) {
  {
    KeyedSession old(device());
    Bytes number;
    ASSERT_EQ(old.start_refresh(&number), S_OK);  // leave a number pending
  }
  KeyedSession fresh(device(), kOtherKey, ExchangeKey::kNo);
  Bytes number(16, 0xEE);
  HRESULT hr = fresh.start_refresh_raw(number.data(), 16);
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << "a new session has no key: " << hr_name(hr);
  ASSERT_EQ(fresh.rekey(kOtherKey), S_OK);
  hr = fresh.finish_refresh();
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << "no number may be pending: " << hr_name(hr);
  auto surface = ScopedSurface::small_protected(device());
  EXPECT_TRUE(fresh.decrypts_under(*surface, kOtherKey));
}

TEST_F(SessionLifecycleTest, NullArgumentStructIsInvalidArgument) {
  HRESULT hr = device().funcs().pfnCreateCryptoSession(device().device(), nullptr);
  EXPECT_EQ(hr, E_INVALIDARG) << "create: " << hr_name(hr);
  hr = device().funcs().pfnDestroyCryptoSession(device().device(), nullptr);
  EXPECT_EQ(hr, E_INVALIDARG) << "destroy: " << hr_name(hr);
}

// ---- CreateCryptoSession argument errors: the handle is not written ----

struct CreateRow {
  const char* name;
  GUID crypto_type;
  GUID decode_profile;
  HRESULT expected;
};

class CreateCryptoSessionTest : public SharedDeviceTest,
                                public ::testing::WithParamInterface<CreateRow> {};

TEST_P(CreateCryptoSessionTest, FailsWithTheSpecCodeAndWritesNoHandle) {
  D3DDDIARG_CREATECRYPTOSESSION args{GetParam().crypto_type, GetParam().decode_profile,
                                     kSentinelHandle};
  const HRESULT hr = device().funcs().pfnCreateCryptoSession(device().device(), &args);
  EXPECT_EQ(hr, GetParam().expected) << hr_name(hr);
  EXPECT_EQ(args.hCryptoSession, kSentinelHandle);
}

INSTANTIATE_TEST_SUITE_P(
    Args, CreateCryptoSessionTest,
    ::testing::Values(
        CreateRow{"ZeroCryptoType", GUID{}, GUID{}, D3DDDIERR_NOTAVAILABLE},
        CreateRow{"Proprietary", D3DCRYPTOTYPE_PROPRIETARY, GUID{}, D3DDDIERR_NOTAVAILABLE},
        CreateRow{"UnknownCryptoType", kUnknownCryptoType, GUID{}, D3DDDIERR_NOTAVAILABLE},
        CreateRow{"KeyExchangeGuidAsCryptoType", D3DKEYEXCHANGE_RSAES_OAEP, GUID{},
                  D3DDDIERR_NOTAVAILABLE},
        CreateRow{"DecodeProfile", D3DCRYPTOTYPE_AES128_CTR, kSomeDecodeProfile,
                  D3DDDIERR_UNSUPPORTEDCRYPTO}),
    RowName());

TEST_F(SessionLifecycleTest, CreateOnABadDeviceHandleIsInvalidArgument) {
  HANDLE resource = device().create_surface(D3DDDIFMT_X8R8G8B8, 4, 4, D3DDDIPOOL_SYSTEMMEM, false);
  ASSERT_NE(resource, nullptr);
  for (HANDLE bad : {HANDLE{nullptr}, kGarbageHandle, device().adapter(), resource}) {
    D3DDDIARG_CREATECRYPTOSESSION args{D3DCRYPTOTYPE_AES128_CTR, GUID{}, kSentinelHandle};
    const HRESULT hr = device().funcs().pfnCreateCryptoSession(bad, &args);
    EXPECT_EQ(hr, E_INVALIDARG) << "hDevice " << bad << ": " << hr_name(hr);
    EXPECT_EQ(args.hCryptoSession, kSentinelHandle);
  }
  EXPECT_EQ(device().destroy_surface(resource), S_OK);
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

// ---- Sessions in NoKey (spec §1.4): every keyed operation is D3DDDIERR_INVALIDCALL ----

TEST_F(SessionLifecycleTest, NoKeySessionRejectsKeyedOperationsWithInvalidCall) {
  KeyedSession session(device(), kTestKey, ExchangeKey::kNo);
  auto target = ScopedSurface::small_protected(device());
  auto sysmem = ScopedSurface::system_memory(device(), 256);

  Bytes number(16, 0xEE);
  HRESULT hr = session.start_refresh_raw(number.data(), 16);
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << "Start: " << hr_name(hr);
  EXPECT_EQ(number, Bytes(16, 0xEE));
  hr = session.finish_refresh();
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << "Finish: " << hr_name(hr);

  Key wrapped;
  wrapped.fill(0xEE);
  hr = session.get_encryption_blt_key(&wrapped);
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << "GetEncryptionBltKey: " << hr_name(hr);
  Key untouched;
  untouched.fill(0xEE);
  EXPECT_EQ(wrapped, untouched);

  Iv iv;
  iv.fill(0xEE);
  D3DDDIARG_ENCRYPTIONBLT enc{};
  enc.hCryptoSession = session.handle();
  enc.hSrcResource = target->handle();
  enc.hDstResource = sysmem->handle();
  enc.DstResourceSize = 256;
  enc.pIV = iv.data();
  hr = device().funcs().pfnEncryptionBlt(device().device(), &enc);
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << "EncryptionBlt: " << hr_name(hr);
  EXPECT_EQ(iv, untouched);

  const Iv good_iv = make_iv(1);
  hr = session.decryption_blt(target->handle(), Bytes(256, 0x11), good_iv);
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << "DecryptionBlt: " << hr_name(hr);
}

TEST_F(SessionLifecycleTest, GetPitchWorksWithoutAKey) {
  KeyedSession session(device(), kTestKey, ExchangeKey::kNo);
  auto target = ScopedSurface::small_protected(device());
  D3DDDIARG_GETPITCH args{session.handle(), target->handle(), 0, 0};
  const HRESULT hr = device().funcs().pfnGetPitch(device().device(), &args);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_GE(args.Pitch, 16u * 4u);
}

// ---- Handle validity for every entry point that names a session (spec §4, A29) ----

enum class Entry {
  kKeyExchange, kDestroy, kEncryptionBlt, kGetPitch, kStartRefresh, kFinishRefresh,
  kGetEncryptionBltKey, kDecryptionBlt
};
enum class BadHandle {
  kNull, kGarbage, kDestroyed, kStaleAfterReuse, kResourceHandle, kDeviceHandle,
  kOtherDeviceSession, kBadDevice
};

const char* entry_name(Entry e) {
  switch (e) {
    case Entry::kKeyExchange: return "KeyExchange";
    case Entry::kDestroy: return "Destroy";
    case Entry::kEncryptionBlt: return "EncryptionBlt";
    case Entry::kGetPitch: return "GetPitch";
    case Entry::kStartRefresh: return "StartRefresh";
    case Entry::kFinishRefresh: return "FinishRefresh";
    case Entry::kGetEncryptionBltKey: return "GetEncryptionBltKey";
    case Entry::kDecryptionBlt: return "DecryptionBlt";
  }
  return "?";
}

const char* bad_name(BadHandle b) {
  switch (b) {
    case BadHandle::kNull: return "Null";
    case BadHandle::kGarbage: return "Garbage";
    case BadHandle::kDestroyed: return "Destroyed";
    case BadHandle::kStaleAfterReuse: return "StaleAfterReuse";
    case BadHandle::kResourceHandle: return "ResourceHandle";
    case BadHandle::kDeviceHandle: return "DeviceHandle";
    case BadHandle::kOtherDeviceSession: return "OtherDeviceSession";
    case BadHandle::kBadDevice: return "BadDevice";
  }
  return "?";
}

class SessionHandleTest
    : public SharedDeviceTest,
      public ::testing::WithParamInterface<std::tuple<Entry, BadHandle>> {};

// Calls `entry` with session handle `session` on device handle `hDevice`, with every other
// argument valid; reports whether the outputs the call could write stayed untouched.
HRESULT call_entry(Entry entry, const OpenedDevice& device, HANDLE hDevice, HANDLE session,
                   bool* outputs_untouched) {
  auto target = ScopedSurface::small_protected(device);
  auto source = ScopedSurface::system_memory(device, 256);
  auto sink = ScopedSurface::system_memory(device, 256);
  EXPECT_EQ(device.write_surface(source->handle(), ctr(kTestKey, make_iv(1), Bytes(256, 7))),
            S_OK);
  const auto& f = device.funcs();
  std::array<std::uint8_t, 16> out;
  out.fill(0xEE);
  const std::array<std::uint8_t, 16> sentinel = out;
  HRESULT hr = S_OK;
  *outputs_untouched = true;
  switch (entry) {
    case Entry::kKeyExchange: {
      Bytes blob = device.wrap_session_key(kOtherKey);
      D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE args{session, static_cast<UINT>(blob.size()),
                                              blob.data()};
      hr = f.pfnCryptoSessionKeyExchange(hDevice, &args);
      break;
    }
    case Entry::kDestroy: {
      D3DDDIARG_DESTROYCRYPTOSESSION args{session};
      hr = f.pfnDestroyCryptoSession(hDevice, &args);
      break;
    }
    case Entry::kEncryptionBlt: {
      D3DDDIARG_ENCRYPTIONBLT args{};
      args.hCryptoSession = session;
      args.hSrcResource = target->handle();
      args.hDstResource = sink->handle();
      args.DstResourceSize = 256;
      args.pIV = out.data();
      hr = f.pfnEncryptionBlt(hDevice, &args);
      *outputs_untouched = out == sentinel;
      break;
    }
    case Entry::kGetPitch: {
      D3DDDIARG_GETPITCH args{session, target->handle(), 0, 0xA5A5A5A5u};
      hr = f.pfnGetPitch(hDevice, &args);
      *outputs_untouched = args.Pitch == 0xA5A5A5A5u;
      break;
    }
    case Entry::kStartRefresh: {
      D3DDDIARG_STARTSESSIONKEYREFRESH args{session, out.data(), 16};
      hr = f.pfnStartSessionKeyRefresh(hDevice, &args);
      *outputs_untouched = out == sentinel;
      break;
    }
    case Entry::kFinishRefresh: {
      D3DDDIARG_FINISHSESSIONKEYREFRESH args{session};
      hr = f.pfnFinishSessionKeyRefresh(hDevice, &args);
      break;
    }
    case Entry::kGetEncryptionBltKey: {
      D3DDDIARG_GETENCRYPTIONBLTKEY args{session, out.data(), 16};
      hr = f.pfnGetEncryptionBltKey(hDevice, &args);
      *outputs_untouched = out == sentinel;
      break;
    }
    case Entry::kDecryptionBlt: {
      Iv iv = make_iv(1000);
      D3DDDIARG_DECRYPTIONBLT args{};
      args.hCryptoSession = session;
      args.hSrcResource = source->handle();
      args.hDstResource = target->handle();
      args.SrcResourceSize = 256;
      args.pIV = iv.data();
      hr = f.pfnDecryptionBlt(hDevice, &args);
      break;
    }
  }
  return hr;
}

TEST_P(SessionHandleTest, BadHandleIsInvalidArgumentAndReachesNoOtherSession) {
  const auto [entry, bad] = GetParam();
  std::unique_ptr<OpenedDevice> other = OpenedDevice::another_device(device());
  ASSERT_TRUE(other->ok());
  auto surface_here = ScopedSurface::small_protected(device());
  auto surface_there = ScopedSurface::small_protected(*other);

  // The session that must stay unaffected, and the handle under test. The victim of a stale
  // handle is created right after the stale one died, so it most likely reuses its slot.
  std::unique_ptr<KeyedSession> victim;
  const ScopedSurface* victim_surface = surface_here.get();
  if (bad == BadHandle::kOtherDeviceSession) {
    victim = std::make_unique<KeyedSession>(*other, kTestKey);
    victim_surface = surface_there.get();
  } else if (bad != BadHandle::kStaleAfterReuse) {
    victim = std::make_unique<KeyedSession>(device(), kTestKey);
  }
  HANDLE handle = nullptr;
  HANDLE hDevice = device().device();
  HANDLE resource_as_session = nullptr;
  switch (bad) {
    case BadHandle::kNull: handle = nullptr; break;
    case BadHandle::kGarbage: handle = kGarbageHandle; break;
    case BadHandle::kDestroyed:
    case BadHandle::kStaleAfterReuse:
      handle = device().create_session();
      ASSERT_NE(handle, nullptr);
      ASSERT_EQ(device().destroy_session(handle), S_OK);
      break;
    case BadHandle::kResourceHandle:
      resource_as_session = device().create_surface(D3DDDIFMT_X8R8G8B8, 4, 4,
                                                     D3DDDIPOOL_SYSTEMMEM, false);
      ASSERT_NE(resource_as_session, nullptr);
      handle = resource_as_session;
      break;
    case BadHandle::kDeviceHandle: handle = device().device(); break;
    case BadHandle::kOtherDeviceSession: handle = victim->handle(); break;
    case BadHandle::kBadDevice:
      hDevice = kGarbageHandle;
      handle = victim->handle();
      break;
  }
  if (!victim) {
    victim = std::make_unique<KeyedSession>(device(), kTestKey);
    ASSERT_NE(victim->handle(), handle);
  }

  bool untouched = false;
  const HRESULT hr = call_entry(entry, device(), hDevice, handle, &untouched);
  EXPECT_EQ(hr, E_INVALIDARG) << entry_name(entry) << " with " << bad_name(bad) << ": "
                              << hr_name(hr);
  EXPECT_TRUE(untouched) << "an output was written";

  // Nothing reached the victim: same key, nothing pending, still alive.
  const HRESULT finish = victim->finish_refresh();
  EXPECT_EQ(finish, D3DDDIERR_INVALIDCALL) << "a refresh became pending: " << hr_name(finish);
  EXPECT_TRUE(victim->decrypts_under(*victim_surface, kTestKey));
  victim.reset();
  if (resource_as_session != nullptr) {
    EXPECT_EQ(device().destroy_surface(resource_as_session), S_OK);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Entries, SessionHandleTest,
    ::testing::Combine(::testing::Values(Entry::kKeyExchange, Entry::kDestroy,
                                         Entry::kEncryptionBlt, Entry::kGetPitch,
                                         Entry::kStartRefresh, Entry::kFinishRefresh,
                                         Entry::kGetEncryptionBltKey, Entry::kDecryptionBlt),
                       ::testing::Values(BadHandle::kNull, BadHandle::kGarbage,
                                         BadHandle::kDestroyed, BadHandle::kStaleAfterReuse,
                                         BadHandle::kResourceHandle, BadHandle::kDeviceHandle,
                                         BadHandle::kOtherDeviceSession, BadHandle::kBadDevice)),
    [](const ::testing::TestParamInfo<std::tuple<Entry, BadHandle>>& row) {
      return std::string(entry_name(std::get<0>(row.param))) + "With" +
             bad_name(std::get<1>(row.param));
    });

// ---- Devices and adapters ----

TEST_F(SessionLifecycleTest, DestroyDeviceKillsItsHandles) {
  std::unique_ptr<OpenedDevice> other = OpenedDevice::another_device(device());
  ASSERT_TRUE(other->ok());
  const HANDLE dead_device = other->device();
  HANDLE session = other->create_session();
  HANDLE surface = other->create_surface(D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_VIDEOMEMORY, true);
  ASSERT_NE(session, nullptr);
  ASSERT_NE(surface, nullptr);
  HRESULT hr = other->destroy_device();
  ASSERT_EQ(hr, S_OK) << hr_name(hr);

  const auto& f = device().funcs();
  hr = f.pfnDestroyDevice(dead_device);
  EXPECT_EQ(hr, E_INVALIDARG) << "second DestroyDevice: " << hr_name(hr);
  D3DDDIARG_CREATECRYPTOSESSION create{D3DCRYPTOTYPE_AES128_CTR, GUID{}, kSentinelHandle};
  hr = f.pfnCreateCryptoSession(dead_device, &create);
  EXPECT_EQ(hr, E_INVALIDARG) << "create on a dead device: " << hr_name(hr);
  D3DDDIARG_DESTROYCRYPTOSESSION destroy{session};
  hr = f.pfnDestroyCryptoSession(dead_device, &destroy);
  EXPECT_EQ(hr, E_INVALIDARG) << "destroy a dead device's session: " << hr_name(hr);
  hr = f.pfnDestroyResource(dead_device, surface);
  EXPECT_EQ(hr, E_INVALIDARG) << "destroy a dead device's resource: " << hr_name(hr);
}

TEST(DeviceLifecycleTest, DestroyDeviceReleasesItsProtectedMemory) {
  // ProtectedMemorySize is an adapter cap: the pool is the adapter's, so memory a dead device
  // held becomes available to the adapter's other devices.
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.ProtectedMemorySize = 64 * 1024;
  OpenedDevice first(&options);
  ASSERT_TRUE(first.ok());
  std::unique_ptr<OpenedDevice> second = OpenedDevice::another_device(first);
  ASSERT_TRUE(second->ok());
  HRESULT hr = S_OK;
  HANDLE big = second->create_surface(D3DDDIFMT_X8R8G8B8, 64, 256, D3DDDIPOOL_VIDEOMEMORY, true,
                                      &hr);  // 64 KiB: the whole pool
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  ASSERT_NE(big, nullptr);
  first.create_surface(D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_VIDEOMEMORY, true, &hr);
  ASSERT_EQ(hr, D3DDDIERR_OUTOFHWPROTECTEDMEMORY) << hr_name(hr);
  ASSERT_EQ(second->destroy_device(), S_OK);
  HANDLE small = first.create_surface(D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_VIDEOMEMORY, true,
                                      &hr);
  EXPECT_EQ(hr, S_OK) << "after DestroyDevice: " << hr_name(hr);
  if (small != nullptr) {
    EXPECT_EQ(first.destroy_surface(small), S_OK);
  }
}

TEST(DeviceLifecycleTest, BadDeviceArgumentsAreInvalidArgument) {
  OpenedDevice device;
  ASSERT_TRUE(device.ok());
  HANDLE session = device.create_session();
  ASSERT_NE(session, nullptr);
  const auto& af = device.adapter_funcs();
  D3DDDI_DEVICEFUNCS funcs{};
  D3DDDIARG_CREATEDEVICE create{};
  create.pDeviceFuncs = &funcs;
  for (HANDLE bad : {HANDLE{nullptr}, kGarbageHandle, device.device()}) {
    create.hDevice = kSentinelHandle;
    const HRESULT hr = af.pfnCreateDevice(bad, &create);
    EXPECT_EQ(hr, E_INVALIDARG) << "CreateDevice on " << bad << ": " << hr_name(hr);
    EXPECT_EQ(create.hDevice, kSentinelHandle);
  }
  HRESULT hr = af.pfnCreateDevice(device.adapter(), nullptr);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  D3DDDIARG_CREATEDEVICE no_funcs{};
  hr = af.pfnCreateDevice(device.adapter(), &no_funcs);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  for (HANDLE bad : {HANDLE{nullptr}, kGarbageHandle, device.adapter(), session}) {
    hr = device.funcs().pfnDestroyDevice(bad);
    EXPECT_EQ(hr, E_INVALIDARG) << "DestroyDevice of " << bad << ": " << hr_name(hr);
  }
  for (HANDLE bad : {HANDLE{nullptr}, kGarbageHandle, device.device()}) {
    hr = af.pfnCloseAdapter(bad);
    EXPECT_EQ(hr, E_INVALIDARG) << "CloseAdapter of " << bad << ": " << hr_name(hr);
  }
  EXPECT_EQ(device.destroy_session(session), S_OK);
}

TEST(DeviceLifecycleTest, DevicesStayUsableAfterCloseAdapter) {
  D3DDDI_ADAPTERFUNCS adapter_funcs{};
  D3DDDIARG_OPENADAPTER open{};
  open.pAdapterFuncs = &adapter_funcs;
  ASSERT_EQ(OpenAdapter(&open), S_OK);
  D3DDDI_DEVICEFUNCS funcs{};
  D3DDDIARG_CREATEDEVICE create{};
  create.pDeviceFuncs = &funcs;
  ASSERT_EQ(adapter_funcs.pfnCreateDevice(open.hAdapter, &create), S_OK);
  ASSERT_EQ(adapter_funcs.pfnCloseAdapter(open.hAdapter), S_OK);
  D3DDDIARG_CREATEDEVICE again{};
  again.pDeviceFuncs = &funcs;
  HRESULT hr = adapter_funcs.pfnCreateDevice(open.hAdapter, &again);
  EXPECT_EQ(hr, E_INVALIDARG) << "CreateDevice on a closed adapter: " << hr_name(hr);

  D3DDDIARG_CREATECRYPTOSESSION args{D3DCRYPTOTYPE_AES128_CTR, GUID{}, nullptr};
  hr = funcs.pfnCreateCryptoSession(create.hDevice, &args);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
  D3DDDI_SURFACEINFO surface{16, 4, 0, nullptr, 0, 0};
  D3DDDIARG_CREATERESOURCE resource{};
  resource.Format = D3DDDIFMT_X8R8G8B8;
  resource.Pool = D3DDDIPOOL_VIDEOMEMORY;
  resource.pSurfList = &surface;
  resource.SurfCount = 1;
  resource.Flags.RestrictedContent = 1;
  hr = funcs.pfnCreateResource(create.hDevice, &resource);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
  if (args.hCryptoSession != nullptr && resource.hResource != nullptr) {
    D3DDDIARG_GETPITCH pitch{args.hCryptoSession, resource.hResource, 0, 0};
    EXPECT_EQ(funcs.pfnGetPitch(create.hDevice, &pitch), S_OK);
  }
  EXPECT_EQ(funcs.pfnDestroyDevice(create.hDevice), S_OK);
}

}  // namespace
}  // namespace cpddi::testing
