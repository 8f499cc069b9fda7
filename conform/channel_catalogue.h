#pragma once

// The authenticated-channel messages as the application sees them (spec §2.8, §5.6–§5.8): each
// query's and configure's GUID, field list and channel types, and the byte layout of a message
// on this build's ABI computed from its field list with the C layout rules (natural alignment,
// pointer-sized handles, a nested header padded to its own alignment). conform computes these
// layouts itself, from the spec's field lists, rather than taking them from the driver's wire
// code, so a layout slip on the driver's side shows up as a failing case instead of agreeing with
// itself; the static_asserts in channel_catalogue.cpp pin every size to spec §5.8's table.
//
// The application's own helpers for building and reading messages sit here too (Message), so the
// conform cases, the faulty drivers and the fuzz/vector tests share one copy.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "cpddi/cpddi.h"

namespace cpddi::conform::channel {

using Bytes = std::vector<std::uint8_t>;

// A field of a channel message, in declaration order. The three header kinds are the nested
// QUERY_INPUT / QUERY_OUTPUT / CONFIGURE_INPUT every message starts with.
enum class Field : std::uint8_t {
  kOmac, kGuid, kHandle, kUint, kUint64, kQueryInput, kQueryOutput, kConfigureInput
};

inline constexpr std::size_t kMaxFields = 8;

// Where each field of a message lies, and the message's size (`sizeof` of the struct).
struct Layout {
  std::array<Field, kMaxFields> kind{};
  std::array<std::size_t, kMaxFields> offset{};
  std::array<std::size_t, kMaxFields> width{};
  std::size_t count = 0;
  std::size_t size = 0;
  std::size_t align = 1;
};

constexpr std::size_t field_align(Field f);
constexpr std::size_t field_width(Field f);

constexpr Layout layout_of(std::initializer_list<Field> fields) {
  Layout layout;
  std::size_t at = 0;
  for (Field f : fields) {
    const std::size_t a = field_align(f);
    at = (at + a - 1) / a * a;
    layout.kind[layout.count] = f;
    layout.offset[layout.count] = at;
    layout.width[layout.count] = field_width(f);
    ++layout.count;
    at += field_width(f);
    layout.align = layout.align > a ? layout.align : a;
  }
  layout.size = (at + layout.align - 1) / layout.align * layout.align;
  return layout;
}

constexpr std::size_t field_align(Field f) {
  switch (f) {
    case Field::kOmac: return 1;
    case Field::kGuid:
    case Field::kUint: return 4;
    case Field::kUint64: return alignof(std::uint64_t);
    case Field::kHandle:
    case Field::kQueryInput:
    case Field::kQueryOutput:
    case Field::kConfigureInput: return alignof(void*);
  }
  return 1;
}

constexpr std::size_t field_width(Field f) {
  switch (f) {
    case Field::kOmac:
    case Field::kGuid: return 16;
    case Field::kHandle: return sizeof(void*);
    case Field::kUint: return 4;
    case Field::kUint64: return 8;
    // The three headers (spec §2.8).
    case Field::kQueryInput: return layout_of({Field::kGuid, Field::kHandle, Field::kUint}).size;
    case Field::kQueryOutput:
      return layout_of({Field::kOmac, Field::kGuid, Field::kHandle, Field::kUint, Field::kUint})
          .size;
    case Field::kConfigureInput:
      return layout_of({Field::kOmac, Field::kGuid, Field::kHandle, Field::kUint}).size;
  }
  return 0;
}

// The headers alone, for their field offsets.
inline constexpr Layout kQueryInput = layout_of({Field::kGuid, Field::kHandle, Field::kUint});
inline constexpr Layout kQueryOutput =
    layout_of({Field::kOmac, Field::kGuid, Field::kHandle, Field::kUint, Field::kUint});
inline constexpr Layout kConfigureInput =
    layout_of({Field::kOmac, Field::kGuid, Field::kHandle, Field::kUint});
inline constexpr const Layout& kConfigureOutput = kQueryOutput;  // same fields (§2.8)

// Byte offsets of the header fields, the same in every message of a kind (the header is field 0).
inline constexpr std::size_t kOutputTypeOffset = kQueryOutput.offset[1];
inline constexpr std::size_t kQueryInputTypeOffset = kQueryInput.offset[0];
inline constexpr std::size_t kConfigureInputTypeOffset = kConfigureInput.offset[1];
inline constexpr std::size_t kOutputChannelOffset = kQueryOutput.offset[2];
inline constexpr std::size_t kOutputSequenceOffset = kQueryOutput.offset[3];
inline constexpr std::size_t kOutputReturnCodeOffset = kQueryOutput.offset[4];
inline constexpr std::size_t kQueryInputChannelOffset = kQueryInput.offset[1];
inline constexpr std::size_t kQueryInputSequenceOffset = kQueryInput.offset[2];
inline constexpr std::size_t kConfigureInputChannelOffset = kConfigureInput.offset[2];
inline constexpr std::size_t kConfigureInputSequenceOffset = kConfigureInput.offset[3];

// Channel types a catalogue entry is valid for, as a bit set of 1 << DDIAUTHENTICATEDCHANNELTYPE.
inline constexpr unsigned kSoftware = 1u << DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE;
inline constexpr unsigned kHardware = 1u << DDIAUTHENTICATEDCHANNEL_DRIVER_HARDWARE;

// One query of spec §5.6: its input (after QUERY_INPUT) and output (after QUERY_OUTPUT) fields.
struct QueryKind {
  const char* name;  // "PROTECTION"
  GUID guid;
  Layout input;   // field 0 = QUERY_INPUT
  Layout output;  // field 0 = QUERY_OUTPUT
  unsigned types;  // channel types it is valid for (spec §5.6, A33)
  // Leading output payload fields that echo the input's payload fields (spec §5.6 "echo").
  std::size_t echoed;
};

// One configure of spec §5.7 (field 0 = CONFIGURE_INPUT).
struct ConfigureKind {
  const char* name;
  GUID guid;
  Layout input;
  unsigned types;
};

// The catalogues, in spec order.
std::span<const QueryKind> queries();
std::span<const ConfigureKind> configures();

// Named entries (spec §5.6, §5.7).
const QueryKind& query_protection();
const QueryKind& query_channel_type();
const QueryKind& query_device_handle();
const QueryKind& query_crypto_session();
const QueryKind& query_restricted_process_count();
const QueryKind& query_restricted_process();
const QueryKind& query_unrestricted_count();
const QueryKind& query_output_id_count();
const QueryKind& query_output_id();
const QueryKind& query_accessibility();
const QueryKind& query_encryption_guid_count();
const QueryKind& query_encryption_guid();
const QueryKind& query_current_encryption();
const ConfigureKind& configure_initialize();
const ConfigureKind& configure_protection();
const ConfigureKind& configure_crypto_session();
const ConfigureKind& configure_shared_resource();
const ConfigureKind& configure_encryption();

// The query or configure whose GUID is `guid`, or null.
const QueryKind* find_query(const GUID& guid);
const ConfigureKind* find_configure(const GUID& guid);

bool same_guid(const GUID& a, const GUID& b);
std::string guid_text(const GUID& g);

// The padding bytes of `layout` (every byte not inside a field; a nested header's own padding
// counted too), in increasing order.
std::vector<std::size_t> padding_bytes(const Layout& layout);

// A message buffer with typed access to the fields of `layout` (indices as in the field list;
// field 0 is the header, whose own fields have the fixed offsets above).
class Message {
 public:
  explicit Message(const Layout& layout) : layout_(layout), bytes_(layout.size, 0) {}
  Message(const Layout& layout, Bytes bytes) : layout_(layout), bytes_(std::move(bytes)) {}

  const Layout& layout() const { return layout_; }
  Bytes& bytes() { return bytes_; }
  const Bytes& bytes() const { return bytes_; }
  std::size_t offset(std::size_t field) const { return layout_.offset[field]; }

  void set_guid_at(std::size_t at, const GUID& g);
  void set_handle_at(std::size_t at, HANDLE h);
  void set_uint_at(std::size_t at, std::uint32_t v);
  void set_uint64_at(std::size_t at, std::uint64_t v);
  GUID guid_at(std::size_t at) const;
  HANDLE handle_at(std::size_t at) const;
  std::uint32_t uint_at(std::size_t at) const;
  std::uint64_t uint64_at(std::size_t at) const;

  void set_guid(std::size_t field, const GUID& g) { set_guid_at(offset(field), g); }
  void set_handle(std::size_t field, HANDLE h) { set_handle_at(offset(field), h); }
  void set_uint(std::size_t field, std::uint32_t v) { set_uint_at(offset(field), v); }
  GUID guid(std::size_t field) const { return guid_at(offset(field)); }
  HANDLE handle(std::size_t field) const { return handle_at(offset(field)); }
  std::uint32_t uint(std::size_t field) const { return uint_at(offset(field)); }
  std::uint64_t uint64(std::size_t field) const { return uint64_at(offset(field)); }

 private:
  Layout layout_;
  Bytes bytes_;
};

// AES-CMAC of bytes [16, end) of `message` under `key` (spec §5.8, §7.6); throws
// std::runtime_error if OpenSSL fails (the application's side, never the driver's).
std::array<std::uint8_t, 16> omac(std::span<const std::uint8_t, 16> key,
                                  std::span<const std::uint8_t> message, std::size_t end);
// Writes omac(key, message, message.size()) into bytes [0, 16).
void sign(std::span<const std::uint8_t, 16> key, std::span<std::uint8_t> message);

}  // namespace cpddi::conform::channel
