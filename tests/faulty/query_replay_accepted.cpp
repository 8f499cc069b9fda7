// Fault: a query replayed byte for byte is answered again instead of refused.
// Broken rule: channel.sequence-replay-refused (spec §5.3, §5.9, A23).
//
// Per channel, the last query input, its output and HRESULT are remembered; an identical input
// (same number) gets that answer again — a validly signed output — while the real driver would
// refuse the number. Every other query is the real driver's.
#include <cstring>
#include <vector>

#include "channel_faults.h"

namespace faulty {
namespace {

struct LastQuery {
  std::vector<std::uint8_t> input;
  std::vector<std::uint8_t> output;
  HRESULT hr = S_OK;
};
StateMap<LastQuery> g_last;

HRESULT APIENTRY Query(HANDLE hDevice, const D3DDDIARG_QUERYAUTHENTICATEDCHANNEL* pData) {
  if (pData == nullptr || pData->pInputData == nullptr || pData->pOutputData == nullptr ||
      pData->InputSize < cpddi::wire::channel_layout::query_input::kSize) {
    return real().pfnQueryAuthenticatedChannel(hDevice, pData);
  }
  const auto* in = static_cast<const std::uint8_t*>(pData->pInputData);
  auto* out = static_cast<std::uint8_t*>(pData->pOutputData);
  const std::vector<std::uint8_t> input(in, in + pData->InputSize);
  const HANDLE channel = query_input_channel(in);
  std::optional<HRESULT> replayed = g_last.with([&](auto& map) -> std::optional<HRESULT> {
    auto it = map.find(channel);
    if (it == map.end() || it->second.input != input ||
        it->second.output.size() != pData->OutputSize) {
      return std::nullopt;
    }
    std::memcpy(out, it->second.output.data(), it->second.output.size());
    return it->second.hr;
  });
  if (replayed) {
    return *replayed;
  }
  const HRESULT hr = real().pfnQueryAuthenticatedChannel(hDevice, pData);
  if (hr == S_OK) {
    g_last.with([&](auto& map) {
      map[channel] = LastQuery{input, std::vector<std::uint8_t>(out, out + pData->OutputSize), hr};
    });
  }
  return hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnQueryAuthenticatedChannel = &Query;
}

}  // namespace faulty
