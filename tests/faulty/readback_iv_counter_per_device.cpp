// Fault: one read-back IV counter per device: a session's first EncryptionBlt does not draw a
// random IV but goes on from the last IV any session of the device used (+1); only the device's
// first is random. Broken rule: readback.iv-random-per-session (spec §7.8, A18: each session's
// first IV is a random 63-bit number).
//
// Every IV is fresh and rises within a session, and first IVs of different sessions differ, so
// readback.iv-unique and readback.random-across-objects pass. The real EncryptionBlt runs with its
// 8 random bytes forced on a session's first call (forced_random.h).
#include <array>
#include <cstdint>
#include <optional>

#include "base/big_endian.h"
#include "forced_random.h"
#include "wrapper_common.h"

namespace faulty {
namespace {

StateMap<bool> g_started;               // session → an EncryptionBlt succeeded
StateMap<std::uint64_t> g_device_next;  // device → the IV after the last one it used (0: none)

HRESULT APIENTRY EncryptionBlt(HANDLE hDevice, const D3DDDIARG_ENCRYPTIONBLT* pData) {
  const HRESULT hr = encryption_blt_with_first_iv(
      g_started, hDevice, pData, [&]() -> std::optional<std::array<std::uint8_t, 8>> {
        const std::uint64_t next = g_device_next.with([&](auto& map) { return map[hDevice]; });
        if (next == 0) {
          return std::nullopt;  // the device's first: a real random draw
        }
        std::array<std::uint8_t, 8> iv{};
        cpddi::store_be64(iv.data(), next);
        return iv;
      });
  if (hr == S_OK) {  // pIV holds the IV used
    const std::uint64_t used = cpddi::load_be64(static_cast<const std::uint8_t*>(pData->pIV));
    g_device_next.with([&](auto& map) { map[hDevice] = used + 1; });
  }
  return hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnEncryptionBlt = &EncryptionBlt;
  funcs.pfnDestroyCryptoSession = &DestroySessionForgetting<g_started>;
}

}  // namespace faulty
