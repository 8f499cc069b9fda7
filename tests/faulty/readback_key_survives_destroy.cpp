// Fault: DestroyCryptoSession does not wipe the read-back key: the device's next session (in the
// destroyed one's slot, as a free list hands it out) inherits a key, so its EncryptionBlt works
// before it ever called GetEncryptionBltKey — under a key its application cannot know.
// Broken rule: readback.no-key-inherited-after-destroy (spec §4.3: Destroy wipes the read-back
// key; A19: EncryptionBlt before GetEncryptionBltKey → D3DDDIERR_INVALIDCALL).
//
// readback.before-key-invalidcall catches it only when an earlier case on the same device left a
// destroyed keyed session behind (an accident of case order). Emulated over the real driver: the
// inheriting session's first EncryptionBlt without a key of its own first mints one through the
// real GetEncryptionBltKey and discards it (the inherited key, unknown to the application).
#include <array>
#include <cstdint>
#include <utility>

#include "wrapper_common.h"

namespace faulty {
namespace {

StateMap<bool> g_has_key;   // session → holds a read-back key (its own or inherited)
StateMap<bool> g_key_left;  // device → a destroyed session left its read-back key behind
StateMap<bool> g_inherits;  // session → created after such a Destroy, no key of its own yet

HRESULT APIENTRY Create(HANDLE hDevice, D3DDDIARG_CREATECRYPTOSESSION* pData) {
  const HRESULT hr = real().pfnCreateCryptoSession(hDevice, pData);
  if (hr == S_OK &&
      g_key_left.with([&](auto& map) { return std::exchange(map[hDevice], false); })) {
    g_inherits.with([&](auto& map) { map[pData->hCryptoSession] = true; });
  }
  return hr;
}

HRESULT APIENTRY Destroy(HANDLE hDevice, const D3DDDIARG_DESTROYCRYPTOSESSION* pData) {
  const HRESULT hr = real().pfnDestroyCryptoSession(hDevice, pData);
  if (hr == S_OK) {
    const bool had_key = g_has_key.with([&](auto& map) {
      const bool held = map[pData->hCryptoSession];
      map.erase(pData->hCryptoSession);
      return held;
    });
    g_inherits.with([&](auto& map) { map.erase(pData->hCryptoSession); });
    if (had_key) {
      g_key_left.with([&](auto& map) { map[hDevice] = true; });
    }
  }
  return hr;
}

HRESULT APIENTRY GetKey(HANDLE hDevice, const D3DDDIARG_GETENCRYPTIONBLTKEY* pData) {
  const HRESULT hr = real().pfnGetEncryptionBltKey(hDevice, pData);
  if (hr == S_OK) {
    g_has_key.with([&](auto& map) { map[pData->hCryptoSession] = true; });
    g_inherits.with([&](auto& map) { map.erase(pData->hCryptoSession); });
  }
  return hr;
}

HRESULT APIENTRY EncryptionBlt(HANDLE hDevice, const D3DDDIARG_ENCRYPTIONBLT* pData) {
  const bool inherits =
      pData != nullptr &&
      g_inherits.with([&](auto& map) { return std::exchange(map[pData->hCryptoSession], false); });
  if (inherits) {
    std::array<std::uint8_t, 16> discarded{};
    const D3DDDIARG_GETENCRYPTIONBLTKEY args{pData->hCryptoSession, discarded.data(), 16};
    if (real().pfnGetEncryptionBltKey(hDevice, &args) == S_OK) {
      g_has_key.with([&](auto& map) { map[pData->hCryptoSession] = true; });
    }
  }
  return real().pfnEncryptionBlt(hDevice, pData);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnCreateCryptoSession = &Create;
  funcs.pfnDestroyCryptoSession = &Destroy;
  funcs.pfnGetEncryptionBltKey = &GetKey;
  funcs.pfnEncryptionBlt = &EncryptionBlt;
}

}  // namespace faulty
