#pragma once

// The D3D11.1 front end — cpddi's D3D11.1 video DDI (spec §8): cpddi_d3d11_1_open_adapter's
// body, the compact adapter and device tables, RetrieveSubObject and one entry per
// content-protection slot of the video table, named after the slot. Each entry checks and
// translates its WDK arguments into the runtime's core types, makes one call into the runtime,
// and reports the Error the D3D11.1 way (hresult_map.h): HRESULT entries return it, void entries
// hand it to the device's pfnSetErrorCb under the rules of spec §8.5 and A30 (devices.h).
//
// Objects are named by the address of their runtime-allocated private memory (handles.h): a
// runtime::FrontEndKey the runtime registers at creation; cpddi never reads or writes those
// bytes. The only state of its own is each device's error-reporting context (devices.h).
//
// May depend on the runtime and what is below it, on src/ddi/ (the layer every front end shares,
// ddi.h) and on the public C ABI headers. Threading: the runtime serialises calls per device;
// the device contexts have their own lock.

#include "base/result.h"
#include "cpddi/cpddi.h"
#include "ddi/d3d11_1/devices.h"
#include "ddi/d3d11_1/hresult_map.h"
#include "ddi/guard.h"

namespace cpddi::ddi::d3d11_1 {

// Runs the body of an entry that returns its HRESULT.
template <class Body>
HRESULT run_d3d11_entry(const char* entry, Body&& body) noexcept {
  return run_entry(entry, &to_hresult, static_cast<Body&&>(body));
}

// Runs the body of a void entry of `kind` on device `hDevice`, and reports a failure through the
// device's pfnSetErrorCb as spec §8.5 allows (at most once, never S_OK).
template <class Body>
void run_void_entry(const char* entry, D3D10DDI_HDEVICE hDevice, VoidEntryKind kind,
                    Body&& body) noexcept {
  report_failure(entry, hDevice, kind, run_d3d11_entry(entry, static_cast<Body&&>(body)));
}

// adapter_entries.cpp
Result<void> open_adapter(CPDDI_D3D11_1_OPENADAPTER* pOpenData,
                          const CPDDI_ADAPTER_OPTIONS* options);
SIZE_T APIENTRY CalcPrivateDeviceSize(D3D10DDI_HADAPTER hAdapter,
                                      const CPDDI_D3D11_1_CREATEDEVICE* pCreateData) noexcept;
HRESULT APIENTRY CreateDevice(D3D10DDI_HADAPTER hAdapter,
                              CPDDI_D3D11_1_CREATEDEVICE* pCreateData) noexcept;
HRESULT APIENTRY CloseAdapter(D3D10DDI_HADAPTER hAdapter) noexcept;

// device_entries.cpp: the compact device table and RetrieveSubObject (spec §8.1, A38)
HRESULT APIENTRY RetrieveSubObject(D3D10DDI_HDEVICE hDevice, UINT32 SubDeviceID,
                                   SIZE_T ParamSize, void* pParams, SIZE_T OutputParamSize,
                                   void* pOutputParamsBuffer) noexcept;
SIZE_T APIENTRY CalcPrivateResourceSize(D3D10DDI_HDEVICE hDevice,
                                        const CPDDI_D3D11_1_CREATERESOURCE* pCreate) noexcept;
HRESULT APIENTRY CreateResource(D3D10DDI_HDEVICE hDevice,
                                const CPDDI_D3D11_1_CREATERESOURCE* pCreate,
                                D3D10DDI_HRESOURCE hResource) noexcept;
HRESULT APIENTRY DestroyResource(D3D10DDI_HDEVICE hDevice, D3D10DDI_HRESOURCE hResource) noexcept;
HRESULT APIENTRY ResourceMap(D3D10DDI_HDEVICE hDevice, D3D10DDI_HRESOURCE hResource,
                             UINT Subresource, UINT Flags,
                             D3D10DDI_MAPPED_SUBRESOURCE* pMapped) noexcept;
HRESULT APIENTRY ResourceUnmap(D3D10DDI_HDEVICE hDevice, D3D10DDI_HRESOURCE hResource,
                               UINT Subresource) noexcept;
HRESULT APIENTRY Flush(D3D10DDI_HDEVICE hDevice) noexcept;
HRESULT APIENTRY DestroyDevice(D3D10DDI_HDEVICE hDevice) noexcept;

// caps_entries.cpp: slots 58, 59, 63, 64 and (WDDM 2.0) 93
HRESULT APIENTRY GetContentProtectionCaps(D3D10DDI_HDEVICE hDevice, const GUID* pCryptoType,
                                          const GUID* pDecodeProfile,
                                          D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS* pCaps) noexcept;
HRESULT APIENTRY GetCryptoKeyExchangeType(D3D10DDI_HDEVICE hDevice, const GUID* pCryptoType,
                                          const GUID* pDecodeProfile, UINT Index,
                                          GUID* pKeyExchangeType) noexcept;
void APIENTRY GetCertificateSize(D3D10DDI_HDEVICE hDevice,
                                 const D3D11_1DDI_CERTIFICATE_INFO* pCertificateInfo,
                                 UINT* pCertificateSize) noexcept;
void APIENTRY GetCertificate(D3D10DDI_HDEVICE hDevice,
                             const D3D11_1DDI_CERTIFICATE_INFO* pCertificateInfo,
                             UINT CertificateSize, BYTE* pCertificate) noexcept;
void APIENTRY GetCryptoSessionPrivateDataSize(D3D10DDI_HDEVICE hDevice, const GUID* pCryptoType,
                                              const GUID* pDecoderProfile,
                                              const GUID* pKeyExchangeType,
                                              UINT* pPrivateInputSize,
                                              UINT* pPrivateOutputSize) noexcept;

// crypto_session_entries.cpp: slots 60–62, 65, 68, 69, 77, 78 and (WDDM 2.0) 81, 82
SIZE_T APIENTRY CalcPrivateCryptoSessionSize(
    D3D10DDI_HDEVICE hDevice, const D3D11_1DDIARG_CREATECRYPTOSESSION* pCreateData) noexcept;
HRESULT APIENTRY CreateCryptoSession(D3D10DDI_HDEVICE hDevice,
                                     const D3D11_1DDIARG_CREATECRYPTOSESSION* pCreateData,
                                     D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                                     D3D11_1DDI_HRTCRYPTOSESSION hRTCryptoSession) noexcept;
void APIENTRY DestroyCryptoSession(D3D10DDI_HDEVICE hDevice,
                                   D3D11_1DDI_HCRYPTOSESSION hCryptoSession) noexcept;
HRESULT APIENTRY NegotiateCryptoSessionKeyExchange(D3D10DDI_HDEVICE hDevice,
                                                   D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                                                   UINT DataSize, BYTE* pData) noexcept;
void APIENTRY StartSessionKeyRefresh(D3D10DDI_HDEVICE hDevice,
                                     D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                                     UINT RandomNumberSize, void* pRandomNumber) noexcept;
void APIENTRY FinishSessionKeyRefresh(D3D10DDI_HDEVICE hDevice,
                                      D3D11_1DDI_HCRYPTOSESSION hCryptoSession) noexcept;
HRESULT APIENTRY VideoDecoderGetHandle(D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HDECODE hDecode,
                                       HANDLE* pContentProtectionHandle) noexcept;
HRESULT APIENTRY CryptoSessionGetHandle(D3D10DDI_HDEVICE hDevice,
                                        D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                                        HANDLE* pHandle) noexcept;
HRESULT APIENTRY GetDataForNewHardwareKey(D3D10DDI_HDEVICE hDevice,
                                          D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                                          UINT PrivateInputSize, const void* pPrivatInputData,
                                          UINT64* pPrivateOutputData) noexcept;
void APIENTRY CheckCryptoSessionStatus(D3D10DDI_HDEVICE hDevice,
                                       D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                                       D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS* pStatus) noexcept;

// blt_entries.cpp: slots 66, 67, 70
void APIENTRY EncryptionBlt(D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                            D3D10DDI_HRESOURCE hSrcResource, D3D10DDI_HRESOURCE hDstResource,
                            UINT IVSize, const void* pIV) noexcept;
void APIENTRY DecryptionBlt(D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                            D3D10DDI_HRESOURCE hSrcResource, D3D10DDI_HRESOURCE hDstResource,
                            const D3D11_1DDI_ENCRYPTED_BLOCK_INFO* pEncryptedBlockInfo,
                            UINT ContentKeySize, const void* pContentKey, UINT IVSize,
                            const void* pIV) noexcept;
void APIENTRY GetEncryptionBltKey(D3D10DDI_HDEVICE hDevice,
                                  D3D11_1DDI_HCRYPTOSESSION hCryptoSession, UINT KeySize,
                                  void* pReadbackKey) noexcept;

// channel_entries.cpp: slots 71–76
SIZE_T APIENTRY CalcPrivateAuthenticatedChannelSize(
    D3D10DDI_HDEVICE hDevice, const D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL* pCreateData) noexcept;
HRESULT APIENTRY CreateAuthenticatedChannel(D3D10DDI_HDEVICE hDevice,
                                            D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL* pCreateData,
                                            D3D11_1DDI_HAUTHCHANNEL hAuthChannel,
                                            D3D11_1DDI_HRTAUTHCHANNEL hRTAuthChannel) noexcept;
void APIENTRY DestroyAuthenticatedChannel(D3D10DDI_HDEVICE hDevice,
                                          D3D11_1DDI_HAUTHCHANNEL hAuthChannel) noexcept;
HRESULT APIENTRY NegotiateAuthenticatedChannelKeyExchange(D3D10DDI_HDEVICE hDevice,
                                                          D3D11_1DDI_HAUTHCHANNEL hAuthChannel,
                                                          UINT DataSize, void* pData) noexcept;
HRESULT APIENTRY QueryAuthenticatedChannel(D3D10DDI_HDEVICE hDevice,
                                           D3D11_1DDI_HAUTHCHANNEL hAuthChannel,
                                           UINT InputDataSize, const void* pInputData,
                                           UINT OutputDataSize, void* pOutputData) noexcept;
HRESULT APIENTRY ConfigureAuthenticatedChannel(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HAUTHCHANNEL hAuthChannel, UINT InputDataSize,
    const void* pInputData, D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT* pOutputData) noexcept;

// video_funcs.cpp: the table fills (spec A38).
// Writes cpddi's entries into the content-protection slots 58–76 and 78 of `funcs` and touches
// no other slot — slot 77 (VideoDecoderGetHandle) belongs to whoever owns the decoders. Both
// tables share these members (the WDDM 2.0 overload also writes 81, 82 and 93).
void fill_content_protection_slots(D3D11_1DDI_VIDEODEVICEFUNCS& funcs);
void fill_content_protection_slots(D3DWDDM2_0DDI_VIDEODEVICEFUNCS& funcs);
// The whole 81-slot table cpddi hands out alone: every slot NULL but 58–78 (77 answers
// E_INVALIDARG: cpddi has no decoder).
void fill_video_funcs(D3D11_1DDI_VIDEODEVICEFUNCS& funcs);
// The whole 94-slot WDDM 2.0 table: as above, plus 81, 82 and 93 (spec A42), NULL elsewhere.
void fill_video_funcs(D3DWDDM2_0DDI_VIDEODEVICEFUNCS& funcs);

}  // namespace cpddi::ddi::d3d11_1
