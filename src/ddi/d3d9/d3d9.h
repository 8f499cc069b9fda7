#pragma once

// The D3D9 front end — cpddi's D3D9 content-protection DDI: OpenAdapter's body, the function
// tables and one entry point per table slot, named after the slot. Each entry lives in its object
// family's *_entries.cpp and does three things: check and translate the WDK struct into the
// runtime's core types, make one call into the runtime (runtime/runtime.h), and map the Error to
// the D3D9 HRESULT (hresult_map.h). HANDLEs carry runtime handle values unchanged (handles.h).
//
// May depend on the runtime and what is below it, on src/ddi/ (the layer every front end shares,
// ddi.h) and on the public C ABI headers; holds no object, lock, wait or teardown of its own.
// Threading: stateless; the runtime serialises calls per device.

#include <cstdint>
#include <span>

#include "base/result.h"
#include "cpddi/cpddi.h"
#include "ddi/d3d9/hresult_map.h"
#include "ddi/guard.h"
#include "ddi/spans.h"

namespace cpddi::ddi::d3d9 {

// Runs an entry body with the D3D9 HRESULT mapping.
template <class Body>
HRESULT run_d3d9_entry(const char* entry, Body&& body) noexcept {
  return run_entry(entry, &to_hresult, static_cast<Body&&>(body));
}

// adapter_entries.cpp
HRESULT APIENTRY GetCaps(HANDLE hAdapter, const D3DDDIARG_GETCAPS* pData) noexcept;
HRESULT APIENTRY CreateDevice(HANDLE hAdapter, D3DDDIARG_CREATEDEVICE* pData) noexcept;
HRESULT APIENTRY CloseAdapter(HANDLE hAdapter) noexcept;

// resource_entries.cpp
HRESULT APIENTRY CreateResource(HANDLE hDevice, D3DDDIARG_CREATERESOURCE* pResource) noexcept;
HRESULT APIENTRY DestroyResource(HANDLE hDevice, HANDLE hResource) noexcept;
HRESULT APIENTRY Lock(HANDLE hDevice, D3DDDIARG_LOCK* pData) noexcept;
HRESULT APIENTRY Unlock(HANDLE hDevice, const D3DDDIARG_UNLOCK* pData) noexcept;
HRESULT APIENTRY Flush(HANDLE hDevice) noexcept;
HRESULT APIENTRY DestroyDevice(HANDLE hDevice) noexcept;

// channel_entries.cpp
HRESULT APIENTRY CreateAuthenticatedChannel(HANDLE hDevice,
                                            D3DDDIARG_CREATEAUTHENTICATEDCHANNEL* pData) noexcept;
HRESULT APIENTRY AuthenticatedChannelKeyExchange(
    HANDLE hDevice, D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE* pData) noexcept;
HRESULT APIENTRY QueryAuthenticatedChannel(
    HANDLE hDevice, const D3DDDIARG_QUERYAUTHENTICATEDCHANNEL* pData) noexcept;
HRESULT APIENTRY ConfigureAuthenticatedChannel(
    HANDLE hDevice, const D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL* pData) noexcept;
HRESULT APIENTRY DestroyAuthenticatedChannel(
    HANDLE hDevice, const D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL* pData) noexcept;

// crypto_session_entries.cpp
HRESULT APIENTRY CreateCryptoSession(HANDLE hDevice, D3DDDIARG_CREATECRYPTOSESSION* pData) noexcept;
HRESULT APIENTRY CryptoSessionKeyExchange(HANDLE hDevice,
                                          D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE* pData) noexcept;
HRESULT APIENTRY DestroyCryptoSession(HANDLE hDevice,
                                      const D3DDDIARG_DESTROYCRYPTOSESSION* pData) noexcept;
HRESULT APIENTRY GetPitch(HANDLE hDevice, D3DDDIARG_GETPITCH* pData) noexcept;
HRESULT APIENTRY StartSessionKeyRefresh(HANDLE hDevice,
                                        const D3DDDIARG_STARTSESSIONKEYREFRESH* pData) noexcept;
HRESULT APIENTRY FinishSessionKeyRefresh(HANDLE hDevice,
                                         const D3DDDIARG_FINISHSESSIONKEYREFRESH* pData) noexcept;

// blt_entries.cpp
HRESULT APIENTRY DecryptionBlt(HANDLE hDevice, const D3DDDIARG_DECRYPTIONBLT* pData) noexcept;
HRESULT APIENTRY EncryptionBlt(HANDLE hDevice, const D3DDDIARG_ENCRYPTIONBLT* pData) noexcept;
HRESULT APIENTRY GetEncryptionBltKey(HANDLE hDevice,
                                     const D3DDDIARG_GETENCRYPTIONBLTKEY* pData) noexcept;

// open_adapter.cpp: OpenAdapter's body (options may be null).
Result<void> open_adapter(D3DDDIARG_OPENADAPTER* pOpenData, const CPDDI_ADAPTER_OPTIONS* options);

// device_funcs.cpp
void fill_device_funcs(D3DDDI_DEVICEFUNCS& funcs);
void fill_adapter_funcs(D3DDDI_ADAPTERFUNCS& funcs);

// What every entry answers for a null argument struct.
inline constexpr Error kNullArgumentStruct{Errc::kInvalidArgument, "null argument struct"};

// Runs the body of an entry that takes one argument struct: a null `args` is kNullArgumentStruct,
// anything else is body(*args).
template <class Args, class Body>
HRESULT run_d3d9_entry(const char* entry, Args* args, Body&& body) noexcept {
  return run_d3d9_entry(entry, [&]() -> Result<void> {
    if (args == nullptr) {
      return kNullArgumentStruct;
    }
    return body(*args);
  });
}

}  // namespace cpddi::ddi::d3d9
