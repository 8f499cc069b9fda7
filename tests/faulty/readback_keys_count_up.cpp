// Fault: GetEncryptionBltKey mints read-back keys from a counter (1, 2, 3, … as a 128-bit
// big-endian number, shared by every session of the module), not random bytes.
// Broken rule: readback.key-bits-balanced (spec §4.7, §7.2).
//
// Every key is new and none ever repeats anywhere, and each is wrapped and used correctly; only
// the keys' bits show they are not random. The real call runs with its random key forced to the
// counter (forced_random.h).
#include <atomic>
#include <cstdint>

#include "forced_random.h"
#include "wrapper_common.h"

namespace faulty {
namespace {

std::atomic<std::uint64_t> g_counter{0};

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnGetEncryptionBltKey =
      &CounterInPlaceOfRandom<&D3DDDI_DEVICEFUNCS::pfnGetEncryptionBltKey, g_counter,
                              D3DDDIARG_GETENCRYPTIONBLTKEY>;
}

}  // namespace faulty
