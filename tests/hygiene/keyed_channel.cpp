#include "hygiene/keyed_channel.h"

#include "wire/channel_messages.h"

namespace cpddi::hygiene {

namespace layout = wire::channel_layout;
using testing::Bytes;

KeyedChannel::KeyedChannel(const testing::OpenedDevice& device, const testing::Key& key)
    : device_(device), key_(key) {
  D3DDDIARG_CREATEAUTHENTICATEDCHANNEL create{DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE, nullptr};
  EXPECT_EQ(device.funcs().pfnCreateAuthenticatedChannel(device.device(), &create), S_OK);
  handle_ = create.hChannel;
  exchange(key);
}

void KeyedChannel::exchange(const testing::Key& key) {
  key_ = key;
  Bytes blob = device_.wrap_session_key(key);
  D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE args{handle_, static_cast<UINT>(blob.size()),
                                                 blob.data()};
  EXPECT_EQ(device_.funcs().pfnAuthenticatedChannelKeyExchange(device_.device(), &args), S_OK);
}

void KeyedChannel::initialize_and_use() {
  Bytes init(wire::configure_input_size(wire::ChannelConfigure::kInitialize));
  wire::write_configure_input_header(
      init, {wire::guid_of(wire::ChannelConfigure::kInitialize), value(), 0});
  wire::store_u32(init, layout::initialize_input::kStartSequenceQuery, 1);
  wire::store_u32(init, layout::initialize_input::kStartSequenceConfigure, 1);
  EXPECT_EQ(configure(init), S_OK);

  Bytes protect(wire::configure_input_size(wire::ChannelConfigure::kProtection));
  wire::write_configure_input_header(
      protect, {wire::guid_of(wire::ChannelConfigure::kProtection), value(), sequence_++});
  wire::store_u32(protect, layout::protection_input::kProtections, 1);
  EXPECT_EQ(configure(protect), S_OK);

  Bytes input(wire::query_sizes(wire::ChannelQuery::kProtection).input);
  wire::write_query_input_header(
      input, {wire::guid_of(wire::ChannelQuery::kProtection), value(), 1});
  Bytes output(wire::query_sizes(wire::ChannelQuery::kProtection).output);
  D3DDDIARG_QUERYAUTHENTICATEDCHANNEL args{static_cast<UINT>(input.size()), input.data(),
                                           static_cast<UINT>(output.size()), output.data()};
  EXPECT_EQ(device_.funcs().pfnQueryAuthenticatedChannel(device_.device(), &args), S_OK);

  wire::write_configure_input_header(
      protect, {wire::guid_of(wire::ChannelConfigure::kProtection), value(), sequence_++});
  EXPECT_EQ(configure(protect, /*spoil_mac=*/true), E_INVALIDARG);
}

HRESULT KeyedChannel::destroy() {
  D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL args{handle_};
  return device_.funcs().pfnDestroyAuthenticatedChannel(device_.device(), &args);
}

std::uint64_t KeyedChannel::value() const { return reinterpret_cast<std::uintptr_t>(handle_); }

HRESULT KeyedChannel::configure(Bytes& input, bool spoil_mac) {
  EXPECT_TRUE(wire::sign_message(key_, input, input.size()).has_value());
  if (spoil_mac) {
    input[0] ^= 1;
  }
  Bytes output(wire::kConfigureOutputSize);
  D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL args{static_cast<UINT>(input.size()), input.data(),
                                               output.data()};
  return device_.funcs().pfnConfigureAuthenticatedChannel(device_.device(), &args);
}

}  // namespace cpddi::hygiene
