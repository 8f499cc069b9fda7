#include "device/device.h"

#include <vector>

namespace cpddi::device {

Device::Device(std::shared_ptr<ProtectedPool> pool, std::size_t blt_threads)
    : pool_(std::move(pool)), queue_(blt_threads) {}

Fence Device::submit(Work work, std::initializer_list<Resource*> uses, Placement placement,
                     Fence after) {
  // Read under the caller's device lock, the only place they change.
  std::vector<Fence> depends_on{after};
  for (const Resource* resource : uses) {
    depends_on.push_back(resource->last_use());
  }
  const Fence fence = queue_.submit(std::move(work), placement, depends_on);
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
