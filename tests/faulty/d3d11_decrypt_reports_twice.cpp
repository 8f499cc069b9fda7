// Fault (D3D11.1): a failing DecryptionBlt reports its error twice through pfnSetErrorCb.
// Broken rule: errors.void-entries-report-by-the-rules (spec §8.5, A30: at most one report per
// call; a reported error cannot be taken back, and a second one is a second failure).
#include "d3d11_wrapper.h"

namespace faulty11 {
namespace {

void APIENTRY Decrypt(D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                      D3D10DDI_HRESOURCE hSrcResource, D3D10DDI_HRESOURCE hDstResource,
                      const D3D11_1DDI_ENCRYPTED_BLOCK_INFO* pEncryptedBlockInfo,
                      UINT ContentKeySize, const void* pContentKey, UINT IVSize, const void* pIV) {
  const std::size_t before = reports(hDevice);
  real_video().pfnDecryptionBlt(hDevice, hCryptoSession, hSrcResource, hDstResource,
                                pEncryptedBlockInfo, ContentKeySize, pContentKey, IVSize, pIV);
  if (reports(hDevice) > before) {
    report(hDevice, E_INVALIDARG);
  }
}

}  // namespace

void patch_video_funcs(D3D11_1DDI_VIDEODEVICEFUNCS& funcs) { funcs.pfnDecryptionBlt = &Decrypt; }

}  // namespace faulty11
