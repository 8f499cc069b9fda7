#pragma once

// The conform cases' harness: an adapter, devices, surfaces and crypto sessions driven through
// the C ABI, plus the application's model of the session key. Mirrors tests/support's fixture
// without GoogleTest: an unexpected driver answer throws Failure (the case fails), a missing
// capability throws Skipped; Runner::run turns both into the case's verdict. Every output the
// driver fills is guarded (null pointers, absurd sizes) so a bad driver cannot crash the run.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "conform/app_side.h"
#include "conform/conform.h"
#include "crypto/rsa.h"

namespace cpddi::conform {

using namespace app_side;  // Bytes, Key, Iv and the application-side arithmetic


struct Failure {
  std::string expected;
  std::string got;
};
struct Skipped {
  std::string reason;
};

[[noreturn]] void fail(std::string expected, std::string got);
[[noreturn]] void skip(std::string reason);
// "D3DDDIERR_INVALIDCALL (0x8876086C)".
std::string hr_text(HRESULT hr);
// Fails unless got == want: expected "<what> → <want>", got "<got>".
void expect_hr(HRESULT got, HRESULT want, const std::string& what);
void require(bool condition, std::string expected, std::string got);
// Fails when a function-table entry is null; returns it otherwise.
template <class Fn>
Fn need(Fn fn, const char* name) {
  if (fn == nullptr) {
    fail(std::string(name) + " in the function table", "null");
  }
  return fn;
}

class Adapter {
 public:
  // Opens through the driver's OpenAdapter, or with `options` through its
  // cpddi_open_adapter_with_options (which the caller has checked exists).
  explicit Adapter(const Driver& driver, const CPDDI_ADAPTER_OPTIONS* options = nullptr);
  ~Adapter();
  Adapter(const Adapter&) = delete;
  Adapter& operator=(const Adapter&) = delete;

  HANDLE handle() const { return handle_; }
  const D3DDDI_ADAPTERFUNCS& funcs() const { return funcs_; }
  HRESULT get_caps(D3DCONTENTPROTECTIONCAPS* out) const;
  // GetCaps for AES-128-CTR (cached); fails the case if the call fails.
  const D3DCONTENTPROTECTIONCAPS& caps();
  // The crypto-session certificate bytes; fails the case if either call fails.
  Bytes certificate() const;
  // The key-exchange blob for `key` under the certificate's leaf key (parsed once).
  Bytes wrap_session_key(std::span<const std::uint8_t> key);

 private:
  HANDLE handle_ = nullptr;
  D3DDDI_ADAPTERFUNCS funcs_{};
  std::optional<D3DCONTENTPROTECTIONCAPS> caps_;
  std::optional<crypto::RsaPublicKey> leaf_key_;
};

class Device {
 public:
  explicit Device(Adapter& adapter);
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  Adapter& adapter() const { return adapter_; }
  HANDLE handle() const { return handle_; }
  const D3DDDI_DEVICEFUNCS& funcs() const { return funcs_; }
  DWORD caps_bits() const { return adapter_.caps().Caps; }

  HANDLE create_surface(D3DDDIFORMAT format, UINT width, UINT height, D3DDDI_POOL pool,
                        bool restricted_content, HRESULT* hr = nullptr) const;
  HRESULT destroy_surface(HANDLE resource) const;
  // Lock/copy/Unlock of an unprotected surface; fails the case on any error.
  void write_surface(HANDLE resource, std::span<const std::uint8_t> bytes) const;
  Bytes read_surface(HANDLE resource, std::size_t len) const;

  HANDLE create_session(HRESULT* hr = nullptr) const;
  HRESULT destroy_session(HANDLE session) const;

 private:
  Adapter& adapter_;
  HANDLE handle_ = nullptr;
  D3DDDI_DEVICEFUNCS funcs_{};
};

// A surface destroyed when it goes out of scope.
class Surface {
 public:
  Surface(const Device& device, D3DDDIFORMAT format, UINT width, UINT height, D3DDDI_POOL pool,
          bool restricted_content);
  ~Surface();
  Surface(const Surface&) = delete;
  Surface& operator=(const Surface&) = delete;

  // X8R8G8B8 16×4 RestrictedContent in video memory: L = 256 bytes.
  static std::unique_ptr<Surface> small_protected(const Device& device);
  // X8R8G8B8 rows of 64 pixels in system memory, at least `bytes` long.
  static std::unique_ptr<Surface> system_memory(const Device& device, UINT bytes);

  HANDLE handle() const { return handle_; }
  D3DDDIFORMAT format() const { return format_; }
  UINT height() const { return height_; }

 private:
  const Device& device_;
  HANDLE handle_ = nullptr;
  D3DDDIFORMAT format_;
  UINT height_;
};

// A crypto session and the application's model of its key (moved only when a Finish the app
// asked for succeeded, or an exchange succeeded).
class Session {
 public:
  enum class Exchange { kYes, kNo };
  explicit Session(Device& device, const Key& key = kTestKey, Exchange exchange = Exchange::kYes);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  HANDLE handle() const { return handle_; }
  Device& device() const { return device_; }
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

  HRESULT get_encryption_blt_key(Key* wrapped);
  // Fetches and unwraps a read-back key now (when caps ask for one), so later read-backs do not
  // depend on the session key under test (A20). Fails the case if the call fails.
  void fetch_readback_key();
  void set_readback_key(const Key& key) { readback_key_ = key; }

  HRESULT upload(const Surface& surface, std::span<const std::uint8_t> plain, const Key& key);
  Bytes download(const Surface& surface);  // fails the case unless the read-back succeeds

  enum class KeyCheck { kMatches, kDiffers };
  // Uploads pattern bytes encrypted under `key` and reads them back: kMatches iff the driver's
  // effective key is `key`. A failing DecryptionBlt or read-back fails the case.
  KeyCheck check_key(const Surface& surface, const Key& key, std::uint32_t seed);

 private:
  Device& device_;
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
// Skips unless the caps hold `bits`; `names` spells them for the reason.
void require_caps(const Device& device, DWORD bits, const char* names);

std::string hex(std::span<const std::uint8_t> bytes);
// First differing offset of two byte strings, for messages.
std::string first_difference(std::span<const std::uint8_t> got, std::span<const std::uint8_t> want);

// Per-run state: the driver and one lazily opened adapter and device shared by the cases.
class Env {
 public:
  explicit Env(Driver driver);
  ~Env();
  const Driver& driver() const { return driver_; }
  Adapter& adapter();
  Device& device();

 private:
  Driver driver_;
  std::unique_ptr<Adapter> adapter_;
  std::unique_ptr<Device> device_;
};

// The case tables of each topic (cases_*.cpp), concatenated by all_cases().
std::span<const Case> caps_cases();
std::span<const Case> session_cases();
std::span<const Case> blt_cases();
std::span<const Case> refresh_cases();

}  // namespace cpddi::conform
