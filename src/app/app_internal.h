#pragma once

// App — cpddi.hpp's implementation: the application's half of the protocol (certificate check,
// key wrap, content encryption, the refresh XOR, read-back decryption), built on the C ABI's
// function tables only — exactly what a third-party application would call — with cpddi::crypto
// for the application's own cryptography. Never includes a src/ddi, session or device header.
// Threading: one object, one thread at a time.

#include <string>
#include <vector>

#include "base/result.h"
#include "cpddi/cpddi.hpp"
#include "crypto/rsa.h"
#include "crypto/secret_bytes.h"

namespace cpddi::app {

struct AdapterState {
  HANDLE handle = nullptr;
  D3DDDI_ADAPTERFUNCS funcs{};
  ~AdapterState();
};

// An app::Error for a failed DDI call: "<step>: <HRESULT name>".
Error driver_error(const char* step, HRESULT hr);
// An app::Error for an application-side failure of the internal crypto layer.
Error local_error(const char* step, const cpddi::Error& error);

// Spec §7.7 from the application's side: parse the container, check every certificate's validity
// period and that each is signed by the next, optionally that the chain ends at `trusted_root`,
// and return the leaf's RSA key (≥ 2048 bits).
Result<crypto::RsaPublicKey> check_certificate(std::span<const std::uint8_t> container,
                                               std::span<const std::uint8_t> trusted_root);

// The key exchange's blob for a session or a channel: `certificate` (as GetCaps returned it, or
// the error reading it) checked by check_certificate, then `key` wrapped to its leaf with
// RSAES-OAEP (SHA-512, spec §7.5).
Result<std::vector<std::uint8_t>> key_exchange_blob(
    const Result<std::vector<std::uint8_t>>& certificate,
    std::span<const std::uint8_t> trusted_root, const crypto::Aes128Key& key);

}  // namespace cpddi::app
