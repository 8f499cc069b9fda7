// Fault: the read-back key is held by the device, not the session: a GetEncryptionBltKey through
// any session of a device replaces the key every session of that device reads back under.
// Broken rule: sessions never share state (spec §4.7: each call makes a read-back key for its
// session; A8). Caught by exchange.sessions-hold-own-keys (and iv.per-session,
// refresh.session-independence), whose second session fetches a read-back key before the first
// reads back — so no new case: it is registered against the first of them.
//
// Each session's own GetEncryptionBltKey still returns the key it then uses, wrapped under its
// own session key, so every one-session case passes. Emulated over the real driver: one fresh
// random key is forced (forced_random.h) into the real call and into a real call for every other
// session of the device that holds a read-back key (their wrapped copies are discarded).
#include <array>
#include <cstdint>

#include <openssl/crypto.h>

#include "crypto/random.h"
#include "forced_random.h"
#include "wrapper_common.h"

namespace faulty {
namespace {

StateMap<HANDLE> g_holders;  // session holding a read-back key → its device

HRESULT APIENTRY GetKey(HANDLE hDevice, const D3DDDIARG_GETENCRYPTIONBLTKEY* pData) {
  std::array<std::uint8_t, 16> key{};
  if (pData == nullptr || !cpddi::crypto::random_bytes(key)) {
    return real().pfnGetEncryptionBltKey(hDevice, pData);
  }
  HRESULT hr = S_OK;
  {
    ForcedRandom forced(key);
    hr = real().pfnGetEncryptionBltKey(hDevice, pData);
  }
  if (hr == S_OK) {
    g_holders.with([&](auto& map) { map[pData->hCryptoSession] = hDevice; });
    for (HANDLE other : sessions_of(g_holders, hDevice, pData->hCryptoSession)) {
      std::array<std::uint8_t, 16> discarded{};
      const D3DDDIARG_GETENCRYPTIONBLTKEY args{other, discarded.data(), 16};
      ForcedRandom forced(key);
      (void)real().pfnGetEncryptionBltKey(hDevice, &args);
    }
  }
  OPENSSL_cleanse(key.data(), key.size());
  return hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnGetEncryptionBltKey = &GetKey;
  funcs.pfnDestroyCryptoSession = &DestroySessionForgetting<g_holders>;
}

}  // namespace faulty
