// The channel wire format (src/wire/channel_messages.h) pinned against the public header's WDK
// structs (include/cpddi/d3dddi_cp9.h) and against the numbers of spec §2.8 and §5.8: every
// offset wire uses equals offsetof of the struct field, every size equals sizeof and the spec's
// x86/x64 column, every GUID equals the header's, and the OMAC ranges are [16, N).
#include "wire/channel_messages.h"

#include <cstddef>
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "cpddi/d3dddi_cp9.h"
#include "crypto/cmac.h"

namespace cpddi::wire {
namespace {

namespace L = channel_layout;

#if defined(__x86_64__) || defined(_M_X64)
#define SPEC(x86, x64) (x64)
#elif defined(__i386__) || defined(_M_IX86)
#define SPEC(x86, x64) (x86)
#endif

// ---- Headers ----
static_assert(L::query_input::kQueryType ==
              offsetof(D3DAUTHENTICATEDCHANNEL_QUERY_INPUT, QueryType));
static_assert(L::query_input::kChannel == offsetof(D3DAUTHENTICATEDCHANNEL_QUERY_INPUT, hChannel));
static_assert(L::query_input::kSequenceNumber ==
              offsetof(D3DAUTHENTICATEDCHANNEL_QUERY_INPUT, SequenceNumber));
static_assert(L::query_input::kSize == sizeof(D3DAUTHENTICATEDCHANNEL_QUERY_INPUT));
static_assert(L::query_input::kSize == SPEC(24, 32));

static_assert(L::output_header::kOmac == offsetof(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT, omac));
static_assert(L::output_header::kType == offsetof(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT, QueryType));
static_assert(L::output_header::kChannel ==
              offsetof(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT, hChannel));
static_assert(L::output_header::kSequenceNumber ==
              offsetof(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT, SequenceNumber));
static_assert(L::output_header::kReturnCode ==
              offsetof(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT, ReturnCode));
static_assert(L::output_header::kSize == sizeof(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT));
static_assert(L::output_header::kType ==
              offsetof(D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT, ConfigureType));
static_assert(L::output_header::kChannel ==
              offsetof(D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT, hChannel));
static_assert(L::output_header::kSequenceNumber ==
              offsetof(D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT, SequenceNumber));
static_assert(L::output_header::kReturnCode ==
              offsetof(D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT, ReturnCode));
static_assert(L::output_header::kSize == sizeof(D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT));
static_assert(kConfigureOutputSize == SPEC(44, 48) && kOutputHeaderSize == SPEC(44, 48));

static_assert(L::configure_input::kConfigureType ==
              offsetof(D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT, ConfigureType));
static_assert(L::configure_input::kChannel ==
              offsetof(D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT, hChannel));
static_assert(L::configure_input::kSequenceNumber ==
              offsetof(D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT, SequenceNumber));
static_assert(L::configure_input::kSize == sizeof(D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT));
static_assert(L::configure_input::kSize == SPEC(40, 48));

// ---- Query payloads (spec §2.8 sizes) ----
#define PIN(ns, field, type, member) \
  static_assert(L::ns::field == offsetof(D3DAUTHENTICATEDCHANNEL_##type, member))
#define PIN_SIZE(ns, type, x86, x64)                                          \
  static_assert(L::ns::kSize == sizeof(D3DAUTHENTICATEDCHANNEL_##type));      \
  static_assert(L::ns::kSize == SPEC(x86, x64))

PIN(uint_output, kValue, QUERYPROTECTION_OUTPUT, ProtectionFlags);
PIN_SIZE(uint_output, QUERYPROTECTION_OUTPUT, 48, 56);
PIN(uint_output, kValue, QUERYCHANNELTYPE_OUTPUT, ChannelType);
PIN_SIZE(uint_output, QUERYCHANNELTYPE_OUTPUT, 48, 56);
PIN(uint_output, kValue, QUERYRESTRICTEDSHAREDRESOURCEPROCESSCOUNT_OUTPUT,
    NumRestrictedSharedResourceProcesses);
PIN_SIZE(uint_output, QUERYRESTRICTEDSHAREDRESOURCEPROCESSCOUNT_OUTPUT, 48, 56);
PIN(uint_output, kValue, QUERYUNRESTRICTEDPROTECTEDSHAREDRESOURCECOUNT_OUTPUT,
    NumUnrestrictedProtectedSharedResources);
PIN_SIZE(uint_output, QUERYUNRESTRICTEDPROTECTEDSHAREDRESOURCECOUNT_OUTPUT, 48, 56);
PIN(uint_output, kValue, QUERYEVICTIONENCRYPTIONGUIDCOUNT_OUTPUT, NumEncryptionGuids);
PIN_SIZE(uint_output, QUERYEVICTIONENCRYPTIONGUIDCOUNT_OUTPUT, 48, 56);

PIN(device_handle_output, kDeviceHandle, QUERYDEVICEHANDLE_OUTPUT, DeviceHandle);
PIN_SIZE(device_handle_output, QUERYDEVICEHANDLE_OUTPUT, 48, 56);

PIN(crypto_session_query_input, kDecodeHandle, QUERYCRYPTOSESSION_INPUT, DXVA2DecodeHandle);
PIN_SIZE(crypto_session_query_input, QUERYCRYPTOSESSION_INPUT, 28, 40);
PIN(crypto_session_query_output, kDecodeHandle, QUERYCRYPTOSESSION_OUTPUT, DXVA2DecodeHandle);
PIN(crypto_session_query_output, kCryptoSessionHandle, QUERYCRYPTOSESSION_OUTPUT,
    CryptoSessionHandle);
PIN(crypto_session_query_output, kDeviceHandle, QUERYCRYPTOSESSION_OUTPUT, DeviceHandle);
PIN_SIZE(crypto_session_query_output, QUERYCRYPTOSESSION_OUTPUT, 56, 72);

PIN(index_query_input, kIndex, QUERYRESTRICTEDSHAREDRESOURCEPROCESS_INPUT, ProcessIndex);
PIN_SIZE(index_query_input, QUERYRESTRICTEDSHAREDRESOURCEPROCESS_INPUT, 28, 40);
PIN(index_query_input, kIndex, QUERYEVICTIONENCRYPTIONGUID_INPUT, EncryptionGuidIndex);
PIN_SIZE(index_query_input, QUERYEVICTIONENCRYPTIONGUID_INPUT, 28, 40);

PIN(process_output, kProcessIndex, QUERYRESTRICTEDSHAREDRESOURCEPROCESS_OUTPUT, ProcessIndex);
PIN(process_output, kIdentifierType, QUERYRESTRICTEDSHAREDRESOURCEPROCESS_OUTPUT,
    ProcessIdentifer);
PIN(process_output, kProcessHandle, QUERYRESTRICTEDSHAREDRESOURCEPROCESS_OUTPUT, ProcessHandle);
PIN_SIZE(process_output, QUERYRESTRICTEDSHAREDRESOURCEPROCESS_OUTPUT, 56, 64);

PIN(output_id_count_input, kDeviceHandle, QUERYOUTPUTIDCOUNT_INPUT, DeviceHandle);
PIN(output_id_count_input, kCryptoSessionHandle, QUERYOUTPUTIDCOUNT_INPUT, CryptoSessionHandle);
PIN_SIZE(output_id_count_input, QUERYOUTPUTIDCOUNT_INPUT, 32, 48);
PIN(output_id_count_output, kDeviceHandle, QUERYOUTPUTIDCOUNT_OUTPUT, DeviceHandle);
PIN(output_id_count_output, kCryptoSessionHandle, QUERYOUTPUTIDCOUNT_OUTPUT, CryptoSessionHandle);
PIN(output_id_count_output, kNumOutputIds, QUERYOUTPUTIDCOUNT_OUTPUT, NumOutputIDs);
PIN_SIZE(output_id_count_output, QUERYOUTPUTIDCOUNT_OUTPUT, 56, 72);

PIN(output_id_input, kDeviceHandle, QUERYOUTPUTID_INPUT, DeviceHandle);
PIN(output_id_input, kCryptoSessionHandle, QUERYOUTPUTID_INPUT, CryptoSessionHandle);
PIN(output_id_input, kOutputIdIndex, QUERYOUTPUTID_INPUT, OutputIDIndex);
PIN_SIZE(output_id_input, QUERYOUTPUTID_INPUT, 36, 56);
PIN(output_id_output, kDeviceHandle, QUERYOUTPUTID_OUTPUT, DeviceHandle);
PIN(output_id_output, kCryptoSessionHandle, QUERYOUTPUTID_OUTPUT, CryptoSessionHandle);
PIN(output_id_output, kOutputIdIndex, QUERYOUTPUTID_OUTPUT, OutputIDIndex);
PIN(output_id_output, kOutputId, QUERYOUTPUTID_OUTPUT, OutputID);
PIN_SIZE(output_id_output, QUERYOUTPUTID_OUTPUT, 64, 80);

PIN(accessibility_output, kBusType, QUERYINFOBUSTYPE_OUTPUT, BusType);
PIN(accessibility_output, kAccessibleInContiguousBlocks, QUERYINFOBUSTYPE_OUTPUT,
    bAccessibleInContiguousBlocks);
PIN(accessibility_output, kAccessibleInNonContiguousBlocks, QUERYINFOBUSTYPE_OUTPUT,
    bAccessibleInNonContiguousBlocks);
PIN_SIZE(accessibility_output, QUERYINFOBUSTYPE_OUTPUT, 56, 64);

PIN(encryption_guid_output, kIndex, QUERYEVICTIONENCRYPTIONGUID_OUTPUT, EncryptionGuidIndex);
PIN(encryption_guid_output, kGuid, QUERYEVICTIONENCRYPTIONGUID_OUTPUT, EncryptionGuid);
PIN_SIZE(encryption_guid_output, QUERYEVICTIONENCRYPTIONGUID_OUTPUT, 64, 72);

PIN(current_encryption_output, kGuid, QUERYUNCOMPRESSEDENCRYPTIONLEVEL_OUTPUT, EncryptionGuid);
PIN_SIZE(current_encryption_output, QUERYUNCOMPRESSEDENCRYPTIONLEVEL_OUTPUT, 60, 64);

// ---- Configure payloads ----
PIN(initialize_input, kStartSequenceQuery, CONFIGUREINITIALIZE, StartSequenceQuery);
PIN(initialize_input, kStartSequenceConfigure, CONFIGUREINITIALIZE, StartSequenceConfigure);
PIN_SIZE(initialize_input, CONFIGUREINITIALIZE, 48, 56);
static_assert(L::initialize_input::kStartSequenceQuery == SPEC(40, 48));  // spec §2.8

PIN(protection_input, kProtections, CONFIGUREPROTECTION, Protections);
PIN_SIZE(protection_input, CONFIGUREPROTECTION, 44, 56);

PIN(crypto_session_input, kDecodeHandle, CONFIGURECRYPTOSESSION, DXVA2DecodeHandle);
PIN(crypto_session_input, kCryptoSessionHandle, CONFIGURECRYPTOSESSION, CryptoSessionHandle);
PIN(crypto_session_input, kDeviceHandle, CONFIGURECRYPTOSESSION, DeviceHandle);
PIN_SIZE(crypto_session_input, CONFIGURECRYPTOSESSION, 52, 72);

PIN(shared_resource_input, kIdentifierType, CONFIGURESHAREDRESOURCE, ProcessIdentiferType);
PIN(shared_resource_input, kProcessHandle, CONFIGURESHAREDRESOURCE, ProcessHandle);
PIN(shared_resource_input, kAllowAccess, CONFIGURESHAREDRESOURCE, AllowAccess);
PIN_SIZE(shared_resource_input, CONFIGURESHAREDRESOURCE, 52, 72);

PIN(encryption_input, kEncryptionGuid, CONFIGUREUNCOMPRESSEDENCRYPTION, EncryptionGuid);
PIN_SIZE(encryption_input, CONFIGUREUNCOMPRESSEDENCRYPTION, 56, 64);

static_assert(sizeof(D3DAUTHENTICATEDCHANNEL_PROTECTION_FLAGS) == 4);
static_assert(sizeof(D3D_OMAC) == 16);

GuidBytes bytes_of(const GUID& guid) {
  GuidBytes bytes{};
  std::memcpy(bytes.data(), &guid, 16);
  return bytes;
}

TEST(ChannelMessagesTest, QueryGuidsEqualTheHeadersAndRoundTrip) {
  const GUID* header[kChannelQueryCount] = {
      &D3DAUTHENTICATEDQUERY_PROTECTION,
      &D3DAUTHENTICATEDQUERY_CHANNELTYPE,
      &D3DAUTHENTICATEDQUERY_DEVICEHANDLE,
      &D3DAUTHENTICATEDQUERY_CRYPTOSESSION,
      &D3DAUTHENTICATEDQUERY_RESTRICTEDSHAREDRESOURCEPROCESSCOUNT,
      &D3DAUTHENTICATEDQUERY_RESTRICTEDSHAREDRESOURCEPROCESS,
      &D3DAUTHENTICATEDQUERY_UNRESTRICTEDPROTECTEDSHAREDRESOURCECOUNT,
      &D3DAUTHENTICATEDQUERY_OUTPUTIDCOUNT,
      &D3DAUTHENTICATEDQUERY_OUTPUTID,
      &D3DAUTHENTICATEDQUERY_ACCESSIBILITYATTRIBUTES,
      &D3DAUTHENTICATEDQUERY_ENCRYPTIONWHENACCESSIBLEGUIDCOUNT,
      &D3DAUTHENTICATEDQUERY_ENCRYPTIONWHENACCESSIBLEGUID,
      &D3DAUTHENTICATEDQUERY_CURRENTENCRYPTIONWHENACCESSIBLE,
  };
  for (std::size_t i = 0; i < kChannelQueryCount; ++i) {
    const auto query = static_cast<ChannelQuery>(i);
    EXPECT_EQ(guid_of(query), bytes_of(*header[i])) << name_of(query);
    EXPECT_EQ(channel_query_from_guid(guid_of(query)), query) << name_of(query);
    EXPECT_FALSE(channel_configure_from_guid(guid_of(query)).has_value()) << name_of(query);
  }
}

TEST(ChannelMessagesTest, ConfigureGuidsEqualTheHeadersAndRoundTrip) {
  const GUID* header[kChannelConfigureCount] = {
      &D3DAUTHENTICATEDCONFIGURE_INITIALIZE,
      &D3DAUTHENTICATEDCONFIGURE_PROTECTION,
      &D3DAUTHENTICATEDCONFIGURE_CRYPTOSESSION,
      &D3DAUTHENTICATEDCONFIGURE_SHAREDRESOURCE,
      &D3DAUTHENTICATEDCONFIGURE_ENCRYPTIONWHENACCESSIBLE,
  };
  for (std::size_t i = 0; i < kChannelConfigureCount; ++i) {
    const auto configure = static_cast<ChannelConfigure>(i);
    EXPECT_EQ(guid_of(configure), bytes_of(*header[i])) << name_of(configure);
    EXPECT_EQ(channel_configure_from_guid(guid_of(configure)), configure);
    EXPECT_FALSE(channel_query_from_guid(guid_of(configure)).has_value());
  }
}

TEST(ChannelMessagesTest, GuidBytesFollowTheStoredLayout) {
  // Spec §2.3: D3DAUTHENTICATEDQUERY_PROTECTION = {a84eb584-c495-48aa-b94d-8bd2d6fbce05}.
  const GuidBytes expected = {0x84, 0xb5, 0x4e, 0xa8, 0x95, 0xc4, 0xaa, 0x48,
                              0xb9, 0x4d, 0x8b, 0xd2, 0xd6, 0xfb, 0xce, 0x05};
  EXPECT_EQ(guid_of(ChannelQuery::kProtection), expected);
  GuidBytes unknown = expected;
  unknown[15] ^= 1;
  EXPECT_FALSE(channel_query_from_guid(unknown).has_value());
}

TEST(ChannelMessagesTest, SizesPerGuidMatchTheStructs) {
  EXPECT_EQ(query_sizes(ChannelQuery::kProtection).input,
            sizeof(D3DAUTHENTICATEDCHANNEL_QUERY_INPUT));
  EXPECT_EQ(query_sizes(ChannelQuery::kProtection).output,
            sizeof(D3DAUTHENTICATEDCHANNEL_QUERYPROTECTION_OUTPUT));
  EXPECT_EQ(query_sizes(ChannelQuery::kCryptoSession).input,
            sizeof(D3DAUTHENTICATEDCHANNEL_QUERYCRYPTOSESSION_INPUT));
  EXPECT_EQ(query_sizes(ChannelQuery::kCryptoSession).output,
            sizeof(D3DAUTHENTICATEDCHANNEL_QUERYCRYPTOSESSION_OUTPUT));
  EXPECT_EQ(query_sizes(ChannelQuery::kRestrictedSharedResourceProcess).input,
            sizeof(D3DAUTHENTICATEDCHANNEL_QUERYRESTRICTEDSHAREDRESOURCEPROCESS_INPUT));
  EXPECT_EQ(query_sizes(ChannelQuery::kRestrictedSharedResourceProcess).output,
            sizeof(D3DAUTHENTICATEDCHANNEL_QUERYRESTRICTEDSHAREDRESOURCEPROCESS_OUTPUT));
  EXPECT_EQ(query_sizes(ChannelQuery::kOutputIdCount).input,
            sizeof(D3DAUTHENTICATEDCHANNEL_QUERYOUTPUTIDCOUNT_INPUT));
  EXPECT_EQ(query_sizes(ChannelQuery::kOutputIdCount).output,
            sizeof(D3DAUTHENTICATEDCHANNEL_QUERYOUTPUTIDCOUNT_OUTPUT));
  EXPECT_EQ(query_sizes(ChannelQuery::kOutputId).input,
            sizeof(D3DAUTHENTICATEDCHANNEL_QUERYOUTPUTID_INPUT));
  EXPECT_EQ(query_sizes(ChannelQuery::kOutputId).output,
            sizeof(D3DAUTHENTICATEDCHANNEL_QUERYOUTPUTID_OUTPUT));
  EXPECT_EQ(query_sizes(ChannelQuery::kAccessibilityAttributes).output,
            sizeof(D3DAUTHENTICATEDCHANNEL_QUERYINFOBUSTYPE_OUTPUT));
  EXPECT_EQ(query_sizes(ChannelQuery::kEncryptionWhenAccessibleGuid).input,
            sizeof(D3DAUTHENTICATEDCHANNEL_QUERYEVICTIONENCRYPTIONGUID_INPUT));
  EXPECT_EQ(query_sizes(ChannelQuery::kEncryptionWhenAccessibleGuid).output,
            sizeof(D3DAUTHENTICATEDCHANNEL_QUERYEVICTIONENCRYPTIONGUID_OUTPUT));
  EXPECT_EQ(query_sizes(ChannelQuery::kCurrentEncryptionWhenAccessible).output,
            sizeof(D3DAUTHENTICATEDCHANNEL_QUERYUNCOMPRESSEDENCRYPTIONLEVEL_OUTPUT));
  EXPECT_EQ(query_sizes(ChannelQuery::kDeviceHandle).output,
            sizeof(D3DAUTHENTICATEDCHANNEL_QUERYDEVICEHANDLE_OUTPUT));
  EXPECT_EQ(configure_input_size(ChannelConfigure::kInitialize),
            sizeof(D3DAUTHENTICATEDCHANNEL_CONFIGUREINITIALIZE));
  EXPECT_EQ(configure_input_size(ChannelConfigure::kProtection),
            sizeof(D3DAUTHENTICATEDCHANNEL_CONFIGUREPROTECTION));
  EXPECT_EQ(configure_input_size(ChannelConfigure::kCryptoSession),
            sizeof(D3DAUTHENTICATEDCHANNEL_CONFIGURECRYPTOSESSION));
  EXPECT_EQ(configure_input_size(ChannelConfigure::kSharedResource),
            sizeof(D3DAUTHENTICATEDCHANNEL_CONFIGURESHAREDRESOURCE));
  EXPECT_EQ(configure_input_size(ChannelConfigure::kEncryptionWhenAccessible),
            sizeof(D3DAUTHENTICATEDCHANNEL_CONFIGUREUNCOMPRESSEDENCRYPTION));
}

#if defined(__x86_64__) || defined(_M_X64)
// Spec §5.8's table, x64 column: N and the MACed byte count per message.
TEST(ChannelMessagesTest, MacRangesAreSpec58OnX64) {
  struct Row {
    ChannelQuery query;
    std::size_t n;
  };
  const Row rows[] = {
      {ChannelQuery::kProtection, 56},
      {ChannelQuery::kChannelType, 56},
      {ChannelQuery::kDeviceHandle, 56},
      {ChannelQuery::kCryptoSession, 72},
      {ChannelQuery::kRestrictedSharedResourceProcessCount, 56},
      {ChannelQuery::kUnrestrictedProtectedSharedResourceCount, 56},
      {ChannelQuery::kEncryptionWhenAccessibleGuidCount, 56},
      {ChannelQuery::kRestrictedSharedResourceProcess, 64},
      {ChannelQuery::kOutputIdCount, 72},
      {ChannelQuery::kOutputId, 80},
      {ChannelQuery::kAccessibilityAttributes, 64},
      {ChannelQuery::kEncryptionWhenAccessibleGuid, 72},
      {ChannelQuery::kCurrentEncryptionWhenAccessible, 64},
  };
  std::vector<std::uint8_t> buffer(128);
  for (const Row& row : rows) {
    EXPECT_EQ(query_sizes(row.query).output, row.n) << name_of(row.query);
    const std::size_t written = query_output_written_size(row.query, row.n);
    EXPECT_EQ(written, row.n);
    const auto range = output_mac_range(buffer, written);
    EXPECT_EQ(range.data(), buffer.data() + 16);
    EXPECT_EQ(range.size(), row.n - 16) << name_of(row.query);
  }
  EXPECT_EQ(configure_input_size(ChannelConfigure::kInitialize), 56u);
  EXPECT_EQ(configure_input_size(ChannelConfigure::kProtection), 56u);
  EXPECT_EQ(configure_input_size(ChannelConfigure::kCryptoSession), 72u);
  EXPECT_EQ(configure_input_size(ChannelConfigure::kSharedResource), 72u);
  EXPECT_EQ(configure_input_size(ChannelConfigure::kEncryptionWhenAccessible), 64u);
  EXPECT_EQ(output_mac_range(buffer, kConfigureOutputSize).size(), 32u);
}
#endif

TEST(ChannelMessagesTest, WrittenSizeFollowsRule3) {
  const std::size_t n = query_sizes(ChannelQuery::kOutputId).output;
  EXPECT_EQ(query_output_written_size(ChannelQuery::kOutputId, n + 8), n);
  EXPECT_EQ(query_output_written_size(ChannelQuery::kOutputId, n - 4), n - 4);
  EXPECT_EQ(query_output_written_size(std::nullopt, n), kOutputHeaderSize);
}

TEST(ChannelMessagesTest, ConfigureInputMacRangeIsEverythingAfterTheOmac) {
  std::vector<std::uint8_t> input(configure_input_size(ChannelConfigure::kSharedResource));
  const auto range = configure_input_mac_range(input);
  EXPECT_EQ(range.data(), input.data() + 16);
  EXPECT_EQ(range.size(), input.size() - 16);
}

TEST(ChannelMessagesTest, HeadersRoundTripThroughTheWdkStructs) {
  D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT input{};
  std::memcpy(&input.ConfigureType, &D3DAUTHENTICATEDCONFIGURE_PROTECTION, 16);
  input.hChannel = reinterpret_cast<HANDLE>(std::uintptr_t{0xC500000100000007});
  input.SequenceNumber = 0xFFFFFFFE;
  std::vector<std::uint8_t> bytes(sizeof input);
  std::memcpy(bytes.data(), &input, sizeof input);
  const MessageHeader header = read_configure_input_header(bytes);
  EXPECT_EQ(header.type, guid_of(ChannelConfigure::kProtection));
  EXPECT_EQ(header.channel, 0xC500000100000007u);
  EXPECT_EQ(header.sequence_number, 0xFFFFFFFEu);

  std::vector<std::uint8_t> out(kOutputHeaderSize, 0xAA);
  write_output_header(out, header, static_cast<std::int32_t>(0x80070057));
  D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT output{};
  std::memcpy(&output, out.data(), sizeof output);
  EXPECT_EQ(std::memcmp(&output.ConfigureType, &D3DAUTHENTICATEDCONFIGURE_PROTECTION, 16), 0);
  EXPECT_EQ(output.hChannel, input.hChannel);
  EXPECT_EQ(output.SequenceNumber, 0xFFFFFFFEu);
  EXPECT_EQ(output.ReturnCode, E_INVALIDARG);
  EXPECT_EQ(read_return_code(out), E_INVALIDARG);
  EXPECT_EQ(out[0], 0xAA) << "the omac field is left to the signer";
}

TEST(ChannelMessagesTest, FieldAccessWorksAtUnalignedOffsets) {
  std::vector<std::uint8_t> buffer(40);
  store_u32(buffer, 3, 0x01020304);
  store_u64(buffer, 9, 0x1112131415161718);
  store_handle(buffer, 21, 0xC5000001000000FF);
  EXPECT_EQ(load_u32(buffer, 3), 0x01020304u);
  EXPECT_EQ(load_u64(buffer, 9), 0x1112131415161718u);
  EXPECT_EQ(load_handle(buffer, 21), 0xC5000001000000FFu);
}

// sign_message writes AES-CMAC over exactly [16, end) into [0, 16); message_mac_verifies accepts
// that tag, refuses it once any byte of the range changes, and ignores bytes past `end`.
TEST(ChannelMessagesTest, SignAndVerifyCoverExactlyTheRange) {
  const std::uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  std::vector<std::uint8_t> message(64);
  for (std::size_t i = 0; i < message.size(); ++i) {
    message[i] = static_cast<std::uint8_t>(3 * i);
  }
  const std::size_t end = 48;
  ASSERT_TRUE(sign_message(key, message, end));
  const Result<crypto::CmacTag> want =
      crypto::aes_cmac(key, std::span(message).subspan(16, end - 16));
  ASSERT_TRUE(want);
  EXPECT_EQ(std::memcmp(message.data(), want->data(), 16), 0);
  auto verifies = [&] {
    const Result<bool> verified = message_mac_verifies(key, message, end);
    EXPECT_TRUE(verified.has_value());
    return verified.has_value() && *verified;
  };
  EXPECT_TRUE(verifies());
  message[end] ^= 1;  // past the range
  EXPECT_TRUE(verifies());
  for (std::size_t at : {std::size_t{0}, std::size_t{16}, end - 1}) {
    message[at] ^= 1;
    EXPECT_FALSE(verifies()) << at;
    message[at] ^= 1;
  }
}

}  // namespace
}  // namespace cpddi::wire
