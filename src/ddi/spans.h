#pragma once

// Byte spans over a caller's pointer and size, shared by every front end. A null pointer stays an
// empty span, so the core rejects it as it rejects any missing buffer. Component overview: ddi.h.

#include <cstdint>
#include <span>

#include "cpddi/d3dddi_types.h"

namespace cpddi::ddi {

inline std::span<std::uint8_t> out_bytes(void* p, UINT size) {
  return p == nullptr ? std::span<std::uint8_t>() : std::span(static_cast<std::uint8_t*>(p), size);
}

inline std::span<const std::uint8_t> in_bytes(const void* p, UINT size) {
  return p == nullptr ? std::span<const std::uint8_t>()
                      : std::span(static_cast<const std::uint8_t*>(p), size);
}

// A 16-byte key or counter block the caller passed by pointer (spec §7.1, §7.2).
inline std::span<const std::uint8_t, 16> sixteen_bytes(const void* p) {
  return std::span<const std::uint8_t, 16>(static_cast<const std::uint8_t*>(p), 16);
}

}  // namespace cpddi::ddi
