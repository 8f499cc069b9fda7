#include "channel/channel_harness.h"

#include <algorithm>

#include "common/test_keys.h"
#include "crypto/cmac.h"

namespace cpddi::channel::testing {

namespace layout = wire::channel_layout;

std::int32_t test_return_code(const Result<void>& outcome) {
  if (outcome) {
    return 0;
  }
  return outcome.error().code == Errc::kNotAvailable ? kCodeNotSupported : kCodeInvalidArgument;
}

std::shared_ptr<const crypto::RsaPrivateKey> identity() {
  // The test key lives for the whole process: a non-owning pointer to it.
  return std::shared_ptr<const crypto::RsaPrivateKey>(
      std::shared_ptr<void>(), &crypto::test_rsa_key(crypto::TestKey::kLeaf));
}

Bytes oaep_of(const Key16& key) {
  Result<crypto::RsaPublicKey> public_key = identity()->public_key();
  EXPECT_TRUE(public_key.has_value());
  Result<std::vector<std::uint8_t>> blob = public_key->oaep_encrypt(crypto::kKeyExchangeOaep, key);
  EXPECT_TRUE(blob.has_value());
  return *blob;
}

crypto::CmacTag mac_of(const Key16& key, std::span<const std::uint8_t> message, std::size_t end) {
  Result<crypto::CmacTag> tag = crypto::aes_cmac(key, message.subspan(16, end - 16));
  EXPECT_TRUE(tag.has_value());
  return *tag;
}

std::unique_ptr<AuthenticatedChannel> ChannelHarness::make_channel(ChannelType type) {
  return std::make_unique<AuthenticatedChannel>(type, identity(), state);
}

void ChannelHarness::open(AuthenticatedChannel& channel, const Key16& channel_key,
                          std::uint32_t start_query, std::uint32_t start_configure) {
  ASSERT_TRUE(channel.key_exchange(oaep_of(channel_key)).has_value());
  Bytes init = configure_input(wire::ChannelConfigure::kInitialize, 0);
  wire::store_u32(init, layout::initialize_input::kStartSequenceQuery, start_query);
  wire::store_u32(init, layout::initialize_input::kStartSequenceConfigure, start_configure);
  const Reply reply = configure_signed(channel, init, channel_key);
  ASSERT_TRUE(reply.result.has_value()) << reply.result.error().reason;
}

Bytes ChannelHarness::query_input(wire::ChannelQuery query, std::uint32_t sequence) const {
  Bytes input(wire::query_sizes(query).input);
  wire::write_query_input_header(input, {wire::guid_of(query), kChannelHandle, sequence});
  return input;
}

Bytes ChannelHarness::configure_input(wire::ChannelConfigure configure,
                                      std::uint32_t sequence) const {
  Bytes input(wire::configure_input_size(configure));
  wire::write_configure_input_header(input, {wire::guid_of(configure), kChannelHandle, sequence});
  return input;
}

void ChannelHarness::sign(Bytes& input, const Key16& channel_key) {
  const crypto::CmacTag tag = mac_of(channel_key, input, input.size());
  std::copy(tag.begin(), tag.end(), input.begin());
}

Reply ChannelHarness::query(AuthenticatedChannel& channel, const Bytes& input,
                            std::size_t output_size) {
  if (output_size == 0) {
    const auto kind = wire::channel_query_from_guid(wire::read_query_input_header(input).type);
    output_size = kind ? wire::query_sizes(*kind).output : wire::kOutputHeaderSize;
  }
  Bytes output(output_size, 0xEE);
  Result<void> result = channel.query(input, output, context, rules);
  return Reply{result, std::move(output)};
}

Reply ChannelHarness::configure(AuthenticatedChannel& channel, const Bytes& input) {
  Bytes output(wire::kConfigureOutputSize, 0xEE);
  Result<void> result = channel.configure(input, output, context, rules);
  return Reply{result, std::move(output)};
}

Reply ChannelHarness::configure_signed(AuthenticatedChannel& channel, Bytes input,
                                       const Key16& channel_key) {
  sign(input, channel_key);
  return configure(channel, input);
}

bool ChannelHarness::verifies(const Bytes& output, std::size_t written, const Key16& channel_key) {
  const crypto::CmacTag tag = mac_of(channel_key, output, written);
  return std::equal(tag.begin(), tag.end(), output.begin());
}

}  // namespace cpddi::channel::testing
