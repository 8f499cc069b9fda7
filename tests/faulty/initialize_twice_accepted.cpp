// Fault: a second INITIALIZE on a channel is answered S_OK (and ignored).
// Broken rule: channel.initialize-once (spec §5.7, §5.9).
//
// Once the real driver accepted a channel's INITIALIZE, a later validly sized INITIALIZE for it
// is not passed on: the module writes the signed CONFIGURE_OUTPUT a success would have (echo,
// ReturnCode S_OK) under the channel's key. Every other configure is the real driver's.
#include <set>

#include "channel_faults.h"

namespace faulty {
namespace {

namespace layout = cpddi::wire::channel_layout;

std::mutex g_mutex;
std::set<HANDLE> g_initialized;

HRESULT APIENTRY Configure(HANDLE hDevice, const D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL* pData) {
  if (pData == nullptr || pData->pInputData == nullptr || pData->pOutputData == nullptr ||
      pData->InputSize != layout::initialize_input::kSize) {
    return real().pfnConfigureAuthenticatedChannel(hDevice, pData);
  }
  const auto* in = static_cast<const std::uint8_t*>(pData->pInputData);
  if (!is_initialize(in)) {
    return real().pfnConfigureAuthenticatedChannel(hDevice, pData);
  }
  const HANDLE channel = configure_input_channel(in);
  const auto key = channel_key(channel);
  bool again = false;
  {
    std::lock_guard lock(g_mutex);
    again = g_initialized.count(channel) != 0;
  }
  if (again && key) {
    write_configure_output(*key, in, static_cast<std::uint8_t*>(pData->pOutputData), S_OK);
    return S_OK;
  }
  const HRESULT hr = real().pfnConfigureAuthenticatedChannel(hDevice, pData);
  if (hr == S_OK) {
    std::lock_guard lock(g_mutex);
    g_initialized.insert(channel);
  }
  return hr;
}

HRESULT APIENTRY Destroy(HANDLE hDevice, const D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL* pData) {
  const HRESULT hr = real().pfnDestroyAuthenticatedChannel(hDevice, pData);
  if (hr == S_OK) {
    forget_channel_key(pData->hChannel);
    std::lock_guard lock(g_mutex);
    g_initialized.erase(pData->hChannel);
  }
  return hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  watch_channel_keys(funcs);
  funcs.pfnConfigureAuthenticatedChannel = &Configure;
  funcs.pfnDestroyAuthenticatedChannel = &Destroy;
}

}  // namespace faulty
