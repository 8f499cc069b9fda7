#pragma once

// A software device: owns the executor and counts the sessions and resources it hosts against
// the configured caps (E_OUTOFMEMORY past them). See resource.h for the component paragraph.

#include <cstdint>
#include <memory>

#include "base/result.h"
#include "device/executor.h"
#include "device/resource.h"

namespace cpddi::device {

struct DeviceLimits {
  std::uint32_t max_sessions = 1024;
  std::uint32_t max_resources = 4096;
};

class Device {
 public:
  Device(DeviceLimits limits, std::shared_ptr<ProtectedPool> pool,
         std::unique_ptr<Executor> executor);

  Result<std::shared_ptr<Resource>> create_resource(const SurfaceDesc& desc);
  void resource_destroyed();
  Result<void> admit_session();
  void session_destroyed();

  Executor& executor() { return *executor_; }
  std::uint32_t live_sessions() const { return sessions_; }
  std::uint32_t live_resources() const { return resources_; }

 private:
  DeviceLimits limits_;
  std::shared_ptr<ProtectedPool> pool_;
  std::unique_ptr<Executor> executor_;
  std::uint32_t sessions_ = 0;
  std::uint32_t resources_ = 0;
};

}  // namespace cpddi::device
