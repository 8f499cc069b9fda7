#include "caps/content_protection_caps.h"

namespace cpddi::caps {

std::uint32_t effective_caps(const CapsConfig& config) {
  // Spec §3 defaults: never SEQUENTIAL_CTR_IV or ENCRYPTSLICEDATAONLY (no decoder); a
  // RestrictedContent surface can never be locked, hence PROTECTIONALWAYSON (spec §4.10).
  constexpr std::uint32_t kDefaults = kCapSoftware | kCapProtectionAlwaysOn | kSwitchableCaps;
  return kDefaults & ~(config.disabled_caps & kSwitchableCaps);
}

Result<ContentProtectionCaps> content_protection_caps(const CapsConfig& config, CryptoType crypto,
                                                      bool has_decode_profile) {
  if (crypto == CryptoType::kUnsupported) {
    return Error{Errc::kNotAvailable, "unsupported crypto type"};
  }
  if (has_decode_profile) {
    return Error{Errc::kUnsupportedCrypto, "cpddi has no decoder: DecodeProfile must be zero"};
  }
  ContentProtectionCaps caps;
  caps.caps = effective_caps(config);
  caps.protected_memory_size = config.protected_memory_size;
  return caps;
}

}  // namespace cpddi::caps
