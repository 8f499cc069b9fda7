#pragma once

// Files for the unit tests that load PEM keys and certificates (crypto/x509, caps/driver
// identity): a private temporary directory removed with everything in it, and writers built on
// OpenSSL's own PEM_write functions so the files are exactly what the OpenSSL CLI would produce.
// Every writer returns false on failure; callers ASSERT on it.

#include <span>
#include <string>
#include <string_view>

#include "crypto/rsa.h"
#include "crypto/x509.h"

namespace cpddi::unit {

// A fresh directory under the system temp directory (mkdtemp), removed recursively on
// destruction. Throws std::runtime_error if it cannot be made, which fails the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path()/name
  std::string file(std::string_view name) const;

 private:
  std::string path_;
};

// Unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"), as `openssl genpkey` writes it.
bool write_private_key_pem(const std::string& path, const crypto::RsaPrivateKey& key);
// Traditional PKCS#1 PEM ("BEGIN RSA PRIVATE KEY"), as `openssl genrsa -traditional` writes it.
bool write_rsa_private_key_pem(const std::string& path, const crypto::RsaPrivateKey& key);
// A P-256 EC private key in PKCS#8 PEM: a valid key that is not RSA.
bool write_ec_private_key_pem(const std::string& path);
// Every certificate of `chain`, in order, as "BEGIN CERTIFICATE" blocks.
bool write_certificates_pem(const std::string& path, std::span<const crypto::Der> chain);
// Arbitrary bytes.
bool write_file(const std::string& path, std::string_view contents);

}  // namespace cpddi::unit
