#pragma once

// Decodes a surface description from fuzz input and creates it through CreateResource, checking
// the HRESULT against the model (ddi_model.h). Caller memory (pSysMem) lives in the object.

#include <memory>

#include "ddi_model.h"
#include "fuzz_support.h"

namespace cpddi::fuzz {

struct FuzzSurface {
  HANDLE handle = nullptr;  // null when creation failed
  SurfaceModel model;
  std::unique_ptr<std::uint8_t[]> memory;  // caller memory, if any
};

// Reads a format, size, pool, RestrictedContent flag and optional caller memory (pitch and
// alignment from the input) and calls CreateResource. `live_resources` and `protected_in_use`
// describe the device before the call; both are updated on success.
FuzzSurface create_fuzz_surface(const ScopedDevice& device, ByteReader& in,
                                std::uint32_t& live_resources, std::uint64_t& protected_in_use);

// DecryptionBlt's expected output: `source`'s first `len` bytes with the CTR keystream of `key`
// from `iv` applied to the encrypted runs of `block_info` (spec §7.4, A17; null = all encrypted).
Bytes expected_decryption(const Key& key, const Iv& iv, std::span<const std::uint8_t> source,
                          std::size_t len, const D3DDDIENCRYPTED_BLOCK_INFO* block_info);

// Reads a protected surface's first `len` bytes back through EncryptionBlt, decrypting with
// `*readback_key` if given, else with a key fetched now by GetEncryptionBltKey (when caps ask for
// one) or the session key. Traps if a call fails.
Bytes read_back(const ScopedDevice& device, HANDLE session, const Key& session_key,
                HANDLE surface, std::size_t len, const Key* readback_key = nullptr);

// A new 16×2 X8R8G8B8 protected surface (128 bytes) holding `plain`, put there by DecryptionBlt
// of the app's encryption under `key` with counter block make_iv(iv). Traps unless S_OK.
HANDLE upload(const ScopedDevice& device, HANDLE session, const Key& key, std::uint64_t iv,
              std::span<const std::uint8_t> plain);
inline constexpr std::size_t kUploadBytes = 128;

}  // namespace cpddi::fuzz
