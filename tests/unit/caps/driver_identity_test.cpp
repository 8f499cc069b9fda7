// DriverIdentity (src/caps/driver_identity.h, spec §7.5, §7.7): a fresh RSA-2048 leaf certified
// by the process's test root, or a pinned key and chain loaded from PEM files and checked to
// match and be RSA-2048.
#include "caps/driver_identity.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/pem_files.h"
#include "common/test_keys.h"
#include "crypto/random.h"

namespace cpddi::caps {
namespace {

using crypto::Der;
using crypto::RsaPrivateKey;
using crypto::RsaPublicKey;
using crypto::TestKey;
using crypto::test_rsa_key;

const std::vector<std::uint8_t> kSessionKey(16, 0x3C);

// The identity's private key decrypts what its leaf certificate's public key encrypts.
void expect_key_matches_leaf(const DriverIdentity& identity) {
  Result<RsaPublicKey> leaf = RsaPublicKey::from_certificate_der(identity.chain().front());
  ASSERT_TRUE(leaf);
  Result<RsaPublicKey> own = identity.private_key()->public_key();
  ASSERT_TRUE(own);
  EXPECT_TRUE(leaf->same_key_as(*own));
  Result<std::vector<std::uint8_t>> ct = leaf->oaep_encrypt(crypto::kKeyExchangeOaep, kSessionKey);
  ASSERT_TRUE(ct);
  Result<crypto::SecureBuffer> pt = identity.private_key()->oaep_decrypt(crypto::kKeyExchangeOaep,
                                                                         *ct);
  ASSERT_TRUE(pt);
  EXPECT_EQ(std::vector<std::uint8_t>(pt->begin(), pt->end()), kSessionKey);
}

// The two GETCERTIFICATE containers hold the chain.
void expect_containers_hold_chain(const DriverIdentity& identity) {
  EXPECT_EQ(identity.certificate(CertificateContainer::kX509Leaf), identity.chain().front());
  Result<std::vector<Der>> parsed =
      crypto::parse_certificate_container(identity.certificate(CertificateContainer::kPkcs7));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, identity.chain());
}

class DriverIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override { crypto::testing::fail_random_after(-1); }
  void TearDown() override { crypto::testing::fail_random_after(-1); }

  // Writes `key` and a self-signed certificate for `cert_key` (the same key unless told
  // otherwise) to the temp dir; returns the source naming both files.
  IdentitySource write_pinned(const RsaPrivateKey& key, const RsaPrivateKey& cert_key) {
    Result<Der> cert = crypto::make_certificate(cert_key, "pinned", cert_key, {}, true);
    EXPECT_TRUE(cert);
    IdentitySource source{dir_.file("key.pem"), dir_.file("cert.pem")};
    EXPECT_TRUE(unit::write_private_key_pem(source.key_pem_path, key));
    EXPECT_TRUE(unit::write_certificates_pem(source.certificate_pem_path,
                                             std::vector<Der>{cert ? *cert : Der{}}));
    return source;
  }

  // A leaf certificate for TestKey::kLeaf issued by a self-signed root for TestKey::kRoot, and
  // the files a pinned identity reads: the leaf's key and both certificates in `order`.
  enum class Order { kLeafFirst, kRootFirst };
  struct PinnedChain {
    Der leaf;
    Der root;
    IdentitySource source;
  };
  void write_pinned_chain(Order order, PinnedChain* chain) {
    const RsaPrivateKey& root_key = test_rsa_key(TestKey::kRoot);
    const RsaPrivateKey& leaf_key = test_rsa_key(TestKey::kLeaf);
    Result<Der> root = crypto::make_certificate(root_key, "pinned root", root_key, {}, true);
    ASSERT_TRUE(root);
    Result<Der> leaf = crypto::make_certificate(leaf_key, "pinned leaf", root_key, *root, false);
    ASSERT_TRUE(leaf);
    chain->leaf = *leaf;
    chain->root = *root;
    chain->source = IdentitySource{dir_.file("key.pem"), dir_.file("chain.pem")};
    ASSERT_TRUE(unit::write_private_key_pem(chain->source.key_pem_path, leaf_key));
    ASSERT_TRUE(unit::write_certificates_pem(chain->source.certificate_pem_path,
                                             order == Order::kLeafFirst
                                                 ? std::vector<Der>{*leaf, *root}
                                                 : std::vector<Der>{*root, *leaf}));
  }

  unit::TempDir dir_;
};

// ---- Fresh ----

TEST_F(DriverIdentityTest, FreshIdentityIsALeafCertifiedByTheTestRoot) {
  Result<std::shared_ptr<const DriverIdentity>> identity = DriverIdentity::create({});
  ASSERT_TRUE(identity) << identity.error().reason;
  const DriverIdentity& id = **identity;

  ASSERT_EQ(id.chain().size(), 2u);
  const Der& leaf = id.chain()[0];
  const Der& root = id.chain()[1];
  EXPECT_TRUE(crypto::verify_issued_by(leaf, root));
  EXPECT_TRUE(crypto::verify_issued_by(root, root));
  EXPECT_FALSE(crypto::verify_issued_by(root, leaf));
  EXPECT_TRUE(crypto::verify_validity_period(leaf));
  EXPECT_EQ(*crypto::certificate_common_name(root), "cpddi test root");
  EXPECT_EQ(*crypto::certificate_common_name(leaf), "cpddi crypto session");
  EXPECT_EQ(id.private_key()->bits(), 2048);
  EXPECT_EQ(id.private_key()->modulus_len(), 256u);
  expect_key_matches_leaf(id);
  expect_containers_hold_chain(id);
}

TEST_F(DriverIdentityTest, FreshIdentitiesShareTheRootButNotTheLeafKey) {
  Result<std::shared_ptr<const DriverIdentity>> a = DriverIdentity::create({});
  Result<std::shared_ptr<const DriverIdentity>> b = DriverIdentity::create({});
  ASSERT_TRUE(a && b);
  EXPECT_EQ((*a)->chain()[1], (*b)->chain()[1]);
  EXPECT_NE((*a)->chain()[0], (*b)->chain()[0]);
  Result<RsaPublicKey> ka = (*a)->private_key()->public_key();
  Result<RsaPublicKey> kb = (*b)->private_key()->public_key();
  ASSERT_TRUE(ka && kb);
  EXPECT_FALSE(ka->same_key_as(*kb));
  EXPECT_TRUE(crypto::verify_issued_by((*b)->chain()[0], (*a)->chain()[1]));
}

TEST_F(DriverIdentityTest, FreshIdentityFailsWithInternalWhenTheRngFailsThenRecovers) {
  crypto::testing::fail_random_after(0);
  Result<std::shared_ptr<const DriverIdentity>> failed = DriverIdentity::create({});
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Errc::kInternal);

  crypto::testing::fail_random_after(-1);
  Result<std::shared_ptr<const DriverIdentity>> ok = DriverIdentity::create({});
  ASSERT_TRUE(ok) << ok.error().reason;
  EXPECT_EQ((*ok)->chain().size(), 2u);
  EXPECT_TRUE(crypto::verify_issued_by((*ok)->chain()[0], (*ok)->chain()[1]));
}

// ---- Pinned ----

TEST_F(DriverIdentityTest, PinnedIdentityLoadsTheKeyAndCertificate) {
  const RsaPrivateKey& key = test_rsa_key(TestKey::kLeaf);
  const IdentitySource source = write_pinned(key, key);

  Result<std::shared_ptr<const DriverIdentity>> identity = DriverIdentity::create(source);
  ASSERT_TRUE(identity) << identity.error().reason;
  const DriverIdentity& id = **identity;

  Result<std::vector<Der>> written = crypto::load_pem_certificates(source.certificate_pem_path);
  ASSERT_TRUE(written);
  EXPECT_EQ(id.chain(), *written);
  ASSERT_EQ(id.chain().size(), 1u);
  Result<RsaPublicKey> loaded = id.private_key()->public_key();
  Result<RsaPublicKey> expected = key.public_key();
  ASSERT_TRUE(loaded && expected);
  EXPECT_TRUE(loaded->same_key_as(*expected));
  EXPECT_EQ(id.private_key()->bits(), 2048);
  expect_key_matches_leaf(id);
  expect_containers_hold_chain(id);
}

TEST_F(DriverIdentityTest, PinnedChainKeepsItsOrder) {
  PinnedChain chain;
  ASSERT_NO_FATAL_FAILURE(write_pinned_chain(Order::kLeafFirst, &chain));
  Result<std::shared_ptr<const DriverIdentity>> identity = DriverIdentity::create(chain.source);
  ASSERT_TRUE(identity) << identity.error().reason;
  EXPECT_EQ((*identity)->chain(), (std::vector<Der>{chain.leaf, chain.root}));
  expect_key_matches_leaf(**identity);
  expect_containers_hold_chain(**identity);
}

TEST_F(DriverIdentityTest, PinnedKeyThatDoesNotMatchTheCertificateIsRejected) {
  const IdentitySource source =
      write_pinned(test_rsa_key(TestKey::kLeaf), test_rsa_key(TestKey::kOther));
  Result<std::shared_ptr<const DriverIdentity>> identity = DriverIdentity::create(source);
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().code, Errc::kInvalidArgument);
  EXPECT_STREQ(identity.error().reason,
               "the first certificate of the PEM file does not match the identity key");
}

TEST_F(DriverIdentityTest, PinnedChainWhoseLeafIsNotFirstIsRejected) {
  PinnedChain chain;
  ASSERT_NO_FATAL_FAILURE(write_pinned_chain(Order::kRootFirst, &chain));
  Result<std::shared_ptr<const DriverIdentity>> identity = DriverIdentity::create(chain.source);
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().code, Errc::kInvalidArgument);
}

TEST_F(DriverIdentityTest, OnlyOneOfTheTwoPathsIsRejected) {
  const RsaPrivateKey& key = test_rsa_key(TestKey::kLeaf);
  const IdentitySource both = write_pinned(key, key);

  for (const IdentitySource& source : {IdentitySource{both.key_pem_path, ""},
                                       IdentitySource{"", both.certificate_pem_path}}) {
    Result<std::shared_ptr<const DriverIdentity>> identity = DriverIdentity::create(source);
    ASSERT_FALSE(identity);
    EXPECT_EQ(identity.error().code, Errc::kInvalidArgument);
    EXPECT_STREQ(identity.error().reason,
                 "a pinned identity needs both the key and the certificate PEM file");
  }
  EXPECT_TRUE(DriverIdentity::create(both));  // the control: both files are fine together
}

TEST_F(DriverIdentityTest, Non2048BitKeyIsRejected) {
  Result<RsaPrivateKey> small = RsaPrivateKey::generate(1024);
  ASSERT_TRUE(small);
  const IdentitySource source = write_pinned(*small, *small);
  Result<std::shared_ptr<const DriverIdentity>> identity = DriverIdentity::create(source);
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().code, Errc::kInvalidArgument);
  EXPECT_STREQ(identity.error().reason, "the identity key must be RSA-2048");
}

TEST_F(DriverIdentityTest, MissingOrBrokenFilesAreRejected) {
  const RsaPrivateKey& key = test_rsa_key(TestKey::kLeaf);
  const IdentitySource good = write_pinned(key, key);
  ASSERT_TRUE(unit::write_ec_private_key_pem(dir_.file("ec.pem")));
  ASSERT_TRUE(unit::write_file(dir_.file("junk.pem"), "junk\n"));

  const std::vector<std::pair<const char*, IdentitySource>> cases = {
      {"missing key", {dir_.file("nope.pem"), good.certificate_pem_path}},
      {"missing certificate", {good.key_pem_path, dir_.file("nope.pem")}},
      {"EC key", {dir_.file("ec.pem"), good.certificate_pem_path}},
      {"junk key", {dir_.file("junk.pem"), good.certificate_pem_path}},
      {"junk certificate", {good.key_pem_path, dir_.file("junk.pem")}},
      {"key file as certificate", {good.key_pem_path, good.key_pem_path}},
      {"certificate file as key", {good.certificate_pem_path, good.certificate_pem_path}},
  };
  for (const auto& [name, source] : cases) {
    SCOPED_TRACE(name);
    Result<std::shared_ptr<const DriverIdentity>> identity = DriverIdentity::create(source);
    ASSERT_FALSE(identity);
    EXPECT_EQ(identity.error().code, Errc::kInvalidArgument);
  }
}

}  // namespace
}  // namespace cpddi::caps
