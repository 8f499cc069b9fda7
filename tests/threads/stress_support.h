#pragma once

// Raw DDI calls for the threading tests. Unlike KeyedSession's helpers they keep no state of
// their own, so several threads may use them on one session while the test's own model (under
// the test's own locks) says which key is in force.

#include <cstdint>
#include <span>

#include "support/driver_fixture.h"

namespace cpddi::testing {

inline constexpr int kThreads = 4;

// One thread's surfaces on `device`: a protected destination (X8R8G8B8 16×4, L = 256 bytes), a
// system-memory source for DecryptionBlt and a system-memory destination for EncryptionBlt.
struct ThreadSurfaces {
  explicit ThreadSurfaces(const OpenedDevice& device);
  ~ThreadSurfaces();
  ThreadSurfaces(const ThreadSurfaces&) = delete;
  ThreadSurfaces& operator=(const ThreadSurfaces&) = delete;
  bool ok() const { return target && source && readback; }

  static constexpr std::size_t kLen = 256;
  const OpenedDevice& device;
  HANDLE target = nullptr;
  HANDLE source = nullptr;
  HANDLE readback = nullptr;
};

// Writes `ciphertext` (kLen bytes) into s.source and DecryptionBlts it into s.target.
HRESULT decrypt_into(const ThreadSurfaces& s, HANDLE session,
                     std::span<const std::uint8_t> ciphertext, const Iv& iv);
// EncryptionBlts s.target into s.readback; the ciphertext and the driver's IV come back.
HRESULT encrypt_out(const ThreadSurfaces& s, HANDLE session, Bytes* ciphertext, Iv* iv);
HRESULT start_refresh(const OpenedDevice& device, HANDLE session, Key* number);
HRESULT finish_refresh(const OpenedDevice& device, HANDLE session);
HRESULT get_readback_key(const OpenedDevice& device, HANDLE session, Key* wrapped);

// Distinct plaintext per (thread, iteration).
Bytes frame_for(int thread, int iteration);

}  // namespace cpddi::testing
