// The waiting policy (docs/behaviour.md, "Asynchronous device"), through the runtime's own API.
// No test bounds a duration: where one checks that work is still queued, the device queues are
// held (device::testing::hold_queues); where one checks that a call waited, it changes the input
// right after the call returns and then checks the output did not see the change.
#include <gtest/gtest.h>

#include <thread>

#include "device/work_queue.h"
#include "runtime/runtime_harness.h"

namespace cpddi::runtime::testing {
namespace {

using device::testing::HeldQueues;

const Key16 kWrappingBlock = counter_block(1000, kCountBeforeWrap);

LockRequest whole(Handle surface, bool do_not_wait = false) {
  return LockRequest{{surface, 0}, false, do_not_wait};
}

class WaitsTest : public ::testing::Test {
 protected:
  WaitsTest()
      : device_(h_.open_device()),
        session_(h_.keyed_session(device_)),
        source_(h_.system_surface(device_, &memory_)),
        destination_(h_.protected_surface(device_)) {}

  Result<void> decrypt(const Key16& block, std::uint32_t seed) {
    return h_.decrypt_into(device_, session_, kAppKey, block, frame(seed), source_, memory_,
                           destination_);
  }
  // The blt of a frame sealed beforehand (the application's own AES must not meet the armed
  // fault seam): call it while a FailingBltRun is alive.
  Result<void> wrapping_decrypt() {
    return h_.decryption_blt(device_, session_, kWrappingBlock, source_, destination_);
  }
  Runtime& runtime() { return h_.runtime(); }

  RuntimeHarness h_;
  CallerMemory memory_;
  Handle device_;
  Handle session_;
  Handle source_;
  Handle destination_;
};

TEST_F(WaitsTest, DoNotWaitOnABusySurfaceIsStillDrawingAndMapsNothing) {
  const Handle idle = h_.system_surface(device_);
  HeldQueues held;
  ASSERT_TRUE(decrypt(counter_block(1), 1));

  Result<MappedSurface> busy = runtime().lock(device_, whole(source_, true));
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().code, Errc::kStillDrawing);
  EXPECT_FALSE(runtime().resource_status(device_, source_)->locked);
  EXPECT_TRUE(runtime().resource_status(device_, source_)->busy);
  Result<MappedSurface> idle_map = runtime().lock(device_, whole(idle, true));
  ASSERT_TRUE(idle_map) << "nothing queued uses this surface";
  EXPECT_EQ(idle_map->pitch, 64u);
  EXPECT_EQ(idle_map->slice_pitch, kFrameLen);
  EXPECT_TRUE(runtime().unlock(device_, {idle, 0}));

  held.release();
  ASSERT_TRUE(runtime().lock(device_, whole(source_)));  // waits instead
  EXPECT_FALSE(runtime().resource_status(device_, source_)->busy);
  EXPECT_TRUE(runtime().unlock(device_, {source_, 0}));
}

TEST_F(WaitsTest, LockOfAProtectedOrLockedSurfaceIsRefusedWithoutWaiting) {
  HeldQueues held;
  ASSERT_TRUE(decrypt(counter_block(1), 1));

  // The destination is busy and the queue held: a Lock that waited would never return.
  Result<MappedSurface> refused = runtime().lock(device_, whole(destination_));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kWrongState);
  EXPECT_TRUE(runtime().resource_status(device_, destination_)->busy);

  const Handle idle = h_.system_surface(device_);
  ASSERT_TRUE(runtime().lock(device_, whole(idle)));
  Result<MappedSurface> twice = runtime().lock(device_, whole(idle));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, Errc::kWrongState);
  Result<MappedSurface> partial = runtime().lock(device_, {{source_, 0}, true, true});
  ASSERT_FALSE(partial);
  EXPECT_EQ(partial.error().code, Errc::kInvalidArgument);
}

TEST_F(WaitsTest, DestroyResourceWaitsForTheBltReadingTheCallersMemory) {
  const Bytes plain = frame(3);
  {
    HeldQueues held;
    ASSERT_TRUE(decrypt(counter_block(1), 3));
    std::thread releaser([&] { held.release(); });
    EXPECT_TRUE(runtime().destroy_resource(device_, source_));  // returns after the blt ran
    memory_.bytes.fill(0xAB);                                   // the caller reuses its memory
    releaser.join();
  }
  EXPECT_EQ(h_.read_back(device_, session_, kAppKey, destination_), plain);
}

TEST_F(WaitsTest, DestroyCryptoSessionLetsItsQueuedBltsFinish) {
  const Handle second = h_.protected_surface(device_);
  {
    HeldQueues held;
    ASSERT_TRUE(decrypt(counter_block(1), 5));
    ASSERT_TRUE(h_.decrypt_into(device_, session_, kAppKey, counter_block(2), frame(6), source_,
                                memory_, second));
    std::thread releaser([&] { held.release(); });
    EXPECT_TRUE(runtime().destroy_crypto_session(device_, session_));
    releaser.join();
  }
  EXPECT_FALSE(runtime().resource_status(device_, second)->busy);
  const Handle reader = h_.keyed_session(device_);  // any session may read a surface back
  EXPECT_EQ(h_.read_back(device_, reader, kAppKey, second), frame(6));
}

TEST_F(WaitsTest, AnExecutionErrorIsReportedOnceByFlushAndNeverByADestroy) {
  seal_into(memory_, kAppKey, kWrappingBlock, frame(2));
  {
    FailingBltRun failing;
    ASSERT_TRUE(wrapping_decrypt()) << "validated and queued: the failure comes later";
    EXPECT_TRUE(runtime().destroy_resource(device_, source_)) << "waits, does not report";
  }
  Result<void> flushed = runtime().flush(device_);
  ASSERT_FALSE(flushed);
  EXPECT_EQ(flushed.error().code, Errc::kInternal);
  EXPECT_TRUE(runtime().flush(device_)) << "reported once";
}

TEST_F(WaitsTest, AnExecutionErrorIsReportedByTheLockThatWaitedForItAndMapsNothing) {
  seal_into(memory_, kAppKey, kWrappingBlock, frame(2));
  {
    FailingBltRun failing;
    ASSERT_TRUE(wrapping_decrypt());
    Result<MappedSurface> failed = runtime().lock(device_, whole(source_));
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, Errc::kInternal);
  }
  EXPECT_FALSE(runtime().resource_status(device_, source_)->locked);
  ASSERT_TRUE(runtime().lock(device_, whole(source_)));
  EXPECT_TRUE(runtime().unlock(device_, {source_, 0}));
  EXPECT_TRUE(runtime().flush(device_)) << "already reported by Lock";
}

}  // namespace
}  // namespace cpddi::runtime::testing
