// Fault: GetCaps(GETCONTENTPROTECTIONCAPS) answers caps for AES128_CTR with the H.264 VLD decode
// profile (DXVA2_ModeH264_E) as if the driver had that decoder, while CreateCryptoSession (the
// real one) refuses the pair with D3DDDIERR_UNSUPPORTEDCRYPTO.
// Broken rule: caps.agree-with-create-session (spec §3, §4.1, A34).
//
// Only that well-known profile is answered (with the no-decoder caps, as if DecodeProfile were
// all-zero); an unknown profile GUID still fails as the real driver does, which is all
// caps.unsupported-decode-profile asks.
#include <cstring>

#include "wrapper_common.h"

namespace faulty {
namespace {

constexpr GUID kH264DecodeProfile = {
    0x1b81be68, 0xa0c7, 0x11d3, {0xb9, 0x84, 0x00, 0xc0, 0x4f, 0x2e, 0x73, 0xc5}};

HRESULT APIENTRY GetCaps(HANDLE hAdapter, const D3DDDIARG_GETCAPS* pData) {
  return get_caps_rewritten(hAdapter, pData, [](DDICONTENTPROTECTIONCAPS& info) {
    if (std::memcmp(&info.DecodeProfile, &kH264DecodeProfile, sizeof(GUID)) != 0) {
      return false;
    }
    info.DecodeProfile = GUID{};
    return true;
  });
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS&) {}
void patch_adapter_funcs(D3DDDI_ADAPTERFUNCS& funcs) { funcs.pfnGetCaps = &GetCaps; }

}  // namespace faulty
