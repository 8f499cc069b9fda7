// Fault: GetCaps(GETCONTENTPROTECTIONCAPS) answers AES-128-CTR's caps for any CryptoType.
// Broken rule: caps.unsupported-crypto-type (spec §3: a crypto type not supported at all →
// D3DDDIERR_NOTAVAILABLE).
//
// A content-protection caps query names AES128_CTR in place of whatever CryptoType it carries
// (the DecodeProfile is kept, so a profile the driver has no decoder for still fails as the real
// driver does) and goes to the real GetCaps. Certificate queries and every device call are real.
#include "ddi/enum_value.h"
#include "wrapper_common.h"

namespace faulty {
namespace {

HRESULT APIENTRY GetCaps(HANDLE hAdapter, const D3DDDIARG_GETCAPS* pData) {
  // The Type field is read as an integer: a caller may store any value (ddi/enum_value.h).
  if (pData == nullptr ||
      cpddi::ddi::enum_value(pData->Type) != D3DDDICAPS_GETCONTENTPROTECTIONCAPS ||
      pData->pInfo == nullptr) {
    return real_adapter().pfnGetCaps(hAdapter, pData);
  }
  DDICONTENTPROTECTIONCAPS info = *static_cast<const DDICONTENTPROTECTIONCAPS*>(pData->pInfo);
  info.CryptoType = D3DCRYPTOTYPE_AES128_CTR;
  D3DDDIARG_GETCAPS as_aes = *pData;
  as_aes.pInfo = &info;
  return real_adapter().pfnGetCaps(hAdapter, &as_aes);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS&) {}
void patch_adapter_funcs(D3DDDI_ADAPTERFUNCS& funcs) { funcs.pfnGetCaps = &GetCaps; }

}  // namespace faulty
