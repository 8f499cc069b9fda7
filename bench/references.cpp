// The references: what the same bytes cost without cpddi — raw OpenSSL called as an application
// calls it, and memcpy. Each is as lean as a careful caller would write it, so a ratio near 1
// means cpddi adds nothing on top of the primitive.
#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include <cstdio>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "bench/workloads.h"
#include "conform/session.h"

namespace cpddi::bench {
namespace {

class EvpAes128CtrReference final : public Workload {
 public:
  explicit EvpAes128CtrReference(std::uint64_t len)
      : ctx_(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free),
        in_(conform::pattern_bytes(len, 4)),
        out_(len) {
    conform::require(len <= INT_MAX, "at most INT_MAX bytes per EVP_EncryptUpdate",
                     std::to_string(len));
    conform::require(ctx_ && EVP_EncryptInit_ex(ctx_.get(), EVP_aes_128_ctr(), nullptr,
                                                conform::kTestKey.data(), nullptr) == 1,
                     "EVP_EncryptInit_ex(aes-128-ctr)", "failure");
  }
  void run_once() override {
    // A new counter block per iteration, as every blt starts from its own IV.
    const conform::Iv iv = conform::make_iv(++iv_);
    int out_len = 0;
    conform::require(
        EVP_EncryptInit_ex(ctx_.get(), nullptr, nullptr, nullptr, iv.data()) == 1 &&
            EVP_EncryptUpdate(ctx_.get(), out_.data(), &out_len, in_.data(),
                              static_cast<int>(in_.size())) == 1,
        "EVP_EncryptUpdate(aes-128-ctr)", "failure");
  }

 private:
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx_;
  conform::Bytes in_;
  conform::Bytes out_;
  std::uint64_t iv_ = 0;
};

class MemcpyReference final : public Workload {
 public:
  explicit MemcpyReference(std::uint64_t len) : in_(conform::pattern_bytes(len, 4)), out_(len) {}
  void run_once() override { std::memcpy(out_.data(), in_.data(), in_.size()); }

 private:
  conform::Bytes in_;
  conform::Bytes out_;
};

class RandBytes16Reference final : public Workload {
 public:
  ~RandBytes16Reference() override { OPENSSL_cleanse(number_, sizeof number_); }
  void run_once() override {
    conform::require(RAND_bytes(number_, sizeof number_) == 1, "RAND_bytes", "failure");
  }

 private:
  unsigned char number_[16] = {};
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;

// The rig's identity key, read from its PEM file as an application holding the key would.
PkeyPtr read_identity_key(const Rig& rig) {
  std::unique_ptr<std::FILE, decltype(&std::fclose)> f(std::fopen(rig.key_pem_path().c_str(), "r"),
                                                        &std::fclose);
  PkeyPtr key(f ? PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr) : nullptr,
              &EVP_PKEY_free);
  conform::require(key != nullptr, "the identity key read from " + rig.key_pem_path(),
                   "a read failure");
  return key;
}

// RSAES-OAEP with SHA-512 and MGF1-SHA-512, empty label (spec §7.5), on a fresh context.
PkeyCtxPtr oaep_context(EVP_PKEY* key, int (*init)(EVP_PKEY_CTX*)) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr), &EVP_PKEY_CTX_free);
  conform::require(ctx && init(ctx.get()) == 1 &&
                       EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) == 1 &&
                       EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), EVP_sha512()) == 1 &&
                       EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha512()) == 1,
                   "an RSA-OAEP (SHA-512) context", "failure");
  return ctx;
}

class RawOaepDecryptReference final : public Workload {
 public:
  explicit RawOaepDecryptReference(const Rig& rig) : pkey_(read_identity_key(rig)) {
    PkeyCtxPtr ctx = oaep_context(pkey_.get(), &EVP_PKEY_encrypt_init);
    std::size_t len = 0;
    conform::require(EVP_PKEY_encrypt(ctx.get(), nullptr, &len, conform::kTestKey.data(),
                                      conform::kTestKey.size()) == 1,
                     "the size of an OAEP blob under the identity key", "failure");
    blob_.resize(len);
    conform::require(EVP_PKEY_encrypt(ctx.get(), blob_.data(), &len, conform::kTestKey.data(),
                                      conform::kTestKey.size()) == 1,
                     "an OAEP blob under the identity key", "failure");
    blob_.resize(len);
  }
  ~RawOaepDecryptReference() override { OPENSSL_cleanse(key_, sizeof key_); }

  void run_once() override {
    PkeyCtxPtr ctx = oaep_context(pkey_.get(), &EVP_PKEY_decrypt_init);
    std::size_t len = sizeof key_;
    conform::require(
        EVP_PKEY_decrypt(ctx.get(), key_, &len, blob_.data(), blob_.size()) == 1 && len == 16,
        "EVP_PKEY_decrypt (RSA-OAEP, SHA-512) of a 16-byte key", "failure");
  }

 private:
  PkeyPtr pkey_;
  std::vector<std::uint8_t> blob_;
  // Room for a whole modulus: EVP_PKEY_decrypt checks the output buffer against the key size.
  unsigned char key_[256] = {};
};

// AES-128-CMAC through EVP_MAC, one one-shot MAC (init with key and cipher, update, final) per
// message length, over bytes of those lengths: the CMACs a channel round trip needs. The MAC
// and its context are made once, as a careful application keeps them.
class RawAesCmacReference final : public Workload {
 public:
  explicit RawAesCmacReference(std::vector<std::size_t> lengths)
      : mac_(EVP_MAC_fetch(nullptr, "CMAC", nullptr), &EVP_MAC_free),
        ctx_(mac_ ? EVP_MAC_CTX_new(mac_.get()) : nullptr, &EVP_MAC_CTX_free),
        lengths_(std::move(lengths)) {
    conform::require(ctx_ != nullptr, "an EVP_MAC CMAC context", "failure");
    std::size_t longest = 0;
    for (std::size_t len : lengths_) {
      longest = std::max(longest, len);
    }
    message_ = conform::pattern_bytes(longest, 5);
  }
  ~RawAesCmacReference() override { OPENSSL_cleanse(tag_, sizeof tag_); }

  void run_once() override {
    for (std::size_t len : lengths_) {
      OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER,
                                                              const_cast<char*>("AES-128-CBC"), 0),
                             OSSL_PARAM_construct_end()};
      std::size_t tag_len = 0;
      conform::require(
          EVP_MAC_init(ctx_.get(), conform::kTestKey.data(), conform::kTestKey.size(), params) ==
                  1 &&
              EVP_MAC_update(ctx_.get(), message_.data(), len) == 1 &&
              EVP_MAC_final(ctx_.get(), tag_, &tag_len, sizeof tag_) == 1 && tag_len == 16,
          "EVP_MAC AES-128-CMAC", "failure");
    }
  }

 private:
  std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac_;
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx_;
  std::vector<std::size_t> lengths_;
  conform::Bytes message_;
  unsigned char tag_[16] = {};
};

}  // namespace

WorkloadPtr make_raw_aes_cmacs(std::vector<std::size_t> lengths) {
  return std::make_unique<RawAesCmacReference>(std::move(lengths));
}

WorkloadPtr make_evp_aes128_ctr(std::uint64_t len) {
  return std::make_unique<EvpAes128CtrReference>(len);
}

WorkloadPtr make_memcpy(std::uint64_t len) { return std::make_unique<MemcpyReference>(len); }

WorkloadPtr make_rand_bytes16() { return std::make_unique<RandBytes16Reference>(); }

WorkloadPtr make_raw_oaep_decrypt(const Rig& rig) {
  return std::make_unique<RawOaepDecryptReference>(rig);
}

}  // namespace cpddi::bench
