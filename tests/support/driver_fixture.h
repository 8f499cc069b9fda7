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
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "conform/app_side.h"
#include "cpddi/cpddi.h"
#include "crypto/aes.h"
#include "crypto/rsa.h"
#include "crypto/secret_bytes.h"

namespace cpddi::testing {

using namespace conform::app_side;  // Bytes, Key, Iv and the application-side arithmetic

// "S_OK" etc. for readable failure messages (with the hex value when the name is unknown).
std::string hr_name(HRESULT hr);

// CPDDI_ADAPTER_OPTIONS with StructSize set and every other field zero (= the defaults).
CPDDI_ADAPTER_OPTIONS default_options();

// The caps bits cpddi advertises with default options (spec §3).
inline constexpr DWORD kDefaultCaps =
    D3DCPCAPS_SOFTWARE | D3DCPCAPS_PROTECTIONALWAYSON | D3DCPCAPS_PARTIALDECRYPTION |
    D3DCPCAPS_CONTENTKEY | D3DCPCAPS_FRESHENSESSIONKEY | D3DCPCAPS_ENCRYPTEDREADBACK |
    D3DCPCAPS_ENCRYPTEDREADBACKKEY;

// An adapter and one device on it; closes both when it dies.
class OpenedDevice {
 public:
  // Opens an adapter with `options` (null = defaults) and creates a device. Fails the current
  // test (ADD_FAILURE) and leaves handles null if anything does not return S_OK, or if there is
  // neither `options` nor an `open_adapter` to call.
  explicit OpenedDevice(const CPDDI_ADAPTER_OPTIONS* options = nullptr,
                        PFND3DDDI_OPENADAPTER open_adapter = &OpenAdapter);
  ~OpenedDevice();
  OpenedDevice(const OpenedDevice&) = delete;
  OpenedDevice& operator=(const OpenedDevice&) = delete;

  // A second device on `first`'s adapter (which stays owned, and closed, by `first`).
  static std::unique_ptr<OpenedDevice> another_device(const OpenedDevice& first);
  // DestroyDevice now; the destructor then leaves the device alone.
  HRESULT destroy_device();

  HANDLE adapter() const { return adapter_; }
  HANDLE device() const { return device_; }
  const D3DDDI_ADAPTERFUNCS& adapter_funcs() const { return adapter_funcs_; }
  const D3DDDI_DEVICEFUNCS& funcs() const { return funcs_; }
  bool ok() const { return device_ != nullptr; }

  // GetCaps helpers (all-zero DecodeProfile).
  HRESULT content_protection_caps(D3DCONTENTPROTECTIONCAPS* out,
                                  const GUID& crypto_type = D3DCRYPTOTYPE_AES128_CTR) const;
  // The caps' Caps bits (fails the test and returns 0 if GetCaps fails).
  DWORD caps_bits() const;
  // The GETCERTIFICATE bytes for AES-128-CTR crypto sessions (empty on failure).
  Bytes certificate() const;
  // The leaf's OAEP encryption of `key` — the key-exchange blob. `params` defaults to the key
  // exchange's (SHA-512, MGF1-SHA-512, empty label); `key` may have any length.
  Bytes wrap_session_key(std::span<const std::uint8_t> key,
                         const crypto::OaepParams& params = crypto::kKeyExchangeOaep) const;

  // Surfaces. Returns null on failure (and the HRESULT through `hr` if given).
  HANDLE create_surface(D3DDDIFORMAT format, UINT width, UINT height, D3DDDI_POOL pool,
                        bool restricted_content, HRESULT* hr = nullptr) const;
  // A system-memory surface that lives in the caller's `memory` (pSysMem) with `pitch`.
  HANDLE create_surface_in(void* memory, UINT pitch, D3DDDIFORMAT format, UINT width,
                           UINT height, HRESULT* hr = nullptr) const;
  HRESULT destroy_surface(HANDLE resource) const;
  // Copies `bytes` into an unprotected surface through Lock/Unlock.
  HRESULT write_surface(HANDLE resource, std::span<const std::uint8_t> bytes) const;
  // Reads `len` bytes of an unprotected surface through Lock/Unlock.
  Bytes read_surface(HANDLE resource, std::size_t len) const;

  HANDLE create_session(HRESULT* hr = nullptr) const;
  HRESULT destroy_session(HANDLE session) const;

 private:
  struct SameAdapter {};
  OpenedDevice(SameAdapter, const OpenedDevice& first);
  void create_device();

  bool owns_adapter_ = true;
  HANDLE adapter_ = nullptr;
  HANDLE device_ = nullptr;
  D3DDDI_ADAPTERFUNCS adapter_funcs_{};
  D3DDDI_DEVICEFUNCS funcs_{};
};

// A surface destroyed through its device when it goes out of scope. Protected surfaces are
// RestrictedContent in the video-memory pool; plain ones are unprotected system memory.
class ScopedSurface {
 public:
  ScopedSurface(const OpenedDevice& device, D3DDDIFORMAT format, UINT width, UINT height,
                D3DDDI_POOL pool, bool restricted_content);
  ~ScopedSurface();
  ScopedSurface(const ScopedSurface&) = delete;
  ScopedSurface& operator=(const ScopedSurface&) = delete;

  // X8R8G8B8 16×4 protected: L = 256 bytes, the suite's standard small destination.
  static std::unique_ptr<ScopedSurface> small_protected(const OpenedDevice& device);
  static std::unique_ptr<ScopedSurface> system_memory(const OpenedDevice& device, UINT bytes);

  HANDLE handle() const { return handle_; }
  D3DDDIFORMAT format() const { return format_; }
  UINT height() const { return height_; }

 private:
  const OpenedDevice& device_;
  HANDLE handle_ = nullptr;
  D3DDDIFORMAT format_;
  UINT height_;
};

enum class ExchangeKey { kYes, kNo };

// A crypto session after a successful key exchange with a known key, plus the application's
// model of that key (updated only when Finish succeeds, exactly as an application would).
class KeyedSession {
 public:
  // `key` defaults to a fixed test key. With ExchangeKey::kNo the session stays in NoKey and
  // `key` is only the model's starting value (use rekey() to exchange it later).
  explicit KeyedSession(const OpenedDevice& device, std::optional<Key> key = std::nullopt,
                        ExchangeKey exchange = ExchangeKey::kYes);
  ~KeyedSession();
  KeyedSession(const KeyedSession&) = delete;
  KeyedSession& operator=(const KeyedSession&) = delete;

  HANDLE handle() const { return session_; }
  const OpenedDevice& device() const { return device_; }
  const Key& app_key() const { return app_key_; }

  // CryptoSessionKeyExchange with `blob` as is (DataSize = blob.size(), pData = blob.data() or
  // null when `null_data`); the model is not touched.
  HRESULT exchange_blob(std::span<const std::uint8_t> blob, bool null_data = false);
  // OAEP-wraps `key` and exchanges it; on S_OK the model takes `key` and forgets its
  // read-back key (the next read_back fetches a new one).
  HRESULT rekey(const Key& key);
  // DestroyCryptoSession now (the destructor then does nothing).
  HRESULT destroy();

  // Start + app XOR + Finish. Returns the first failing HRESULT (app key unchanged then).
  HRESULT refresh();
  HRESULT start_refresh(Bytes* random_number, UINT size = 16);
  // StartSessionKeyRefresh into `buffer` exactly as given (may be null), so tests can check
  // that a failing call leaves it untouched.
  HRESULT start_refresh_raw(void* buffer, UINT size);
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
  std::size_t surface_bytes(const ScopedSurface& surface) const;

  // GetEncryptionBltKey into `wrapped` (KeySize 16). The model's read-back key is not touched.
  HRESULT get_encryption_blt_key(Key* wrapped);
  // The read-back key read_back() uses (fetched lazily); tests may set or forget it.
  const std::optional<Key>& readback_key() const { return readback_key_; }
  void set_readback_key(const Key& key) { readback_key_ = key; }
  // Fetches (GetEncryptionBltKey) and unwraps a read-back key with the model's current key now,
  // when caps ask for one; S_OK without a call otherwise. Tests that change the session key
  // call it first, so later read-backs do not depend on the model being right (spec A20).
  HRESULT fetch_readback_key();
  void forget_readback_key() { readback_key_.reset(); }

  // Encrypts `plain` under `key` (app side) with next_iv() and DecryptionBlts it into `surface`.
  HRESULT upload(const ScopedSurface& surface, std::span<const std::uint8_t> plain,
                 const Key& key);
  // read_back of the whole surface (L bytes).
  Bytes download(const ScopedSurface& surface, HRESULT* hr = nullptr);
  // Uploads pattern bytes encrypted under `key` and reads them back: success iff the driver's
  // effective session key equals `key`. `seed` picks the bytes.
  ::testing::AssertionResult decrypts_under(const ScopedSurface& surface, const Key& key,
                                            std::uint32_t seed = 1);

 private:
  const OpenedDevice& device_;
  HANDLE session_ = nullptr;
  Key app_key_{};
  std::uint64_t next_iv_ = 1;
  std::optional<Key> readback_key_;
};

// Names each TEST_P case after its row's `name` member (a CamelCase literal).
struct RowName {
  template <class Row>
  std::string operator()(const ::testing::TestParamInfo<Row>& row) const {
    return row.param.name;
  }
};

// One OpenedDevice with default options, shared by every test of a suite (opening an adapter
// makes an RSA-2048 key). Tests create their own sessions and surfaces on it.
class SharedDeviceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { shared_ = new OpenedDevice(); }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(shared_ != nullptr && shared_->ok()); }
  static OpenedDevice& device() { return *shared_; }

 private:
  static inline OpenedDevice* shared_ = nullptr;
};

}  // namespace cpddi::testing
