// Fault: a large buffer is decrypted in pieces (cpddi's stripes of at least 256 KiB, one per
// worker), and a piece that starts past the Count wrap starts at IV + 1 — the carry of
// Count + offset/16 runs into IV — while a single stream wraps right.
// Broken rule: decrypt.counter-block (spec §7.1, A10), its 1 MiB row only.
//
// The CTR is faulty_ctr.cpp's; the device table is the real one. The fault shows only where the
// driver splits a buffer, i.e. on a machine with more than one core (tests/faulty/CMakeLists.txt
// registers it only there).
#include "faulty_ctr.h"
#include "wrapper_common.h"

namespace faulty {
const CtrCarry kCtrCarry = CtrCarry::kPieceStartOnly;
void patch_device_funcs(D3DDDI_DEVICEFUNCS&) {}
}  // namespace faulty
