#pragma once

// Faulty drivers — the shared half. Each libfaulty_<rule>.so is the real cpddi driver with ONE
// behaviour broken, so that `cpddi conform --driver` can be shown to catch that exact rule. The
// module's exports are OpenAdapter and cpddi_open_adapter_with_options (wrapper_common.cpp):
// each opens a real cpddi adapter, substitutes pfnCreateDevice, and every device it makes gets
// the real device table with the few slots the faulty driver's own source replaces in
// patch_device_funcs().
//
// Per-session (or per-resource) state a fault needs lives in a StateMap keyed by handle. Where
// a fault must know the real driver's state exactly (is a refresh pending? is this handle live?),
// it asks the driver's internals through the probes below instead of shadowing that state, so
// every other behaviour stays the real driver's, error codes included.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "cpddi/cpddi.h"

namespace cpddi::crypto {
class RsaPrivateKey;
}  // namespace cpddi::crypto

namespace faulty {

// The real driver's device table, as its CreateDevice filled it (valid once a device exists,
// i.e. in every device entry point).
const D3DDDI_DEVICEFUNCS& real();

// Supplied by each faulty driver: replace one or two slots of a table the real CreateDevice has
// just filled; the originals stay reachable through real().
void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs);

// The real driver's adapter table, as its OpenAdapter filled it (valid in every adapter entry
// point).
const D3DDDI_ADAPTERFUNCS& real_adapter();

// Optionally supplied by a faulty driver whose fault is adapter-level (GetCaps): replace slots of
// the adapter table the real OpenAdapter has just filled. Weak, so the device-level drivers need
// not define it (then it is null and nothing is patched).
[[gnu::weak]] void patch_adapter_funcs(D3DDDI_ADAPTERFUNCS& funcs);

// The GetCaps of a fault that answers content-protection caps queries for a query it rewrote:
// a GETCONTENTPROTECTIONCAPS query with a non-null pInfo goes to the real GetCaps with a copy of
// its DDICONTENTPROTECTIONCAPS that `rewrite` changed, when `rewrite` returns true; every other
// query (certificates, null pointers, queries `rewrite` declines) is the real call unchanged.
HRESULT get_caps_rewritten(HANDLE hAdapter, const D3DDDIARG_GETCAPS* pData,
                           const std::function<bool(DDICONTENTPROTECTIONCAPS&)>& rewrite);

// ---- Probes into the real driver's state (take and release the device lock; call them only
// outside a real entry point, never while holding a StateMap) ----

// Whether hSession is a live crypto session of hDevice.
bool session_live(HANDLE hDevice, HANDLE hSession);
// Whether hSession (live, of hDevice) has a StartSessionKeyRefresh number pending.
bool refresh_pending(HANDLE hDevice, HANDLE hSession);
// Whether hResource is a live RestrictedContent surface of hDevice; its pitch and row count.
struct ProtectedSurface {
  UINT pitch = 0;
  UINT rows = 0;
};
std::optional<ProtectedSurface> protected_surface(HANDLE hDevice, HANDLE hResource);
// The RSA private key of the identity of the adapter hDevice was made on (captured when the
// device was made, so it outlives CloseAdapter): what the real driver decrypts key-exchange
// blobs with. Null for a device this module did not make.
std::shared_ptr<const cpddi::crypto::RsaPrivateKey> identity_key(HANDLE hDevice);

// Whether hDevice's adapter checks DecryptionBlt IVs (not opened with IvCheck = OFF, A12).
bool iv_check_on(HANDLE hDevice);

// A small thread-safe map from a handle to what a fault remembers about it.
template <class Value>
class StateMap {
 public:
  // Runs f(std::map<HANDLE, Value>&) with the map locked; returns what f returns.
  template <class F>
  auto with(F&& f) {
    std::lock_guard lock(mutex_);
    return std::forward<F>(f)(map_);
  }

 private:
  std::mutex mutex_;
  std::map<HANDLE, Value> map_;
};

// The sessions of hDevice other than `except` in `sessions`, a StateMap from a session handle to
// its device: whom a fault that reaches across a device's sessions touches next.
inline std::vector<HANDLE> sessions_of(StateMap<HANDLE>& sessions, HANDLE hDevice,
                                       HANDLE except) {
  return sessions.with([&](auto& map) {
    std::vector<HANDLE> found;
    for (const auto& [session, device] : map) {
      if (device == hDevice && session != except) {
        found.push_back(session);
      }
    }
    return found;
  });
}

// A DestroyCryptoSession for a fault that keeps per-session state in `kState` (a StateMap keyed
// by session handle): the real call, then on S_OK the session's entry is forgotten, so a later
// session that gets the same handle starts afresh. Used as
// funcs.pfnDestroyCryptoSession = &DestroySessionForgetting<g_state>;
template <auto& kState>
HRESULT APIENTRY DestroySessionForgetting(HANDLE hDevice,
                                          const D3DDDIARG_DESTROYCRYPTOSESSION* pData) {
  const HRESULT hr = real().pfnDestroyCryptoSession(hDevice, pData);
  if (hr == S_OK) {
    kState.with([&](auto& map) { map.erase(pData->hCryptoSession); });
  }
  return hr;
}

}  // namespace faulty
