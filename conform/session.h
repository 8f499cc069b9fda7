#pragma once

// conform::Session — a crypto session driven through the harness, with the application's model
// of its key, and the key checks the cases are built on (upload under a candidate key, read back
// with a key that does not depend on the one under test).

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "conform/harness.h"

namespace cpddi::conform {

// A crypto session and the application's model of its key (moved only when a Finish the app
// asked for succeeded, or an exchange succeeded).
class Session {
 public:
  enum class Exchange { kYes, kNo };
  explicit Session(const Device& device, const Key& key = kTestKey,
                   Exchange exchange = Exchange::kYes);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  HANDLE handle() const { return handle_; }
  const Device& device() const { return device_; }
  const Key& app_key() const { return app_key_; }

  HRESULT exchange_blob(std::span<const std::uint8_t> blob, bool null_data = false);
  // Exchanges `key`; on S_OK the model takes it and forgets its read-back key.
  HRESULT rekey(const Key& key);
  HRESULT destroy();

  HRESULT start_refresh(Bytes* number, UINT size = 16);
  HRESULT start_refresh_raw(void* buffer, UINT size);
  HRESULT finish_refresh();
  void app_apply(std::span<const std::uint8_t> number);
  // Start + Finish + app XOR; the first failing HRESULT (model unchanged then).
  HRESULT refresh();

  Iv next_iv();
  HRESULT decryption_blt(HANDLE destination, std::span<const std::uint8_t> ciphertext,
                         const Iv& iv, const D3DDDIENCRYPTED_BLOCK_INFO* block_info = nullptr,
                         const std::uint8_t* wrapped_content_key = nullptr);
  // EncryptionBlt of `source` (L = `len`) decrypted with the read-back key (fetched when caps
  // ask for one) or the model's session key. Skips the case without ENCRYPTEDREADBACK.
  Bytes read_back(HANDLE source, std::size_t len, HRESULT* hr = nullptr, Iv* iv_out = nullptr);
  std::size_t surface_bytes(const Surface& surface);
  // L of any surface: GetPitch through this session × the rows of `format` (spec A16).
  std::size_t surface_bytes(HANDLE surface, D3DDDIFORMAT format, UINT height);

  HRESULT get_encryption_blt_key(Key* wrapped);
  // Fetches and unwraps a read-back key now (when caps ask for one), so later read-backs do not
  // depend on the session key under test (A20). Fails the case if the call fails.
  void fetch_readback_key();
  void set_readback_key(const Key& key) { readback_key_ = key; }
  const std::optional<Key>& readback_key() const { return readback_key_; }
  void forget_readback_key() { readback_key_.reset(); }

  HRESULT upload(const Surface& surface, std::span<const std::uint8_t> plain, const Key& key);
  Bytes download(const Surface& surface);  // fails the case unless the read-back succeeds

  enum class KeyCheck { kMatches, kDiffers };
  // Uploads pattern bytes encrypted under `key` and reads them back: kMatches iff the driver's
  // effective key is `key`. A failing DecryptionBlt or read-back fails the case.
  KeyCheck check_key(const Surface& surface, const Key& key, std::uint32_t seed);

  // ---- Calls with every argument the case's own (Device has the same through any device) ----
  HRESULT decryption_blt(const BltArgs& blt) const { return device_.decryption_blt(handle_, blt); }
  HRESULT encryption_blt(const BltArgs& blt) const { return device_.encryption_blt(handle_, blt); }
  HRESULT get_encryption_blt_key_raw(void* buffer, UINT size) const {
    return device_.get_encryption_blt_key(handle_, buffer, size);
  }

 private:
  const Device& device_;
  HANDLE handle_ = nullptr;
  Key app_key_{};
  std::uint64_t next_iv_ = 1;
  std::optional<Key> readback_key_;
};

// The driver's key must (not) be `key`: fails the case with `what` otherwise.
void require_key(Session& session, const Surface& surface, const Key& key, std::uint32_t seed,
                 const std::string& what);
void require_not_key(Session& session, const Surface& surface, const Key& key,
                     std::uint32_t seed, const std::string& what);
}  // namespace cpddi::conform
