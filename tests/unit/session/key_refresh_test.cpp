// Start/FinishSessionKeyRefresh on CryptoSession (spec §4.8–§4.9, §7.3, §9 A1–A5, A8, A11, A20):
// Start hands out and keeps a number without changing the key; Finish makes the key old ^ r,
// exactly; every error leaves the key, the pending number and the caller's buffer unchanged.
#include <array>
#include <cstdint>

#include <gtest/gtest.h>

#include "crypto/random.h"
#include "session/session_harness.h"

namespace cpddi::session {
namespace {

using namespace testing;  // NOLINT: the harness

const Key16 kKey = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                    0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};

Key16 filled(std::uint8_t value) {
  Key16 k;
  k.fill(value);
  return k;
}

class KeyRefreshTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto::testing::fail_random_after(-1);
    ASSERT_TRUE(h_.exchange(key_of(kKey)));
  }
  void TearDown() override { crypto::testing::fail_random_after(-1); }

  Key16 start() {
    Key16 number = filled(0xEE);
    Result<void> r = h_.session().start_key_refresh(number);
    EXPECT_TRUE(r) << (r ? "" : r.error().reason);
    return number;
  }

  SessionHarness h_;
};

TEST_F(KeyRefreshTest, StartReturnsANumberAndKeepsTheOldKey) {
  const Key16 number = start();
  EXPECT_NE(number, filled(0xEE));
  EXPECT_NE(number, Key16{});
  EXPECT_TRUE(h_.session().refresh_pending());
  EXPECT_TRUE(h_.key_in_force(key_of(kKey)));  // Start changes nothing yet
}

TEST_F(KeyRefreshTest, StartDrawsAFreshNumberEachTime) {
  EXPECT_NE(start(), start());
}

TEST_F(KeyRefreshTest, FinishMakesTheKeyOldXorNumberExactly) {
  const Key16 number = start();
  ASSERT_TRUE(h_.session().finish_key_refresh());

  EXPECT_FALSE(h_.session().refresh_pending());
  EXPECT_TRUE(h_.key_in_force(xor_of(key_of(kKey), number)));
  EXPECT_TRUE(h_.key_not_in_force(key_of(kKey)));
  EXPECT_TRUE(h_.key_not_in_force(key_of(number)));
}

TEST_F(KeyRefreshTest, RefreshesChain) {
  Aes128Key expected = key_of(kKey);
  for (int i = 0; i < 3; ++i) {
    const Key16 number = start();
    ASSERT_TRUE(h_.session().finish_key_refresh());
    expected.xor_in(key_of(number));
    EXPECT_TRUE(h_.key_in_force(expected)) << "refresh " << i;
  }
}

TEST_F(KeyRefreshTest, StartTwiceAppliesOnlyTheLatestNumber) {
  const Key16 first = start();
  const Key16 second = start();  // A1: replaces the first
  ASSERT_NE(first, second);
  ASSERT_TRUE(h_.session().finish_key_refresh());

  EXPECT_TRUE(h_.key_in_force(xor_of(key_of(kKey), second)));
  EXPECT_TRUE(h_.key_not_in_force(xor_of(key_of(kKey), first)));
  Aes128Key both = xor_of(key_of(kKey), first);
  both.xor_in(key_of(second));
  EXPECT_TRUE(h_.key_not_in_force(both));
}

TEST_F(KeyRefreshTest, FinishWithoutStartIsWrongStateAndKeepsTheKey) {
  Result<void> r = h_.session().finish_key_refresh();  // A3
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kWrongState);
  EXPECT_TRUE(h_.key_in_force(key_of(kKey)));
}

TEST_F(KeyRefreshTest, SecondFinishIsWrongStateAndKeepsTheRefreshedKey) {
  const Key16 number = start();
  ASSERT_TRUE(h_.session().finish_key_refresh());
  Result<void> r = h_.session().finish_key_refresh();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kWrongState);
  EXPECT_TRUE(h_.key_in_force(xor_of(key_of(kKey), number)));  // not XORed a second time
}

TEST_F(KeyRefreshTest, WrongSizeIsInvalidArgumentAndStoresNothing) {
  std::array<std::uint8_t, 32> buffer;
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{15}, std::size_t{17},
                           std::size_t{32}}) {
    buffer.fill(0xEE);
    Result<void> r = h_.session().start_key_refresh(std::span(buffer.data(), size));  // A2
    ASSERT_FALSE(r) << "size " << size;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    for (std::uint8_t b : buffer) {
      ASSERT_EQ(b, 0xEE) << "size " << size;
    }
    EXPECT_FALSE(h_.session().refresh_pending());
  }
  Result<void> finish = h_.session().finish_key_refresh();
  ASSERT_FALSE(finish);
  EXPECT_EQ(finish.error().code, Errc::kWrongState);
  EXPECT_TRUE(h_.key_in_force(key_of(kKey)));
}

TEST_F(KeyRefreshTest, NullBufferIsInvalidArgument) {
  Result<void> r = h_.session().start_key_refresh(
      std::span<std::uint8_t>(static_cast<std::uint8_t*>(nullptr), std::size_t{16}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  EXPECT_FALSE(h_.session().refresh_pending());
}

TEST_F(KeyRefreshTest, FailedStartKeepsTheEarlierPendingNumber) {
  const Key16 number = start();
  std::array<std::uint8_t, 15> short_buffer{};
  Result<void> bad = h_.session().start_key_refresh(short_buffer);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::kInvalidArgument);
  EXPECT_TRUE(h_.session().refresh_pending());

  ASSERT_TRUE(h_.session().finish_key_refresh());
  EXPECT_TRUE(h_.key_in_force(xor_of(key_of(kKey), number)));
}

TEST_F(KeyRefreshTest, RngFailureIsInternalAndChangesNothing) {
  const Key16 number = start();
  crypto::testing::fail_random_after(0);
  Key16 out = filled(0xEE);
  Result<void> r = h_.session().start_key_refresh(out);
  crypto::testing::fail_random_after(-1);

  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInternal);
  EXPECT_EQ(out, filled(0xEE));                 // buffer untouched
  EXPECT_TRUE(h_.session().refresh_pending());  // the earlier number is still the pending one
  ASSERT_TRUE(h_.session().finish_key_refresh());
  EXPECT_TRUE(h_.key_in_force(xor_of(key_of(kKey), number)));
}

TEST_F(KeyRefreshTest, RngFailureWithNothingPendingStoresNothing) {
  crypto::testing::fail_random_after(0);
  Key16 out = filled(0xEE);
  Result<void> r = h_.session().start_key_refresh(out);
  crypto::testing::fail_random_after(-1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInternal);
  EXPECT_FALSE(h_.session().refresh_pending());
  EXPECT_FALSE(h_.session().finish_key_refresh());
  EXPECT_TRUE(h_.key_in_force(key_of(kKey)));
}

TEST_F(KeyRefreshTest, FinishRestartsTheIvHistory) {
  SessionHarness::Blt high = h_.prepare_blt(key_of(kKey), 500);
  ASSERT_TRUE(h_.session().decryption_blt(high.args));
  const Key16 number = start();
  SessionHarness::Blt replay = h_.prepare_blt(key_of(kKey), 500);
  Result<void> replayed = h_.session().decryption_blt(replay.args);  // Start changes nothing
  ASSERT_FALSE(replayed);
  EXPECT_EQ(replayed.error().code, Errc::kInvalidArgument);

  ASSERT_TRUE(h_.session().finish_key_refresh());
  const Aes128Key refreshed = xor_of(key_of(kKey), number);
  SessionHarness::Blt low = h_.prepare_blt(refreshed, 3);  // A11: new key, new history
  ASSERT_TRUE(h_.session().decryption_blt(low.args));
  EXPECT_EQ(contents(*low.args.destination), low.plaintext);
}

TEST_F(KeyRefreshTest, RefreshLeavesTheReadBackKeyAlone) {
  Key16 wrapped{};
  ASSERT_TRUE(h_.session().get_encryption_blt_key(wrapped));
  Result<Aes128Key> readback =
      crypto::unwrap_key(key_of(kKey), std::span<const std::uint8_t, 16>(wrapped));
  ASSERT_TRUE(readback);
  start();
  ASSERT_TRUE(h_.session().finish_key_refresh());

  auto source = h_.protected_surface();
  const Bytes plain = frame(77);
  std::copy(plain.begin(), plain.end(), source->data());
  auto destination = h_.system_surface();
  Result<CounterBlock> block = h_.session().encryption_blt({source, destination, kFrameLen});
  ASSERT_TRUE(block);
  EXPECT_EQ(ctr(*readback, *block, contents(*destination)), plain);  // A20
}

TEST_F(KeyRefreshTest, StartOnOneSessionFinishOnAnotherFails) {
  CryptoSession other(SessionFeatures{}, identity_key(), h_.device());
  ASSERT_TRUE(other.key_exchange(oaep_blob(kKey)));
  start();
  Result<void> r = other.finish_key_refresh();  // A8
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kWrongState);
  EXPECT_TRUE(h_.session().refresh_pending());
}

class KeyRefreshDisabledTest : public ::testing::Test {
 protected:
  static SessionFeatures without_refresh() {
    SessionFeatures f;
    f.key_refresh = false;
    return f;
  }
  SessionHarness h_{without_refresh()};
};

TEST_F(KeyRefreshDisabledTest, StartAndFinishAreNotAvailableEvenWithoutAKey) {
  Key16 out = filled(0xEE);
  Result<void> start = h_.session().start_key_refresh(out);  // A5 comes before A4
  ASSERT_FALSE(start);
  EXPECT_EQ(start.error().code, Errc::kNotAvailable);
  Result<void> finish = h_.session().finish_key_refresh();
  ASSERT_FALSE(finish);
  EXPECT_EQ(finish.error().code, Errc::kNotAvailable);
  EXPECT_EQ(out, filled(0xEE));
}

TEST_F(KeyRefreshDisabledTest, StartAndFinishAreNotAvailableAndKeepTheKey) {
  ASSERT_TRUE(h_.exchange(key_of(kKey)));
  Key16 out = filled(0xEE);
  Result<void> start = h_.session().start_key_refresh(out);
  ASSERT_FALSE(start);
  EXPECT_EQ(start.error().code, Errc::kNotAvailable);
  EXPECT_EQ(out, filled(0xEE));
  EXPECT_FALSE(h_.session().refresh_pending());
  Result<void> finish = h_.session().finish_key_refresh();
  ASSERT_FALSE(finish);
  EXPECT_EQ(finish.error().code, Errc::kNotAvailable);
  EXPECT_TRUE(h_.key_in_force(key_of(kKey)));
}

TEST_F(KeyRefreshDisabledTest, WrongSizeStillAnswersNotAvailable) {
  ASSERT_TRUE(h_.exchange(key_of(kKey)));
  std::array<std::uint8_t, 8> out{};
  Result<void> start = h_.session().start_key_refresh(out);
  ASSERT_FALSE(start);
  EXPECT_EQ(start.error().code, Errc::kNotAvailable);
}

}  // namespace
}  // namespace cpddi::session
