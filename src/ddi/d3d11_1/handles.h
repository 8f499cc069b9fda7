#pragma once

// Handle encoding of the D3D11.1 front end: a driver handle is private memory the runtime
// allocated, so an object is named by that memory's address, registered with the runtime as a
// FrontEndKey when the object is created (runtime/names.h). cpddi never dereferences it: a
// stale, forged or null address simply names nothing (spec A29, A40). Handles cpddi gives out
// itself (hChannel, CryptoSessionGetHandle, the adapter) are runtime handle values, as in D3D9.

#include <cstdint>

#include "cpddi/cpddi.h"
#include "runtime/names.h"

namespace cpddi::ddi::d3d11_1 {

static_assert(sizeof(HANDLE) == sizeof(std::uint64_t), "a HANDLE must hold a runtime handle");

inline runtime::FrontEndKey key_of(const void* private_memory) {
  return runtime::FrontEndKey{reinterpret_cast<std::uintptr_t>(private_memory)};
}

template <class DriverHandle>
runtime::ObjectName named(DriverHandle handle) {
  return key_of(handle.pDrvPrivate);
}

inline runtime::ObjectName named(D3D10DDI_HADAPTER adapter) {
  return runtime::Handle{static_cast<std::uint64_t>(
      reinterpret_cast<std::uintptr_t>(adapter.pDrvPrivate))};
}

inline HANDLE to_handle(runtime::Handle handle) {
  return reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(handle.value));
}

}  // namespace cpddi::ddi::d3d11_1
