#pragma once

// The partial-encryption map of D3DDDIENCRYPTED_BLOCK_INFO (spec §7.4, A17), translated by the
// DDI glue into this small type, and the one routine that walks it.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/result.h"
#include "crypto/aes.h"

namespace cpddi::session {

struct BlockPattern {
  std::uint32_t encrypted_at_beginning = 0;  // E0
  std::uint32_t skip = 0;                    // S: clear bytes per period
  std::uint32_t encrypt = 0;                 // E: encrypted bytes per period
};

// True when `pattern` over `len` bytes leaves every byte encrypted, or every byte clear: the only
// maps allowed without D3DCPCAPS_PARTIALDECRYPTION (A17).
bool is_uniform(const BlockPattern& pattern, std::uint64_t len);

// The number of encrypted bytes in [0, position): where the keystream stands at `position`.
// No pattern = all encrypted.
std::uint64_t encrypted_bytes_before(const std::optional<BlockPattern>& pattern,
                                     std::uint64_t position);

// out[begin, end) = in[begin, end) with the encrypted runs XORed by the keystream, which advances
// over encrypted bytes only (contiguous across clear gaps, may continue mid-block) and must stand
// at encrypted_bytes_before(pattern, begin). No pattern = all encrypted. A stripe of a striped
// blt is one [begin, end); the whole buffer is [0, len).
Result<void> apply_block_pattern(const std::optional<BlockPattern>& pattern,
                                 crypto::CtrKeystream& keystream, const std::uint8_t* in,
                                 std::uint8_t* out, std::size_t begin, std::size_t end);

}  // namespace cpddi::session
