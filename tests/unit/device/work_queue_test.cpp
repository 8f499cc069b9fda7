// WorkQueue (src/device/work_queue.h): the device's in-order command stream, its fences, its
// latched execution errors, small work run inline on an idle queue, and its stripe pool. No test
// here bounds a duration; where a test checks that something is still waiting, a correct queue
// can only make it pass.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "device/work_queue.h"

namespace cpddi::device {
namespace {

Work succeed() {
  return [](StripeRunner&) -> Result<void> { return {}; };
}
Work fail_with(const char* reason) {
  return [reason](StripeRunner&) -> Result<void> { return Error{Errc::kInternal, reason}; };
}

using testing::HeldQueues;

// What ran, in order, from whichever thread ran it.
class Log {
 public:
  Work record(int what) {
    return [this, what](StripeRunner&) -> Result<void> {
      std::lock_guard lock(mutex_);
      entries_.push_back(what);
      threads_.push_back(std::this_thread::get_id());
      return {};
    };
  }
  std::vector<int> entries() const {
    std::lock_guard lock(mutex_);
    return entries_;
  }
  std::thread::id thread_of(std::size_t entry) const {
    std::lock_guard lock(mutex_);
    return threads_.at(entry);
  }

 private:
  mutable std::mutex mutex_;
  std::vector<int> entries_;
  std::vector<std::thread::id> threads_;
};

// Pieces 1 and 2 both ran, in that order, and 2 on the queue thread: it was queued, not inline.
void expect_second_queued_after_first(const Log& log) {
  ASSERT_EQ(log.entries(), (std::vector<int>{1, 2}));
  EXPECT_NE(log.thread_of(1), std::this_thread::get_id());
}

// Spins (yielding) until `flag` is set by another thread: waits on an event, never on a time.
void await(const std::atomic<bool>& flag) {
  while (!flag.load()) {
    std::this_thread::yield();
  }
}

TEST(WorkQueueTest, RunsWorkInSubmissionOrderAndFencesRise) {
  WorkQueue queue(1);
  std::vector<int> order;  // written by the queue thread only, read after flush
  Fence previous = queue.last_fence();
  EXPECT_EQ(previous, 0u);
  for (int i = 0; i < 200; ++i) {
    const Fence fence = queue.submit([&order, i](StripeRunner&) -> Result<void> {
      order.push_back(i);
      return {};
    });
    EXPECT_EQ(fence, previous + 1);
    previous = fence;
  }
  ASSERT_TRUE(queue.flush());
  ASSERT_EQ(order.size(), 200u);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
  }
}

TEST(WorkQueueTest, HeldWorkIsNotReachedUntilReleased) {
  WorkQueue queue(1);
  HeldQueues held;
  std::atomic<bool> ran{false};
  const Fence fence = queue.submit([&](StripeRunner&) -> Result<void> {
    ran = true;
    return {};
  });
  EXPECT_FALSE(queue.reached(fence));
  EXPECT_FALSE(ran.load());
  held.release();
  queue.wait(fence);
  EXPECT_TRUE(queue.reached(fence));
  EXPECT_TRUE(ran.load());
}

TEST(WorkQueueTest, AnExecutionErrorIsReportedOnceByAWaitThatReachesIt) {
  WorkQueue queue(1);
  const Fence good = queue.submit(succeed());
  const Fence bad = queue.submit(fail_with("first failure"));
  queue.wait(bad);
  EXPECT_TRUE(queue.take_error(good));  // the failure came later than this fence
  Result<void> reported = queue.take_error(bad);
  ASSERT_FALSE(reported);
  EXPECT_EQ(reported.error().code, Errc::kInternal);
  EXPECT_STREQ(reported.error().reason, "first failure");
  EXPECT_TRUE(queue.take_error(bad));  // once
  EXPECT_TRUE(queue.flush());
}

TEST(WorkQueueTest, TheFirstOfSeveralUnreportedErrorsIsTheOneReported) {
  WorkQueue queue(1);
  queue.submit(fail_with("first"));
  queue.submit(fail_with("second"));
  Result<void> reported = queue.flush();
  ASSERT_FALSE(reported);
  EXPECT_STREQ(reported.error().reason, "first");
  EXPECT_TRUE(queue.flush());
}

TEST(WorkQueueTest, WorkAfterAFailureStillRuns) {
  WorkQueue queue(1);
  bool ran = false;
  queue.submit(fail_with("failed"));
  queue.submit([&](StripeRunner&) -> Result<void> {
    ran = true;
    return {};
  });
  EXPECT_FALSE(queue.flush());
  EXPECT_TRUE(ran);
}

TEST(WorkQueueTest, DestructionRunsWhatIsQueued) {
  std::atomic<int> runs{0};
  {
    WorkQueue queue(2);
    for (int i = 0; i < 10; ++i) {
      queue.submit([&](StripeRunner&) -> Result<void> {
        ++runs;
        return {};
      });
    }
  }
  EXPECT_EQ(runs.load(), 10);
}

TEST(WorkQueueTest, SubmitWaitsWhileTheQueueIsFull) {
  WorkQueue queue(1);
  HeldQueues held;
  // kCapacity pieces fit (the queue thread may take one and wait at the hold with it); of the
  // next two, the second cannot fit whatever the queue thread did.
  for (std::size_t i = 0; i < WorkQueue::kCapacity; ++i) {
    queue.submit(succeed());
  }
  std::atomic<bool> submitted{false};
  std::thread late([&] {
    queue.submit(succeed());
    queue.submit(succeed());
    submitted = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(submitted.load()) << "submit returned although the queue was full";
  held.release();
  late.join();
  EXPECT_TRUE(submitted.load());
  EXPECT_TRUE(queue.flush());
}

TEST(WorkQueueTest, ZeroStripeThreadsMeansTheNumberOfCores) {
  WorkQueue queue(0);
  EXPECT_EQ(queue.stripe_threads(),
            std::max<std::size_t>(1, std::thread::hardware_concurrency()));
  EXPECT_EQ(WorkQueue(3).stripe_threads(), 3u);
}

TEST(WorkQueueInlineTest, OnAnIdleQueueSmallWorkRunsOnTheSubmittingThreadBeforeSubmitReturns) {
  WorkQueue queue(1);
  Log log;
  const Fence first = queue.submit(log.record(1), Placement::kBesideWhenIndependent);
  ASSERT_EQ(log.entries(), std::vector<int>{1});  // ran before submit returned
  EXPECT_EQ(log.thread_of(0), std::this_thread::get_id());
  EXPECT_TRUE(queue.reached(first));
  EXPECT_EQ(first, 1u);
  // Fences keep rising across inline and queued work, and queued work runs on the queue thread.
  const Fence second = queue.submit(log.record(2));
  EXPECT_EQ(second, first + 1);
  ASSERT_TRUE(queue.flush());
  expect_second_queued_after_first(log);
}

TEST(WorkQueueInlineTest, WorkQueuedAheadRunsFirstAndTheSmallWorkIsQueuedBehindIt) {
  WorkQueue queue(1);
  Log log;
  {
    HeldQueues held;
    const Fence ahead = queue.submit(log.record(1));
    const Fence small = queue.submit(log.record(2), Placement::kBesideWhenIndependent);
    EXPECT_EQ(small, ahead + 1);
    EXPECT_TRUE(log.entries().empty()) << "work ran although the queue was held";
    EXPECT_FALSE(queue.reached(small));
  }
  ASSERT_TRUE(queue.flush());
  expect_second_queued_after_first(log);
}

TEST(WorkQueueInlineTest, HeldQueuesKeepEvenInlineWorkPending) {
  WorkQueue queue(1);
  Log log;
  HeldQueues held;
  const Fence fence = queue.submit(log.record(1), Placement::kBesideWhenIndependent);
  EXPECT_FALSE(queue.reached(fence));
  EXPECT_TRUE(log.entries().empty());
  held.release();
  queue.wait(fence);
  EXPECT_EQ(log.entries(), std::vector<int>{1});
}

TEST(WorkQueueInlineTest, TheQueueThreadStartsNothingUntilTheInlinePieceIsDone) {
  // Another thread's submission while a piece runs beside is queued and runs after it: it may
  // use the beside piece's surfaces.
  WorkQueue queue(1);
  Log log;
  std::atomic<bool> inline_started{false};
  std::atomic<bool> later_submitted{false};
  std::thread submitter([&] {
    queue.submit(
        [&](StripeRunner& runner) -> Result<void> {
          inline_started = true;
          await(later_submitted);
          return log.record(1)(runner);
        },
        Placement::kBesideWhenIndependent);
  });
  await(inline_started);
  const Fence later = queue.submit(log.record(2));
  later_submitted = true;
  submitter.join();
  queue.wait(later);
  expect_second_queued_after_first(log);
}

TEST(WorkQueueInlineTest, AnInlineErrorIsLatchedAndReportedOnceAtTheNextSyncPoint) {
  WorkQueue queue(1);
  const Fence good = queue.submit(succeed(), Placement::kBesideWhenIndependent);
  const Fence bad = queue.submit(fail_with("inline failure"), Placement::kBesideWhenIndependent);
  EXPECT_TRUE(queue.reached(bad));
  EXPECT_TRUE(queue.take_error(good));  // the failure came later than this fence
  // Later work still runs, inline, and the first failure is the one reported.
  const Fence after = queue.submit(fail_with("second failure"), Placement::kBesideWhenIndependent);
  EXPECT_TRUE(queue.reached(after));
  Result<void> reported = queue.flush();
  ASSERT_FALSE(reported);
  EXPECT_EQ(reported.error().code, Errc::kInternal);
  EXPECT_STREQ(reported.error().reason, "inline failure");
  EXPECT_TRUE(queue.flush());  // once
}

TEST(WorkQueueInlineTest, InlineWorkMayStripe) {
  WorkQueue queue(2);
  std::vector<std::atomic<int>> runs(8);
  queue.submit(
      [&](StripeRunner& runner) -> Result<void> {
        return runner.run(runs.size(), [&](std::size_t stripe) -> Result<void> {
          ++runs[stripe];
          return {};
        });
      },
      Placement::kBesideWhenIndependent);
  ASSERT_TRUE(queue.flush());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].load(), 1) << "stripe " << i;
  }
}

// A queued piece that records `what` once `go` is set; start() returns when it runs on the queue
// thread.
struct BlockingPiece {
  std::atomic<bool> started{false};
  std::atomic<bool> go{false};
  Fence start(WorkQueue& queue, Log& log, int what) {
    const Fence fence = queue.submit([this, &log, what](StripeRunner& runner) -> Result<void> {
      started = true;
      await(go);
      return log.record(what)(runner);
    });
    await(started);
    return fence;
  }
};

TEST(WorkQueueBesideTest, IndependentSmallWorkCompletesWhileEarlierQueuedWorkRuns) {
  WorkQueue queue(2);
  Log log;
  BlockingPiece blocking;
  const Fence earlier = blocking.start(queue, log, 1);
  std::size_t beside_threads = 0;
  const Fence beside = queue.submit(
      [&](StripeRunner& runner) -> Result<void> {
        beside_threads = runner.threads();
        return log.record(2)(runner);
      },
      Placement::kBesideWhenIndependent);
  EXPECT_GT(beside, earlier);
  ASSERT_EQ(log.entries(), std::vector<int>{2}) << "ran before submit returned";
  EXPECT_EQ(beside_threads, 1u) << "a piece beside a busy queue never stripes";
  EXPECT_TRUE(queue.reached(beside));
  EXPECT_FALSE(queue.reached(earlier));
  // A later queued piece (it may use the beside piece's surfaces) runs after the earlier one;
  // Flush waits for everything: here, for the blocked piece.
  const Fence later = queue.submit(log.record(3));
  std::atomic<bool> flushed{false};
  std::thread flusher([&] {
    EXPECT_TRUE(queue.flush());
    flushed = true;
  });
  while (testing::waiting_threads() < 1) {
    std::this_thread::yield();
  }
  EXPECT_FALSE(flushed) << "Flush returned while the earlier piece was still running";
  EXPECT_FALSE(queue.reached(later));
  blocking.go = true;
  flusher.join();
  EXPECT_EQ(log.entries(), (std::vector<int>{2, 1, 3}));
}

TEST(WorkQueueBesideTest, ABesideErrorIsLatchedWithItsFenceAndReportedOnce) {
  WorkQueue queue(1);
  Log log;
  BlockingPiece blocking;
  const Fence earlier = blocking.start(queue, log, 1);
  const Fence bad = queue.submit(fail_with("beside failure"), Placement::kBesideWhenIndependent);
  EXPECT_TRUE(queue.reached(bad));
  EXPECT_TRUE(queue.take_error(earlier)) << "the failure's fence is later";
  Result<void> reported = queue.take_error(bad);  // a wait on the beside piece's surface
  ASSERT_FALSE(reported);
  EXPECT_STREQ(reported.error().reason, "beside failure");
  blocking.go = true;
  EXPECT_TRUE(queue.flush()) << "reported once";
  EXPECT_EQ(log.entries(), std::vector<int>{1});
}

TEST(StripeRunnerTest, EveryStripeRunsExactlyOnceOnUpToTheRequestedThreads) {
  for (std::size_t threads : {1u, 2u, 4u}) {
    WorkQueue queue(threads);
    constexpr std::size_t kStripes = 64;
    std::vector<std::atomic<int>> runs(kStripes);
    std::mutex mutex;
    std::set<std::thread::id> seen;
    std::size_t reported_threads = 0;
    queue.submit([&](StripeRunner& runner) -> Result<void> {
      reported_threads = runner.threads();
      return runner.run(kStripes, [&](std::size_t stripe) -> Result<void> {
        ++runs[stripe];
        std::lock_guard lock(mutex);
        seen.insert(std::this_thread::get_id());
        return {};
      });
    });
    ASSERT_TRUE(queue.flush());
    EXPECT_EQ(reported_threads, threads);
    for (std::size_t i = 0; i < kStripes; ++i) {
      EXPECT_EQ(runs[i].load(), 1) << "stripe " << i << " with " << threads << " threads";
    }
    EXPECT_LE(seen.size(), threads);
  }
}

TEST(StripeRunnerTest, AFailedStripeFailsTheRunAndTheOthersStillRun) {
  WorkQueue queue(4);
  std::atomic<int> runs{0};
  queue.submit([&](StripeRunner& runner) -> Result<void> {
    return runner.run(16, [&](std::size_t stripe) -> Result<void> {
      ++runs;
      if (stripe == 5) {
        return Error{Errc::kInternal, "stripe 5 failed"};
      }
      return {};
    });
  });
  Result<void> reported = queue.flush();
  ASSERT_FALSE(reported);
  EXPECT_STREQ(reported.error().reason, "stripe 5 failed");
  EXPECT_EQ(runs.load(), 16);
}

TEST(StripeRunnerTest, WaitingCallersHelpButNeverAddThreadsBeyondTheRequestedCount) {
  // Callers blocked in wait() may run stripes of the work they wait for; however many wait, at
  // most `threads` threads work on one run at a time, and every stripe still runs once.
  constexpr std::size_t kThreads = 2;
  constexpr std::size_t kStripes = 48;
  WorkQueue queue(kThreads);
  std::vector<std::atomic<int>> runs(kStripes);
  std::atomic<int> inside{0};
  std::atomic<int> most_inside{0};
  const Fence fence = queue.submit([&](StripeRunner& runner) -> Result<void> {
    return runner.run(kStripes, [&](std::size_t stripe) -> Result<void> {
      const int now = ++inside;
      int most = most_inside.load();
      while (now > most && !most_inside.compare_exchange_weak(most, now)) {
      }
      std::this_thread::sleep_for(std::chrono::microseconds(300));
      ++runs[stripe];
      --inside;
      return {};
    });
  });
  std::vector<std::thread> waiters;
  for (int i = 0; i < 3; ++i) {
    waiters.emplace_back([&] { queue.wait(fence); });
  }
  queue.wait(fence);
  for (std::thread& waiter : waiters) {
    waiter.join();
  }
  ASSERT_TRUE(queue.take_error(fence));
  EXPECT_LE(most_inside.load(), static_cast<int>(kThreads));
  for (std::size_t i = 0; i < kStripes; ++i) {
    EXPECT_EQ(runs[i].load(), 1) << "stripe " << i;
  }
}

TEST(StripeRunnerTest, ManyRunsInARowReuseThePool) {
  WorkQueue queue(3);
  std::atomic<std::size_t> total{0};
  for (int work = 0; work < 300; ++work) {
    queue.submit([&](StripeRunner& runner) -> Result<void> {
      return runner.run(7, [&](std::size_t) -> Result<void> {
        ++total;
        return {};
      });
    });
  }
  ASSERT_TRUE(queue.flush());
  EXPECT_EQ(total.load(), 300u * 7u);
}

}  // namespace
}  // namespace cpddi::device
