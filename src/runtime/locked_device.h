#pragma once

// Per-device locking (docs/behaviour.md, Threading): every runtime call on a device finds the
// device, takes its lock for the rest of the call and only then resolves the sessions and
// resources the call names — each must be live and belong to this device. A call racing a
// destroy therefore runs before it or fails with kInvalidArgument, never on a dead object.
// Queued blts never take the lock, so a call that waits for the queue while holding it always
// sees the queue make progress. The waits a player makes (Lock, Flush, host-surface waits) wait
// with the lock released (LockedDevice::unlocked) so the device's other sessions keep submitting;
// the destroys wait holding it, as nothing may use what they are taking apart.

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "base/result.h"
#include "channel/authenticated_channel.h"
#include "device/device.h"
#include "device/resource.h"
#include "runtime/names.h"
#include "runtime/records.h"
#include "runtime/registry.h"
#include "session/crypto_session.h"

namespace cpddi::runtime {

// A live device with its lock held until this object dies.
class LockedDevice {
 public:
  static Result<LockedDevice> acquire(const Registry& registry, const ObjectName& device);

  DeviceRecord& record() { return *record_; }
  device::Device& device() { return *record_->device; }
  const AdapterRecord& adapter() const { return *record_->adapter; }

  // The session / resource `name` names, if it is live and belongs to this device. For a
  // SubresourceName, also its index (cpddi surfaces have only subresource 0).
  Result<session::CryptoSession*> session(const ObjectName& name) const;
  Result<channel::AuthenticatedChannel*> channel(const ObjectName& name) const;
  Result<std::shared_ptr<device::Resource>> resource(const ObjectName& name) const;
  Result<std::shared_ptr<device::Resource>> resource(const SubresourceName& name) const;

  // Runs wait() with the device's lock released and takes the lock again. An error (the one a
  // call on a destroyed device gets) when the device was destroyed meanwhile: the caller then
  // touches nothing it found before. Otherwise every session or resource found before may have
  // been destroyed, locked or given more work meanwhile: the caller finds and checks it again.
  template <class Wait>
  Result<void> unlocked(Wait&& wait) {
    lock_.unlock();
    std::forward<Wait>(wait)();
    lock_.lock();
    if (record_->destroyed) {
      return destroyed_device();
    }
    return {};
  }

 private:
  static Error destroyed_device();

  LockedDevice(const Registry& registry, std::shared_ptr<DeviceRecord> record);

  const Registry* registry_;
  std::shared_ptr<DeviceRecord> record_;
  std::unique_lock<std::mutex> lock_;
};

// The shape of every call on one object of a device: lock the device, find(LockedDevice&) the
// object on it (a Result of a pointer), then run body(LockedDevice&, Object&).
template <class Find, class Body>
auto with_found(const Registry& registry, const ObjectName& device, Find&& find, Body&& body)
    -> decltype(body(std::declval<LockedDevice&>(), **find(std::declval<LockedDevice&>()))) {
  Result<LockedDevice> locked = LockedDevice::acquire(registry, device);
  if (!locked) {
    return locked.error();
  }
  auto found = find(*locked);
  if (!found) {
    return found.error();
  }
  return body(*locked, **found);
}

// A call on one crypto session: body(LockedDevice&, CryptoSession&).
template <class Body>
auto with_session(const Registry& registry, const ObjectName& device, const ObjectName& session,
                  Body&& body) {
  return with_found(
      registry, device, [&](LockedDevice& locked) { return locked.session(session); }, body);
}

// A call on one authenticated channel: body(LockedDevice&, AuthenticatedChannel&).
template <class Body>
auto with_channel(const Registry& registry, const ObjectName& device, const ObjectName& channel,
                  Body&& body) {
  return with_found(
      registry, device, [&](LockedDevice& locked) { return locked.channel(channel); }, body);
}

// A call on one resource (an ObjectName) or subresource (a SubresourceName) of a device:
// body(LockedDevice&, device::Resource&).
template <class Name, class Body>
auto with_resource(const Registry& registry, const ObjectName& device, const Name& resource,
                   Body&& body) {
  return with_found(
      registry, device, [&](LockedDevice& locked) { return locked.resource(resource); }, body);
}

// A session or resource enters and leaves the registry together with its device's list of them
// (`owned`: the locked device's record().sessions or record().resources, which its admission
// limit counts), under the device's lock.

// Stores `object` under `key` and lists its handle in `owned`. On failure nothing is listed and
// `object` dies with the call (a surface returns its protected memory).
template <class Record>
Result<Handle> add_owned(Registry& registry, std::vector<Handle>& owned,
                         std::shared_ptr<Record> object, std::optional<FrontEndKey> key) {
  owned.reserve(owned.size() + 1);  // push_back below cannot throw
  Result<Handle> handle = registry.insert(std::move(object), key);
  if (!handle) {
    return handle.error();
  }
  owned.push_back(*handle);
  return *handle;
}

// Removes the `Record` that `name` names from the registry and from `owned`. The caller found it
// live on this device under the lock it still holds, and only a call holding that lock removes
// the device's objects, so it is still there.
template <class Record>
void remove_owned(Registry& registry, std::vector<Handle>& owned, const ObjectName& name) {
  const Handle handle = *registry.resolve<Record>(name);
  registry.remove<Record>(handle);
  std::erase(owned, handle);
}

}  // namespace cpddi::runtime
