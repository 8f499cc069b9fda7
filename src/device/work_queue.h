#pragma once

// The device's command stream, the software counterpart of a GPU queue. Blts are validated on the
// caller's thread and submitted here; one queue thread runs them in submission order (so a blt
// that reads a surface always sees the blts queued before it), and a blt may split itself into
// stripes that the queue's stripe pool runs on several threads at once. Each submission gets a
// fence; waiting for a fence means every piece of work up to it has run.
//
// An error a piece of work returns while running is latched with its fence and reported once, by
// the first take_error() whose fence reaches it; later errors before that report are logged and
// dropped (the first one is the one worth acting on).
//
// Small independent work may run beside the queue: submitted with
// Placement::kBesideWhenIndependent — which the caller may pass only when everything the work
// depends on is reached (Device::submit checks the last work on its surfaces and session) — it
// runs on the submitting thread, before submit() returns, even while the queue thread runs or
// holds other work, unless a test holds the queues (testing::hold_queues: then it is queued like
// any work, so held work stays pending). A piece run beside:
//   - gets its fence at submission like any piece; the queue thread starts no queued piece with a
//     higher fence until every beside piece with a lower one is done, so work submitted after it
//     (which may use its surfaces) sees its result, as in submission order;
//   - is reached (reached(), wait()) once it is done, whatever lower fences are still pending:
//     its own dependencies were complete when it started. wait_all() (Flush, DestroyDevice)
//     waits for the low-water mark: every fence up to it done;
//   - has its error latched with its fence exactly as if the queue thread had run it;
//   - stripes only when the queue was idle as it started (nothing queued or running): the stripe
//     pool runs one piece at a time. Otherwise it runs its stripes in turn on its own thread.
// Handing a 64 KiB blt to the queue thread and waking the caller again costs about as much as its
// AES, and queued behind another session's 12 MiB blt it would wait ~10 ms (issue 13).

// Thread-safe: submit/wait/take_error may be called from any thread (the DDI submits under its
// device lock, and waits with it released except in the destroys). Queued work runs without that
// lock: it must own everything it touches (its key snapshot, references to its surfaces).

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "base/result.h"

namespace cpddi::device {

using Fence = std::uint64_t;  // 0: before any work

using StripeFn = std::function<Result<void>(std::size_t stripe)>;

// Runs the stripes of one piece of work on up to threads() threads.
class StripeRunner {
 public:
  virtual ~StripeRunner() = default;
  virtual std::size_t threads() const = 0;
  // Runs stripe(0) … stripe(count - 1), each exactly once, and returns when all have returned:
  // the first error any of them returned, or success.
  virtual Result<void> run(std::size_t count, const StripeFn& stripe) = 0;
};

using Work = std::function<Result<void>(StripeRunner&)>;

// Where submit() may run a piece of work (see above).
enum class Placement : std::uint8_t { kQueue, kBesideWhenIndependent };

class StripePool;

class WorkQueue {
 public:
  // At most this many pieces of work wait in the queue; submit() blocks while it is full, as a
  // full GPU ring buffer makes the submitting thread wait.
  static constexpr std::size_t kCapacity = 64;

  // `stripe_threads`: threads one piece of work may use (0 = the number of cores).
  explicit WorkQueue(std::size_t stripe_threads);
  ~WorkQueue();  // runs what is queued, then stops its threads
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  std::size_t stripe_threads() const { return stripe_threads_; }

  // Queues `work` (or, with kBesideWhenIndependent, runs it at once: see above) and returns its
  // fence. Threads start on the first queued submission.
  Fence submit(Work work, Placement placement = Placement::kQueue);
  // The fence of the newest submission (0 if none).
  Fence last_fence() const;
  // True when the piece with `fence` has run (and so, unless it ran beside, all work before it).
  bool reached(Fence fence) const;
  // Blocks until reached(fence).
  void wait(Fence fence);
  // Blocks until all work up to `fence` has run.
  void wait_all(Fence fence);
  // The latched execution error, if its work's fence is ≤ `fence`; it is then forgotten.
  Result<void> take_error(Fence fence);
  // wait_all() and take_error() for everything submitted so far.
  Result<void> flush();

 private:
  void run_queue();
  // Runs `work` on this thread as the piece with `fence`, listed in beside_running_; with the
  // stripe pool when `may_stripe`.
  void run_beside(Fence fence, Work work, bool may_stripe) noexcept;
  // Latches `result`'s error (if any) for `fence` and marks `fence` complete; mutex_ held.
  void complete(Fence fence, const Result<void>& result);
  bool reached_locked(Fence fence) const;
  // Blocks until reached(fence) or, with `all`, every fence up to it is done; helps with stripes
  // and polls first (see work_queue.cpp).
  void wait_for_fence(Fence fence, bool all);

  const std::size_t stripe_threads_;
  std::unique_ptr<StripePool> stripes_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;  // queue non-empty or stopping
  std::condition_variable progress_;    // a fence completed or room in the queue
  std::deque<std::pair<Fence, Work>> queue_;
  // Written under mutex_; atomic so the short polls before a wait need no lock.
  std::atomic<Fence> submitted_{0};
  std::atomic<Fence> completed_{0};  // low-water mark: every fence up to it is done
  std::set<Fence> done_ahead_;       // done fences above completed_ (beside pieces)
  std::set<Fence> beside_running_;   // pieces running on submitting threads
  std::optional<std::pair<Fence, Error>> latched_error_;
  bool stopping_ = false;
  std::thread thread_;  // started lazily; joined by the destructor
};

namespace testing {
// Test seam (tests only): while held, every queue thread waits before running its next piece of
// work, so a test can prove work is still in flight. Release before waiting on a queue.
void hold_queues(bool held);

// How many threads are inside WorkQueue::wait() on any queue right now, so a test can know a call
// has reached its wait (rather than bound how long it takes to get there).
std::size_t waiting_threads();

// hold_queues(true) for the life of the object; released on scope exit even if a test fails, or
// earlier by release() (from any thread).
class HeldQueues {
 public:
  HeldQueues() { hold_queues(true); }
  ~HeldQueues() { release(); }
  HeldQueues(const HeldQueues&) = delete;
  HeldQueues& operator=(const HeldQueues&) = delete;
  void release() { hold_queues(false); }
};
}  // namespace testing

}  // namespace cpddi::device
