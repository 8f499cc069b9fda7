#include "support/pem_files.h"

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <system_error>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "crypto/rsa_internal.h"

namespace cpddi::unit {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

FilePtr open_for_writing(const std::string& path) { return FilePtr(std::fopen(path.c_str(), "w")); }

}  // namespace

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "cpddi-unit-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed for " + pattern);
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::file(std::string_view name) const {
  return (std::filesystem::path(path_) / name).string();
}

bool write_private_key_pem(const std::string& path, const crypto::RsaPrivateKey& key) {
  FilePtr f = open_for_writing(path);
  return f && PEM_write_PrivateKey(f.get(), key.impl().pkey.get(), nullptr, nullptr, 0, nullptr,
                                   nullptr) == 1;
}

bool write_rsa_private_key_pem(const std::string& path, const crypto::RsaPrivateKey& key) {
  FilePtr f = open_for_writing(path);
  if (!f) {
    return false;
  }
  // i2d_PrivateKey writes the type-specific encoding, for RSA the PKCS#1 RSAPrivateKey.
  unsigned char* der = nullptr;
  const int len = i2d_PrivateKey(key.impl().pkey.get(), &der);
  if (len <= 0) {
    return false;
  }
  const int ok = PEM_write(f.get(), "RSA PRIVATE KEY", "", der, len);
  OPENSSL_free(der);
  return ok > 0;
}

bool write_ec_private_key_pem(const std::string& path) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> ec(EVP_EC_gen("P-256"), &EVP_PKEY_free);
  FilePtr f = open_for_writing(path);
  return ec && f &&
         PEM_write_PrivateKey(f.get(), ec.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
}

bool write_certificates_pem(const std::string& path, std::span<const crypto::Der> chain) {
  FilePtr f = open_for_writing(path);
  if (!f) {
    return false;
  }
  for (const crypto::Der& der : chain) {
    const unsigned char* p = der.data();
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        d2i_X509(nullptr, &p, static_cast<long>(der.size())), &X509_free);
    if (!cert || PEM_write_X509(f.get(), cert.get()) != 1) {
      return false;
    }
  }
  return true;
}

bool write_file(const std::string& path, std::string_view contents) {
  std::ofstream out(path, std::ios::binary);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  return static_cast<bool>(out);
}

}  // namespace cpddi::unit
