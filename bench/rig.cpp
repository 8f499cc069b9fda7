// The Rig: one generated identity pinned into every adapter of a benchmark run. The PEM files
// are written with OpenSSL's own PEM_write functions, as tests/support/pem_files.cpp does for the
// unit tests (that library lives in the test tree, which a tools-only build does not configure).
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>
#include <thread>
#include <utility>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "bench/workloads.h"
#include "conform/harness.h"
#include "crypto/rsa_internal.h"
#include "crypto/x509.h"

namespace cpddi::bench {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

crypto::RsaPrivateKey generate_identity_key() {
  Result<crypto::RsaPrivateKey> key = crypto::RsaPrivateKey::generate(2048);
  conform::require(key.has_value(), "an RSA-2048 key for the benchmark identity",
                   key ? "" : key.error().reason);
  return std::move(*key);
}

void write_private_key_pem(const std::string& path, const crypto::RsaPrivateKey& key) {
  FilePtr f(std::fopen(path.c_str(), "w"));
  conform::require(f && PEM_write_PrivateKey(f.get(), key.impl().pkey.get(), nullptr, nullptr, 0,
                                             nullptr, nullptr) == 1,
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

Rig::Rig(conform::Driver driver) : driver_(driver), key_(generate_identity_key()) {
  std::string pattern = (std::filesystem::temp_directory_path() / "cpddi-bench-XXXXXX").string();
  conform::require(::mkdtemp(pattern.data()) != nullptr,
                   "a private temporary directory for the identity", "mkdtemp failed");
  directory_ = pattern;
  key_path_ = directory_ + "/identity_key.pem";
  cert_path_ = directory_ + "/identity_cert.pem";

  try {
    Result<crypto::Der> cert =
        crypto::make_certificate(key_, "cpddi bench identity", key_, {}, /*is_ca=*/false);
    conform::require(cert.has_value(), "a self-signed certificate for the benchmark identity",
                     cert ? "" : cert.error().reason);
    write_private_key_pem(key_path_, key_);
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
