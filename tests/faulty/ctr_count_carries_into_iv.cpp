// Fault: the AES-128-CTR counter is one 128-bit number, as in plain OpenSSL CTR: when Count wraps
// from 2^64 − 1 to 0 inside a buffer, the carry runs into the IV field.
// Broken rule: decrypt.counter-block (spec §7.1, A10: Count wraps modulo 2^64, IV unchanged).
//
// Every buffer that does not cross the wrap is processed exactly as by the real driver. The CTR
// is faulty_ctr.cpp's; the device table is the real one.
#include "faulty_ctr.h"
#include "wrapper_common.h"

namespace faulty {
const CtrCarry kCtrCarry = CtrCarry::kEverywhere;
void patch_device_funcs(D3DDDI_DEVICEFUNCS&) {}
}  // namespace faulty
