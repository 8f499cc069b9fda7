#pragma once

// The AES-CTR counter block as the DDI carries it (spec §7.1): 16 bytes in memory order, IV in
// bytes 0–7 and Count in bytes 8–15, both big-endian. Never loaded as native integers. The
// driver's blts and every application-side client encode and decode it here. Overview: wire.h.

#include <cstdint>
#include <span>

#include "crypto/aes.h"

namespace cpddi::wire {

using crypto::CounterBlock;

CounterBlock counter_block_from_bytes(std::span<const std::uint8_t, 16> bytes);
std::uint64_t iv_of(const CounterBlock& block);     // big-endian bytes 0–7
std::uint64_t count_of(const CounterBlock& block);  // big-endian bytes 8–15
CounterBlock make_counter_block(std::uint64_t iv, std::uint64_t count);

}  // namespace cpddi::wire
