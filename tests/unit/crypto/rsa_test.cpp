// RsaPrivateKey / RsaPublicKey and RSAES-OAEP (src/crypto/rsa.h, spec §7.5, CONVENTIONS §5): the
// key exchange's SHA-512 / MGF1-SHA-512 / empty-label parameters, and one indistinguishable
// failure for every decryption error.
#include "crypto/rsa.h"

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <gtest/gtest.h>

#include "support/pem_files.h"
#include "crypto/rsa_internal.h"
#include "common/test_keys.h"
#include "crypto/x509.h"

namespace cpddi::crypto {
namespace {

using Bytes = std::vector<std::uint8_t>;

const RsaPrivateKey& shared_key() { return test_rsa_key(TestKey::kLeaf); }

const Bytes kSessionKey = {0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87,
                           0x98, 0xa9, 0xba, 0xcb, 0xdc, 0xed, 0xfe, 0x0f};

Bytes encrypt(const RsaPrivateKey& key, const OaepParams& params, const Bytes& plaintext) {
  Result<RsaPublicKey> pub = key.public_key();
  EXPECT_TRUE(pub);
  if (!pub) {
    return {};
  }
  Result<Bytes> ct = pub->oaep_encrypt(params, plaintext);
  EXPECT_TRUE(ct) << (ct ? "" : ct.error().reason);
  return ct ? *ct : Bytes{};
}

// RSA-OAEP encryption by OpenSSL directly, with the given digests: an independent encoder.
Bytes openssl_encrypt(const RsaPrivateKey& key, const EVP_MD* md, const EVP_MD* mgf1,
                      const Bytes& plaintext) {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_pkey(nullptr, key.impl().pkey.get(), nullptr), &EVP_PKEY_CTX_free);
  EXPECT_EQ(EVP_PKEY_encrypt_init(ctx.get()), 1);
  EXPECT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING), 1);
  EXPECT_EQ(EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), md), 1);
  EXPECT_EQ(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), mgf1), 1);
  std::size_t len = 512;
  Bytes out(len);
  EXPECT_EQ(EVP_PKEY_encrypt(ctx.get(), out.data(), &len, plaintext.data(), plaintext.size()), 1);
  out.resize(len);
  return out;
}

TEST(RsaKeyTest, GenerateMakesA2048BitKey) {
  EXPECT_EQ(shared_key().bits(), 2048);
  EXPECT_EQ(shared_key().modulus_len(), 256u);
  Result<RsaPublicKey> pub = shared_key().public_key();
  ASSERT_TRUE(pub);
  EXPECT_EQ(pub->bits(), 2048);
}

TEST(RsaKeyTest, GeneratedKeysDiffer) {
  Result<RsaPrivateKey> other = RsaPrivateKey::generate(1024);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->bits(), 1024);
  EXPECT_EQ(other->modulus_len(), 128u);
  Result<RsaPublicKey> a = shared_key().public_key();
  Result<RsaPublicKey> b = other->public_key();
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(a->same_key_as(*b));
  EXPECT_TRUE(a->same_key_as(*a));
}

TEST(RsaKeyTest, PublicKeyHoldsNoPrivateMaterial) {
  Result<RsaPublicKey> pub = shared_key().public_key();
  ASSERT_TRUE(pub);
  BIGNUM* d = nullptr;
  EXPECT_EQ(EVP_PKEY_get_bn_param(pub->impl().pkey.get(), "d", &d), 0);
  BN_free(d);
}

TEST(RsaOaepTest, KeyExchangeParametersRoundTrip) {
  const Bytes ct = encrypt(shared_key(), kKeyExchangeOaep, kSessionKey);
  ASSERT_EQ(ct.size(), 256u);
  Result<SecureBuffer> pt = shared_key().oaep_decrypt(kKeyExchangeOaep, ct);
  ASSERT_TRUE(pt) << pt.error().reason;
  EXPECT_EQ(Bytes(pt->begin(), pt->end()), kSessionKey);
}

TEST(RsaOaepTest, EncryptionIsRandomised) {
  EXPECT_NE(encrypt(shared_key(), kKeyExchangeOaep, kSessionKey),
            encrypt(shared_key(), kKeyExchangeOaep, kSessionKey));
}

TEST(RsaOaepTest, KeyExchangeParametersAreSha512WithMgf1Sha512) {
  // An independent SHA-512/SHA-512 encoder is understood...
  const Bytes ct = openssl_encrypt(shared_key(), EVP_sha512(), EVP_sha512(), kSessionKey);
  Result<SecureBuffer> pt = shared_key().oaep_decrypt(kKeyExchangeOaep, ct);
  ASSERT_TRUE(pt);
  EXPECT_EQ(Bytes(pt->begin(), pt->end()), kSessionKey);
  // ...and other digests are not.
  for (const auto& [md, mgf1] : {std::pair{EVP_sha1(), EVP_sha1()},
                                 std::pair{EVP_sha256(), EVP_sha256()},
                                 std::pair{EVP_sha512(), EVP_sha1()},
                                 std::pair{EVP_sha256(), EVP_sha512()}}) {
    EXPECT_FALSE(shared_key().oaep_decrypt(kKeyExchangeOaep,
                                           openssl_encrypt(shared_key(), md, mgf1, kSessionKey)))
        << EVP_MD_get0_name(md) << "/" << EVP_MD_get0_name(mgf1);
  }
}

TEST(RsaOaepTest, OtherParametersRoundTripWithALabel) {
  const std::uint8_t label[] = {'c', 'p', 'd', 'd', 'i'};
  const OaepParams params{HashAlgorithm::kSha256, HashAlgorithm::kSha1, label};
  const Bytes ct = encrypt(shared_key(), params, kSessionKey);
  Result<SecureBuffer> pt = shared_key().oaep_decrypt(params, ct);
  ASSERT_TRUE(pt);
  EXPECT_EQ(Bytes(pt->begin(), pt->end()), kSessionKey);
  EXPECT_FALSE(shared_key().oaep_decrypt(OaepParams{HashAlgorithm::kSha256,
                                                    HashAlgorithm::kSha1, {}},
                                         ct));  // label missing
}

TEST(RsaOaepTest, PlaintextLimitIs126BytesForSha512) {
  EXPECT_EQ(encrypt(shared_key(), kKeyExchangeOaep, Bytes(126, 0x42)).size(), 256u);
  Result<RsaPublicKey> pub = shared_key().public_key();
  ASSERT_TRUE(pub);
  Result<Bytes> too_long = pub->oaep_encrypt(kKeyExchangeOaep, Bytes(127, 0x42));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, Errc::kInvalidArgument);
}

TEST(RsaOaepTest, EmptyPlaintextRoundTrips) {
  const Bytes ct = encrypt(shared_key(), kKeyExchangeOaep, Bytes{});
  Result<SecureBuffer> pt = shared_key().oaep_decrypt(kKeyExchangeOaep, ct);
  ASSERT_TRUE(pt);
  EXPECT_TRUE(pt->empty());
}

TEST(RsaOaepTest, EveryDecryptionFailureGivesTheSameCodeAndReason) {
  const Bytes good = encrypt(shared_key(), kKeyExchangeOaep, kSessionKey);
  ASSERT_EQ(good.size(), 256u);
  const RsaPrivateKey& other_key = test_rsa_key(TestKey::kOther);

  struct Case {
    const char* name;
    Bytes ciphertext;
    OaepParams params = kKeyExchangeOaep;
  };
  std::vector<Case> cases;
  Bytes tampered_first = good;
  tampered_first[0] ^= 0x01;
  cases.push_back({"tampered first byte", tampered_first});
  Bytes tampered_last = good;
  tampered_last[255] ^= 0x80;
  cases.push_back({"tampered last byte", tampered_last});
  cases.push_back({"one byte short", Bytes(good.begin(), good.end() - 1)});
  Bytes one_long = good;
  one_long.push_back(0);
  cases.push_back({"one byte long", one_long});
  cases.push_back({"128 bytes", Bytes(good.begin(), good.begin() + 128)});
  cases.push_back({"all zero", Bytes(256, 0x00)});
  cases.push_back({"all 0xff (not below the modulus)", Bytes(256, 0xff)});
  cases.push_back({"wrong OAEP digest", good, OaepParams{HashAlgorithm::kSha256,
                                                         HashAlgorithm::kSha256, {}}});
  cases.push_back({"other key's ciphertext", encrypt(other_key, kKeyExchangeOaep, kSessionKey)});
  cases.push_back({"SHA-1 encoded", openssl_encrypt(shared_key(), EVP_sha1(), EVP_sha1(),
                                                    kSessionKey)});

  std::set<std::string> reasons;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<SecureBuffer> pt = shared_key().oaep_decrypt(c.params, c.ciphertext);
    ASSERT_FALSE(pt);
    EXPECT_EQ(pt.error().code, Errc::kInvalidArgument);
    reasons.insert(pt.error().reason);
  }
  EXPECT_EQ(reasons.size(), 1u) << "reasons differ: " << ::testing::PrintToString(reasons);

  // The key is still usable after all those failures.
  Result<SecureBuffer> pt = shared_key().oaep_decrypt(kKeyExchangeOaep, good);
  ASSERT_TRUE(pt);
  EXPECT_EQ(Bytes(pt->begin(), pt->end()), kSessionKey);
}

TEST(RsaKeyTest, FromPkcs8DerLoadsTheKey) {
  unsigned char* der = nullptr;
  const int len = i2d_PrivateKey(shared_key().impl().pkey.get(), &der);
  ASSERT_GT(len, 0);
  Bytes bytes(der, der + len);
  OPENSSL_free(der);

  Result<RsaPrivateKey> loaded = RsaPrivateKey::from_pkcs8_der(bytes);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->bits(), 2048);
  const Bytes ct = encrypt(shared_key(), kKeyExchangeOaep, kSessionKey);
  Result<SecureBuffer> pt = loaded->oaep_decrypt(kKeyExchangeOaep, ct);
  ASSERT_TRUE(pt);
  EXPECT_EQ(Bytes(pt->begin(), pt->end()), kSessionKey);
}

TEST(RsaKeyTest, FromPkcs8DerRejectsGarbage) {
  for (const Bytes& garbage : {Bytes{}, Bytes{0x30, 0x03, 0x02, 0x01, 0x00}, Bytes(300, 0x41)}) {
    Result<RsaPrivateKey> loaded = RsaPrivateKey::from_pkcs8_der(garbage);
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().code, Errc::kInvalidArgument);
  }
}

TEST(RsaKeyTest, FromPemFileLoadsPkcs8AndPkcs1Keys) {
  unit::TempDir dir;
  ASSERT_TRUE(unit::write_private_key_pem(dir.file("pkcs8.pem"), shared_key()));
  ASSERT_TRUE(unit::write_rsa_private_key_pem(dir.file("pkcs1.pem"), shared_key()));
  Result<RsaPublicKey> expected = shared_key().public_key();
  ASSERT_TRUE(expected);

  for (const char* name : {"pkcs8.pem", "pkcs1.pem"}) {
    SCOPED_TRACE(name);
    Result<RsaPrivateKey> loaded = RsaPrivateKey::from_pem_file(dir.file(name));
    ASSERT_TRUE(loaded) << loaded.error().reason;
    EXPECT_EQ(loaded->bits(), 2048);
    Result<RsaPublicKey> pub = loaded->public_key();
    ASSERT_TRUE(pub);
    EXPECT_TRUE(pub->same_key_as(*expected));
  }
}

TEST(RsaKeyTest, FromPemFileRejectsMissingNonKeyAndNonRsaFiles) {
  unit::TempDir dir;
  ASSERT_TRUE(unit::write_ec_private_key_pem(dir.file("ec.pem")));
  ASSERT_TRUE(unit::write_file(dir.file("text.pem"), "not a key\n"));
  ASSERT_TRUE(unit::write_file(dir.file("empty.pem"), ""));

  for (const char* name : {"missing.pem", "ec.pem", "text.pem", "empty.pem"}) {
    SCOPED_TRACE(name);
    Result<RsaPrivateKey> loaded = RsaPrivateKey::from_pem_file(dir.file(name));
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().code, Errc::kInvalidArgument);
  }
}

TEST(RsaPublicKeyTest, FromCertificateDerTakesTheSubjectKey) {
  Result<Der> cert = make_certificate(shared_key(), "leaf", shared_key(), {}, false);
  ASSERT_TRUE(cert);
  Result<RsaPublicKey> from_cert = RsaPublicKey::from_certificate_der(*cert);
  Result<RsaPublicKey> expected = shared_key().public_key();
  ASSERT_TRUE(from_cert && expected);
  EXPECT_TRUE(from_cert->same_key_as(*expected));
  EXPECT_EQ(from_cert->bits(), 2048);
}

TEST(RsaPublicKeyTest, FromCertificateDerRejectsGarbage) {
  for (const Bytes& garbage : {Bytes{}, Bytes(10, 0x30), Bytes{0x30, 0x82, 0x01}}) {
    Result<RsaPublicKey> key = RsaPublicKey::from_certificate_der(garbage);
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error().code, Errc::kInvalidArgument);
  }
}

}  // namespace
}  // namespace cpddi::crypto
