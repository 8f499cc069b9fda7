// GetCaps(GETCONTENTPROTECTIONCAPS) and the adapter options that shape it: spec §3, §2.4, A34,
// and the header comments of PFND3DDDI_GETCAPS and cpddi_open_adapter_with_options.
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

constexpr GUID kSomeDecodeProfile = {
    0x1b81be68, 0xa0c7, 0x11d3, {0xb9, 0x84, 0x00, 0xc0, 0x4f, 0x2e, 0x73, 0xc5}};
constexpr GUID kUnknownCryptoType = {
    0x12345678, 0x9abc, 0xdef0, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};

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
  return device.adapter_funcs().pfnGetCaps(device.adapter(), &args);
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

TEST_F(CapsTest, NeverAdvertisesHardwareSequentialCtrIvOrSliceDataOnly) {
  const DWORD caps = device().caps_bits();
  EXPECT_EQ(caps & D3DCPCAPS_HARDWARE, 0u);
  EXPECT_EQ(caps & D3DCPCAPS_SEQUENTIAL_CTR_IV, 0u);
  EXPECT_EQ(caps & D3DCPCAPS_ENCRYPTSLICEDATAONLY, 0u);
  EXPECT_EQ(caps & ~0x3FFu, 0u) << "no bit beyond the D3D9 set";
}

TEST_F(CapsTest, AllZeroCryptoTypeReportsTheUnionOfSupportedTypes) {
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

TEST_F(CapsTest, ProprietaryCryptoTypeIsNotAvailableAndNothingIsWritten) {
  D3DCONTENTPROTECTIONCAPS caps = sentinel_caps();
  const HRESULT hr = get_caps(device(), D3DCRYPTOTYPE_PROPRIETARY, GUID{}, &caps);
  EXPECT_EQ(hr, D3DDDIERR_NOTAVAILABLE) << hr_name(hr);
  EXPECT_TRUE(same_bytes(caps, sentinel_caps()));
}

TEST_F(CapsTest, UnknownCryptoTypeIsNotAvailableAndNothingIsWritten) {
  D3DCONTENTPROTECTIONCAPS caps = sentinel_caps();
  const HRESULT hr = get_caps(device(), kUnknownCryptoType, GUID{}, &caps);
  EXPECT_EQ(hr, D3DDDIERR_NOTAVAILABLE) << hr_name(hr);
  EXPECT_TRUE(same_bytes(caps, sentinel_caps()));
}

TEST_F(CapsTest, NonZeroDecodeProfileIsUnsupportedCryptoAndNothingIsWritten) {
  D3DCONTENTPROTECTIONCAPS caps = sentinel_caps();
  const HRESULT hr = get_caps(device(), D3DCRYPTOTYPE_AES128_CTR, kSomeDecodeProfile, &caps);
  EXPECT_EQ(hr, D3DDDIERR_UNSUPPORTEDCRYPTO) << hr_name(hr);
  EXPECT_TRUE(same_bytes(caps, sentinel_caps()));
}

TEST_F(CapsTest, UnsupportedCryptoTypeWithDecodeProfileIsNotAvailable) {
  // Spec §3: a crypto type not supported at all is NOTAVAILABLE whatever the profile.
  D3DCONTENTPROTECTIONCAPS caps = sentinel_caps();
  const HRESULT hr = get_caps(device(), D3DCRYPTOTYPE_PROPRIETARY, kSomeDecodeProfile, &caps);
  EXPECT_EQ(hr, D3DDDIERR_NOTAVAILABLE) << hr_name(hr);
  EXPECT_TRUE(same_bytes(caps, sentinel_caps()));
}

TEST_F(CapsTest, LargerDataSizeIsAccepted) {
  struct {
    D3DCONTENTPROTECTIONCAPS caps;
    unsigned char extra[8];
  } buffer;
  std::memset(&buffer, 0xAB, sizeof buffer);
  const HRESULT hr = get_caps(device(), D3DCRYPTOTYPE_AES128_CTR, GUID{}, &buffer.caps,
                              sizeof buffer);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_EQ(buffer.caps.Caps, kDefaultCaps);
}

TEST_F(CapsTest, NullInfoIsInvalidArgument) {
  D3DCONTENTPROTECTIONCAPS caps = sentinel_caps();
  D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCONTENTPROTECTIONCAPS, nullptr, &caps, sizeof caps};
  const HRESULT hr = device().adapter_funcs().pfnGetCaps(device().adapter(), &args);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  EXPECT_TRUE(same_bytes(caps, sentinel_caps()));
}

TEST_F(CapsTest, NullDataIsInvalidArgument) {
  DDICONTENTPROTECTIONCAPS info{D3DCRYPTOTYPE_AES128_CTR, GUID{}};
  D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCONTENTPROTECTIONCAPS, &info, nullptr,
                         sizeof(D3DCONTENTPROTECTIONCAPS)};
  const HRESULT hr = device().adapter_funcs().pfnGetCaps(device().adapter(), &args);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
}

TEST_F(CapsTest, NullArgumentStructIsInvalidArgument) {
  const HRESULT hr = device().adapter_funcs().pfnGetCaps(device().adapter(), nullptr);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
}

// ---- DataSize smaller than D3DCONTENTPROTECTIONCAPS → E_INVALIDARG, nothing written ----

struct SizeRow {
  const char* name;
  UINT data_size;
};

class CapsDataSizeTest : public SharedDeviceTest, public ::testing::WithParamInterface<SizeRow> {};

TEST_P(CapsDataSizeTest, TooSmallIsInvalidArgumentAndNothingIsWritten) {
  D3DCONTENTPROTECTIONCAPS caps = sentinel_caps();
  const HRESULT hr =
      get_caps(device(), D3DCRYPTOTYPE_AES128_CTR, GUID{}, &caps, GetParam().data_size);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  EXPECT_TRUE(same_bytes(caps, sentinel_caps()));
}

INSTANTIATE_TEST_SUITE_P(
    Sizes, CapsDataSizeTest,
    ::testing::Values(SizeRow{"Zero", 0}, SizeRow{"Four", 4}, SizeRow{"Twenty", 20},
                      SizeRow{"OneShort", sizeof(D3DCONTENTPROTECTIONCAPS) - 1}),
    RowName());

// ---- Unknown caps Type → D3DDDIERR_NOTAVAILABLE ----

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
  const HRESULT hr = device().adapter_funcs().pfnGetCaps(device().adapter(), &args);
  EXPECT_EQ(hr, D3DDDIERR_NOTAVAILABLE) << hr_name(hr);
  EXPECT_TRUE(same_bytes(caps, sentinel_caps()));
}

INSTANTIATE_TEST_SUITE_P(
    Types, CapsTypeTest,
    ::testing::Values(CapsTypeRow{"Zero", 0}, CapsTypeRow{"One", 1},
                      CapsTypeRow{"FortyOne", 41}, CapsTypeRow{"FortyFive", 45},
                      CapsTypeRow{"Huge", 0x7FFFFFFFu}),
    RowName());

// ---- Bad adapter handles → E_INVALIDARG ----

struct AdapterHandleRow {
  const char* name;
  enum Kind { kNull, kGarbage, kDeviceHandle } kind;
};

class CapsAdapterHandleTest : public SharedDeviceTest,
                              public ::testing::WithParamInterface<AdapterHandleRow> {};

TEST_P(CapsAdapterHandleTest, BadAdapterHandleIsInvalidArgument) {
  HANDLE adapter = nullptr;
  switch (GetParam().kind) {
    case AdapterHandleRow::kNull: adapter = nullptr; break;
    case AdapterHandleRow::kGarbage: adapter = reinterpret_cast<HANDLE>(0x1234); break;
    case AdapterHandleRow::kDeviceHandle: adapter = device().device(); break;
  }
  D3DCONTENTPROTECTIONCAPS caps = sentinel_caps();
  DDICONTENTPROTECTIONCAPS info{D3DCRYPTOTYPE_AES128_CTR, GUID{}};
  D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCONTENTPROTECTIONCAPS, &info, &caps, sizeof caps};
  const HRESULT hr = device().adapter_funcs().pfnGetCaps(adapter, &args);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  EXPECT_TRUE(same_bytes(caps, sentinel_caps()));
}

INSTANTIATE_TEST_SUITE_P(
    Handles, CapsAdapterHandleTest,
    ::testing::Values(AdapterHandleRow{"Null", AdapterHandleRow::kNull},
                      AdapterHandleRow{"Garbage", AdapterHandleRow::kGarbage},
                      AdapterHandleRow{"DeviceHandle", AdapterHandleRow::kDeviceHandle}),
    RowName());

TEST(CapsClosedAdapterTest, ClosedAdapterHandleIsInvalidArgument) {
  D3DDDI_ADAPTERFUNCS funcs{};
  D3DDDIARG_OPENADAPTER open{};
  open.pAdapterFuncs = &funcs;
  ASSERT_EQ(OpenAdapter(&open), S_OK);
  HANDLE adapter = open.hAdapter;
  ASSERT_EQ(funcs.pfnCloseAdapter(adapter), S_OK);
  D3DCONTENTPROTECTIONCAPS caps = sentinel_caps();
  DDICONTENTPROTECTIONCAPS info{D3DCRYPTOTYPE_AES128_CTR, GUID{}};
  D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCONTENTPROTECTIONCAPS, &info, &caps, sizeof caps};
  const HRESULT hr = funcs.pfnGetCaps(adapter, &args);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  EXPECT_TRUE(same_bytes(caps, sentinel_caps()));
  const HRESULT again = funcs.pfnCloseAdapter(adapter);
  EXPECT_EQ(again, E_INVALIDARG) << hr_name(again);
}

// ---- Switched-off caps bits are dropped (cpddi_open_adapter_with_options) ----

struct DisabledRow {
  const char* name;
  DWORD disabled;
};

class CapsDisabledBitsTest : public ::testing::TestWithParam<DisabledRow> {};

TEST_P(CapsDisabledBitsTest, DisabledBitsAreDroppedForEveryCryptoTypeQuery) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.DisabledCaps = GetParam().disabled;
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  for (const GUID& type : {D3DCRYPTOTYPE_AES128_CTR, GUID{}}) {
    D3DCONTENTPROTECTIONCAPS caps = sentinel_caps();
    const HRESULT hr = get_caps(device, type, GUID{}, &caps);
    ASSERT_EQ(hr, S_OK) << hr_name(hr);
    EXPECT_EQ(caps.Caps, kDefaultCaps & ~GetParam().disabled);
    EXPECT_EQ(caps.BufferAlignmentStart, 16u);
    EXPECT_EQ(caps.BlockAlignmentSize, 16u);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Bits, CapsDisabledBitsTest,
    ::testing::Values(DisabledRow{"PartialDecryption", D3DCPCAPS_PARTIALDECRYPTION},
                      DisabledRow{"ContentKey", D3DCPCAPS_CONTENTKEY},
                      DisabledRow{"FreshenSessionKey", D3DCPCAPS_FRESHENSESSIONKEY},
                      DisabledRow{"EncryptedReadback", D3DCPCAPS_ENCRYPTEDREADBACK},
                      DisabledRow{"EncryptedReadbackKey", D3DCPCAPS_ENCRYPTEDREADBACKKEY},
                      DisabledRow{"AllSwitchable", CPDDI_SWITCHABLE_CAPS}),
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

TEST(AdapterOpenTest, NullPointersAreInvalidArgument) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  HRESULT hr = OpenAdapter(nullptr);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  hr = cpddi_open_adapter_with_options(nullptr, &options);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  D3DDDIARG_OPENADAPTER open{};  // pAdapterFuncs null
  hr = OpenAdapter(&open);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  EXPECT_EQ(open.hAdapter, nullptr);
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
