// The shared half of the channel faults (channel_faults.h).
#include "channel_faults.h"

#include <cstring>

#include "crypto/cmac.h"
#include "crypto/rsa.h"

namespace faulty {
namespace {

namespace layout = cpddi::wire::channel_layout;

StateMap<ChannelKey> g_keys;

HANDLE handle_at(const void* message, std::size_t at) {
  HANDLE h = nullptr;
  std::memcpy(&h, static_cast<const std::uint8_t*>(message) + at, sizeof h);
  return h;
}

HRESULT APIENTRY KeyExchange(HANDLE hDevice, D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE* pData) {
  const HRESULT hr = real().pfnAuthenticatedChannelKeyExchange(hDevice, pData);
  if (hr != S_OK) {
    return hr;
  }
  const auto identity = identity_key(hDevice);
  if (identity == nullptr) {
    return hr;
  }
  auto key = cpddi::crypto::unwrap_exchanged_key(
      *identity, std::span(static_cast<const std::uint8_t*>(pData->pData), pData->DataSize));
  if (key) {
    ChannelKey bytes{};
    std::memcpy(bytes.data(), key->expose().data(), bytes.size());
    g_keys.with([&](auto& map) { map[pData->hChannel] = bytes; });
  }
  return hr;
}

HRESULT APIENTRY Destroy(HANDLE hDevice, const D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL* pData) {
  const HRESULT hr = real().pfnDestroyAuthenticatedChannel(hDevice, pData);
  if (hr == S_OK) {
    forget_channel_key(pData->hChannel);
  }
  return hr;
}

}  // namespace

void watch_channel_keys(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnAuthenticatedChannelKeyExchange = &KeyExchange;
  funcs.pfnDestroyAuthenticatedChannel = &Destroy;
}

std::optional<ChannelKey> channel_key(HANDLE hChannel) {
  return g_keys.with([&](auto& map) -> std::optional<ChannelKey> {
    auto it = map.find(hChannel);
    return it == map.end() ? std::nullopt : std::optional<ChannelKey>(it->second);
  });
}

void forget_channel_key(HANDLE hChannel) {
  g_keys.with([&](auto& map) { map.erase(hChannel); });
}

void sign_range(const ChannelKey& key, std::span<std::uint8_t> message, std::size_t end) {
  auto tag = cpddi::crypto::aes_cmac(key, message.subspan(16, end - 16));
  if (tag) {
    std::memcpy(message.data(), tag->data(), tag->size());
  }
}

HANDLE query_input_channel(const void* input) {
  return handle_at(input, layout::query_input::kChannel);
}

HANDLE configure_input_channel(const void* input) {
  return handle_at(input, layout::configure_input::kChannel);
}

HANDLE output_channel(const void* output) {
  return handle_at(output, layout::output_header::kChannel);
}

bool is_initialize(const std::uint8_t* input) {
  const auto& guid = cpddi::wire::guid_of(cpddi::wire::ChannelConfigure::kInitialize);
  return std::memcmp(input + layout::configure_input::kConfigureType, guid.data(), guid.size()) ==
         0;
}

void write_configure_output(const ChannelKey& key, const std::uint8_t* input,
                            std::uint8_t* output, HRESULT hr) {
  namespace in = layout::configure_input;
  namespace out = layout::output_header;
  std::memset(output, 0, out::kSize);
  std::memcpy(output + out::kType, input + in::kConfigureType, 16);
  std::memcpy(output + out::kChannel, input + in::kChannel, layout::kHandleSize);
  std::memcpy(output + out::kSequenceNumber, input + in::kSequenceNumber, 4);
  std::memcpy(output + out::kReturnCode, &hr, 4);
  sign_range(key, std::span(output, out::kSize), out::kSize);
}

}  // namespace faulty
