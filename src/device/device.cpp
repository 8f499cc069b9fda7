#include "device/device.h"

namespace cpddi::device {

Device::Device(DeviceLimits limits, std::shared_ptr<ProtectedPool> pool,
               std::unique_ptr<Executor> executor)
    : limits_(limits), pool_(std::move(pool)), executor_(std::move(executor)) {}

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
