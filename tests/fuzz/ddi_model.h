#pragma once

// The application's model of surfaces and crypto sessions, and the outcome it predicts for
// CreateResource and DecryptionBlt (spec §4.5, §4.10, A12–A17). Fuzz targets compare the driver's
// HRESULT with the prediction: the set of errors the arguments justify, or S_OK when none does.

#include <cstdint>
#include <optional>
#include <vector>

#include "fuzz_support.h"
#include "wire/surface_layout.h"

namespace cpddi::fuzz {

struct SurfaceModel {
  D3DDDIFORMAT format = D3DDDIFMT_X8R8G8B8;
  UINT width = 0;
  UINT height = 0;
  bool system_memory = false;
  bool restricted = false;
  const std::uint8_t* caller_memory = nullptr;  // pSysMem, or null for driver-owned memory
  UINT pitch = 0;

  std::uint64_t linear() const {
    return wire::surface_bytes(pitch, wire::surface_rows(format, height));
  }
  // Bytes the driver may address: caller memory is exactly L, its own is rounded up to blocks.
  std::uint64_t capacity() const { return caller_memory != nullptr ? linear() : align16(linear()); }
  bool aligned() const {
    return caller_memory == nullptr || reinterpret_cast<std::uintptr_t>(caller_memory) % 16 == 0;
  }
};

// What CreateResource may return for `desc`, given `live_resources` on the device and
// `protected_in_use` bytes of the adapter's protected pool. On success the surface is `*model`.
Expected expect_create_resource(const Adapter& adapter, const conform::SurfaceDesc& desc,
                                std::uint32_t live_resources, std::uint64_t protected_in_use,
                                SurfaceModel* model);
// Protected-pool bytes a created surface reserves (0 unless RestrictedContent).
std::uint64_t protected_bytes(const SurfaceModel& surface);

struct ContentKeyIv {
  Key wrapped{};
  std::uint64_t last_iv = 0;
};

// The app's view of one crypto session (spec §4, A1–A13, A19).
struct SessionModel {
  bool keyed = false;
  Key key{};
  std::optional<Key> pending;            // StartSessionKeyRefresh's number
  std::optional<Key> readback_key;       // the last GetEncryptionBltKey's key, unwrapped
  bool driver_has_readback_key = false;  // set even when the app could not unwrap it
  std::optional<std::uint64_t> last_session_key_iv;
  std::vector<ContentKeyIv> content_key_ivs;  // LRU of 64, most recent last
  std::optional<std::uint64_t> next_readback_iv;

  void new_key(const Key& k);  // key exchange: A7, A11, readback key dropped
  void finish_refresh();       // key ^= pending, A11
  // The last IV used with the session key (no content key) or with this wrapped content key.
  std::optional<std::uint64_t> last_iv(const std::optional<Key>& wrapped_content_key) const;
  void record_iv(const std::optional<Key>& wrapped_content_key, std::uint64_t iv);
};

// A DecryptionBlt call as the app made it; surfaces are null when the handle is not a live
// surface of this device.
struct DecryptCall {
  const SurfaceModel* source = nullptr;
  const SurfaceModel* destination = nullptr;
  bool same_surface = false;
  bool subresources_zero = true;
  std::uint32_t source_size = 0;
  std::optional<D3DDDIENCRYPTED_BLOCK_INFO> block_info;
  std::optional<Key> content_key;  // the wrapped bytes
  std::optional<Iv> iv;
};

// What DecryptionBlt on a live session of this device may return.
Expected expect_decryption_blt(const Adapter& adapter, const SessionModel& session,
                               const DecryptCall& call);

// A17: a block map that describes "all encrypted" or "all clear" over `len` bytes.
bool block_map_is_uniform(const D3DDDIENCRYPTED_BLOCK_INFO& info, std::uint64_t len);

}  // namespace cpddi::fuzz
