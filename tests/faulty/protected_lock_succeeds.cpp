// Fault: Lock of a RestrictedContent surface succeeds.
// Broken rule: resource.protected-lock-refused (spec §4.10, A22).
//
// When the real Lock refuses a live RestrictedContent surface with D3DDDIERR_INVALIDCALL, this
// driver returns S_OK with pSurfData pointing at a zero-filled buffer of the surface's size that
// the wrapper owns (the protected bytes themselves are still never exposed), and the matching
// Unlock succeeds. Unprotected surfaces and every other error are the real driver's.
#include <vector>

#include "wrapper_common.h"

namespace faulty {
namespace {

struct Mapping {
  std::vector<std::uint8_t> dummy;
  bool locked = false;
};
StateMap<Mapping> g_mappings;  // resource → the wrapper's stand-in mapping

HRESULT APIENTRY Lock(HANDLE hDevice, D3DDDIARG_LOCK* pData) {
  const HRESULT hr = real().pfnLock(hDevice, pData);
  if (hr != D3DDDIERR_INVALIDCALL || pData->SubResourceIndex != 0) {
    return hr;
  }
  const std::optional<ProtectedSurface> surface = protected_surface(hDevice, pData->hResource);
  if (!surface) {
    return hr;
  }
  return g_mappings.with([&](auto& map) -> HRESULT {
    Mapping& mapping = map[pData->hResource];
    if (mapping.locked) {
      return hr;  // already "locked": the real answer
    }
    mapping.dummy.assign(std::size_t{surface->pitch} * surface->rows, 0);
    mapping.locked = true;
    pData->pSurfData = mapping.dummy.data();
    pData->Pitch = surface->pitch;
    pData->SlicePitch = surface->pitch * surface->rows;
    return S_OK;
  });
}

HRESULT APIENTRY Unlock(HANDLE hDevice, const D3DDDIARG_UNLOCK* pData) {
  if (pData != nullptr) {
    const bool ours = g_mappings.with([&](auto& map) {
      auto it = map.find(pData->hResource);
      if (it == map.end() || !it->second.locked) {
        return false;
      }
      map.erase(it);
      return true;
    });
    if (ours) {
      return S_OK;
    }
  }
  return real().pfnUnlock(hDevice, pData);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnLock = &Lock;
  funcs.pfnUnlock = &Unlock;
}

}  // namespace faulty
