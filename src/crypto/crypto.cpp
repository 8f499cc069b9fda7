#include "crypto/crypto.h"

#include <openssl/crypto.h>

namespace cpddi::crypto {

void cleanse(void* data, std::size_t len) noexcept { OPENSSL_cleanse(data, len); }

bool constant_time_equal(const void* a, const void* b, std::size_t len) noexcept {
  return CRYPTO_memcmp(a, b, len) == 0;
}

}  // namespace cpddi::crypto
