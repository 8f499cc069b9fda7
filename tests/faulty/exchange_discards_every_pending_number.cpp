// Fault: a key exchange discards the pending refresh number of every session of the device, not
// only its own (a "wipe pending" loop over the device's sessions): a Finish on another session
// whose Start came first then fails with INVALIDCALL.
// Broken rule: session.others-unaffected (spec A7 discards the exchanging session's number; A8: a
// session's refresh is its own).
//
// The exchanging session's own number is discarded by the real exchange; the others' are marked
// here and their next Finish answers INVALIDCALL as with nothing pending (the real number stays
// until a new Start replaces it, unseen).
#include "wrapper_common.h"

namespace faulty {
namespace {

StateMap<HANDLE> g_sessions;   // live session → its device
StateMap<bool> g_discarded;    // session → its pending number was discarded by another's exchange

HRESULT APIENTRY Create(HANDLE hDevice, D3DDDIARG_CREATECRYPTOSESSION* pData) {
  const HRESULT hr = real().pfnCreateCryptoSession(hDevice, pData);
  if (hr == S_OK) {
    g_sessions.with([&](auto& map) { map[pData->hCryptoSession] = hDevice; });
  }
  return hr;
}

HRESULT APIENTRY Exchange(HANDLE hDevice, D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE* pData) {
  const HRESULT hr = real().pfnCryptoSessionKeyExchange(hDevice, pData);
  if (hr != S_OK) {
    return hr;
  }
  for (HANDLE other : sessions_of(g_sessions, hDevice, pData->hCryptoSession)) {
    if (refresh_pending(hDevice, other)) {
      g_discarded.with([&](auto& map) { map[other] = true; });
    }
  }
  return hr;
}

HRESULT APIENTRY Start(HANDLE hDevice, const D3DDDIARG_STARTSESSIONKEYREFRESH* pData) {
  const HRESULT hr = real().pfnStartSessionKeyRefresh(hDevice, pData);
  if (hr == S_OK) {
    g_discarded.with([&](auto& map) { map.erase(pData->hCryptoSession); });
  }
  return hr;
}

HRESULT APIENTRY Finish(HANDLE hDevice, const D3DDDIARG_FINISHSESSIONKEYREFRESH* pData) {
  if (pData != nullptr &&
      g_discarded.with([&](auto& map) { return map.erase(pData->hCryptoSession) != 0; })) {
    return D3DDDIERR_INVALIDCALL;
  }
  return real().pfnFinishSessionKeyRefresh(hDevice, pData);
}

HRESULT APIENTRY Destroy(HANDLE hDevice, const D3DDDIARG_DESTROYCRYPTOSESSION* pData) {
  const HRESULT hr = real().pfnDestroyCryptoSession(hDevice, pData);
  if (hr == S_OK) {
    g_sessions.with([&](auto& map) { map.erase(pData->hCryptoSession); });
    g_discarded.with([&](auto& map) { map.erase(pData->hCryptoSession); });
  }
  return hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnCreateCryptoSession = &Create;
  funcs.pfnCryptoSessionKeyExchange = &Exchange;
  funcs.pfnStartSessionKeyRefresh = &Start;
  funcs.pfnFinishSessionKeyRefresh = &Finish;
  funcs.pfnDestroyCryptoSession = &Destroy;
}

}  // namespace faulty
