// Device synchronisation and teardown (docs/behaviour.md, "Asynchronous device").
#include "base/log.h"
#include "runtime/locked_device.h"
#include "runtime/runtime.h"

namespace cpddi::runtime {

Result<void> Runtime::flush(const ObjectName& device) {
  Result<LockedDevice> locked = LockedDevice::acquire(registry_, device);
  if (!locked) {
    return locked.error();
  }
  // Waits with the device lock released (resource_calls.cpp, wait_until_idle): the device's
  // other sessions keep submitting, and what they submit meanwhile is not waited for.
  device::WorkQueue& queue = locked->device().queue();
  const device::Fence fence = queue.last_fence();
  if (Result<void> alive = locked->unlocked([&] { queue.wait_all(fence); }); !alive) {
    return alive;  // destroyed meanwhile; DestroyDevice logged any latched error
  }
  return queue.take_error(fence);
}

Result<void> Runtime::destroy_device(const ObjectName& device) {
  Result<LockedDevice> locked = LockedDevice::acquire(registry_, device);
  if (!locked) {
    return locked.error();
  }
  DeviceRecord& record = locked->record();
  // Teardown order: first the queue drains (queued blts hold key copies and read the caller's
  // surfaces), then every handle the device hosts dies — channels first (closed: keys wiped,
  // requests withdrawn, while the device lock is held), then sessions, wiped as their objects
  // die, then resources, protected surfaces as their memory is freed — then the device's own
  // handle. Removal
  // cannot fail, so the device is never left half-destroyed; an execution error found by the
  // drain has nobody left to report to and is logged.
  Result<void> flushed = locked->device().queue().flush();
  for (Handle channel : record.channels) {
    if (std::shared_ptr<AuthenticatedChannelRecord> removed =
            registry_.remove<AuthenticatedChannelRecord>(channel)) {
      removed->channel->close();
    }
  }
  for (Handle session : record.sessions) {
    registry_.remove<CryptoSessionRecord>(session);
  }
  for (Handle resource : record.resources) {
    registry_.remove<ResourceRecord>(resource);
  }
  record.channels.clear();
  record.sessions.clear();
  record.resources.clear();
  record.destroyed = true;  // a caller already waiting for the lock fails instead of running
  registry_.remove<DeviceRecord>(device);
  if (!flushed) {
    logging::warn("DestroyDevice: queued work failed before destruction: ", flushed.error().reason);
  }
  return {};
}

}  // namespace cpddi::runtime
