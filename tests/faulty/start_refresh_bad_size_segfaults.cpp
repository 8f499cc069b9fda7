// Fault: StartSessionKeyRefresh with a RandomNumberSize other than 16 writes through a null
// pointer (the process dies of SIGSEGV) instead of returning E_INVALIDARG.
// Broken rule: refresh.start-size (spec §4.8, A2); proves `cpddi conform`'s crash isolation:
// the case gets the verdict `crashed (SIGSEGV)` and the run goes on with the next case.
#include "wrapper_common.h"

namespace faulty {
namespace {

HRESULT APIENTRY StartSessionKeyRefresh(HANDLE hDevice,
                                        const D3DDDIARG_STARTSESSIONKEYREFRESH* pData) {
  if (pData != nullptr && pData->RandomNumberSize != 16) {
    // Volatile, so that the compiler keeps the store (no trap instruction in its place): the
    // crash is a real SIGSEGV.
    volatile unsigned char* volatile nowhere = nullptr;
    *nowhere = 0;
  }
  return real().pfnStartSessionKeyRefresh(hDevice, pData);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnStartSessionKeyRefresh = &StartSessionKeyRefresh;
}

}  // namespace faulty
