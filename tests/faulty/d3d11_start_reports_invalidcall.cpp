// Fault (D3D11.1): StartSessionKeyRefresh reports its failures as D3DDDIERR_INVALIDCALL, the
// D3D9 spelling. Broken rule: errors.void-entries-report-by-the-rules (spec §8.5, A30, A41: a
// void entry reports E_INVALIDARG for misuse; a code outside its category is critical to a
// runtime, which removes the device).
#include "d3d11_wrapper.h"

namespace faulty11 {
namespace {

HRESULT as_invalid_call(HRESULT hr) { return hr == E_INVALIDARG ? D3DDDIERR_INVALIDCALL : hr; }

void APIENTRY Start(D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                    UINT RandomNumberSize, void* pRandomNumber) {
  const ReportRewrite rewrite(&as_invalid_call);
  real_video().pfnStartSessionKeyRefresh(hDevice, hCryptoSession, RandomNumberSize, pRandomNumber);
}

}  // namespace

void patch_video_funcs(D3D11_1DDI_VIDEODEVICEFUNCS& funcs) {
  funcs.pfnStartSessionKeyRefresh = &Start;
}

}  // namespace faulty11
