// Wycheproof RSAES-OAEP decryption vectors (2048-bit keys; SHA-1, SHA-256 and SHA-512 with MGF1
// of the same hash) through cpddi::crypto::RsaPrivateKey — the primitive under the key exchange
// (spec §7.5, which uses the SHA-512 parameters with an empty label).

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "crypto/rsa.h"
#include "vector_files.h"

namespace cpddi::testing::vectors {
namespace {

using crypto::HashAlgorithm;

// The flags that occur in the three files at dac1dd4729fd: Normal, EncryptionWithLabel and
// Constructed on valid cases, InvalidOaepPadding and InvalidCiphertext on invalid ones; none of
// the files has an acceptable case. Should one appear, it is decided by these lists: the first
// three describe well-formed ciphertexts a correct OAEP decoder must accept, the last two
// ciphertexts it must reject. Any other flag on an acceptable case fails as undecided.
constexpr std::string_view kSucceedFlags[] = {"Normal", "EncryptionWithLabel", "Constructed"};
constexpr std::string_view kFailFlags[] = {"InvalidOaepPadding", "InvalidCiphertext"};

HashAlgorithm hash_named(const std::string& name) {
  return value_named<HashAlgorithm>(name,
                                    {{"SHA-1", HashAlgorithm::kSha1},
                                     {"SHA-256", HashAlgorithm::kSha256},
                                     {"SHA-512", HashAlgorithm::kSha512}},
                                    "unexpected hash");
}

// JOSE "alg" of an RSA-OAEP JWK (RFC 7518 §4.3); SHA-512 has no registered name.
std::string_view jwk_alg(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::kSha1:
      return "RSA-OAEP";
    case HashAlgorithm::kSha256:
      return "RSA-OAEP-256";
    case HashAlgorithm::kSha512:
      break;
  }
  return "";
}

Bytes strip_leading_zeros(Bytes b) {
  b.erase(b.begin(), std::find_if(b.begin(), b.end(), [](std::uint8_t x) { return x != 0; }));
  return b;
}

// The integers of `privateKey`, in RSAPrivateKey order (RFC 8017 A.1.2).
constexpr const char* kComponents[] = {"modulus",   "publicExponent", "privateExponent",
                                       "prime1",    "prime2",         "exponent1",
                                       "exponent2", "coefficient"};
// The same integers' JWK names (RFC 7518 §6.3).
constexpr const char* kJwkComponents[] = {"n", "e", "d", "p", "q", "dp", "dq", "qi"};

// The key is given four ways; cpddi loads privateKeyPkcs8. The other three are checked to be the
// same key rather than loaded a second time: the PEM's base64 body is the PKCS#8 DER byte for byte,
// each `privateKey` integer occurs in the DER in RSAPrivateKey order (their hex carries the DER
// INTEGER's leading 00 where the top bit is set), and each JWK integer equals the `privateKey` one.
void check_key_encodings(Fields& group, const Bytes& pkcs8, HashAlgorithm hash) {
  const std::string pem = group.string("privateKeyPem");
  constexpr std::string_view kBegin = "-----BEGIN PRIVATE KEY-----";
  constexpr std::string_view kEnd = "-----END PRIVATE KEY-----";
  const std::size_t begin = pem.find(kBegin);
  const std::size_t end = pem.find(kEnd);
  ASSERT_TRUE(begin != std::string::npos && end != std::string::npos && begin < end)
      << "privateKeyPem is not a PRIVATE KEY PEM block";
  const std::size_t body = begin + kBegin.size();
  EXPECT_EQ(to_hex(from_base64(std::string_view(pem).substr(body, end - body))), to_hex(pkcs8))
      << "privateKeyPem is not the PKCS#8 key";

  Fields components = group.object("privateKey");
  Bytes values[std::size(kComponents)];
  auto from = pkcs8.begin();
  for (std::size_t i = 0; i < std::size(kComponents); ++i) {
    values[i] = components.hex(kComponents[i]);
    from = std::search(from, pkcs8.end(), values[i].begin(), values[i].end());
    ASSERT_NE(from, pkcs8.end()) << "privateKey." << kComponents[i] << " is not in the PKCS#8 DER";
    from += static_cast<std::ptrdiff_t>(values[i].size());
  }
  expect_all_read(components);

  if (!group.has("privateKeyJwk")) {
    return;  // the SHA-512 file has no JWK (JOSE names no RSA-OAEP-512)
  }
  Fields jwk = group.object("privateKeyJwk");
  EXPECT_EQ(jwk.string("kty"), "RSA");
  EXPECT_EQ(jwk.string("alg"), jwk_alg(hash));
  jwk.ignore("kid", "a key identifier label (\"none\"), not key material");
  for (std::size_t i = 0; i < std::size(kJwkComponents); ++i) {
    EXPECT_EQ(to_hex(from_base64url(jwk.string(kJwkComponents[i]))),
              to_hex(strip_leading_zeros(values[i])))
        << "privateKeyJwk." << kJwkComponents[i] << " differs from privateKey";
  }
  expect_all_read(jwk);
}

struct OaepFileResult {
  std::size_t num_cases = 0;
  std::size_t num_decrypted = 0;
  std::size_t num_rejected = 0;
};

// Runs one OAEP file whose groups must all use `expected` for the hash and MGF1 hash.
OaepFileResult run_oaep_file(std::string_view path, HashAlgorithm expected) {
  OaepFileResult out;
  // Every rejection must look the same (rsa.h: no padding oracle), whatever the flag.
  std::optional<Error> first_error;
  const WycheproofFile file{path,
                            "RSAES-OAEP",
                            "rsaes_oaep_decrypt_schema_v1.json",
                            "RsaesOaepDecrypt",
                            {kSucceedFlags, kFailFlags}};
  const WycheproofSummary summary = run_wycheproof(file, [&](Fields& group) -> CaseRunner {
    const HashAlgorithm hash = hash_named(group.string("sha"));
    if (group.string("mgf") != "MGF1") {
      throw FormatError("mgf is not MGF1");
    }
    const HashAlgorithm mgf1_hash = hash_named(group.string("mgfSha"));
    if (hash != expected || mgf1_hash != expected) {
      throw FormatError("sha/mgfSha differ from what the file name promises");
    }
    const Bytes pkcs8 = group.hex("privateKeyPkcs8");
    check_key_encodings(group, pkcs8, hash);
    Result<crypto::RsaPrivateKey> loaded = crypto::RsaPrivateKey::from_pkcs8_der(pkcs8);
    if (!loaded) {
      throw FormatError(std::string("privateKeyPkcs8 does not load: ") + loaded.error().reason);
    }
    auto key = std::make_shared<crypto::RsaPrivateKey>(std::move(*loaded));
    if (group.integer("keySize") != key->bits()) {
      throw FormatError("keySize differs from the key's modulus size");
    }
    return [&out, &first_error, key, hash, mgf1_hash](WycheproofCase& c) {
      const Bytes msg = c.test.hex("msg");
      const Bytes ct = c.test.hex("ct");
      const Bytes label = c.test.hex("label");
      const Result<crypto::SecureBuffer> plain =
          key->oaep_decrypt(crypto::OaepParams{hash, mgf1_hash, label}, ct);
      ++out.num_cases;
      if (c.expect_success) {
        ASSERT_TRUE(plain.has_value()) << "decryption failed: " << plain.error().reason;
        EXPECT_EQ(to_hex(*plain), to_hex(msg));
        ++out.num_decrypted;
        return;
      }
      ASSERT_FALSE(plain.has_value()) << "an invalid ciphertext decrypted to " << to_hex(*plain);
      ++out.num_rejected;
      if (!first_error) {
        first_error = plain.error();
      }
      EXPECT_EQ(plain.error().code, first_error->code) << "rejections differ in their code";
      EXPECT_STREQ(plain.error().reason, first_error->reason) << "rejections differ in reason";
    };
  });
  EXPECT_EQ(out.num_cases, summary.num_cases) << "some case did not reach the runner";
  return out;
}

TEST(WycheproofRsaOaepTest, Sha1Mgf1Sha1DecryptsValidAndRejectsInvalid) {
  const OaepFileResult r =
      run_oaep_file("wycheproof/rsa_oaep_2048_sha1_mgf1sha1_test.json", HashAlgorithm::kSha1);
  EXPECT_GT(r.num_decrypted, 0u);
  EXPECT_GT(r.num_rejected, 0u);
}

TEST(WycheproofRsaOaepTest, Sha256Mgf1Sha256DecryptsValidAndRejectsInvalid) {
  const OaepFileResult r =
      run_oaep_file("wycheproof/rsa_oaep_2048_sha256_mgf1sha256_test.json", HashAlgorithm::kSha256);
  EXPECT_GT(r.num_decrypted, 0u);
  EXPECT_GT(r.num_rejected, 0u);
}

// The key exchange's own parameters (spec §7.5).
TEST(WycheproofRsaOaepTest, Sha512Mgf1Sha512DecryptsValidAndRejectsInvalid) {
  const OaepFileResult r =
      run_oaep_file("wycheproof/rsa_oaep_2048_sha512_mgf1sha512_test.json", HashAlgorithm::kSha512);
  EXPECT_GT(r.num_decrypted, 0u);
  EXPECT_GT(r.num_rejected, 0u);
}

}  // namespace
}  // namespace cpddi::testing::vectors
