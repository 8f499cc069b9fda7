// Fault: GetEncryptionBltKey wraps the read-back key under the key the session had at its first
// key exchange, not under the current session key.
// Broken rule: readback.key-wrapped-under-current-session-key (spec §4.7, §7.2, A20, A21).
//
// Until the first refresh or repeated exchange the two keys are the same, so only a read-back
// key fetched after a key change shows the fault. Done without knowing any key: the wrapper
// keeps the session's first key-exchange blob; a GetEncryptionBltKey runs the real call with the
// read-back key forced to a value R (forced_random.h), so the driver uses R; then a scratch
// session on the same device takes the first blob (its key is the first key) and wraps the same
// forced R, and that wrapping is what the caller gets.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "crypto/random.h"
#include "forced_random.h"
#include "wrapper_common.h"

namespace faulty {
namespace {

struct FirstExchange {
  GUID crypto_type{};
  GUID decode_profile{};
  std::vector<std::uint8_t> blob;  // empty until the first successful exchange
};
StateMap<FirstExchange> g_sessions;

HRESULT APIENTRY CreateCryptoSession(HANDLE hDevice, D3DDDIARG_CREATECRYPTOSESSION* pData) {
  const HRESULT hr = real().pfnCreateCryptoSession(hDevice, pData);
  if (hr == S_OK) {
    g_sessions.with([&](auto& map) {
      map[pData->hCryptoSession] = FirstExchange{pData->CryptoType, pData->DecodeProfile, {}};
    });
  }
  return hr;
}

HRESULT APIENTRY KeyExchange(HANDLE hDevice, D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE* pData) {
  const HRESULT hr = real().pfnCryptoSessionKeyExchange(hDevice, pData);
  if (hr == S_OK) {
    const auto* bytes = static_cast<const std::uint8_t*>(pData->pData);
    g_sessions.with([&](auto& map) {
      auto it = map.find(pData->hCryptoSession);
      if (it != map.end() && it->second.blob.empty()) {
        it->second.blob.assign(bytes, bytes + pData->DataSize);
      }
    });
  }
  return hr;
}

// GetEncryptionBltKey of `readback_key` through a scratch session holding the first key.
void wrap_under_first_key(HANDLE hDevice, const FirstExchange& first,
                          const std::array<std::uint8_t, 16>& readback_key, void* out) {
  D3DDDIARG_CREATECRYPTOSESSION create{first.crypto_type, first.decode_profile, nullptr};
  if (real().pfnCreateCryptoSession(hDevice, &create) != S_OK) {
    return;
  }
  std::vector<std::uint8_t> blob = first.blob;
  D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE exchange{create.hCryptoSession,
                                              static_cast<UINT>(blob.size()), blob.data()};
  if (real().pfnCryptoSessionKeyExchange(hDevice, &exchange) == S_OK) {
    std::array<std::uint8_t, 16> wrapped{};
    const D3DDDIARG_GETENCRYPTIONBLTKEY get{create.hCryptoSession, wrapped.data(), 16};
    ForcedRandom forced(readback_key);
    if (real().pfnGetEncryptionBltKey(hDevice, &get) == S_OK) {
      std::copy(wrapped.begin(), wrapped.end(), static_cast<std::uint8_t*>(out));
    }
  }
  const D3DDDIARG_DESTROYCRYPTOSESSION destroy{create.hCryptoSession};
  real().pfnDestroyCryptoSession(hDevice, &destroy);
}

HRESULT APIENTRY GetEncryptionBltKey(HANDLE hDevice, const D3DDDIARG_GETENCRYPTIONBLTKEY* pData) {
  std::array<std::uint8_t, 16> readback_key{};
  if (pData == nullptr || !cpddi::crypto::random_bytes(readback_key)) {
    return real().pfnGetEncryptionBltKey(hDevice, pData);
  }
  HRESULT hr = S_OK;
  {
    ForcedRandom forced(readback_key);
    hr = real().pfnGetEncryptionBltKey(hDevice, pData);
  }
  if (hr != S_OK) {
    return hr;
  }
  const std::optional<FirstExchange> first =
      g_sessions.with([&](auto& map) -> std::optional<FirstExchange> {
        auto it = map.find(pData->hCryptoSession);
        if (it == map.end() || it->second.blob.empty()) {
          return std::nullopt;
        }
        return it->second;
      });
  if (first) {
    wrap_under_first_key(hDevice, *first, readback_key, pData->pReadBackKey);
  }
  return hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnCreateCryptoSession = &CreateCryptoSession;
  funcs.pfnCryptoSessionKeyExchange = &KeyExchange;
  funcs.pfnDestroyCryptoSession = &DestroySessionForgetting<g_sessions>;
  funcs.pfnGetEncryptionBltKey = &GetEncryptionBltKey;
}

}  // namespace faulty
