// Surfaces: CreateResource, DestroyResource, Lock/Unlock, GetPitch and the protected pool — spec
// §4.4, §4.10, A16, A22 and the header comments of those entry points.
#include <cstring>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "conform/surface_args.h"
#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

const HANDLE kSentinelHandle = reinterpret_cast<HANDLE>(0x5A5A5A5A);
const HANDLE kGarbageHandle = reinterpret_cast<HANDLE>(0xDEADBEEF);

// CreateResource with one surface; returns the HRESULT, the handle through `out`.
HRESULT create(const OpenedDevice& device, D3DDDIFORMAT format, D3DDDI_POOL pool, UINT width,
               UINT height, bool restricted, HANDLE* out) {
  conform::SurfaceArgs create(format, width, height, pool, restricted);
  create.args.hResource = kSentinelHandle;
  const HRESULT hr = device.funcs().pfnCreateResource(device.device(), &create.args);
  *out = create.args.hResource;
  return hr;
}

UINT pitch_of(const OpenedDevice& device, HANDLE session, HANDLE resource, HRESULT* hr) {
  D3DDDIARG_GETPITCH args{session, resource, 0, 0xA5A5A5A5u};
  *hr = device.funcs().pfnGetPitch(device.device(), &args);
  return args.Pitch;
}

using ResourceTest = SharedDeviceTest;

// ---- Every supported format × pool × protection can be created, and GetPitch describes it ----

struct KindRow {
  const char* name;
  D3DDDIFORMAT format;
  D3DDDI_POOL pool;
  bool restricted;
};

class ResourceKindTest : public SharedDeviceTest, public ::testing::WithParamInterface<KindRow> {};

TEST_P(ResourceKindTest, CreatesAndReportsAPitchCoveringARow) {
  const KindRow& row = GetParam();
  HANDLE resource = nullptr;
  HRESULT hr = create(device(), row.format, row.pool, 34, 10, row.restricted, &resource);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  ASSERT_NE(resource, nullptr);
  ASSERT_NE(resource, kSentinelHandle);
  KeyedSession session(device(), kTestKey, ExchangeKey::kNo);
  const UINT pitch = pitch_of(device(), session.handle(), resource, &hr);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_GE(pitch, row.format == D3DDDIFMT_NV12 ? 34u : 34u * 4u);
  if (!row.restricted) {
    D3DDDIARG_LOCK lock{};
    lock.hResource = resource;
    ASSERT_EQ(device().funcs().pfnLock(device().device(), &lock), S_OK);
    EXPECT_NE(lock.pSurfData, nullptr);
    EXPECT_EQ(lock.Pitch, pitch) << "Lock and GetPitch disagree";
    D3DDDIARG_UNLOCK unlock{};
    unlock.hResource = resource;
    EXPECT_EQ(device().funcs().pfnUnlock(device().device(), &unlock), S_OK);
  }
  EXPECT_EQ(device().destroy_surface(resource), S_OK);
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, ResourceKindTest,
    ::testing::Values(
        KindRow{"X8R8G8B8SystemMemory", D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_SYSTEMMEM, false},
        KindRow{"A8R8G8B8SystemMemory", D3DDDIFMT_A8R8G8B8, D3DDDIPOOL_SYSTEMMEM, false},
        KindRow{"Nv12SystemMemory", D3DDDIFMT_NV12, D3DDDIPOOL_SYSTEMMEM, false},
        KindRow{"X8R8G8B8VideoMemory", D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_VIDEOMEMORY, false},
        KindRow{"X8R8G8B8ProtectedVideoMemory", D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_VIDEOMEMORY, true},
        KindRow{"A8R8G8B8ProtectedLocalVidMem", D3DDDIFMT_A8R8G8B8, D3DDDIPOOL_LOCALVIDMEM, true},
        KindRow{"Nv12ProtectedNonLocalVidMem", D3DDDIFMT_NV12, D3DDDIPOOL_NONLOCALVIDMEM, true},
        KindRow{"Nv12ProtectedVideoMemory", D3DDDIFMT_NV12, D3DDDIPOOL_VIDEOMEMORY, true}),
    RowName());

// ---- CreateResource argument errors: E_INVALIDARG, no handle written ----

enum class CreateFault {
  kFormatUnknown, kFormatOther, kPoolZero, kPoolFive, kWidthZero, kHeightZero, kSurfCountZero,
  kSurfCountTwo, kNullSurfList, kMipLevelsTwo, kSysMemPitchTooSmall
};

struct CreateRow {
  const char* name;
  CreateFault fault;
};

class CreateResourceRejectTest : public SharedDeviceTest,
                                 public ::testing::WithParamInterface<CreateRow> {};

TEST_P(CreateResourceRejectTest, InvalidArgumentAndNoHandle) {
  D3DDDI_SURFACEINFO surfaces[2] = {};
  surfaces[0].Width = surfaces[1].Width = 16;
  surfaces[0].Height = surfaces[1].Height = 4;
  Bytes memory(4096);
  D3DDDIARG_CREATERESOURCE args{};
  args.Format = D3DDDIFMT_X8R8G8B8;
  args.Pool = D3DDDIPOOL_SYSTEMMEM;
  args.pSurfList = surfaces;
  args.SurfCount = 1;
  args.hResource = kSentinelHandle;
  switch (GetParam().fault) {
    case CreateFault::kFormatUnknown: args.Format = D3DDDIFMT_UNKNOWN; break;
    case CreateFault::kFormatOther: args.Format = static_cast<D3DDDIFORMAT>(20); break;
    case CreateFault::kPoolZero: args.Pool = static_cast<D3DDDI_POOL>(0); break;
    case CreateFault::kPoolFive: args.Pool = static_cast<D3DDDI_POOL>(5); break;
    case CreateFault::kWidthZero: surfaces[0].Width = 0; break;
    case CreateFault::kHeightZero: surfaces[0].Height = 0; break;
    case CreateFault::kSurfCountZero: args.SurfCount = 0; break;
    case CreateFault::kSurfCountTwo: args.SurfCount = 2; break;
    case CreateFault::kNullSurfList: args.pSurfList = nullptr; break;
    case CreateFault::kMipLevelsTwo: args.MipLevels = 2; break;
    case CreateFault::kSysMemPitchTooSmall:
      surfaces[0].pSysMem = memory.data();
      surfaces[0].SysMemPitch = 16 * 4 - 1;
      break;
  }
  const HRESULT hr = device().funcs().pfnCreateResource(device().device(), &args);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  EXPECT_EQ(args.hResource, kSentinelHandle);
}

INSTANTIATE_TEST_SUITE_P(
    Faults, CreateResourceRejectTest,
    ::testing::Values(CreateRow{"FormatUnknown", CreateFault::kFormatUnknown},
                      CreateRow{"FormatR8G8B8", CreateFault::kFormatOther},
                      CreateRow{"PoolZero", CreateFault::kPoolZero},
                      CreateRow{"PoolFive", CreateFault::kPoolFive},
                      CreateRow{"WidthZero", CreateFault::kWidthZero},
                      CreateRow{"HeightZero", CreateFault::kHeightZero},
                      CreateRow{"SurfCountZero", CreateFault::kSurfCountZero},
                      CreateRow{"SurfCountTwo", CreateFault::kSurfCountTwo},
                      CreateRow{"NullSurfList", CreateFault::kNullSurfList},
                      CreateRow{"MipLevelsTwo", CreateFault::kMipLevelsTwo},
                      CreateRow{"SysMemPitchBelowARow", CreateFault::kSysMemPitchTooSmall}),
    RowName());

TEST_F(ResourceTest, CreateWithNullArgumentsOrBadDeviceIsInvalidArgument) {
  HRESULT hr = device().funcs().pfnCreateResource(device().device(), nullptr);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  D3DDDI_SURFACEINFO surface{16, 4, 0, nullptr, 0, 0};
  D3DDDIARG_CREATERESOURCE args{};
  args.Format = D3DDDIFMT_X8R8G8B8;
  args.Pool = D3DDDIPOOL_SYSTEMMEM;
  args.pSurfList = &surface;
  args.SurfCount = 1;
  for (HANDLE bad : {HANDLE{nullptr}, kGarbageHandle, device().adapter()}) {
    args.hResource = kSentinelHandle;
    hr = device().funcs().pfnCreateResource(bad, &args);
    EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
    EXPECT_EQ(args.hResource, kSentinelHandle);
  }
}

TEST_F(ResourceTest, CallerMemoryIsUsedInPlaceWithItsPitch) {
  Bytes memory(300 * 4, 0);
  HRESULT hr = S_OK;
  HANDLE resource = device().create_surface_in(memory.data(), 300, D3DDDIFMT_X8R8G8B8, 16, 4, &hr);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  D3DDDIARG_LOCK lock{};
  lock.hResource = resource;
  ASSERT_EQ(device().funcs().pfnLock(device().device(), &lock), S_OK);
  EXPECT_EQ(lock.pSurfData, memory.data());
  EXPECT_EQ(lock.Pitch, 300u);
  D3DDDIARG_UNLOCK unlock{};
  unlock.hResource = resource;
  EXPECT_EQ(device().funcs().pfnUnlock(device().device(), &unlock), S_OK);
  EXPECT_EQ(device().destroy_surface(resource), S_OK);
}

// ---- Lock / Unlock ----

TEST_F(ResourceTest, LockOfRestrictedContentIsInvalidCallAndMapsNothing) {
  // A22: a RestrictedContent surface is never mapped.
  for (D3DDDI_POOL pool : {D3DDDIPOOL_VIDEOMEMORY, D3DDDIPOOL_LOCALVIDMEM}) {
    HANDLE resource = nullptr;
    ASSERT_EQ(create(device(), D3DDDIFMT_X8R8G8B8, pool, 16, 4, true, &resource), S_OK);
    D3DDDIARG_LOCK lock{};
    lock.hResource = resource;
    lock.pSurfData = reinterpret_cast<void*>(0x5A5A);
    lock.Pitch = 0xA5A5A5A5u;
    const HRESULT hr = device().funcs().pfnLock(device().device(), &lock);
    EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << "pool " << pool << ": " << hr_name(hr);
    EXPECT_EQ(lock.pSurfData, reinterpret_cast<void*>(0x5A5A));
    EXPECT_EQ(lock.Pitch, 0xA5A5A5A5u);
    D3DDDIARG_UNLOCK unlock{};
    unlock.hResource = resource;
    const HRESULT un = device().funcs().pfnUnlock(device().device(), &unlock);
    EXPECT_EQ(un, D3DDDIERR_INVALIDCALL) << "never locked: " << hr_name(un);
    EXPECT_EQ(device().destroy_surface(resource), S_OK);
  }
}

TEST_F(ResourceTest, LockWriteUnlockLockReadRoundTrips) {
  auto surface = ScopedSurface::system_memory(device(), 512);
  const Bytes bytes = pattern_bytes(512, 4);
  ASSERT_EQ(device().write_surface(surface->handle(), bytes), S_OK);
  EXPECT_EQ(device().read_surface(surface->handle(), 512), bytes);
}

TEST_F(ResourceTest, DoubleLockAndUnlockWithoutLockAreInvalidCall) {
  auto surface = ScopedSurface::system_memory(device(), 256);
  const auto& f = device().funcs();
  D3DDDIARG_UNLOCK unlock{};
  unlock.hResource = surface->handle();
  HRESULT hr = f.pfnUnlock(device().device(), &unlock);
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << "unlock before lock: " << hr_name(hr);
  D3DDDIARG_LOCK lock{};
  lock.hResource = surface->handle();
  ASSERT_EQ(f.pfnLock(device().device(), &lock), S_OK);
  D3DDDIARG_LOCK second{};
  second.hResource = surface->handle();
  hr = f.pfnLock(device().device(), &second);
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << "double lock: " << hr_name(hr);
  EXPECT_EQ(second.pSurfData, nullptr);
  EXPECT_EQ(f.pfnUnlock(device().device(), &unlock), S_OK);
  hr = f.pfnUnlock(device().device(), &unlock);
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << "second unlock: " << hr_name(hr);
}

TEST_F(ResourceTest, LockAndUnlockArgumentErrorsAreInvalidArgument) {
  auto surface = ScopedSurface::system_memory(device(), 256);
  KeyedSession session(device(), kTestKey, ExchangeKey::kNo);
  const auto& f = device().funcs();
  HRESULT hr = f.pfnLock(device().device(), nullptr);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  hr = f.pfnUnlock(device().device(), nullptr);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  for (HANDLE bad : {HANDLE{nullptr}, kGarbageHandle, session.handle(), device().device()}) {
    D3DDDIARG_LOCK lock{};
    lock.hResource = bad;
    hr = f.pfnLock(device().device(), &lock);
    EXPECT_EQ(hr, E_INVALIDARG) << "Lock of " << bad << ": " << hr_name(hr);
    D3DDDIARG_UNLOCK unlock{};
    unlock.hResource = bad;
    hr = f.pfnUnlock(device().device(), &unlock);
    EXPECT_EQ(hr, E_INVALIDARG) << "Unlock of " << bad << ": " << hr_name(hr);
  }
  D3DDDIARG_LOCK lock{};
  lock.hResource = surface->handle();
  lock.SubResourceIndex = 1;
  hr = f.pfnLock(device().device(), &lock);
  EXPECT_EQ(hr, E_INVALIDARG) << "subresource 1: " << hr_name(hr);
  EXPECT_EQ(lock.pSurfData, nullptr);
  lock.SubResourceIndex = 0;
  hr = f.pfnLock(kGarbageHandle, &lock);
  EXPECT_EQ(hr, E_INVALIDARG) << "bad device: " << hr_name(hr);
  ASSERT_EQ(f.pfnLock(device().device(), &lock), S_OK);
  D3DDDIARG_UNLOCK unlock{};
  unlock.hResource = surface->handle();
  unlock.SubResourceIndex = 1;
  hr = f.pfnUnlock(device().device(), &unlock);
  EXPECT_EQ(hr, E_INVALIDARG) << "unlock subresource 1: " << hr_name(hr);
  unlock.SubResourceIndex = 0;
  EXPECT_EQ(f.pfnUnlock(device().device(), &unlock), S_OK);
}

// ---- DestroyResource ----

TEST_F(ResourceTest, DestroyedResourceHandleIsDeadEverywhere) {
  HANDLE resource = nullptr;
  ASSERT_EQ(create(device(), D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_SYSTEMMEM, 16, 4, false, &resource),
            S_OK);
  ASSERT_EQ(device().destroy_surface(resource), S_OK);
  HRESULT hr = device().destroy_surface(resource);
  EXPECT_EQ(hr, E_INVALIDARG) << "second destroy: " << hr_name(hr);
  D3DDDIARG_LOCK lock{};
  lock.hResource = resource;
  hr = device().funcs().pfnLock(device().device(), &lock);
  EXPECT_EQ(hr, E_INVALIDARG) << "Lock: " << hr_name(hr);
  KeyedSession session(device(), kTestKey, ExchangeKey::kNo);
  pitch_of(device(), session.handle(), resource, &hr);
  EXPECT_EQ(hr, E_INVALIDARG) << "GetPitch: " << hr_name(hr);
  // A new resource does not answer to the old handle (A29).
  HANDLE next = nullptr;
  ASSERT_EQ(create(device(), D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_SYSTEMMEM, 16, 4, false, &next), S_OK);
  EXPECT_NE(next, resource);
  hr = device().destroy_surface(resource);
  EXPECT_EQ(hr, E_INVALIDARG) << "stale handle: " << hr_name(hr);
  EXPECT_EQ(device().destroy_surface(next), S_OK);
}

TEST_F(ResourceTest, DestroyOfWrongKindOrForeignHandleIsInvalidArgument) {
  std::unique_ptr<OpenedDevice> other = OpenedDevice::another_device(device());
  ASSERT_TRUE(other->ok());
  auto foreign = ScopedSurface::system_memory(*other, 256);
  KeyedSession session(device(), kTestKey, ExchangeKey::kNo);
  for (HANDLE bad : {HANDLE{nullptr}, kGarbageHandle, session.handle(), device().device(),
                     foreign->handle()}) {
    const HRESULT hr = device().destroy_surface(bad);
    EXPECT_EQ(hr, E_INVALIDARG) << "DestroyResource of " << bad << ": " << hr_name(hr);
  }
  // The foreign surface is alive on its own device.
  EXPECT_EQ(other->write_surface(foreign->handle(), Bytes(16, 1)), S_OK);
}

// ---- GetPitch (spec §4.4) ----

TEST_F(ResourceTest, GetPitchErrorsAreInvalidArgumentAndPitchIsUntouched) {
  KeyedSession session(device(), kTestKey, ExchangeKey::kNo);
  auto protected_surface = ScopedSurface::small_protected(device());
  std::unique_ptr<OpenedDevice> other = OpenedDevice::another_device(device());
  ASSERT_TRUE(other->ok());
  auto foreign = ScopedSurface::system_memory(*other, 256);
  HRESULT hr = S_OK;
  for (HANDLE bad : {HANDLE{nullptr}, kGarbageHandle, session.handle(), foreign->handle()}) {
    const UINT pitch = pitch_of(device(), session.handle(), bad, &hr);
    EXPECT_EQ(hr, E_INVALIDARG) << "resource " << bad << ": " << hr_name(hr);
    EXPECT_EQ(pitch, 0xA5A5A5A5u);
  }
  D3DDDIARG_GETPITCH args{session.handle(), protected_surface->handle(), 1, 0xA5A5A5A5u};
  hr = device().funcs().pfnGetPitch(device().device(), &args);
  EXPECT_EQ(hr, E_INVALIDARG) << "subresource 1: " << hr_name(hr);
  EXPECT_EQ(args.Pitch, 0xA5A5A5A5u);
  hr = device().funcs().pfnGetPitch(device().device(), nullptr);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
}

TEST_F(ResourceTest, Nv12PitchCoversTheLumaRowAndLengthHasChromaRows) {
  // A16: L = pitch × (height + height/2) for NV12.
  KeyedSession session(device(), kTestKey);
  ScopedSurface surface(device(), D3DDDIFMT_NV12, 64, 32, D3DDDIPOOL_VIDEOMEMORY, true);
  HRESULT hr = S_OK;
  const UINT pitch = pitch_of(device(), session.handle(), surface.handle(), &hr);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_GE(pitch, 64u);
  EXPECT_EQ(session.surface_bytes(surface), std::size_t{pitch} * 48);
  // A blt over exactly L bytes is accepted and one byte less is not.
  const std::size_t len = std::size_t{pitch} * 48;
  auto source = ScopedSurface::system_memory(device(), static_cast<UINT>(len));
  Iv iv = make_iv(1);
  D3DDDIARG_DECRYPTIONBLT args{};
  args.hCryptoSession = session.handle();
  args.hSrcResource = source->handle();
  args.hDstResource = surface.handle();
  args.SrcResourceSize = static_cast<UINT>(len - 16);
  args.pIV = iv.data();
  hr = device().funcs().pfnDecryptionBlt(device().device(), &args);
  EXPECT_EQ(hr, E_INVALIDARG) << "one block short of L: " << hr_name(hr);
  args.SrcResourceSize = static_cast<UINT>(len);
  hr = device().funcs().pfnDecryptionBlt(device().device(), &args);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
}

// ---- The protected pool and the resource cap ----

TEST(ProtectedPoolTest, ExhaustionIsOutOfHwProtectedMemoryUntilASurfaceIsDestroyed) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.ProtectedMemorySize = 64 * 1024;
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  // X8R8G8B8 64×64: 16 KiB each, so four fill the pool.
  HANDLE surfaces[4];
  for (HANDLE& s : surfaces) {
    ASSERT_EQ(create(device, D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_VIDEOMEMORY, 64, 64, true, &s), S_OK);
  }
  HANDLE refused = nullptr;
  HRESULT hr = create(device, D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_VIDEOMEMORY, 64, 64, true, &refused);
  EXPECT_EQ(hr, D3DDDIERR_OUTOFHWPROTECTEDMEMORY) << hr_name(hr);
  EXPECT_EQ(refused, kSentinelHandle);
  hr = create(device, D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_VIDEOMEMORY, 4, 4, true, &refused);
  EXPECT_EQ(hr, D3DDDIERR_OUTOFHWPROTECTEDMEMORY) << "even a small one: " << hr_name(hr);
  // Unprotected surfaces do not use the pool.
  HANDLE plain = nullptr;
  hr = create(device, D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_VIDEOMEMORY, 256, 256, false, &plain);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
  ASSERT_EQ(device.destroy_surface(surfaces[2]), S_OK);
  hr = create(device, D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_VIDEOMEMORY, 64, 64, true, &surfaces[2]);
  EXPECT_EQ(hr, S_OK) << "after a destroy: " << hr_name(hr);
  for (HANDLE s : surfaces) {
    EXPECT_EQ(device.destroy_surface(s), S_OK);
  }
  if (plain != kSentinelHandle) {
    EXPECT_EQ(device.destroy_surface(plain), S_OK);
  }
}

TEST(ResourceCapTest, PastTheCapCreateIsOutOfMemoryUntilOneIsDestroyed) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.MaxResourcesPerDevice = 3;
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  HANDLE refused = nullptr;
  // Rejected creates do not count.
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(create(device, D3DDDIFMT_UNKNOWN, D3DDDIPOOL_SYSTEMMEM, 4, 4, false, &refused),
              E_INVALIDARG);
  }
  HANDLE surfaces[3];
  for (HANDLE& s : surfaces) {
    ASSERT_EQ(create(device, D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_SYSTEMMEM, 4, 4, false, &s), S_OK);
  }
  HRESULT hr = create(device, D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_SYSTEMMEM, 4, 4, false, &refused);
  EXPECT_EQ(hr, E_OUTOFMEMORY) << hr_name(hr);
  EXPECT_EQ(refused, kSentinelHandle);
  hr = create(device, D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_VIDEOMEMORY, 4, 4, true, &refused);
  EXPECT_EQ(hr, E_OUTOFMEMORY) << "protected too: " << hr_name(hr);
  ASSERT_EQ(device.destroy_surface(surfaces[0]), S_OK);
  hr = create(device, D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_SYSTEMMEM, 4, 4, false, &surfaces[0]);
  EXPECT_EQ(hr, S_OK) << "after a destroy: " << hr_name(hr);
  for (HANDLE s : surfaces) {
    EXPECT_EQ(device.destroy_surface(s), S_OK);
  }
}

}  // namespace
}  // namespace cpddi::testing
