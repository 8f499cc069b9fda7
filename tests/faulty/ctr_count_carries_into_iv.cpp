// Fault: when Count wraps from 2^64 − 1 to 0 inside a buffer, the keystream goes on at IV + 1 || 0
// — the carry runs into the IV field, as in plain OpenSSL CTR.
// Broken rule: decrypt.counter-block (spec §7.1, A10: Count wraps modulo 2^64, IV unchanged).
//
// Every buffer that does not cross the wrap is processed exactly as by the real driver. This
// module's ctr_block_at_wrap replaces src/crypto/ctr_wrap.cpp at link time (faulty_ctr.h); the
// device table is the real one.
#include "faulty_ctr.h"
#include "wrapper_common.h"

namespace cpddi::crypto {
CounterBlock ctr_block_at_wrap(const CounterBlock& first_block) {
  const std::uint64_t count = load_be64(first_block.data() + 8);
  return faulty::add_carrying_into_iv(first_block, 0 - count);  // 2^64 − Count blocks on
}
}  // namespace cpddi::crypto

namespace faulty {
void patch_device_funcs(D3DDDI_DEVICEFUNCS&) {}
}  // namespace faulty
