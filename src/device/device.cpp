#include "device/device.h"

#include <algorithm>

namespace cpddi::device {

Device::Device(std::shared_ptr<ProtectedPool> pool, std::size_t blt_threads)
    : pool_(std::move(pool)), queue_(blt_threads) {}

Fence Device::submit(Work work, std::initializer_list<Resource*> uses, Placement placement,
                     Fence after) {
  // Independent: its session's last blt and the last work on each surface have run. The fences
  // change only under the caller's device lock, and a reached fence stays reached.
  const bool independent =
      queue_.reached(after) && std::all_of(uses.begin(), uses.end(), [&](const Resource* r) {
        return queue_.reached(r->last_use());
      });
  const Fence fence =
      queue_.submit(std::move(work), independent ? placement : Placement::kQueue);
  for (Resource* resource : uses) {
    resource->used_by(fence);
  }
  return fence;
}

Result<void> Device::wait_for(const Resource& resource) {
  queue_.wait(resource.last_use());
  return queue_.take_error(resource.last_use());
}

Result<std::shared_ptr<Resource>> Device::create_resource(const SurfaceDesc& desc) {
  return Resource::create(desc, pool_);
}

}  // namespace cpddi::device
