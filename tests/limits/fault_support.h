#pragma once

// Helpers shared by the fault-injection tests: a scope that arms one of the crypto seams and
// always disarms it, and raw DDI calls whose output buffers the tests pre-fill so they can prove
// a failing call wrote nothing.

#include <cstdint>

#include "support/driver_fixture.h"

namespace cpddi::testing {

// Arms crypto::testing::fail_random_after / fail_openssl_after for its lifetime; both are reset
// to "never fail" when it dies, even if an assertion returns early.
class InjectedFailure {
 public:
  enum class Source { kRandom, kOpenSsl };
  InjectedFailure(Source source, int calls_before_failure);
  ~InjectedFailure();
  InjectedFailure(const InjectedFailure&) = delete;
  InjectedFailure& operator=(const InjectedFailure&) = delete;
};

// EncryptionBlt of protected `source` into system-memory `destination` (padded size
// `destination_size`), with *iv as pIV (pre-filled by the caller).
HRESULT encryption_blt(const KeyedSession& session, HANDLE source, HANDLE destination,
                       UINT destination_size, Iv* iv);

// A system-memory surface of whole 256-byte rows (X8R8G8B8, 64 wide) holding `len` bytes.
HANDLE create_readback_surface(const OpenedDevice& device, std::size_t len);

}  // namespace cpddi::testing
