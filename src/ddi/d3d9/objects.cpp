#include "ddi/d3d9/objects.h"

#include <algorithm>

namespace cpddi::ddi::d3d9 {

session::SessionFeatures AdapterObject::session_features() const {
  const std::uint32_t caps = caps::effective_caps(caps_config);
  session::SessionFeatures features;
  features.key_refresh = (caps & caps::kCapFreshenSessionKey) != 0;
  features.content_key = (caps & caps::kCapContentKey) != 0;
  features.partial_decryption = (caps & caps::kCapPartialDecryption) != 0;
  features.encrypted_readback = (caps & caps::kCapEncryptedReadback) != 0;
  features.readback_key = (caps & caps::kCapEncryptedReadbackKey) != 0;
  features.iv_check = iv_check;
  return features;
}

HandleTable<AdapterObject>& adapters() {
  static HandleTable<AdapterObject> table(HandleKind::kAdapter);
  return table;
}
HandleTable<DeviceObject>& devices() {
  static HandleTable<DeviceObject> table(HandleKind::kDevice);
  return table;
}
HandleTable<SessionObject>& sessions() {
  static HandleTable<SessionObject> table(HandleKind::kSession);
  return table;
}
HandleTable<ResourceObject>& resources() {
  static HandleTable<ResourceObject> table(HandleKind::kResource);
  return table;
}

LockedDevice::LockedDevice(HANDLE handle, std::shared_ptr<DeviceObject> object)
    : handle_(handle), object_(std::move(object)), lock_(object_->mutex) {}

Result<LockedDevice> LockedDevice::acquire(HANDLE hDevice) {
  std::shared_ptr<DeviceObject> object = devices().find(hDevice);
  if (!object) {
    return Error{Errc::kInvalidArgument, "unknown or destroyed device handle"};
  }
  LockedDevice locked(hDevice, std::move(object));
  if (locked.object_->destroyed) {  // destroyed while we waited for the lock
    return Error{Errc::kInvalidArgument, "unknown or destroyed device handle"};
  }
  return locked;
}

Result<session::CryptoSession*> LockedDevice::session(HANDLE hCryptoSession) const {
  std::shared_ptr<SessionObject> object = sessions().find(hCryptoSession);
  if (!object) {
    return Error{Errc::kInvalidArgument, "unknown or destroyed crypto-session handle"};
  }
  if (object->device != handle_) {
    return Error{Errc::kInvalidArgument, "the crypto session belongs to another device"};
  }
  return object->session.get();
}

Result<std::shared_ptr<device::Resource>> LockedDevice::resource(HANDLE hResource) const {
  std::shared_ptr<ResourceObject> object = resources().find(hResource);
  if (!object) {
    return Error{Errc::kInvalidArgument, "unknown or destroyed resource handle"};
  }
  if (object->device != handle_) {
    return Error{Errc::kInvalidArgument, "the resource belongs to another device"};
  }
  return object->resource;
}

void forget(std::vector<HANDLE>& list, HANDLE handle) {
  list.erase(std::remove(list.begin(), list.end(), handle), list.end());
}

}  // namespace cpddi::ddi::d3d9
