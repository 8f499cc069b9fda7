// Certificate containers (src/crypto/x509.h, spec §7.7, §9 A35): the DER PKCS#7 certs-only
// bundle and the single DER leaf that GETCERTIFICATE hands out, and PEM chain files.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/pem_files.h"
#include "common/test_keys.h"
#include "crypto/x509.h"

namespace cpddi::crypto {
namespace {

class CertificateContainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const RsaPrivateKey& root_key = test_rsa_key(TestKey::kRoot);
    const RsaPrivateKey& leaf_key = test_rsa_key(TestKey::kLeaf);
    Result<Der> root = make_certificate(root_key, "container root", root_key, {}, true);
    ASSERT_TRUE(root);
    Result<Der> leaf = make_certificate(leaf_key, "container leaf", root_key, *root, false);
    ASSERT_TRUE(leaf);
    root_ = std::move(*root);
    leaf_ = std::move(*leaf);
  }

  std::vector<Der> chain() const { return {leaf_, root_}; }

  Der root_;
  Der leaf_;
};

TEST_F(CertificateContainerTest, Pkcs7RoundTripsTheChainInOrder) {
  Result<Der> p7 = pkcs7_certs_only(chain());
  ASSERT_TRUE(p7) << p7.error().reason;
  EXPECT_EQ(p7->front(), 0x30);  // a DER SEQUENCE

  Result<std::vector<Der>> parsed = parse_certificate_container(*p7);
  ASSERT_TRUE(parsed) << parsed.error().reason;
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0], leaf_);
  EXPECT_EQ((*parsed)[1], root_);
}

TEST_F(CertificateContainerTest, Pkcs7KeepsReversedOrderToo) {
  Result<Der> p7 = pkcs7_certs_only(std::vector<Der>{root_, leaf_});
  ASSERT_TRUE(p7);
  Result<std::vector<Der>> parsed = parse_certificate_container(*p7);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0], root_);
  EXPECT_EQ((*parsed)[1], leaf_);
}

TEST_F(CertificateContainerTest, Pkcs7OfOneCertificate) {
  Result<Der> p7 = pkcs7_certs_only(std::vector<Der>{leaf_});
  ASSERT_TRUE(p7);
  Result<std::vector<Der>> parsed = parse_certificate_container(*p7);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ(parsed->front(), leaf_);
}

TEST_F(CertificateContainerTest, SingleDerLeafParsesAsAChainOfOne) {
  Result<std::vector<Der>> parsed = parse_certificate_container(leaf_);
  ASSERT_TRUE(parsed) << parsed.error().reason;
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ(parsed->front(), leaf_);
}

TEST_F(CertificateContainerTest, EmptyPkcs7HoldsNoCertificates) {
  Result<Der> p7 = pkcs7_certs_only(std::vector<Der>{});
  ASSERT_TRUE(p7);
  Result<std::vector<Der>> parsed = parse_certificate_container(*p7);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, Errc::kInvalidArgument);
}

TEST_F(CertificateContainerTest, Pkcs7OfGarbageIsRejected) {
  Result<Der> p7 = pkcs7_certs_only(std::vector<Der>{leaf_, Der(30, 0x30)});
  ASSERT_FALSE(p7);
  EXPECT_EQ(p7.error().code, Errc::kInvalidArgument);
}

TEST_F(CertificateContainerTest, GarbageIsNeitherContainer) {
  Result<Der> p7 = pkcs7_certs_only(chain());
  ASSERT_TRUE(p7);
  Der truncated_p7(p7->begin(), p7->end() - 10);
  Der p7_with_trailer = *p7;
  p7_with_trailer.push_back(0x00);
  Der truncated_leaf(leaf_.begin(), leaf_.end() - 1);
  Der leaf_with_trailer = leaf_;
  leaf_with_trailer.push_back(0x00);

  const std::vector<std::pair<const char*, Der>> cases = {
      {"empty", Der{}},
      {"one byte", Der{0x30}},
      {"zeros", Der(64, 0x00)},
      {"text", Der{'h', 'e', 'l', 'l', 'o'}},
      {"truncated PKCS#7", truncated_p7},
      {"PKCS#7 with a trailing byte", p7_with_trailer},
      {"truncated leaf", truncated_leaf},
      {"leaf with a trailing byte", leaf_with_trailer},
  };
  for (const auto& [name, bytes] : cases) {
    SCOPED_TRACE(name);
    Result<std::vector<Der>> parsed = parse_certificate_container(bytes);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, Errc::kInvalidArgument);
  }
}

TEST_F(CertificateContainerTest, LoadPemCertificatesReadsTheFileInOrder) {
  unit::TempDir dir;
  const std::string path = dir.file("chain.pem");
  ASSERT_TRUE(unit::write_certificates_pem(path, chain()));

  Result<std::vector<Der>> loaded = load_pem_certificates(path);
  ASSERT_TRUE(loaded) << loaded.error().reason;
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[0], leaf_);
  EXPECT_EQ((*loaded)[1], root_);
}

TEST_F(CertificateContainerTest, LoadPemCertificatesSkipsAKeyBlockBeforeTheCertificate) {
  unit::TempDir dir;
  const std::string key_path = dir.file("key.pem");
  const std::string cert_path = dir.file("cert.pem");
  ASSERT_TRUE(unit::write_private_key_pem(key_path, test_rsa_key(TestKey::kLeaf)));
  ASSERT_TRUE(unit::write_certificates_pem(cert_path, std::vector<Der>{leaf_}));
  std::string combined;
  for (const std::string& p : {key_path, cert_path}) {
    std::FILE* f = std::fopen(p.c_str(), "rb");
    ASSERT_NE(f, nullptr);
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
      combined.append(buffer, n);
    }
    std::fclose(f);
  }
  ASSERT_TRUE(unit::write_file(dir.file("both.pem"), combined));

  Result<std::vector<Der>> loaded = load_pem_certificates(dir.file("both.pem"));
  ASSERT_TRUE(loaded) << loaded.error().reason;
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->front(), leaf_);
}

TEST_F(CertificateContainerTest, LoadPemCertificatesRejectsFilesWithoutCertificates) {
  unit::TempDir dir;
  ASSERT_TRUE(unit::write_private_key_pem(dir.file("key.pem"), test_rsa_key(TestKey::kLeaf)));
  ASSERT_TRUE(unit::write_file(dir.file("empty.pem"), ""));
  ASSERT_TRUE(unit::write_file(dir.file("text.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n"));

  for (const char* name : {"missing.pem", "key.pem", "empty.pem", "text.pem"}) {
    SCOPED_TRACE(name);
    Result<std::vector<Der>> loaded = load_pem_certificates(dir.file(name));
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().code, Errc::kInvalidArgument);
  }
}

}  // namespace
}  // namespace cpddi::crypto
