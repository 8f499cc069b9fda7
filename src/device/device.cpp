#include "device/device.h"

namespace cpddi::device {

Device::Device(DeviceLimits limits, std::shared_ptr<ProtectedPool> pool, std::size_t blt_threads)
    : limits_(limits), pool_(std::move(pool)), queue_(blt_threads) {}

Fence Device::submit(Work work, std::initializer_list<Resource*> uses) {
  const Fence fence = queue_.submit(std::move(work));
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
  if (resources_ >= limits_.max_resources) {
    return Error{Errc::kOutOfMemory, "the device's resource limit is reached"};
  }
  Result<std::shared_ptr<Resource>> resource = Resource::create(desc, pool_);
  if (resource) {
    ++resources_;
  }
  return resource;
}

void Device::resource_destroyed() { --resources_; }

Result<void> Device::admit_session() {
  if (sessions_ >= limits_.max_sessions) {
    return Error{Errc::kOutOfMemory, "the device's crypto-session limit is reached"};
  }
  ++sessions_;
  return {};
}

void Device::session_destroyed() { --sessions_; }

}  // namespace cpddi::device
