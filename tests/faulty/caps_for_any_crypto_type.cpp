// Fault: GetCaps(GETCONTENTPROTECTIONCAPS) answers AES-128-CTR's caps for any CryptoType.
// Broken rule: caps.unsupported-crypto-type (spec §3: a crypto type not supported at all →
// D3DDDIERR_NOTAVAILABLE).
//
// A content-protection caps query names AES128_CTR in place of whatever CryptoType it carries
// (the DecodeProfile is kept, so a profile the driver has no decoder for still fails as the real
// driver does) and goes to the real GetCaps. Certificate queries and every device call are real.
#include "wrapper_common.h"

namespace faulty {
namespace {

HRESULT APIENTRY GetCaps(HANDLE hAdapter, const D3DDDIARG_GETCAPS* pData) {
  return get_caps_rewritten(hAdapter, pData, [](DDICONTENTPROTECTIONCAPS& info) {
    info.CryptoType = D3DCRYPTOTYPE_AES128_CTR;
    return true;
  });
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS&) {}
void patch_adapter_funcs(D3DDDI_ADAPTERFUNCS& funcs) { funcs.pfnGetCaps = &GetCaps; }

}  // namespace faulty
