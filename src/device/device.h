#pragma once

// Device — the software GPU. Owns surfaces (resource.h: formats, pitches, Lock rules, the
// protected-memory pool) and the work queue on which every blt's work runs (work_queue.h); a
// Device ties the two together, marking each surface with the fence of the newest work that uses
// it so a wait knows what to wait for.
//
// May depend on crypto/ (cleansing buffers) and base/; knows nothing of sessions, keys, handles,
// admission limits (the runtime's) or DDI structs. Threading: a Device and its resources are used
// under the runtime's device lock; queued work runs on the device's queue threads without that
// lock and touches only the surface bytes it was given.

#include <cstdint>
#include <initializer_list>
#include <memory>

#include "base/result.h"
#include "device/work_queue.h"
#include "device/resource.h"

namespace cpddi::device {

class Device {
 public:
  // `blt_threads`: threads one blt may use in stripes (0 = the number of cores).
  Device(std::shared_ptr<ProtectedPool> pool, std::size_t blt_threads);

  // A surface whose protected memory (if any) comes from the adapter's pool.
  Result<std::shared_ptr<Resource>> create_resource(const SurfaceDesc& desc);

  // Queues `work` (or runs it beside the queue: `placement`, work_queue.h), which reads or writes
  // `uses` and comes after `after` (its session's last blt). It depends on that and on the last
  // work on each of `uses`; each of `uses` then remembers its fence, so wait_for() and busy()
  // know what to wait for.
  Fence submit(Work work, std::initializer_list<Resource*> uses,
               Placement placement = Placement::kQueue, Fence after = 0);
  // Blocks until the queued work that uses `resource` has run; returns a latched execution error
  // of that work or earlier work (reported once).
  Result<void> wait_for(const Resource& resource);
  bool busy(const Resource& resource) const { return !queue_.reached(resource.last_use()); }
  WorkQueue& queue() { return queue_; }

 private:
  std::shared_ptr<ProtectedPool> pool_;
  WorkQueue queue_;
};

}  // namespace cpddi::device
