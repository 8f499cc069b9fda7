#include "app_side.h"

#include <memory>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace app {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;

Bytes run_cipher(const EVP_CIPHER* cipher, const Key& key, const std::uint8_t* iv, bool encrypt,
                 std::span<const std::uint8_t> in) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  Bytes out(in.size() + 16);
  int len = 0;
  int tail = 0;
  if (!ctx || EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data(), iv, encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_CipherUpdate(ctx.get(), out.data(), &len, in.data(), static_cast<int>(in.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + len, &tail) != 1) {
    return {};
  }
  out.resize(static_cast<std::size_t>(len + tail));
  return out;
}

}  // namespace

Key random_key() {
  Key key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
    return Key{};  // the caller's exchange then fails visibly: never a silent zero key in use
  }
  return key;
}

Bytes wrap_for_certificate(std::span<const std::uint8_t> certificate_der, const Key& key) {
  const unsigned char* p = certificate_der.data();
  Certificate certificate(d2i_X509(nullptr, &p, static_cast<long>(certificate_der.size())));
  if (!certificate) {
    return {};
  }
  EVP_PKEY* public_key = X509_get0_pubkey(certificate.get());
  PkeyCtx ctx(public_key != nullptr ? EVP_PKEY_CTX_new(public_key, nullptr) : nullptr);
  std::size_t len = 0;
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), EVP_sha512()) != 1 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha512()) != 1 ||
      EVP_PKEY_encrypt(ctx.get(), nullptr, &len, key.data(), key.size()) != 1) {
    return {};
  }
  Bytes blob(len);
  if (EVP_PKEY_encrypt(ctx.get(), blob.data(), &len, key.data(), key.size()) != 1) {
    return {};
  }
  blob.resize(len);
  return blob;
}

Bytes aes_ctr(const Key& key, const Iv& iv, std::span<const std::uint8_t> data) {
  return run_cipher(EVP_aes_128_ctr(), key, iv.data(), true, data);
}

Key unwrap(const Key& session_key, const Key& wrapped) {
  const Bytes plain = run_cipher(EVP_aes_128_ecb(), session_key, nullptr, false, wrapped);
  Key key{};
  if (plain.size() == key.size()) {
    std::copy(plain.begin(), plain.end(), key.begin());
  }
  return key;
}

Bytes test_frame(std::size_t len) {
  Bytes frame(len);
  for (std::size_t i = 0; i < len; ++i) {
    frame[i] = static_cast<std::uint8_t>((i * 7 + i / 251) & 0xFF);
  }
  return frame;
}

}  // namespace app
