// Fault: GetCaps(GETCONTENTPROTECTIONCAPS) answers caps for AES128_CTR with the H.264 VLD decode
// profile (DXVA2_ModeH264_E) as if the driver had that decoder, while CreateCryptoSession (the
// real one) refuses the pair with D3DDDIERR_UNSUPPORTEDCRYPTO.
// Broken rule: caps.agree-with-create-session (spec §3, §4.1, A34).
//
// Only that well-known profile is answered (with the no-decoder caps, as if DecodeProfile were
// all-zero); an unknown profile GUID still fails as the real driver does, which is all
// caps.unsupported-decode-profile asks.
#include <cstring>

#include "ddi/enum_value.h"
#include "wrapper_common.h"

namespace faulty {
namespace {

constexpr GUID kH264DecodeProfile = {
    0x1b81be68, 0xa0c7, 0x11d3, {0xb9, 0x84, 0x00, 0xc0, 0x4f, 0x2e, 0x73, 0xc5}};

HRESULT APIENTRY GetCaps(HANDLE hAdapter, const D3DDDIARG_GETCAPS* pData) {
  // The Type field is read as an integer: a caller may store any value (ddi/enum_value.h).
  if (pData == nullptr ||
      cpddi::ddi::enum_value(pData->Type) != D3DDDICAPS_GETCONTENTPROTECTIONCAPS ||
      pData->pInfo == nullptr) {
    return real_adapter().pfnGetCaps(hAdapter, pData);
  }
  DDICONTENTPROTECTIONCAPS info = *static_cast<const DDICONTENTPROTECTIONCAPS*>(pData->pInfo);
  if (std::memcmp(&info.DecodeProfile, &kH264DecodeProfile, sizeof(GUID)) != 0) {
    return real_adapter().pfnGetCaps(hAdapter, pData);
  }
  info.DecodeProfile = GUID{};
  D3DDDIARG_GETCAPS without_profile = *pData;
  without_profile.pInfo = &info;
  return real_adapter().pfnGetCaps(hAdapter, &without_profile);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS&) {}
void patch_adapter_funcs(D3DDDI_ADAPTERFUNCS& funcs) { funcs.pfnGetCaps = &GetCaps; }

}  // namespace faulty
