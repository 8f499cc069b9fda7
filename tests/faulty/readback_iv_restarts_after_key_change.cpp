// Fault: EncryptionBlt's IV counter restarts at the session's first read-back IV after every
// completed refresh and every key exchange, so read-back IVs repeat across key changes.
// Broken rule: readback.iv-rises-across-key-changes (spec §4.6, §7.8, A18).
//
// Between key changes the IVs still rise by one and the read-back still decrypts under the IV
// reported. Done as: GetEncryptionBltKey runs with the read-back key forced to a value R the
// wrapper draws (forced_random.h), so the wrapper knows the key the real driver encrypts with.
// After a key change the first EncryptionBlt fixes a shift (real IV − first IV); every later one
// reports real IV − shift and re-encrypts the destination from the real IV's keystream to the
// reported one (Lock of the system-memory destination, XOR both keystreams). Without a known R
// (a driver whose caps lack ENCRYPTEDREADBACKKEY) EncryptionBlt stays the real one.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "base/big_endian.h"
#include "crypto/aes.h"
#include "crypto/random.h"
#include "forced_random.h"
#include "wrapper_common.h"

namespace faulty {
namespace {

struct ReadbackState {
  std::optional<std::array<std::uint8_t, 16>> readback_key;  // the R the driver holds
  std::optional<std::uint64_t> first_iv;                     // the session's first read-back IV
  std::uint64_t shift = 0;                                   // real IV − reported IV
  bool restart_pending = false;                              // a key changed since the last blt
};
StateMap<ReadbackState> g_sessions;

void restart_counter(HANDLE session) {
  g_sessions.with([&](auto& map) { map[session].restart_pending = true; });
}

HRESULT APIENTRY GetEncryptionBltKey(HANDLE hDevice, const D3DDDIARG_GETENCRYPTIONBLTKEY* pData) {
  std::array<std::uint8_t, 16> readback_key{};
  if (pData == nullptr || !cpddi::crypto::random_bytes(readback_key)) {
    return real().pfnGetEncryptionBltKey(hDevice, pData);
  }
  HRESULT hr = S_OK;
  {
    ForcedRandom forced(readback_key);
    hr = real().pfnGetEncryptionBltKey(hDevice, pData);
  }
  if (hr == S_OK) {
    g_sessions.with([&](auto& map) { map[pData->hCryptoSession].readback_key = readback_key; });
  }
  return hr;
}

HRESULT APIENTRY Finish(HANDLE hDevice, const D3DDDIARG_FINISHSESSIONKEYREFRESH* pData) {
  const HRESULT hr = real().pfnFinishSessionKeyRefresh(hDevice, pData);
  if (hr == S_OK) {
    restart_counter(pData->hCryptoSession);
  }
  return hr;
}

HRESULT APIENTRY KeyExchange(HANDLE hDevice, D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE* pData) {
  const HRESULT hr = real().pfnCryptoSessionKeyExchange(hDevice, pData);
  if (hr == S_OK) {
    restart_counter(pData->hCryptoSession);  // the driver also dropped its read-back key
    g_sessions.with([&](auto& map) { map[pData->hCryptoSession].readback_key.reset(); });
  }
  return hr;
}

// The destination's first `len` bytes, encrypted from counter block `from`, re-encrypted from
// `to` under `key`. False if the destination cannot be locked.
bool reencrypt(HANDLE hDevice, const D3DDDIARG_ENCRYPTIONBLT& blt, std::size_t len,
               const std::array<std::uint8_t, 16>& key, const cpddi::crypto::CounterBlock& from,
               const cpddi::crypto::CounterBlock& to) {
  D3DDDIARG_LOCK lock{};
  lock.hResource = blt.hDstResource;
  lock.SubResourceIndex = blt.DstSubResourceIndex;
  if (real().pfnLock(hDevice, &lock) != S_OK || lock.pSurfData == nullptr) {
    return false;
  }
  const std::span<std::uint8_t> bytes(static_cast<std::uint8_t*>(lock.pSurfData), len);
  const cpddi::crypto::Aes128Key aes_key{std::span<const std::uint8_t, 16>(key)};
  const bool ok = cpddi::crypto::aes128_ctr_xor(aes_key, from, bytes, bytes) &&
                  cpddi::crypto::aes128_ctr_xor(aes_key, to, bytes, bytes);
  const D3DDDIARG_UNLOCK unlock{blt.hDstResource, blt.DstSubResourceIndex, {}};
  real().pfnUnlock(hDevice, &unlock);
  return ok;
}

HRESULT APIENTRY EncryptionBlt(HANDLE hDevice, const D3DDDIARG_ENCRYPTIONBLT* pData) {
  const HRESULT hr = real().pfnEncryptionBlt(hDevice, pData);
  if (hr != S_OK) {
    return hr;
  }
  auto* iv = static_cast<std::uint8_t*>(pData->pIV);
  const std::uint64_t real_iv = cpddi::load_be64(iv);
  std::optional<std::array<std::uint8_t, 16>> key;
  const std::uint64_t shift = g_sessions.with([&](auto& map) {
    ReadbackState& state = map[pData->hCryptoSession];
    if (!state.first_iv) {
      state.first_iv = real_iv;
    }
    if (state.restart_pending) {
      state.shift = real_iv - *state.first_iv;
      state.restart_pending = false;
    }
    key = state.readback_key;
    return state.shift;
  });
  const std::optional<ProtectedSurface> source = protected_surface(hDevice, pData->hSrcResource);
  if (shift == 0 || !key || !source) {
    return hr;
  }
  // The bytes the driver wrote: the surface, padded to cpddi's BlockAlignmentSize of 16.
  const std::size_t len = std::min<std::size_t>(
      (std::size_t{source->pitch} * source->rows + 15) / 16 * 16, pData->DstResourceSize);
  cpddi::crypto::CounterBlock from{};
  std::copy(iv, iv + from.size(), from.begin());
  cpddi::crypto::CounterBlock to = from;
  cpddi::store_be64(to.data(), real_iv - shift);
  if (reencrypt(hDevice, *pData, len, *key, from, to)) {
    std::copy(to.begin(), to.end(), iv);
  }
  return hr;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  funcs.pfnGetEncryptionBltKey = &GetEncryptionBltKey;
  funcs.pfnFinishSessionKeyRefresh = &Finish;
  funcs.pfnCryptoSessionKeyExchange = &KeyExchange;
  funcs.pfnDestroyCryptoSession = &DestroySessionForgetting<g_sessions>;
  funcs.pfnEncryptionBlt = &EncryptionBlt;
}

}  // namespace faulty
