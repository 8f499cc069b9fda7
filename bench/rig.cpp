// The Rig: one generated identity pinned into every adapter of a benchmark run. The key is made
// and written as PEM with OpenSSL itself, as an application deploying a driver identity would;
// cpddi::crypto reads it back through its public API (RsaPrivateKey::from_pem_file) only to
// certify it. Nothing here reaches into cpddi's crypto internals.
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>
#include <thread>
#include <utility>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "bench/workloads.h"
#include "conform/session.h"
#include "crypto/rsa.h"
#include "crypto/x509.h"

namespace cpddi::bench {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// A fresh RSA-2048 key, written to `path` as PEM.
void write_new_identity_key(const std::string& path) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), &EVP_PKEY_free);
  conform::require(key != nullptr, "an RSA-2048 key for the benchmark identity",
                   "EVP_RSA_gen failed");
  FilePtr f(std::fopen(path.c_str(), "w"));
  conform::require(f && PEM_write_PrivateKey(f.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                             nullptr) == 1,
                   "the identity key written to " + path, "a write failure");
}

void write_certificate_pem(const std::string& path, const crypto::Der& der) {
  const unsigned char* p = der.data();
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      d2i_X509(nullptr, &p, static_cast<long>(der.size())), &X509_free);
  FilePtr f(std::fopen(path.c_str(), "w"));
  conform::require(cert && f && PEM_write_X509(f.get(), cert.get()) == 1,
                   "the identity certificate written to " + path, "a write failure");
}

}  // namespace

UINT blt_threads_option(BltThreads threads) { return threads == BltThreads::kOne ? 1 : 0; }

std::string blt_threads_label(BltThreads threads) {
  if (threads == BltThreads::kOne) {
    return "1";
  }
  return "all (" + std::to_string(std::thread::hardware_concurrency()) + ")";
}

Rig::Rig(conform::Driver driver) : driver_(driver) {
  std::string pattern = (std::filesystem::temp_directory_path() / "cpddi-bench-XXXXXX").string();
  conform::require(::mkdtemp(pattern.data()) != nullptr,
                   "a private temporary directory for the identity", "mkdtemp failed");
  directory_ = pattern;
  key_path_ = directory_ + "/identity_key.pem";
  cert_path_ = directory_ + "/identity_cert.pem";

  try {
    write_new_identity_key(key_path_);
    Result<crypto::RsaPrivateKey> key = crypto::RsaPrivateKey::from_pem_file(key_path_);
    conform::require(key.has_value(), "the identity key read back", key ? "" : key.error().reason);
    Result<crypto::Der> cert =
        crypto::make_certificate(*key, "cpddi bench identity", *key, {}, /*is_ca=*/false);
    conform::require(cert.has_value(), "a self-signed certificate for the benchmark identity",
                     cert ? "" : cert.error().reason);
    write_certificate_pem(cert_path_, *cert);
  } catch (...) {
    // The destructor does not run for a constructor that throws; the key file must not stay.
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
    throw;
  }
}

Rig::~Rig() {
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::unique_ptr<conform::Adapter> Rig::open_adapter(BltThreads threads, UINT max_sessions) const {
  CPDDI_ADAPTER_OPTIONS options{};
  options.StructSize = sizeof options;
  options.IdentityKeyPemPath = key_path_.c_str();
  options.IdentityCertPemPath = cert_path_.c_str();
  options.MaxSessionsPerDevice = max_sessions;
  options.BltThreadsPerDevice = blt_threads_option(threads);
  return std::make_unique<conform::Adapter>(driver_, &options);
}

}  // namespace cpddi::bench
