#include "ddi/host_surface.h"

#include <optional>

#include "ddi/enum_value.h"
#include "runtime/runtime.h"
#include "wire/surface_layout.h"

namespace cpddi::ddi {

Result<device::SurfaceDesc> host_surface_desc(const CPDDI_HOST_SURFACE& surface) {
  if (surface.StructSize != sizeof(CPDDI_HOST_SURFACE)) {
    return Error{Errc::kInvalidArgument, "CPDDI_HOST_SURFACE.StructSize is wrong"};
  }
  if (surface.pMemory == nullptr) {
    return Error{Errc::kInvalidArgument, "null pMemory"};
  }
  const std::optional<wire::SurfaceFormat> format =
      wire::surface_format_from_d3dddi(static_cast<std::uint32_t>(enum_value(surface.Format)));
  if (!format) {
    return Error{Errc::kInvalidArgument, "unsupported format (A8R8G8B8, X8R8G8B8, NV12)"};
  }
  device::SurfaceDesc desc;
  desc.format = *format;
  desc.width = surface.Width;
  desc.height = surface.Height;
  desc.restricted_content = surface.Protected != 0;
  // An unprotected host surface plays the part of a system-memory surface (a DecryptionBlt source,
  // an EncryptionBlt destination), a protected one that of a RestrictedContent video surface.
  desc.pool = desc.restricted_content ? device::Pool::kVideoMemory : device::Pool::kSystemMemory;
  desc.caller_memory = static_cast<std::uint8_t*>(surface.pMemory);
  desc.caller_pitch = surface.Pitch;
  desc.host_memory = true;
  // The layout is checked here too, so that MemorySize is compared with the bytes blts will touch.
  Result<device::SurfaceLayout> layout = device::layout_for(desc);
  if (!layout) {
    return layout.error();
  }
  if (surface.MemorySize < layout->linear_size()) {
    return Error{Errc::kInvalidArgument, "MemorySize is below Pitch × rows"};
  }
  return desc;
}

Result<void> register_host_surface(const runtime::ObjectName& device, runtime::FrontEndKey key,
                                   const CPDDI_HOST_SURFACE* surface) {
  if (surface == nullptr) {
    return Error{Errc::kInvalidArgument, "null CPDDI_HOST_SURFACE"};
  }
  Result<device::SurfaceDesc> desc = host_surface_desc(*surface);
  if (!desc) {
    return desc.error();
  }
  Result<runtime::Handle> resource = runtime::process_runtime().create_resource(device, *desc, key);
  if (!resource) {
    return resource.error();
  }
  return {};
}

Result<void> wait_for_host_surface(const runtime::ObjectName& device,
                                   const runtime::ObjectName& surface, UINT flags) {
  if ((flags & ~UINT{CPDDI_WAIT_DONOTWAIT}) != 0) {
    return Error{Errc::kInvalidArgument, "unknown Flags bit (only CPDDI_WAIT_DONOTWAIT)"};
  }
  return runtime::process_runtime().wait_for_resource(device, {surface, 0}, flags != 0);
}

}  // namespace cpddi::ddi
