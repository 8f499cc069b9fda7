// Introspection: what tests and diagnostics may read about a device and the objects on it. Each
// call takes the device lock like any other call, so it sees the state between two calls, and
// changes nothing.
#include "runtime/locked_device.h"
#include "runtime/runtime.h"

namespace cpddi::runtime {

Result<DeviceStatus> Runtime::device_status(const ObjectName& device) const {
  Result<LockedDevice> locked = LockedDevice::acquire(registry_, device);
  if (!locked) {
    return locked.error();
  }
  return DeviceStatus{locked->record().sessions.size(), locked->record().resources.size(),
                      locked->record().channels.size()};
}

Result<CryptoSessionStatus> Runtime::crypto_session_status(const ObjectName& device,
                                                           const ObjectName& session) const {
  auto status = [](LockedDevice&, session::CryptoSession& cs) -> Result<CryptoSessionStatus> {
    return CryptoSessionStatus{cs.keyed(), cs.refresh_pending()};
  };
  return with_session(registry_, device, session, status);
}

Result<AuthenticatedChannelStatus> Runtime::authenticated_channel_status(
    const ObjectName& device, const ObjectName& channel) const {
  auto status = [](LockedDevice&,
                   channel::AuthenticatedChannel& ac) -> Result<AuthenticatedChannelStatus> {
    return AuthenticatedChannelStatus{ac.type(), ac.state(), ac.next_query_sequence(),
                                      ac.next_configure_sequence()};
  };
  return with_channel(registry_, device, channel, status);
}

Result<Handle> Runtime::crypto_session_handle(const ObjectName& device,
                                              const ObjectName& session) const {
  return with_session(registry_, device, session,
                      [&](LockedDevice&, session::CryptoSession&) -> Result<Handle> {
                        return *registry_.resolve<CryptoSessionRecord>(session);
                      });
}

Result<Handle> Runtime::authenticated_channel_handle(const ObjectName& device,
                                                     const ObjectName& channel) const {
  return with_channel(registry_, device, channel,
                      [&](LockedDevice&, channel::AuthenticatedChannel&) -> Result<Handle> {
                        return *registry_.resolve<AuthenticatedChannelRecord>(channel);
                      });
}

Result<ResourceStatus> Runtime::resource_status(const ObjectName& device,
                                                const ObjectName& resource) const {
  return with_resource(
      registry_, device, resource,
      [](LockedDevice& locked, device::Resource& surface) -> Result<ResourceStatus> {
        return ResourceStatus{surface.is_protected(), surface.layout(), surface.locked(),
                              locked.device().busy(surface)};
      });
}

}  // namespace cpddi::runtime
