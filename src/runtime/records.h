#pragma once

// What the registry holds for each object, and who owns what. A device owns its device::Device
// (queue, surfaces' fences), the list of the sessions, authenticated channels and resources it
// hosts, which is also what its admission limits count, and the channel state its channels share
// (channel::DeviceChannelState); sessions, channels and resources remember their device, so a
// handle used on another device is rejected (spec §1.1, §4, §5). Everything but the device's
// lists, its channel state and `destroyed` is immutable after creation; those change only under
// `mutex`.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "caps/driver_identity.h"
#include "channel/authenticated_channel.h"
#include "channel/device_channel_state.h"
#include "device/device.h"
#include "device/resource.h"
#include "runtime/arguments.h"
#include "runtime/names.h"
#include "runtime/registry.h"
#include "session/crypto_session.h"

namespace cpddi::runtime {

struct AdapterRecord {
  static constexpr ObjectKind kKind = ObjectKind::kAdapter;

  AdapterCaps caps;  // what GetCaps announces
  session::SessionFeatures session_features;
  std::uint32_t max_sessions_per_device = 0;
  std::uint32_t max_resources_per_device = 0;
  std::uint32_t max_channels_per_device = 0;
  channel::ChannelFeatures channel_features;
  std::size_t blt_threads_per_device = 0;
  std::shared_ptr<device::ProtectedPool> pool;  // shared by all the adapter's devices
};

struct DeviceRecord {
  static constexpr ObjectKind kKind = ObjectKind::kDevice;

  std::mutex mutex;  // serialises every call on this device (docs/behaviour.md, Threading)
  bool destroyed = false;
  // Devices keep their adapter's state alive: CloseAdapter leaves them usable.
  std::shared_ptr<const AdapterRecord> adapter;
  std::unique_ptr<device::Device> device;
  std::vector<Handle> sessions;
  std::vector<Handle> channels;
  std::vector<Handle> resources;
  // What the device's authenticated channels share (protection, process list, bindings).
  std::shared_ptr<channel::DeviceChannelState> channel_state;
};

struct CryptoSessionRecord {
  static constexpr ObjectKind kKind = ObjectKind::kCryptoSession;

  const DeviceRecord* owner = nullptr;  // the device it was created on; compared, never followed
  std::unique_ptr<session::CryptoSession> session;
};

struct AuthenticatedChannelRecord {
  static constexpr ObjectKind kKind = ObjectKind::kAuthenticatedChannel;

  const DeviceRecord* owner = nullptr;  // as CryptoSessionRecord::owner
  std::unique_ptr<channel::AuthenticatedChannel> channel;
};

struct ResourceRecord {
  static constexpr ObjectKind kKind = ObjectKind::kResource;

  const DeviceRecord* owner = nullptr;  // as CryptoSessionRecord::owner
  std::shared_ptr<device::Resource> resource;
};

}  // namespace cpddi::runtime
