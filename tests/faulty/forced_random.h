#pragma once

// A seam for the faults that must choose the driver's random bytes (refresh numbers, read-back
// keys, the first read-back IV): this module's own definition of cpddi::crypto::random_bytes
// (forced_random.cpp). While a ForcedRandom is alive, the next random_bytes call on this thread of
// the forced size returns its bytes; every other call is the real driver's (OpenSSL RAND_bytes,
// as in src/crypto/random.cpp).

#include <array>
#include <cstdint>
#include <functional>
#include <optional>

#include "wrapper_common.h"

namespace faulty {

class ForcedRandom {
 public:
  // 16 bytes (a refresh number, a read-back key) or 8 (the first read-back IV): the next
  // request of exactly that size gets them.
  explicit ForcedRandom(const std::array<std::uint8_t, 16>& bytes);
  explicit ForcedRandom(const std::array<std::uint8_t, 8>& bytes);
  ~ForcedRandom();
  ForcedRandom(const ForcedRandom&) = delete;
  ForcedRandom& operator=(const ForcedRandom&) = delete;
};

// The n-th value of a fixed, non-zero, never-repeating sequence: what a generator that restarts
// per object hands out at its n-th draw.
std::array<std::uint8_t, 16> fixed_sequence(std::uint64_t n);
// A device entry point for a fault whose random draw restarts in every session: the real slot
// `kSlot` (a D3DDDI_DEVICEFUNCS member) runs with its 16 random bytes forced to the n-th value of
// fixed_sequence, n counting the session's successful calls so far in `kCalls` (a
// StateMap<std::uint64_t>, which the faulty driver also hands to DestroySessionForgetting).
// Null pData goes to the real call untouched, for its own error.
template <auto kSlot, auto& kCalls, class Arg>
HRESULT APIENTRY SequenceRestartingPerSession(HANDLE hDevice, const Arg* pData) {
  if (pData == nullptr) {
    return (real().*kSlot)(hDevice, pData);
  }
  const std::uint64_t n = kCalls.with([&](auto& map) { return map[pData->hCryptoSession]; });
  HRESULT hr = S_OK;
  {
    ForcedRandom forced(fixed_sequence(n));
    hr = (real().*kSlot)(hDevice, pData);
  }
  if (hr == S_OK) {
    kCalls.with([&](auto& map) { ++map[pData->hCryptoSession]; });
  }
  return hr;
}

// `value` as a 128-bit big-endian number: what a counter in place of a generator hands out.
std::array<std::uint8_t, 16> counter_bytes(std::uint64_t value);

// A device entry point for a fault whose random draw is a counter shared by every session of the
// module: the real slot `kSlot` runs with its 16 random bytes forced to counter_bytes(n), n
// counting this entry's calls so far (`kCounter`, a std::atomic<std::uint64_t>) from 1. Every
// value is new and non-zero; only its bits show it is not random.
template <auto kSlot, auto& kCounter, class Arg>
HRESULT APIENTRY CounterInPlaceOfRandom(HANDLE hDevice, const Arg* pData) {
  ForcedRandom forced(counter_bytes(++kCounter));
  return (real().*kSlot)(hDevice, pData);
}

// The real EncryptionBlt, except that a session's first one (until a call succeeds; `started`
// remembers the sessions past it and goes to DestroySessionForgetting too) draws the 8 bytes
// `first_iv()` chooses as its random first IV — or real random bytes if it chooses none.
HRESULT encryption_blt_with_first_iv(
    StateMap<bool>& started, HANDLE hDevice, const D3DDDIARG_ENCRYPTIONBLT* pData,
    const std::function<std::optional<std::array<std::uint8_t, 8>>()>& first_iv);

}  // namespace faulty
