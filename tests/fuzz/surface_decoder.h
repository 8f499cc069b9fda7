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
FuzzSurface create_fuzz_surface(const FuzzDevice& device, ByteReader& in,
                                std::uint32_t& live_resources, std::uint64_t& protected_in_use);

// DecryptionBlt's expected output: `source`'s first `len` bytes with the CTR keystream of `key`
// from `iv` applied to the encrypted runs of `block_info` (spec §7.4, A17; null = all encrypted).
Bytes expected_decryption(const Key& key, const Iv& iv, std::span<const std::uint8_t> source,
                          std::size_t len, const D3DDDIENCRYPTED_BLOCK_INFO* block_info);

}  // namespace cpddi::fuzz
