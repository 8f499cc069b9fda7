// Fault: DestroyCryptoSession wipes the read-back key of every session of the device, not only
// its own (a "wipe read-back key" loop over the device's sessions): the survivors' EncryptionBlt
// then fails with INVALIDCALL (A19) until they fetch a new key.
// Broken rule: session.others-unaffected (spec §4.3: Destroy wipes the destroyed session's
// state; A8: sessions never share state).
//
// The destroyed session's own key dies with it in the real driver; the others' are marked here
// and their EncryptionBlt answers INVALIDCALL, as with no read-back key, until their next
// successful GetEncryptionBltKey.
#include <vector>

#include "wrapper_common.h"

namespace faulty {
namespace {

StateMap<HANDLE> g_holders;  // session holding a read-back key → its device
StateMap<bool> g_dropped;    // session → its read-back key was wiped by another's Destroy

HRESULT APIENTRY GetKey(HANDLE hDevice, const D3DDDIARG_GETENCRYPTIONBLTKEY* pData) {
  const HRESULT hr = real().pfnGetEncryptionBltKey(hDevice, pData);
  if (hr == S_OK) {
    g_holders.with([&](auto& map) { map[pData->hCryptoSession] = hDevice; });
    g_dropped.with([&](auto& map) { map.erase(pData->hCryptoSession); });
  }
  return hr;
}

HRESULT APIENTRY EncryptionBlt(HANDLE hDevice, const D3DDDIARG_ENCRYPTIONBLT* pData) {
  if (pData != nullptr && g_dropped.with([&](auto& map) { return map[pData->hCryptoSession]; })) {
    return D3DDDIERR_INVALIDCALL;
  }
  return real().pfnEncryptionBlt(hDevice, pData);
}

HRESULT APIENTRY Destroy(HANDLE hDevice, const D3DDDIARG_DESTROYCRYPTOSESSION* pData) {
  const HRESULT hr = real().pfnDestroyCryptoSession(hDevice, pData);
  if (hr != S_OK) {
    return hr;
  }
  g_holders.with([&](auto& map) { map.erase(pData->hCryptoSession); });
  const std::vector<HANDLE> others = sessions_of(g_holders, hDevice, nullptr);
  g_dropped.with([&](auto& map) {
    map.erase(pData->hCryptoSession);
    for (HANDLE other : others) {
      map[other] = true;
    }
  });
  return hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnGetEncryptionBltKey = &GetKey;
  funcs.pfnEncryptionBlt = &EncryptionBlt;
  funcs.pfnDestroyCryptoSession = &Destroy;
}

}  // namespace faulty
