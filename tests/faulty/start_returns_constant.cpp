// Fault: StartSessionKeyRefresh hands out the same number every time (a stuck generator).
// Broken rule: refresh.start-random (spec §4.8, §7.3).
//
// The driver stays self-consistent: the constant is what it stores as pending too (its random
// number for Start is forced, forced_random.h), so Finish XORs exactly the number the caller got
// and the key-refresh arithmetic still holds. Every error path is the real Start's.
#include <array>

#include "forced_random.h"
#include "wrapper_common.h"

namespace faulty {
namespace {

constexpr std::array<std::uint8_t, 16> kConstant = {0x5a, 0x5a, 0x5a, 0x5a, 0xc3, 0xc3,
                                                    0xc3, 0xc3, 0x0f, 0x1e, 0x2d, 0x3c,
                                                    0x4b, 0x5a, 0x69, 0x78};

HRESULT APIENTRY Start(HANDLE hDevice, const D3DDDIARG_STARTSESSIONKEYREFRESH* pData) {
  ForcedRandom stuck(kConstant);
  return real().pfnStartSessionKeyRefresh(hDevice, pData);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) { funcs.pfnStartSessionKeyRefresh = &Start; }

}  // namespace faulty
