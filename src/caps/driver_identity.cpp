#include "caps/driver_identity.h"

#include <mutex>
#include <optional>

namespace cpddi::caps {
namespace {

constexpr int kIdentityBits = 2048;  // the key-exchange buffer is 256 bytes (spec §7.5)

struct TestRoot {
  std::optional<crypto::RsaPrivateKey> key;
  crypto::Der certificate;
};

// The process-wide "cpddi test root": made once, on first use. cpddi cannot chain to Microsoft's
// root, so applications must be told to trust this one (spec §7.7).
Result<const TestRoot*> test_root() {
  static std::mutex mutex;
  static TestRoot root;
  std::lock_guard lock(mutex);
  if (root.key) {
    return &root;
  }
  Result<crypto::RsaPrivateKey> key = crypto::RsaPrivateKey::generate(kIdentityBits);
  if (!key) {
    return key.error();
  }
  Result<crypto::Der> cert = crypto::make_certificate(*key, "cpddi test root", *key, {}, true);
  if (!cert) {
    return cert.error();
  }
  root.certificate = std::move(*cert);
  root.key.emplace(std::move(*key));
  return &root;
}

}  // namespace

DriverIdentity::DriverIdentity(std::shared_ptr<const crypto::RsaPrivateKey> key,
                               std::vector<crypto::Der> chain, crypto::Der pkcs7)
    : key_(std::move(key)), chain_(std::move(chain)), pkcs7_(std::move(pkcs7)) {}

Result<std::shared_ptr<const DriverIdentity>> DriverIdentity::create(const IdentitySource& source) {
  std::vector<crypto::Der> chain;
  std::optional<crypto::RsaPrivateKey> key;
  if (source.key_pem_path.empty() != source.certificate_pem_path.empty()) {
    return Error{Errc::kInvalidArgument,
                 "a pinned identity needs both the key and the certificate PEM file"};
  }
  if (!source.key_pem_path.empty()) {
    Result<crypto::RsaPrivateKey> loaded = crypto::RsaPrivateKey::from_pem_file(source.key_pem_path);
    if (!loaded) {
      return loaded.error();
    }
    Result<std::vector<crypto::Der>> certs =
        crypto::load_pem_certificates(source.certificate_pem_path);
    if (!certs) {
      return certs.error();
    }
    if (loaded->bits() != kIdentityBits) {
      return Error{Errc::kInvalidArgument, "the identity key must be RSA-2048"};
    }
    Result<crypto::RsaPublicKey> leaf_key = crypto::RsaPublicKey::from_certificate_der(certs->front());
    Result<crypto::RsaPublicKey> own_key = loaded->public_key();
    if (!leaf_key || !own_key || !leaf_key->same_key_as(*own_key)) {
      return Error{Errc::kInvalidArgument,
                   "the first certificate of the PEM file does not match the identity key"};
    }
    chain = std::move(*certs);
    key.emplace(std::move(*loaded));
  } else {
    Result<const TestRoot*> root = test_root();
    if (!root) {
      return root.error();
    }
    Result<crypto::RsaPrivateKey> leaf = crypto::RsaPrivateKey::generate(kIdentityBits);
    if (!leaf) {
      return leaf.error();
    }
    Result<crypto::Der> cert = crypto::make_certificate(
        *leaf, "cpddi crypto session", *(*root)->key, (*root)->certificate, false);
    if (!cert) {
      return cert.error();
    }
    chain = {std::move(*cert), (*root)->certificate};
    key.emplace(std::move(*leaf));
  }
  Result<crypto::Der> pkcs7 = crypto::pkcs7_certs_only(chain);
  if (!pkcs7) {
    return pkcs7.error();
  }
  auto shared_key = std::make_shared<const crypto::RsaPrivateKey>(std::move(*key));
  return std::shared_ptr<const DriverIdentity>(
      new DriverIdentity(std::move(shared_key), std::move(chain), std::move(*pkcs7)));
}

Result<const crypto::Der*> DriverIdentity::certificate_for(CertificateContainer container,
                                                           CertificateType type,
                                                           CryptoType crypto) const {
  if (type == CertificateType::kAuthenticatedChannel) {
    return &certificate(container);  // the same identity signs channels and sessions (§7.7)
  }
  if (type != CertificateType::kCryptoSession) {
    return Error{Errc::kNotAvailable, "unknown CertificateType"};
  }
  if (crypto != CryptoType::kAes128Ctr) {
    return Error{Errc::kNotAvailable, "no certificate for that crypto-session type"};
  }
  return &certificate(container);
}

}  // namespace cpddi::caps
