#include "crypto/rsa.h"

#include <cstdio>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "crypto/openssl_faults.h"
#include "crypto/rsa_internal.h"

namespace cpddi::crypto {
namespace {

const EVP_MD* md_for(HashAlgorithm h) {
  switch (h) {
    case HashAlgorithm::kSha1: return EVP_sha1();
    case HashAlgorithm::kSha256: return EVP_sha256();
    case HashAlgorithm::kSha512: return EVP_sha512();
  }
  return nullptr;
}

Result<PkeyCtxPtr> oaep_ctx(EVP_PKEY* pkey, const OaepParams& params, bool decrypt) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!ctx) {
    return Error{Errc::kOutOfMemory, "EVP_PKEY_CTX_new failed"};
  }
  // The decrypt side is a checked point of the OpenSSL fault seam (openssl_faults.h): an
  // injected failure takes the path of a real set-up failure, before any decoding.
  const bool injected = decrypt && openssl_failure_injected();
  const int init = decrypt ? EVP_PKEY_decrypt_init(ctx.get()) : EVP_PKEY_encrypt_init(ctx.get());
  if (injected || init != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), md_for(params.hash)) != 1 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md_for(params.mgf1_hash)) != 1) {
    return Error{Errc::kInternal, "RSA-OAEP setup failed"};
  }
  if (!params.label.empty()) {
    // OpenSSL takes ownership of the label buffer.
    auto* label = static_cast<unsigned char*>(OPENSSL_memdup(params.label.data(),
                                                             params.label.size()));
    if (label == nullptr ||
        EVP_PKEY_CTX_set0_rsa_oaep_label(ctx.get(), label, static_cast<int>(params.label.size())) != 1) {
      OPENSSL_free(label);
      return Error{Errc::kInternal, "RSA-OAEP label setup failed"};
    }
  }
  return ctx;
}

}  // namespace

RsaPrivateKey::RsaPrivateKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RsaPrivateKey::RsaPrivateKey(RsaPrivateKey&&) noexcept = default;
RsaPrivateKey& RsaPrivateKey::operator=(RsaPrivateKey&&) noexcept = default;
RsaPrivateKey::~RsaPrivateKey() = default;

Result<RsaPrivateKey> RsaPrivateKey::generate(int bits) {
  PkeyPtr pkey(EVP_RSA_gen(static_cast<unsigned int>(bits)));  // exponent 65537
  if (!pkey) {
    return Error{Errc::kInternal, "RSA key generation failed"};
  }
  return RsaPrivateKey(std::make_unique<Impl>(Impl{std::move(pkey)}));
}

Result<RsaPrivateKey> RsaPrivateKey::from_pkcs8_der(std::span<const std::uint8_t> der) {
  const unsigned char* p = der.data();
  PkeyPtr pkey(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())));
  if (!pkey || EVP_PKEY_get_base_id(pkey.get()) != EVP_PKEY_RSA) {
    ERR_clear_error();
    return Error{Errc::kInvalidArgument, "not a DER RSA private key"};
  }
  return RsaPrivateKey(std::make_unique<Impl>(Impl{std::move(pkey)}));
}

Result<RsaPrivateKey> RsaPrivateKey::from_pem_file(const std::string& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    ERR_clear_error();
    return Error{Errc::kInvalidArgument, "cannot open the identity key file"};
  }
  PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey || EVP_PKEY_get_base_id(pkey.get()) != EVP_PKEY_RSA) {
    ERR_clear_error();
    return Error{Errc::kInvalidArgument, "the identity key file holds no PEM RSA private key"};
  }
  return RsaPrivateKey(std::make_unique<Impl>(Impl{std::move(pkey)}));
}

int RsaPrivateKey::bits() const { return EVP_PKEY_get_bits(impl_->pkey.get()); }

Result<SecureBuffer> RsaPrivateKey::oaep_decrypt(const OaepParams& params,
                                                 std::span<const std::uint8_t> ciphertext) const {
  Result<PkeyCtxPtr> ctx = oaep_ctx(impl_->pkey.get(), params, true);
  if (!ctx) {
    return ctx.error();
  }
  SecureBuffer plaintext(modulus_len());
  std::size_t len = plaintext.size();
  if (EVP_PKEY_decrypt(ctx->get(), plaintext.data(), &len, ciphertext.data(),
                       ciphertext.size()) != 1) {
    ERR_clear_error();
    return Error{Errc::kInvalidArgument, "RSA-OAEP decryption failed"};
  }
  plaintext.resize(len);
  return plaintext;
}

Result<RsaPublicKey> RsaPrivateKey::public_key() const {
  // Re-encode the public half alone so the public object never holds private material.
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(impl_->pkey.get(), &der);
  if (len <= 0) {
    return Error{Errc::kInternal, "cannot encode the RSA public key"};
  }
  const unsigned char* p = der;
  PkeyPtr pub(d2i_PUBKEY(nullptr, &p, len));
  OPENSSL_free(der);
  if (!pub) {
    return Error{Errc::kInternal, "cannot decode the RSA public key"};
  }
  return RsaPublicKey(std::make_unique<RsaPublicKey::Impl>(RsaPublicKey::Impl{std::move(pub)}));
}

RsaPublicKey::RsaPublicKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RsaPublicKey::RsaPublicKey(RsaPublicKey&&) noexcept = default;
RsaPublicKey& RsaPublicKey::operator=(RsaPublicKey&&) noexcept = default;
RsaPublicKey::~RsaPublicKey() = default;

Result<RsaPublicKey> RsaPublicKey::from_certificate_der(std::span<const std::uint8_t> der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) {
    ERR_clear_error();
    return Error{Errc::kInvalidArgument, "not a DER X.509 certificate"};
  }
  PkeyPtr pkey(X509_get_pubkey(cert.get()));
  if (!pkey || EVP_PKEY_get_base_id(pkey.get()) != EVP_PKEY_RSA) {
    ERR_clear_error();
    return Error{Errc::kInvalidArgument, "the certificate's key is not RSA"};
  }
  return RsaPublicKey(std::make_unique<Impl>(Impl{std::move(pkey)}));
}

int RsaPublicKey::bits() const { return EVP_PKEY_get_bits(impl_->pkey.get()); }

bool RsaPublicKey::same_key_as(const RsaPublicKey& other) const {
  return EVP_PKEY_eq(impl_->pkey.get(), other.impl_->pkey.get()) == 1;
}

Result<std::vector<std::uint8_t>> RsaPublicKey::oaep_encrypt(
    const OaepParams& params, std::span<const std::uint8_t> plaintext) const {
  Result<PkeyCtxPtr> ctx = oaep_ctx(impl_->pkey.get(), params, false);
  if (!ctx) {
    return ctx.error();
  }
  std::size_t len = 0;
  if (EVP_PKEY_encrypt(ctx->get(), nullptr, &len, plaintext.data(), plaintext.size()) != 1) {
    ERR_clear_error();
    return Error{Errc::kInvalidArgument, "RSA-OAEP encryption failed"};
  }
  std::vector<std::uint8_t> ciphertext(len);
  if (EVP_PKEY_encrypt(ctx->get(), ciphertext.data(), &len, plaintext.data(),
                       plaintext.size()) != 1) {
    ERR_clear_error();
    return Error{Errc::kInvalidArgument, "RSA-OAEP encryption failed"};
  }
  ciphertext.resize(len);
  return ciphertext;
}

Result<Aes128Key> unwrap_exchanged_key(const RsaPrivateKey& identity,
                                       std::span<const std::uint8_t> ciphertext) {
  if (ciphertext.data() == nullptr) {
    return Error{Errc::kInvalidArgument, "pData is null"};
  }
  if (ciphertext.size() != kOaepCiphertextLen || ciphertext.size() != identity.modulus_len()) {
    return Error{Errc::kInvalidArgument, "DataSize must be 256 (RSA-2048 OAEP ciphertext)"};
  }
  constexpr Error kRejected{Errc::kInvalidArgument, "the key-exchange blob was rejected"};
  Result<SecureBuffer> plaintext = identity.oaep_decrypt(kKeyExchangeOaep, ciphertext);
  if (!plaintext) {
    return plaintext.error().code == Errc::kInvalidArgument ? kRejected : plaintext.error();
  }
  if (plaintext->size() != kSessionKeyLen) {
    return kRejected;
  }
  return Aes128Key(
      std::span<const std::uint8_t, kSessionKeyLen>(plaintext->data(), kSessionKeyLen));
}

}  // namespace cpddi::crypto
