#include "ddi/d3d11_1/hresult_map.h"

#include "cpddi/cpddi.h"

namespace cpddi::ddi::d3d11_1 {

HRESULT to_hresult(Errc code) {
  // Spec A41: the D3D11.1 content-protection pages know only S_OK, E_INVALIDARG, E_OUTOFMEMORY,
  // E_FAIL, D3DDDIERR_DEVICEREMOVED and D3DDDIERR_UNSUPPORTEDCRYPTO, so the D3D9-only codes
  // become E_INVALIDARG (state errors, switched-off caps) and E_OUTOFMEMORY (the protected pool).
  // An internal failure (OpenSSL, the RNG) changed nothing and is a resource failure too: most
  // entries list no other failure, and a void entry may report nothing else (spec §8.5).
  // Entries that spell a case differently (unknown crypto types: UNSUPPORTEDCRYPTO; unknown
  // query/configure GUIDs: E_FAIL) decide that before mapping. No default: the compiler flags a
  // new Errc that has no code yet.
  switch (code) {
    case Errc::kInvalidArgument: return E_INVALIDARG;
    case Errc::kWrongState: return E_INVALIDARG;
    case Errc::kNotAvailable: return E_INVALIDARG;
    case Errc::kUnsupportedCrypto: return D3DDDIERR_UNSUPPORTEDCRYPTO;
    case Errc::kOutOfMemory: return E_OUTOFMEMORY;
    case Errc::kOutOfProtectedMemory: return E_OUTOFMEMORY;
    case Errc::kStillDrawing: return D3DDDIERR_WASSTILLDRAWING;  // ResourceMap with DONOTWAIT
    case Errc::kInternal: return E_OUTOFMEMORY;
  }
  return E_FAIL;
}

}  // namespace cpddi::ddi::d3d11_1
