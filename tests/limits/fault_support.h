#pragma once

// Helpers shared by the fault-injection tests: a scope that arms one of the crypto seams and
// always disarms it, and raw DDI calls whose output buffers the tests pre-fill so they can prove
// a failing call wrote nothing.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

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

// Where every fault test starts, on the shared device: a keyed session and a small protected
// surface, made in SetUp once the device is known to be open. The blt tests first call
// upload_frame(seed) (through ASSERT_NO_FATAL_FAILURE): it fetches the read-back key and uploads
// frame() = pattern_bytes(len(), seed) to surface() under kTestKey.
class FaultTest : public SharedDeviceTest {
 protected:
  void SetUp() override;
  void upload_frame(std::uint32_t seed);

  KeyedSession& session() { return *session_; }
  const ScopedSurface& surface() const { return *surface_; }
  std::size_t len() const { return frame_.size(); }
  const Bytes& frame() const { return frame_; }

 private:
  std::optional<KeyedSession> session_;
  std::unique_ptr<ScopedSurface> surface_;
  Bytes frame_;
};

// EncryptionBlt of protected `source` into system-memory `destination` (padded size
// `destination_size`), with *iv as pIV (pre-filled by the caller).
HRESULT encryption_blt(const KeyedSession& session, HANDLE source, HANDLE destination,
                       UINT destination_size, Iv* iv);

// Whether every byte of `bytes` is `value`: a pre-filled output buffer a failing call must not
// have touched.
bool all_bytes_are(std::span<const std::uint8_t> bytes, std::uint8_t value);

// A system-memory surface of whole 256-byte rows (X8R8G8B8, 64 wide) holding `len` bytes.
HANDLE create_readback_surface(const conform::Device& device, std::size_t len);

// The two calls both seams reach, each made with `source` failing at its first checked call:
// GetEncryptionBltKey must return E_FAIL with the caller's buffer and the session's read-back key
// as they were (the test then proves read-back still uses that key); EncryptionBlt of `surface`
// (L = `len`) into a fresh read-back surface must return E_FAIL with pIV and the destination
// untouched.
void expect_get_encryption_blt_key_fails_cleanly(KeyedSession& session,
                                                 InjectedFailure::Source source);
void expect_encryption_blt_fails_cleanly(const KeyedSession& session,
                                         const ScopedSurface& surface, std::size_t len,
                                         InjectedFailure::Source source);

}  // namespace cpddi::testing
