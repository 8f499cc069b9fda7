// Fault: StartSessionKeyRefresh accepts a RandomNumberSize other than 16.
// Broken rule: refresh.start-size (spec §4.8, A2).
//
// For a non-null buffer of the wrong size on a live session it returns S_OK and fills the
// caller's buffer with random bytes, storing nothing (no number becomes pending). Size 16, null
// buffers and bad handles go to the real Start.
#include <vector>

#include "crypto/random.h"
#include "wrapper_common.h"

namespace faulty {
namespace {

HRESULT APIENTRY Start(HANDLE hDevice, const D3DDDIARG_STARTSESSIONKEYREFRESH* pData) {
  if (pData != nullptr && pData->pRandomNumber != nullptr && pData->RandomNumberSize != 16 &&
      session_live(hDevice, pData->hCryptoSession)) {
    std::vector<std::uint8_t> bytes(pData->RandomNumberSize);
    if (!cpddi::crypto::random_bytes(bytes)) {
      return E_FAIL;
    }
    std::copy(bytes.begin(), bytes.end(), static_cast<std::uint8_t*>(pData->pRandomNumber));
    return S_OK;
  }
  return real().pfnStartSessionKeyRefresh(hDevice, pData);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) { funcs.pfnStartSessionKeyRefresh = &Start; }

}  // namespace faulty
