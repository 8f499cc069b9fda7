// Crypto-session life cycle, key exchange, GetPitch and key refresh (spec §4.1–§4.4, §4.8–§4.9).
#include "ddi/d3d9/d3d9.h"
#include "ddi/guid.h"
#include "ddi/d3d9/handles.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d9 {

HRESULT APIENTRY CreateCryptoSession(HANDLE hDevice,
                                     D3DDDIARG_CREATECRYPTOSESSION* pData) noexcept {
  return run_d3d9_entry("CreateCryptoSession", [&]() -> Result<void> {
    if (pData == nullptr) {
      return Error{Errc::kInvalidArgument, "null D3DDDIARG_CREATECRYPTOSESSION"};
    }
    const runtime::CryptoSessionDesc desc{crypto_type_of(pData->CryptoType),
                                          !guid_is_zero(pData->DecodeProfile)};
    Result<runtime::Handle> session =
        runtime::process_runtime().create_crypto_session(named(hDevice), desc);
    if (!session) {
      return session.error();
    }
    pData->hCryptoSession = to_handle(*session);
    return {};
  });
}

HRESULT APIENTRY CryptoSessionKeyExchange(HANDLE hDevice,
                                          D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE* pData) noexcept {
  return run_d3d9_entry("CryptoSessionKeyExchange", pData, [&](auto& args) -> Result<void> {
    return runtime::process_runtime().crypto_session_key_exchange(
        named(hDevice), named(args.hCryptoSession), out_bytes(args.pData, args.DataSize));
  });
}

HRESULT APIENTRY DestroyCryptoSession(HANDLE hDevice,
                                      const D3DDDIARG_DESTROYCRYPTOSESSION* pData) noexcept {
  return run_d3d9_entry("DestroyCryptoSession", pData, [&](auto& args) -> Result<void> {
    return runtime::process_runtime().destroy_crypto_session(named(hDevice),
                                                             named(args.hCryptoSession));
  });
}

HRESULT APIENTRY GetPitch(HANDLE hDevice, D3DDDIARG_GETPITCH* pData) noexcept {
  return run_d3d9_entry("GetPitch", pData, [&](auto& args) -> Result<void> {
    Result<std::uint32_t> pitch = runtime::process_runtime().get_pitch(
        named(hDevice), named(args.hCryptoSession), {named(args.hResource), args.SubResourceIndex});
    if (!pitch) {
      return pitch.error();
    }
    args.Pitch = *pitch;
    return {};
  });
}

HRESULT APIENTRY StartSessionKeyRefresh(HANDLE hDevice,
                                        const D3DDDIARG_STARTSESSIONKEYREFRESH* pData) noexcept {
  return run_d3d9_entry("StartSessionKeyRefresh", pData, [&](auto& args) -> Result<void> {
    // A null pRandomNumber becomes an empty span, which the session rejects (spec §9 A2).
    return runtime::process_runtime().start_session_key_refresh(
        named(hDevice), named(args.hCryptoSession),
        out_bytes(args.pRandomNumber, args.RandomNumberSize));
  });
}

HRESULT APIENTRY FinishSessionKeyRefresh(HANDLE hDevice,
                                         const D3DDDIARG_FINISHSESSIONKEYREFRESH* pData) noexcept {
  return run_d3d9_entry("FinishSessionKeyRefresh", pData, [&](auto& args) -> Result<void> {
    return runtime::process_runtime().finish_session_key_refresh(named(hDevice),
                                                                 named(args.hCryptoSession));
  });
}

}  // namespace cpddi::ddi::d3d9
