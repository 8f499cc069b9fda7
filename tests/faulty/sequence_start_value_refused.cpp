// Fault: the first query and configure after INITIALIZE must carry a number above the start
// value (the start value itself is refused) — the "seq > start" reading spec A23 rules out.
// Broken rule: channel.sequence-start-value (spec §5.9, A23).
//
// The module reads the start values of every INITIALIZE the real driver accepts; a later query
// or configure carrying exactly that start value, while it is still the channel's first of its
// kind, gets the refusal a driver would give — E_INVALIDARG in a signed output — without the real
// driver seeing it. Everything else is the real driver's.
#include <cstring>
#include <map>
#include <mutex>

#include "channel_faults.h"

namespace faulty {
namespace {

namespace layout = cpddi::wire::channel_layout;

struct Starts {
  std::optional<std::uint32_t> query;      // reset once a query is accepted
  std::optional<std::uint32_t> configure;  // reset once a configure is accepted
};
StateMap<Starts> g_starts;

std::uint32_t u32_at(const void* p, std::size_t at) {
  std::uint32_t v = 0;
  std::memcpy(&v, static_cast<const std::uint8_t*>(p) + at, sizeof v);
  return v;
}

HRESULT APIENTRY Query(HANDLE hDevice, const D3DDDIARG_QUERYAUTHENTICATEDCHANNEL* pData) {
  if (pData == nullptr || pData->pInputData == nullptr || pData->pOutputData == nullptr ||
      pData->InputSize < layout::query_input::kSize ||
      pData->OutputSize < layout::output_header::kSize) {
    return real().pfnQueryAuthenticatedChannel(hDevice, pData);
  }
  const auto* in = static_cast<const std::uint8_t*>(pData->pInputData);
  const HANDLE channel = query_input_channel(in);
  const std::uint32_t seq = u32_at(in, layout::query_input::kSequenceNumber);
  const bool refuse = g_starts.with([&](auto& map) {
    auto it = map.find(channel);
    return it != map.end() && it->second.query == seq;
  });
  const auto key = channel_key(channel);
  if (refuse && key) {
    namespace out = layout::output_header;
    auto* o = static_cast<std::uint8_t*>(pData->pOutputData);
    std::memset(o, 0, pData->OutputSize);
    std::memcpy(o + out::kType, in + layout::query_input::kQueryType, 16);
    std::memcpy(o + out::kChannel, in + layout::query_input::kChannel, layout::kHandleSize);
    std::memcpy(o + out::kSequenceNumber, &seq, 4);
    const HRESULT hr = E_INVALIDARG;
    std::memcpy(o + out::kReturnCode, &hr, 4);
    sign_range(*key, std::span(o, pData->OutputSize), pData->OutputSize);
    return hr;
  }
  const HRESULT hr = real().pfnQueryAuthenticatedChannel(hDevice, pData);
  if (hr == S_OK) {
    g_starts.with([&](auto& map) { map[channel].query.reset(); });
  }
  return hr;
}

HRESULT APIENTRY Configure(HANDLE hDevice, const D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL* pData) {
  if (pData == nullptr || pData->pInputData == nullptr || pData->pOutputData == nullptr ||
      pData->InputSize < layout::configure_input::kSize) {
    return real().pfnConfigureAuthenticatedChannel(hDevice, pData);
  }
  const auto* in = static_cast<const std::uint8_t*>(pData->pInputData);
  const HANDLE channel = configure_input_channel(in);
  const std::uint32_t seq = u32_at(in, layout::configure_input::kSequenceNumber);
  const bool is_init = is_initialize(in);
  const bool refuse = !is_init && g_starts.with([&](auto& map) {
    auto it = map.find(channel);
    return it != map.end() && it->second.configure == seq;
  });
  const auto key = channel_key(channel);
  if (refuse && key) {
    write_configure_output(*key, in, static_cast<std::uint8_t*>(pData->pOutputData),
                           E_INVALIDARG);
    return E_INVALIDARG;
  }
  const HRESULT hr = real().pfnConfigureAuthenticatedChannel(hDevice, pData);
  if (hr == S_OK) {
    g_starts.with([&](auto& map) {
      if (is_init && pData->InputSize == layout::initialize_input::kSize) {
        map[channel] = Starts{u32_at(in, layout::initialize_input::kStartSequenceQuery),
                              u32_at(in, layout::initialize_input::kStartSequenceConfigure)};
      } else {
        map[channel].configure.reset();
      }
    });
  }
  return hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  watch_channel_keys(funcs);
  funcs.pfnQueryAuthenticatedChannel = &Query;
  funcs.pfnConfigureAuthenticatedChannel = &Configure;
}

}  // namespace faulty
