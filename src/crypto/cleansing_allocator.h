#pragma once

// Heap buffers that ever hold a key or plaintext wipe themselves when freed (Tink's
// SanitizingAllocator). Protected-surface memory uses it, as do decrypted OAEP plaintexts.

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "crypto/crypto.h"

namespace cpddi::crypto {

template <class T>
struct CleansingAllocator {
  using value_type = T;
  // Surfaces are aligned for SIMD and for the caps' BufferAlignmentStart (16).
  static constexpr std::align_val_t kAlignment{64};

  CleansingAllocator() = default;
  template <class U>
  CleansingAllocator(const CleansingAllocator<U>&) noexcept {}  // NOLINT: allocator rebind

  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), kAlignment));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    cleanse(p, n * sizeof(T));
    ::operator delete(p, kAlignment);
  }
  template <class U>
  bool operator==(const CleansingAllocator<U>&) const noexcept { return true; }
};

using SecureBuffer = std::vector<std::uint8_t, CleansingAllocator<std::uint8_t>>;

}  // namespace cpddi::crypto
