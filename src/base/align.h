#pragma once

#include <cstdint>

namespace cpddi {

// Rounds `value` up to a multiple of `alignment` (> 0). Callers keep `value` far below 2^63
// (surface sizes are bounded by 16384² × 4 bytes), so this cannot overflow.
constexpr std::uint64_t align_up(std::uint64_t value, std::uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

}  // namespace cpddi
