// Fault: a destroyed crypto-session handle keeps working.
// Broken rule: session.destroyed-handle-rejected (spec §4.3, A29).
//
// DestroyCryptoSession on a live session returns S_OK but does not destroy it: the session, its
// key and its handle live on until the device is destroyed, so every later call with the handle
// succeeds as before (and a second Destroy succeeds too). The handle is remembered as
// "destroyed". Bad handles get the real E_INVALIDARG.
#include "wrapper_common.h"

namespace faulty {
namespace {

StateMap<HANDLE> g_destroyed;  // session → its device, for sessions "destroyed" but kept alive

HRESULT APIENTRY DestroyCryptoSession(HANDLE hDevice, const D3DDDIARG_DESTROYCRYPTOSESSION* pData) {
  if (pData != nullptr && session_live(hDevice, pData->hCryptoSession)) {
    g_destroyed.with([&](auto& map) { map[pData->hCryptoSession] = hDevice; });
    return S_OK;
  }
  return real().pfnDestroyCryptoSession(hDevice, pData);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnDestroyCryptoSession = &DestroyCryptoSession;
}

}  // namespace faulty
