#pragma once

// GUID comparisons every front end makes (the DDIs share the 16 bytes of every GUID, spec §2.3).
// Component overview: ddi.h.

#include <cstring>

#include "caps/content_protection_caps.h"
#include "cpddi/d3dddi_cp9.h"

namespace cpddi::ddi {

inline bool guid_equal(const GUID& a, const GUID& b) { return std::memcmp(&a, &b, sizeof a) == 0; }
inline bool guid_is_zero(const GUID& g) { return guid_equal(g, GUID{}); }

inline caps::CryptoType crypto_type_of(const GUID& g) {
  if (guid_is_zero(g)) {
    return caps::CryptoType::kNone;
  }
  return guid_equal(g, D3DCRYPTOTYPE_AES128_CTR) ? caps::CryptoType::kAes128Ctr
                                                 : caps::CryptoType::kUnsupported;
}

}  // namespace cpddi::ddi
