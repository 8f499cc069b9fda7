// Where a keystream restarts when Count wraps inside a buffer, alone in its object file: a
// link-time seam like ctr_advance.cpp (tests/faulty/ctr_count_carries_into_iv.cpp replaces
// it). Called once per wrap crossed, never per block.
#include <algorithm>

#include "crypto/aes.h"

namespace cpddi::crypto {

CounterBlock ctr_block_at_wrap(const CounterBlock& first_block) {
  // IV || 0: Count wrapped to 0, IV unchanged (spec §9 A10).
  CounterBlock wrapped = first_block;
  std::fill(wrapped.begin() + 8, wrapped.end(), std::uint8_t{0});
  return wrapped;
}

}  // namespace cpddi::crypto
