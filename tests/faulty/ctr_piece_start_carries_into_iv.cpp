// Fault: a large buffer is decrypted in pieces (cpddi's stripes of at least 256 KiB, one per
// worker), and a piece that starts past the Count wrap starts at IV + 1 — the carry of
// Count + offset/16 runs into IV — while a single stream wraps right.
// Broken rule: decrypt.counter-block (spec §7.1, A10), its 1 MiB row only.
//
// This module's ctr_advance replaces src/crypto/ctr_advance.cpp at link time (faulty_ctr.h); the
// device table is the real one. The fault shows only where the driver splits a buffer, i.e. on a
// machine with more than one core (tests/faulty/CMakeLists.txt registers it only there).
#include "faulty_ctr.h"
#include "wrapper_common.h"

namespace cpddi::crypto {
CounterBlock ctr_advance(const CounterBlock& block, std::uint64_t blocks) {
  return faulty::add_carrying_into_iv(block, blocks);
}
}  // namespace cpddi::crypto

namespace faulty {
void patch_device_funcs(D3DDDI_DEVICEFUNCS&) {}
}  // namespace faulty
