#pragma once

// Test seam for OpenSSL failures, the counterpart of crypto::testing::fail_random_after
// (random.h). Production never arms it: the counter starts at -1 ("never fail") and only
// tests and fuzzers, which link the driver statically (cpddi::driver), call fail_openssl_after.
// Nothing here is exported from the driver module (hidden visibility, version script). The
// checked points are the OpenSSL calls a DDI entry point depends on: AES-128-CTR and -ECB
// context set-up (aes.cpp) and RSA-OAEP decryption (rsa.cpp). A failure injected there takes
// the same error path as a real OpenSSL failure (Errc::kInternal, nothing changed).

#include <atomic>

namespace cpddi::crypto {

namespace detail {
// < 0: never fail. Otherwise the number of checked OpenSSL operations still allowed to succeed.
inline std::atomic<int> g_openssl_calls_before_failure{-1};
}  // namespace detail

// True when the checked OpenSSL operation about to run must fail (an injected failure). Costs
// one relaxed-enough atomic load when the seam is not armed.
inline bool openssl_failure_injected() noexcept {
  int remaining = detail::g_openssl_calls_before_failure.load();
  while (remaining >= 0) {
    if (remaining == 0) {
      return true;
    }
    if (detail::g_openssl_calls_before_failure.compare_exchange_weak(remaining, remaining - 1)) {
      return false;
    }
  }
  return false;
}

namespace testing {
// Test seam (tests and fuzzers only): the next `calls` checked OpenSSL operations succeed, then
// every later one fails until reset with a negative value.
inline void fail_openssl_after(int calls) noexcept {
  detail::g_openssl_calls_before_failure.store(calls);
}
}  // namespace testing

}  // namespace cpddi::crypto
