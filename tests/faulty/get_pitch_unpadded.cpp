// Fault: GetPitch of a protected surface reports the unpadded row (width × bytes per pixel) while
// the blts use the real padded pitch, so L = GetPitch × rows is short for any width whose row
// needs padding.
// Broken rule: decrypt.formats-round-trip (spec §4.4, A16: L = GetPitch(subresource) × rows).
//
// CreateResource is the real one; for a RestrictedContent surface the width and format are
// remembered, and GetPitch (after the real one succeeds) reports the row without padding. Widths
// whose row is already a multiple of the real alignment are unaffected, as are unprotected
// surfaces (where Lock's pitch would give the fault away directly).
#include "wrapper_common.h"

namespace faulty {
namespace {

StateMap<UINT> g_row_bytes;  // protected resource → its unpadded row

HRESULT APIENTRY CreateResource(HANDLE hDevice, D3DDDIARG_CREATERESOURCE* pData) {
  const HRESULT hr = real().pfnCreateResource(hDevice, pData);
  if (hr != S_OK || !pData->Flags.RestrictedContent) {
    return hr;
  }
  const UINT pixel_bytes = pData->Format == D3DDDIFMT_NV12 ? 1 : 4;
  const UINT row = pData->pSurfList[0].Width * pixel_bytes;
  g_row_bytes.with([&](auto& map) { map[pData->hResource] = row; });
  return hr;
}

HRESULT APIENTRY DestroyResource(HANDLE hDevice, HANDLE hResource) {
  const HRESULT hr = real().pfnDestroyResource(hDevice, hResource);
  if (hr == S_OK) {
    g_row_bytes.with([&](auto& map) { map.erase(hResource); });
  }
  return hr;
}

HRESULT APIENTRY GetPitch(HANDLE hDevice, D3DDDIARG_GETPITCH* pData) {
  const HRESULT hr = real().pfnGetPitch(hDevice, pData);
  if (hr != S_OK) {
    return hr;
  }
  g_row_bytes.with([&](auto& map) {
    auto it = map.find(pData->hResource);
    if (it != map.end()) {
      pData->Pitch = it->second;
    }
  });
  return hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnCreateResource = &CreateResource;
  funcs.pfnDestroyResource = &DestroyResource;
  funcs.pfnGetPitch = &GetPitch;
}

}  // namespace faulty
