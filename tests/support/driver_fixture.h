#pragma once

// Test fixtures that drive a driver through its C ABI only (OpenAdapter → function tables), with
// the application's half of the protocol computed by cpddi's crypto component: the certificate's
// public key, OAEP wrapping, AES-CTR content encryption and the refresh XOR. Used by the
// conformance and vector tests; every helper returns the HRESULT so tests can check codes.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "cpddi/cpddi.h"
#include "crypto/aes.h"
#include "crypto/secret_bytes.h"

namespace cpddi::testing {

using Bytes = std::vector<std::uint8_t>;
using Key = std::array<std::uint8_t, 16>;
using Iv = std::array<std::uint8_t, 16>;  // D3DAES_CTR_IV bytes in memory order

// "S_OK" etc. for readable failure messages.
std::string hr_name(HRESULT hr);

// An adapter and one device on it; closes both when it dies.
class OpenedDevice {
 public:
  // Opens an adapter with `options` (null = defaults) and creates a device. Fails the current
  // test (ADD_FAILURE) and leaves handles null if anything does not return S_OK.
  explicit OpenedDevice(const CPDDI_ADAPTER_OPTIONS* options = nullptr,
                        PFND3DDDI_OPENADAPTER open_adapter = &OpenAdapter);
  ~OpenedDevice();
  OpenedDevice(const OpenedDevice&) = delete;
  OpenedDevice& operator=(const OpenedDevice&) = delete;

  HANDLE adapter() const { return adapter_; }
  HANDLE device() const { return device_; }
  const D3DDDI_ADAPTERFUNCS& adapter_funcs() const { return adapter_funcs_; }
  const D3DDDI_DEVICEFUNCS& funcs() const { return funcs_; }

  // GetCaps helpers (all-zero DecodeProfile).
  HRESULT content_protection_caps(D3DCONTENTPROTECTIONCAPS* out,
                                  const GUID& crypto_type = D3DCRYPTOTYPE_AES128_CTR) const;
  // The GETCERTIFICATE bytes for AES-128-CTR crypto sessions (empty on failure).
  Bytes certificate() const;
  // The leaf's OAEP (SHA-512) encryption of `key` — the key-exchange blob.
  Bytes wrap_session_key(std::span<const std::uint8_t> key) const;

  // Surfaces. Returns null on failure (and the HRESULT through `hr` if given).
  HANDLE create_surface(D3DDDIFORMAT format, UINT width, UINT height, D3DDDI_POOL pool,
                        bool restricted_content, HRESULT* hr = nullptr) const;
  HRESULT destroy_surface(HANDLE resource) const;
  // Copies `bytes` into an unprotected surface through Lock/Unlock.
  HRESULT write_surface(HANDLE resource, std::span<const std::uint8_t> bytes) const;
  // Reads `len` bytes of an unprotected surface through Lock/Unlock.
  Bytes read_surface(HANDLE resource, std::size_t len) const;

  HANDLE create_session(HRESULT* hr = nullptr) const;

 private:
  HANDLE adapter_ = nullptr;
  HANDLE device_ = nullptr;
  D3DDDI_ADAPTERFUNCS adapter_funcs_{};
  D3DDDI_DEVICEFUNCS funcs_{};
};

// A crypto session after a successful key exchange with a known key, plus the application's
// model of that key (updated only when Finish succeeds, exactly as an application would).
class KeyedSession {
 public:
  // `key` defaults to a fixed test key.
  explicit KeyedSession(const OpenedDevice& device, std::optional<Key> key = std::nullopt);
  ~KeyedSession();
  KeyedSession(const KeyedSession&) = delete;
  KeyedSession& operator=(const KeyedSession&) = delete;

  HANDLE handle() const { return session_; }
  const Key& app_key() const { return app_key_; }

  // Start + app XOR + Finish. Returns the first failing HRESULT (app key unchanged then).
  HRESULT refresh();
  HRESULT start_refresh(Bytes* random_number, UINT size = 16);
  HRESULT finish_refresh();
  // Applies a received random number to the app model (what the app does after Finish).
  void app_apply(std::span<const std::uint8_t> random_number);

  // A fresh increasing IV for the session key (IV field +1 per call, Count 0).
  Iv next_iv();

  // DecryptionBlt of `ciphertext` (placed in a new system-memory source surface of the same
  // format and size as `destination`) into `destination`.
  HRESULT decryption_blt(HANDLE destination, std::span<const std::uint8_t> ciphertext,
                         const Iv& iv, const D3DDDIENCRYPTED_BLOCK_INFO* block_info = nullptr,
                         const std::uint8_t* wrapped_content_key = nullptr);
  // EncryptionBlt of protected `source` (whose L is `len` bytes) into a new system-memory surface,
  // decrypted with the app's read-back key (fetched once via GetEncryptionBltKey when caps ask
  // for it) or session key. Returns the first `len` plaintext bytes, or an empty vector with the
  // failing HRESULT in `hr`. The IV the driver chose goes to `iv_out`.
  Bytes read_back(HANDLE source, std::size_t len, HRESULT* hr = nullptr, Iv* iv_out = nullptr);

  // L = pitch × rows of a surface, from GetPitch and the format.
  std::size_t surface_bytes(HANDLE surface, D3DDDIFORMAT format, UINT height) const;

 private:
  const OpenedDevice& device_;
  HANDLE session_ = nullptr;
  Key app_key_{};
  std::uint64_t next_iv_ = 1;
  std::optional<Key> readback_key_;
};

// AES-128-CTR of `data` under `key` from counter block `iv` (application side).
Bytes ctr(const Key& key, const Iv& iv, std::span<const std::uint8_t> data);
// AES-128-ECB wrap of `key` under `kek` (application side, spec §7.2).
Key ecb_wrap(const Key& kek, const Key& key);
Key ecb_unwrap(const Key& kek, const Key& wrapped);
// IV and Count as big-endian bytes (spec §7.1).
Iv make_iv(std::uint64_t iv, std::uint64_t count = 0);
// Deterministic test bytes from a seed.
Bytes pattern_bytes(std::size_t len, std::uint32_t seed);

inline constexpr Key kTestKey = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};

}  // namespace cpddi::testing
