// Fault: a session's first GetEncryptionBltKey — the one that sets up its read-back key — checks
// only that KeySize holds a key (≥ 16) and takes 17 or 32 as 16; later calls, which replace a key,
// check KeySize == 16 as they should.
// Broken rule: readback.bad-arguments-first-call (spec §4.7: KeySize ≠ 16 → E_INVALIDARG).
//
// readback.key-bad-arguments-rejected tries its sizes only after a key was fetched, so it passes
// this driver. Every call that is not a session's first successful one is the real call.
#include "wrapper_common.h"

namespace faulty {
namespace {

StateMap<bool> g_has_key;  // session → a GetEncryptionBltKey has succeeded

HRESULT APIENTRY GetKey(HANDLE hDevice, const D3DDDIARG_GETENCRYPTIONBLTKEY* pData) {
  if (pData == nullptr) {
    return real().pfnGetEncryptionBltKey(hDevice, pData);
  }
  const bool first = !g_has_key.with([&](auto& map) { return map[pData->hCryptoSession]; });
  D3DDDIARG_GETENCRYPTIONBLTKEY args = *pData;
  if (first && args.KeySize > 16) {
    args.KeySize = 16;
  }
  const HRESULT hr = real().pfnGetEncryptionBltKey(hDevice, &args);
  if (hr == S_OK) {
    g_has_key.with([&](auto& map) { map[pData->hCryptoSession] = true; });
  }
  return hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnGetEncryptionBltKey = &GetKey;
  funcs.pfnDestroyCryptoSession = &DestroySessionForgetting<g_has_key>;
}

}  // namespace faulty
