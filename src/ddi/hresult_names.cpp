#include "ddi/hresult_names.h"

namespace cpddi::ddi {

const char* known_hresult_name(HRESULT hr) {
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
    default: return nullptr;
  }
}

}  // namespace cpddi::ddi
