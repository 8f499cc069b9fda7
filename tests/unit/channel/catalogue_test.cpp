// The catalogues of spec §5.6/§5.7 with the state behind them (DeviceChannelState), the
// per-type restrictions (A33) and what a destroyed channel undoes (§5.5, A31, A40).
#include <algorithm>

#include "channel/channel_harness.h"

namespace cpddi::channel::testing {
namespace {

namespace layout = wire::channel_layout;
using wire::ChannelConfigure;
using wire::ChannelQuery;

class CatalogueTest : public ChannelHarness {
 protected:
  void SetUp() override {
    first = make_channel();
    open(*first, key, 1, 1);
  }

  // Runs `query` on `channel` with the next number and returns the successful reply.
  Reply ask(AuthenticatedChannel& channel, Bytes input) {
    Reply reply = query(channel, input);
    EXPECT_TRUE(reply.result.has_value()) << reply.result.error().reason;
    EXPECT_TRUE(verifies(reply.output, reply.output.size(), key));
    return reply;
  }
  Bytes next_query(ChannelQuery kind) { return query_input(kind, query_number++); }
  Bytes next_configure(ChannelConfigure kind) { return configure_input(kind, configure_number++); }

  std::uint32_t protection_of(AuthenticatedChannel& channel) {
    return wire::load_u32(ask(channel, next_query(ChannelQuery::kProtection)).output,
                          layout::uint_output::kValue);
  }
  Result<void> protect(AuthenticatedChannel& channel, std::uint32_t flags) {
    Bytes input = next_configure(ChannelConfigure::kProtection);
    wire::store_u32(input, layout::protection_input::kProtections, flags);
    return configure_signed(channel, input, key).result;
  }
  Result<void> share(AuthenticatedChannel& channel, ProcessIdentifierType type,
                     std::uint64_t process, bool allow) {
    Bytes input = next_configure(ChannelConfigure::kSharedResource);
    wire::store_u32(input, layout::shared_resource_input::kIdentifierType,
                    static_cast<std::uint32_t>(type));
    wire::store_handle(input, layout::shared_resource_input::kProcessHandle, process);
    wire::store_u32(input, layout::shared_resource_input::kAllowAccess, allow ? 1 : 0);
    return configure_signed(channel, input, key).result;
  }
  Result<void> bind(std::uint64_t decoder, std::uint64_t session, std::uint64_t device) {
    Bytes input = next_configure(ChannelConfigure::kCryptoSession);
    wire::store_handle(input, layout::crypto_session_input::kDecodeHandle, decoder);
    wire::store_handle(input, layout::crypto_session_input::kCryptoSessionHandle, session);
    wire::store_handle(input, layout::crypto_session_input::kDeviceHandle, device);
    return configure_signed(*first, input, key).result;
  }
  Result<void> choose_encryption(AuthenticatedChannel& channel, const wire::GuidBytes& guid) {
    Bytes input = next_configure(ChannelConfigure::kEncryptionWhenAccessible);
    wire::store_guid(input, layout::encryption_input::kEncryptionGuid, guid);
    return configure_signed(channel, input, key).result;
  }
  std::unique_ptr<AuthenticatedChannel> second_channel(ChannelType type = ChannelType::kSoftware) {
    auto channel = make_channel(type);
    open(*channel, key, 1, 1);
    return channel;
  }

  std::unique_ptr<AuthenticatedChannel> first;
  // One counter for every channel: numbers only need to rise per channel.
  std::uint32_t query_number = 1;
  std::uint32_t configure_number = 1;
};

TEST_F(CatalogueTest, ProtectionIsSetByConfigureAndReadByQuery) {
  EXPECT_EQ(protection_of(*first), kProtectionEnabled);  // PROTECTIONALWAYSON
  ASSERT_TRUE(protect(*first, kProtectionEnabled | kOverlayOrFullscreenRequired).has_value());
  EXPECT_EQ(protection_of(*first), kProtectionEnabled | kOverlayOrFullscreenRequired);
  ASSERT_TRUE(protect(*first, 0).has_value());
  EXPECT_EQ(protection_of(*first), kProtectionEnabled);
}

TEST_F(CatalogueTest, ProtectionWithoutAlwaysOnStartsOff) {
  ChannelFeatures features;
  features.protection_always_on = false;
  state = std::make_shared<DeviceChannelState>(features);
  auto channel = second_channel();
  EXPECT_EQ(protection_of(*channel), 0u);
  ASSERT_TRUE(protect(*channel, kProtectionEnabled).has_value());
  EXPECT_EQ(protection_of(*channel), kProtectionEnabled);
}

TEST_F(CatalogueTest, ProtectionReservedBitsAreRejected) {
  const Result<void> result = protect(*first, 0x4);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(protection_of(*first), kProtectionEnabled);
}

TEST_F(CatalogueTest, AnotherChannelCannotSwitchProtectionOffAndDestroyWithdraws) {
  auto other = second_channel();
  ASSERT_TRUE(protect(*first, kOverlayOrFullscreenRequired).has_value());
  ASSERT_TRUE(protect(*other, 0).has_value());  // withdraws only its own (empty) request
  EXPECT_EQ(protection_of(*other) & kOverlayOrFullscreenRequired, kOverlayOrFullscreenRequired);
  first->close();
  EXPECT_EQ(protection_of(*other), kProtectionEnabled);
}

TEST_F(CatalogueTest, ChannelTypeAndDeviceHandle) {
  EXPECT_EQ(wire::load_u32(ask(*first, next_query(ChannelQuery::kChannelType)).output,
                           layout::uint_output::kValue),
            2u);
  auto other = second_channel();
  const Reply a = ask(*first, next_query(ChannelQuery::kDeviceHandle));
  const Reply b = ask(*other, next_query(ChannelQuery::kDeviceHandle));
  EXPECT_EQ(wire::load_handle(a.output, layout::device_handle_output::kDeviceHandle),
            kDeviceHandle);
  EXPECT_EQ(wire::load_handle(b.output, layout::device_handle_output::kDeviceHandle),
            kDeviceHandle);
}

TEST_F(CatalogueTest, CryptoSessionBindingIsValidatedStoredAndQueried) {
  constexpr std::uint64_t kDecoder = 0x1234;
  auto ask_binding = [&](std::uint64_t decoder) {
    Bytes input = next_query(ChannelQuery::kCryptoSession);
    wire::store_handle(input, layout::crypto_session_query_input::kDecodeHandle, decoder);
    return query(*first, input);
  };
  const Reply unbound = ask_binding(kDecoder);
  EXPECT_FALSE(unbound.result.has_value());
  EXPECT_EQ(unbound.return_code(), kCodeInvalidArgument);

  EXPECT_FALSE(bind(kDecoder, kSessionHandle, kDeviceHandle + 1).has_value());  // other device
  EXPECT_FALSE(bind(kDecoder, kSessionHandle + 1, kDeviceHandle).has_value());  // no session
  ASSERT_TRUE(bind(kDecoder, kSessionHandle, kDeviceHandle).has_value());
  const Reply bound = ask_binding(kDecoder);
  ASSERT_TRUE(bound.result.has_value());
  EXPECT_TRUE(verifies(bound.output, bound.output.size(), key));
  namespace out = layout::crypto_session_query_output;
  EXPECT_EQ(wire::load_handle(bound.output, out::kDecodeHandle), kDecoder);
  EXPECT_EQ(wire::load_handle(bound.output, out::kCryptoSessionHandle), kSessionHandle);
  EXPECT_EQ(wire::load_handle(bound.output, out::kDeviceHandle), kDeviceHandle);

  first->close();  // bindings outlive the channel (§5.5)
  EXPECT_TRUE(state->binding(kDecoder).has_value());
  state->forget_session(kSessionHandle);  // ... and die with the session
  EXPECT_FALSE(state->binding(kDecoder).has_value());
}

TEST_F(CatalogueTest, SharedResourceListIsEditedAndQueried) {
  auto count = [&] {
    return wire::load_u32(
        ask(*first, next_query(ChannelQuery::kRestrictedSharedResourceProcessCount)).output,
        layout::uint_output::kValue);
  };
  EXPECT_EQ(count(), 0u);
  ASSERT_TRUE(share(*first, ProcessIdentifierType::kDwm, 0, true).has_value());
  ASSERT_TRUE(share(*first, ProcessIdentifierType::kHandle, 0x44, true).has_value());
  ASSERT_TRUE(share(*first, ProcessIdentifierType::kHandle, 0x44, true).has_value());  // again
  EXPECT_EQ(count(), 2u);
  EXPECT_FALSE(share(*first, ProcessIdentifierType::kHandle, 0, true).has_value());
  EXPECT_FALSE(share(*first, ProcessIdentifierType::kUnknown, 0x44, true).has_value());
  EXPECT_FALSE(share(*first, ProcessIdentifierType::kHandle, 0x99, false).has_value());

  Bytes input = next_query(ChannelQuery::kRestrictedSharedResourceProcess);
  wire::store_u32(input, layout::index_query_input::kIndex, 1);
  const Reply entry = ask(*first, input);
  namespace out = layout::process_output;
  EXPECT_EQ(wire::load_u32(entry.output, out::kProcessIndex), 1u);
  EXPECT_EQ(wire::load_u32(entry.output, out::kIdentifierType), 2u);
  EXPECT_EQ(wire::load_handle(entry.output, out::kProcessHandle), 0x44u);
  Bytes past = next_query(ChannelQuery::kRestrictedSharedResourceProcess);
  wire::store_u32(past, layout::index_query_input::kIndex, 2);
  EXPECT_FALSE(query(*first, past).result.has_value());

  // Another live channel may not revoke the first's grant; once the first is destroyed the grant
  // stays and anyone may revoke it.
  auto other = second_channel();
  EXPECT_FALSE(share(*other, ProcessIdentifierType::kDwm, 0, false).has_value());
  first->close();
  EXPECT_EQ(state->process_count(), 2u);
  EXPECT_TRUE(share(*other, ProcessIdentifierType::kDwm, 0, false).has_value());
  EXPECT_EQ(state->process_count(), 1u);
}

TEST_F(CatalogueTest, UnrestrictedCountComesFromTheDevice) {
  context.unrestricted = 3;
  EXPECT_EQ(
      wire::load_u32(
          ask(*first, next_query(ChannelQuery::kUnrestrictedProtectedSharedResourceCount)).output,
          layout::uint_output::kValue),
      3u);
}

TEST_F(CatalogueTest, OutputIdsAnswerForThisDevicesSessionsOnly) {
  auto ask_count = [&](std::uint64_t device, std::uint64_t session) {
    Bytes input = next_query(ChannelQuery::kOutputIdCount);
    wire::store_handle(input, layout::output_id_count_input::kDeviceHandle, device);
    wire::store_handle(input, layout::output_id_count_input::kCryptoSessionHandle, session);
    return query(*first, input);
  };
  const Reply count = ask_count(kDeviceHandle, kSessionHandle);
  ASSERT_TRUE(count.result.has_value());
  namespace count_out = layout::output_id_count_output;
  EXPECT_EQ(wire::load_handle(count.output, count_out::kDeviceHandle), kDeviceHandle);
  EXPECT_EQ(wire::load_handle(count.output, count_out::kCryptoSessionHandle), kSessionHandle);
  EXPECT_EQ(wire::load_u32(count.output, count_out::kNumOutputIds), 1u);
  EXPECT_FALSE(ask_count(kDeviceHandle, kSessionHandle + 7).result.has_value());
  EXPECT_FALSE(ask_count(kDeviceHandle + 1, kSessionHandle).result.has_value());

  Bytes input = next_query(ChannelQuery::kOutputId);
  wire::store_handle(input, layout::output_id_input::kDeviceHandle, kDeviceHandle);
  wire::store_handle(input, layout::output_id_input::kCryptoSessionHandle, kSessionHandle);
  const Reply id = ask(*first, input);
  EXPECT_EQ(wire::load_u32(id.output, layout::output_id_output::kOutputIdIndex), 0u);
  EXPECT_EQ(wire::load_u64(id.output, layout::output_id_output::kOutputId), 1u);
  wire::write_query_input_header(
      input, {wire::guid_of(ChannelQuery::kOutputId), kChannelHandle, query_number++});
  wire::store_u32(input, layout::output_id_input::kOutputIdIndex, 1);
  EXPECT_FALSE(query(*first, input).result.has_value());
}

TEST_F(CatalogueTest, ADeviceWithoutOutputsAnswersConsistently) {
  ChannelFeatures features;
  features.output_ids.clear();
  state = std::make_shared<DeviceChannelState>(features);
  auto channel = second_channel();
  Bytes input = next_query(ChannelQuery::kOutputIdCount);
  wire::store_handle(input, layout::output_id_count_input::kDeviceHandle, kDeviceHandle);
  wire::store_handle(input, layout::output_id_count_input::kCryptoSessionHandle, kSessionHandle);
  EXPECT_EQ(wire::load_u32(ask(*channel, input).output,
                           layout::output_id_count_output::kNumOutputIds),
            0u);
  Bytes one = next_query(ChannelQuery::kOutputId);
  wire::store_handle(one, layout::output_id_input::kDeviceHandle, kDeviceHandle);
  wire::store_handle(one, layout::output_id_input::kCryptoSessionHandle, kSessionHandle);
  EXPECT_FALSE(query(*channel, one).result.has_value());
}

TEST_F(CatalogueTest, AccessibilityAttributesSayNothingIsAccessible) {
  const Reply reply = ask(*first, next_query(ChannelQuery::kAccessibilityAttributes));
  namespace out = layout::accessibility_output;
  EXPECT_EQ(wire::load_u32(reply.output, out::kBusType), kBusTypeOther);
  EXPECT_EQ(wire::load_u32(reply.output, out::kAccessibleInContiguousBlocks), 0u);
  EXPECT_EQ(wire::load_u32(reply.output, out::kAccessibleInNonContiguousBlocks), 0u);
}

TEST_F(CatalogueTest, EncryptionWhenAccessibleListSelectionAndCurrentValue) {
  EXPECT_EQ(wire::load_u32(
                ask(*first, next_query(ChannelQuery::kEncryptionWhenAccessibleGuidCount)).output,
                layout::uint_output::kValue),
            1u);
  Bytes input = next_query(ChannelQuery::kEncryptionWhenAccessibleGuid);
  const Reply entry = ask(*first, input);
  EXPECT_EQ(wire::load_guid(entry.output, layout::encryption_guid_output::kGuid), kAes128CtrGuid);
  auto current = [&](AuthenticatedChannel& channel) {
    return wire::load_guid(
        ask(channel, next_query(ChannelQuery::kCurrentEncryptionWhenAccessible)).output,
        layout::current_encryption_output::kGuid);
  };
  EXPECT_EQ(current(*first), wire::GuidBytes{});
  wire::GuidBytes unknown = kAes128CtrGuid;
  unknown[3] ^= 1;
  EXPECT_FALSE(choose_encryption(*first, unknown).has_value());
  ASSERT_TRUE(choose_encryption(*first, kAes128CtrGuid).has_value());
  auto other = second_channel();
  EXPECT_EQ(current(*other), kAes128CtrGuid);
  first->close();  // destroy undoes ENCRYPTIONWHENACCESSIBLE
  EXPECT_EQ(current(*other), wire::GuidBytes{});
}

TEST_F(CatalogueTest, EncryptionChoiceOfAnotherChannelCannotBeOverridden) {
  ChannelFeatures features;
  wire::GuidBytes second_guid = kAes128CtrGuid;
  second_guid[15] ^= 1;
  features.encryption_guids.push_back(second_guid);
  state = std::make_shared<DeviceChannelState>(features);
  auto a = second_channel();
  auto b = second_channel();
  ASSERT_TRUE(choose_encryption(*a, kAes128CtrGuid).has_value());
  EXPECT_FALSE(choose_encryption(*b, second_guid).has_value());
  ASSERT_TRUE(choose_encryption(*a, second_guid).has_value());  // its own choice may change
  a->close();
  EXPECT_TRUE(choose_encryption(*b, kAes128CtrGuid).has_value());
}

TEST_F(CatalogueTest, HardwareChannelsRefuseSoftwareOnlyEntries) {
  auto hardware = second_channel(ChannelType::kHardware);
  for (ChannelQuery kind : {ChannelQuery::kRestrictedSharedResourceProcessCount,
                            ChannelQuery::kRestrictedSharedResourceProcess,
                            ChannelQuery::kUnrestrictedProtectedSharedResourceCount}) {
    const Reply reply = query(*hardware, next_query(kind));
    EXPECT_FALSE(reply.result.has_value()) << wire::name_of(kind);
    EXPECT_EQ(reply.return_code(), kCodeNotSupported) << wire::name_of(kind);
  }
  EXPECT_FALSE(share(*hardware, ProcessIdentifierType::kDwm, 0, true).has_value());
  EXPECT_EQ(state->process_count(), 0u);
  EXPECT_EQ(wire::load_u32(ask(*hardware, next_query(ChannelQuery::kChannelType)).output,
                           layout::uint_output::kValue),
            3u);
}

}  // namespace
}  // namespace cpddi::channel::testing
