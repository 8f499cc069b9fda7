// Fault: query outputs are signed over a range 4 bytes short of the defined structure (the last
// payload or padding bytes are left out of the MAC).
// Broken rule: channel.query-output-signed (spec §5.3, §5.8, §7.6).
//
// The real query runs unchanged (same HRESULT, same bytes); then the output's omac is recomputed
// over [16, OutputSize − 4) with the channel's key — exactly what a driver that MACs the struct
// without its tail, or without trailing padding, would produce.
#include "channel_faults.h"

namespace faulty {
namespace {

namespace layout = cpddi::wire::channel_layout;

HRESULT APIENTRY Query(HANDLE hDevice, const D3DDDIARG_QUERYAUTHENTICATEDCHANNEL* pData) {
  const HRESULT hr = real().pfnQueryAuthenticatedChannel(hDevice, pData);
  if (hr != S_OK || pData->OutputSize < layout::output_header::kSize + 4) {
    return hr;
  }
  auto* out = static_cast<std::uint8_t*>(pData->pOutputData);
  if (auto key = channel_key(output_channel(out))) {
    sign_range(*key, std::span(out, pData->OutputSize), pData->OutputSize - 4);
  }
  return hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  watch_channel_keys(funcs);
  funcs.pfnQueryAuthenticatedChannel = &Query;
}

}  // namespace faulty
