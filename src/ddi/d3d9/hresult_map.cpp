#include "ddi/d3d9/hresult_map.h"

#include "ddi/hresult_names.h"

#include "cpddi/cpddi.h"

namespace cpddi::ddi::d3d9 {

HRESULT to_hresult(Errc code) {
  // No default: the compiler flags a new Errc that has no code yet.
  switch (code) {
    case Errc::kInvalidArgument: return E_INVALIDARG;
    case Errc::kWrongState: return D3DDDIERR_INVALIDCALL;
    case Errc::kNotAvailable: return D3DDDIERR_NOTAVAILABLE;
    case Errc::kUnsupportedCrypto: return D3DDDIERR_UNSUPPORTEDCRYPTO;
    case Errc::kOutOfMemory: return E_OUTOFMEMORY;
    case Errc::kOutOfProtectedMemory: return D3DDDIERR_OUTOFHWPROTECTEDMEMORY;
    case Errc::kStillDrawing: return D3DDDIERR_WASSTILLDRAWING;
    case Errc::kInternal: return E_FAIL;
  }
  return E_FAIL;
}

const char* hresult_name(HRESULT hr) {
  const char* name = known_hresult_name(hr);
  return name != nullptr ? name : "unknown HRESULT";
}

}  // namespace cpddi::ddi::d3d9
