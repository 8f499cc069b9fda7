#include <algorithm>

#include "app/app_internal.h"
#include "crypto/x509.h"

namespace cpddi::app {

Result<crypto::RsaPublicKey> check_certificate(std::span<const std::uint8_t> container,
                                               std::span<const std::uint8_t> trusted_root) {
  auto chain = crypto::parse_certificate_container(container);
  if (!chain) {
    return local_error("certificate", chain.error());
  }
  for (std::size_t i = 0; i < chain->size(); ++i) {
    if (auto r = crypto::verify_validity_period((*chain)[i]); !r) {
      return local_error("certificate", r.error());
    }
    if (i + 1 < chain->size()) {
      if (auto r = crypto::verify_issued_by((*chain)[i], (*chain)[i + 1]); !r) {
        return local_error("certificate chain", r.error());
      }
    }
  }
  if (!trusted_root.empty()) {
    const crypto::Der& last = chain->back();
    const bool is_root = std::equal(last.begin(), last.end(), trusted_root.begin(),
                                    trusted_root.end());
    if (!is_root) {
      if (auto r = crypto::verify_issued_by(last, trusted_root); !r) {
        return Error{E_FAIL, "certificate chain: does not end at the trusted root"};
      }
    }
  }
  auto key = crypto::RsaPublicKey::from_certificate_der(chain->front());
  if (!key) {
    return local_error("certificate", key.error());
  }
  if (key->bits() < 2048) {
    return Error{E_FAIL, "certificate: the RSA key is shorter than 2048 bits"};
  }
  return std::move(*key);
}

Result<std::vector<std::uint8_t>> key_exchange_blob(
    const Result<std::vector<std::uint8_t>>& certificate,
    std::span<const std::uint8_t> trusted_root, const crypto::Aes128Key& key) {
  if (!certificate) {
    return certificate.error();
  }
  Result<crypto::RsaPublicKey> driver_key = check_certificate(*certificate, trusted_root);
  if (!driver_key) {
    return driver_key.error();
  }
  auto blob = driver_key->oaep_encrypt(crypto::kKeyExchangeOaep, key.expose());
  if (!blob) {
    return local_error("RSAES-OAEP", blob.error());
  }
  return std::move(*blob);
}

}  // namespace cpddi::app
