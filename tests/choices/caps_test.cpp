// cpddi's own GetCaps(GETCONTENTPROTECTIONCAPS) answers and the adapter options that shape them:
// spec §3 (cpddi defaults), §2.4, A34, and the header comments of PFND3DDDI_GETCAPS and
// cpddi_open_adapter_with_options. The rules every driver follows are conform cases caps.*.
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

constexpr GUID kSomeDecodeProfile = {
    0x1b81be68, 0xa0c7, 0x11d3, {0xb9, 0x84, 0x00, 0xc0, 0x4f, 0x2e, 0x73, 0xc5}};

// A D3DCONTENTPROTECTIONCAPS whose every byte is 0xAB, to prove nothing was written.
D3DCONTENTPROTECTIONCAPS sentinel_caps() {
  D3DCONTENTPROTECTIONCAPS caps;
  std::memset(&caps, 0xAB, sizeof caps);
  return caps;
}

bool same_bytes(const D3DCONTENTPROTECTIONCAPS& a, const D3DCONTENTPROTECTIONCAPS& b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

HRESULT get_caps(const OpenedDevice& device, const GUID& crypto_type, const GUID& decode_profile,
                 D3DCONTENTPROTECTIONCAPS* out, UINT data_size = sizeof(D3DCONTENTPROTECTIONCAPS)) {
  DDICONTENTPROTECTIONCAPS info{crypto_type, decode_profile};
  D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCONTENTPROTECTIONCAPS, &info, out, data_size};
  return device.adapter_funcs().pfnGetCaps(device.adapter_handle(), &args);
}

using CapsTest = SharedDeviceTest;

TEST_F(CapsTest, DefaultCapsAreTheSpecDefaults) {
  D3DCONTENTPROTECTIONCAPS caps = sentinel_caps();
  const HRESULT hr = get_caps(device(), D3DCRYPTOTYPE_AES128_CTR, GUID{}, &caps);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_EQ(caps.Caps, kDefaultCaps);
  EXPECT_EQ(std::memcmp(&caps.KeyExchangeType, &D3DKEYEXCHANGE_RSAES_OAEP, sizeof(GUID)), 0);
  EXPECT_EQ(caps.BufferAlignmentStart, 16u);
  EXPECT_EQ(caps.BlockAlignmentSize, 16u);
  EXPECT_EQ(caps.ProtectedMemorySize, 256ull << 20);
}

// cpddi is software with no decoder (spec §3 defaults); no bit beyond the D3D9 set is conform
// case caps.get-caps.
TEST_F(CapsTest, NeverAdvertisesHardwareSequentialCtrIvOrSliceDataOnly) {
  const DWORD caps = device().caps_bits();
  EXPECT_EQ(caps & D3DCPCAPS_HARDWARE, 0u);
  EXPECT_EQ(caps & D3DCPCAPS_SEQUENTIAL_CTR_IV, 0u);
  EXPECT_EQ(caps & D3DCPCAPS_ENCRYPTSLICEDATAONLY, 0u);
}

// The union rule itself is conform case caps.all-zero-crypto-type; cpddi supports AES-128-CTR
// only, so its union is exactly the AES caps.
TEST_F(CapsTest, AllZeroCryptoTypeGivesTheAesCapsInCpddi) {
  D3DCONTENTPROTECTIONCAPS aes = sentinel_caps();
  D3DCONTENTPROTECTIONCAPS any = sentinel_caps();
  ASSERT_EQ(get_caps(device(), D3DCRYPTOTYPE_AES128_CTR, GUID{}, &aes), S_OK);
  const HRESULT hr = get_caps(device(), GUID{}, GUID{}, &any);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  // AES-128-CTR is the only supported type, so the union equals its caps.
  EXPECT_EQ(any.Caps, aes.Caps);
  EXPECT_EQ(any.Caps & kDefaultCaps, kDefaultCaps);
  EXPECT_EQ(any.BufferAlignmentStart, 16u);
  EXPECT_EQ(any.BlockAlignmentSize, 16u);
  EXPECT_EQ(any.ProtectedMemorySize, aes.ProtectedMemorySize);
}

// A34 for a real decode profile: cpddi has no decoder (conform case
// caps.unsupported-decode-profile checks a profile no driver has).
TEST_F(CapsTest, NonZeroDecodeProfileIsUnsupportedCryptoAndNothingIsWritten) {
  D3DCONTENTPROTECTIONCAPS caps = sentinel_caps();
  const HRESULT hr = get_caps(device(), D3DCRYPTOTYPE_AES128_CTR, kSomeDecodeProfile, &caps);
  EXPECT_EQ(hr, D3DDDIERR_UNSUPPORTEDCRYPTO) << hr_name(hr);
  EXPECT_TRUE(same_bytes(caps, sentinel_caps()));
}

// ---- Caps Types cpddi does not implement → D3DDDIERR_NOTAVAILABLE ----
// cpddi answers only the content-protection Types; a full driver answers these (0, 1, 41, 45)
// too, so only an undefined Type is conform case caps.unknown-type.

struct CapsTypeRow {
  const char* name;
  unsigned type;
};

class CapsTypeTest : public SharedDeviceTest, public ::testing::WithParamInterface<CapsTypeRow> {};

TEST_P(CapsTypeTest, UnknownTypeIsNotAvailableAndNothingIsWritten) {
  DDICONTENTPROTECTIONCAPS info{D3DCRYPTOTYPE_AES128_CTR, GUID{}};
  D3DCONTENTPROTECTIONCAPS caps = sentinel_caps();
  D3DDDIARG_GETCAPS args{static_cast<D3DDDICAPS_TYPE>(GetParam().type), &info, &caps,
                         sizeof caps};
  const HRESULT hr = device().adapter_funcs().pfnGetCaps(device().adapter_handle(), &args);
  EXPECT_EQ(hr, D3DDDIERR_NOTAVAILABLE) << hr_name(hr);
  EXPECT_TRUE(same_bytes(caps, sentinel_caps()));
}

INSTANTIATE_TEST_SUITE_P(
    Types, CapsTypeTest,
    ::testing::Values(CapsTypeRow{"Zero", 0}, CapsTypeRow{"One", 1},
                      CapsTypeRow{"FortyOne", 41}, CapsTypeRow{"FortyFive", 45}),
    RowName());

TEST(CapsOptionsTest, ProtectedMemorySizeOptionIsReported) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.ProtectedMemorySize = 3ull << 20;
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  D3DCONTENTPROTECTIONCAPS caps = sentinel_caps();
  const HRESULT hr = get_caps(device, D3DCRYPTOTYPE_AES128_CTR, GUID{}, &caps);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_EQ(caps.ProtectedMemorySize, 3ull << 20);
}

// ---- cpddi_open_adapter_with_options argument checks ----

struct OptionsRow {
  const char* name;
  int struct_size_delta;  // added to sizeof(CPDDI_ADAPTER_OPTIONS)
  DWORD disabled;
};

class AdapterOptionsTest : public ::testing::TestWithParam<OptionsRow> {};

TEST_P(AdapterOptionsTest, BadOptionsAreInvalidArgumentAndNothingIsPublished) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.StructSize =
      static_cast<UINT>(static_cast<int>(sizeof options) + GetParam().struct_size_delta);
  options.DisabledCaps = GetParam().disabled;
  D3DDDI_ADAPTERFUNCS funcs{};
  D3DDDIARG_OPENADAPTER open{};
  open.hAdapter = reinterpret_cast<HANDLE>(0x5A5A);
  open.pAdapterFuncs = &funcs;
  const HRESULT hr = cpddi_open_adapter_with_options(&open, &options);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  EXPECT_EQ(open.hAdapter, reinterpret_cast<HANDLE>(0x5A5A));
  EXPECT_EQ(funcs.pfnGetCaps, nullptr);
}

INSTANTIATE_TEST_SUITE_P(
    Options, AdapterOptionsTest,
    ::testing::Values(OptionsRow{"StructSizeZero",
                                 -static_cast<int>(sizeof(CPDDI_ADAPTER_OPTIONS)), 0},
                      OptionsRow{"StructSizeOneShort", -1, 0},
                      OptionsRow{"StructSizeLarger", 8, 0},
                      OptionsRow{"DisableSoftware", 0, D3DCPCAPS_SOFTWARE},
                      OptionsRow{"DisableProtectionAlwaysOn", 0, D3DCPCAPS_PROTECTIONALWAYSON},
                      OptionsRow{"DisableSequentialCtrIv", 0, D3DCPCAPS_SEQUENTIAL_CTR_IV},
                      OptionsRow{"DisableUnknownBit", 0, 0x80000000u}),
    RowName());

// OpenAdapter's own null checks are conform case device.open-adapter-null-arguments.
TEST(AdapterOpenTest, NullPointersAreInvalidArgument) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  const HRESULT hr = cpddi_open_adapter_with_options(nullptr, &options);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
}

TEST(AdapterOpenTest, UnreadableIdentityFilesAreInvalidArgument) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.IdentityKeyPemPath = "/nonexistent/cpddi/identity-key.pem";
  options.IdentityCertPemPath = "/nonexistent/cpddi/identity-cert.pem";
  D3DDDI_ADAPTERFUNCS funcs{};
  D3DDDIARG_OPENADAPTER open{};
  open.pAdapterFuncs = &funcs;
  const HRESULT hr = cpddi_open_adapter_with_options(&open, &options);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  EXPECT_EQ(open.hAdapter, nullptr);
}

TEST(AdapterOpenTest, NullOptionsMeanDefaults) {
  D3DDDI_ADAPTERFUNCS funcs{};
  D3DDDIARG_OPENADAPTER open{};
  open.pAdapterFuncs = &funcs;
  ASSERT_EQ(cpddi_open_adapter_with_options(&open, nullptr), S_OK);
  ASSERT_NE(open.hAdapter, nullptr);
  D3DCONTENTPROTECTIONCAPS caps = sentinel_caps();
  DDICONTENTPROTECTIONCAPS info{D3DCRYPTOTYPE_AES128_CTR, GUID{}};
  D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCONTENTPROTECTIONCAPS, &info, &caps, sizeof caps};
  EXPECT_EQ(funcs.pfnGetCaps(open.hAdapter, &args), S_OK);
  EXPECT_EQ(caps.Caps, kDefaultCaps);
  EXPECT_EQ(caps.ProtectedMemorySize, 256ull << 20);
  EXPECT_EQ(funcs.pfnCloseAdapter(open.hAdapter), S_OK);
}

}  // namespace
}  // namespace cpddi::testing
