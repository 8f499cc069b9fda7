// Fault: ConfigureAuthenticatedChannel does not check the input's OMAC.
// Broken rule: channel.configure-mac-checked (spec §5.4, §5.8).
//
// Every configure naming a keyed channel is re-signed with that channel's key before the real
// driver sees it, so a tampered or wrongly signed command is applied as if the application had
// signed it; everything else (sizes, sequence numbers, the command) is the real driver's.
#include <vector>

#include "channel_faults.h"

namespace faulty {
namespace {

namespace layout = cpddi::wire::channel_layout;

HRESULT APIENTRY Configure(HANDLE hDevice, const D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL* pData) {
  if (pData == nullptr || pData->pInputData == nullptr ||
      pData->InputSize < layout::configure_input::kSize) {
    return real().pfnConfigureAuthenticatedChannel(hDevice, pData);
  }
  const auto* in = static_cast<const std::uint8_t*>(pData->pInputData);
  const auto key = channel_key(configure_input_channel(in));
  if (!key) {
    return real().pfnConfigureAuthenticatedChannel(hDevice, pData);
  }
  std::vector<std::uint8_t> forged(in, in + pData->InputSize);
  sign_range(*key, forged, forged.size());
  D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL args = *pData;
  args.pInputData = forged.data();
  return real().pfnConfigureAuthenticatedChannel(hDevice, &args);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  watch_channel_keys(funcs);
  funcs.pfnConfigureAuthenticatedChannel = &Configure;
}

}  // namespace faulty
