#pragma once

// GoogleTest's view of conform's harness (conform/harness.h, conform/session.h): the one C-ABI
// client cpddi has, driven here against cpddi's own driver (linked statically, so the crypto
// test seams reach it) or a wrapper a test hands in. This file adds only what GoogleTest tests
// need beyond the conform cases: an adapter+device pair that owns its adapter, cpddi's option
// defaults, an AssertionResult key check and a suite fixture sharing one device. A driver answer
// the harness treats as fatal throws conform::Failure, which GoogleTest reports as the test's
// failure with the harness's "expected …, got …" message.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "conform/app_side.h"
#include "conform/harness.h"
#include "conform/session.h"
#include "cpddi/cpddi.h"

namespace cpddi::testing {

using namespace conform::app_side;  // Bytes, Key, Iv and the application-side arithmetic

// "S_OK (0x00000000)" etc. for readable failure messages.
std::string hr_name(HRESULT hr);

// CPDDI_ADAPTER_OPTIONS with StructSize set and every other field zero (= the defaults).
CPDDI_ADAPTER_OPTIONS default_options();

// The caps bits cpddi advertises with default options (spec §3).
inline constexpr DWORD kDefaultCaps =
    D3DCPCAPS_SOFTWARE | D3DCPCAPS_PROTECTIONALWAYSON | D3DCPCAPS_PARTIALDECRYPTION |
    D3DCPCAPS_CONTENTKEY | D3DCPCAPS_FRESHENSESSIONKEY | D3DCPCAPS_ENCRYPTEDREADBACK |
    D3DCPCAPS_ENCRYPTEDREADBACKKEY;

namespace detail {
// Holds the adapter an OpenedDevice owns; a base so it is opened before the device is created.
struct OwnedAdapter {
  std::unique_ptr<conform::Adapter> owned_adapter;
};
}  // namespace detail

// A conform::Device on an adapter it opened (and closes): cpddi's own driver through
// `open_adapter` (default OpenAdapter) or, with `options`, cpddi_open_adapter_with_options.
// Opening or creating the device failing throws conform::Failure.
class OpenedDevice : private detail::OwnedAdapter, public conform::Device {
 public:
  explicit OpenedDevice(const CPDDI_ADAPTER_OPTIONS* options = nullptr,
                        PFND3DDDI_OPENADAPTER open_adapter = &OpenAdapter);
  ~OpenedDevice();

  // A second device on `first`'s adapter (which stays owned, and closed, by `first`).
  static std::unique_ptr<OpenedDevice> another_device(const OpenedDevice& first);
  // DestroyDevice now; the destructor then leaves the device alone.
  HRESULT destroy_device() { return destroy(); }

  HANDLE adapter_handle() const { return adapter().handle(); }
  HANDLE device() const { return handle(); }
  const D3DDDI_ADAPTERFUNCS& adapter_funcs() const { return adapter().funcs(); }
  bool ok() const { return handle() != nullptr; }

  // GetCaps(GETCONTENTPROTECTIONCAPS) for `crypto_type` with an all-zero DecodeProfile.
  HRESULT content_protection_caps(D3DCONTENTPROTECTIONCAPS* out,
                                  const GUID& crypto_type = D3DCRYPTOTYPE_AES128_CTR) const;
  Bytes certificate() const { return adapter().certificate(); }
  // The key-exchange blob for `key` (any length) under the certificate's leaf key (spec §7.5).
  Bytes wrap_session_key(std::span<const std::uint8_t> key) const {
    return adapter().wrap_session_key(key);
  }

 private:
  struct SameAdapter {};
  OpenedDevice(SameAdapter, const OpenedDevice& first);
};

using ScopedSurface = conform::Surface;

enum class ExchangeKey { kYes, kNo };

// A conform::Session (the application's model of the key follows every change it makes) with
// GoogleTest's key check.
class KeyedSession : public conform::Session {
 public:
  // `key` defaults to conform's test key. With ExchangeKey::kNo the session stays in NoKey and
  // `key` is only the model's starting value (use rekey() to exchange it later).
  explicit KeyedSession(const OpenedDevice& device, std::optional<Key> key = std::nullopt,
                        ExchangeKey exchange = ExchangeKey::kYes);

  // Uploads pattern bytes encrypted under `key` and reads them back: success iff the driver's
  // effective session key equals `key`. `seed` picks the bytes.
  ::testing::AssertionResult decrypts_under(const ScopedSurface& surface, const Key& key,
                                            std::uint32_t seed = 1);
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
