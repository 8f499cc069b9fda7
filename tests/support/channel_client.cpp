#include "support/channel_client.h"

#include <cstring>

namespace cpddi::testing {

namespace layout = wire::channel_layout;

std::uint64_t value_of(HANDLE handle) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(handle));
}

HRESULT create_channel(const OpenedDevice& device, UINT type, HANDLE* out) {
  D3DDDIARG_CREATEAUTHENTICATEDCHANNEL args{};
  std::memcpy(&args.ChannelType, &type, sizeof type);
  args.hChannel = *out;
  const HRESULT hr = device.funcs().pfnCreateAuthenticatedChannel(device.device(), &args);
  *out = args.hChannel;
  return hr;
}

ChannelClient::ChannelClient(const OpenedDevice& device, std::uint8_t key_seed)
    : device_(device) {
  for (std::size_t i = 0; i < key_.size(); ++i) {
    key_[i] = static_cast<std::uint8_t>(key_seed * 31 + i);
  }
  EXPECT_EQ(create_channel(device, DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE, &handle_), S_OK);
  Bytes blob = device.wrap_session_key(key_);
  D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE exchange{handle_, static_cast<UINT>(blob.size()),
                                                     blob.data()};
  EXPECT_EQ(device.funcs().pfnAuthenticatedChannelKeyExchange(device.device(), &exchange), S_OK);
  const Reply init = configure(wire::ChannelConfigure::kInitialize, [&](Bytes& in) {
    wire::store_u32(in, layout::initialize_input::kStartSequenceQuery, next_query_);
    wire::store_u32(in, layout::initialize_input::kStartSequenceConfigure, next_configure_);
  });
  EXPECT_EQ(init.hr, S_OK);
}

HRESULT ChannelClient::destroy() {
  if (handle_ == nullptr) {
    return S_OK;
  }
  D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL args{handle_};
  handle_ = nullptr;
  return device_.funcs().pfnDestroyAuthenticatedChannel(device_.device(), &args);
}

ChannelClient::Reply ChannelClient::query(wire::ChannelQuery kind, const Fill& fill) {
  Bytes input(wire::query_sizes(kind).input);
  wire::write_query_input_header(input, {wire::guid_of(kind), value_of(handle_), next_query_++});
  if (fill) {
    fill(input);
  }
  Reply reply{E_FAIL, Bytes(wire::query_sizes(kind).output, 0xEE)};
  D3DDDIARG_QUERYAUTHENTICATEDCHANNEL args{static_cast<UINT>(input.size()), input.data(),
                                           static_cast<UINT>(reply.output.size()),
                                           reply.output.data()};
  reply.hr = device_.funcs().pfnQueryAuthenticatedChannel(device_.device(), &args);
  check(reply);
  return reply;
}

ChannelClient::Reply ChannelClient::configure(wire::ChannelConfigure kind, const Fill& fill) {
  Bytes input(wire::configure_input_size(kind));
  wire::write_configure_input_header(input,
                                     {wire::guid_of(kind), value_of(handle_), next_configure_});
  if (kind != wire::ChannelConfigure::kInitialize) {
    ++next_configure_;
  }
  if (fill) {
    fill(input);
  }
  EXPECT_TRUE(wire::sign_message(key_, input, input.size()).has_value());
  Reply reply{E_FAIL, Bytes(wire::kConfigureOutputSize, 0xEE)};
  D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL args{static_cast<UINT>(input.size()), input.data(),
                                               reply.output.data()};
  reply.hr = device_.funcs().pfnConfigureAuthenticatedChannel(device_.device(), &args);
  check(reply);
  return reply;
}

std::uint32_t ChannelClient::query_u32(wire::ChannelQuery kind) {
  const Reply reply = query(kind);
  EXPECT_EQ(reply.hr, S_OK) << wire::name_of(kind);
  return wire::load_u32(reply.output, layout::uint_output::kValue);
}

HRESULT ChannelClient::protect(std::uint32_t flags) {
  return configure(wire::ChannelConfigure::kProtection, [&](Bytes& in) {
           wire::store_u32(in, layout::protection_input::kProtections, flags);
         }).hr;
}

void ChannelClient::check(const Reply& reply) const {
  const Result<bool> verified =
      wire::message_mac_verifies(key_, reply.output, reply.output.size());
  EXPECT_TRUE(verified && *verified) << "output MAC";
  EXPECT_EQ(wire::read_return_code(reply.output), reply.hr);
}

}  // namespace cpddi::testing
