#pragma once

// Crypto — the primitives cpddi uses, and the only component that includes OpenSSL (in its .cpp
// files and its private headers ossl_ptr.h and rsa_internal.h). Owns: AES-128-CTR keystreams and
// single-block AES-128-ECB key wrap (aes.h), AES-CMAC (cmac.h), RSA keys and RSAES-OAEP (rsa.h),
// X.509 and PKCS#7 certificate containers (x509.h), RAND_bytes (random.h), the self-wiping
// SecretBytes (secret_bytes.h) and cleansing buffers (cleansing_allocator.h) that hold keys, and
// the OpenSSL fault seam for tests (openssl_faults.h). This header holds what all of them share:
// the key and block sizes, wiping and constant-time comparison.
//
// May depend on base/ and OpenSSL only; never sees a DDI struct, a device, a session or anything
// else above it. Threading: objects are not shared between threads; functions are thread-safe.

#include <cstddef>

namespace cpddi::crypto {

inline constexpr std::size_t kSessionKeyLen = 16;  // AES-128 (spec §1.1)
inline constexpr std::size_t kAesBlockLen = 16;

// OPENSSL_cleanse and CRYPTO_memcmp (crypto.cpp), declared here so OpenSSL stays inside
// src/crypto/.
void cleanse(void* data, std::size_t len) noexcept;
bool constant_time_equal(const void* a, const void* b, std::size_t len) noexcept;

}  // namespace cpddi::crypto
