// Fault: content-key IV histories live in one table per device, keyed by the wrapped content
// key, not per session: two sessions that send the same wrapped content key (same session key,
// same content key) share one history, so each refuses IVs only the other used.
// Broken rule: iv.content-key-per-session (spec A11: IV bookkeeping is per session and effective
// key; A12 refuses only an IV already used with the same key in that session).
//
// Within one session it refuses what the real check refuses (content_key_iv_table.h).
#include "content_key_iv_table.h"
#include "wrapper_common.h"

namespace faulty {
namespace {

ContentKeyIvTable g_by_device;

HRESULT APIENTRY Decrypt(HANDLE hDevice, const D3DDDIARG_DECRYPTIONBLT* pData) {
  return decrypt_checking_table(g_by_device, hDevice, hDevice, pData);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) { funcs.pfnDecryptionBlt = &Decrypt; }

}  // namespace faulty
