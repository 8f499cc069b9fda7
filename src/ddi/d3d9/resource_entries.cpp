// CreateResource, DestroyResource, Lock, Unlock, Flush and DestroyDevice (spec §4.10, A22).
#include "ddi/d3d9/entry.h"
#include "ddi/d3d9/objects.h"
#include "ddi/enum_value.h"

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
  switch (enum_value(args.Format)) {
    case D3DDDIFMT_A8R8G8B8: desc.format = device::SurfaceFormat::kA8R8G8B8; break;
    case D3DDDIFMT_X8R8G8B8: desc.format = device::SurfaceFormat::kX8R8G8B8; break;
    case D3DDDIFMT_NV12: desc.format = device::SurfaceFormat::kNv12; break;
    default: return Error{Errc::kInvalidArgument, "unsupported format (A8R8G8B8, X8R8G8B8, NV12)"};
  }
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
    Result<LockedDevice> device = LockedDevice::acquire(hDevice);
    if (!device) {
      return device.error();
    }
    if (pResource == nullptr) {
      return Error{Errc::kInvalidArgument, "null D3DDDIARG_CREATERESOURCE"};
    }
    Result<device::SurfaceDesc> desc = translate(*pResource);
    if (!desc) {
      return desc.error();
    }
    Result<std::shared_ptr<device::Resource>> resource = device->device().create_resource(*desc);
    if (!resource) {
      return resource.error();
    }
    device->object().resources.reserve(device->object().resources.size() + 1);
    HANDLE handle = resources().insert(
        std::make_shared<ResourceObject>(ResourceObject{device->handle(), std::move(*resource)}));
    device->object().resources.push_back(handle);
    pResource->hResource = handle;
    return {};
  });
}

HRESULT APIENTRY DestroyResource(HANDLE hDevice, HANDLE hResource) noexcept {
  return run_d3d9_entry("DestroyResource", [&]() -> Result<void> {
    Result<LockedDevice> device = LockedDevice::acquire(hDevice);
    if (!device) {
      return device.error();
    }
    Result<std::shared_ptr<device::Resource>> resource = device->resource(hResource);
    if (!resource) {
      return resource.error();
    }
    // The queued blts that use the surface run first: its memory may be the caller's (pSysMem),
    // which the caller may free once this returns. An execution error stays for the next Flush.
    device->device().queue().wait((*resource)->last_use());
    resources().remove(hResource);
    forget(device->object().resources, hResource);
    device->device().resource_destroyed();
    return {};
  });
}

HRESULT APIENTRY Lock(HANDLE hDevice, D3DDDIARG_LOCK* pData) noexcept {
  return run_d3d9_entry("Lock", [&]() -> Result<void> {
    Result<LockedDevice> device = LockedDevice::acquire(hDevice);
    if (!device) {
      return device.error();
    }
    if (pData == nullptr) {
      return Error{Errc::kInvalidArgument, "null D3DDDIARG_LOCK"};
    }
    Result<std::shared_ptr<device::Resource>> resource = device->resource(pData->hResource);
    if (!resource) {
      return resource.error();
    }
    if (pData->SubResourceIndex != 0) {
      return Error{Errc::kInvalidArgument, "cpddi surfaces have only subresource 0"};
    }
    if (pData->Flags.AreaValid || pData->Flags.BoxValid || pData->Flags.RangeValid) {
      return Error{Errc::kInvalidArgument, "partial locks are not supported: lock the whole surface"};
    }
    if ((*resource)->is_protected() || (*resource)->locked()) {
      return (*resource)->lock().error();  // refused without waiting (A22, double Lock)
    }
    // Queued blts that use this surface must have run before the CPU sees it.
    if (pData->Flags.DoNotWait && device->device().busy(**resource)) {
      return Error{Errc::kStillDrawing, "DoNotWait: queued blts still use the surface"};
    }
    if (Result<void> r = device->device().wait_for(**resource); !r) {
      return r;  // a queued blt failed: reported here, nothing mapped
    }
    Result<std::uint8_t*> mapped = (*resource)->lock();
    if (!mapped) {
      return mapped.error();
    }
    pData->pSurfData = *mapped;
    pData->Pitch = (*resource)->layout().pitch;
    pData->SlicePitch = static_cast<UINT>((*resource)->layout().linear_size());
    return {};
  });
}

HRESULT APIENTRY Unlock(HANDLE hDevice, const D3DDDIARG_UNLOCK* pData) noexcept {
  return run_d3d9_entry("Unlock", [&]() -> Result<void> {
    Result<LockedDevice> device = LockedDevice::acquire(hDevice);
    if (!device) {
      return device.error();
    }
    if (pData == nullptr) {
      return Error{Errc::kInvalidArgument, "null D3DDDIARG_UNLOCK"};
    }
    Result<std::shared_ptr<device::Resource>> resource = device->resource(pData->hResource);
    if (!resource) {
      return resource.error();
    }
    if (pData->SubResourceIndex != 0) {
      return Error{Errc::kInvalidArgument, "cpddi surfaces have only subresource 0"};
    }
    return (*resource)->unlock();
  });
}

HRESULT APIENTRY Flush(HANDLE hDevice) noexcept {
  return run_d3d9_entry("Flush", [&]() -> Result<void> {
    Result<LockedDevice> device = LockedDevice::acquire(hDevice);
    if (!device) {
      return device.error();
    }
    return device->device().queue().flush();
  });
}

HRESULT APIENTRY DestroyDevice(HANDLE hDevice) noexcept {
  return run_d3d9_entry("DestroyDevice", [&]() -> Result<void> {
    Result<LockedDevice> device = LockedDevice::acquire(hDevice);
    if (!device) {
      return device.error();
    }
    // Finish queued work, then kill every handle the device hosts: sessions are wiped as their
    // objects die, protected surfaces as their memory is freed.
    Result<void> flushed = device->device().queue().flush();
    for (HANDLE session : device->object().sessions) {
      sessions().remove(session);
    }
    for (HANDLE resource : device->object().resources) {
      resources().remove(resource);
    }
    device->object().sessions.clear();
    device->object().resources.clear();
    device->object().destroyed = true;
    devices().remove(hDevice);
    if (!flushed) {
      logging::warn("DestroyDevice: queued work failed before destruction: ",
                    flushed.error().reason);
    }
    return {};
  });
}

}  // namespace cpddi::ddi::d3d9
