#pragma once

// Crypto — the only component that includes OpenSSL (in its .cpp files). It owns the primitives
// cpddi uses: AES-128-CTR, single-block AES-128-ECB key wrap, AES-CMAC, RSAES-OAEP, X.509/PKCS#7
// and RAND_bytes, plus the self-wiping SecretBytes and cleansing buffers that hold keys. Depends
// on base/ only; never sees a DDI struct. Threading: objects are not shared; functions are
// thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

namespace cpddi::crypto {

inline constexpr std::size_t kSessionKeyLen = 16;  // AES-128 (spec §1.1)
inline constexpr std::size_t kAesBlockLen = 16;

// OPENSSL_cleanse and CRYPTO_memcmp, declared here so OpenSSL stays inside src/crypto/.
void cleanse(void* data, std::size_t len) noexcept;
bool constant_time_equal(const void* a, const void* b, std::size_t len) noexcept;

// A fixed-size secret stored in the object, wiped in its destructor and on every move, copied
// only through clone(). No printing, no operator==: compare with constant_time_equals.
template <std::size_t N>
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::span<const std::uint8_t, N> bytes) noexcept {
    for (std::size_t i = 0; i < N; ++i) {
      bytes_[i] = bytes[i];
    }
  }
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& other) noexcept { *this = std::move(other); }
  SecretBytes& operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
      bytes_ = other.bytes_;
      cleanse(other.bytes_.data(), N);
    }
    return *this;
  }
  ~SecretBytes() { cleanse(bytes_.data(), N); }

  SecretBytes clone() const noexcept {
    SecretBytes copy;
    copy.bytes_ = bytes_;
    return copy;
  }
  // Key refresh, spec §7.3: this ^= other, bytewise.
  void xor_in(const SecretBytes& other) noexcept {
    for (std::size_t i = 0; i < N; ++i) {
      bytes_[i] ^= other.bytes_[i];
    }
  }
  bool constant_time_equals(const SecretBytes& other) const noexcept {
    return constant_time_equal(bytes_.data(), other.bytes_.data(), N);
  }
  std::span<const std::uint8_t, N> expose() const noexcept { return bytes_; }
  // For filling from RAND_bytes or a decryption; the only writable view.
  std::span<std::uint8_t, N> expose_mut() noexcept { return bytes_; }

 private:
  std::array<std::uint8_t, N> bytes_{};
};

using Aes128Key = SecretBytes<kSessionKeyLen>;

}  // namespace cpddi::crypto
