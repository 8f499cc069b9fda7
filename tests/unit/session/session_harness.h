#pragma once

// The unit-level stage for CryptoSession: one RSA-2048 identity per test process, a device with
// a protected pool and its work queue, one session, and
// the application's half computed with cpddi::crypto. Surfaces are 16×4 X8R8G8B8 (pitch 64,
// L = 256 bytes) unless said otherwise. Protected surfaces are read through Resource::data(),
// which only a unit test may do.

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/aes.h"
#include "crypto/rsa.h"
#include "device/device.h"
#include "device/resource.h"
#include "session/crypto_session.h"

namespace cpddi::session::testing {

using Bytes = std::vector<std::uint8_t>;
using Key16 = std::array<std::uint8_t, 16>;

inline constexpr std::uint32_t kWidth = 16;
inline constexpr std::uint32_t kHeight = 4;
inline constexpr std::uint64_t kFrameLen = 256;  // pitch 64 × 4 rows

// The process's identity key (RSA-2048, generated on first use).
std::shared_ptr<const crypto::RsaPrivateKey> identity_key();

Aes128Key key_of(const Key16& bytes);
Key16 bytes_of(const Aes128Key& key);
Aes128Key xor_of(const Aes128Key& key, const Key16& number);

// `plaintext` RSAES-OAEP-encrypted to the identity's public key with `params`.
Bytes oaep_blob(std::span<const std::uint8_t> plaintext,
                const crypto::OaepParams& params = crypto::kKeyExchangeOaep);

// A deterministic frame of kFrameLen bytes that differs per seed.
Bytes frame(std::uint32_t seed);
// `data` AES-128-CTR-encrypted under `key` from `block`.
Bytes ctr(const Aes128Key& key, const CounterBlock& block, std::span<const std::uint8_t> data);

class SessionHarness {
 public:
  explicit SessionHarness(SessionFeatures features = {});
  ~SessionHarness();
  SessionHarness(const SessionHarness&) = delete;
  SessionHarness& operator=(const SessionHarness&) = delete;

  device::Device& device() { return device_; }
  CryptoSession& session() { return session_; }
  device::ProtectedPool& pool() { return *pool_; }

  // Key exchange of `key` (the app side wraps it).
  Result<void> exchange(const Aes128Key& key);

  std::shared_ptr<device::Resource> protected_surface(std::uint32_t width = kWidth,
                                                      std::uint32_t height = kHeight);
  std::shared_ptr<device::Resource> system_surface(std::uint32_t width = kWidth,
                                                   std::uint32_t height = kHeight);

  // A ready DecryptionBlt: a fresh source holding frame(seed) encrypted under `key` from
  // (iv, 0), a fresh zeroed protected destination, SrcResourceSize = kFrameLen.
  struct Blt {
    DecryptionBltArgs args;
    Bytes plaintext;
  };
  Blt prepare_blt(const Aes128Key& key, std::uint64_t iv, std::uint32_t seed = 1);

  // Runs a DecryptionBlt whose content is encrypted under `key` with the next unused IV:
  // success only if the blt succeeds and the destination holds the plaintext.
  ::testing::AssertionResult key_in_force(const Aes128Key& key);
  // Success only if such a blt succeeds and the destination does NOT hold the plaintext.
  ::testing::AssertionResult key_not_in_force(const Aes128Key& key);

  std::uint64_t next_iv() { return next_iv_++; }

 private:
  ::testing::AssertionResult run_probe(const Aes128Key& key, bool expect_plaintext);

  std::shared_ptr<device::ProtectedPool> pool_;
  device::Device device_;
  CryptoSession session_;
  std::uint64_t next_iv_ = 1000;
};

bool all_zero(std::span<const std::uint8_t> bytes);
// The first `len` bytes of `resource`, read after every live harness's queue has run what it was
// given (the session queues its blts; a unit test reads surfaces directly, not through Lock).
Bytes contents(const device::Resource& resource, std::size_t len = kFrameLen);

}  // namespace cpddi::session::testing
