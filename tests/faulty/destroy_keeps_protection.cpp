// Fault: DestroyAuthenticatedChannel kills the handle but keeps the channel's protection
// requests in force.
// Broken rule: channel.destroy-undoes (spec §5.5, A31, A40).
//
// Destroy of a keyed channel does not reach the real driver: the module answers S_OK and from
// then on refuses every call naming that handle with E_INVALIDARG, output untouched, as a dead
// handle is refused — so only the undo is missing (the real channel, with its PROTECTION and
// ENCRYPTIONWHENACCESSIBLE requests, lives on until DestroyDevice). Unkeyed channels hold no
// request and are destroyed for real.
#include <mutex>
#include <set>

#include "channel_faults.h"

namespace faulty {
namespace {

std::mutex g_mutex;
std::set<HANDLE> g_zombies;
// The key-watching KeyExchange (channel_faults.h) this module's KeyExchange forwards to.
PFND3DDDI_AUTHENTICATEDCHANNELKEYEXCHANGE real_key_exchange = nullptr;

bool zombie(HANDLE channel) {
  std::lock_guard lock(g_mutex);
  return g_zombies.count(channel) != 0;
}

HRESULT APIENTRY Destroy(HANDLE hDevice, const D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL* pData) {
  if (pData != nullptr && zombie(pData->hChannel)) {
    return E_INVALIDARG;
  }
  if (pData != nullptr && channel_key(pData->hChannel)) {
    forget_channel_key(pData->hChannel);
    std::lock_guard lock(g_mutex);
    g_zombies.insert(pData->hChannel);
    return S_OK;
  }
  return real().pfnDestroyAuthenticatedChannel(hDevice, pData);
}

HRESULT APIENTRY KeyExchange(HANDLE hDevice, D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE* pData) {
  if (pData != nullptr && zombie(pData->hChannel)) {
    return E_INVALIDARG;
  }
  return real_key_exchange(hDevice, pData);
}

HRESULT APIENTRY Query(HANDLE hDevice, const D3DDDIARG_QUERYAUTHENTICATEDCHANNEL* pData) {
  if (pData != nullptr && pData->pInputData != nullptr &&
      pData->InputSize >= cpddi::wire::channel_layout::query_input::kSize &&
      zombie(query_input_channel(pData->pInputData))) {
    return E_INVALIDARG;
  }
  return real().pfnQueryAuthenticatedChannel(hDevice, pData);
}

HRESULT APIENTRY Configure(HANDLE hDevice, const D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL* pData) {
  if (pData != nullptr && pData->pInputData != nullptr &&
      pData->InputSize >= cpddi::wire::channel_layout::configure_input::kSize &&
      zombie(configure_input_channel(pData->pInputData))) {
    return E_INVALIDARG;
  }
  return real().pfnConfigureAuthenticatedChannel(hDevice, pData);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  watch_channel_keys(funcs);
  real_key_exchange = funcs.pfnAuthenticatedChannelKeyExchange;  // the watching one
  funcs.pfnAuthenticatedChannelKeyExchange = &KeyExchange;
  funcs.pfnDestroyAuthenticatedChannel = &Destroy;
  funcs.pfnQueryAuthenticatedChannel = &Query;
  funcs.pfnConfigureAuthenticatedChannel = &Configure;
}

}  // namespace faulty
