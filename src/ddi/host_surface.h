#pragma once

// Host surfaces (include/cpddi/cpddi_embed.h, docs/embedding.md): the translation of a host's
// CPDDI_HOST_SURFACE into the device's SurfaceDesc, and the flags of the wait, shared by the D3D9 and D3D11.1 embedding
// entries, which differ only in how they name the device and the surface.

#include "base/result.h"
#include "cpddi/cpddi_embed.h"
#include "device/resource.h"

namespace cpddi::ddi {

// The SurfaceDesc of a host surface: its bytes used in place with its pitch. Protected means a
// RestrictedContent video-memory surface, unprotected a system-memory one (what blts require of
// their sources and destinations). kInvalidArgument for a wrong StructSize, a null pMemory, an
// unsupported format or size, a pitch below one row or MemorySize below pitch × rows.
Result<device::SurfaceDesc> host_surface_desc(const CPDDI_HOST_SURFACE& surface);

// Whether the Flags of a host-surface wait ask not to wait (CPDDI_WAIT_DONOTWAIT);
// kInvalidArgument for any other bit.
Result<bool> wait_without_blocking(UINT flags);

}  // namespace cpddi::ddi
