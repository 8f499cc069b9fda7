// Resources: creation under the device's resource limit, and the waits that make the CPU's view
// of a surface consistent with the queue (spec §4.10, A22; docs/behaviour.md, "Asynchronous
// device").
#include "runtime/locked_device.h"
#include "runtime/runtime.h"

namespace cpddi::runtime {
namespace {

// Returns once no queued blt reads or writes `surface` (with `do_not_wait`, kStillDrawing while
// one does), reporting a latched execution error of that work or earlier work.
Result<void> wait_until_idle(LockedDevice& locked, const device::Resource& surface,
                             bool do_not_wait) {
  if (do_not_wait && locked.device().busy(surface)) {
    return Error{Errc::kStillDrawing, "DoNotWait: queued blts still use the surface"};
  }
  return locked.device().wait_for(surface);
}

}  // namespace

Result<Handle> Runtime::create_resource(const ObjectName& device, const device::SurfaceDesc& desc,
                                        std::optional<FrontEndKey> key) {
  Result<LockedDevice> locked = LockedDevice::acquire(registry_, device);
  if (!locked) {
    return locked.error();
  }
  DeviceRecord& record = locked->record();
  // The limit is checked before the surface: a refused call reserves no protected memory.
  if (record.resources.size() >= locked->adapter().max_resources_per_device) {
    return Error{Errc::kOutOfMemory, "the device's resource limit is reached"};
  }
  Result<std::shared_ptr<device::Resource>> resource = locked->device().create_resource(desc);
  if (!resource) {
    return resource.error();
  }
  return add_owned(registry_, record.resources,
                   std::make_shared<ResourceRecord>(ResourceRecord{&record, std::move(*resource)}),
                   key);
}

Result<void> Runtime::destroy_resource(const ObjectName& device, const ObjectName& resource) {
  auto destroy = [&](LockedDevice& locked, device::Resource& surface) -> Result<void> {
    // The queued blts that use the surface run first: its memory may be the caller's (pSysMem),
    // which the caller may free once this returns. An execution error stays for the next Flush.
    locked.device().queue().wait(surface.last_use());
    remove_owned<ResourceRecord>(registry_, locked.record().resources, resource);
    return {};
  };
  return with_resource(registry_, device, resource, destroy);
}

Result<MappedSurface> Runtime::lock(const ObjectName& device, const LockRequest& request) {
  auto map = [&](LockedDevice& locked, device::Resource& surface) -> Result<MappedSurface> {
    if (request.part_of_surface) {
      return Error{Errc::kInvalidArgument,
                   "partial locks are not supported: lock the whole surface"};
    }
    if (surface.is_protected() || surface.locked()) {
      return surface.lock().error();  // refused without waiting (A22, double Lock)
    }
    // Queued blts that use this surface must have run before the CPU sees it.
    if (Result<void> waited = wait_until_idle(locked, surface, request.do_not_wait); !waited) {
      return waited.error();  // still drawing, or a queued blt failed: nothing mapped
    }
    Result<std::uint8_t*> mapped = surface.lock();
    if (!mapped) {
      return mapped.error();
    }
    return MappedSurface{*mapped, surface.layout().pitch, surface.layout().linear_size()};
  };
  return with_resource(registry_, device, request.surface, map);
}

Result<void> Runtime::wait_for_resource(const ObjectName& device, const SubresourceName& surface,
                                        bool do_not_wait) {
  return with_resource(registry_, device, surface,
                       [&](LockedDevice& locked, device::Resource& found) {
                         return wait_until_idle(locked, found, do_not_wait);
                       });
}

Result<void> Runtime::unlock(const ObjectName& device, const SubresourceName& surface) {
  return with_resource(registry_, device, surface,
                       [](LockedDevice&, device::Resource& found) { return found.unlock(); });
}

}  // namespace cpddi::runtime
