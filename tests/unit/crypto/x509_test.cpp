// Certificates (src/crypto/x509.h, spec §7.7): making them, checking who issued them and when
// they are valid. Containers and PEM files are in x509_container_test.cpp.
#include "crypto/x509.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <gtest/gtest.h>

#include "crypto/random.h"
#include "crypto/rsa_internal.h"
#include "common/test_keys.h"

namespace cpddi::crypto {
namespace {

using X509Owner = std::unique_ptr<X509, decltype(&X509_free)>;

X509Owner parse(const Der& der) {
  const unsigned char* p = der.data();
  return X509Owner(d2i_X509(nullptr, &p, static_cast<long>(der.size())), &X509_free);
}

// A self-signed certificate whose validity is [now + not_before_s, now + not_after_s], made with
// OpenSSL directly (make_certificate always starts one day ago).
Der certificate_with_validity(const RsaPrivateKey& key, long not_before_s, long not_after_s) {
  X509Owner cert(X509_new(), &X509_free);
  EVP_PKEY* pkey = key.impl().pkey.get();
  X509_NAME* name = X509_get_subject_name(cert.get());
  const bool ok =
      X509_set_version(cert.get(), 2) == 1 &&
      ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1) == 1 &&
      X509_gmtime_adj(X509_getm_notBefore(cert.get()), not_before_s) != nullptr &&
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), not_after_s) != nullptr &&
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("dated"), -1, -1, 0) == 1 &&
      X509_set_issuer_name(cert.get(), name) == 1 && X509_set_pubkey(cert.get(), pkey) == 1 &&
      X509_sign(cert.get(), pkey, EVP_sha256()) > 0;
  EXPECT_TRUE(ok);
  unsigned char* out = nullptr;
  const int len = i2d_X509(cert.get(), &out);
  EXPECT_GT(len, 0);
  Der der(out, out + len);
  OPENSSL_free(out);
  return der;
}

class CertificateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::fail_random_after(-1);
    Result<Der> root = make_certificate(root_key(), "cpddi unit root", root_key(), {}, true);
    ASSERT_TRUE(root) << root.error().reason;
    root_ = std::move(*root);
    Result<Der> leaf = make_certificate(leaf_key(), "cpddi unit leaf", root_key(), root_, false);
    ASSERT_TRUE(leaf) << leaf.error().reason;
    leaf_ = std::move(*leaf);
  }
  void TearDown() override { testing::fail_random_after(-1); }

  static const RsaPrivateKey& root_key() { return test_rsa_key(TestKey::kRoot); }
  static const RsaPrivateKey& leaf_key() { return test_rsa_key(TestKey::kLeaf); }
  static const RsaPrivateKey& other_key() { return test_rsa_key(TestKey::kOther); }

  Der root_;
  Der leaf_;
};

TEST_F(CertificateTest, SelfSignedRootVerifiesAgainstItself) {
  EXPECT_TRUE(verify_issued_by(root_, root_));
}

TEST_F(CertificateTest, LeafVerifiesAgainstItsRoot) {
  Result<void> r = verify_issued_by(leaf_, root_);
  EXPECT_TRUE(r) << (r ? "" : r.error().reason);
}

TEST_F(CertificateTest, LeafDoesNotVerifyAgainstItself) {
  Result<void> r = verify_issued_by(leaf_, leaf_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
}

TEST_F(CertificateTest, RootDoesNotVerifyAgainstTheLeaf) {
  Result<void> r = verify_issued_by(root_, leaf_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
}

TEST_F(CertificateTest, ImpostorRootWithTheSameNameFailsOnTheSignature) {
  // Same subject name as the real root, different key: the names match, the signature does not.
  Result<Der> impostor = make_certificate(other_key(), "cpddi unit root", other_key(), {}, true);
  ASSERT_TRUE(impostor);
  Result<void> r = verify_issued_by(leaf_, *impostor);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  EXPECT_STREQ(r.error().reason, "the certificate's signature does not verify");
}

TEST_F(CertificateTest, RootWithAnotherNameFailsOnTheName) {
  Result<Der> stranger = make_certificate(root_key(), "someone else", root_key(), {}, true);
  ASSERT_TRUE(stranger);
  Result<void> r = verify_issued_by(leaf_, *stranger);
  ASSERT_FALSE(r);
  EXPECT_STREQ(r.error().reason, "the certificate names another issuer");
}

TEST_F(CertificateTest, TamperedSignatureFails) {
  Der tampered = leaf_;
  tampered[tampered.size() - 5] ^= 0x01;  // inside the signature BIT STRING
  Result<void> r = verify_issued_by(tampered, root_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  EXPECT_TRUE(verify_issued_by(leaf_, root_));  // the original still verifies
}

TEST_F(CertificateTest, GarbageFailsVerification) {
  const Der garbage(100, 0x30);
  EXPECT_FALSE(verify_issued_by(garbage, root_));
  EXPECT_FALSE(verify_issued_by(leaf_, garbage));
  EXPECT_FALSE(verify_issued_by(Der{}, root_));
  Der trailing = leaf_;
  trailing.push_back(0);  // DER with a trailing byte is not one certificate
  EXPECT_FALSE(verify_issued_by(trailing, root_));
}

TEST_F(CertificateTest, CertificateCarriesTheSubjectKey) {
  Result<RsaPublicKey> in_leaf = RsaPublicKey::from_certificate_der(leaf_);
  Result<RsaPublicKey> leaf_pub = leaf_key().public_key();
  Result<RsaPublicKey> root_pub = root_key().public_key();
  ASSERT_TRUE(in_leaf && leaf_pub && root_pub);
  EXPECT_TRUE(in_leaf->same_key_as(*leaf_pub));
  EXPECT_FALSE(in_leaf->same_key_as(*root_pub));
}

TEST_F(CertificateTest, CommonNamesAndIssuerAreSet) {
  Result<std::string> leaf_cn = certificate_common_name(leaf_);
  Result<std::string> root_cn = certificate_common_name(root_);
  ASSERT_TRUE(leaf_cn && root_cn);
  EXPECT_EQ(*leaf_cn, "cpddi unit leaf");
  EXPECT_EQ(*root_cn, "cpddi unit root");

  X509Owner leaf = parse(leaf_);
  X509Owner root = parse(root_);
  ASSERT_TRUE(leaf && root);
  EXPECT_EQ(X509_NAME_cmp(X509_get_issuer_name(leaf.get()), X509_get_subject_name(root.get())), 0);
  EXPECT_EQ(X509_NAME_cmp(X509_get_issuer_name(root.get()), X509_get_subject_name(root.get())), 0);
  EXPECT_EQ(X509_get_version(leaf.get()), 2);  // v3
}

TEST_F(CertificateTest, CaFlagAndKeyUsageFollowIsCa) {
  X509Owner leaf = parse(leaf_);
  X509Owner root = parse(root_);
  ASSERT_TRUE(leaf && root);
  EXPECT_EQ(X509_check_ca(root.get()), 1);
  EXPECT_EQ(X509_check_ca(leaf.get()), 0);
  EXPECT_NE(X509_get_key_usage(root.get()) & KU_KEY_CERT_SIGN, 0u);
  EXPECT_NE(X509_get_key_usage(leaf.get()) & KU_KEY_ENCIPHERMENT, 0u);
  EXPECT_EQ(X509_get_key_usage(leaf.get()) & KU_KEY_CERT_SIGN, 0u);
}

TEST_F(CertificateTest, SerialNumbersArePositiveAndDistinct) {
  Result<Der> again = make_certificate(leaf_key(), "cpddi unit leaf", root_key(), root_, false);
  ASSERT_TRUE(again);
  X509Owner a = parse(leaf_);
  X509Owner b = parse(*again);
  ASSERT_TRUE(a && b);
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(a.get()), X509_get0_serialNumber(b.get())), 0);
  EXPECT_EQ(X509_get0_serialNumber(a.get())->type, V_ASN1_INTEGER);  // not V_ASN1_NEG_INTEGER
}

TEST_F(CertificateTest, MadeCertificatesAreWithinTheirValidityPeriod) {
  EXPECT_TRUE(verify_validity_period(root_));
  EXPECT_TRUE(verify_validity_period(leaf_));
}

TEST_F(CertificateTest, ExpiredCertificateIsOutsideItsValidityPeriod) {
  const Der expired = certificate_with_validity(other_key(), -10L * 24 * 3600, -24L * 3600);
  Result<void> r = verify_validity_period(expired);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
}

TEST_F(CertificateTest, NotYetValidCertificateIsOutsideItsValidityPeriod) {
  const Der future = certificate_with_validity(other_key(), 24L * 3600, 10L * 24 * 3600);
  Result<void> r = verify_validity_period(future);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
}

TEST_F(CertificateTest, CurrentlyValidHandMadeCertificatePasses) {
  // The control for the two tests above: the same builder with "now" inside the period.
  EXPECT_TRUE(verify_validity_period(certificate_with_validity(other_key(), -3600, 3600)));
}

TEST_F(CertificateTest, ValidityOfGarbageFails) {
  Result<void> r = verify_validity_period(Der(50, 0x01));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
}

TEST_F(CertificateTest, GarbageIssuerIsRejected) {
  Result<Der> cert = make_certificate(leaf_key(), "x", root_key(), Der(40, 0x30), false);
  ASSERT_FALSE(cert);
  EXPECT_EQ(cert.error().code, Errc::kInvalidArgument);
}

TEST_F(CertificateTest, RngFailureFailsMakeCertificateWithInternal) {
  testing::fail_random_after(0);
  Result<Der> cert = make_certificate(leaf_key(), "x", root_key(), root_, false);
  ASSERT_FALSE(cert);
  EXPECT_EQ(cert.error().code, Errc::kInternal);
  testing::fail_random_after(-1);
  EXPECT_TRUE(make_certificate(leaf_key(), "x", root_key(), root_, false));
}

TEST_F(CertificateTest, CommonNameOfGarbageFails) {
  EXPECT_FALSE(certificate_common_name(Der(8, 0xff)));
}

}  // namespace
}  // namespace cpddi::crypto
