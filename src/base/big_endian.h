#pragma once

// Big-endian 64-bit loads and stores: the two halves of D3DAES_CTR_IV are stored big-endian
// (spec §7.1), so they are read and written byte by byte, never as native integers.

#include <cstdint>

namespace cpddi {

inline std::uint64_t load_be64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v = (v << 8) | p[i];
  }
  return v;
}

inline void store_be64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    p[i] = static_cast<std::uint8_t>(v);
    v >>= 8;
  }
}

}  // namespace cpddi
