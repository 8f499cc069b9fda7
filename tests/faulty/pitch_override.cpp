#include "pitch_override.h"

#include <atomic>

#include "ddi/enum_value.h"

namespace faulty {
namespace {

// Set by every CreateDevice (devices may be created on several threads at once).
std::atomic<PitchChooser> g_choose{nullptr};
StateMap<UINT> g_pitches;  // resource → the pitch the fault reports for it

HRESULT APIENTRY CreateResource(HANDLE hDevice, D3DDDIARG_CREATERESOURCE* pData) {
  const HRESULT hr = real().pfnCreateResource(hDevice, pData);
  if (hr == S_OK) {
    if (const std::optional<UINT> pitch = g_choose.load()(*pData)) {
      g_pitches.with([&](auto& map) { map[pData->hResource] = *pitch; });
    }
  }
  return hr;
}

HRESULT APIENTRY DestroyResource(HANDLE hDevice, HANDLE hResource) {
  const HRESULT hr = real().pfnDestroyResource(hDevice, hResource);
  if (hr == S_OK) {
    g_pitches.with([&](auto& map) { map.erase(hResource); });
  }
  return hr;
}

HRESULT APIENTRY GetPitch(HANDLE hDevice, D3DDDIARG_GETPITCH* pData) {
  const HRESULT hr = real().pfnGetPitch(hDevice, pData);
  if (hr != S_OK) {
    return hr;
  }
  g_pitches.with([&](auto& map) {
    auto it = map.find(pData->hResource);
    if (it != map.end()) {
      pData->Pitch = it->second;
    }
  });
  return hr;
}

}  // namespace

void override_get_pitch(D3DDDI_DEVICEFUNCS& funcs, PitchChooser choose) {
  g_choose.store(choose);
  funcs.pfnCreateResource = &CreateResource;
  funcs.pfnDestroyResource = &DestroyResource;
  funcs.pfnGetPitch = &GetPitch;
}

UINT unpadded_row(const D3DDDIARG_CREATERESOURCE& args) {
  const UINT pixel_bytes = cpddi::ddi::enum_value(args.Format) == D3DDDIFMT_NV12 ? 1 : 4;
  return args.pSurfList[0].Width * pixel_bytes;
}

}  // namespace faulty
