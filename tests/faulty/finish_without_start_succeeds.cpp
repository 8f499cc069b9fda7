// Fault: FinishSessionKeyRefresh with nothing pending succeeds.
// Broken rule: refresh.finish-without-start (spec §4.9, A3).
//
// On a live session with no number pending it returns S_OK without calling the real Finish, so
// the key is unchanged (the only wrong thing is the success). Everything else — a pending number,
// a bad handle — goes to the real Finish.
#include "wrapper_common.h"

namespace faulty {
namespace {

HRESULT APIENTRY Finish(HANDLE hDevice, const D3DDDIARG_FINISHSESSIONKEYREFRESH* pData) {
  if (pData != nullptr && session_live(hDevice, pData->hCryptoSession) &&
      !refresh_pending(hDevice, pData->hCryptoSession)) {
    return S_OK;
  }
  return real().pfnFinishSessionKeyRefresh(hDevice, pData);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) { funcs.pfnFinishSessionKeyRefresh = &Finish; }

}  // namespace faulty
