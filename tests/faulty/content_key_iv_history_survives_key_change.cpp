// Fault: a key exchange or a finished refresh restarts the session key's IV history but not the
// content keys': a wrapped content key keeps its history across the change, although under the
// new session key the same wrapped bytes are another content key (a new effective key).
// Broken rule: iv.content-key-history-restarts (spec A11: IV bookkeeping is per effective key
// and restarts after a key exchange or a finished refresh, content keys included).
//
// Between key changes it refuses what the real check refuses (content_key_iv_table.h); the
// session-key history is the real one.
#include "content_key_iv_table.h"
#include "wrapper_common.h"

namespace faulty {
namespace {

ContentKeyIvTable g_by_session;  // never restarted; forgotten when the session is destroyed

HRESULT APIENTRY Decrypt(HANDLE hDevice, const D3DDDIARG_DECRYPTIONBLT* pData) {
  return decrypt_checking_table(g_by_session, pData == nullptr ? nullptr : pData->hCryptoSession,
                                hDevice, pData);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnDecryptionBlt = &Decrypt;
  funcs.pfnDestroyCryptoSession = &DestroySessionForgetting<g_by_session>;
}

}  // namespace faulty
