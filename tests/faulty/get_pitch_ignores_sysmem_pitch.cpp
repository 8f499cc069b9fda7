// Fault: GetPitch of a system-memory surface the caller supplied (pSysMem, SysMemPitch) reports
// the pitch the driver would have chosen for a surface of its own (the row rounded up to 64
// bytes) instead of the caller's SysMemPitch, which Lock and the blts use.
// Broken rule: resource.caller-memory-in-place (spec §4.4: GetPitch gives the surface's bytes per
// row; §4.10: a pSysMem surface is the caller's memory, laid out with its SysMemPitch).
//
// CreateResource is the real one and remembers the rounded row of every pSysMem surface;
// GetPitch (after the real one succeeds) reports it. A caller pitch that equals the rounded row
// (e.g. 64 pixels of 4 bytes, 256) hides the fault.
#include "wrapper_common.h"

namespace faulty {
namespace {

StateMap<UINT> g_own_pitch;  // caller-memory resource → the pitch the driver would choose

HRESULT APIENTRY CreateResource(HANDLE hDevice, D3DDDIARG_CREATERESOURCE* pData) {
  const HRESULT hr = real().pfnCreateResource(hDevice, pData);
  if (hr != S_OK || pData->pSurfList[0].pSysMem == nullptr) {
    return hr;
  }
  const UINT pixel_bytes = pData->Format == D3DDDIFMT_NV12 ? 1 : 4;
  const UINT row = pData->pSurfList[0].Width * pixel_bytes;
  g_own_pitch.with([&](auto& map) { map[pData->hResource] = (row + 63) / 64 * 64; });
  return hr;
}

HRESULT APIENTRY DestroyResource(HANDLE hDevice, HANDLE hResource) {
  const HRESULT hr = real().pfnDestroyResource(hDevice, hResource);
  if (hr == S_OK) {
    g_own_pitch.with([&](auto& map) { map.erase(hResource); });
  }
  return hr;
}

HRESULT APIENTRY GetPitch(HANDLE hDevice, D3DDDIARG_GETPITCH* pData) {
  const HRESULT hr = real().pfnGetPitch(hDevice, pData);
  if (hr != S_OK) {
    return hr;
  }
  g_own_pitch.with([&](auto& map) {
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
