#pragma once

// A seam for the two faults that must choose the driver's refresh number: this module's own
// definition of cpddi::crypto::random_bytes (forced_random.cpp). While a ForcedRandom is alive,
// the next random_bytes call on this thread returns its bytes; every other call is the real
// driver's (OpenSSL RAND_bytes, as in src/crypto/random.cpp).

#include <array>
#include <cstdint>

namespace faulty {

class ForcedRandom {
 public:
  explicit ForcedRandom(const std::array<std::uint8_t, 16>& bytes);
  ~ForcedRandom();
  ForcedRandom(const ForcedRandom&) = delete;
  ForcedRandom& operator=(const ForcedRandom&) = delete;
};

}  // namespace faulty
