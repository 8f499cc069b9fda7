#pragma once

// Caps — what the adapter announces: the driver identity (RSA-2048 key and its certificate chain,
// spec §7.7) and the content-protection caps of spec §3. Depends on crypto/ and base/; never sees
// a DDI struct (ddi/ translates GUIDs and fills D3DCONTENTPROTECTIONCAPS). Threading: identities
// and caps are immutable after creation and shared freely.

#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "crypto/rsa.h"
#include "crypto/x509.h"

namespace cpddi::caps {

enum class CertificateContainer { kPkcs7, kX509Leaf };

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

 private:
  DriverIdentity(std::shared_ptr<const crypto::RsaPrivateKey> key, std::vector<crypto::Der> chain,
                 crypto::Der pkcs7);

  std::shared_ptr<const crypto::RsaPrivateKey> key_;
  std::vector<crypto::Der> chain_;
  crypto::Der pkcs7_;
};

}  // namespace cpddi::caps
