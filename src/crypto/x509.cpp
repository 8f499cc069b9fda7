#include "crypto/x509.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/random.h"
#include "crypto/rsa_internal.h"

namespace cpddi::crypto {
namespace {

Result<X509Ptr> parse_der(std::span<const std::uint8_t> der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert || p != der.data() + der.size()) {
    ERR_clear_error();
    return Error{Errc::kInvalidArgument, "not a DER X.509 certificate"};
  }
  return cert;
}

Result<Der> to_der(X509* cert) {
  unsigned char* out = nullptr;
  const int len = i2d_X509(cert, &out);
  if (len <= 0) {
    return Error{Errc::kInternal, "cannot encode the certificate"};
  }
  Der der(out, out + len);
  OPENSSL_free(out);
  return der;
}

bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) {
    return false;
  }
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

}  // namespace

Result<Der> make_certificate(const RsaPrivateKey& subject_key, const std::string& common_name,
                             const RsaPrivateKey& issuer_key,
                             std::span<const std::uint8_t> issuer_der, bool is_ca) {
  X509Ptr cert(X509_new());
  if (!cert) {
    return Error{Errc::kOutOfMemory, "X509_new failed"};
  }
  X509Ptr issuer;
  if (!issuer_der.empty()) {
    Result<X509Ptr> parsed = parse_der(issuer_der);
    if (!parsed) {
      return parsed.error();
    }
    issuer = std::move(*parsed);
  }
  std::uint8_t serial_bytes[16];
  if (Result<void> r = random_bytes(serial_bytes); !r) {
    return r.error();
  }
  serial_bytes[0] &= 0x7F;  // positive serial
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr);
  const bool serial_ok = serial != nullptr &&
                         BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get())) != nullptr;
  BN_free(serial);

  X509_NAME* name = X509_get_subject_name(cert.get());
  const bool ok =
      serial_ok && X509_set_version(cert.get(), 2) == 1 &&
      X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24L * 3600) != nullptr &&
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600) != nullptr &&
      X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("cpddi"), -1, -1, 0) == 1 &&
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                 -1, 0) == 1 &&
      X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer.get()) : name) == 1 &&
      X509_set_pubkey(cert.get(), subject_key.impl().pkey.get()) == 1 &&
      add_extension(cert.get(), issuer ? issuer.get() : cert.get(), NID_basic_constraints,
                    is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE") &&
      add_extension(cert.get(), issuer ? issuer.get() : cert.get(), NID_key_usage,
                    is_ca ? "critical,keyCertSign,cRLSign" : "critical,keyEncipherment") &&
      X509_sign(cert.get(), issuer_key.impl().pkey.get(), EVP_sha256()) > 0;
  if (!ok) {
    ERR_clear_error();
    return Error{Errc::kInternal, "cannot make the certificate"};
  }
  return to_der(cert.get());
}

Result<Der> pkcs7_certs_only(std::span<const Der> chain) {
  Pkcs7Ptr p7(PKCS7_new());
  if (!p7 || PKCS7_set_type(p7.get(), NID_pkcs7_signed) != 1 ||
      PKCS7_content_new(p7.get(), NID_pkcs7_data) != 1) {
    return Error{Errc::kInternal, "cannot make the PKCS#7 container"};
  }
  for (const Der& der : chain) {
    Result<X509Ptr> cert = parse_der(der);
    if (!cert) {
      return cert.error();
    }
    if (PKCS7_add_certificate(p7.get(), cert->get()) != 1) {  // takes its own reference
      return Error{Errc::kInternal, "cannot add a certificate to the PKCS#7 container"};
    }
  }
  unsigned char* out = nullptr;
  const int len = i2d_PKCS7(p7.get(), &out);
  if (len <= 0) {
    return Error{Errc::kInternal, "cannot encode the PKCS#7 container"};
  }
  Der der(out, out + len);
  OPENSSL_free(out);
  return der;
}

Result<std::vector<Der>> parse_certificate_container(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) {
    return Error{Errc::kInvalidArgument, "empty certificate"};
  }
  const unsigned char* p = bytes.data();
  Pkcs7Ptr p7(d2i_PKCS7(nullptr, &p, static_cast<long>(bytes.size())));
  if (p7 && p == bytes.data() + bytes.size()) {
    if (PKCS7_type_is_signed(p7.get()) == 0 || p7->d.sign == nullptr ||
        p7->d.sign->cert == nullptr || sk_X509_num(p7->d.sign->cert) == 0) {
      return Error{Errc::kInvalidArgument, "the PKCS#7 container holds no certificates"};
    }
    std::vector<Der> chain;
    for (int i = 0; i < sk_X509_num(p7->d.sign->cert); ++i) {
      Result<Der> der = to_der(sk_X509_value(p7->d.sign->cert, i));
      if (!der) {
        return der.error();
      }
      chain.push_back(std::move(*der));
    }
    return chain;
  }
  ERR_clear_error();
  Result<X509Ptr> single = parse_der(bytes);
  if (!single) {
    return Error{Errc::kInvalidArgument, "neither a DER PKCS#7 bundle nor a DER X.509 certificate"};
  }
  return std::vector<Der>{Der(bytes.begin(), bytes.end())};
}

Result<std::vector<Der>> load_pem_certificates(const std::string& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    ERR_clear_error();
    return Error{Errc::kInvalidArgument, "cannot open the identity certificate file"};
  }
  std::vector<Der> chain;
  while (X509* raw = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509Ptr cert(raw);
    Result<Der> der = to_der(cert.get());
    if (!der) {
      return der.error();
    }
    chain.push_back(std::move(*der));
  }
  ERR_clear_error();  // the loop ends on "no more PEM"
  if (chain.empty()) {
    return Error{Errc::kInvalidArgument, "the identity certificate file holds no PEM certificate"};
  }
  return chain;
}

Result<void> verify_issued_by(std::span<const std::uint8_t> cert_der,
                              std::span<const std::uint8_t> issuer_der) {
  Result<X509Ptr> cert = parse_der(cert_der);
  Result<X509Ptr> issuer = parse_der(issuer_der);
  if (!cert || !issuer) {
    return Error{Errc::kInvalidArgument, "not a DER X.509 certificate"};
  }
  if (X509_NAME_cmp(X509_get_issuer_name(cert->get()), X509_get_subject_name(issuer->get())) != 0) {
    return Error{Errc::kInvalidArgument, "the certificate names another issuer"};
  }
  PkeyPtr issuer_key(X509_get_pubkey(issuer->get()));
  if (!issuer_key || X509_verify(cert->get(), issuer_key.get()) != 1) {
    ERR_clear_error();
    return Error{Errc::kInvalidArgument, "the certificate's signature does not verify"};
  }
  return {};
}

Result<void> verify_validity_period(std::span<const std::uint8_t> cert_der) {
  Result<X509Ptr> cert = parse_der(cert_der);
  if (!cert) {
    return cert.error();
  }
  if (X509_cmp_current_time(X509_get0_notBefore(cert->get())) >= 0 ||
      X509_cmp_current_time(X509_get0_notAfter(cert->get())) <= 0) {
    return Error{Errc::kInvalidArgument, "the certificate is outside its validity period"};
  }
  return {};
}

Result<std::string> certificate_common_name(std::span<const std::uint8_t> cert_der) {
  Result<X509Ptr> cert = parse_der(cert_der);
  if (!cert) {
    return cert.error();
  }
  char buffer[256] = {};
  if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert->get()), NID_commonName, buffer,
                                sizeof buffer) < 0) {
    return std::string();
  }
  return std::string(buffer);
}

}  // namespace cpddi::crypto
