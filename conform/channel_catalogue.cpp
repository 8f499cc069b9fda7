// The channel catalogue and message layouts (channel_catalogue.h): spec §2.3 GUIDs, §2.8 field
// lists, §5.6/§5.7 channel types, §5.8 sizes.
#include "conform/channel_catalogue.h"

#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "crypto/cmac.h"

namespace cpddi::conform::channel {
namespace {

using F = Field;

constexpr Layout query_in(std::initializer_list<Field> payload) {
  // QUERY_INPUT followed by the payload fields (at most three in the catalogue).
  const Field* p = payload.begin();
  switch (payload.size()) {
    case 0: return layout_of({F::kQueryInput});
    case 1: return layout_of({F::kQueryInput, p[0]});
    case 2: return layout_of({F::kQueryInput, p[0], p[1]});
    default: return layout_of({F::kQueryInput, p[0], p[1], p[2]});
  }
}

constexpr Layout query_out(std::initializer_list<Field> payload) {
  const Field* p = payload.begin();
  switch (payload.size()) {
    case 1: return layout_of({F::kQueryOutput, p[0]});
    case 2: return layout_of({F::kQueryOutput, p[0], p[1]});
    case 3: return layout_of({F::kQueryOutput, p[0], p[1], p[2]});
    default: return layout_of({F::kQueryOutput, p[0], p[1], p[2], p[3]});
  }
}

constexpr Layout configure_in(std::initializer_list<Field> payload) {
  const Field* p = payload.begin();
  switch (payload.size()) {
    case 1: return layout_of({F::kConfigureInput, p[0]});
    case 2: return layout_of({F::kConfigureInput, p[0], p[1]});
    default: return layout_of({F::kConfigureInput, p[0], p[1], p[2]});
  }
}

constexpr unsigned kBoth = kSoftware | kHardware;

// Spec §2.3 (values), §2.8 (fields), §5.6 (types; the runtime-only type 1 never reaches a driver,
// A33 for the disputed rows).
const QueryKind kQueries[] = {
    {"PROTECTION",
     {0xa84eb584, 0xc495, 0x48aa, {0xb9, 0x4d, 0x8b, 0xd2, 0xd6, 0xfb, 0xce, 0x05}},
     query_in({}), query_out({F::kUint}), kBoth, 0},
    {"CHANNELTYPE",
     {0xbc1b18a5, 0xb1fb, 0x42ab, {0xbd, 0x94, 0xb5, 0x82, 0x8b, 0x4b, 0xf7, 0xbe}},
     query_in({}), query_out({F::kUint}), kBoth, 0},
    {"DEVICEHANDLE",
     {0xec1c539d, 0x8cff, 0x4e2a, {0xbc, 0xc4, 0xf5, 0x69, 0x2f, 0x99, 0xf4, 0x80}},
     query_in({}), query_out({F::kHandle}), kBoth, 0},
    {"CRYPTOSESSION",
     {0x2634499e, 0xd018, 0x4d74, {0xac, 0x17, 0x7f, 0x72, 0x40, 0x59, 0x52, 0x8d}},
     query_in({F::kHandle}), query_out({F::kHandle, F::kHandle, F::kHandle}), kBoth, 1},
    {"RESTRICTEDSHAREDRESOURCEPROCESSCOUNT",
     {0x0db207b3, 0x9450, 0x46a6, {0x82, 0xde, 0x1b, 0x96, 0xd4, 0x4f, 0x9c, 0xf2}},
     query_in({}), query_out({F::kUint}), kSoftware, 0},
    {"RESTRICTEDSHAREDRESOURCEPROCESS",
     {0x649bbadb, 0xf0f4, 0x4639, {0xa1, 0x5b, 0x24, 0x39, 0x3f, 0xc3, 0xab, 0xac}},
     query_in({F::kUint}), query_out({F::kUint, F::kUint, F::kHandle}), kSoftware, 1},
    {"UNRESTRICTEDPROTECTEDSHAREDRESOURCECOUNT",
     {0x012f0bd6, 0xe662, 0x4474, {0xbe, 0xfd, 0xaa, 0x53, 0xe5, 0x14, 0x3c, 0x6d}},
     query_in({}), query_out({F::kUint}), kSoftware, 0},
    {"OUTPUTIDCOUNT",
     {0x2c042b5e, 0x8c07, 0x46d5, {0xaa, 0xbe, 0x8f, 0x75, 0xcb, 0xad, 0x4c, 0x31}},
     query_in({F::kHandle, F::kHandle}), query_out({F::kHandle, F::kHandle, F::kUint}), kBoth, 2},
    {"OUTPUTID",
     {0x839ddca3, 0x9b4e, 0x41e4, {0xb0, 0x53, 0x89, 0x2b, 0xd2, 0xa1, 0x1e, 0xe7}},
     query_in({F::kHandle, F::kHandle, F::kUint}),
     query_out({F::kHandle, F::kHandle, F::kUint, F::kUint64}), kBoth, 3},
    {"ACCESSIBILITYATTRIBUTES",
     {0x6214d9d2, 0x432c, 0x4abb, {0x9f, 0xce, 0x21, 0x6e, 0xea, 0x26, 0x9e, 0x3b}},
     query_in({}), query_out({F::kUint, F::kUint, F::kUint}), kBoth, 0},
    {"ENCRYPTIONWHENACCESSIBLEGUIDCOUNT",
     {0xb30f7066, 0x203c, 0x4b07, {0x93, 0xfc, 0xce, 0xaa, 0xfd, 0x61, 0x24, 0x1e}},
     query_in({}), query_out({F::kUint}), kBoth, 0},
    {"ENCRYPTIONWHENACCESSIBLEGUID",
     {0xf83a5958, 0xe986, 0x4bda, {0xbe, 0xb0, 0x41, 0x1f, 0x6a, 0x7a, 0x01, 0xb7}},
     query_in({F::kUint}), query_out({F::kUint, F::kGuid}), kBoth, 1},
    {"CURRENTENCRYPTIONWHENACCESSIBLE",
     {0xec1791c7, 0xdad3, 0x4f15, {0x9e, 0xc3, 0xfa, 0xa9, 0x3d, 0x60, 0xd4, 0xf0}},
     query_in({}), query_out({F::kGuid}), kBoth, 0},
};

// Spec §2.3, §2.8, §5.7 (A33: SHAREDRESOURCE software only, CRYPTOSESSION both).
const ConfigureKind kConfigures[] = {
    {"INITIALIZE",
     {0x06114bdb, 0x3523, 0x470a, {0x8d, 0xca, 0xfb, 0xc2, 0x84, 0x51, 0x54, 0xf0}},
     configure_in({F::kUint, F::kUint}), kBoth},
    {"PROTECTION",
     {0x50455658, 0x3f47, 0x4362, {0xbf, 0x99, 0xbf, 0xdf, 0xcd, 0xe9, 0xed, 0x29}},
     configure_in({F::kUint}), kBoth},
    {"CRYPTOSESSION",
     {0x6346cc54, 0x2cfc, 0x4ad4, {0x82, 0x24, 0xd1, 0x58, 0x37, 0xde, 0x77, 0x00}},
     configure_in({F::kHandle, F::kHandle, F::kHandle}), kBoth},
    {"SHAREDRESOURCE",
     {0x0772d047, 0x1b40, 0x48e8, {0x9c, 0xa6, 0xb5, 0xf5, 0x10, 0xde, 0x9f, 0x01}},
     configure_in({F::kUint, F::kHandle, F::kUint}), kSoftware},
    {"ENCRYPTIONWHENACCESSIBLE",
     {0x41fff286, 0x6ae0, 0x4d43, {0x9d, 0x55, 0xa4, 0x6e, 0x9e, 0xfd, 0x15, 0x8a}},
     configure_in({F::kGuid}), kBoth},
};

// Spec §5.8's N per message, x86 / x64: the field lists above must give exactly these.
constexpr std::size_t n(std::size_t x86, std::size_t x64) {
  return sizeof(void*) == 8 ? x64 : x86;
}
static_assert(kQueryInput.size == n(24, 32));
static_assert(kQueryOutput.size == n(44, 48));
static_assert(kConfigureInput.size == n(40, 48));
static_assert(query_out({F::kUint}).size == n(48, 56));
static_assert(query_out({F::kHandle}).size == n(48, 56));
static_assert(query_in({F::kHandle}).size == n(28, 40));
static_assert(query_out({F::kHandle, F::kHandle, F::kHandle}).size == n(56, 72));
static_assert(query_in({F::kUint}).size == n(28, 40));
static_assert(query_out({F::kUint, F::kUint, F::kHandle}).size == n(56, 64));
static_assert(query_in({F::kHandle, F::kHandle}).size == n(32, 48));
static_assert(query_out({F::kHandle, F::kHandle, F::kUint}).size == n(56, 72));
static_assert(query_in({F::kHandle, F::kHandle, F::kUint}).size == n(36, 56));
static_assert(query_out({F::kHandle, F::kHandle, F::kUint, F::kUint64}).size == n(64, 80));
static_assert(query_out({F::kUint, F::kUint, F::kUint}).size == n(56, 64));
static_assert(query_out({F::kUint, F::kGuid}).size == n(64, 72));
static_assert(query_out({F::kGuid}).size == n(60, 64));
static_assert(configure_in({F::kUint, F::kUint}).size == n(48, 56));
static_assert(configure_in({F::kUint}).size == n(44, 56));
static_assert(configure_in({F::kHandle, F::kHandle, F::kHandle}).size == n(52, 72));
static_assert(configure_in({F::kUint, F::kHandle, F::kUint}).size == n(52, 72));
static_assert(configure_in({F::kGuid}).size == n(56, 64));

template <class Kind>
const Kind* find(std::span<const Kind> kinds, const GUID& guid) {
  for (const Kind& kind : kinds) {
    if (same_guid(kind.guid, guid)) {
      return &kind;
    }
  }
  return nullptr;
}

void padding_of(const Layout& layout, std::size_t base, std::vector<std::size_t>* out) {
  std::size_t at = 0;
  for (std::size_t i = 0; i < layout.count; ++i) {
    for (; at < layout.offset[i]; ++at) {
      out->push_back(base + at);
    }
    const Field kind = layout.kind[i];
    if (kind == F::kQueryInput || kind == F::kQueryOutput || kind == F::kConfigureInput) {
      padding_of(kind == F::kQueryInput    ? kQueryInput
                 : kind == F::kQueryOutput ? kQueryOutput
                                           : kConfigureInput,
                 base + layout.offset[i], out);
    }
    at = layout.offset[i] + layout.width[i];
  }
  for (; at < layout.size; ++at) {
    out->push_back(base + at);
  }
}

}  // namespace

std::span<const QueryKind> queries() { return kQueries; }
std::span<const ConfigureKind> configures() { return kConfigures; }

const QueryKind& query_protection() { return kQueries[0]; }
const QueryKind& query_channel_type() { return kQueries[1]; }
const QueryKind& query_device_handle() { return kQueries[2]; }
const QueryKind& query_crypto_session() { return kQueries[3]; }
const QueryKind& query_restricted_process_count() { return kQueries[4]; }
const QueryKind& query_restricted_process() { return kQueries[5]; }
const QueryKind& query_unrestricted_count() { return kQueries[6]; }
const QueryKind& query_output_id_count() { return kQueries[7]; }
const QueryKind& query_output_id() { return kQueries[8]; }
const QueryKind& query_accessibility() { return kQueries[9]; }
const QueryKind& query_encryption_guid_count() { return kQueries[10]; }
const QueryKind& query_encryption_guid() { return kQueries[11]; }
const QueryKind& query_current_encryption() { return kQueries[12]; }
const ConfigureKind& configure_initialize() { return kConfigures[0]; }
const ConfigureKind& configure_protection() { return kConfigures[1]; }
const ConfigureKind& configure_crypto_session() { return kConfigures[2]; }
const ConfigureKind& configure_shared_resource() { return kConfigures[3]; }
const ConfigureKind& configure_encryption() { return kConfigures[4]; }

const QueryKind* find_query(const GUID& guid) { return find(queries(), guid); }
const ConfigureKind* find_configure(const GUID& guid) { return find(configures(), guid); }

bool same_guid(const GUID& a, const GUID& b) { return std::memcmp(&a, &b, sizeof a) == 0; }

std::string guid_text(const GUID& g) {
  char text[40];
  std::snprintf(text, sizeof text, "{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}",
                static_cast<unsigned>(g.Data1), g.Data2, g.Data3, g.Data4[0], g.Data4[1],
                g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7]);
  return text;
}

std::vector<std::size_t> padding_bytes(const Layout& layout) {
  std::vector<std::size_t> out;
  padding_of(layout, 0, &out);
  return out;
}

void Message::set_guid_at(std::size_t at, const GUID& g) {
  std::memcpy(bytes_.data() + at, &g, sizeof g);
}
void Message::set_handle_at(std::size_t at, HANDLE h) {
  std::memcpy(bytes_.data() + at, &h, sizeof h);
}
void Message::set_uint_at(std::size_t at, std::uint32_t v) {
  std::memcpy(bytes_.data() + at, &v, sizeof v);
}
void Message::set_uint64_at(std::size_t at, std::uint64_t v) {
  std::memcpy(bytes_.data() + at, &v, sizeof v);
}

namespace {
template <class T>
T read_at(const Bytes& bytes, std::size_t at) {
  T value{};
  if (at + sizeof value <= bytes.size()) {
    std::memcpy(&value, bytes.data() + at, sizeof value);
  }
  return value;
}
}  // namespace

GUID Message::guid_at(std::size_t at) const { return read_at<GUID>(bytes_, at); }
HANDLE Message::handle_at(std::size_t at) const { return read_at<HANDLE>(bytes_, at); }
std::uint32_t Message::uint_at(std::size_t at) const {
  return read_at<std::uint32_t>(bytes_, at);
}
std::uint64_t Message::uint64_at(std::size_t at) const {
  return read_at<std::uint64_t>(bytes_, at);
}

std::array<std::uint8_t, 16> omac(std::span<const std::uint8_t, 16> key,
                                  std::span<const std::uint8_t> message, std::size_t end) {
  if (end < 16 || end > message.size()) {
    throw std::invalid_argument("channel::omac: range [16, end) outside the message");
  }
  Result<crypto::CmacTag> tag = crypto::aes_cmac(key, message.subspan(16, end - 16));
  if (!tag) {
    throw std::runtime_error("application-side AES-CMAC failed in OpenSSL");
  }
  return *tag;
}

void sign(std::span<const std::uint8_t, 16> key, std::span<std::uint8_t> message) {
  const std::array<std::uint8_t, 16> tag = omac(key, message, message.size());
  std::memcpy(message.data(), tag.data(), tag.size());
}

}  // namespace cpddi::conform::channel
