// Fault: StartSessionKeyRefresh hands out a fixed sequence that restarts in every session.
// Broken rule: refresh.start-random-across-objects (spec §4.8, §7.3).
//
// Within one session every number is non-zero and differs from the session's earlier ones (so
// the per-session checks pass), but the n-th Start of any session returns the same number as
// the n-th Start of every other session. The real Start runs with its random number forced to
// that value (forced_random.h), so the driver applies exactly what it handed out.
#include <cstdint>

#include "forced_random.h"
#include "wrapper_common.h"

namespace faulty {
namespace {
StateMap<std::uint64_t> g_starts;  // session → successful Starts so far
}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnStartSessionKeyRefresh =
      &SequenceRestartingPerSession<&D3DDDI_DEVICEFUNCS::pfnStartSessionKeyRefresh, g_starts,
                                    D3DDDIARG_STARTSESSIONKEYREFRESH>;
  funcs.pfnDestroyCryptoSession = &DestroySessionForgetting<g_starts>;
}

}  // namespace faulty
