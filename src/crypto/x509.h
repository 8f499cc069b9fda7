#pragma once

// X.509 certificates and the PKCS#7 certs-only container the driver hands out (spec §7.7):
// making the driver's identity, loading a pinned one, and the application's checks.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "crypto/rsa.h"

namespace cpddi::crypto {

using Der = std::vector<std::uint8_t>;

// A certificate for `subject_key`, signed (SHA-256) by `issuer_key`; `issuer_der` empty means
// self-signed. `is_ca` marks a root. Valid from one day ago for ten years.
Result<Der> make_certificate(const RsaPrivateKey& subject_key, const std::string& common_name,
                             const RsaPrivateKey& issuer_key, std::span<const std::uint8_t> issuer_der,
                             bool is_ca);

// DER PKCS#7 SignedData "certs-only" holding `chain` in order (leaf first).
Result<Der> pkcs7_certs_only(std::span<const Der> chain);

// Reads either container back: a DER PKCS#7 bundle (certificates in stored order) or a single
// DER X.509 certificate.
Result<std::vector<Der>> parse_certificate_container(std::span<const std::uint8_t> bytes);

// All certificates of a PEM file, in file order.
Result<std::vector<Der>> load_pem_certificates(const std::string& path);

// Checks that `cert_der` carries a signature by `issuer_der`'s key and that `issuer_der` names
// the certificate's issuer.
Result<void> verify_issued_by(std::span<const std::uint8_t> cert_der,
                              std::span<const std::uint8_t> issuer_der);

// Checks that now lies within the certificate's validity period.
Result<void> verify_validity_period(std::span<const std::uint8_t> cert_der);

// The subject's common name (for messages).
Result<std::string> certificate_common_name(std::span<const std::uint8_t> cert_der);

}  // namespace cpddi::crypto
