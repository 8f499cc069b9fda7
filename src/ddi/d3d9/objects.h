#pragma once

// The D3D9 front end's object registry: what each DDI handle names (adapter, device, crypto
// session, resource), and the device lock every device entry point holds for its whole call.
// Handles come from process-wide generation-tagged tables (A29); sessions and resources remember
// their device, and a handle used on another device is rejected (spec §1.1, §4).

#include <memory>
#include <mutex>
#include <vector>

#include "base/handle_table.h"
#include "base/result.h"
#include "caps/content_protection_caps.h"
#include "caps/driver_identity.h"
#include "cpddi/d3dddi_cp9.h"
#include "device/device.h"
#include "session/crypto_session.h"

namespace cpddi::ddi::d3d9 {

struct AdapterObject {
  caps::CapsConfig caps_config;
  caps::CertificateContainer container = caps::CertificateContainer::kPkcs7;
  session::IvCheck iv_check = session::IvCheck::kMonotonic;
  device::DeviceLimits limits;
  std::size_t blt_threads = 0;  // per device; 0 = the number of cores
  std::shared_ptr<const caps::DriverIdentity> identity;
  std::shared_ptr<device::ProtectedPool> pool;

  session::SessionFeatures session_features() const;
};

struct SessionObject {
  HANDLE device = nullptr;
  std::unique_ptr<session::CryptoSession> session;
};

struct ResourceObject {
  HANDLE device = nullptr;
  std::shared_ptr<device::Resource> resource;
};

struct DeviceObject {
  std::mutex mutex;  // serialises every call on this device (see cpddi.h's threading rule)
  bool destroyed = false;
  std::shared_ptr<const AdapterObject> adapter;
  std::unique_ptr<device::Device> device;
  std::vector<HANDLE> sessions;
  std::vector<HANDLE> resources;
};

HandleTable<AdapterObject>& adapters();
HandleTable<DeviceObject>& devices();
HandleTable<SessionObject>& sessions();
HandleTable<ResourceObject>& resources();

// A live device with its lock held for the rest of the entry point.
class LockedDevice {
 public:
  static Result<LockedDevice> acquire(HANDLE hDevice);

  HANDLE handle() const { return handle_; }
  DeviceObject& object() { return *object_; }
  device::Device& device() { return *object_->device; }
  const AdapterObject& adapter() const { return *object_->adapter; }

  // The session / resource `handle` names, if it is live and belongs to this device.
  Result<session::CryptoSession*> session(HANDLE hCryptoSession) const;
  Result<std::shared_ptr<device::Resource>> resource(HANDLE hResource) const;

 private:
  LockedDevice(HANDLE handle, std::shared_ptr<DeviceObject> object);

  HANDLE handle_;
  std::shared_ptr<DeviceObject> object_;
  std::unique_lock<std::mutex> lock_;
};

// The shape shared by every crypto-session entry point: take the device lock, reject a null
// argument struct, find the session pData->hCryptoSession names on this device, then run
// body(LockedDevice&, CryptoSession&, Args&).
template <class Args, class Body>
Result<void> with_session(HANDLE hDevice, Args* pData, Body&& body) {
  Result<LockedDevice> device = LockedDevice::acquire(hDevice);
  if (!device) {
    return device.error();
  }
  if (pData == nullptr) {
    return Error{Errc::kInvalidArgument, "null argument struct"};
  }
  Result<session::CryptoSession*> session = device->session(pData->hCryptoSession);
  if (!session) {
    return session.error();
  }
  return body(*device, **session, *pData);
}

// Removes `handle` from `list` (the device's record of what it hosts).
void forget(std::vector<HANDLE>& list, HANDLE handle);

}  // namespace cpddi::ddi::d3d9
