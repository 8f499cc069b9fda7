#include "wire/channel_messages.h"

#include <algorithm>
#include <cstring>

#include "crypto/cmac.h"

namespace cpddi::wire {
namespace {

using namespace channel_layout;

struct QueryEntry {
  GuidBytes guid;
  const char* name;
  QuerySizes sizes;
};

// Indexed by ChannelQuery. GUID values: spec §2.3 (d3d9types.h).
constexpr QueryEntry kQueries[kChannelQueryCount] = {
    {make_guid(0xa84eb584, 0xc495, 0x48aa, {0xb9, 0x4d, 0x8b, 0xd2, 0xd6, 0xfb, 0xce, 0x05}),
     "PROTECTION", {query_input::kSize, uint_output::kSize}},
    {make_guid(0xbc1b18a5, 0xb1fb, 0x42ab, {0xbd, 0x94, 0xb5, 0x82, 0x8b, 0x4b, 0xf7, 0xbe}),
     "CHANNELTYPE", {query_input::kSize, uint_output::kSize}},
    {make_guid(0xec1c539d, 0x8cff, 0x4e2a, {0xbc, 0xc4, 0xf5, 0x69, 0x2f, 0x99, 0xf4, 0x80}),
     "DEVICEHANDLE", {query_input::kSize, device_handle_output::kSize}},
    {make_guid(0x2634499e, 0xd018, 0x4d74, {0xac, 0x17, 0x7f, 0x72, 0x40, 0x59, 0x52, 0x8d}),
     "CRYPTOSESSION", {crypto_session_query_input::kSize, crypto_session_query_output::kSize}},
    {make_guid(0x0db207b3, 0x9450, 0x46a6, {0x82, 0xde, 0x1b, 0x96, 0xd4, 0x4f, 0x9c, 0xf2}),
     "RESTRICTEDSHAREDRESOURCEPROCESSCOUNT", {query_input::kSize, uint_output::kSize}},
    {make_guid(0x649bbadb, 0xf0f4, 0x4639, {0xa1, 0x5b, 0x24, 0x39, 0x3f, 0xc3, 0xab, 0xac}),
     "RESTRICTEDSHAREDRESOURCEPROCESS", {index_query_input::kSize, process_output::kSize}},
    {make_guid(0x012f0bd6, 0xe662, 0x4474, {0xbe, 0xfd, 0xaa, 0x53, 0xe5, 0x14, 0x3c, 0x6d}),
     "UNRESTRICTEDPROTECTEDSHAREDRESOURCECOUNT", {query_input::kSize, uint_output::kSize}},
    {make_guid(0x2c042b5e, 0x8c07, 0x46d5, {0xaa, 0xbe, 0x8f, 0x75, 0xcb, 0xad, 0x4c, 0x31}),
     "OUTPUTIDCOUNT", {output_id_count_input::kSize, output_id_count_output::kSize}},
    {make_guid(0x839ddca3, 0x9b4e, 0x41e4, {0xb0, 0x53, 0x89, 0x2b, 0xd2, 0xa1, 0x1e, 0xe7}),
     "OUTPUTID", {output_id_input::kSize, output_id_output::kSize}},
    {make_guid(0x6214d9d2, 0x432c, 0x4abb, {0x9f, 0xce, 0x21, 0x6e, 0xea, 0x26, 0x9e, 0x3b}),
     "ACCESSIBILITYATTRIBUTES", {query_input::kSize, accessibility_output::kSize}},
    {make_guid(0xb30f7066, 0x203c, 0x4b07, {0x93, 0xfc, 0xce, 0xaa, 0xfd, 0x61, 0x24, 0x1e}),
     "ENCRYPTIONWHENACCESSIBLEGUIDCOUNT", {query_input::kSize, uint_output::kSize}},
    {make_guid(0xf83a5958, 0xe986, 0x4bda, {0xbe, 0xb0, 0x41, 0x1f, 0x6a, 0x7a, 0x01, 0xb7}),
     "ENCRYPTIONWHENACCESSIBLEGUID", {index_query_input::kSize, encryption_guid_output::kSize}},
    {make_guid(0xec1791c7, 0xdad3, 0x4f15, {0x9e, 0xc3, 0xfa, 0xa9, 0x3d, 0x60, 0xd4, 0xf0}),
     "CURRENTENCRYPTIONWHENACCESSIBLE", {query_input::kSize, current_encryption_output::kSize}},
};

struct ConfigureEntry {
  GuidBytes guid;
  const char* name;
  std::uint32_t input_size;
};

// Indexed by ChannelConfigure.
constexpr ConfigureEntry kConfigures[kChannelConfigureCount] = {
    {make_guid(0x06114bdb, 0x3523, 0x470a, {0x8d, 0xca, 0xfb, 0xc2, 0x84, 0x51, 0x54, 0xf0}),
     "INITIALIZE", initialize_input::kSize},
    {make_guid(0x50455658, 0x3f47, 0x4362, {0xbf, 0x99, 0xbf, 0xdf, 0xcd, 0xe9, 0xed, 0x29}),
     "PROTECTION", protection_input::kSize},
    {make_guid(0x6346cc54, 0x2cfc, 0x4ad4, {0x82, 0x24, 0xd1, 0x58, 0x37, 0xde, 0x77, 0x00}),
     "CRYPTOSESSION", crypto_session_input::kSize},
    {make_guid(0x0772d047, 0x1b40, 0x48e8, {0x9c, 0xa6, 0xb5, 0xf5, 0x10, 0xde, 0x9f, 0x01}),
     "SHAREDRESOURCE", shared_resource_input::kSize},
    {make_guid(0x41fff286, 0x6ae0, 0x4d43, {0x9d, 0x55, 0xa4, 0x6e, 0x9e, 0xfd, 0x15, 0x8a}),
     "ENCRYPTIONWHENACCESSIBLE", encryption_input::kSize},
};

template <class Entry, std::size_t N>
std::optional<std::size_t> index_of(const Entry (&table)[N],
                                    std::span<const std::uint8_t, 16> guid) {
  for (std::size_t i = 0; i < N; ++i) {
    if (std::equal(guid.begin(), guid.end(), table[i].guid.begin())) {
      return i;
    }
  }
  return std::nullopt;
}

template <class T>
T load(std::span<const std::uint8_t> message, std::size_t offset) {
  T value{};
  std::memcpy(&value, message.subspan(offset, sizeof(T)).data(), sizeof(T));
  return value;
}

template <class T>
void store(std::span<std::uint8_t> message, std::size_t offset, T value) {
  std::memcpy(message.subspan(offset, sizeof(T)).data(), &value, sizeof(T));
}

MessageHeader read_header(std::span<const std::uint8_t> message, std::size_t type,
                          std::size_t channel, std::size_t sequence_number) {
  return MessageHeader{load_guid(message, type), load_handle(message, channel),
                       load_u32(message, sequence_number)};
}

void write_header(std::span<std::uint8_t> message, const MessageHeader& header, std::size_t type,
                  std::size_t channel, std::size_t sequence_number) {
  store_guid(message, type, header.type);
  store_handle(message, channel, header.channel);
  store_u32(message, sequence_number, header.sequence_number);
}

}  // namespace

const GuidBytes& guid_of(ChannelQuery query) {
  return kQueries[static_cast<std::size_t>(query)].guid;
}
const GuidBytes& guid_of(ChannelConfigure configure) {
  return kConfigures[static_cast<std::size_t>(configure)].guid;
}
const char* name_of(ChannelQuery query) { return kQueries[static_cast<std::size_t>(query)].name; }
const char* name_of(ChannelConfigure configure) {
  return kConfigures[static_cast<std::size_t>(configure)].name;
}

std::optional<ChannelQuery> channel_query_from_guid(std::span<const std::uint8_t, 16> guid) {
  const std::optional<std::size_t> index = index_of(kQueries, guid);
  return index ? std::optional(static_cast<ChannelQuery>(*index)) : std::nullopt;
}

std::optional<ChannelConfigure> channel_configure_from_guid(
    std::span<const std::uint8_t, 16> guid) {
  const std::optional<std::size_t> index = index_of(kConfigures, guid);
  return index ? std::optional(static_cast<ChannelConfigure>(*index)) : std::nullopt;
}

QuerySizes query_sizes(ChannelQuery query) {
  return kQueries[static_cast<std::size_t>(query)].sizes;
}

std::uint32_t configure_input_size(ChannelConfigure configure) {
  return kConfigures[static_cast<std::size_t>(configure)].input_size;
}

std::span<const std::uint8_t> configure_input_mac_range(std::span<const std::uint8_t> input) {
  return input.subspan(kOmacSize);
}

std::span<const std::uint8_t> output_mac_range(std::span<const std::uint8_t> output,
                                               std::size_t written) {
  return output.subspan(kOmacSize, written - kOmacSize);
}

Result<void> sign_message(std::span<const std::uint8_t> key, std::span<std::uint8_t> message,
                          std::size_t end) {
  Result<crypto::CmacTag> tag = crypto::aes_cmac(key, output_mac_range(message, end));
  if (!tag) {
    return tag.error();
  }
  std::copy(tag->begin(), tag->end(), message.begin());
  return {};
}

Result<bool> message_mac_verifies(std::span<const std::uint8_t> key,
                                  std::span<const std::uint8_t> message, std::size_t end) {
  return crypto::aes_cmac_verify(key, output_mac_range(message, end), message.first(kOmacSize));
}

std::size_t query_output_written_size(std::optional<ChannelQuery> query,
                                      std::size_t output_size) {
  if (!query) {
    return kOutputHeaderSize;
  }
  return std::min<std::size_t>(output_size, query_sizes(*query).output);
}

std::uint32_t load_u32(std::span<const std::uint8_t> message, std::size_t offset) {
  return load<std::uint32_t>(message, offset);
}
void store_u32(std::span<std::uint8_t> message, std::size_t offset, std::uint32_t value) {
  store(message, offset, value);
}
std::uint64_t load_u64(std::span<const std::uint8_t> message, std::size_t offset) {
  return load<std::uint64_t>(message, offset);
}
void store_u64(std::span<std::uint8_t> message, std::size_t offset, std::uint64_t value) {
  store(message, offset, value);
}
std::uint64_t load_handle(std::span<const std::uint8_t> message, std::size_t offset) {
  return load<std::uintptr_t>(message, offset);
}
void store_handle(std::span<std::uint8_t> message, std::size_t offset, std::uint64_t value) {
  store(message, offset, static_cast<std::uintptr_t>(value));
}
GuidBytes load_guid(std::span<const std::uint8_t> message, std::size_t offset) {
  return load<GuidBytes>(message, offset);
}
void store_guid(std::span<std::uint8_t> message, std::size_t offset, const GuidBytes& guid) {
  store(message, offset, guid);
}

MessageHeader read_query_input_header(std::span<const std::uint8_t> input) {
  return read_header(input, query_input::kQueryType, query_input::kChannel,
                     query_input::kSequenceNumber);
}
MessageHeader read_configure_input_header(std::span<const std::uint8_t> input) {
  return read_header(input, configure_input::kConfigureType, configure_input::kChannel,
                     configure_input::kSequenceNumber);
}
MessageHeader read_output_header(std::span<const std::uint8_t> output) {
  return read_header(output, output_header::kType, output_header::kChannel,
                     output_header::kSequenceNumber);
}
void write_query_input_header(std::span<std::uint8_t> input, const MessageHeader& header) {
  write_header(input, header, query_input::kQueryType, query_input::kChannel,
               query_input::kSequenceNumber);
}
void write_configure_input_header(std::span<std::uint8_t> input, const MessageHeader& header) {
  write_header(input, header, configure_input::kConfigureType, configure_input::kChannel,
               configure_input::kSequenceNumber);
}
void write_output_header(std::span<std::uint8_t> output, const MessageHeader& header,
                         std::int32_t return_code) {
  write_header(output, header, output_header::kType, output_header::kChannel,
               output_header::kSequenceNumber);
  store(output, output_header::kReturnCode, return_code);
}
std::int32_t read_return_code(std::span<const std::uint8_t> output) {
  return load<std::int32_t>(output, output_header::kReturnCode);
}

}  // namespace cpddi::wire
