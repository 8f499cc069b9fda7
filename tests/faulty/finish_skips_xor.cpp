// Fault: FinishSessionKeyRefresh does not XOR the pending number into the session key.
// Broken rule: refresh.finish-applies-xor (spec §4.9, §7.3).
//
// Finish still succeeds exactly when the real one does (same errors), consumes the pending number
// and restarts the IV history — only the key stays the old one. Done as: the real Finish
// (key ^= r), then undo the XOR with the same r: a real Start whose random number is forced to r
// (forced_random.h) into a scratch buffer, and a second real Finish (key ^= r again).
#include <array>
#include <cstring>

#include "forced_random.h"
#include "wrapper_common.h"

namespace faulty {
namespace {

// The number the last successful Start handed out, per session (what the real driver holds).
StateMap<std::array<std::uint8_t, 16>> g_numbers;

HRESULT APIENTRY Start(HANDLE hDevice, const D3DDDIARG_STARTSESSIONKEYREFRESH* pData) {
  const HRESULT hr = real().pfnStartSessionKeyRefresh(hDevice, pData);
  if (hr == S_OK) {
    std::array<std::uint8_t, 16> number{};
    std::memcpy(number.data(), pData->pRandomNumber, number.size());
    g_numbers.with([&](auto& map) { map[pData->hCryptoSession] = number; });
  }
  return hr;
}

HRESULT APIENTRY Finish(HANDLE hDevice, const D3DDDIARG_FINISHSESSIONKEYREFRESH* pData) {
  const HRESULT hr = real().pfnFinishSessionKeyRefresh(hDevice, pData);
  if (hr != S_OK) {
    return hr;
  }
  const std::optional<std::array<std::uint8_t, 16>> number = g_numbers.with(
      [&](auto& map) -> std::optional<std::array<std::uint8_t, 16>> {
        auto it = map.find(pData->hCryptoSession);
        if (it == map.end()) {
          return std::nullopt;
        }
        auto value = it->second;
        map.erase(it);
        return value;
      });
  if (number) {
    std::array<std::uint8_t, 16> scratch{};
    D3DDDIARG_STARTSESSIONKEYREFRESH again{pData->hCryptoSession, scratch.data(), 16};
    {
      ForcedRandom same(*number);
      real().pfnStartSessionKeyRefresh(hDevice, &again);
    }
    real().pfnFinishSessionKeyRefresh(hDevice, pData);
  }
  return hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnStartSessionKeyRefresh = &Start;
  funcs.pfnFinishSessionKeyRefresh = &Finish;
}

}  // namespace faulty
