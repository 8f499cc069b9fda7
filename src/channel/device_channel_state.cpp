#include "channel/device_channel_state.h"

#include <algorithm>

namespace cpddi::channel {

DeviceChannelState::Request* DeviceChannelState::request_of(ChannelId channel) {
  auto it = std::find_if(requests_.begin(), requests_.end(),
                         [&](const Request& r) { return r.channel == channel; });
  return it != requests_.end() ? &*it : nullptr;
}

DeviceChannelState::Request& DeviceChannelState::request_for(ChannelId channel) {
  if (Request* found = request_of(channel)) {
    return *found;
  }
  return requests_.emplace_back(Request{channel, 0, std::nullopt});
}

void DeviceChannelState::drop_empty_requests() {
  std::erase_if(requests_, [](const Request& r) { return r.protection == 0 && !r.encryption; });
}

void DeviceChannelState::withdraw(ChannelId channel) {
  std::erase_if(requests_, [&](const Request& r) { return r.channel == channel; });
  for (Grant& grant : grants_) {
    if (grant.granted_by == channel) {
      grant.granted_by = 0;
    }
  }
}

std::uint32_t DeviceChannelState::effective_protection() const {
  std::uint32_t flags = features_.protection_always_on ? kProtectionEnabled : 0;
  for (const Request& request : requests_) {
    flags |= request.protection;
  }
  return flags;
}

void DeviceChannelState::request_protection(ChannelId channel, std::uint32_t flags) {
  request_for(channel).protection = flags;
  drop_empty_requests();
}

Result<void> DeviceChannelState::request_encryption(ChannelId channel,
                                                    const wire::GuidBytes& guid) {
  const auto& offered = features_.encryption_guids;
  if (std::find(offered.begin(), offered.end(), guid) == offered.end()) {
    return Error{Errc::kInvalidArgument,
                 "EncryptionGuid is not one ENCRYPTIONWHENACCESSIBLEGUID lists"};
  }
  for (const Request& request : requests_) {
    if (request.channel != channel && request.encryption && *request.encryption != guid) {
      return Error{Errc::kInvalidArgument,
                   "another channel chose a different encryption (spec §5.4: not overridable)"};
    }
  }
  request_for(channel).encryption = guid;
  return {};
}

wire::GuidBytes DeviceChannelState::current_encryption() const {
  for (const Request& request : requests_) {
    if (request.encryption) {
      return *request.encryption;  // every live choice is the same GUID
    }
  }
  return wire::GuidBytes{};
}

Result<void> DeviceChannelState::grant(ChannelId channel, const ProcessGrant& process) {
  if (std::any_of(grants_.begin(), grants_.end(),
                  [&](const Grant& g) { return g.process == process; })) {
    return {};
  }
  if (grants_.size() >= features_.max_process_grants) {
    return Error{Errc::kOutOfMemory, "the device's restricted-shared-resource list is full"};
  }
  grants_.push_back(Grant{process, channel});
  return {};
}

Result<void> DeviceChannelState::revoke(ChannelId channel, const ProcessGrant& process) {
  auto it = std::find_if(grants_.begin(), grants_.end(),
                         [&](const Grant& g) { return g.process == process; });
  if (it == grants_.end()) {
    return Error{Errc::kInvalidArgument,
                 "the process is not in the restricted-shared-resource list"};
  }
  if (it->granted_by != 0 && it->granted_by != channel) {
    return Error{Errc::kInvalidArgument,
                 "another live channel granted this process (spec §5.4: not revocable here)"};
  }
  grants_.erase(it);
  return {};
}

Result<void> DeviceChannelState::bind(const SessionBinding& binding) {
  auto it = std::find_if(bindings_.begin(), bindings_.end(), [&](const SessionBinding& b) {
    return b.decode_handle == binding.decode_handle;
  });
  if (it != bindings_.end()) {
    *it = binding;
    return {};
  }
  if (bindings_.size() >= features_.max_bindings) {
    return Error{Errc::kOutOfMemory, "the device's crypto-session binding table is full"};
  }
  bindings_.push_back(binding);
  return {};
}

std::optional<SessionBinding> DeviceChannelState::binding(std::uint64_t decode_handle) const {
  auto it = std::find_if(bindings_.begin(), bindings_.end(), [&](const SessionBinding& b) {
    return b.decode_handle == decode_handle;
  });
  return it != bindings_.end() ? std::optional(*it) : std::nullopt;
}

void DeviceChannelState::forget_session(std::uint64_t crypto_session) {
  std::erase_if(bindings_,
                [&](const SessionBinding& b) { return b.crypto_session == crypto_session; });
}

}  // namespace cpddi::channel
