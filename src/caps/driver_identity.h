#pragma once

// The driver identity (spec §7.7): the adapter's RSA-2048 key and its certificate chain, and the
// certificate each GetCaps query gets. Component overview: caps.h.

#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "caps/content_protection_caps.h"
#include "crypto/rsa.h"
#include "crypto/x509.h"

namespace cpddi::caps {

enum class CertificateContainer { kPkcs7, kX509Leaf };

// Which certificate a query asks for (spec §3); kUnsupported = a type the front end does not know.
enum class CertificateType { kCryptoSession, kAuthenticatedChannel, kUnsupported };

// Where the identity comes from: both paths set = pinned from PEM files; both empty = made fresh.
struct IdentitySource {
  std::string key_pem_path;
  std::string certificate_pem_path;
};

class DriverIdentity {
 public:
  // Fresh: an RSA-2048 leaf key per call, certified by the process's "cpddi test root" (made once
  // per process). Pinned: the PEM key and chain (leaf first), checked to match and be RSA-2048.
  static Result<std::shared_ptr<const DriverIdentity>> create(const IdentitySource& source);

  std::shared_ptr<const crypto::RsaPrivateKey> private_key() const { return key_; }
  // The bytes GetCaps(GETCERTIFICATE) returns.
  const crypto::Der& certificate(CertificateContainer container) const {
    return container == CertificateContainer::kPkcs7 ? pkcs7_ : chain_.front();
  }
  const std::vector<crypto::Der>& chain() const { return chain_; }
  // The certificate announced for `type` (and, for crypto sessions, `crypto`) in `container`, or
  // kNotAvailable: authenticated channels and AES-128-CTR crypto sessions have one, the same.
  Result<const crypto::Der*> certificate_for(CertificateContainer container, CertificateType type,
                                             CryptoType crypto) const;

 private:
  DriverIdentity(std::shared_ptr<const crypto::RsaPrivateKey> key, std::vector<crypto::Der> chain,
                 crypto::Der pkcs7);

  std::shared_ptr<const crypto::RsaPrivateKey> key_;
  std::vector<crypto::Der> chain_;
  crypto::Der pkcs7_;
};

}  // namespace cpddi::caps
