#include "channel/catalogue.h"

namespace cpddi::channel {
namespace {

namespace layout = wire::channel_layout;
using wire::ChannelConfigure;
using wire::ChannelQuery;

constexpr Error kForeignDevice{Errc::kInvalidArgument,
                               "DeviceHandle is not this channel's device (query DEVICEHANDLE)"};
constexpr Error kForeignSession{
    Errc::kInvalidArgument, "CryptoSessionHandle is not a live crypto session of this device"};

// Both OUTPUTID queries name a device and one of its crypto sessions (spec §5.6: fail if the
// session is on another device).
Result<void> check_device_and_session(const QueryScope& scope, std::uint64_t device,
                                      std::uint64_t session) {
  if (device != scope.context.device_handle()) {
    return kForeignDevice;
  }
  if (!scope.context.is_session_of_device(session)) {
    return kForeignSession;
  }
  return {};
}

// Copies a handle field of the input to the output (the catalogue's "echo", §5.6).
void echo_handle(std::span<const std::uint8_t> input, std::size_t from,
                 std::span<std::uint8_t> image, std::size_t to) {
  wire::store_handle(image, to, wire::load_handle(input, from));
}

Result<void> answer_output_id(const QueryScope& scope, std::span<const std::uint8_t> input,
                              std::span<std::uint8_t> image, bool one_id) {
  namespace count_in = layout::output_id_count_input;
  namespace id_in = layout::output_id_input;
  static_assert(count_in::kDeviceHandle == id_in::kDeviceHandle &&
                count_in::kCryptoSessionHandle == id_in::kCryptoSessionHandle);
  static_assert(layout::output_id_count_output::kDeviceHandle ==
                    layout::output_id_output::kDeviceHandle &&
                layout::output_id_count_output::kCryptoSessionHandle ==
                    layout::output_id_output::kCryptoSessionHandle);
  Result<void> checked =
      check_device_and_session(scope, wire::load_handle(input, id_in::kDeviceHandle),
                               wire::load_handle(input, id_in::kCryptoSessionHandle));
  if (!checked) {
    return checked;
  }
  echo_handle(input, id_in::kDeviceHandle, image, layout::output_id_output::kDeviceHandle);
  echo_handle(input, id_in::kCryptoSessionHandle, image,
              layout::output_id_output::kCryptoSessionHandle);
  const auto& ids = scope.state.features().output_ids;
  if (!one_id) {
    wire::store_u32(image, layout::output_id_count_output::kNumOutputIds,
                    static_cast<std::uint32_t>(ids.size()));
    return {};
  }
  const std::uint32_t index = wire::load_u32(input, id_in::kOutputIdIndex);
  if (index >= ids.size()) {
    return Error{Errc::kInvalidArgument, "OutputIDIndex is not below OUTPUTIDCOUNT"};
  }
  wire::store_u32(image, layout::output_id_output::kOutputIdIndex, index);
  wire::store_u64(image, layout::output_id_output::kOutputId, ids[index]);
  return {};
}

Result<void> configure_crypto_session(const ConfigureScope& scope,
                                      std::span<const std::uint8_t> input) {
  namespace in = layout::crypto_session_input;
  const SessionBinding binding{wire::load_handle(input, in::kDecodeHandle),
                               wire::load_handle(input, in::kCryptoSessionHandle),
                               wire::load_handle(input, in::kDeviceHandle)};
  // §5.7: the device must be the channel's and the session's. cpddi has no decoder registry, so
  // the decoder handle is taken as given (A32).
  if (binding.device != scope.context.device_handle()) {
    return kForeignDevice;
  }
  if (!scope.context.is_session_of_device(binding.crypto_session)) {
    return kForeignSession;
  }
  return scope.state.bind(binding);
}

Result<void> configure_shared_resource(const ConfigureScope& scope,
                                       std::span<const std::uint8_t> input) {
  namespace in = layout::shared_resource_input;
  const std::uint32_t type = wire::load_u32(input, in::kIdentifierType);
  ProcessGrant process;
  if (type == static_cast<std::uint32_t>(ProcessIdentifierType::kDwm)) {
    process.type = ProcessIdentifierType::kDwm;  // named by type; ProcessHandle is ignored
  } else if (type == static_cast<std::uint32_t>(ProcessIdentifierType::kHandle)) {
    process.type = ProcessIdentifierType::kHandle;
    process.process_handle = wire::load_handle(input, in::kProcessHandle);
    if (process.process_handle == 0) {
      return Error{Errc::kInvalidArgument, "PROCESSIDTYPE_HANDLE needs a non-null ProcessHandle"};
    }
  } else {
    return Error{Errc::kInvalidArgument, "ProcessIdentiferType must be DWM or HANDLE"};
  }
  if (wire::load_u32(input, in::kAllowAccess) != 0) {
    return scope.state.grant(scope.channel, process);
  }
  return scope.state.revoke(scope.channel, process);
}

}  // namespace

bool allowed_on(ChannelQuery query, ChannelType type) {
  switch (query) {
    // "1, 2" / "2 only" in §5.6: of the types a driver sees, software only (A33).
    case ChannelQuery::kRestrictedSharedResourceProcessCount:
    case ChannelQuery::kRestrictedSharedResourceProcess:
    case ChannelQuery::kUnrestrictedProtectedSharedResourceCount:
      return type == ChannelType::kSoftware;
    default:
      return true;
  }
}

bool allowed_on(ChannelConfigure configure, ChannelType type) {
  return configure != ChannelConfigure::kSharedResource || type == ChannelType::kSoftware;
}

Result<void> answer_query(ChannelQuery query, const QueryScope& scope,
                          std::span<const std::uint8_t> input, std::span<std::uint8_t> image) {
  const DeviceChannelState& state = scope.state;
  const ChannelFeatures& features = state.features();
  const std::size_t value = layout::uint_output::kValue;
  switch (query) {
    case ChannelQuery::kProtection:
      wire::store_u32(image, value, state.effective_protection());
      return {};
    case ChannelQuery::kChannelType:
      wire::store_u32(image, value, static_cast<std::uint32_t>(scope.type));
      return {};
    case ChannelQuery::kDeviceHandle:
      wire::store_handle(image, layout::device_handle_output::kDeviceHandle,
                         scope.context.device_handle());
      return {};
    case ChannelQuery::kCryptoSession: {
      namespace out = layout::crypto_session_query_output;
      const std::uint64_t decoder =
          wire::load_handle(input, layout::crypto_session_query_input::kDecodeHandle);
      const std::optional<SessionBinding> bound = state.binding(decoder);
      if (!bound) {
        return Error{Errc::kInvalidArgument, "no CRYPTOSESSION binding for this decoder (A32)"};
      }
      wire::store_handle(image, out::kDecodeHandle, bound->decode_handle);
      wire::store_handle(image, out::kCryptoSessionHandle, bound->crypto_session);
      wire::store_handle(image, out::kDeviceHandle, bound->device);
      return {};
    }
    case ChannelQuery::kRestrictedSharedResourceProcessCount:
      wire::store_u32(image, value, static_cast<std::uint32_t>(state.process_count()));
      return {};
    case ChannelQuery::kRestrictedSharedResourceProcess: {
      namespace out = layout::process_output;
      const std::uint32_t index = wire::load_u32(input, layout::index_query_input::kIndex);
      if (index >= state.process_count()) {
        return Error{Errc::kInvalidArgument,
                     "ProcessIndex is not below RESTRICTEDSHAREDRESOURCEPROCESSCOUNT"};
      }
      const ProcessGrant& process = state.process(index);
      wire::store_u32(image, out::kProcessIndex, index);
      wire::store_u32(image, out::kIdentifierType, static_cast<std::uint32_t>(process.type));
      wire::store_handle(image, out::kProcessHandle, process.process_handle);
      return {};
    }
    case ChannelQuery::kUnrestrictedProtectedSharedResourceCount:
      wire::store_u32(image, value, scope.context.unrestricted_protected_shared_resources());
      return {};
    case ChannelQuery::kOutputIdCount:
      return answer_output_id(scope, input, image, /*one_id=*/false);
    case ChannelQuery::kOutputId:
      return answer_output_id(scope, input, image, /*one_id=*/true);
    case ChannelQuery::kAccessibilityAttributes: {
      namespace out = layout::accessibility_output;
      wire::store_u32(image, out::kBusType, features.bus_type);
      wire::store_u32(image, out::kAccessibleInContiguousBlocks,
                      features.accessible_in_contiguous_blocks ? 1 : 0);
      wire::store_u32(image, out::kAccessibleInNonContiguousBlocks,
                      features.accessible_in_non_contiguous_blocks ? 1 : 0);
      return {};
    }
    case ChannelQuery::kEncryptionWhenAccessibleGuidCount:
      wire::store_u32(image, value, static_cast<std::uint32_t>(features.encryption_guids.size()));
      return {};
    case ChannelQuery::kEncryptionWhenAccessibleGuid: {
      const std::uint32_t index = wire::load_u32(input, layout::index_query_input::kIndex);
      if (index >= features.encryption_guids.size()) {
        return Error{Errc::kInvalidArgument,
                     "EncryptionGuidIndex is not below ENCRYPTIONWHENACCESSIBLEGUIDCOUNT"};
      }
      wire::store_u32(image, layout::encryption_guid_output::kIndex, index);
      wire::store_guid(image, layout::encryption_guid_output::kGuid,
                       features.encryption_guids[index]);
      return {};
    }
    case ChannelQuery::kCurrentEncryptionWhenAccessible:
      wire::store_guid(image, layout::current_encryption_output::kGuid,
                       state.current_encryption());
      return {};
  }
  return Error{Errc::kNotAvailable, "unknown query"};
}

Result<void> apply_configure(ChannelConfigure configure, const ConfigureScope& scope,
                             std::span<const std::uint8_t> input) {
  switch (configure) {
    case ChannelConfigure::kInitialize:
      return Error{Errc::kInternal, "INITIALIZE is handled by the channel"};
    case ChannelConfigure::kProtection: {
      const std::uint32_t flags = wire::load_u32(input, layout::protection_input::kProtections);
      if ((flags & kProtectionReservedBits) != 0) {
        return Error{Errc::kInvalidArgument, "PROTECTION_FLAGS reserved bits must be zero (A31)"};
      }
      scope.state.request_protection(scope.channel, flags);
      return {};
    }
    case ChannelConfigure::kCryptoSession:
      return configure_crypto_session(scope, input);
    case ChannelConfigure::kSharedResource:
      return configure_shared_resource(scope, input);
    case ChannelConfigure::kEncryptionWhenAccessible:
      return scope.state.request_encryption(
          scope.channel, wire::load_guid(input, layout::encryption_input::kEncryptionGuid));
  }
  return Error{Errc::kNotAvailable, "unknown configure"};
}

}  // namespace cpddi::channel
