#pragma once

// AES-CMAC (OMAC1, NIST SP 800-38B): the MAC of authenticated channels (spec §7.6).

#include <array>
#include <cstdint>
#include <span>

#include "base/result.h"

namespace cpddi::crypto {

using CmacTag = std::array<std::uint8_t, 16>;

// Full 16-byte AES-CMAC tag of `message` under a 16-, 24- or 32-byte AES key.
Result<CmacTag> aes_cmac(std::span<const std::uint8_t> key, std::span<const std::uint8_t> message);

// Constant-time check of a (possibly truncated, 1..16 byte) tag.
Result<bool> aes_cmac_verify(std::span<const std::uint8_t> key,
                             std::span<const std::uint8_t> message,
                             std::span<const std::uint8_t> tag);

}  // namespace cpddi::crypto
