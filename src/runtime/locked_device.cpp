#include "runtime/locked_device.h"

namespace cpddi::runtime {

LockedDevice::LockedDevice(const Registry& registry, std::shared_ptr<DeviceRecord> record)
    : registry_(&registry), record_(std::move(record)), lock_(record_->mutex) {}

Error LockedDevice::destroyed_device() {
  return Error{Errc::kInvalidArgument, "unknown or destroyed device handle"};
}

Result<LockedDevice> LockedDevice::acquire(const Registry& registry, const ObjectName& device) {
  std::shared_ptr<DeviceRecord> record = registry.find<DeviceRecord>(device);
  if (!record) {
    return destroyed_device();
  }
  LockedDevice locked(registry, std::move(record));
  if (locked.record_->destroyed) {  // destroyed while we waited for the lock
    return destroyed_device();
  }
  return locked;
}

Result<session::CryptoSession*> LockedDevice::session(const ObjectName& name) const {
  std::shared_ptr<CryptoSessionRecord> found = registry_->find<CryptoSessionRecord>(name);
  if (!found) {
    return Error{Errc::kInvalidArgument, "unknown or destroyed crypto-session handle"};
  }
  if (found->owner != record_.get()) {
    return Error{Errc::kInvalidArgument, "the crypto session belongs to another device"};
  }
  return found->session.get();
}

Result<channel::AuthenticatedChannel*> LockedDevice::channel(const ObjectName& name) const {
  std::shared_ptr<AuthenticatedChannelRecord> found =
      registry_->find<AuthenticatedChannelRecord>(name);
  if (!found) {
    return Error{Errc::kInvalidArgument, "unknown or destroyed authenticated-channel handle"};
  }
  if (found->owner != record_.get()) {
    return Error{Errc::kInvalidArgument, "the authenticated channel belongs to another device"};
  }
  return found->channel.get();
}

Result<std::shared_ptr<device::Resource>> LockedDevice::resource(const ObjectName& name) const {
  std::shared_ptr<ResourceRecord> found = registry_->find<ResourceRecord>(name);
  if (!found) {
    return Error{Errc::kInvalidArgument, "unknown or destroyed resource handle"};
  }
  if (found->owner != record_.get()) {
    return Error{Errc::kInvalidArgument, "the resource belongs to another device"};
  }
  return found->resource;
}

Result<std::shared_ptr<device::Resource>> LockedDevice::resource(
    const SubresourceName& name) const {
  Result<std::shared_ptr<device::Resource>> found = resource(name.resource);
  if (!found) {
    return found.error();
  }
  if (name.index != 0) {
    return Error{Errc::kInvalidArgument, "cpddi surfaces have only subresource 0"};
  }
  return found;
}

}  // namespace cpddi::runtime
