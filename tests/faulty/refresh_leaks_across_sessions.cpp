// Fault: a pending refresh leaks into another session of the same device.
// Broken rule: refresh.session-independence (spec §4.8–§4.9, §1.2).
//
// The driver remembers the session of the last successful Start per device. A Finish on a
// session B with nothing pending, while that last-Start session A (≠ B) still has a number
// pending, is redirected to A: it returns S_OK and A's key changes. Every other Finish is real.
#include "wrapper_common.h"

namespace faulty {
namespace {

StateMap<HANDLE> g_last_start;  // device → session of its last successful Start

HRESULT APIENTRY Start(HANDLE hDevice, const D3DDDIARG_STARTSESSIONKEYREFRESH* pData) {
  const HRESULT hr = real().pfnStartSessionKeyRefresh(hDevice, pData);
  if (hr == S_OK) {
    g_last_start.with([&](auto& map) { map[hDevice] = pData->hCryptoSession; });
  }
  return hr;
}

HRESULT APIENTRY Finish(HANDLE hDevice, const D3DDDIARG_FINISHSESSIONKEYREFRESH* pData) {
  if (pData != nullptr && session_live(hDevice, pData->hCryptoSession) &&
      !refresh_pending(hDevice, pData->hCryptoSession)) {
    const HANDLE other = g_last_start.with([&](auto& map) -> HANDLE {
      auto it = map.find(hDevice);
      return it != map.end() ? it->second : nullptr;
    });
    if (other != nullptr && other != pData->hCryptoSession && refresh_pending(hDevice, other)) {
      const D3DDDIARG_FINISHSESSIONKEYREFRESH redirected{other};
      return real().pfnFinishSessionKeyRefresh(hDevice, &redirected);
    }
  }
  return real().pfnFinishSessionKeyRefresh(hDevice, pData);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnStartSessionKeyRefresh = &Start;
  funcs.pfnFinishSessionKeyRefresh = &Finish;
}

}  // namespace faulty
