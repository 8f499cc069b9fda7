// The application's half of protected playback, for the example: what a player does with the
// driver's certificate and its own keys. OpenSSL does the cryptography; nothing here knows about
// the host driver or cpddi.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace app {

using Bytes = std::vector<std::uint8_t>;
using Key = std::array<std::uint8_t, 16>;
// A D3DAES_CTR_IV in memory order: IV, then Count, both big-endian.
using Iv = std::array<std::uint8_t, 16>;

// 16 random bytes (a session key).
Key random_key();
// RSAES-OAEP (SHA-512, MGF1-SHA-512, no label) of `key` under the public key of a DER X.509
// certificate: the 256-byte key-exchange blob (spec §7.5). Empty if the certificate is unusable.
Bytes wrap_for_certificate(std::span<const std::uint8_t> certificate_der, const Key& key);
// AES-128-CTR from the counter block `iv` (encrypt = decrypt).
Bytes aes_ctr(const Key& key, const Iv& iv, std::span<const std::uint8_t> data);
// AES-128-ECB decryption of one block: how a read-back key arrives wrapped (spec §7.2).
Key unwrap(const Key& session_key, const Key& wrapped);
// A recognisable frame of `len` bytes.
Bytes test_frame(std::size_t len);

}  // namespace app
