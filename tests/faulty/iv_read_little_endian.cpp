// Fault: DecryptionBlt reads the D3DAES_CTR_IV halves as little-endian integers.
// Broken rule: decrypt.nist-vector (spec §2.8, §7.1: both halves are big-endian, the 16 bytes in
// memory order are the counter block).
//
// Before the real DecryptionBlt, the bytes of each 8-byte half of *pIV (IV, then Count) are
// reversed in a copy — what a driver that loads IV/Count as native integers on a little-endian
// host and then stores them big-endian does. The caller's IV is not modified.
#include <algorithm>
#include <array>
#include <cstring>

#include "wrapper_common.h"

namespace faulty {
namespace {

HRESULT APIENTRY DecryptionBlt(HANDLE hDevice, const D3DDDIARG_DECRYPTIONBLT* pData) {
  if (pData == nullptr || pData->pIV == nullptr) {
    return real().pfnDecryptionBlt(hDevice, pData);
  }
  std::array<std::uint8_t, 16> iv{};
  std::memcpy(iv.data(), pData->pIV, iv.size());
  std::reverse(iv.begin(), iv.begin() + 8);
  std::reverse(iv.begin() + 8, iv.end());
  D3DDDIARG_DECRYPTIONBLT swapped = *pData;
  swapped.pIV = iv.data();
  return real().pfnDecryptionBlt(hDevice, &swapped);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) { funcs.pfnDecryptionBlt = &DecryptionBlt; }

}  // namespace faulty
