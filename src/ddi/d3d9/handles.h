#pragma once

// Handle encoding of the D3D9 front end: a D3D9 HANDLE carries the runtime's handle value itself
// (a generation-tagged 64-bit value, never an address), so the runtime checks every HANDLE a
// caller passes and a stale or forged one names nothing (spec §9 A29).
//
// An embedding host (docs/embedding.md) names the devices it attached and the surfaces it
// registered by HANDLE values of its own. The one lookup rule keeps the two kinds apart: every
// runtime handle has a kind tag in its top byte (registry.h), every host handle must have a zero
// top byte (0 < value < 2^56, which every user-space address on x86-64 and AArch64 is), so a value
// is one or the other by its top byte alone and a host handle can never name a runtime object. Host
// handles are registered as front-end keys with kHostKeyTag in that top byte, which keeps them
// apart from the D3D11.1 front end's keys (addresses of private memory, top byte 0) as well.

#include <cstdint>
#include <optional>

#include "cpddi/d3dddi_types.h"
#include "runtime/names.h"

namespace cpddi::ddi::d3d9 {

static_assert(sizeof(HANDLE) == sizeof(std::uint64_t), "a HANDLE must hold a runtime handle");

inline constexpr std::uint64_t kHostKeyTag = std::uint64_t{0x48} << 56;

inline std::uint64_t handle_value(HANDLE handle) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(handle));
}

// The key a host handle is registered under, or nothing for a value that cannot be a host handle
// (null, or a non-zero top byte — the space of cpddi's own handles).
inline std::optional<runtime::FrontEndKey> host_key(HANDLE handle) {
  const std::uint64_t value = handle_value(handle);
  if (value == 0 || (value >> 56) != 0) {
    return std::nullopt;
  }
  return runtime::FrontEndKey{static_cast<std::uintptr_t>(value | kHostKeyTag)};
}

// The runtime name a caller's HANDLE stands for: a host handle's key, else a runtime handle (null
// and garbage name nothing).
inline runtime::ObjectName named(HANDLE handle) {
  if (std::optional<runtime::FrontEndKey> key = host_key(handle)) {
    return *key;
  }
  return runtime::Handle{handle_value(handle)};
}

inline HANDLE to_handle(runtime::Handle handle) {
  return reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(handle.value));
}

}  // namespace cpddi::ddi::d3d9
