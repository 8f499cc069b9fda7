#pragma once

// The authenticated channel's wire format (spec §2.3, §2.8, §5.6–§5.9), written once: the query
// and configure GUIDs as stored bytes, every message's field offsets and exact size under this
// host's ABI (natural alignment, pointer-sized handles: 8 bytes on x64), the exact input and
// output sizes per GUID (A27), the OMAC byte ranges (§5.8) and the field accessors. The driver
// (src/channel), the application API (src/app), conform/ and the tests all read and write channel
// messages through this header, so a layout change moves every side together.
//
// The payload structs are declared with their WDK names in include/cpddi/d3dddi_cp9.h; wire names
// no Direct3D type, and tests/unit/wire/channel_messages_test.cpp pins every offset and size here
// against offsetof/sizeof of those structs. Messages are byte buffers: fields are copied in and
// out in host byte order (the ABI's), never accessed through a cast pointer, because the caller's
// buffer need not be aligned. Component overview: wire.h.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/result.h"

namespace cpddi::wire {

// A GUID as it is stored in memory: Data1–Data3 little-endian, then Data4 (spec §2.1).
using GuidBytes = std::array<std::uint8_t, 16>;

constexpr GuidBytes make_guid(std::uint32_t data1, std::uint16_t data2, std::uint16_t data3,
                              std::array<std::uint8_t, 8> data4) {
  return GuidBytes{static_cast<std::uint8_t>(data1),       static_cast<std::uint8_t>(data1 >> 8),
                   static_cast<std::uint8_t>(data1 >> 16), static_cast<std::uint8_t>(data1 >> 24),
                   static_cast<std::uint8_t>(data2),       static_cast<std::uint8_t>(data2 >> 8),
                   static_cast<std::uint8_t>(data3),       static_cast<std::uint8_t>(data3 >> 8),
                   data4[0], data4[1], data4[2], data4[3], data4[4], data4[5], data4[6], data4[7]};
}

// ---- The catalogues (spec §5.6, §5.7) ----

enum class ChannelQuery : std::uint8_t {
  kProtection,
  kChannelType,
  kDeviceHandle,
  kCryptoSession,
  kRestrictedSharedResourceProcessCount,
  kRestrictedSharedResourceProcess,
  kUnrestrictedProtectedSharedResourceCount,
  kOutputIdCount,
  kOutputId,
  kAccessibilityAttributes,
  kEncryptionWhenAccessibleGuidCount,
  kEncryptionWhenAccessibleGuid,
  kCurrentEncryptionWhenAccessible,
};
inline constexpr std::size_t kChannelQueryCount = 13;

enum class ChannelConfigure : std::uint8_t {
  kInitialize,
  kProtection,
  kCryptoSession,
  kSharedResource,
  kEncryptionWhenAccessible,
};
inline constexpr std::size_t kChannelConfigureCount = 5;

const GuidBytes& guid_of(ChannelQuery query);
const GuidBytes& guid_of(ChannelConfigure configure);
// nullopt for a GUID outside the catalogue.
std::optional<ChannelQuery> channel_query_from_guid(std::span<const std::uint8_t, 16> guid);
std::optional<ChannelConfigure> channel_configure_from_guid(std::span<const std::uint8_t, 16> guid);
// The D3D9 name without its prefix, e.g. "OUTPUTIDCOUNT" (logs, test names).
const char* name_of(ChannelQuery query);
const char* name_of(ChannelConfigure configure);

// ---- Layouts under the host ABI (spec §2.8) ----

namespace channel_layout {

inline constexpr std::size_t kHandleSize = sizeof(void*);  // HANDLE
inline constexpr std::size_t kOmacSize = 16;                // D3D_OMAC_SIZE

constexpr std::size_t align_up(std::size_t offset, std::size_t alignment) {
  return (offset + alignment - 1) / alignment * alignment;
}
// A struct holding a HANDLE is padded to a multiple of the handle's size.
constexpr std::size_t struct_size(std::size_t end) { return align_up(end, kHandleSize); }

// D3DAUTHENTICATEDCHANNEL_QUERY_INPUT (no omac).
namespace query_input {
inline constexpr std::size_t kQueryType = 0;
inline constexpr std::size_t kChannel = 16;
inline constexpr std::size_t kSequenceNumber = kChannel + kHandleSize;
inline constexpr std::size_t kSize = struct_size(kSequenceNumber + 4);  // 24 / 32
}  // namespace query_input

// D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT and _CONFIGURE_OUTPUT: the same five fields.
namespace output_header {
inline constexpr std::size_t kOmac = 0;
inline constexpr std::size_t kType = 16;
inline constexpr std::size_t kChannel = 32;
inline constexpr std::size_t kSequenceNumber = kChannel + kHandleSize;
inline constexpr std::size_t kReturnCode = kSequenceNumber + 4;
inline constexpr std::size_t kSize = struct_size(kReturnCode + 4);  // 44 / 48
}  // namespace output_header

// D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT.
namespace configure_input {
inline constexpr std::size_t kOmac = 0;
inline constexpr std::size_t kConfigureType = 16;
inline constexpr std::size_t kChannel = 32;
inline constexpr std::size_t kSequenceNumber = kChannel + kHandleSize;
inline constexpr std::size_t kSize = struct_size(kSequenceNumber + 4);  // 40 / 48
}  // namespace configure_input

inline constexpr std::size_t kQueryPayload = query_input::kSize;
inline constexpr std::size_t kOutputPayload = output_header::kSize;
inline constexpr std::size_t kConfigurePayload = configure_input::kSize;

// QUERY_INPUT + UINT: RESTRICTEDSHAREDRESOURCEPROCESS_INPUT (ProcessIndex),
// QUERYEVICTIONENCRYPTIONGUID_INPUT (EncryptionGuidIndex).
namespace index_query_input {
inline constexpr std::size_t kIndex = kQueryPayload;
inline constexpr std::size_t kSize = struct_size(kIndex + 4);  // 28 / 40
}  // namespace index_query_input

// QUERY_OUTPUT + one 4-byte field: QUERYPROTECTION_OUTPUT (ProtectionFlags),
// QUERYCHANNELTYPE_OUTPUT (ChannelType), the three count outputs
// (NumRestrictedSharedResourceProcesses, NumUnrestrictedProtectedSharedResources,
// NumEncryptionGuids).
namespace uint_output {
inline constexpr std::size_t kValue = kOutputPayload;
inline constexpr std::size_t kSize = struct_size(kValue + 4);  // 48 / 56
}  // namespace uint_output

// QUERYDEVICEHANDLE_OUTPUT.
namespace device_handle_output {
inline constexpr std::size_t kDeviceHandle = kOutputPayload;
inline constexpr std::size_t kSize = struct_size(kDeviceHandle + kHandleSize);  // 48 / 56
}  // namespace device_handle_output

// QUERYCRYPTOSESSION_INPUT / _OUTPUT.
namespace crypto_session_query_input {
inline constexpr std::size_t kDecodeHandle = kQueryPayload;
inline constexpr std::size_t kSize = struct_size(kDecodeHandle + kHandleSize);  // 28 / 40
}  // namespace crypto_session_query_input
namespace crypto_session_query_output {
inline constexpr std::size_t kDecodeHandle = kOutputPayload;
inline constexpr std::size_t kCryptoSessionHandle = kDecodeHandle + kHandleSize;
inline constexpr std::size_t kDeviceHandle = kCryptoSessionHandle + kHandleSize;
inline constexpr std::size_t kSize = struct_size(kDeviceHandle + kHandleSize);  // 56 / 72
}  // namespace crypto_session_query_output

// QUERYRESTRICTEDSHAREDRESOURCEPROCESS_OUTPUT.
namespace process_output {
inline constexpr std::size_t kProcessIndex = kOutputPayload;
inline constexpr std::size_t kIdentifierType = kProcessIndex + 4;
inline constexpr std::size_t kProcessHandle = align_up(kIdentifierType + 4, kHandleSize);
inline constexpr std::size_t kSize = struct_size(kProcessHandle + kHandleSize);  // 56 / 64
}  // namespace process_output

// QUERYOUTPUTIDCOUNT_INPUT / _OUTPUT.
namespace output_id_count_input {
inline constexpr std::size_t kDeviceHandle = kQueryPayload;
inline constexpr std::size_t kCryptoSessionHandle = kDeviceHandle + kHandleSize;
inline constexpr std::size_t kSize = struct_size(kCryptoSessionHandle + kHandleSize);  // 32 / 48
}  // namespace output_id_count_input
namespace output_id_count_output {
inline constexpr std::size_t kDeviceHandle = kOutputPayload;
inline constexpr std::size_t kCryptoSessionHandle = kDeviceHandle + kHandleSize;
inline constexpr std::size_t kNumOutputIds = kCryptoSessionHandle + kHandleSize;
inline constexpr std::size_t kSize = struct_size(kNumOutputIds + 4);  // 56 / 72
}  // namespace output_id_count_output

// QUERYOUTPUTID_INPUT / _OUTPUT.
namespace output_id_input {
inline constexpr std::size_t kDeviceHandle = kQueryPayload;
inline constexpr std::size_t kCryptoSessionHandle = kDeviceHandle + kHandleSize;
inline constexpr std::size_t kOutputIdIndex = kCryptoSessionHandle + kHandleSize;
inline constexpr std::size_t kSize = struct_size(kOutputIdIndex + 4);  // 36 / 56
}  // namespace output_id_input
namespace output_id_output {
inline constexpr std::size_t kDeviceHandle = kOutputPayload;
inline constexpr std::size_t kCryptoSessionHandle = kDeviceHandle + kHandleSize;
inline constexpr std::size_t kOutputIdIndex = kCryptoSessionHandle + kHandleSize;
inline constexpr std::size_t kOutputId = align_up(kOutputIdIndex + 4, 8);  // UINT64
inline constexpr std::size_t kSize = align_up(kOutputId + 8, 8);          // 64 / 80
}  // namespace output_id_output

// QUERYINFOBUSTYPE_OUTPUT (ACCESSIBILITYATTRIBUTES).
namespace accessibility_output {
inline constexpr std::size_t kBusType = kOutputPayload;
inline constexpr std::size_t kAccessibleInContiguousBlocks = kBusType + 4;
inline constexpr std::size_t kAccessibleInNonContiguousBlocks = kBusType + 8;
inline constexpr std::size_t kSize = struct_size(kBusType + 12);  // 56 / 64
}  // namespace accessibility_output

// QUERYEVICTIONENCRYPTIONGUID_OUTPUT.
namespace encryption_guid_output {
inline constexpr std::size_t kIndex = kOutputPayload;
inline constexpr std::size_t kGuid = kIndex + 4;
inline constexpr std::size_t kSize = struct_size(kGuid + 16);  // 64 / 72
}  // namespace encryption_guid_output

// QUERYUNCOMPRESSEDENCRYPTIONLEVEL_OUTPUT (CURRENTENCRYPTIONWHENACCESSIBLE).
namespace current_encryption_output {
inline constexpr std::size_t kGuid = kOutputPayload;
inline constexpr std::size_t kSize = struct_size(kGuid + 16);  // 60 / 64
}  // namespace current_encryption_output

// CONFIGUREINITIALIZE.
namespace initialize_input {
inline constexpr std::size_t kStartSequenceQuery = kConfigurePayload;
inline constexpr std::size_t kStartSequenceConfigure = kStartSequenceQuery + 4;
inline constexpr std::size_t kSize = struct_size(kStartSequenceConfigure + 4);  // 48 / 56
}  // namespace initialize_input

// CONFIGUREPROTECTION.
namespace protection_input {
inline constexpr std::size_t kProtections = kConfigurePayload;
inline constexpr std::size_t kSize = struct_size(kProtections + 4);  // 44 / 56
}  // namespace protection_input

// CONFIGURECRYPTOSESSION.
namespace crypto_session_input {
inline constexpr std::size_t kDecodeHandle = kConfigurePayload;
inline constexpr std::size_t kCryptoSessionHandle = kDecodeHandle + kHandleSize;
inline constexpr std::size_t kDeviceHandle = kCryptoSessionHandle + kHandleSize;
inline constexpr std::size_t kSize = struct_size(kDeviceHandle + kHandleSize);  // 52 / 72
}  // namespace crypto_session_input

// CONFIGURESHAREDRESOURCE.
namespace shared_resource_input {
inline constexpr std::size_t kIdentifierType = kConfigurePayload;
inline constexpr std::size_t kProcessHandle = align_up(kIdentifierType + 4, kHandleSize);
inline constexpr std::size_t kAllowAccess = kProcessHandle + kHandleSize;
inline constexpr std::size_t kSize = struct_size(kAllowAccess + 4);  // 52 / 72
}  // namespace shared_resource_input

// CONFIGUREUNCOMPRESSEDENCRYPTION (ENCRYPTIONWHENACCESSIBLE).
namespace encryption_input {
inline constexpr std::size_t kEncryptionGuid = kConfigurePayload;
inline constexpr std::size_t kSize = struct_size(kEncryptionGuid + 16);  // 56 / 64
}  // namespace encryption_input

}  // namespace channel_layout

// ---- Sizes per GUID (spec §5.6, §5.7, A27) ----

struct QuerySizes {
  std::uint32_t input = 0;   // the exact InputSize
  std::uint32_t output = 0;  // N: the exact OutputSize and the end of the MACed range
};
QuerySizes query_sizes(ChannelQuery query);
// The exact InputSize (= N, the end of the MACed range).
std::uint32_t configure_input_size(ChannelConfigure configure);
inline constexpr std::uint32_t kQueryInputHeaderSize = channel_layout::query_input::kSize;
inline constexpr std::uint32_t kOutputHeaderSize = channel_layout::output_header::kSize;
inline constexpr std::uint32_t kConfigureInputHeaderSize = channel_layout::configure_input::kSize;
inline constexpr std::uint32_t kConfigureOutputSize = channel_layout::output_header::kSize;

// ---- OMAC byte ranges (spec §5.8, §7.6) ----

// What a configure input's tag covers: [16, InputSize), exactly as received, padding included.
// `input` is the whole input (InputSize bytes, at least the CONFIGURE_INPUT header).
std::span<const std::uint8_t> configure_input_mac_range(std::span<const std::uint8_t> input);
// What an output's tag covers once its first `written` bytes are final: [16, written).
std::span<const std::uint8_t> output_mac_range(std::span<const std::uint8_t> output,
                                               std::size_t written);
// W, how many bytes of a query output the driver writes and signs (§5.8 rule 3, A27): the
// defined size N for a known GUID, capped at OutputSize; the header alone for an unknown GUID.
// Requires output_size ≥ kOutputHeaderSize (a smaller output gets nothing).
std::size_t query_output_written_size(std::optional<ChannelQuery> query, std::size_t output_size);

// ---- Signing with the channel key (spec §5.8, §7.6) ----

// Writes AES-CMAC(key) over bytes [16, end) of `message` into its omac, bytes [0, 16): a
// configure input with end = InputSize, an output with end = W. Requires 16 ≤ end ≤ size.
Result<void> sign_message(std::span<const std::uint8_t> key, std::span<std::uint8_t> message,
                          std::size_t end);
// Whether `message`'s omac is AES-CMAC(key) over bytes [16, end), compared in constant time.
Result<bool> message_mac_verifies(std::span<const std::uint8_t> key,
                                  std::span<const std::uint8_t> message, std::size_t end);

// ---- Field access (host byte order, any alignment) ----

std::uint32_t load_u32(std::span<const std::uint8_t> message, std::size_t offset);
void store_u32(std::span<std::uint8_t> message, std::size_t offset, std::uint32_t value);
std::uint64_t load_u64(std::span<const std::uint8_t> message, std::size_t offset);
void store_u64(std::span<std::uint8_t> message, std::size_t offset, std::uint64_t value);
// A HANDLE field, widened to 64 bits.
std::uint64_t load_handle(std::span<const std::uint8_t> message, std::size_t offset);
void store_handle(std::span<std::uint8_t> message, std::size_t offset, std::uint64_t value);
GuidBytes load_guid(std::span<const std::uint8_t> message, std::size_t offset);
void store_guid(std::span<std::uint8_t> message, std::size_t offset, const GuidBytes& guid);

// The header fields every side reads: type GUID, hChannel, SequenceNumber.
struct MessageHeader {
  GuidBytes type{};
  std::uint64_t channel = 0;
  std::uint32_t sequence_number = 0;
};
// Require at least the header's bytes.
MessageHeader read_query_input_header(std::span<const std::uint8_t> input);
MessageHeader read_configure_input_header(std::span<const std::uint8_t> input);
MessageHeader read_output_header(std::span<const std::uint8_t> output);
void write_query_input_header(std::span<std::uint8_t> input, const MessageHeader& header);
void write_configure_input_header(std::span<std::uint8_t> input, const MessageHeader& header);
// Everything but the omac field, which the signer fills last.
void write_output_header(std::span<std::uint8_t> output, const MessageHeader& header,
                         std::int32_t return_code);
std::int32_t read_return_code(std::span<const std::uint8_t> output);

}  // namespace cpddi::wire
