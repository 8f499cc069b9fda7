// CreateResource, DestroyResource, Lock, Unlock, Flush and DestroyDevice (spec §4.10, A22).
#include "ddi/d3d9/d3d9.h"
#include "ddi/d3d9/handles.h"
#include "ddi/enum_value.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d9 {
namespace {

Result<device::SurfaceDesc> translate(const D3DDDIARG_CREATERESOURCE& args) {
  if (args.pSurfList == nullptr || args.SurfCount != 1) {
    return Error{Errc::kInvalidArgument, "cpddi supports exactly one surface (SurfCount 1)"};
  }
  if (args.MipLevels > 1 || enum_value(args.MultisampleType) != D3DDDIMULTISAMPLE_NONE ||
      args.pSurfList[0].Depth > 1) {
    return Error{Errc::kInvalidArgument, "mipmaps, multisampling and volumes are not supported"};
  }
  device::SurfaceDesc desc;
  const std::optional<wire::SurfaceFormat> format =
      wire::surface_format_from_d3dddi(static_cast<std::uint32_t>(enum_value(args.Format)));
  if (!format) {
    return Error{Errc::kInvalidArgument, "unsupported format (A8R8G8B8, X8R8G8B8, NV12)"};
  }
  desc.format = *format;
  switch (enum_value(args.Pool)) {
    case D3DDDIPOOL_SYSTEMMEM: desc.pool = device::Pool::kSystemMemory; break;
    case D3DDDIPOOL_VIDEOMEMORY:
    case D3DDDIPOOL_LOCALVIDMEM:
    case D3DDDIPOOL_NONLOCALVIDMEM: desc.pool = device::Pool::kVideoMemory; break;
    default: return Error{Errc::kInvalidArgument, "unknown pool"};
  }
  desc.width = args.pSurfList[0].Width;
  desc.height = args.pSurfList[0].Height;
  desc.restricted_content = args.Flags.RestrictedContent != 0;
  if (desc.pool == device::Pool::kSystemMemory && args.pSurfList[0].pSysMem != nullptr) {
    // The runtime's system memory is used in place (the runtime keeps it alive).
    desc.caller_memory = static_cast<std::uint8_t*>(const_cast<void*>(args.pSurfList[0].pSysMem));
    desc.caller_pitch = args.pSurfList[0].SysMemPitch;
  }
  return desc;
}

}  // namespace

HRESULT APIENTRY CreateResource(HANDLE hDevice, D3DDDIARG_CREATERESOURCE* pResource) noexcept {
  return run_d3d9_entry("CreateResource", [&]() -> Result<void> {
    if (pResource == nullptr) {
      return Error{Errc::kInvalidArgument, "null D3DDDIARG_CREATERESOURCE"};
    }
    Result<device::SurfaceDesc> desc = translate(*pResource);
    if (!desc) {
      return desc.error();
    }
    Result<runtime::Handle> resource =
        runtime::process_runtime().create_resource(named(hDevice), *desc);
    if (!resource) {
      return resource.error();
    }
    pResource->hResource = to_handle(*resource);
    return {};
  });
}

HRESULT APIENTRY DestroyResource(HANDLE hDevice, HANDLE hResource) noexcept {
  return run_d3d9_entry("DestroyResource", [&] {
    return runtime::process_runtime().destroy_resource(named(hDevice), named(hResource));
  });
}

HRESULT APIENTRY Lock(HANDLE hDevice, D3DDDIARG_LOCK* pData) noexcept {
  return run_d3d9_entry("Lock", [&]() -> Result<void> {
    if (pData == nullptr) {
      return Error{Errc::kInvalidArgument, "null D3DDDIARG_LOCK"};
    }
    runtime::LockRequest lock;
    lock.surface = {named(pData->hResource), pData->SubResourceIndex};
    lock.part_of_surface =
        pData->Flags.AreaValid || pData->Flags.BoxValid || pData->Flags.RangeValid;
    lock.do_not_wait = pData->Flags.DoNotWait != 0;
    Result<runtime::MappedSurface> mapped = runtime::process_runtime().lock(named(hDevice), lock);
    if (!mapped) {
      return mapped.error();
    }
    pData->pSurfData = mapped->data;
    pData->Pitch = mapped->pitch;
    pData->SlicePitch = static_cast<UINT>(mapped->slice_pitch);
    return {};
  });
}

HRESULT APIENTRY Unlock(HANDLE hDevice, const D3DDDIARG_UNLOCK* pData) noexcept {
  return run_d3d9_entry("Unlock", [&]() -> Result<void> {
    if (pData == nullptr) {
      return Error{Errc::kInvalidArgument, "null D3DDDIARG_UNLOCK"};
    }
    return runtime::process_runtime().unlock(named(hDevice),
                                             {named(pData->hResource), pData->SubResourceIndex});
  });
}

HRESULT APIENTRY Flush(HANDLE hDevice) noexcept {
  return run_d3d9_entry("Flush", [&] { return runtime::process_runtime().flush(named(hDevice)); });
}

HRESULT APIENTRY DestroyDevice(HANDLE hDevice) noexcept {
  return run_d3d9_entry("DestroyDevice",
                        [&] { return runtime::process_runtime().destroy_device(named(hDevice)); });
}

}  // namespace cpddi::ddi::d3d9
