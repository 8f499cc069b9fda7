// Linked into every test binary made by cpddi_test() without GENERATED_IDENTITY: before the first
// test case runs, pins the driver identity to the test identity of tests/support/data (see its
// README), so that a test process does not spend two RSA-2048 key generations on every adapter
// it opens. Tests that need cpddi's default, generated identity use ScopedGeneratedIdentity.
#include <cstdlib>

#include <gtest/gtest.h>

#ifndef CPDDI_PINNED_IDENTITY_DIR
#error "CPDDI_PINNED_IDENTITY_DIR must name tests/support/data"
#endif

namespace {

class PinnedIdentityEnvironment final : public ::testing::Environment {
 public:
  void SetUp() override {
    ::setenv("CPDDI_IDENTITY_KEY", CPDDI_PINNED_IDENTITY_DIR "/pinned_identity_key.pem", 1);
    ::setenv("CPDDI_IDENTITY_CERT", CPDDI_PINNED_IDENTITY_DIR "/pinned_identity_chain.pem", 1);
  }
};

// gtest owns and runs registered environments; registration at static-initialisation time is the
// documented way to add one without a custom main().
[[maybe_unused]] ::testing::Environment* const kPinnedIdentity =
    ::testing::AddGlobalTestEnvironment(new PinnedIdentityEnvironment);

}  // namespace
