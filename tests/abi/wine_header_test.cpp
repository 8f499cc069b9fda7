// Header fidelity: cpddi's public headers against Debian's libwine-dev headers (spec §2.1–§2.4,
// §2.8). wine_probe.c is the only translation unit that sees Wine's headers; it hands over plain
// tables keyed by cpddi names. Each Wine row is its own test case and must equal the cpddi value
// of that name; every cpddi name listed below must meet at least one Wine row, so a row dropped
// from the probe cannot pass unnoticed.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "cpddi/cpddi.h"
#include "wine_probe.h"

// gtest prints parameters through PrintTo found by ADL (the probe's types live in the global
// namespace); gtest_discover_tests copies this text into each CTest name, so it stays short: the
// Wine side of the row (the cpddi side is the case name).
void PrintTo(const WineProbeConstant& row, std::ostream* os) {
  *os << row.wine_name << " = " << row.value;
}
void PrintTo(const WineProbeGuid& row, std::ostream* os) { *os << row.wine_name; }
void PrintTo(const WineProbeLayout& row, std::ostream* os) { *os << row.wine_name; }

namespace {

// ---- cpddi's side, from cpddi's headers only ----

struct CpddiConstant {
  std::string_view name;
  std::int64_t value;
};

#define CPDDI_CONSTANT(name) CpddiConstant{#name, static_cast<std::int64_t>(name)}
#define CPDDI_IS_SIGNED(T) CpddiConstant{"is_signed(" #T ")", static_cast<T>(-1) < static_cast<T>(1)}

constexpr CpddiConstant kCpddiConstants[] = {
    CPDDI_CONSTANT(D3DCPCAPS_SOFTWARE),
    CPDDI_CONSTANT(D3DCPCAPS_HARDWARE),
    CPDDI_CONSTANT(D3DCPCAPS_PROTECTIONALWAYSON),
    CPDDI_CONSTANT(D3DCPCAPS_PARTIALDECRYPTION),
    CPDDI_CONSTANT(D3DCPCAPS_CONTENTKEY),
    CPDDI_CONSTANT(D3DCPCAPS_FRESHENSESSIONKEY),
    CPDDI_CONSTANT(D3DCPCAPS_ENCRYPTEDREADBACK),
    CPDDI_CONSTANT(D3DCPCAPS_ENCRYPTEDREADBACKKEY),
    CPDDI_CONSTANT(D3DCPCAPS_SEQUENTIAL_CTR_IV),
    CPDDI_CONSTANT(D3DCPCAPS_ENCRYPTSLICEDATAONLY),
    CPDDI_CONSTANT(D3DDDIERR_WASSTILLDRAWING),
    CPDDI_CONSTANT(D3DDDIERR_NOTAVAILABLE),
    CPDDI_CONSTANT(D3DDDIERR_INVALIDCALL),
    CPDDI_CONSTANT(D3DDDIERR_DEVICEREMOVED),
    CPDDI_CONSTANT(D3DDDIERR_UNSUPPORTEDCRYPTO),
    CPDDI_CONSTANT(D3DERR_WASSTILLDRAWING),
    CPDDI_CONSTANT(D3DERR_NOTAVAILABLE),
    CPDDI_CONSTANT(D3DERR_INVALIDCALL),
    CPDDI_CONSTANT(D3DERR_DEVICEREMOVED),
    CPDDI_CONSTANT(D3DERR_CANNOTPROTECTCONTENT),
    CPDDI_CONSTANT(D3DERR_UNSUPPORTEDCRYPTO),
    CPDDI_CONSTANT(S_OK),
    CPDDI_CONSTANT(E_FAIL),
    CPDDI_CONSTANT(E_NOTIMPL),
    CPDDI_CONSTANT(E_INVALIDARG),
    CPDDI_CONSTANT(E_OUTOFMEMORY),
    CpddiConstant{"SUCCEEDED(S_OK)", SUCCEEDED(S_OK)},
    CpddiConstant{"SUCCEEDED(1)", SUCCEEDED(1)},
    CpddiConstant{"SUCCEEDED(E_FAIL)", SUCCEEDED(E_FAIL)},
    CpddiConstant{"FAILED(S_OK)", FAILED(S_OK)},
    CpddiConstant{"FAILED(E_FAIL)", FAILED(E_FAIL)},
    CpddiConstant{"FAILED(D3DDDIERR_INVALIDCALL)", FAILED(D3DDDIERR_INVALIDCALL)},
    CPDDI_CONSTANT(D3DDDIFMT_UNKNOWN),
    CPDDI_CONSTANT(D3DDDIFMT_A8R8G8B8),
    CPDDI_CONSTANT(D3DDDIFMT_X8R8G8B8),
    CPDDI_CONSTANT(D3DDDIFMT_NV12),
    CPDDI_IS_SIGNED(BYTE),
    CPDDI_IS_SIGNED(UINT),
    CPDDI_IS_SIGNED(DWORD),
    CPDDI_IS_SIGNED(BOOL),
    CPDDI_IS_SIGNED(HRESULT),
    CPDDI_IS_SIGNED(UINT64),
    CPDDI_IS_SIGNED(ULONGLONG),
    // D3D11.1 DDI caps bits and channel types, against d3d11.h
    CPDDI_CONSTANT(D3D11_1DDI_CONTENT_PROTECTION_CAPS_SOFTWARE),
    CPDDI_CONSTANT(D3D11_1DDI_CONTENT_PROTECTION_CAPS_HARDWARE),
    CPDDI_CONSTANT(D3D11_1DDI_CONTENT_PROTECTION_CAPS_PROTECTION_ALWAYS_ON),
    CPDDI_CONSTANT(D3D11_1DDI_CONTENT_PROTECTION_CAPS_PARTIAL_DECRYPTION),
    CPDDI_CONSTANT(D3D11_1DDI_CONTENT_PROTECTION_CAPS_CONTENT_KEY),
    CPDDI_CONSTANT(D3D11_1DDI_CONTENT_PROTECTION_CAPS_FRESHEN_SESSION_KEY),
    CPDDI_CONSTANT(D3D11_1DDI_CONTENT_PROTECTION_CAPS_ENCRYPTED_READ_BACK),
    CPDDI_CONSTANT(D3D11_1DDI_CONTENT_PROTECTION_CAPS_ENCRYPTED_READ_BACK_KEY),
    CPDDI_CONSTANT(D3D11_1DDI_CONTENT_PROTECTION_CAPS_SEQUENTIAL_CTR_IV),
    CPDDI_CONSTANT(D3D11_1DDI_CONTENT_PROTECTION_CAPS_ENCRYPT_SLICEDATA_ONLY),
    CPDDI_CONSTANT(D3D11_1DDI_CONTENT_PROTECTION_CAPS_DECRYPTION_BLT),
    CPDDI_CONSTANT(D3D11_1DDI_AUTHENTICATED_CHANNEL_DRIVER_SOFTWARE),
    CPDDI_CONSTANT(D3D11_1DDI_AUTHENTICATED_CHANNEL_DRIVER_HARDWARE),
};

struct CpddiGuid {
  std::string_view name;
  const GUID* guid;
};

#define CPDDI_GUID(name) CpddiGuid{#name, &(name)}

const CpddiGuid kCpddiGuids[] = {
    CPDDI_GUID(D3DCRYPTOTYPE_AES128_CTR),
    CPDDI_GUID(D3DCRYPTOTYPE_PROPRIETARY),
    CPDDI_GUID(D3DKEYEXCHANGE_RSAES_OAEP),
    CPDDI_GUID(D3DKEYEXCHANGE_DXVA),
};

struct CpddiLayout {
  std::string_view type;
  std::string_view field;  // "" = the whole type
  std::size_t offset;
  std::size_t size;
  std::size_t align;
};

#define CPDDI_TYPE(T) CpddiLayout{#T, "", 0, sizeof(T), alignof(T)}
#define CPDDI_FIELD(T, f) CpddiLayout{#T, #f, offsetof(T, f), sizeof(std::declval<T&>().f), 0}

constexpr CpddiLayout kCpddiLayouts[] = {
    CPDDI_TYPE(BYTE),
    CPDDI_TYPE(UINT),
    CPDDI_TYPE(DWORD),
    CPDDI_TYPE(BOOL),
    CPDDI_TYPE(HRESULT),
    CPDDI_TYPE(UINT64),
    CPDDI_TYPE(ULONGLONG),
    CPDDI_TYPE(HANDLE),
    CPDDI_TYPE(D3DDDIFORMAT),
    CPDDI_TYPE(GUID),
    CPDDI_FIELD(GUID, Data1),
    CPDDI_FIELD(GUID, Data2),
    CPDDI_FIELD(GUID, Data3),
    CPDDI_FIELD(GUID, Data4),
    CPDDI_TYPE(D3DCONTENTPROTECTIONCAPS),
    CPDDI_FIELD(D3DCONTENTPROTECTIONCAPS, Caps),
    CPDDI_FIELD(D3DCONTENTPROTECTIONCAPS, KeyExchangeType),
    CPDDI_FIELD(D3DCONTENTPROTECTIONCAPS, BufferAlignmentStart),
    CPDDI_FIELD(D3DCONTENTPROTECTIONCAPS, BlockAlignmentSize),
    CPDDI_FIELD(D3DCONTENTPROTECTIONCAPS, ProtectedMemorySize),
    CPDDI_TYPE(D3DAES_CTR_IV),
    CPDDI_FIELD(D3DAES_CTR_IV, IV),
    CPDDI_FIELD(D3DAES_CTR_IV, Count),
    CPDDI_TYPE(D3DDDIENCRYPTED_BLOCK_INFO),
    CPDDI_FIELD(D3DDDIENCRYPTED_BLOCK_INFO, NumEncryptedBytesAtBeginning),
    CPDDI_FIELD(D3DDDIENCRYPTED_BLOCK_INFO, NumBytesInSkipPattern),
    CPDDI_FIELD(D3DDDIENCRYPTED_BLOCK_INFO, NumBytesInEncryptPattern),
    CPDDI_TYPE(D3DDDIBOX),
    CPDDI_FIELD(D3DDDIBOX, Left),
    CPDDI_FIELD(D3DDDIBOX, Top),
    CPDDI_FIELD(D3DDDIBOX, Right),
    CPDDI_FIELD(D3DDDIBOX, Bottom),
    CPDDI_FIELD(D3DDDIBOX, Front),
    CPDDI_FIELD(D3DDDIBOX, Back),
    CPDDI_TYPE(CPDDI_RECT),
    CPDDI_FIELD(CPDDI_RECT, left),
    CPDDI_FIELD(CPDDI_RECT, top),
    CPDDI_FIELD(CPDDI_RECT, right),
    CPDDI_FIELD(CPDDI_RECT, bottom),
    // D3D11.1 DDI structs and the channel headers, against d3d11.h's app-visible twins
    CPDDI_TYPE(D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS),
    CPDDI_FIELD(D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS, Caps),
    CPDDI_FIELD(D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS, KeyExchangeTypeCount),
    CPDDI_FIELD(D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS, BlockAlignmentSize),
    CPDDI_FIELD(D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS, ProtectedMemorySize),
    CPDDI_TYPE(D3D11_1DDI_ENCRYPTED_BLOCK_INFO),
    CPDDI_FIELD(D3D11_1DDI_ENCRYPTED_BLOCK_INFO, NumEncryptedBytesAtBeginning),
    CPDDI_FIELD(D3D11_1DDI_ENCRYPTED_BLOCK_INFO, NumBytesInSkipPattern),
    CPDDI_FIELD(D3D11_1DDI_ENCRYPTED_BLOCK_INFO, NumBytesInEncryptPattern),
    CPDDI_TYPE(D3D11_1DDI_OMAC),
    CPDDI_FIELD(D3D11_1DDI_OMAC, Omac),
    CPDDI_TYPE(D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT),
    CPDDI_FIELD(D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT, omac),
    CPDDI_FIELD(D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT, ConfigureType),
    CPDDI_FIELD(D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT, hChannel),
    CPDDI_FIELD(D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT, SequenceNumber),
    CPDDI_FIELD(D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT, ReturnCode),
    CPDDI_TYPE(D3DAUTHENTICATEDCHANNEL_QUERY_INPUT),
    CPDDI_FIELD(D3DAUTHENTICATEDCHANNEL_QUERY_INPUT, QueryType),
    CPDDI_FIELD(D3DAUTHENTICATEDCHANNEL_QUERY_INPUT, hChannel),
    CPDDI_FIELD(D3DAUTHENTICATEDCHANNEL_QUERY_INPUT, SequenceNumber),
    CPDDI_TYPE(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT),
    CPDDI_FIELD(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT, omac),
    CPDDI_FIELD(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT, QueryType),
    CPDDI_FIELD(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT, hChannel),
    CPDDI_FIELD(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT, SequenceNumber),
    CPDDI_FIELD(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT, ReturnCode),
    CPDDI_TYPE(D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT),
    CPDDI_FIELD(D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT, omac),
    CPDDI_FIELD(D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT, ConfigureType),
    CPDDI_FIELD(D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT, hChannel),
    CPDDI_FIELD(D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT, SequenceNumber),
};

// ---- Wine's side ----

// The rows one of the probe's table functions hands over.
template <class Row>
std::span<const Row> wine_rows(const Row* (*table)(std::size_t* count)) {
  std::size_t count = 0;
  const Row* rows = table(&count);
  return {rows, count};
}

std::span<const WineProbeConstant> wine_constants() { return wine_rows(wine_probe_constants); }
std::span<const WineProbeGuid> wine_guids() { return wine_rows(wine_probe_guids); }
std::span<const WineProbeLayout> wine_layouts() { return wine_rows(wine_probe_layouts); }

// ---- Matching a cpddi row with Wine's ----

// What a cpddi row and a Wine row are matched on: the cpddi name, or for a layout row the cpddi
// type and field ("" for the whole type).
using RowKey = std::pair<std::string_view, std::string_view>;
template <class Row>
RowKey key(const Row& row) {
  if constexpr (requires { row.field; }) {
    return {row.type, row.field};
  } else {
    return {row.name, ""};
  }
}

// How many of `rows` have `row`'s key.
template <class Rows, class Row>
int count_with_key(const Rows& rows, const Row& row) {
  return static_cast<int>(
      std::ranges::count_if(rows, [&](const auto& other) { return key(other) == key(row); }));
}

// The cpddi row that `wine` is compared with (the last of its key), or null.
template <class Mine, std::size_t N, class Wine>
const Mine* cpddi_row(const Mine (&rows)[N], const Wine& wine) {
  const Mine* found = nullptr;
  for (const Mine& row : rows) {
    if (key(row) == key(wine)) {
      found = &row;
    }
  }
  return found;
}

// A gtest case name from free text: letters and digits only (no underscores, CONVENTIONS §3).
std::string case_name(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out += c;
    }
  }
  return out;
}

// "X" for a row compared with Wine's X, "XFromY" for one compared with Wine's twin Y.
std::string row_name(std::string_view name, std::string_view wine_name) {
  if (name == wine_name) {
    return case_name(name);
  }
  return case_name(name) + "From" + case_name(wine_name);
}

// gtest's case name for a constant or GUID row.
struct RowCaseName {
  template <class Row>
  std::string operator()(const testing::TestParamInfo<Row>& p) const {
    return row_name(p.param.name, p.param.wine_name);
  }
};

// ---- Constants: D3DCPCAPS_*, HRESULTs, formats, signedness ----

class WineConstantTest : public testing::TestWithParam<WineProbeConstant> {};

TEST_P(WineConstantTest, EqualsCpddiValue) {
  const WineProbeConstant& wine = GetParam();
  const CpddiConstant* mine = cpddi_row(kCpddiConstants, wine);
  ASSERT_NE(mine, nullptr) << "the probe has " << wine.name << " but this test has no cpddi row";
  EXPECT_EQ(mine->value, wine.value) << wine.name << " (cpddi) vs " << wine.wine_name << " (Wine)";
}

INSTANTIATE_TEST_SUITE_P(Wine, WineConstantTest,
                         testing::ValuesIn(wine_constants().begin(), wine_constants().end()),
                         RowCaseName());

// ---- GUIDs, byte for byte ----

class WineGuidTest : public testing::TestWithParam<WineProbeGuid> {};

TEST_P(WineGuidTest, BytesEqualCpddiGuid) {
  const WineProbeGuid& wine = GetParam();
  const CpddiGuid* mine = cpddi_row(kCpddiGuids, wine);
  ASSERT_NE(mine, nullptr) << "the probe has " << wine.name << " but this test has no cpddi row";
  static_assert(sizeof(GUID) == sizeof(wine.bytes));
  std::uint8_t bytes[sizeof(GUID)];
  std::memcpy(bytes, mine->guid, sizeof(bytes));
  for (std::size_t i = 0; i < sizeof(bytes); ++i) {
    EXPECT_EQ(static_cast<unsigned>(bytes[i]), static_cast<unsigned>(wine.bytes[i]))
        << wine.name << " byte " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Wine, WineGuidTest,
                         testing::ValuesIn(wine_guids().begin(), wine_guids().end()),
                         RowCaseName());

// ---- Layouts: sizes, alignments and field offsets ----

class WineLayoutTest : public testing::TestWithParam<WineProbeLayout> {};

TEST_P(WineLayoutTest, EqualsCpddiLayout) {
  const WineProbeLayout& wine = GetParam();
  const CpddiLayout* mine = cpddi_row(kCpddiLayouts, wine);
  ASSERT_NE(mine, nullptr) << "the probe has " << wine.type << "." << wine.field
                           << " but this test has no cpddi row";
  if (mine->field.empty()) {
    EXPECT_EQ(mine->size, wine.size) << "sizeof " << wine.type << " vs " << wine.wine_name;
    EXPECT_EQ(mine->align, wine.align) << "alignof " << wine.type << " vs " << wine.wine_name;
  } else {
    EXPECT_EQ(mine->offset, wine.offset) << "offsetof " << wine.type << "." << wine.field
                                         << " vs " << wine.wine_name;
    EXPECT_EQ(mine->size, wine.size) << "sizeof " << wine.type << "." << wine.field << " vs "
                                     << wine.wine_name;
  }
}

INSTANTIATE_TEST_SUITE_P(Wine, WineLayoutTest,
                         testing::ValuesIn(wine_layouts().begin(), wine_layouts().end()),
                         [](const testing::TestParamInfo<WineProbeLayout>& p) {
                           const std::string field = case_name(p.param.field);
                           return case_name(p.param.type) + (field.empty() ? "" : "Field") +
                                  field;
                         });

// ---- Coverage: every cpddi row meets Wine at least once ----

TEST(WineCoverageTest, EveryCpddiConstantIsComparedWithWine) {
  for (const CpddiConstant& mine : kCpddiConstants) {
    EXPECT_GE(count_with_key(wine_constants(), mine), 1) << mine.name << " has no Wine counterpart in wine_probe.c";
  }
}

TEST(WineCoverageTest, EveryCpddiGuidIsComparedWithWine) {
  for (const CpddiGuid& mine : kCpddiGuids) {
    EXPECT_EQ(count_with_key(wine_guids(), mine), 1) << mine.name << " must appear exactly once in wine_probe.c";
  }
}

TEST(WineCoverageTest, EveryCpddiLayoutRowIsComparedWithWine) {
  for (const CpddiLayout& mine : kCpddiLayouts) {
    EXPECT_EQ(count_with_key(wine_layouts(), mine), 1) << mine.type << "." << mine.field
                          << " must appear exactly once in wine_probe.c";
  }
}

// The HRESULTs the brief names, and both spellings of the D3D9 caps struct, must stay compared:
// dropping one from both tables would otherwise go unnoticed.
TEST(WineCoverageTest, RequiredNamesAreCompared) {
  constexpr std::string_view kRequired[] = {
      "D3DDDIERR_NOTAVAILABLE", "D3DDDIERR_INVALIDCALL",      "D3DDDIERR_WASSTILLDRAWING",
      "D3DDDIERR_DEVICEREMOVED", "D3DDDIERR_UNSUPPORTEDCRYPTO", "D3DERR_CANNOTPROTECTCONTENT",
      "D3DCPCAPS_SOFTWARE",     "D3DCPCAPS_ENCRYPTSLICEDATAONLY"};
  for (const std::string_view name : kRequired) {
    EXPECT_GE(count_with_key(wine_constants(), CpddiConstant{name, 0}), 1) << name;
  }
  int caps_rows = 0;
  for (const WineProbeLayout& wine : wine_layouts()) {
    caps_rows += std::string_view(wine.type) == "D3DCONTENTPROTECTIONCAPS" ? 1 : 0;
  }
  EXPECT_EQ(caps_rows, 6) << "D3DCONTENTPROTECTIONCAPS: the size row and five field rows";
  EXPECT_EQ(wine_guids().size(), 4u);
}

}  // namespace
