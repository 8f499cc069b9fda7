// Fault: every session's first EncryptionBlt IV is the same fixed value (4096), not a random
// 63-bit number. Broken rule: readback.random-across-objects (spec §7.8, A18).
//
// The value has its top bit clear and later IVs rise by one, so readback.iv-unique passes; only
// sessions compared with each other show that their read-back IVs collide. The real EncryptionBlt
// runs with its 8 random bytes forced on a session's first call (forced_random.h).
#include <array>
#include <cstdint>
#include <optional>

#include "forced_random.h"
#include "wrapper_common.h"

namespace faulty {
namespace {

StateMap<bool> g_started;  // session → an EncryptionBlt succeeded

HRESULT APIENTRY EncryptionBlt(HANDLE hDevice, const D3DDDIARG_ENCRYPTIONBLT* pData) {
  return encryption_blt_with_first_iv(g_started, hDevice, pData, [] {
    return std::optional(std::array<std::uint8_t, 8>{0, 0, 0, 0, 0, 0, 0x10, 0});
  });
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnEncryptionBlt = &EncryptionBlt;
  funcs.pfnDestroyCryptoSession = &DestroySessionForgetting<g_started>;
}

}  // namespace faulty
