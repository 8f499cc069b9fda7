#pragma once

// The faults in content-key IV bookkeeping (spec A11, A12): a table of the last IV used with each
// wrapped content key, kept under a wrong scope (a whole device) or for too long (across key
// changes). It can only refuse more than the real per-session check, so it runs before the real
// DecryptionBlt: a refused blt writes nothing and records nothing, as A13 wants.

#include <array>
#include <cstdint>
#include <cstring>
#include <map>

#include "base/big_endian.h"
#include "wrapper_common.h"

namespace faulty {

using WrappedContentKey = std::array<std::uint8_t, 16>;
// scope handle → wrapped content key → the last IV field (big-endian) used with it.
using ContentKeyIvTable = StateMap<std::map<WrappedContentKey, std::uint64_t>>;

// The real DecryptionBlt, but a content-key blt whose IV is not above the one `table` holds for
// (`scope`, its wrapped key) is refused first; a successful one records its IV there. With the
// IV check off (A12) it is the real call alone.
inline HRESULT decrypt_checking_table(ContentKeyIvTable& table, HANDLE scope, HANDLE hDevice,
                                      const D3DDDIARG_DECRYPTIONBLT* pData) {
  if (pData == nullptr || pData->pContentKey == nullptr || pData->pIV == nullptr ||
      !iv_check_on(hDevice)) {
    return real().pfnDecryptionBlt(hDevice, pData);
  }
  WrappedContentKey wrapped{};
  std::memcpy(wrapped.data(), pData->pContentKey, wrapped.size());
  const std::uint64_t iv = cpddi::load_be64(static_cast<const std::uint8_t*>(pData->pIV));
  const bool seen = table.with([&](auto& map) {
    const auto& keys = map[scope];
    const auto it = keys.find(wrapped);
    return it != keys.end() && iv <= it->second;
  });
  if (seen) {
    return E_INVALIDARG;
  }
  const HRESULT hr = real().pfnDecryptionBlt(hDevice, pData);
  if (hr == S_OK) {
    table.with([&](auto& map) { map[scope][wrapped] = iv; });
  }
  return hr;
}

}  // namespace faulty
