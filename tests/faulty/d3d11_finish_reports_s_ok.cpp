// Fault (D3D11.1): FinishSessionKeyRefresh that succeeds also reports S_OK through pfnSetErrorCb.
// Broken rule: errors.void-entries-report-by-the-rules (spec §8.5: calling the callback with S_OK
// is as wrong as an error; not calling it is success).
#include "d3d11_wrapper.h"

namespace faulty11 {
namespace {

void APIENTRY Finish(D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HCRYPTOSESSION hCryptoSession) {
  const std::size_t before = reports(hDevice);
  real_video().pfnFinishSessionKeyRefresh(hDevice, hCryptoSession);
  if (reports(hDevice) == before) {
    report(hDevice, S_OK);
  }
}

}  // namespace

void patch_video_funcs(D3D11_1DDI_VIDEODEVICEFUNCS& funcs) {
  funcs.pfnFinishSessionKeyRefresh = &Finish;
}

}  // namespace faulty11
