// Resources: creation under the device's resource limit, and the waits that make the CPU's view
// of a surface consistent with the queue (spec §4.10, A22; docs/behaviour.md, "Asynchronous
// device").
#include "runtime/locked_device.h"
#include "runtime/runtime.h"

namespace cpddi::runtime {
namespace {

// Waits with the device lock released, so the device's other sessions keep submitting meanwhile,
// until the work up to `fence` has run. Once the lock is back the surface `name` named must still
// be there: the device or the surface destroyed meanwhile → the invalid-handle error a call
// arriving now gets (handles are generation-tagged, so `name` cannot find a newer surface).
template <class Name>
Result<void> wait_unlocked(LockedDevice& locked, const Name& name, device::Fence fence) {
  // The record (and so the device and its queue) outlives the wait: `locked` holds it.
  device::WorkQueue& queue = locked.device().queue();
  if (Result<void> alive = locked.unlocked([&] { queue.wait(fence); }); !alive) {
    return alive;
  }
  if (Result<std::shared_ptr<device::Resource>> found = locked.resource(name); !found) {
    return found.error();
  }
  return {};
}

Error still_drawing() {
  return Error{Errc::kStillDrawing, "DoNotWait: queued blts still use the surface"};
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
    // Queued blts that use this surface must have run before the CPU sees it, including those
    // submitted while this call waited (nothing may write a mapped surface). A protected or
    // locked surface is refused without waiting (A22, double Lock) — and so after a wait during
    // which another thread locked it. On failure nothing is mapped.
    for (;;) {
      if (surface.is_protected() || surface.locked()) {
        return surface.lock().error();
      }
      if (!locked.device().busy(surface)) {
        break;
      }
      if (request.do_not_wait) {
        return still_drawing();
      }
      if (Result<void> waited = wait_unlocked(locked, request.surface, surface.last_use());
          !waited) {
        return waited.error();
      }
    }
    // Idle: returns at once, with a latched error of its blts or earlier ones (reported once).
    if (Result<void> failed = locked.device().wait_for(surface); !failed) {
      return failed.error();
    }
    Result<std::uint8_t*> mapped = surface.lock();
    if (!mapped) {
      return mapped.error();
    }
    return MappedSurface{*mapped, surface.layout().pitch, surface.layout().linear_size()};
  };
  return with_resource(registry_, device, request.surface, map);
}

// Waits for the blts on the surface when the call was made, not for those submitted while it
// waits (cpddi_embed.h, cpddi_wait_host_surface).
Result<void> Runtime::wait_for_resource(const ObjectName& device, const SubresourceName& surface,
                                        bool do_not_wait) {
  auto wait = [&](LockedDevice& locked, device::Resource& found) -> Result<void> {
    const device::Fence fence = found.last_use();
    if (locked.device().queue().reached(fence)) {
      return locked.device().queue().take_error(fence);
    }
    if (do_not_wait) {
      return still_drawing();
    }
    if (Result<void> waited = wait_unlocked(locked, surface, fence); !waited) {
      return waited;
    }
    return locked.device().queue().take_error(fence);
  };
  return with_resource(registry_, device, surface, wait);
}

Result<void> Runtime::unlock(const ObjectName& device, const SubresourceName& surface) {
  return with_resource(registry_, device, surface,
                       [](LockedDevice&, device::Resource& found) { return found.unlock(); });
}

}  // namespace cpddi::runtime
