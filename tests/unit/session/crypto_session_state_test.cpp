// The crypto-session state machine of spec §1.4, driven on CryptoSession directly:
// NoKey → (KeyExchange) → Keyed ⇄ Keyed+Pending, and every call that needs a key fails with
// kWrongState in NoKey without changing anything.
#include <array>
#include <cstdint>

#include <gtest/gtest.h>

#include "session/session_harness.h"

namespace cpddi::session {
namespace {

using namespace testing;  // NOLINT: the harness

const Key16 kKey = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                    0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00};

TEST(CryptoSessionStateTest, NewSessionHasNoKeyAndNothingPending) {
  SessionHarness h;
  EXPECT_FALSE(h.session().keyed());
  EXPECT_FALSE(h.session().refresh_pending());
}

TEST(CryptoSessionStateTest, NoKeyDecryptionBltIsWrongStateAndWritesNothing) {
  SessionHarness h;
  SessionHarness::Blt blt = h.prepare_blt(key_of(kKey), 1);
  Result<void> r = h.session().decryption_blt(blt.args);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kWrongState);
  EXPECT_TRUE(all_zero(contents(*blt.args.destination)));
  EXPECT_FALSE(h.session().keyed());
}

TEST(CryptoSessionStateTest, NoKeyEncryptionBltIsWrongStateAndWritesNothing) {
  SessionHarness h;
  auto source = h.protected_surface();
  auto destination = h.system_surface();
  std::fill(destination->data(), destination->data() + destination->size(), std::uint8_t{0xEE});
  Result<CounterBlock> r = h.session().encryption_blt({source, destination, kFrameLen});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kWrongState);
  EXPECT_EQ(contents(*destination), Bytes(kFrameLen, 0xEE));
}

TEST(CryptoSessionStateTest, NoKeyGetEncryptionBltKeyIsWrongStateAndWritesNothing) {
  SessionHarness h;
  Key16 out;
  out.fill(0xEE);
  Result<void> r = h.session().get_encryption_blt_key(out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kWrongState);
  Key16 untouched;
  untouched.fill(0xEE);
  EXPECT_EQ(out, untouched);
}

TEST(CryptoSessionStateTest, NoKeyStartIsWrongStateAndStoresNothing) {
  SessionHarness h;
  Key16 out;
  out.fill(0xEE);
  Result<void> r = h.session().start_key_refresh(out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kWrongState);
  EXPECT_FALSE(h.session().refresh_pending());
  for (std::uint8_t b : out) {
    EXPECT_EQ(b, 0xEE);
  }
  // A4: nothing was stored, so a later exchange is not followed by a silent XOR.
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  Result<void> finish = h.session().finish_key_refresh();
  ASSERT_FALSE(finish);
  EXPECT_EQ(finish.error().code, Errc::kWrongState);
  EXPECT_TRUE(h.key_in_force(key_of(kKey)));
}

TEST(CryptoSessionStateTest, NoKeyFinishIsWrongState) {
  SessionHarness h;
  Result<void> r = h.session().finish_key_refresh();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kWrongState);
  EXPECT_FALSE(h.session().keyed());
}

TEST(CryptoSessionStateTest, KeyExchangeMovesToKeyed) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  EXPECT_TRUE(h.session().keyed());
  EXPECT_FALSE(h.session().refresh_pending());
  EXPECT_TRUE(h.key_in_force(key_of(kKey)));
}

TEST(CryptoSessionStateTest, StartAndFinishMoveThroughPending) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  Key16 r{};
  ASSERT_TRUE(h.session().start_key_refresh(r));
  EXPECT_TRUE(h.session().keyed());
  EXPECT_TRUE(h.session().refresh_pending());
  ASSERT_TRUE(h.session().finish_key_refresh());
  EXPECT_TRUE(h.session().keyed());
  EXPECT_FALSE(h.session().refresh_pending());
}

TEST(CryptoSessionStateTest, KeyExchangeFromPendingReturnsToKeyedAndWipesTheNumber) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  Key16 r{};
  ASSERT_TRUE(h.session().start_key_refresh(r));
  ASSERT_TRUE(h.session().refresh_pending());

  Key16 second = kKey;
  second[0] ^= 0xFF;
  ASSERT_TRUE(h.exchange(key_of(second)));
  EXPECT_FALSE(h.session().refresh_pending());  // A7
  Result<void> finish = h.session().finish_key_refresh();
  ASSERT_FALSE(finish);
  EXPECT_EQ(finish.error().code, Errc::kWrongState);
  EXPECT_TRUE(h.key_in_force(key_of(second)));
}

}  // namespace
}  // namespace cpddi::session
