// The video-table fills (spec §8.2, A38).
#include "ddi/d3d11_1/d3d11_1.h"

namespace cpddi::ddi::d3d11_1 {
namespace {

// Slots 58–76 and 78 are the same members in every table that has them.
template <class VideoFuncs>
void fill_shared_slots(VideoFuncs& funcs) {
  funcs.pfnGetContentProtectionCaps = GetContentProtectionCaps;
  funcs.pfnGetCryptoKeyExchangeType = GetCryptoKeyExchangeType;
  funcs.pfnCalcPrivateCryptoSessionSize = CalcPrivateCryptoSessionSize;
  funcs.pfnCreateCryptoSession = CreateCryptoSession;
  funcs.pfnDestroyCryptoSession = DestroyCryptoSession;
  funcs.pfnGetCertificateSize = GetCertificateSize;
  funcs.pfnGetCertificate = GetCertificate;
  funcs.pfnNegotiateCryptoSessionKeyExchange = NegotiateCryptoSessionKeyExchange;
  funcs.pfnEncryptionBlt = EncryptionBlt;
  funcs.pfnDecryptionBlt = DecryptionBlt;
  funcs.pfnStartSessionKeyRefresh = StartSessionKeyRefresh;
  funcs.pfnFinishSessionKeyRefresh = FinishSessionKeyRefresh;
  funcs.pfnGetEncryptionBltKey = GetEncryptionBltKey;
  funcs.pfnCalcPrivateAuthenticatedChannelSize = CalcPrivateAuthenticatedChannelSize;
  funcs.pfnCreateAuthenticatedChannel = CreateAuthenticatedChannel;
  funcs.pfnDestroyAuthenticatedChannel = DestroyAuthenticatedChannel;
  funcs.pfnNegotiateAuthenticatedChannelKeyExchange = NegotiateAuthenticatedChannelKeyExchange;
  funcs.pfnQueryAuthenticatedChannel = QueryAuthenticatedChannel;
  funcs.pfnConfigureAuthenticatedChannel = ConfigureAuthenticatedChannel;
  funcs.pfnCryptoSessionGetHandle = CryptoSessionGetHandle;
}

}  // namespace

void fill_content_protection_slots(D3D11_1DDI_VIDEODEVICEFUNCS& funcs) { fill_shared_slots(funcs); }

void fill_content_protection_slots(D3DWDDM2_0DDI_VIDEODEVICEFUNCS& funcs) {
  fill_shared_slots(funcs);
  funcs.pfnGetDataForNewHardwareKey = GetDataForNewHardwareKey;
  funcs.pfnCheckCryptoSessionStatus = CheckCryptoSessionStatus;
  funcs.pfnGetCryptoSessionPrivateDataSize = GetCryptoSessionPrivateDataSize;
}

void fill_video_funcs(D3D11_1DDI_VIDEODEVICEFUNCS& funcs) {
  funcs = {};  // no decoder, video processor or capture: NULL is the honest answer (A38)
  fill_content_protection_slots(funcs);
  funcs.pfnVideoDecoderGetHandle = VideoDecoderGetHandle;
}

void fill_video_funcs(D3DWDDM2_0DDI_VIDEODEVICEFUNCS& funcs) {
  funcs = {};
  fill_content_protection_slots(funcs);
  funcs.pfnVideoDecoderGetHandle = VideoDecoderGetHandle;
}

}  // namespace cpddi::ddi::d3d11_1
