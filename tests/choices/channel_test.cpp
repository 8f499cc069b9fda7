// cpddi's own authenticated-channel choices where the spec leaves the answer to the driver
// (docs/behaviour.md, "Authenticated channels"), end to end through the C ABI: which channel
// types exist, what DEVICEHANDLE, OUTPUTID*, ACCESSIBILITYATTRIBUTES and the
// encryption-when-accessible entries answer on a software device, protection always on, the
// binding table without a decoder, the shared-resource list's ownership rule, and what
// destroying a channel, a session or a device does to the shared state. The rules every driver
// follows are conform cases channel.*.
#include <cstring>
#include <memory>

#include <gtest/gtest.h>

#include "support/channel_client.h"
#include "support/driver_fixture.h"
#include "wire/channel_messages.h"

namespace cpddi::testing {
namespace {

namespace layout = wire::channel_layout;
using wire::ChannelConfigure;
using wire::ChannelQuery;

using Channel = ChannelClient;

using ChannelChoicesTest = SharedDeviceTest;

// §5.1 [R]: type 2 iff cap SOFTWARE, type 3 iff cap HARDWARE — cpddi is software only.
TEST_F(ChannelChoicesTest, OnlySoftwareChannelsExist) {
  for (UINT type : {0u, 1u, UINT{DDIAUTHENTICATEDCHANNEL_DRIVER_HARDWARE}, 4u, 0xFFFFFFFFu}) {
    HANDLE channel = reinterpret_cast<HANDLE>(0x5A5A);
    EXPECT_EQ(create_channel(device(), type, &channel), D3DDDIERR_NOTAVAILABLE) << type;
    EXPECT_EQ(channel, reinterpret_cast<HANDLE>(0x5A5A)) << "nothing written";
  }
  Channel software(device());
  EXPECT_NE(software.handle(), nullptr);
  EXPECT_EQ(software.query_u32(ChannelQuery::kChannelType),
            UINT{D3DAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE});
}

// Caps PROTECTIONALWAYSON: protection is on before anyone asks; OverlayOrFullscreenRequired is
// the part a channel switches.
TEST_F(ChannelChoicesTest, ProtectionIsAlwaysOnAndOverlayRequirementFollowsTheChannels) {
  Channel channel(device());
  EXPECT_EQ(channel.query_u32(ChannelQuery::kProtection), 1u);
  EXPECT_EQ(channel.configure(ChannelConfigure::kProtection, [](Bytes& in) {
                      wire::store_u32(in, layout::protection_input::kProtections, 0x3);
                    }).hr,
            S_OK);
  EXPECT_EQ(channel.query_u32(ChannelQuery::kProtection), 3u);
  {
    Channel other(device(), 2);
    EXPECT_EQ(other.configure(ChannelConfigure::kProtection).hr, S_OK);  // flags 0
    EXPECT_EQ(other.query_u32(ChannelQuery::kProtection), 3u) << "not switched off by another";
  }
  ASSERT_EQ(channel.destroy(), S_OK);
  Channel after(device(), 3);
  EXPECT_EQ(after.query_u32(ChannelQuery::kProtection), 1u) << "destroy withdrew the request";
}

// DEVICEHANDLE is the D3D9 device handle itself (a generation-tagged runtime handle).
TEST_F(ChannelChoicesTest, DeviceHandleIsTheD3d9DeviceHandle) {
  Channel channel(device());
  const Channel::Reply reply = channel.query(ChannelQuery::kDeviceHandle);
  ASSERT_EQ(reply.hr, S_OK);
  EXPECT_EQ(wire::load_handle(reply.output, layout::device_handle_output::kDeviceHandle),
            value_of(device().device()));
}

// A32: one virtual output, id 1; a session of this device is required.
TEST_F(ChannelChoicesTest, OneVirtualOutputWithIdOne) {
  Channel channel(device());
  KeyedSession session(device());
  auto name = [&](Bytes& in) {
    wire::store_handle(in, layout::output_id_input::kDeviceHandle, value_of(device().device()));
    wire::store_handle(in, layout::output_id_input::kCryptoSessionHandle,
                       value_of(session.handle()));
  };
  const Channel::Reply count = channel.query(ChannelQuery::kOutputIdCount, name);
  ASSERT_EQ(count.hr, S_OK);
  EXPECT_EQ(wire::load_u32(count.output, layout::output_id_count_output::kNumOutputIds), 1u);
  const Channel::Reply id = channel.query(ChannelQuery::kOutputId, name);
  ASSERT_EQ(id.hr, S_OK);
  EXPECT_EQ(wire::load_u64(id.output, layout::output_id_output::kOutputId), 1u);
  // A session of another device of the same adapter fails (spec §5.6), payload zero.
  std::unique_ptr<OpenedDevice> other = OpenedDevice::another_device(device());
  KeyedSession foreign(*other);
  const Channel::Reply refused = channel.query(ChannelQuery::kOutputIdCount, [&](Bytes& in) {
    name(in);
    wire::store_handle(in, layout::output_id_input::kCryptoSessionHandle,
                       value_of(foreign.handle()));
  });
  EXPECT_EQ(refused.hr, E_INVALIDARG);
  EXPECT_EQ(wire::load_u32(refused.output, layout::output_id_count_output::kNumOutputIds), 0u);
}

TEST_F(ChannelChoicesTest, NothingIsAccessibleAndTheOneEncryptionIsAes128Ctr) {
  Channel channel(device());
  const Channel::Reply access = channel.query(ChannelQuery::kAccessibilityAttributes);
  ASSERT_EQ(access.hr, S_OK);
  EXPECT_EQ(wire::load_u32(access.output, layout::accessibility_output::kBusType),
            UINT{D3DBUSTYPE_OTHER});
  EXPECT_EQ(
      wire::load_u32(access.output, layout::accessibility_output::kAccessibleInContiguousBlocks),
      0u);
  EXPECT_EQ(wire::load_u32(access.output,
                           layout::accessibility_output::kAccessibleInNonContiguousBlocks),
            0u);
  EXPECT_EQ(channel.query_u32(ChannelQuery::kEncryptionWhenAccessibleGuidCount), 1u);
  const Channel::Reply guid = channel.query(ChannelQuery::kEncryptionWhenAccessibleGuid);
  ASSERT_EQ(guid.hr, S_OK);
  GUID listed{};
  std::memcpy(&listed, guid.output.data() + layout::encryption_guid_output::kGuid, sizeof listed);
  EXPECT_EQ(std::memcmp(&listed, &D3DCRYPTOTYPE_AES128_CTR, sizeof listed), 0);

  auto current = [&](Channel& c) {
    return wire::load_guid(c.query(ChannelQuery::kCurrentEncryptionWhenAccessible).output,
                           layout::current_encryption_output::kGuid);
  };
  EXPECT_EQ(current(channel), wire::GuidBytes{}) << "all-zero until a channel chooses";
  Channel chooser(device(), 2);
  ASSERT_EQ(chooser.configure(ChannelConfigure::kEncryptionWhenAccessible, [](Bytes& in) {
                     std::memcpy(in.data() + layout::encryption_input::kEncryptionGuid,
                                 &D3DCRYPTOTYPE_AES128_CTR, 16);
                   }).hr,
            S_OK);
  wire::GuidBytes aes128_ctr{};
  std::memcpy(aes128_ctr.data(), &D3DCRYPTOTYPE_AES128_CTR, 16);
  EXPECT_EQ(current(channel), aes128_ctr) << "another channel of the device sees the choice";
  ASSERT_EQ(chooser.destroy(), S_OK);
  EXPECT_EQ(current(channel), wire::GuidBytes{}) << "destroy undoes ENCRYPTIONWHENACCESSIBLE";
}

// A32: no decoder registry, so any decoder handle binds; an unbound one fails; bindings outlive
// the channel and die with the session.
TEST_F(ChannelChoicesTest, BindingsWithoutADecoderOutliveTheChannelButNotTheSession) {
  constexpr std::uint64_t kDecoder = 0xDEC0DE;
  auto session = std::make_unique<KeyedSession>(device());
  const std::uint64_t session_handle = value_of(session->handle());
  auto ask = [&](Channel& channel) {
    return channel.query(ChannelQuery::kCryptoSession, [&](Bytes& in) {
      wire::store_handle(in, layout::crypto_session_query_input::kDecodeHandle, kDecoder);
    });
  };
  {
    Channel binder(device());
    EXPECT_EQ(ask(binder).hr, E_INVALIDARG) << "unbound decoder";
    ASSERT_EQ(binder.configure(ChannelConfigure::kCryptoSession, [&](Bytes& in) {
                      namespace in_layout = layout::crypto_session_input;
                      wire::store_handle(in, in_layout::kDecodeHandle, kDecoder);
                      wire::store_handle(in, in_layout::kCryptoSessionHandle, session_handle);
                      wire::store_handle(in, in_layout::kDeviceHandle,
                                         value_of(device().device()));
                    }).hr,
              S_OK);
  }
  Channel reader(device(), 2);
  const Channel::Reply bound = ask(reader);
  ASSERT_EQ(bound.hr, S_OK);
  EXPECT_EQ(
      wire::load_handle(bound.output, layout::crypto_session_query_output::kCryptoSessionHandle),
      session_handle);
  session.reset();  // DestroyCryptoSession
  EXPECT_EQ(ask(reader).hr, E_INVALIDARG);
}

// The restricted-shared-resource list belongs to the device: grants outlive their channel; while
// the granting channel lives only it may revoke; revoking an absent process fails.
TEST_F(ChannelChoicesTest, SharedResourceGrantsBelongToTheDevice) {
  auto share = [](Channel& channel, UINT allow) {
    return channel
        .configure(ChannelConfigure::kSharedResource,
                   [&](Bytes& in) {
                     namespace in_layout = layout::shared_resource_input;
                     wire::store_u32(in, in_layout::kIdentifierType, PROCESSIDTYPE_HANDLE);
                     wire::store_handle(in, in_layout::kProcessHandle, 0x1234);
                     wire::store_u32(in, in_layout::kAllowAccess, allow);
                   })
        .hr;
  };
  OpenedDevice own;  // a fresh device: the list starts empty
  Channel granter(own);
  Channel other(own, 2);
  EXPECT_EQ(share(other, 0), E_INVALIDARG) << "not listed";
  ASSERT_EQ(share(granter, 1), S_OK);
  EXPECT_EQ(share(other, 0), E_INVALIDARG) << "granted by another live channel";
  ASSERT_EQ(granter.destroy(), S_OK);
  EXPECT_EQ(other.query_u32(ChannelQuery::kRestrictedSharedResourceProcessCount), 1u);
  EXPECT_EQ(share(other, 0), S_OK);
  EXPECT_EQ(other.query_u32(ChannelQuery::kRestrictedSharedResourceProcessCount), 0u);
  EXPECT_EQ(other.query_u32(ChannelQuery::kUnrestrictedProtectedSharedResourceCount), 0u)
      << "cpddi shares no resource across processes";
}

// Handles die with their channel and with their device (teardown closes channels first).
TEST(ChannelTeardownTest, DestroyedAndDeviceDestroyedChannelsAreDeadHandles) {
  OpenedDevice device;
  HANDLE first = nullptr;
  ASSERT_EQ(create_channel(device, DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE, &first), S_OK);
  D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL destroy{first};
  ASSERT_EQ(device.funcs().pfnDestroyAuthenticatedChannel(device.device(), &destroy), S_OK);
  EXPECT_EQ(device.funcs().pfnDestroyAuthenticatedChannel(device.device(), &destroy),
            E_INVALIDARG);
  HANDLE second = nullptr;
  ASSERT_EQ(create_channel(device, DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE, &second), S_OK);
  EXPECT_NE(second, first) << "generation-tagged: a new channel never reuses a dead handle";
  EXPECT_EQ(device.destroy_device(), S_OK);
}

}  // namespace
}  // namespace cpddi::testing
