#include "crypto/cmac.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/ossl_ptr.h"
#include "crypto/secret_bytes.h"

namespace cpddi::crypto {

Result<CmacTag> aes_cmac(std::span<const std::uint8_t> key,
                         std::span<const std::uint8_t> message) {
  const char* cipher = nullptr;
  switch (key.size()) {
    case 16: cipher = "AES-128-CBC"; break;
    case 24: cipher = "AES-192-CBC"; break;
    case 32: cipher = "AES-256-CBC"; break;
    default: return Error{Errc::kInvalidArgument, "AES-CMAC key must be 16, 24 or 32 bytes"};
  }
  MacPtr mac(EVP_MAC_fetch(nullptr, "CMAC", nullptr));
  if (!mac) {
    return Error{Errc::kInternal, "CMAC is not available in this OpenSSL"};
  }
  MacCtxPtr ctx(EVP_MAC_CTX_new(mac.get()));
  if (!ctx) {
    return Error{Errc::kOutOfMemory, "EVP_MAC_CTX_new failed"};
  }
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, const_cast<char*>(cipher), 0),
      OSSL_PARAM_construct_end()};
  CmacTag tag{};
  std::size_t tag_len = 0;
  if (EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), message.data(), message.size()) != 1 ||
      EVP_MAC_final(ctx.get(), tag.data(), &tag_len, tag.size()) != 1 || tag_len != tag.size()) {
    return Error{Errc::kInternal, "AES-CMAC failed"};
  }
  return tag;
}

Result<bool> aes_cmac_verify(std::span<const std::uint8_t> key,
                             std::span<const std::uint8_t> message,
                             std::span<const std::uint8_t> tag) {
  if (tag.empty() || tag.size() > 16) {
    return Error{Errc::kInvalidArgument, "AES-CMAC tag must be 1 to 16 bytes"};
  }
  Result<CmacTag> expected = aes_cmac(key, message);
  if (!expected) {
    return expected.error();
  }
  const bool equal = constant_time_equal(expected->data(), tag.data(), tag.size());
  cleanse(expected->data(), expected->size());
  return equal;
}

}  // namespace cpddi::crypto
