#pragma once

// The unit-level stage for the runtime: a Runtime of the test's own (so handle values and
// object counts start from nothing), one adapter on the pinned test identity (the environment
// names it, tests/support/data), and the application's half of a session computed with
// cpddi::crypto. Everything goes through the runtime's own API, never the DDI. Surfaces are
// 16×4 X8R8G8B8 (pitch 64, L = 256 bytes).

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "crypto/secret_bytes.h"
#include "runtime/runtime.h"

namespace cpddi::runtime::testing {

using Bytes = std::vector<std::uint8_t>;
using Key16 = std::array<std::uint8_t, 16>;

inline constexpr std::uint32_t kWidth = 16;
inline constexpr std::uint32_t kHeight = 4;
inline constexpr std::size_t kFrameLen = 256;  // pitch 64 × 4 rows

// What every test's crypto sessions are created with.
inline constexpr CryptoSessionDesc kAesCtr{caps::CryptoType::kAes128Ctr, false};

inline constexpr Key16 kAppKey = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                  0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};

// A counter block: the big-endian halves IV and Count (spec §7.1).
Key16 counter_block(std::uint64_t iv, std::uint64_t count = 0);
// A deterministic frame of kFrameLen bytes that differs per seed.
Bytes frame(std::uint32_t seed);
// `data` AES-128-CTR-encrypted (or decrypted) under `key` from `block`.
Bytes ctr(const Key16& key, const Key16& block, std::span<const std::uint8_t> data);

// System-memory bytes a surface can use in place (caller memory), aligned as the caps demand.
struct CallerMemory {
  alignas(64) std::array<std::uint8_t, kFrameLen> bytes{};
};

// A 16×4 X8R8G8B8 surface: protected (RestrictedContent, video memory) or system memory.
device::SurfaceDesc surface_desc(bool restricted);

// `plaintext` encrypted by the application under `key` from `block` into `memory`.
void seal_into(CallerMemory& memory, const Key16& key, const Key16& block, const Bytes& plaintext);

// Arms the OpenSSL fault seam for this scope so that a blt's set-up (on the caller's thread)
// succeeds and its run on the queue fails; disarmed however the scope ends.
class FailingBltRun {
 public:
  FailingBltRun();
  ~FailingBltRun();
  FailingBltRun(const FailingBltRun&) = delete;
  FailingBltRun& operator=(const FailingBltRun&) = delete;
};
// Count = 2^64 - 1: the keystream restarts its counter after the first block (spec §9 A10),
// while the blt runs — where FailingBltRun makes OpenSSL fail.
inline constexpr std::uint64_t kCountBeforeWrap = UINT64_MAX;

class RuntimeHarness {
 public:
  explicit RuntimeHarness(const AdapterConfig& config = {});

  Runtime& runtime() { return runtime_; }
  Handle adapter() const { return adapter_; }

  Handle open_device();
  // A session on `device` keyed with `key` (the application wraps it to the identity).
  Handle keyed_session(Handle device, const Key16& key = kAppKey);
  // `key` RSAES-OAEP-wrapped to the adapter's identity: a session's or channel's key exchange.
  Bytes wrap_key(const Key16& key) const;
  // 16×4 X8R8G8B8 surfaces. A system one may use `memory` in place.
  Handle system_surface(Handle device, CallerMemory* memory = nullptr);
  Handle protected_surface(Handle device);

  // `plaintext` encrypted under `key` from counter block `block` into `memory`, then
  // DecryptionBlt'd from `source` (which must use `memory`) into `destination`.
  Result<void> decrypt_into(Handle device, Handle session, const Key16& key, const Key16& block,
                            const Bytes& plaintext, Handle source, CallerMemory& memory,
                            Handle destination);
  // The DecryptionBlt alone, of whatever `source` holds.
  Result<void> decryption_blt(Handle device, Handle session, const Key16& block, Handle source,
                              Handle destination);
  // The bytes of protected `surface`, read back with EncryptionBlt under a fresh read-back key
  // (`session` is keyed with `key`) and decrypted by the application.
  Bytes read_back(Handle device, Handle session, const Key16& key, Handle surface);

 private:
  Runtime runtime_;
  Handle adapter_;
  std::shared_ptr<const AdapterCaps> announced_;  // the identity, even after CloseAdapter
};

}  // namespace cpddi::runtime::testing
