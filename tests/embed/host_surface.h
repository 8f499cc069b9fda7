#pragma once

// A host's surface for the embedding tests: 16×4 X8R8G8B8 bytes of the test's own, named by the
// address of this object in either DDI, as a host driver names its surfaces.

#include <array>
#include <cstdint>

#include "conform/app_side.h"
#include "cpddi/cpddi.h"

namespace cpddi::testing {

inline constexpr UINT kHostWidth = 16;
inline constexpr UINT kHostHeight = 4;
inline constexpr UINT kHostPitch = 64;                           // one row of 16 pixels
inline constexpr std::size_t kHostLen = kHostPitch * kHostHeight;  // L: 256 bytes

struct HostSurface {
  alignas(64) std::array<std::uint8_t, kHostLen> bytes{};

  HANDLE handle() const { return const_cast<HostSurface*>(this); }
  D3D10DDI_HRESOURCE resource() const { return {const_cast<HostSurface*>(this)}; }
  conform::app_side::Bytes contents() const {
    return conform::app_side::Bytes(bytes.begin(), bytes.end());
  }
  CPDDI_HOST_SURFACE desc(bool is_protected) {
    CPDDI_HOST_SURFACE d{};
    d.StructSize = sizeof d;
    d.Format = D3DDDIFMT_X8R8G8B8;
    d.Width = kHostWidth;
    d.Height = kHostHeight;
    d.Pitch = kHostPitch;
    d.pMemory = bytes.data();
    d.MemorySize = bytes.size();
    d.Protected = is_protected ? 1 : 0;
    return d;
  }
};

}  // namespace cpddi::testing
