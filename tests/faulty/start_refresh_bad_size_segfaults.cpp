// Fault: StartSessionKeyRefresh with a RandomNumberSize other than 16 writes to page zero (the
// process dies of SIGSEGV) instead of returning E_INVALIDARG.
// Broken rule: refresh.start-size (spec §4.8, A2); proves `cpddi conform`'s crash isolation:
// the case gets the verdict `crashed (SIGSEGV)` and the run goes on with the next case.
#include <cstdint>

#include "wrapper_common.h"

namespace faulty {
namespace {

HRESULT APIENTRY StartSessionKeyRefresh(HANDLE hDevice,
                                        const D3DDDIARG_STARTSESSIONKEYREFRESH* pData) {
  if (pData != nullptr && pData->RandomNumberSize != 16) {
    // A store to page zero, through a pointer read from a volatile so that the compiler keeps
    // it: a real SIGSEGV. Not null itself, which UBSan would catch first and exit with status 1.
    static volatile std::uintptr_t page_zero = 8;
    *reinterpret_cast<volatile unsigned char*>(page_zero) = 0;
  }
  return real().pfnStartSessionKeyRefresh(hDevice, pData);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnStartSessionKeyRefresh = &StartSessionKeyRefresh;
}

}  // namespace faulty
