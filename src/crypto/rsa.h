#pragma once

// RSA keys and RSAES-OAEP (spec §7.5). The key exchange uses SHA-512 / MGF1-SHA-512 with an
// empty label; the generic layer takes any of SHA-1, SHA-256, SHA-512 so the public vectors can
// exercise it. Private keys live in OpenSSL objects that OpenSSL itself wipes when freed.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "crypto/cleansing_allocator.h"
#include "crypto/secret_bytes.h"

namespace cpddi::crypto {

enum class HashAlgorithm { kSha1, kSha256, kSha512 };

struct OaepParams {
  HashAlgorithm hash = HashAlgorithm::kSha512;
  HashAlgorithm mgf1_hash = HashAlgorithm::kSha512;
  std::span<const std::uint8_t> label{};
};

// The key exchange's own parameters (spec §7.5).
inline constexpr OaepParams kKeyExchangeOaep{};

class RsaPublicKey;

class RsaPrivateKey {
 public:
  static Result<RsaPrivateKey> generate(int bits);
  static Result<RsaPrivateKey> from_pkcs8_der(std::span<const std::uint8_t> der);
  static Result<RsaPrivateKey> from_pem_file(const std::string& path);
  RsaPrivateKey(RsaPrivateKey&&) noexcept;
  RsaPrivateKey& operator=(RsaPrivateKey&&) noexcept;
  ~RsaPrivateKey();

  int bits() const;
  std::size_t modulus_len() const { return static_cast<std::size_t>((bits() + 7) / 8); }
  // Every decoding failure gives the same error and reason text (no padding oracle).
  Result<SecureBuffer> oaep_decrypt(const OaepParams& params,
                                    std::span<const std::uint8_t> ciphertext) const;
  Result<RsaPublicKey> public_key() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit RsaPrivateKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class RsaPublicKey {
 public:
  // The subject public key of a DER X.509 certificate; fails unless it is RSA.
  static Result<RsaPublicKey> from_certificate_der(std::span<const std::uint8_t> der);
  RsaPublicKey(RsaPublicKey&&) noexcept;
  RsaPublicKey& operator=(RsaPublicKey&&) noexcept;
  ~RsaPublicKey();

  int bits() const;
  Result<std::vector<std::uint8_t>> oaep_encrypt(const OaepParams& params,
                                                 std::span<const std::uint8_t> plaintext) const;
  bool same_key_as(const RsaPublicKey& other) const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  friend class RsaPrivateKey;
  explicit RsaPublicKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The key exchange of crypto sessions and authenticated channels (spec §4.2, §5.2, §7.5, A25):
// `ciphertext` is the RSAES-OAEP (kKeyExchangeOaep) encryption of exactly 16 key bytes under
// `identity`, exactly 256 bytes long (RSA-2048). kInvalidArgument for a null or wrongly sized
// buffer; every failure once decryption starts gives one code and one reason (no padding
// oracle); kInternal / kOutOfMemory when OpenSSL itself failed.
inline constexpr std::size_t kOaepCiphertextLen = 256;
Result<Aes128Key> unwrap_exchanged_key(const RsaPrivateKey& identity,
                                       std::span<const std::uint8_t> ciphertext);

}  // namespace cpddi::crypto
