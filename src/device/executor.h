#pragma once

// The execution seam: every blt's work (crypto + surface writes) runs through an Executor, so an
// asynchronous GPU-like queue can replace SyncExecutor without touching the session code. Work
// is self-contained: it carries its own key snapshot (spec §9 A6) and resource references.

#include <functional>
#include <memory>

#include "base/result.h"

namespace cpddi::device {

using Work = std::function<Result<void>()>;

class Executor {
 public:
  virtual ~Executor() = default;
  // Runs or queues `work`. A synchronous executor returns the work's own result; a queue would
  // return after accepting it and report execution errors at the next flush().
  virtual Result<void> submit(Work work) = 0;
  // Waits for all submitted work; returns the first execution error since the last flush.
  virtual Result<void> flush() = 0;
};

// Runs each piece of work on the calling thread before submit() returns.
class SyncExecutor final : public Executor {
 public:
  Result<void> submit(Work work) override { return work(); }
  Result<void> flush() override { return {}; }
};

}  // namespace cpddi::device
