// effective_caps and content_protection_caps (src/caps/content_protection_caps.h, spec §3,
// §9 A34): cpddi's default cap set, the switchable bits, and the error codes per crypto type
// and decode profile.
#include "caps/content_protection_caps.h"

#include <cstdint>

#include <gtest/gtest.h>

#include "cpddi/d3dddi_cp9.h"

namespace cpddi::caps {
namespace {

// caps/ repeats the D3DCPCAPS_* values so it needs no DDI header; they must stay equal.
static_assert(kCapSoftware == D3DCPCAPS_SOFTWARE);
static_assert(kCapProtectionAlwaysOn == D3DCPCAPS_PROTECTIONALWAYSON);
static_assert(kCapPartialDecryption == D3DCPCAPS_PARTIALDECRYPTION);
static_assert(kCapContentKey == D3DCPCAPS_CONTENTKEY);
static_assert(kCapFreshenSessionKey == D3DCPCAPS_FRESHENSESSIONKEY);
static_assert(kCapEncryptedReadback == D3DCPCAPS_ENCRYPTEDREADBACK);
static_assert(kCapEncryptedReadbackKey == D3DCPCAPS_ENCRYPTEDREADBACKKEY);

constexpr std::uint32_t kDefaultCaps = 0xFD;

TEST(EffectiveCapsTest, DefaultsAreTheSpecSet) {
  EXPECT_EQ(effective_caps(CapsConfig{}), kDefaultCaps);
  EXPECT_EQ(kDefaultCaps, std::uint32_t{D3DCPCAPS_SOFTWARE | D3DCPCAPS_PROTECTIONALWAYSON |
                                        D3DCPCAPS_PARTIALDECRYPTION | D3DCPCAPS_CONTENTKEY |
                                        D3DCPCAPS_FRESHENSESSIONKEY | D3DCPCAPS_ENCRYPTEDREADBACK |
                                        D3DCPCAPS_ENCRYPTEDREADBACKKEY});
}

TEST(EffectiveCapsTest, NeverHardwareSequentialIvOrSliceDataOnly) {
  const std::uint32_t caps = effective_caps(CapsConfig{});
  EXPECT_EQ(caps & D3DCPCAPS_HARDWARE, 0u);
  EXPECT_EQ(caps & D3DCPCAPS_SEQUENTIAL_CTR_IV, 0u);
  EXPECT_EQ(caps & D3DCPCAPS_ENCRYPTSLICEDATAONLY, 0u);
}

TEST(EffectiveCapsTest, EachSwitchableBitDisablesAlone) {
  for (std::uint32_t bit : {kCapPartialDecryption, kCapContentKey, kCapFreshenSessionKey,
                            kCapEncryptedReadback, kCapEncryptedReadbackKey}) {
    CapsConfig config;
    config.disabled_caps = bit;
    EXPECT_EQ(effective_caps(config), kDefaultCaps & ~bit) << std::hex << bit;
  }
}

TEST(EffectiveCapsTest, DisablingAllSwitchableBitsLeavesSoftwareAndAlwaysOn) {
  CapsConfig config;
  config.disabled_caps = kSwitchableCaps;
  EXPECT_EQ(effective_caps(config), kCapSoftware | kCapProtectionAlwaysOn);
  EXPECT_EQ(kSwitchableCaps, 0xF8u);
}

TEST(EffectiveCapsTest, FixedBitsCannotBeDisabled) {
  CapsConfig config;
  config.disabled_caps = kCapSoftware | kCapProtectionAlwaysOn | D3DCPCAPS_HARDWARE |
                         D3DCPCAPS_SEQUENTIAL_CTR_IV | 0xFFFF0000u;
  EXPECT_EQ(effective_caps(config), kDefaultCaps);
  config.disabled_caps = 0xFFFFFFFFu;
  EXPECT_EQ(effective_caps(config), kCapSoftware | kCapProtectionAlwaysOn);
}

TEST(ContentProtectionCapsTest, Aes128CtrWithoutProfileReportsDefaults) {
  Result<ContentProtectionCaps> caps =
      content_protection_caps(CapsConfig{}, CryptoType::kAes128Ctr, false);
  ASSERT_TRUE(caps);
  EXPECT_EQ(caps->caps, kDefaultCaps);
  EXPECT_EQ(caps->buffer_alignment_start, 16u);
  EXPECT_EQ(caps->block_alignment_size, 16u);
  EXPECT_EQ(caps->protected_memory_size, 256ull << 20);
}

TEST(ContentProtectionCapsTest, AllZeroCryptoTypeReportsTheUnion) {
  CapsConfig config;
  config.disabled_caps = kCapContentKey;
  config.protected_memory_size = 12345;
  Result<ContentProtectionCaps> any = content_protection_caps(config, CryptoType::kNone, false);
  Result<ContentProtectionCaps> aes = content_protection_caps(config, CryptoType::kAes128Ctr, false);
  ASSERT_TRUE(any && aes);
  EXPECT_EQ(any->caps, aes->caps);  // AES-128-CTR is the only crypto type
  EXPECT_EQ(any->caps, kDefaultCaps & ~kCapContentKey);
  EXPECT_EQ(any->protected_memory_size, 12345u);
}

TEST(ContentProtectionCapsTest, ConfigFlowsIntoTheCaps) {
  CapsConfig config;
  config.disabled_caps = kCapFreshenSessionKey | kCapEncryptedReadbackKey;
  config.protected_memory_size = 1ull << 32;
  Result<ContentProtectionCaps> caps =
      content_protection_caps(config, CryptoType::kAes128Ctr, false);
  ASSERT_TRUE(caps);
  EXPECT_EQ(caps->caps, kDefaultCaps & ~(kCapFreshenSessionKey | kCapEncryptedReadbackKey));
  EXPECT_EQ(caps->protected_memory_size, 1ull << 32);
}

TEST(ContentProtectionCapsTest, UnsupportedCryptoTypeIsNotAvailable) {
  for (bool profile : {false, true}) {
    Result<ContentProtectionCaps> caps =
        content_protection_caps(CapsConfig{}, CryptoType::kUnsupported, profile);
    ASSERT_FALSE(caps) << "profile " << profile;
    EXPECT_EQ(caps.error().code, Errc::kNotAvailable);
  }
}

TEST(ContentProtectionCapsTest, DecodeProfileIsUnsupportedCrypto) {
  for (CryptoType crypto : {CryptoType::kAes128Ctr, CryptoType::kNone}) {
    Result<ContentProtectionCaps> caps = content_protection_caps(CapsConfig{}, crypto, true);
    ASSERT_FALSE(caps);
    EXPECT_EQ(caps.error().code, Errc::kUnsupportedCrypto);
  }
}

}  // namespace
}  // namespace cpddi::caps
