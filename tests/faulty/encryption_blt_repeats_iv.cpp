// Fault: EncryptionBlt reports the same IV every time.
// Broken rule: readback.iv-unique (spec §4.6, §7.8).
//
// After a successful real EncryptionBlt, the IV written to *pIV is replaced by the first IV this
// session ever returned. (The real driver encrypted under its real, fresh IV, so from the second
// call on the read-back no longer decrypts under the reported IV; that follows from the fault.)
#include <array>
#include <cstring>

#include "wrapper_common.h"

namespace faulty {
namespace {

StateMap<std::array<std::uint8_t, 16>> g_first_iv;  // session → first IV it returned

HRESULT APIENTRY EncryptionBlt(HANDLE hDevice, const D3DDDIARG_ENCRYPTIONBLT* pData) {
  const HRESULT hr = real().pfnEncryptionBlt(hDevice, pData);
  if (hr == S_OK) {
    g_first_iv.with([&](auto& map) {
      std::array<std::uint8_t, 16> iv{};
      std::memcpy(iv.data(), pData->pIV, iv.size());
      auto [it, inserted] = map.emplace(pData->hCryptoSession, iv);
      std::memcpy(pData->pIV, it->second.data(), it->second.size());
      (void)inserted;
    });
  }
  return hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) { funcs.pfnEncryptionBlt = &EncryptionBlt; }

}  // namespace faulty
