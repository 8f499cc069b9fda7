#pragma once

// SecretBytes: the one self-wiping type for keys and random numbers (CONVENTIONS §5). Component
// overview: crypto.h.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "crypto/crypto.h"

namespace cpddi::crypto {

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
