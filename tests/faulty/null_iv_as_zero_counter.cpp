// Fault: DecryptionBlt takes pIV == NULL as the all-zero counter block instead of rejecting it.
// Broken rule: decrypt.bad-arguments-first-call (spec §4.5, A14: a zero default reuses keystream).
//
// A null pIV is replaced by a zero IV and the call goes to the real DecryptionBlt, so on a session
// whose IV history is past 0 the real replay check still rejects it (E_INVALIDARG, as the rule
// wants): only a null IV on a session's first blt shows the fault. Every other call is real.
#include "wrapper_common.h"

namespace faulty {
namespace {

HRESULT APIENTRY Decrypt(HANDLE hDevice, const D3DDDIARG_DECRYPTIONBLT* pData) {
  if (pData == nullptr || pData->pIV != nullptr) {
    return real().pfnDecryptionBlt(hDevice, pData);
  }
  D3DAES_CTR_IV zero{};
  D3DDDIARG_DECRYPTIONBLT with_zero_iv = *pData;
  with_zero_iv.pIV = &zero;
  return real().pfnDecryptionBlt(hDevice, &with_zero_iv);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) { funcs.pfnDecryptionBlt = &Decrypt; }

}  // namespace faulty
