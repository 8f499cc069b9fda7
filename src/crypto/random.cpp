#include "crypto/random.h"

#include <atomic>
#include <climits>

#include <openssl/rand.h>

namespace cpddi::crypto {
namespace {
// < 0: never fail. Otherwise the number of calls still allowed to succeed.
std::atomic<int> g_calls_before_failure{-1};
}  // namespace

Result<void> random_bytes(std::span<std::uint8_t> out) {
  int remaining = g_calls_before_failure.load();
  while (remaining >= 0) {
    if (remaining == 0) {
      return Error{Errc::kInternal, "the random number generator failed (injected)"};
    }
    if (g_calls_before_failure.compare_exchange_weak(remaining, remaining - 1)) {
      break;
    }
  }
  if (out.size() > static_cast<std::size_t>(INT_MAX)) {
    return Error{Errc::kInvalidArgument, "random request too large"};
  }
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    return Error{Errc::kInternal, "RAND_bytes failed"};
  }
  return {};
}

namespace testing {
void fail_random_after(int calls) { g_calls_before_failure.store(calls); }
}  // namespace testing

}  // namespace cpddi::crypto
