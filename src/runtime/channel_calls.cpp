// Authenticated channels (spec §5): admission under the device's channel limit, the lookup of the
// channel a payload names, the device facts a channel may ask (ChannelContext), and a destroy
// that withdraws the channel's requests under the device lock.
#include "runtime/locked_device.h"
#include "runtime/runtime.h"

namespace cpddi::runtime {
namespace {

// What a channel learns about its device during one call; valid while `locked` is held.
class DeviceFacts final : public channel::ChannelContext {
 public:
  DeviceFacts(const LockedDevice& locked, Handle device) : locked_(locked), device_(device) {}

  std::uint64_t device_handle() const override { return device_.value; }
  bool is_session_of_device(std::uint64_t session) const override {
    return locked_.session(Handle{session}).has_value();
  }
  // cpddi opens no resource in another process: CreateResource has no shared surfaces, so no
  // protected resource is openable by anyone.
  std::uint32_t unrestricted_protected_shared_resources() const override { return 0; }

 private:
  const LockedDevice& locked_;
  Handle device_;
};

// The shape of query and configure: steps 1–2 of §5.9 (buffers, then the channel the payload
// names, live on this device — and, when the call addresses a channel itself, that same one),
// then body(channel, facts).
template <class FindHandle, class Body>
Result<void> with_named_channel(const Registry& registry, const ObjectName& device,
                                const std::optional<ObjectName>& addressed, FindHandle find_handle,
                                Body body) {
  auto find = [&](LockedDevice& locked) -> Result<channel::AuthenticatedChannel*> {
    Result<std::uint64_t> named = find_handle();
    if (!named) {
      return named.error();
    }
    if (addressed) {
      Result<channel::AuthenticatedChannel*> channel = locked.channel(*addressed);
      if (!channel) {
        return channel.error();
      }
      if (registry.resolve<AuthenticatedChannelRecord>(*addressed)->value != *named) {
        return Error{Errc::kInvalidArgument,
                     "the payload's hChannel is not the addressed channel's handle (A39)"};
      }
      return channel;
    }
    return locked.channel(Handle{*named});
  };
  return with_found(registry, device, find,
                    [&](LockedDevice& locked, channel::AuthenticatedChannel& ac) {
                      const DeviceFacts facts(locked, *registry.resolve<DeviceRecord>(device));
                      return body(ac, facts);
                    });
}

}  // namespace

Result<Handle> Runtime::create_authenticated_channel(const ObjectName& device,
                                                     channel::ChannelType type,
                                                     std::optional<FrontEndKey> key) {
  Result<LockedDevice> locked = LockedDevice::acquire(registry_, device);
  if (!locked) {
    return locked.error();
  }
  const AdapterRecord& adapter = locked->adapter();
  if (type == channel::ChannelType::kHardware && !adapter.channel_features.hardware_channels) {
    return Error{Errc::kNotAvailable, "hardware channels need cap HARDWARE (cpddi: software)"};
  }
  DeviceRecord& record = locked->record();
  if (record.channels.size() >= adapter.max_channels_per_device) {
    return Error{Errc::kOutOfMemory, "the device's authenticated-channel limit is reached"};
  }
  auto channel = std::make_shared<AuthenticatedChannelRecord>();
  channel->owner = &record;
  channel->channel = std::make_unique<channel::AuthenticatedChannel>(
      type, adapter.caps.identity->private_key(), record.channel_state);
  return add_owned(registry_, record.channels, std::move(channel), key);
}

Result<void> Runtime::authenticated_channel_key_exchange(
    const ObjectName& device, const ObjectName& channel,
    std::span<const std::uint8_t> oaep_ciphertext) {
  return with_channel(registry_, device, channel,
                      [&](LockedDevice&, channel::AuthenticatedChannel& ac) {
                        return ac.key_exchange(oaep_ciphertext);
                      });
}

Result<void> Runtime::query_authenticated_channel(const ObjectName& device,
                                                  std::span<const std::uint8_t> input,
                                                  std::span<std::uint8_t> output,
                                                  const channel::MessageRules& rules,
                                                  const std::optional<ObjectName>& addressed) {
  return with_named_channel(
      registry_, device, addressed,
      [&] { return channel::AuthenticatedChannel::query_channel_handle(input, output); },
      [&](channel::AuthenticatedChannel& ac, const DeviceFacts& facts) {
        return ac.query(input, output, facts, rules);
      });
}

Result<void> Runtime::configure_authenticated_channel(const ObjectName& device,
                                                      std::span<const std::uint8_t> input,
                                                      std::span<std::uint8_t> output,
                                                      const channel::MessageRules& rules,
                                                      const std::optional<ObjectName>& addressed) {
  return with_named_channel(
      registry_, device, addressed,
      [&] { return channel::AuthenticatedChannel::configure_channel_handle(input, output); },
      [&](channel::AuthenticatedChannel& ac, const DeviceFacts& facts) {
        return ac.configure(input, output, facts, rules);
      });
}

Result<void> Runtime::destroy_authenticated_channel(const ObjectName& device,
                                                    const ObjectName& channel) {
  auto destroy = [&](LockedDevice& locked, channel::AuthenticatedChannel& ac) -> Result<void> {
    // Closed under the device lock: the shared channel state changes only there.
    ac.close();
    remove_owned<AuthenticatedChannelRecord>(registry_, locked.record().channels, channel);
    return {};
  };
  return with_channel(registry_, device, channel, destroy);
}

}  // namespace cpddi::runtime
