#pragma once

// Host surfaces (include/cpddi/cpddi_embed.h, docs/embedding.md): the translation of a host's
// CPDDI_HOST_SURFACE into the device's SurfaceDesc, its registration and the wait, shared by the
// D3D9 and D3D11.1 embedding entries, which differ only in how they name device and surface.

#include "base/result.h"
#include "cpddi/cpddi_embed.h"
#include "device/resource.h"
#include "runtime/names.h"

namespace cpddi::ddi {

// The SurfaceDesc of a host surface: its bytes used in place with its pitch. Protected means a
// RestrictedContent video-memory surface, unprotected a system-memory one (what blts require of
// their sources and destinations). kInvalidArgument for a wrong StructSize, a null pMemory, an
// unsupported format or size, a pitch below one row or MemorySize below pitch × rows.
Result<device::SurfaceDesc> host_surface_desc(const CPDDI_HOST_SURFACE& surface);

// Registers the host's `surface` on `device` under `key`, the front end's name for it: a null
// `surface` or one host_surface_desc refuses is kInvalidArgument, then what create_resource says.
Result<void> register_host_surface(const runtime::ObjectName& device, runtime::FrontEndKey key,
                                   const CPDDI_HOST_SURFACE* surface);

// The wait of cpddi_wait_host_surface and its D3D11.1 twin: Flags 0 or CPDDI_WAIT_DONOTWAIT
// (any other bit is kInvalidArgument), then Runtime::wait_for_resource.
Result<void> wait_for_host_surface(const runtime::ObjectName& device,
                                   const runtime::ObjectName& surface, UINT flags);

}  // namespace cpddi::ddi
