#include "device/work_queue.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <utility>
#include <vector>

#include "base/log.h"

namespace cpddi::device {
namespace {

// The hold seam: one process-wide switch, checked before each piece of work.
std::atomic<bool> g_held{false};
std::mutex g_hold_mutex;
std::condition_variable g_hold_released;

// Threads inside WorkQueue::wait() (testing::waiting_threads).
std::atomic<std::size_t> g_waiting{0};

struct CountedWaiter {
  CountedWaiter() { ++g_waiting; }
  ~CountedWaiter() { --g_waiting; }
  CountedWaiter(const CountedWaiter&) = delete;
  CountedWaiter& operator=(const CountedWaiter&) = delete;
};

void wait_while_held() {
  if (!g_held.load()) {
    return;
  }
  std::unique_lock lock(g_hold_mutex);
  g_hold_released.wait(lock, [] { return !g_held.load(); });
}

// Handing work to another thread and waiting for it each cost a wake-up, which on a virtual
// machine takes tens of microseconds — as long as AES over a few hundred KiB. So the queue thread
// and the stripe helpers poll for new work for this long before sleeping, as GPU drivers poll
// their fences before blocking.
constexpr auto kPollBeforeSleeping = std::chrono::microseconds(200);
// A caller waiting for a fence has nothing else to do, and a wake-up at the end would add tens of
// microseconds to a blt that takes a few hundred: it polls for longer (about one 12 MiB blt on
// one thread; measured: a 3 MiB DecryptionBlt + Flush on one thread went from 0.84x to 1.0x of
// raw EVP), and helps with stripes meanwhile (WorkQueue::wait).
constexpr auto kWaiterPollBeforeSleeping = std::chrono::milliseconds(2);

template <class Ready>
bool poll_until(Ready ready) {
  const auto deadline = std::chrono::steady_clock::now() + kPollBeforeSleeping;
  while (!ready()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::yield();
  }
  return true;
}

Result<void> run_in_turn(std::size_t count, const StripeFn& stripe) {
  for (std::size_t i = 0; i < count; ++i) {
    if (Result<void> r = stripe(i); !r) {
      return r;
    }
  }
  return {};
}

// For a piece beside the queue while the stripe pool may be busy with the queue's piece.
class InTurnRunner final : public StripeRunner {
 public:
  std::size_t threads() const override { return 1; }
  Result<void> run(std::size_t count, const StripeFn& stripe) override {
    return run_in_turn(count, stripe);
  }
};

std::size_t resolve_threads(std::size_t requested) {
  if (requested != 0) {
    return requested;
  }
  return std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

}  // namespace

namespace testing {
void hold_queues(bool held) {
  {
    std::lock_guard lock(g_hold_mutex);
    g_held.store(held);
  }
  g_hold_released.notify_all();
}

std::size_t waiting_threads() { return g_waiting.load(); }
}  // namespace testing

// The queue thread plus threads() - 1 helpers, started on the first run() with several stripes.
// One job at a time (the queue thread runs one piece of work at a time): every thread that joins
// takes the next unclaimed stripe until none is left. At most threads() threads work on a job —
// the queue thread, then the first helpers or waiting callers (WorkQueue::wait) to arrive — so
// the pool never keeps more threads busy than the device option allows.
class StripePool final : public StripeRunner {
 public:
  enum class Help {
    kHelped,   // ran stripes of the job in progress
    kBusy,     // a job is in progress and every one of its places is taken
    kNothing,  // no job in progress, or all its stripes are claimed
  };

  explicit StripePool(std::size_t threads) : threads_(threads) {}
  ~StripePool() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    job_posted_.notify_all();
    for (std::thread& helper : helpers_) {
      helper.join();
    }
  }

  std::size_t threads() const override { return threads_; }

  Result<void> run(std::size_t count, const StripeFn& stripe) override {
    if (count <= 1 || threads_ == 1) {
      return run_in_turn(count, stripe);
    }
    Job job;
    job.stripe = &stripe;
    job.count = count;
    job.places_taken = 1;  // this thread's
    {
      std::lock_guard lock(mutex_);
      while (helpers_.size() + 1 < threads_) {
        helpers_.emplace_back([this] { help(); });
      }
      job_ = &job;
      ++generation_;
    }
    job_posted_.notify_all();
    work_on(job);
    {
      std::lock_guard lock(mutex_);
      job_ = nullptr;  // nobody joins any more
    }
    // The last stripes end within a stripe's time: poll for them before sleeping (the wait below
    // then returns at once).
    poll_until([&] { return job.inside.load() == 0; });
    std::unique_lock lock(mutex_);
    job_left_.wait(lock, [&] { return job.inside.load() == 0; });
    if (job.first_error) {
      return *job.first_error;
    }
    return {};
  }

  // Lends the calling thread to the job in progress, if it has a free place and unclaimed
  // stripes: a caller waiting for a fence then works instead of polling beside the stripe threads.
  Help help_current_job() {
    std::unique_lock lock(mutex_);
    if (job_ == nullptr || job_->next.load() >= job_->count) {
      return Help::kNothing;
    }
    if (!join(*job_, lock)) {
      return Help::kBusy;
    }
    return Help::kHelped;
  }

 private:
  struct Job {
    const StripeFn* stripe = nullptr;
    std::size_t count = 0;
    std::atomic<std::size_t> next{0};
    std::size_t places_taken = 0;         // guarded by mutex_
    std::atomic<std::size_t> inside{0};   // joined threads other than run()'s still working
    std::optional<Error> first_error;     // guarded by mutex_
  };

  void work_on(Job& job) {
    for (std::size_t i = job.next.fetch_add(1); i < job.count; i = job.next.fetch_add(1)) {
      Result<void> r = (*job.stripe)(i);
      if (!r) {
        std::lock_guard lock(mutex_);
        if (!job.first_error) {
          job.first_error = r.error();
        }
      }
    }
  }

  // Works on `job` if it has a free place; `lock` holds mutex_ on entry and on return.
  bool join(Job& job, std::unique_lock<std::mutex>& lock) {
    if (job.places_taken >= threads_) {
      return false;
    }
    ++job.places_taken;
    ++job.inside;
    lock.unlock();
    work_on(job);
    lock.lock();
    if (--job.inside == 0) {
      job_left_.notify_all();
    }
    return true;
  }

  void help() {
    std::uint64_t seen = 0;
    std::unique_lock lock(mutex_);
    for (;;) {
      job_posted_.wait(lock, [&] { return stopping_ || (job_ != nullptr && generation_ != seen); });
      if (stopping_) {
        return;
      }
      seen = generation_;
      if (!join(*job_, lock)) {
        continue;  // every place is taken: sleep until the next job rather than poll beside it
      }
      // The next blt's stripes usually follow at once: poll before sleeping (see above).
      lock.unlock();
      poll_until([&] { return stopping_.load() || generation_.load() != seen; });
      lock.lock();
    }
  }

  const std::size_t threads_;
  std::mutex mutex_;
  std::condition_variable job_posted_;
  std::condition_variable job_left_;
  Job* job_ = nullptr;
  // Written under mutex_; atomic so a helper can poll them without it.
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> helpers_;
};

WorkQueue::WorkQueue(std::size_t stripe_threads)
    : stripe_threads_(resolve_threads(stripe_threads)),
      stripes_(std::make_unique<StripePool>(stripe_threads_)) {}

WorkQueue::~WorkQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  if (latched_error_) {
    logging::warn("a queued blt failed and the failure was never reported: ",
                  latched_error_->second.reason);
  }
}

Fence WorkQueue::submit(Work work, Placement placement) {
  std::unique_lock lock(mutex_);
  // Held queues keep all work pending.
  if (placement == Placement::kBesideWhenIndependent && !g_held.load()) {
    // Idle (nothing queued, nothing running anywhere): the stripe pool is free for it.
    const bool idle = queue_.empty() && completed_.load() == submitted_.load();
    const Fence fence = ++submitted_;
    beside_running_.insert(fence);
    lock.unlock();
    run_beside(fence, std::move(work), idle);
    return fence;
  }
  if (!thread_.joinable()) {
    thread_ = std::thread([this] { run_queue(); });
  }
  progress_.wait(lock, [&] { return queue_.size() < kCapacity; });
  const Fence fence = ++submitted_;
  queue_.emplace_back(fence, std::move(work));
  lock.unlock();
  work_ready_.notify_one();
  return fence;
}

// noexcept: work that throws ends the process here as it would on the queue thread, rather than
// leave its fence running and the queue stalled.
void WorkQueue::run_beside(Fence fence, Work work, bool may_stripe) noexcept {
  InTurnRunner in_turn;
  Result<void> result = may_stripe ? work(*stripes_) : work(in_turn);
  work = nullptr;  // as on the queue thread: the key snapshot dies before the fence is reached
  {
    std::lock_guard lock(mutex_);
    complete(fence, result);
    beside_running_.erase(fence);
  }
  progress_.notify_all();
  work_ready_.notify_one();  // queued work with a higher fence may start now
}

void WorkQueue::complete(Fence fence, const Result<void>& result) {
  if (!result) {
    if (!latched_error_) {
      latched_error_.emplace(fence, result.error());
    } else {
      logging::warn("a queued blt failed while an earlier failure is unreported: ",
                    result.error().reason);
    }
  }
  // Every fence completes once; the low-water mark moves over the ones done ahead of it.
  Fence low = completed_.load();
  if (fence != low + 1) {
    done_ahead_.insert(fence);
    return;
  }
  ++low;
  for (auto next = done_ahead_.begin(); next != done_ahead_.end() && *next == low + 1;
       next = done_ahead_.erase(next)) {
    ++low;
  }
  completed_ = low;
}

Fence WorkQueue::last_fence() const { return submitted_.load(); }

bool WorkQueue::reached_locked(Fence fence) const {
  return completed_.load() >= fence || done_ahead_.contains(fence);
}

bool WorkQueue::reached(Fence fence) const {
  if (completed_.load() >= fence) {
    return true;
  }
  std::lock_guard lock(mutex_);
  return reached_locked(fence);
}

void WorkQueue::wait_for_fence(Fence fence, bool all) {
  const CountedWaiter counted;
  auto done = [&] { return all ? completed_.load() >= fence : reached(fence); };
  // Help with the stripes of the work in progress while it has room for another thread; poll
  // while there is nothing to help with (the wait is short, and a sleeping thread's wake-up is
  // slow); sleep at once when every stripe place is taken (polling would take a core from them).
  const auto deadline = std::chrono::steady_clock::now() + kWaiterPollBeforeSleeping;
  while (!done()) {
    const StripePool::Help help = stripes_->help_current_job();
    if (help == StripePool::Help::kBusy || std::chrono::steady_clock::now() >= deadline) {
      break;
    }
    if (help == StripePool::Help::kNothing) {
      std::this_thread::yield();
    }
  }
  if (done()) {
    return;
  }
  std::unique_lock lock(mutex_);
  progress_.wait(lock, [&] { return all ? completed_.load() >= fence : reached_locked(fence); });
}

void WorkQueue::wait(Fence fence) { wait_for_fence(fence, false); }

void WorkQueue::wait_all(Fence fence) { wait_for_fence(fence, true); }

Result<void> WorkQueue::take_error(Fence fence) {
  std::lock_guard lock(mutex_);
  if (latched_error_ && latched_error_->first <= fence) {
    Error error = std::move(latched_error_->second);
    latched_error_.reset();
    return error;
  }
  return {};
}

Result<void> WorkQueue::flush() {
  const Fence fence = last_fence();
  wait_all(fence);
  return take_error(fence);
}

void WorkQueue::run_queue() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // A queued piece starts only after every beside piece with a lower fence is done.
    work_ready_.wait(lock, [&] {
      if (queue_.empty()) {
        return stopping_;
      }
      return beside_running_.empty() || *beside_running_.begin() > queue_.front().first;
    });
    if (queue_.empty()) {
      return;  // stopping, and everything queued has run
    }
    const Fence fence = queue_.front().first;
    Work work = std::move(queue_.front().second);
    queue_.pop_front();
    lock.unlock();
    progress_.notify_all();  // room in the queue
    wait_while_held();
    Result<void> result = work(*stripes_);
    work = nullptr;  // the work's key snapshot dies (and is wiped) before anyone sees the fence
    lock.lock();
    complete(fence, result);
    progress_.notify_all();
    if (queue_.empty() && !stopping_) {
      lock.unlock();
      poll_until([&] { return submitted_.load() > fence; });
      lock.lock();
    }
  }
}

}  // namespace cpddi::device
