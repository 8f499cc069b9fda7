#pragma once

// A D3D11.1 playback scene driven through the test runtime (conform/d3d11_runtime.h) the way a
// Direct3D 11 runtime drives cpddi: one device in a chosen error mode, a keyed AES-128-CTR
// session, a staging source, a restricted-content destination and a staging read-back buffer,
// plus the application's model of the session key and its IVs. A call the scene itself makes
// failing fails the test (GoogleTest assertion); what a test calls on the device it checks.

#include <cstdint>
#include <memory>

#include <gtest/gtest.h>

#include "conform/d3d11_runtime.h"
#include "conform/harness.h"
#include "crypto/rsa.h"
#include "support/driver_fixture.h"

namespace cpddi::testing {

// 16×4 X8R8G8B8: one 64-byte row per line, 256 bytes, 16 blocks.
inline constexpr UINT kWidth = 16;
inline constexpr UINT kHeight = 4;
inline constexpr std::size_t kSurfaceBytes = 256;

// The caps cpddi announces through the D3D11.1 DDI with default options (spec §8.4, A41).
inline constexpr UINT kDefaultD3d11Caps = kDefaultCaps | D3D11_1DDI_CONTENT_PROTECTION_CAPS_DECRYPTION_BLT;

// The adapter every scene of a test binary opens its device on (cpddi_d3d11_1_open_adapter,
// default options, the pinned identity).
conform::D3d11Runtime& shared_runtime();

// CPDDI_D3D11_1_CREATERESOURCE for a 16×4 X8R8G8B8 texture.
CPDDI_D3D11_1_CREATERESOURCE texture_desc(CPDDI_D3D11_1_USAGE usage, bool restricted);

class Scene {
 public:
  explicit Scene(CPDDI_D3D11_1_ERROR_MODE mode = CPDDI_D3D11_1_ERROR_MODE_STRICT, UINT flags = 0);
  ~Scene();

  conform::D3d11Device& device() { return *device_; }

  // A crypto session (AES-128-CTR, RSAES-OAEP), keyed with `key` unless `keyed` is false.
  D3D11_1DDI_HCRYPTOSESSION new_session(const Key& key, bool keyed = true);
  // A resource of texture_desc(usage, restricted).
  D3D10DDI_HRESOURCE new_resource(CPDDI_D3D11_1_USAGE usage, bool restricted);
  // Private memory of the size the driver asks for, never handed to a Create: a handle that
  // names no object.
  template <class DriverHandle>
  DriverHandle unused_handle(std::size_t size = 16) {
    return DriverHandle{device_->memory().allocate(size)};
  }

  // The certificate GetCertificateSize/GetCertificate return for `info`.
  Bytes certificate(const D3D11_1DDI_CERTIFICATE_INFO& info);
  // The key-exchange blob for `key` under the crypto-session certificate's leaf key.
  Bytes wrap(const Key& key);

  // Writes `bytes` into a staging resource through ResourceMap/Unmap.
  void upload(D3D10DDI_HRESOURCE staging, const Bytes& bytes);
  // The whole content of a staging resource.
  Bytes download(D3D10DDI_HRESOURCE staging);

  // The next counter block for DecryptionBlt (monotonic IV, Count 0).
  Iv next_iv() { return make_iv(next_iv_++); }

  // Encrypts pattern content `seed` under `key` into `source_`, DecryptionBlts it into
  // `destination_` with the session; returns the plaintext. Expects success and no report.
  Bytes decrypt_into_destination(const Key& key, std::uint32_t seed);
  // EncryptionBlt of `destination_` into `readback_`, decrypted with GetEncryptionBltKey's key
  // (unwrapped under `key`, the session key): the destination's plaintext.
  Bytes read_back(const Key& key);

  D3D11_1DDI_HCRYPTOSESSION session() const { return session_; }
  D3D10DDI_HRESOURCE source() const { return source_; }
  D3D10DDI_HRESOURCE destination() const { return destination_; }
  D3D10DDI_HRESOURCE readback() const { return readback_; }

 private:
  std::unique_ptr<conform::D3d11Device> device_;
  std::unique_ptr<crypto::RsaPublicKey> leaf_;
  D3D11_1DDI_HCRYPTOSESSION session_{};
  D3D10DDI_HRESOURCE source_{};
  D3D10DDI_HRESOURCE destination_{};
  D3D10DDI_HRESOURCE readback_{};
  std::uint64_t next_iv_ = 100;
};

// The crypto-session certificate's info.
D3D11_1DDI_CERTIFICATE_INFO session_certificate_info();

}  // namespace cpddi::testing
