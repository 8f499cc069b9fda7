// Fault: StartSessionKeyRefresh hands out a fixed sequence that restarts in every session.
// Broken rule: refresh.start-random-across-objects (spec §4.8, §7.3).
//
// Within one session every number is non-zero and differs from the session's earlier ones (so
// the per-session checks pass), but the n-th Start of any session returns the same number as
// the n-th Start of every other session. The real Start runs with its random number forced to
// that value (forced_random.h), so the driver applies exactly what it handed out.
#include <array>
#include <cstdint>

#include "forced_random.h"
#include "wrapper_common.h"

namespace faulty {
namespace {

StateMap<std::uint64_t> g_starts;  // session → successful Starts so far

// The n-th number of every session: a fixed prefix, then (n + 1) × an odd constant.
std::array<std::uint8_t, 16> sequence_number(std::uint64_t n) {
  std::array<std::uint8_t, 16> number{};
  number.fill(0xC3);
  const std::uint64_t value = (n + 1) * 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 8; ++i) {
    number[8 + i] = static_cast<std::uint8_t>(value >> (56 - 8 * i));
  }
  return number;
}

HRESULT APIENTRY Start(HANDLE hDevice, const D3DDDIARG_STARTSESSIONKEYREFRESH* pData) {
  if (pData == nullptr) {
    return real().pfnStartSessionKeyRefresh(hDevice, pData);
  }
  const std::uint64_t n = g_starts.with([&](auto& map) { return map[pData->hCryptoSession]; });
  HRESULT hr = S_OK;
  {
    ForcedRandom forced(sequence_number(n));
    hr = real().pfnStartSessionKeyRefresh(hDevice, pData);
  }
  if (hr == S_OK) {
    g_starts.with([&](auto& map) { ++map[pData->hCryptoSession]; });
  }
  return hr;
}

HRESULT APIENTRY DestroyCryptoSession(HANDLE hDevice,
                                      const D3DDDIARG_DESTROYCRYPTOSESSION* pData) {
  const HRESULT hr = real().pfnDestroyCryptoSession(hDevice, pData);
  if (hr == S_OK) {
    // A later session may reuse the handle: it starts the sequence again, as a new session.
    g_starts.with([&](auto& map) { map.erase(pData->hCryptoSession); });
  }
  return hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnStartSessionKeyRefresh = &Start;
  funcs.pfnDestroyCryptoSession = &DestroyCryptoSession;
}

}  // namespace faulty
