// Crypto-session life cycle, key exchange and refresh (spec §4.1–§4.3, §4.8–§4.9 through §8),
// the handles (slots 77, 78) and the WDDM 2.0 entries 81 and 82 (A42).
#include "ddi/d3d11_1/d3d11_1.h"
#include "ddi/d3d11_1/handles.h"
#include "ddi/guid.h"
#include "ddi/spans.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d11_1 {
namespace {

// As CalcPrivateDeviceSize: an address is all cpddi needs.
constexpr SIZE_T kPrivateCryptoSessionSize = 16;

}  // namespace

SIZE_T APIENTRY CalcPrivateCryptoSessionSize(D3D10DDI_HDEVICE,
                                             const D3D11_1DDIARG_CREATECRYPTOSESSION*) noexcept {
  return kPrivateCryptoSessionSize;
}

HRESULT APIENTRY CreateCryptoSession(D3D10DDI_HDEVICE hDevice,
                                     const D3D11_1DDIARG_CREATECRYPTOSESSION* pCreateData,
                                     D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                                     D3D11_1DDI_HRTCRYPTOSESSION) noexcept {
  return run_d3d11_entry("CreateCryptoSession", [&]() -> Result<void> {
    if (pCreateData == nullptr) {
      return Error{Errc::kInvalidArgument, "null D3D11_1DDIARG_CREATECRYPTOSESSION"};
    }
    // Spec §8.5 row 61: every unsupported type, profile or key exchange is UNSUPPORTEDCRYPTO —
    // HW_PROTECTION too, since cpddi registers no hardware handler (§7.9).
    if (crypto_type_of(pCreateData->CryptoType) != caps::CryptoType::kAes128Ctr) {
      return Error{Errc::kUnsupportedCrypto, "CryptoType must be AES128_CTR"};
    }
    if (!guid_equal(pCreateData->KeyExchangeType, D3D11_1DDI_KEY_EXCHANGE_RSAES_OAEP)) {
      return Error{Errc::kUnsupportedCrypto, "KeyExchangeType must be RSAES_OAEP"};
    }
    const runtime::CryptoSessionDesc desc{caps::CryptoType::kAes128Ctr,
                                          !guid_is_zero(pCreateData->DecodeProfile)};
    Result<runtime::Handle> created = runtime::process_runtime().create_crypto_session(
        named(hDevice), desc, key_of(hCryptoSession.pDrvPrivate));
    if (!created) {
      return created.error();
    }
    return {};
  });
}

void APIENTRY DestroyCryptoSession(D3D10DDI_HDEVICE hDevice,
                                   D3D11_1DDI_HCRYPTOSESSION hCryptoSession) noexcept {
  run_void_entry("DestroyCryptoSession", hDevice, VoidEntryKind::kNoAppPath, [&] {
    return runtime::process_runtime().destroy_crypto_session(named(hDevice),
                                                             named(hCryptoSession));
  });
}

HRESULT APIENTRY NegotiateCryptoSessionKeyExchange(D3D10DDI_HDEVICE hDevice,
                                                   D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                                                   UINT DataSize, BYTE* pData) noexcept {
  return run_d3d11_entry("NegotiateCryptoSessionKeyExchange", [&] {
    return runtime::process_runtime().crypto_session_key_exchange(
        named(hDevice), named(hCryptoSession), in_bytes(pData, DataSize));
  });
}

void APIENTRY StartSessionKeyRefresh(D3D10DDI_HDEVICE hDevice,
                                     D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                                     UINT RandomNumberSize, void* pRandomNumber) noexcept {
  run_void_entry("StartSessionKeyRefresh", hDevice, VoidEntryKind::kNoAppPath, [&] {
    // A null pRandomNumber becomes an empty span, which the session rejects (spec §9 A2).
    return runtime::process_runtime().start_session_key_refresh(
        named(hDevice), named(hCryptoSession), out_bytes(pRandomNumber, RandomNumberSize));
  });
}

void APIENTRY FinishSessionKeyRefresh(D3D10DDI_HDEVICE hDevice,
                                      D3D11_1DDI_HCRYPTOSESSION hCryptoSession) noexcept {
  run_void_entry("FinishSessionKeyRefresh", hDevice, VoidEntryKind::kNoAppPath, [&] {
    return runtime::process_runtime().finish_session_key_refresh(named(hDevice),
                                                                 named(hCryptoSession));
  });
}

HRESULT APIENTRY VideoDecoderGetHandle(D3D10DDI_HDEVICE, D3D11_1DDI_HDECODE,
                                       HANDLE*) noexcept {
  return run_d3d11_entry("VideoDecoderGetHandle", []() -> Result<void> {
    return Error{Errc::kInvalidArgument, "cpddi has no decoders (spec A38)"};
  });
}

HRESULT APIENTRY CryptoSessionGetHandle(D3D10DDI_HDEVICE hDevice,
                                        D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                                        HANDLE* pHandle) noexcept {
  return run_d3d11_entry("CryptoSessionGetHandle", [&]() -> Result<void> {
    if (pHandle == nullptr) {
      return Error{Errc::kInvalidArgument, "null pHandle"};
    }
    // The runtime handle, never the private memory's address: channel payloads name sessions
    // by handle in both front ends (spec §8.7, A29).
    Result<runtime::Handle> handle =
        runtime::process_runtime().crypto_session_handle(named(hDevice), named(hCryptoSession));
    if (!handle) {
      return handle.error();
    }
    *pHandle = to_handle(*handle);
    return {};
  });
}

HRESULT APIENTRY GetDataForNewHardwareKey(D3D10DDI_HDEVICE hDevice,
                                          D3D11_1DDI_HCRYPTOSESSION hCryptoSession, UINT,
                                          const void*, UINT64*) noexcept {
  return run_d3d11_entry("GetDataForNewHardwareKey", [&]() -> Result<void> {
    if (Result<runtime::Handle> live =
            runtime::process_runtime().crypto_session_handle(named(hDevice), named(hCryptoSession));
        !live) {
      return live.error();
    }
    return Error{Errc::kInvalidArgument, "only HW_PROTECTION sessions have hardware keys (A42)"};
  });
}

void APIENTRY CheckCryptoSessionStatus(D3D10DDI_HDEVICE hDevice,
                                       D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                                       D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS* pStatus) noexcept {
  run_void_entry("CheckCryptoSessionStatus", hDevice, VoidEntryKind::kApiVisible,
                 [&]() -> Result<void> {
                   if (pStatus == nullptr) {
                     return Error{Errc::kInvalidArgument, "null pStatus"};
                   }
                   if (Result<runtime::CryptoSessionStatus> live =
                           runtime::process_runtime().crypto_session_status(
                               named(hDevice), named(hCryptoSession));
                       !live) {
                     return live.error();
                   }
                   // A software session never loses its key (spec A42).
                   *pStatus = D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS_OK;
                   return {};
                 });
}

}  // namespace cpddi::ddi::d3d11_1
