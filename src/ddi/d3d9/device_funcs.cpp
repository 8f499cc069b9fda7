#include "ddi/d3d9/d3d9.h"

namespace cpddi::ddi::d3d9 {

void fill_adapter_funcs(D3DDDI_ADAPTERFUNCS& funcs) {
  funcs.pfnGetCaps = GetCaps;
  funcs.pfnCreateDevice = CreateDevice;
  funcs.pfnCloseAdapter = CloseAdapter;
}

void fill_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  // surfaces
  funcs.pfnLock = Lock;
  funcs.pfnUnlock = Unlock;
  funcs.pfnCreateResource = CreateResource;
  funcs.pfnDestroyResource = DestroyResource;
  funcs.pfnFlush = Flush;
  funcs.pfnDestroyDevice = DestroyDevice;
  // authenticated channels (spec §5)
  funcs.pfnCreateAuthenticatedChannel = CreateAuthenticatedChannel;
  funcs.pfnAuthenticatedChannelKeyExchange = AuthenticatedChannelKeyExchange;
  funcs.pfnQueryAuthenticatedChannel = QueryAuthenticatedChannel;
  funcs.pfnConfigureAuthenticatedChannel = ConfigureAuthenticatedChannel;
  funcs.pfnDestroyAuthenticatedChannel = DestroyAuthenticatedChannel;
  // crypto sessions (spec §4)
  funcs.pfnCreateCryptoSession = CreateCryptoSession;
  funcs.pfnCryptoSessionKeyExchange = CryptoSessionKeyExchange;
  funcs.pfnDestroyCryptoSession = DestroyCryptoSession;
  funcs.pfnEncryptionBlt = EncryptionBlt;
  funcs.pfnGetPitch = GetPitch;
  funcs.pfnStartSessionKeyRefresh = StartSessionKeyRefresh;
  funcs.pfnFinishSessionKeyRefresh = FinishSessionKeyRefresh;
  funcs.pfnGetEncryptionBltKey = GetEncryptionBltKey;
  funcs.pfnDecryptionBlt = DecryptionBlt;
}

}  // namespace cpddi::ddi::d3d9
