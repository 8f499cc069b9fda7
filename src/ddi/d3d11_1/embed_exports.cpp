// Embedding through the D3D11.1 front end (include/cpddi/cpddi_embed.h, docs/embedding.md): the
// fill of a host-owned video table's content-protection slots (spec A38), a host device attached
// through the front end's one device registration (devices.h), and host surfaces named by the
// host's private memory like every D3D11.1 object (handles.h). Exported with C linkage like
// exports.cpp; each function checks, translates and makes one call.
#include "cpddi/cpddi.h"
#include "ddi/d3d11_1/d3d11_1.h"
#include "ddi/d3d11_1/handles.h"
#include "ddi/enum_value.h"
#include "ddi/host_surface.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d11_1 {
namespace {

// A host's private-memory address names its object; one with a non-zero top byte could be taken
// for a runtime handle or a D3D9 host handle's key, so it is refused (spec A29; handles.h of both
// front ends).
Result<runtime::FrontEndKey> host_key(const void* private_memory, const char* refusal) {
  const auto value = reinterpret_cast<std::uintptr_t>(private_memory);
  if (value == 0 || (std::uint64_t{value} >> 56) != 0) {
    return Error{Errc::kInvalidArgument, refusal};
  }
  return key_of(private_memory);
}

template <class VideoFuncs>
HRESULT fill(const char* entry, VideoFuncs* funcs) {
  return run_d3d11_entry(entry, [&]() -> Result<void> {
    if (funcs == nullptr) {
      return Error{Errc::kInvalidArgument, "null video function table"};
    }
    fill_content_protection_slots(*funcs);
    return {};
  });
}

}  // namespace
}  // namespace cpddi::ddi::d3d11_1

using cpddi::Error;
using cpddi::Errc;
using cpddi::Result;
using cpddi::ddi::d3d11_1::host_key;
using cpddi::ddi::d3d11_1::named;
using cpddi::ddi::d3d11_1::run_d3d11_entry;

extern "C" CPDDI_EXPORT HRESULT cpddi_fill_d3d11_1_video_funcs(
    D3D11_1DDI_VIDEODEVICEFUNCS* pFuncs) {
  return cpddi::ddi::d3d11_1::fill("cpddi_fill_d3d11_1_video_funcs", pFuncs);
}

extern "C" CPDDI_EXPORT HRESULT cpddi_fill_wddm2_0_video_funcs(
    D3DWDDM2_0DDI_VIDEODEVICEFUNCS* pFuncs) {
  return cpddi::ddi::d3d11_1::fill("cpddi_fill_wddm2_0_video_funcs", pFuncs);
}

extern "C" CPDDI_EXPORT HRESULT cpddi_d3d11_1_attach_host_device(
    D3D10DDI_HADAPTER hAdapter, D3D10DDI_HDEVICE hDevice, D3D10DDI_HRTCORELAYER hRTCoreLayer,
    const D3D10DDI_CORELAYER_DEVICECALLBACKS* pCallbacks, CPDDI_D3D11_1_ERROR_MODE ErrorMode) {
  return run_d3d11_entry("cpddi_d3d11_1_attach_host_device", [&]() -> Result<void> {
    if (pCallbacks == nullptr) {
      return Error{Errc::kInvalidArgument, "null pCallbacks"};
    }
    if (Result<cpddi::runtime::FrontEndKey> key =
            host_key(hDevice.pDrvPrivate, "hDevice must be non-null and below 2^56");
        !key) {
      return key.error();
    }
    return cpddi::ddi::d3d11_1::register_device(
        named(hAdapter), hDevice,
        {pCallbacks->pfnSetErrorCb, hRTCoreLayer, cpddi::ddi::enum_value(ErrorMode)});
  });
}

extern "C" CPDDI_EXPORT HRESULT cpddi_d3d11_1_detach_host_device(D3D10DDI_HDEVICE hDevice) {
  return run_d3d11_entry("cpddi_d3d11_1_detach_host_device",
                         [&] { return cpddi::ddi::d3d11_1::unregister_device(hDevice); });
}

extern "C" CPDDI_EXPORT HRESULT cpddi_d3d11_1_register_host_surface(
    D3D10DDI_HDEVICE hDevice, D3D10DDI_HRESOURCE hResource, const CPDDI_HOST_SURFACE* pSurface) {
  return run_d3d11_entry("cpddi_d3d11_1_register_host_surface", [&]() -> Result<void> {
    Result<cpddi::runtime::FrontEndKey> key =
        host_key(hResource.pDrvPrivate, "hResource must be non-null and below 2^56");
    if (!key) {
      return key.error();
    }
    return cpddi::ddi::register_host_surface(named(hDevice), *key, pSurface);
  });
}

extern "C" CPDDI_EXPORT HRESULT cpddi_d3d11_1_unregister_host_surface(
    D3D10DDI_HDEVICE hDevice, D3D10DDI_HRESOURCE hResource) {
  return run_d3d11_entry("cpddi_d3d11_1_unregister_host_surface", [&] {
    return cpddi::runtime::process_runtime().destroy_resource(named(hDevice), named(hResource));
  });
}

extern "C" CPDDI_EXPORT HRESULT cpddi_d3d11_1_wait_host_surface(D3D10DDI_HDEVICE hDevice,
                                                                D3D10DDI_HRESOURCE hResource,
                                                                UINT Flags) {
  return run_d3d11_entry("cpddi_d3d11_1_wait_host_surface", [&] {
    return cpddi::ddi::wait_for_host_surface(named(hDevice), named(hResource), Flags);
  });
}

extern "C" CPDDI_EXPORT HRESULT cpddi_d3d11_1_map_host_surface(
    D3D10DDI_HDEVICE hDevice, D3D10DDI_HRESOURCE hResource, UINT Flags,
    D3D10DDI_MAPPED_SUBRESOURCE* pMapped) {
  return cpddi::ddi::d3d11_1::ResourceMap(hDevice, hResource, 0, Flags, pMapped);
}

extern "C" CPDDI_EXPORT HRESULT cpddi_d3d11_1_unmap_host_surface(D3D10DDI_HDEVICE hDevice,
                                                                 D3D10DDI_HRESOURCE hResource) {
  return cpddi::ddi::d3d11_1::ResourceUnmap(hDevice, hResource, 0);
}
