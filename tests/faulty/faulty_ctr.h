#pragma once

// The faults in AES-128-CTR counter arithmetic (spec §7.1, A10: Count wraps modulo 2^64 and
// never carries into IV). Each such faulty driver defines one of the two counter steps of
// src/crypto/aes.h (ctr_advance, ctr_block_at_wrap) itself; that step's object file is then never
// pulled out of libcpddi_crypto.a (a duplicate-symbol error at link time would say so), and the
// rest of the driver's CTR is the real one.

#include <cstddef>
#include <cstdint>

#include "base/big_endian.h"
#include "crypto/aes.h"

namespace faulty {

// The fault both share: `block` + `blocks` as one 128-bit big-endian number, as in plain OpenSSL
// CTR, so a carry out of Count runs into IV.
inline cpddi::crypto::CounterBlock add_carrying_into_iv(cpddi::crypto::CounterBlock block,
                                                        std::uint64_t blocks) {
  for (std::size_t i = block.size(); i-- > 0 && blocks != 0;) {
    const std::uint64_t sum = block[i] + (blocks & 0xFF);
    block[i] = static_cast<std::uint8_t>(sum);
    blocks = (blocks >> 8) + (sum >> 8);
  }
  return block;
}

}  // namespace faulty
