// Fault: DestroyCryptoSession of a handle that names no live session returns E_UNEXPECTED
// (0x8000FFFF), an HRESULT the spec never allows (§2.2), instead of E_INVALIDARG.
// Broken rule: session.create-destroy (spec §4.3; §2.2); proves that `cpddi conform` tells a code
// the spec never allows (verdict `undocumented-hresult`) from a documented but wrong one (`fail`).
#include "wrapper_common.h"

namespace faulty {
namespace {

constexpr HRESULT kUnexpected = static_cast<HRESULT>(0x8000FFFF);  // E_UNEXPECTED

HRESULT APIENTRY DestroyCryptoSession(HANDLE hDevice,
                                      const D3DDDIARG_DESTROYCRYPTOSESSION* pData) {
  const HRESULT hr = real().pfnDestroyCryptoSession(hDevice, pData);
  return hr == E_INVALIDARG ? kUnexpected : hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnDestroyCryptoSession = &DestroyCryptoSession;
}

}  // namespace faulty
