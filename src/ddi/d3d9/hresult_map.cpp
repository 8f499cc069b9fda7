#include "ddi/d3d9/hresult_map.h"

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
    case Errc::kInternal: return E_FAIL;
  }
  return E_FAIL;
}

const char* hresult_name(HRESULT hr) {
  switch (hr) {
    case S_OK: return "S_OK";
    case E_FAIL: return "E_FAIL";
    case E_NOTIMPL: return "E_NOTIMPL";
    case E_INVALIDARG: return "E_INVALIDARG";
    case E_OUTOFMEMORY: return "E_OUTOFMEMORY";
    case D3DDDIERR_WASSTILLDRAWING: return "D3DDDIERR_WASSTILLDRAWING";
    case D3DDDIERR_NOTAVAILABLE: return "D3DDDIERR_NOTAVAILABLE";
    case D3DDDIERR_INVALIDCALL: return "D3DDDIERR_INVALIDCALL";
    case D3DDDIERR_DEVICEREMOVED: return "D3DDDIERR_DEVICEREMOVED";
    case D3DERR_CANNOTPROTECTCONTENT: return "D3DERR_CANNOTPROTECTCONTENT";
    case D3DDDIERR_UNSUPPORTEDCRYPTO: return "D3DDDIERR_UNSUPPORTEDCRYPTO";
    case D3DDDIERR_OUTOFHWPROTECTEDMEMORY: return "D3DDDIERR_OUTOFHWPROTECTEDMEMORY";
    default: return "unknown HRESULT";
  }
}

}  // namespace cpddi::ddi::d3d9
