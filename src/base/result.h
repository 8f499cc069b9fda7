#pragma once

// The typed error every component returns (CONVENTIONS §4): Errc says what went wrong by
// meaning, and each DDI front end spells it as its own HRESULT. Component overview: base.h.

#include <cstdint>

#include "cpddi/expected.hpp"

namespace cpddi {

// What went wrong, by meaning; each DDI front end maps it to its own HRESULT (ddi/d3d9/hresult_map).
enum class Errc : std::uint8_t {
  kInvalidArgument,  // the caller passed what the spec rejects
  kWrongState,       // right arguments, wrong moment (spec §1.4)
  kNotAvailable,     // switched off on this device; caps say so
  kUnsupportedCrypto,
  kOutOfMemory,
  kOutOfProtectedMemory,
  kStillDrawing,  // Lock with DoNotWait while queued work still uses the surface
  kInternal,  // OpenSSL, the RNG or cpddi itself failed; nothing was changed
};

struct Error {
  Errc code = Errc::kInternal;
  // A string literal: making an error never allocates and never carries secret bytes.
  const char* reason = "";
};

template <class T>
using Result = Expected<T, Error>;

}  // namespace cpddi
