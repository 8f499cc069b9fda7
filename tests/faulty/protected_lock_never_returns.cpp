// Fault: Lock of a RestrictedContent surface never returns (as a driver waiting for a fence that
// never signals) instead of refusing with D3DDDIERR_INVALIDCALL.
// Broken rule: resource.protected-lock-refused (spec §4.10, A22); proves `cpddi conform`'s hang
// isolation: the case gets the verdict `hung`, its process group is killed at --timeout, and the
// run goes on with the next case.
#include <unistd.h>

#include "wrapper_common.h"

namespace faulty {
namespace {

HRESULT APIENTRY Lock(HANDLE hDevice, D3DDDIARG_LOCK* pData) {
  if (pData != nullptr && protected_surface(hDevice, pData->hResource)) {
    for (;;) {
      ::pause();  // until a signal kills the process
    }
  }
  return real().pfnLock(hDevice, pData);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) { funcs.pfnLock = &Lock; }

}  // namespace faulty
