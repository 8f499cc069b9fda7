// AuthenticatedChannel's state machine, sequence numbers, OMAC checks and failure reports (spec
// §1.5, §5.2–§5.4, §5.8, §5.9, A23, A24, A27, A28).
#include <algorithm>

#include "channel/channel_harness.h"

namespace cpddi::channel::testing {
namespace {

namespace layout = wire::channel_layout;
using wire::ChannelConfigure;
using wire::ChannelQuery;

using ChannelStateTest = ChannelHarness;

TEST_F(ChannelStateTest, QueryBeforeKeyFailsWithAZeroOmac) {
  auto channel = make_channel();
  EXPECT_EQ(channel->state(), ChannelState::kCreated);
  const Reply reply = query(*channel, query_input(ChannelQuery::kProtection, 5));
  ASSERT_FALSE(reply.result.has_value());
  EXPECT_EQ(reply.return_code(), kCodeInvalidArgument);
  EXPECT_TRUE(std::all_of(reply.output.begin(), reply.output.begin() + 16,
                          [](std::uint8_t b) { return b == 0; }));
  const wire::MessageHeader echoed = wire::read_output_header(reply.output);
  EXPECT_EQ(echoed.type, wire::guid_of(ChannelQuery::kProtection));
  EXPECT_EQ(echoed.channel, kChannelHandle);
  EXPECT_EQ(echoed.sequence_number, 5u);
}

TEST_F(ChannelStateTest, ConfigureBeforeKeyFails) {
  auto channel = make_channel();
  const Reply reply = configure(*channel, configure_input(ChannelConfigure::kInitialize, 0));
  EXPECT_FALSE(reply.result.has_value());
  EXPECT_EQ(reply.return_code(), kCodeInvalidArgument);
  EXPECT_EQ(channel->state(), ChannelState::kCreated);
}

TEST_F(ChannelStateTest, KeyedChannelSignsFailuresOfUninitialisedQueries) {
  auto channel = make_channel();
  ASSERT_TRUE(channel->key_exchange(oaep_of(key)).has_value());
  EXPECT_EQ(channel->state(), ChannelState::kKeyed);
  const Reply reply = query(*channel, query_input(ChannelQuery::kProtection, 1));
  EXPECT_FALSE(reply.result.has_value());
  EXPECT_TRUE(verifies(reply.output, reply.output.size(), key));
  // Payload bytes of a failure report are zero (A27).
  EXPECT_TRUE(std::all_of(reply.output.begin() + wire::kOutputHeaderSize, reply.output.end(),
                          [](std::uint8_t b) { return b == 0; }));
}

TEST_F(ChannelStateTest, SecondKeyExchangeBeforeInitializeReplacesTheKey) {
  auto channel = make_channel();
  ASSERT_TRUE(channel->key_exchange(oaep_of(key)).has_value());
  Key16 second = key;
  second[0] ^= 0xFF;
  ASSERT_TRUE(channel->key_exchange(oaep_of(second)).has_value());
  Bytes init = configure_input(ChannelConfigure::kInitialize, 0);
  EXPECT_FALSE(configure_signed(*channel, init, key).result.has_value());
  const Reply reply = configure_signed(*channel, init, second);
  ASSERT_TRUE(reply.result.has_value());
  EXPECT_TRUE(verifies(reply.output, wire::kConfigureOutputSize, second));
}

TEST_F(ChannelStateTest, KeyExchangeAfterInitializeFailsAndKeepsTheKey) {
  auto channel = make_channel();
  open(*channel, key, 10, 20);
  Key16 other = key;
  other[5] ^= 1;
  const Result<void> rekey = channel->key_exchange(oaep_of(other));
  ASSERT_FALSE(rekey.has_value());
  EXPECT_EQ(rekey.error().code, Errc::kInvalidArgument);
  const Reply reply = query(*channel, query_input(ChannelQuery::kProtection, 10));
  ASSERT_TRUE(reply.result.has_value());
  EXPECT_TRUE(verifies(reply.output, reply.output.size(), key));
}

TEST_F(ChannelStateTest, BadKeyExchangeBlobsAreRejected) {
  auto channel = make_channel();
  Bytes blob = oaep_of(key);
  blob[100] ^= 1;
  EXPECT_FALSE(channel->key_exchange(blob).has_value());
  EXPECT_FALSE(channel->key_exchange(std::span(blob).first(255)).has_value());
  EXPECT_EQ(channel->state(), ChannelState::kCreated);
}

TEST_F(ChannelStateTest, InitializeSetsBothCountersOnceAndIgnoresItsOwnNumber) {
  auto channel = make_channel();
  open(*channel, key, 1000, 77);
  EXPECT_EQ(channel->state(), ChannelState::kInitialized);
  EXPECT_EQ(channel->next_query_sequence(), 1000u);
  EXPECT_EQ(channel->next_configure_sequence(), 77u);
  Bytes again = configure_input(ChannelConfigure::kInitialize, 5000);
  wire::store_u32(again, layout::initialize_input::kStartSequenceQuery, 1);
  const Reply reply = configure_signed(*channel, again, key);
  EXPECT_FALSE(reply.result.has_value());
  EXPECT_TRUE(verifies(reply.output, wire::kConfigureOutputSize, key));
  EXPECT_EQ(channel->next_query_sequence(), 1000u);
  EXPECT_EQ(channel->next_configure_sequence(), 77u);
}

TEST_F(ChannelStateTest, InitializeWithABadOmacOrSizeChangesNothing) {
  auto channel = make_channel();
  ASSERT_TRUE(channel->key_exchange(oaep_of(key)).has_value());
  Bytes init = configure_input(ChannelConfigure::kInitialize, 0);
  sign(init, key);
  init[layout::initialize_input::kStartSequenceQuery] ^= 1;  // after signing
  EXPECT_FALSE(configure(*channel, init).result.has_value());
  Bytes longer = configure_input(ChannelConfigure::kInitialize, 0);
  longer.resize(longer.size() + 8);
  EXPECT_FALSE(configure_signed(*channel, longer, key).result.has_value());
  EXPECT_EQ(channel->state(), ChannelState::kKeyed);
}

TEST_F(ChannelStateTest, QuerySequenceFollowsTheWorkedExampleOfSpec59) {
  auto channel = make_channel();
  open(*channel, key, 1000, 1);
  auto ok = [&](std::uint32_t s) {
    return query(*channel, query_input(ChannelQuery::kProtection, s)).result.has_value();
  };
  EXPECT_TRUE(ok(1000));  // the start value itself
  EXPECT_TRUE(ok(1001));
  EXPECT_TRUE(ok(1005));  // a gap
  EXPECT_TRUE(ok(1006));
  EXPECT_FALSE(ok(1006));  // replay: not consumed
  EXPECT_EQ(channel->next_query_sequence(), 1007u);
  EXPECT_FALSE(ok(1003));
  EXPECT_TRUE(ok(0xFFFFFFFF));
  EXPECT_EQ(channel->next_query_sequence(), 0x100000000u);
  EXPECT_FALSE(ok(0xFFFFFFFF));  // exhausted
  EXPECT_FALSE(ok(0));
}

TEST_F(ChannelStateTest, ConfigureSequenceAcceptsTheStartValueAndRejectsReplays) {
  auto channel = make_channel();
  open(*channel, key, 1, 500);
  auto protect = [&](std::uint32_t s) {
    return configure_signed(*channel, configure_input(ChannelConfigure::kProtection, s), key)
        .result.has_value();
  };
  EXPECT_FALSE(protect(499));
  EXPECT_TRUE(protect(500));
  EXPECT_FALSE(protect(500));
  EXPECT_TRUE(protect(502));
  EXPECT_EQ(channel->next_configure_sequence(), 503u);
}

TEST_F(ChannelStateTest, StepSevenFailuresConsumeTheNumber) {
  auto channel = make_channel();
  open(*channel, key, 100, 100);
  // An unknown query GUID passes the sequence check, consumes 100, then fails (A28, A33).
  Bytes unknown = query_input(ChannelQuery::kProtection, 100);
  unknown[0] ^= 0xFF;
  const Reply reply = query(*channel, unknown, wire::query_sizes(ChannelQuery::kProtection).output);
  EXPECT_FALSE(reply.result.has_value());
  EXPECT_EQ(reply.return_code(), kCodeNotSupported);
  // Unknown GUID: W = sizeof(QUERY_OUTPUT); the bytes after it are untouched.
  EXPECT_TRUE(verifies(reply.output, wire::kOutputHeaderSize, key));
  EXPECT_EQ(reply.output[wire::kOutputHeaderSize], 0xEE);
  EXPECT_EQ(channel->next_query_sequence(), 101u);
  // A wrong size consumes too.
  const Reply sized =
      query(*channel, query_input(ChannelQuery::kProtection, 101), wire::kOutputHeaderSize + 4);
  EXPECT_FALSE(sized.result.has_value());
  EXPECT_TRUE(verifies(sized.output, sized.output.size(), key));
  EXPECT_EQ(channel->next_query_sequence(), 102u);
}

TEST_F(ChannelStateTest, BadOmacConsumesNothing) {
  auto channel = make_channel();
  open(*channel, key, 1, 100);
  Bytes input = configure_input(ChannelConfigure::kProtection, 100);
  sign(input, key);
  input[layout::protection_input::kProtections] = 1;  // changed after signing
  const Reply reply = configure(*channel, input);
  EXPECT_FALSE(reply.result.has_value());
  EXPECT_TRUE(verifies(reply.output, wire::kConfigureOutputSize, key));
  EXPECT_EQ(channel->next_configure_sequence(), 100u);
}

TEST_F(ChannelStateTest, TheOmacCoversInputPaddingAsReceived) {
  auto channel = make_channel();
  open(*channel, key, 1, 1);
  // x64 CONFIGUREPROTECTION has padding at 44–47 and 52–55: non-zero padding that is signed is
  // accepted, and changing a padding byte after signing is caught.
  Bytes input = configure_input(ChannelConfigure::kProtection, 1);
  std::fill(input.begin() + layout::configure_input::kSequenceNumber + 4,
            input.begin() + layout::protection_input::kProtections, std::uint8_t{0x5A});
  input.back() = 0xA5;
  sign(input, key);
  EXPECT_TRUE(configure(*channel, input).result.has_value());
  Bytes next = configure_input(ChannelConfigure::kProtection, 2);
  sign(next, key);
  next.back() ^= 1;
  if (layout::protection_input::kSize > layout::protection_input::kProtections + 4) {
    EXPECT_FALSE(configure(*channel, next).result.has_value());
  }
}

TEST_F(ChannelStateTest, QueryOutputsAreSignedOverTheDefinedSizeWithZeroPadding) {
  auto channel = make_channel();
  open(*channel, key, 1, 1);
  const Reply reply = query(*channel, query_input(ChannelQuery::kProtection, 1));
  ASSERT_TRUE(reply.result.has_value());
  EXPECT_EQ(reply.return_code(), 0);
  EXPECT_TRUE(verifies(reply.output, reply.output.size(), key));
  // Everything after the flags is padding on x64 and must be zero.
  EXPECT_TRUE(std::all_of(reply.output.begin() + layout::uint_output::kValue + 4,
                          reply.output.end(), [](std::uint8_t b) { return b == 0; }));
}

TEST_F(ChannelStateTest, D3d9SizesAreExactButD3d11OutputsMayBeLarger) {
  auto channel = make_channel();
  open(*channel, key, 1, 1);
  const std::size_t n = wire::query_sizes(ChannelQuery::kDeviceHandle).output;
  const Reply larger = query(*channel, query_input(ChannelQuery::kDeviceHandle, 1), n + 8);
  EXPECT_FALSE(larger.result.has_value());
  EXPECT_TRUE(verifies(larger.output, n, key)) << "signed over [16, N) only";
  EXPECT_EQ(larger.output[n], 0xEE);
  rules.query_output_may_be_larger = true;
  const Reply allowed = query(*channel, query_input(ChannelQuery::kDeviceHandle, 2), n + 8);
  ASSERT_TRUE(allowed.result.has_value());
  EXPECT_TRUE(verifies(allowed.output, n, key));
  EXPECT_EQ(allowed.output[n], 0xEE);
  Bytes longer_input = query_input(ChannelQuery::kDeviceHandle, 3);
  longer_input.push_back(0);
  EXPECT_FALSE(query(*channel, longer_input, n).result.has_value());
}

TEST_F(ChannelStateTest, BuffersTooSmallForTheHeaderAreRefusedBeforeLookup) {
  Bytes input = query_input(ChannelQuery::kProtection, 1);
  Bytes output(wire::kOutputHeaderSize - 1);
  EXPECT_FALSE(AuthenticatedChannel::query_channel_handle(input, output).has_value());
  Bytes fits(wire::kOutputHeaderSize);
  EXPECT_EQ(*AuthenticatedChannel::query_channel_handle(input, fits), kChannelHandle);
  EXPECT_FALSE(AuthenticatedChannel::query_channel_handle(std::span(input).first(8), fits)
                   .has_value());
  Bytes configure_in = configure_input(ChannelConfigure::kProtection, 1);
  Bytes configure_out(wire::kConfigureOutputSize);
  EXPECT_EQ(*AuthenticatedChannel::configure_channel_handle(configure_in, configure_out),
            kChannelHandle);
  EXPECT_FALSE(AuthenticatedChannel::configure_channel_handle(
                   std::span(configure_in).first(wire::kConfigureInputHeaderSize - 1),
                   configure_out)
                   .has_value());
}

TEST_F(ChannelStateTest, CloseWipesTheKeyAndCounters) {
  auto channel = make_channel();
  open(*channel, key, 1, 1);
  channel->close();
  EXPECT_EQ(channel->state(), ChannelState::kCreated);
  EXPECT_FALSE(channel->next_query_sequence().has_value());
}

}  // namespace
}  // namespace cpddi::channel::testing
