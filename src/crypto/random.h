#pragma once

// Random numbers come only from OpenSSL's RAND_bytes. A failure is an error, never a zero buffer.

#include <cstdint>
#include <span>

#include "base/result.h"

namespace cpddi::crypto {

// Fills `out` with CSPRNG bytes, or fails with Errc::kInternal leaving `out` unspecified (callers
// fill scratch storage and commit only on success).
Result<void> random_bytes(std::span<std::uint8_t> out);

namespace testing {
// Test seam (tests and fuzzers only; not exported from the driver module): the next `calls`
// random_bytes calls succeed, then every later one fails until reset with a negative value.
void fail_random_after(int calls);
}  // namespace testing

}  // namespace cpddi::crypto
