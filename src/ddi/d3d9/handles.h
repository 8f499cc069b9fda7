#pragma once

// Handle encoding of the D3D9 front end: a D3D9 HANDLE carries the runtime's handle value itself
// (a generation-tagged 64-bit value, never an address), so the runtime checks every HANDLE a
// caller passes and a stale or forged one names nothing (spec §9 A29).

#include <cstdint>

#include "cpddi/d3dddi_types.h"
#include "runtime/names.h"

namespace cpddi::ddi::d3d9 {

static_assert(sizeof(HANDLE) == sizeof(std::uint64_t), "a HANDLE must hold a runtime handle");

// The runtime name a caller's HANDLE stands for (null and garbage name nothing).
inline runtime::ObjectName named(HANDLE handle) {
  return runtime::Handle{static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(handle))};
}

inline HANDLE to_handle(runtime::Handle handle) {
  return reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(handle.value));
}

}  // namespace cpddi::ddi::d3d9
