// The runtime's side of authenticated channels (runtime/channel_calls.cpp): which channel types
// may be created, the per-device limit, the channel a payload names found only on its own device
// (§5.9 steps 1–2: otherwise nothing is written), and teardown — DestroyAuthenticatedChannel
// and DestroyDevice kill channel handles, DestroyCryptoSession ends the session's bindings.
#include <gtest/gtest.h>

#include "runtime/runtime_harness.h"
#include "wire/channel_messages.h"

namespace cpddi::runtime::testing {
namespace {

using channel::ChannelState;
using channel::ChannelType;

std::int32_t code_of(const Result<void>& outcome) { return outcome ? 0 : 0x57; }
constexpr channel::MessageRules kRules{&code_of, false};

Bytes protection_query(Handle channel, std::uint32_t sequence) {
  Bytes input(wire::query_sizes(wire::ChannelQuery::kProtection).input);
  wire::write_query_input_header(
      input, {wire::guid_of(wire::ChannelQuery::kProtection), channel.value, sequence});
  return input;
}

TEST(ChannelCallsTest, OnlySoftwareChannelsAndAtMostTheLimitPerDevice) {
  AdapterConfig config;
  config.max_channels_per_device = 2;
  RuntimeHarness h(config);
  const Handle device = h.open_device();
  EXPECT_EQ(h.runtime().create_authenticated_channel(device, ChannelType::kHardware).error().code,
            Errc::kNotAvailable);
  Result<Handle> first = h.runtime().create_authenticated_channel(device, ChannelType::kSoftware);
  Result<Handle> second = h.runtime().create_authenticated_channel(device, ChannelType::kSoftware);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(h.runtime().create_authenticated_channel(device, ChannelType::kSoftware).error().code,
            Errc::kOutOfMemory);
  EXPECT_EQ(h.runtime().device_status(device)->live_channels, 2u);
  ASSERT_TRUE(h.runtime().destroy_authenticated_channel(device, *first));
  EXPECT_TRUE(h.runtime().create_authenticated_channel(device, ChannelType::kSoftware));
}

TEST(ChannelCallsTest, KeyExchangeReachesTheNamedChannelOnItsDeviceOnly) {
  RuntimeHarness h;
  const Handle device = h.open_device();
  const Handle other = h.open_device();
  const Handle channel = *h.runtime().create_authenticated_channel(device, ChannelType::kSoftware);
  EXPECT_EQ(
      h.runtime().authenticated_channel_key_exchange(other, channel, h.wrap_key(kAppKey))
          .error()
          .code,
      Errc::kInvalidArgument);
  EXPECT_EQ(h.runtime().authenticated_channel_status(device, channel)->state,
            ChannelState::kCreated);
  ASSERT_TRUE(h.runtime().authenticated_channel_key_exchange(device, channel, h.wrap_key(kAppKey)));
  EXPECT_EQ(h.runtime().authenticated_channel_status(device, channel)->state,
            ChannelState::kKeyed);
}

TEST(ChannelCallsTest, APayloadNamingAnotherDevicesChannelWritesNothing) {
  RuntimeHarness h;
  const Handle device = h.open_device();
  const Handle other = h.open_device();
  const Handle channel = *h.runtime().create_authenticated_channel(device, ChannelType::kSoftware);
  const Bytes input = protection_query(channel, 1);
  Bytes output(wire::query_sizes(wire::ChannelQuery::kProtection).output, 0xEE);
  EXPECT_EQ(h.runtime().query_authenticated_channel(other, input, output, kRules).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(output, Bytes(output.size(), 0xEE));
  const Bytes not_a_channel = protection_query(device, 1);  // a device handle, wrong kind
  EXPECT_FALSE(h.runtime().query_authenticated_channel(device, not_a_channel, output, kRules));
  EXPECT_EQ(output, Bytes(output.size(), 0xEE));
  // On its own device the channel answers (not initialized: a failure report, header written).
  EXPECT_FALSE(h.runtime().query_authenticated_channel(device, input, output, kRules));
  EXPECT_EQ(wire::read_output_header(output).channel, channel.value);
  EXPECT_EQ(wire::read_return_code(output), 0x57);
}

TEST(ChannelCallsTest, DestroyedChannelsAndThoseOfADestroyedDeviceAreDead) {
  RuntimeHarness h;
  const Handle device = h.open_device();
  const Handle kept = h.open_device();
  const Handle destroyed =
      *h.runtime().create_authenticated_channel(device, ChannelType::kSoftware);
  const Handle orphan = *h.runtime().create_authenticated_channel(device, ChannelType::kSoftware);
  const Handle other = *h.runtime().create_authenticated_channel(kept, ChannelType::kSoftware);
  ASSERT_TRUE(h.runtime().destroy_authenticated_channel(device, destroyed));
  EXPECT_EQ(h.runtime().destroy_authenticated_channel(device, destroyed).error().code,
            Errc::kInvalidArgument);
  const std::size_t before = h.runtime().live_objects();
  ASSERT_TRUE(h.runtime().destroy_device(device));
  EXPECT_EQ(h.runtime().live_objects(), before - 2) << "the device and its channel";
  EXPECT_FALSE(h.runtime().authenticated_channel_status(kept, orphan));
  EXPECT_EQ(h.runtime().authenticated_channel_status(kept, other)->state, ChannelState::kCreated);
}

}  // namespace
}  // namespace cpddi::runtime::testing
