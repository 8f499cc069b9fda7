#pragma once

// A software device: owns the work queue that runs its blts (work_queue.h) and counts the
// sessions and resources it hosts against the configured caps (E_OUTOFMEMORY past them). See
// resource.h for the component paragraph.

#include <cstdint>
#include <initializer_list>
#include <memory>

#include "base/result.h"
#include "device/work_queue.h"
#include "device/resource.h"

namespace cpddi::device {

struct DeviceLimits {
  std::uint32_t max_sessions = 1024;
  std::uint32_t max_resources = 4096;
};

class Device {
 public:
  // `blt_threads`: threads one blt may use in stripes (0 = the number of cores).
  Device(DeviceLimits limits, std::shared_ptr<ProtectedPool> pool, std::size_t blt_threads);

  Result<std::shared_ptr<Resource>> create_resource(const SurfaceDesc& desc);
  void resource_destroyed();
  Result<void> admit_session();
  void session_destroyed();

  // Queues `work`, which reads or writes `uses`: each remembers the fence, so wait_for() and
  // busy() know what to wait for.
  Fence submit(Work work, std::initializer_list<Resource*> uses);
  // Blocks until the queued work that uses `resource` has run; returns a latched execution error
  // of that work or earlier work (reported once).
  Result<void> wait_for(const Resource& resource);
  bool busy(const Resource& resource) const { return !queue_.reached(resource.last_use()); }
  WorkQueue& queue() { return queue_; }
  std::uint32_t live_sessions() const { return sessions_; }
  std::uint32_t live_resources() const { return resources_; }

 private:
  DeviceLimits limits_;
  std::shared_ptr<ProtectedPool> pool_;
  WorkQueue queue_;
  std::uint32_t sessions_ = 0;
  std::uint32_t resources_ = 0;
};

}  // namespace cpddi::device
