// The counter step at the start of a piece of a buffer, alone in its object file: a link-time
// seam. A faulty driver that defines ctr_advance itself (tests/faulty/
// ctr_piece_start_carries_into_iv.cpp) makes the linker leave this object out of
// libcpddi_crypto.a, and replaces exactly this function — no copy of aes.cpp, and no indirect
// call in the real driver (it runs once per stream, never per block).
#include "base/big_endian.h"
#include "crypto/aes.h"

namespace cpddi::crypto {

CounterBlock ctr_advance(const CounterBlock& block, std::uint64_t blocks) {
  CounterBlock advanced = block;
  // Count + blocks wraps modulo 2^64 and never touches IV (spec §9 A10).
  store_be64(advanced.data() + 8, load_be64(block.data() + 8) + blocks);
  return advanced;
}

}  // namespace cpddi::crypto
