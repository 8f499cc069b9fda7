// Fault: StartSessionKeyRefresh returns a counter (1, 2, 3, … as a 128-bit big-endian number,
// shared by every session of the module), not random bytes.
// Broken rule: refresh.start-bits-balanced (spec §4.8).
//
// Every number is non-zero and none ever repeats, in one session or across sessions, devices and
// adapters — every distinctness check passes; only the numbers' bits show they are not random.
// The real Start runs with its random number forced to the counter (forced_random.h).
#include <atomic>
#include <cstdint>

#include "forced_random.h"
#include "wrapper_common.h"

namespace faulty {
namespace {

std::atomic<std::uint64_t> g_counter{0};

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnStartSessionKeyRefresh =
      &CounterInPlaceOfRandom<&D3DDDI_DEVICEFUNCS::pfnStartSessionKeyRefresh, g_counter,
                              D3DDDIARG_STARTSESSIONKEYREFRESH>;
}

}  // namespace faulty
