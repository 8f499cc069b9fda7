#pragma once

// RSA-2048 keys for the unit tests, generated on first use and kept for the life of the
// test process (CTest runs each case in its own process, so each case pays only for the keys it
// asks for). Aborts the process if OpenSSL cannot generate a key.

#include <cstdlib>
#include <memory>
#include <mutex>

#include <gtest/gtest.h>

#include "crypto/rsa.h"

namespace cpddi::crypto {

enum class TestKey { kRoot, kLeaf, kOther, kCount };

inline const RsaPrivateKey& test_rsa_key(TestKey which) {
  static std::mutex mutex;
  static std::unique_ptr<RsaPrivateKey> keys[static_cast<int>(TestKey::kCount)];
  std::lock_guard lock(mutex);
  std::unique_ptr<RsaPrivateKey>& slot = keys[static_cast<int>(which)];
  if (!slot) {
    Result<RsaPrivateKey> key = RsaPrivateKey::generate(2048);
    if (!key) {
      ADD_FAILURE() << "RSA-2048 generation failed: " << key.error().reason;
      std::abort();
    }
    slot = std::make_unique<RsaPrivateKey>(std::move(*key));
  }
  return *slot;
}

}  // namespace cpddi::crypto
