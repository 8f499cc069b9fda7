#pragma once

// The content-protection caps of spec §3 with cpddi's defaults [R], for a (crypto type, decode
// profile) pair the DDI glue has already translated from GUIDs. Component overview: caps.h.

#include <cstdint>

#include "base/result.h"

namespace cpddi::caps {

enum class CryptoType { kNone, kAes128Ctr, kUnsupported };  // kNone = all-zero GUID

// D3DCPCAPS_* values (spec §2.4), repeated here so caps/ needs no DDI header.
inline constexpr std::uint32_t kCapSoftware = 0x1;
inline constexpr std::uint32_t kCapHardware = 0x2;  // never announced: cpddi is software only
inline constexpr std::uint32_t kCapProtectionAlwaysOn = 0x4;
inline constexpr std::uint32_t kCapPartialDecryption = 0x8;
inline constexpr std::uint32_t kCapContentKey = 0x10;
inline constexpr std::uint32_t kCapFreshenSessionKey = 0x20;
inline constexpr std::uint32_t kCapEncryptedReadback = 0x40;
inline constexpr std::uint32_t kCapEncryptedReadbackKey = 0x80;
inline constexpr std::uint32_t kSwitchableCaps = kCapPartialDecryption | kCapContentKey |
                                                 kCapFreshenSessionKey | kCapEncryptedReadback |
                                                 kCapEncryptedReadbackKey;

struct CapsConfig {
  std::uint32_t disabled_caps = 0;  // a subset of kSwitchableCaps
  std::uint64_t protected_memory_size = 256ull << 20;
};

struct ContentProtectionCaps {
  std::uint32_t caps = 0;
  std::uint32_t buffer_alignment_start = 16;
  std::uint32_t block_alignment_size = 16;
  std::uint64_t protected_memory_size = 0;
};

// The caps every session of the adapter runs with.
std::uint32_t effective_caps(const CapsConfig& config);

// Spec §3: kUnsupported → kNotAvailable; a decode profile → kUnsupportedCrypto (no decoder, A34);
// kNone → the union over crypto types (only AES-128-CTR).
Result<ContentProtectionCaps> content_protection_caps(const CapsConfig& config, CryptoType crypto,
                                                      bool has_decode_profile);

}  // namespace cpddi::caps
