// The key snapshot rule of spec §9 A6 under a queued executor: work carries the key in effect
// when it was *called*, so a blt submitted before FinishSessionKeyRefresh uses the old key even
// when it runs afterwards, and one submitted after uses the new key.
#include <cstdint>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "session/session_harness.h"

namespace cpddi::session {
namespace {

using namespace testing;  // NOLINT: the harness

// An asynchronous queue in miniature: submit() stores the work, flush() runs it in order and
// reports the first error. `reject_next` makes the next submit refuse its work.
class RecordingExecutor final : public device::Executor {
 public:
  Result<void> submit(device::Work work) override {
    if (reject_next) {
      reject_next = false;
      return Error{Errc::kOutOfMemory, "queue full (test)"};
    }
    queue_.push_back(std::move(work));
    return {};
  }
  Result<void> flush() override {
    Result<void> first;
    std::vector<device::Work> pending;
    pending.swap(queue_);
    for (device::Work& work : pending) {
      Result<void> r = work();
      if (!r && first) {
        first = r;
      }
    }
    return first;
  }
  std::size_t queued() const { return queue_.size(); }

  bool reject_next = false;

 private:
  std::vector<device::Work> queue_;
};

const Key16 kOld = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                    0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf};
const Key16 kContent = {0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
                        0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf};

class KeySnapshotTest : public ::testing::Test {
 protected:
  KeySnapshotTest() {
    auto executor = std::make_unique<RecordingExecutor>();
    queue_ = executor.get();
    h_ = std::make_unique<SessionHarness>(SessionFeatures{}, std::move(executor));
  }
  void SetUp() override { ASSERT_TRUE(h_->exchange(key_of(kOld))); }

  RecordingExecutor* queue_ = nullptr;
  std::unique_ptr<SessionHarness> h_;
};

TEST_F(KeySnapshotTest, BltSubmittedBeforeFinishUsesTheOldKeyWhenRunAfter) {
  SessionHarness::Blt before = h_->prepare_blt(key_of(kOld), 10, 1);
  ASSERT_TRUE(h_->session().decryption_blt(before.args));
  ASSERT_EQ(queue_->queued(), 1u);
  EXPECT_TRUE(all_zero(contents(*before.args.destination)));  // really not run yet

  Key16 number{};
  ASSERT_TRUE(h_->session().start_key_refresh(number));
  ASSERT_TRUE(h_->session().finish_key_refresh());
  const Aes128Key refreshed = xor_of(key_of(kOld), number);
  SessionHarness::Blt after = h_->prepare_blt(refreshed, 11, 2);
  ASSERT_TRUE(h_->session().decryption_blt(after.args));
  ASSERT_EQ(queue_->queued(), 2u);

  ASSERT_TRUE(queue_->flush());
  EXPECT_EQ(contents(*before.args.destination), before.plaintext);  // old key
  EXPECT_EQ(contents(*after.args.destination), after.plaintext);    // new key
}

TEST_F(KeySnapshotTest, BltSubmittedAfterFinishDoesNotUseTheOldKey) {
  Key16 number{};
  ASSERT_TRUE(h_->session().start_key_refresh(number));
  ASSERT_TRUE(h_->session().finish_key_refresh());
  SessionHarness::Blt stale = h_->prepare_blt(key_of(kOld), 10);
  ASSERT_TRUE(h_->session().decryption_blt(stale.args));
  ASSERT_TRUE(queue_->flush());
  EXPECT_NE(contents(*stale.args.destination), stale.plaintext);
}

TEST_F(KeySnapshotTest, StartAloneChangesNothingForQueuedWork) {
  SessionHarness::Blt before = h_->prepare_blt(key_of(kOld), 10, 1);
  ASSERT_TRUE(h_->session().decryption_blt(before.args));
  Key16 number{};
  ASSERT_TRUE(h_->session().start_key_refresh(number));
  SessionHarness::Blt between = h_->prepare_blt(key_of(kOld), 11, 2);  // Start changes nothing
  ASSERT_TRUE(h_->session().decryption_blt(between.args));
  ASSERT_TRUE(queue_->flush());
  EXPECT_EQ(contents(*before.args.destination), before.plaintext);
  EXPECT_EQ(contents(*between.args.destination), between.plaintext);
}

TEST_F(KeySnapshotTest, ContentKeyIsUnwrappedWithTheKeyCurrentAtTheCall) {
  Result<std::array<std::uint8_t, 16>> wrapped = crypto::wrap_key(key_of(kOld), key_of(kContent));
  ASSERT_TRUE(wrapped);
  SessionHarness::Blt blt = h_->prepare_blt(key_of(kContent), 10);
  blt.args.wrapped_content_key = std::span<const std::uint8_t, 16>(*wrapped);
  ASSERT_TRUE(h_->session().decryption_blt(blt.args));

  Key16 number{};
  ASSERT_TRUE(h_->session().start_key_refresh(number));
  ASSERT_TRUE(h_->session().finish_key_refresh());
  ASSERT_TRUE(queue_->flush());
  EXPECT_EQ(contents(*blt.args.destination), blt.plaintext);
}

TEST_F(KeySnapshotTest, KeyExchangeAfterSubmitDoesNotReachQueuedWork) {
  SessionHarness::Blt before = h_->prepare_blt(key_of(kOld), 10);
  ASSERT_TRUE(h_->session().decryption_blt(before.args));
  ASSERT_TRUE(h_->exchange(key_of(kContent)));
  ASSERT_TRUE(queue_->flush());
  EXPECT_EQ(contents(*before.args.destination), before.plaintext);
}

TEST_F(KeySnapshotTest, RefusedSubmitFailsTheBltAndDoesNotConsumeItsIv) {
  queue_->reject_next = true;
  SessionHarness::Blt refused = h_->prepare_blt(key_of(kOld), 10);
  Result<void> r = h_->session().decryption_blt(refused.args);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kOutOfMemory);
  EXPECT_EQ(queue_->queued(), 0u);

  SessionHarness::Blt retry = h_->prepare_blt(key_of(kOld), 10);  // A13: IV 10 is still unused
  ASSERT_TRUE(h_->session().decryption_blt(retry.args));
  ASSERT_TRUE(queue_->flush());
  EXPECT_EQ(contents(*retry.args.destination), retry.plaintext);
  EXPECT_TRUE(all_zero(contents(*refused.args.destination)));
}

TEST_F(KeySnapshotTest, EncryptionBltUsesTheReadBackKeyOfItsCall) {
  Key16 first_wrapped{};
  ASSERT_TRUE(h_->session().get_encryption_blt_key(first_wrapped));
  Result<Aes128Key> first =
      crypto::unwrap_key(key_of(kOld), std::span<const std::uint8_t, 16>(first_wrapped));
  ASSERT_TRUE(first);

  auto source = h_->protected_surface();
  const Bytes plain = frame(5);
  std::copy(plain.begin(), plain.end(), source->data());
  auto destination = h_->system_surface();
  Result<CounterBlock> block = h_->session().encryption_blt({source, destination, kFrameLen});
  ASSERT_TRUE(block);

  Key16 second_wrapped{};
  ASSERT_TRUE(h_->session().get_encryption_blt_key(second_wrapped));  // mints a new key
  ASSERT_TRUE(queue_->flush());
  EXPECT_EQ(ctr(*first, *block, contents(*destination)), plain);
}

}  // namespace
}  // namespace cpddi::session
