// Adapters and device construction (spec §3, §7.7): the identity, the protected pool, the limits
// every device of the adapter runs with.
#include <cstdlib>
#include <memory>
#include <string>

#include "runtime/records.h"
#include "runtime/runtime.h"

namespace cpddi::runtime {
namespace {

// An option path if given, else the environment's, else empty (both empty = a fresh identity).
std::string identity_path(const std::optional<std::string>& given, const char* variable) {
  if (given) {
    return *given;
  }
  const char* value = std::getenv(variable);
  return value != nullptr ? std::string(value) : std::string();
}

session::SessionFeatures session_features(const AdapterConfig& config) {
  const std::uint32_t caps = caps::effective_caps(config.caps);
  session::SessionFeatures features;
  features.key_refresh = (caps & caps::kCapFreshenSessionKey) != 0;
  features.content_key = (caps & caps::kCapContentKey) != 0;
  features.partial_decryption = (caps & caps::kCapPartialDecryption) != 0;
  features.encrypted_readback = (caps & caps::kCapEncryptedReadback) != 0;
  features.readback_key = (caps & caps::kCapEncryptedReadbackKey) != 0;
  features.iv_check = config.iv_check;
  return features;
}

channel::ChannelFeatures channel_features(const AdapterConfig& config) {
  const std::uint32_t caps = caps::effective_caps(config.caps);
  channel::ChannelFeatures features;
  features.protection_always_on = (caps & caps::kCapProtectionAlwaysOn) != 0;
  features.hardware_channels = (caps & caps::kCapHardware) != 0;
  features.output_ids = config.output_ids;
  return features;
}

}  // namespace

Result<Handle> Runtime::open_adapter(const AdapterConfig& config) {
  if ((config.caps.disabled_caps & ~caps::kSwitchableCaps) != 0) {
    return Error{Errc::kInvalidArgument, "DisabledCaps names a bit that cannot be switched off"};
  }
  if (config.blt_threads_per_device > kMaxBltThreads) {
    return Error{Errc::kInvalidArgument, "BltThreadsPerDevice is above 256"};
  }
  caps::IdentitySource source;
  source.key_pem_path = identity_path(config.identity_key_pem_path, "CPDDI_IDENTITY_KEY");
  source.certificate_pem_path = identity_path(config.identity_cert_pem_path, "CPDDI_IDENTITY_CERT");
  Result<std::shared_ptr<const caps::DriverIdentity>> identity =
      caps::DriverIdentity::create(source);
  if (!identity) {
    return identity.error();
  }

  auto record = std::make_shared<AdapterRecord>();
  record->caps = AdapterCaps{config.caps, config.container, std::move(*identity)};
  record->session_features = session_features(config);
  record->max_sessions_per_device = config.max_sessions_per_device;
  record->max_resources_per_device = config.max_resources_per_device;
  record->max_channels_per_device = config.max_channels_per_device;
  record->channel_features = channel_features(config);
  record->blt_threads_per_device = config.blt_threads_per_device;
  record->pool = std::make_shared<device::ProtectedPool>(config.caps.protected_memory_size);
  return registry_.insert(std::move(record));
}

Result<void> Runtime::close_adapter(const ObjectName& adapter) {
  if (!registry_.remove<AdapterRecord>(adapter)) {
    return Error{Errc::kInvalidArgument, "unknown or closed adapter handle"};
  }
  return {};
}

Result<std::shared_ptr<const AdapterCaps>> Runtime::adapter_caps(const ObjectName& adapter) const {
  std::shared_ptr<const AdapterRecord> record = registry_.find<AdapterRecord>(adapter);
  if (!record) {
    return Error{Errc::kInvalidArgument, "unknown or closed adapter handle"};
  }
  // Shares the record's ownership: the answer outlives a concurrent CloseAdapter.
  return std::shared_ptr<const AdapterCaps>(record, &record->caps);
}

Result<std::shared_ptr<const AdapterCaps>> Runtime::device_caps(const ObjectName& device) const {
  std::shared_ptr<const DeviceRecord> record = registry_.find<DeviceRecord>(device);
  if (!record) {
    return Error{Errc::kInvalidArgument, "unknown or destroyed device"};
  }
  return std::shared_ptr<const AdapterCaps>(record->adapter, &record->adapter->caps);
}

Result<Handle> Runtime::create_device(const ObjectName& adapter, std::optional<FrontEndKey> key) {
  std::shared_ptr<const AdapterRecord> found = registry_.find<AdapterRecord>(adapter);
  if (!found) {
    return Error{Errc::kInvalidArgument, "unknown or closed adapter handle"};
  }
  auto record = std::make_shared<DeviceRecord>();
  record->device = std::make_unique<device::Device>(found->pool, found->blt_threads_per_device);
  record->channel_state = std::make_shared<channel::DeviceChannelState>(found->channel_features);
  record->adapter = std::move(found);
  return registry_.insert(std::move(record), key);
}

}  // namespace cpddi::runtime
