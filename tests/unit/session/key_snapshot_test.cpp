// The key snapshot rule of spec §9 A6 on the device's work queue: work carries the key in effect
// when it was *called*, so a blt submitted before FinishSessionKeyRefresh uses the old key even
// when it runs afterwards, and one submitted after uses the new key. The queue is held
// (device::testing::hold_queues) so the blts are still queued when the key changes.
#include <cstdint>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "device/work_queue.h"
#include "session/session_harness.h"

namespace cpddi::session {
namespace {

using namespace testing;  // NOLINT: the harness

const Key16 kOld = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                    0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf};
const Key16 kContent = {0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
                        0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf};

class KeySnapshotTest : public ::testing::Test {
 protected:
  // The device's queue is held from the start of each test: nothing submitted runs until
  // run_queue(), so every blt below is provably still queued when the key changes.
  void SetUp() override {
    ASSERT_TRUE(h_.exchange(key_of(kOld)));
    device::testing::hold_queues(true);
  }
  void TearDown() override { device::testing::hold_queues(false); }

  // Lets the queue run and waits for everything submitted; the first execution error, if any.
  Result<void> run_queue() {
    device::testing::hold_queues(false);
    return h_.device().queue().flush();
  }
  bool queued(const device::Resource& resource) { return h_.device().busy(resource); }

  SessionHarness h_;
};

TEST_F(KeySnapshotTest, BltSubmittedBeforeFinishUsesTheOldKeyWhenRunAfter) {
  SessionHarness::Blt before = h_.prepare_blt(key_of(kOld), 10, 1);
  ASSERT_TRUE(h_.session().decryption_blt(before.args));
  ASSERT_TRUE(queued(*before.args.destination));  // really not run yet

  Key16 number{};
  ASSERT_TRUE(h_.session().start_key_refresh(number));
  ASSERT_TRUE(h_.session().finish_key_refresh());
  const Aes128Key refreshed = xor_of(key_of(kOld), number);
  SessionHarness::Blt after = h_.prepare_blt(refreshed, 11, 2);
  ASSERT_TRUE(h_.session().decryption_blt(after.args));
  ASSERT_TRUE(queued(*before.args.destination));
  ASSERT_TRUE(queued(*after.args.destination));

  ASSERT_TRUE(run_queue());
  EXPECT_EQ(contents(*before.args.destination), before.plaintext);  // old key
  EXPECT_EQ(contents(*after.args.destination), after.plaintext);    // new key
}

TEST_F(KeySnapshotTest, BltSubmittedAfterFinishDoesNotUseTheOldKey) {
  Key16 number{};
  ASSERT_TRUE(h_.session().start_key_refresh(number));
  ASSERT_TRUE(h_.session().finish_key_refresh());
  SessionHarness::Blt stale = h_.prepare_blt(key_of(kOld), 10);
  ASSERT_TRUE(h_.session().decryption_blt(stale.args));
  ASSERT_TRUE(run_queue());
  EXPECT_NE(contents(*stale.args.destination), stale.plaintext);
}

TEST_F(KeySnapshotTest, StartAloneChangesNothingForQueuedWork) {
  SessionHarness::Blt before = h_.prepare_blt(key_of(kOld), 10, 1);
  ASSERT_TRUE(h_.session().decryption_blt(before.args));
  Key16 number{};
  ASSERT_TRUE(h_.session().start_key_refresh(number));
  SessionHarness::Blt between = h_.prepare_blt(key_of(kOld), 11, 2);  // Start changes nothing
  ASSERT_TRUE(h_.session().decryption_blt(between.args));
  ASSERT_TRUE(run_queue());
  EXPECT_EQ(contents(*before.args.destination), before.plaintext);
  EXPECT_EQ(contents(*between.args.destination), between.plaintext);
}

TEST_F(KeySnapshotTest, ContentKeyIsUnwrappedWithTheKeyCurrentAtTheCall) {
  Result<std::array<std::uint8_t, 16>> wrapped = crypto::wrap_key(key_of(kOld), key_of(kContent));
  ASSERT_TRUE(wrapped);
  SessionHarness::Blt blt = h_.prepare_blt(key_of(kContent), 10);
  blt.args.wrapped_content_key = std::span<const std::uint8_t, 16>(*wrapped);
  ASSERT_TRUE(h_.session().decryption_blt(blt.args));

  Key16 number{};
  ASSERT_TRUE(h_.session().start_key_refresh(number));
  ASSERT_TRUE(h_.session().finish_key_refresh());
  ASSERT_TRUE(run_queue());
  EXPECT_EQ(contents(*blt.args.destination), blt.plaintext);
}

TEST_F(KeySnapshotTest, KeyExchangeAfterSubmitDoesNotReachQueuedWork) {
  SessionHarness::Blt before = h_.prepare_blt(key_of(kOld), 10);
  ASSERT_TRUE(h_.session().decryption_blt(before.args));
  ASSERT_TRUE(h_.exchange(key_of(kContent)));
  ASSERT_TRUE(run_queue());
  EXPECT_EQ(contents(*before.args.destination), before.plaintext);
}

TEST_F(KeySnapshotTest, EncryptionBltUsesTheReadBackKeyOfItsCall) {
  Key16 first_wrapped{};
  ASSERT_TRUE(h_.session().get_encryption_blt_key(first_wrapped));
  Result<Aes128Key> first =
      crypto::unwrap_key(key_of(kOld), std::span<const std::uint8_t, 16>(first_wrapped));
  ASSERT_TRUE(first);

  auto source = h_.protected_surface();
  const Bytes plain = frame(5);
  std::copy(plain.begin(), plain.end(), source->data());
  auto destination = h_.system_surface();
  Result<CounterBlock> block = h_.session().encryption_blt({source, destination, kFrameLen});
  ASSERT_TRUE(block);

  Key16 second_wrapped{};
  ASSERT_TRUE(h_.session().get_encryption_blt_key(second_wrapped));  // mints a new key
  ASSERT_TRUE(run_queue());
  EXPECT_EQ(ctr(*first, *block, contents(*destination)), plain);
}

}  // namespace
}  // namespace cpddi::session
