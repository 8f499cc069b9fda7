// cpddi's chosen limits on surfaces, with the exact numbers its options give: a 64 KiB protected
// pool holds exactly four 16 KiB surfaces (spec §4.10, ProtectedMemorySize), and the resource
// cap (MaxResourcesPerDevice). The surface rules every driver follows, pool exhaustion included,
// are conform cases resource.* and device.destroy-releases-protected-memory.
#include <gtest/gtest.h>

#include "conform/surface_args.h"
#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

const HANDLE kSentinelHandle = reinterpret_cast<HANDLE>(0x5A5A5A5A);

// CreateResource with one surface; returns the HRESULT, the handle through `out`.
HRESULT create(const OpenedDevice& device, D3DDDIFORMAT format, D3DDDI_POOL pool, UINT width,
               UINT height, bool restricted, HANDLE* out) {
  conform::SurfaceArgs create(format, width, height, pool, restricted);
  create.args.hResource = kSentinelHandle;
  const HRESULT hr = device.funcs().pfnCreateResource(device.device(), &create.args);
  *out = create.args.hResource;
  return hr;
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
