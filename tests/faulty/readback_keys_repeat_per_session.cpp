// Fault: GetEncryptionBltKey mints read-back keys from a fixed sequence that restarts in every
// session. Broken rule: readback.random-across-objects (spec §4.7, §7.2).
//
// Within one session every read-back key differs from the previous one (readback.key-new-each-
// call passes), and each is wrapped and used correctly; but the n-th key of any session is the
// n-th key of every other. The real call runs with its random key forced (forced_random.h).
#include <cstdint>

#include "forced_random.h"
#include "wrapper_common.h"

namespace faulty {
namespace {
StateMap<std::uint64_t> g_keys;  // session → read-back keys minted so far
}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnGetEncryptionBltKey =
      &SequenceRestartingPerSession<&D3DDDI_DEVICEFUNCS::pfnGetEncryptionBltKey, g_keys,
                                    D3DDDIARG_GETENCRYPTIONBLTKEY>;
  funcs.pfnDestroyCryptoSession = &DestroySessionForgetting<g_keys>;
}

}  // namespace faulty
