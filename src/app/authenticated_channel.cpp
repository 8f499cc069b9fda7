// AuthenticatedChannel: the application's half of an authenticated channel (spec §1.3, §5, §7.6).
// Messages are laid out, signed and checked through src/wire (channel_messages.h), the same code
// the driver answers them with, so the two sides cannot disagree on an offset or a MAC range.
#include <cstring>
#include <functional>
#include <limits>
#include <string>

#include "app/app_internal.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "wire/channel_messages.h"

namespace cpddi::app {
namespace {

namespace layout = wire::channel_layout;
using wire::ChannelConfigure;
using wire::ChannelQuery;
using Bytes = std::vector<std::uint8_t>;
using Fill = std::function<void(std::span<std::uint8_t>)>;

std::uint64_t value_of(HANDLE handle) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(handle));
}

HANDLE handle_of(std::uint64_t value) {
  return reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(value));
}

GUID to_guid(const wire::GuidBytes& bytes) {
  GUID guid;
  std::memcpy(&guid, bytes.data(), sizeof guid);
  return guid;
}

wire::GuidBytes to_bytes(const GUID& guid) {
  wire::GuidBytes bytes;
  std::memcpy(bytes.data(), &guid, sizeof guid);
  return bytes;
}

std::string hex_text(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

std::string guid_text(const wire::GuidBytes& guid) {
  std::string text;
  for (std::uint8_t b : guid) {
    char pair[3];
    std::snprintf(pair, sizeof pair, "%02x", b);
    text += pair;
  }
  return text;
}

// A random sequence-number start below 2^31: 2^31 messages of headroom before the counter would
// reach UINT32_MAX, the one number the object refuses to send.
Result<std::uint32_t> random_start(const char* step) {
  std::uint8_t bytes[4];
  if (auto r = crypto::random_bytes(bytes); !r) {
    return local_error(step, r.error());
  }
  std::uint32_t value = 0;
  std::memcpy(&value, bytes, sizeof value);
  return value & 0x7FFFFFFFu;
}

// The list forms: the count, then one query per index; the first failure ends the list.
template <class T, class Get>
Result<std::vector<T>> read_list(const Result<std::uint32_t>& count, Get get) {
  if (!count) {
    return count.error();
  }
  std::vector<T> items;
  for (std::uint32_t i = 0; i < *count; ++i) {
    Result<T> item = get(i);
    if (!item) {
      return item.error();
    }
    items.push_back(*item);
  }
  return items;
}

// A payload field the driver repeats from the input (§5.6 "echo").
struct Echo {
  const char* field;
  std::uint64_t sent;
  std::uint64_t got;
};

}  // namespace

struct AuthenticatedChannel::State {
  const D3DDDI_DEVICEFUNCS* funcs = nullptr;
  HANDLE device = nullptr;
  HANDLE channel = nullptr;
  UINT type = 0;
  crypto::Aes128Key key;
  std::uint32_t next_query = 0;
  std::uint32_t next_configure = 0;
  std::uint64_t verified = 0;

  ~State() {
    if (channel != nullptr) {
      D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL args{channel};
      funcs->pfnDestroyAuthenticatedChannel(device, &args);
    }
  }

  // Takes the next number from `counter`; refuses to wrap (a number at or below an accepted one
  // would be a replay to the driver, §5.9).
  static Result<std::uint32_t> take(std::uint32_t* counter, const std::string& what) {
    if (*counter == std::numeric_limits<std::uint32_t>::max()) {
      return Error{E_FAIL, what + ": the channel's sequence numbers are used up; open a new one"};
    }
    return (*counter)++;
  }

  // Checks an output against what was sent: echoed type, hChannel, SequenceNumber, ReturnCode
  // S_OK, the repeated payload fields, then the omac over [16, size). The first difference
  // names the error; nothing of an output is used before all of it verified.
  Result<void> verify(const std::string& what, const wire::MessageHeader& sent,
                      std::span<const std::uint8_t> output, std::span<const Echo> echoes) {
    const wire::MessageHeader got = wire::read_output_header(output);
    const std::string prefix = what + " output: ";
    if (got.type != sent.type) {
      return Error{E_FAIL, prefix + "the type GUID is " + guid_text(got.type) + ", sent " +
                               guid_text(sent.type)};
    }
    if (got.channel != sent.channel) {
      return Error{E_FAIL, prefix + "hChannel is " + hex_text(got.channel) + ", sent " +
                               hex_text(sent.channel)};
    }
    if (got.sequence_number != sent.sequence_number) {
      return Error{E_FAIL, prefix + "SequenceNumber is " + std::to_string(got.sequence_number) +
                               ", sent " + std::to_string(sent.sequence_number)};
    }
    if (const std::int32_t code = wire::read_return_code(output); code != S_OK) {
      return Error{E_FAIL, prefix + "ReturnCode is " +
                               cpddi_hresult_name(static_cast<HRESULT>(code)) +
                               " although the call returned S_OK"};
    }
    for (const Echo& echo : echoes) {
      if (echo.got != echo.sent) {
        return Error{E_FAIL, prefix + echo.field + " is " + hex_text(echo.got) + ", sent " +
                                 hex_text(echo.sent)};
      }
    }
    cpddi::Result<bool> mac = wire::message_mac_verifies(key.expose(), output, output.size());
    if (!mac) {
      return local_error("channel omac", mac.error());
    }
    if (!*mac) {
      return Error{E_FAIL, prefix + "the omac does not verify under the channel key"};
    }
    ++verified;
    return {};
  }

  // One query: input of the defined size with the header and `fill`'s payload; output of the
  // defined size, returned only once verify() passed (the echoes read from it by `echoes`).
  Result<Bytes> query(ChannelQuery kind, const Fill& fill = {},
                      const std::function<std::vector<Echo>(std::span<const std::uint8_t>,
                                                            std::span<const std::uint8_t>)>&
                          echoes = {}) {
    const std::string what = std::string("QueryAuthenticatedChannel(") + wire::name_of(kind) + ")";
    Result<std::uint32_t> number = take(&next_query, what);
    if (!number) {
      return number.error();
    }
    const wire::QuerySizes sizes = wire::query_sizes(kind);
    Bytes input(sizes.input);
    const wire::MessageHeader header{wire::guid_of(kind), value_of(channel), *number};
    wire::write_query_input_header(input, header);
    if (fill) {
      fill(input);
    }
    Bytes output(sizes.output);
    D3DDDIARG_QUERYAUTHENTICATEDCHANNEL args{sizes.input, input.data(), sizes.output,
                                             output.data()};
    if (HRESULT hr = funcs->pfnQueryAuthenticatedChannel(device, &args); hr != S_OK) {
      return driver_error(what.c_str(), hr);
    }
    const std::vector<Echo> repeated = echoes ? echoes(input, output) : std::vector<Echo>{};
    if (Result<void> ok = verify(what, header, output, repeated); !ok) {
      return ok.error();
    }
    return output;
  }

  // One configure: signed input, verified output. INITIALIZE carries the configure start value
  // as its own number (the driver ignores it) and does not spend one.
  Result<void> configure(ChannelConfigure kind, const Fill& fill) {
    const std::string what =
        std::string("ConfigureAuthenticatedChannel(") + wire::name_of(kind) + ")";
    std::uint32_t number = next_configure;
    if (kind != ChannelConfigure::kInitialize) {
      Result<std::uint32_t> taken = take(&next_configure, what);
      if (!taken) {
        return taken.error();
      }
      number = *taken;
    }
    Bytes input(wire::configure_input_size(kind));
    const wire::MessageHeader header{wire::guid_of(kind), value_of(channel), number};
    wire::write_configure_input_header(input, header);
    fill(input);
    if (cpddi::Result<void> signed_ok = wire::sign_message(key.expose(), input, input.size());
        !signed_ok) {
      return local_error("channel omac", signed_ok.error());
    }
    Bytes output(wire::kConfigureOutputSize);
    D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL args{static_cast<UINT>(input.size()), input.data(),
                                                 output.data()};
    if (HRESULT hr = funcs->pfnConfigureAuthenticatedChannel(device, &args); hr != S_OK) {
      return driver_error(what.c_str(), hr);
    }
    return verify(what, header, output, {});
  }

  Result<std::uint32_t> query_u32(ChannelQuery kind) {
    Result<Bytes> out = query(kind);
    if (!out) {
      return out.error();
    }
    return wire::load_u32(*out, layout::uint_output::kValue);
  }
};

AuthenticatedChannel::AuthenticatedChannel(std::unique_ptr<State> state)
    : state_(std::move(state)) {}
AuthenticatedChannel::AuthenticatedChannel(AuthenticatedChannel&&) noexcept = default;
AuthenticatedChannel& AuthenticatedChannel::operator=(AuthenticatedChannel&&) noexcept = default;
AuthenticatedChannel::~AuthenticatedChannel() = default;

HANDLE AuthenticatedChannel::handle() const { return state_->channel; }
UINT AuthenticatedChannel::type() const { return state_->type; }
std::uint64_t AuthenticatedChannel::verified_outputs() const { return state_->verified; }

Result<AuthenticatedChannel> AuthenticatedChannel::open(Device& device, const Adapter& adapter,
                                                        const ChannelOptions& options) {
  auto state = std::make_unique<State>();
  state->funcs = &device.funcs();
  state->device = device.handle();
  state->type = options.type;
  if (auto r = crypto::random_bytes(state->key.expose_mut()); !r) {
    return local_error("channel key", r.error());
  }
  Result<std::vector<std::uint8_t>> blob = key_exchange_blob(
      adapter.channel_certificate(options.type), options.trusted_root_der, state->key);
  if (!blob) {
    return blob.error();
  }
  Result<std::uint32_t> start_query = random_start("query start value");
  Result<std::uint32_t> start_configure = random_start("configure start value");
  if (!start_query || !start_configure) {
    return (!start_query ? start_query : start_configure).error();
  }

  D3DDDIARG_CREATEAUTHENTICATEDCHANNEL create{
      static_cast<DDIAUTHENTICATEDCHANNELTYPE>(options.type), nullptr};
  if (HRESULT hr = state->funcs->pfnCreateAuthenticatedChannel(state->device, &create);
      hr != S_OK) {
    return driver_error("CreateAuthenticatedChannel", hr);
  }
  state->channel = create.hChannel;

  D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE exchange{
      state->channel, static_cast<UINT>(blob->size()), blob->data()};
  if (HRESULT hr = state->funcs->pfnAuthenticatedChannelKeyExchange(state->device, &exchange);
      hr != S_OK) {
    return driver_error("AuthenticatedChannelKeyExchange", hr);
  }

  state->next_query = *start_query;
  state->next_configure = *start_configure;
  Result<void> initialized =
      state->configure(ChannelConfigure::kInitialize, [&](std::span<std::uint8_t> in) {
        wire::store_u32(in, layout::initialize_input::kStartSequenceQuery, *start_query);
        wire::store_u32(in, layout::initialize_input::kStartSequenceConfigure, *start_configure);
      });
  if (!initialized) {
    return initialized.error();
  }
  return AuthenticatedChannel(std::move(state));
}

// ---- Queries ----

Result<std::uint32_t> AuthenticatedChannel::query_protection() {
  return state_->query_u32(ChannelQuery::kProtection);
}

Result<UINT> AuthenticatedChannel::query_channel_type() {
  return state_->query_u32(ChannelQuery::kChannelType);
}

Result<HANDLE> AuthenticatedChannel::query_device_handle() {
  Result<Bytes> out = state_->query(ChannelQuery::kDeviceHandle);
  if (!out) {
    return out.error();
  }
  return handle_of(wire::load_handle(*out, layout::device_handle_output::kDeviceHandle));
}

Result<SessionBinding> AuthenticatedChannel::query_crypto_session(HANDLE decoder) {
  namespace in = layout::crypto_session_query_input;
  namespace out = layout::crypto_session_query_output;
  Result<Bytes> output = state_->query(
      ChannelQuery::kCryptoSession,
      [&](std::span<std::uint8_t> input) {
        wire::store_handle(input, in::kDecodeHandle, value_of(decoder));
      },
      [](std::span<const std::uint8_t> sent, std::span<const std::uint8_t> got) {
        return std::vector<Echo>{{"DXVA2DecodeHandle", wire::load_handle(sent, in::kDecodeHandle),
                                  wire::load_handle(got, out::kDecodeHandle)}};
      });
  if (!output) {
    return output.error();
  }
  return SessionBinding{handle_of(wire::load_handle(*output, out::kDecodeHandle)),
                        handle_of(wire::load_handle(*output, out::kCryptoSessionHandle)),
                        handle_of(wire::load_handle(*output, out::kDeviceHandle))};
}

Result<std::uint32_t> AuthenticatedChannel::query_restricted_shared_resource_process_count() {
  return state_->query_u32(ChannelQuery::kRestrictedSharedResourceProcessCount);
}

Result<SharedResourceProcess> AuthenticatedChannel::query_restricted_shared_resource_process(
    std::uint32_t index) {
  namespace out = layout::process_output;
  Result<Bytes> output = state_->query(
      ChannelQuery::kRestrictedSharedResourceProcess,
      [&](std::span<std::uint8_t> input) {
        wire::store_u32(input, layout::index_query_input::kIndex, index);
      },
      [index](std::span<const std::uint8_t>, std::span<const std::uint8_t> got) {
        return std::vector<Echo>{
            {"ProcessIndex", index, wire::load_u32(got, out::kProcessIndex)}};
      });
  if (!output) {
    return output.error();
  }
  return SharedResourceProcess{static_cast<D3DAUTHENTICATEDCHANNEL_PROCESSIDENTIFIERTYPE>(
                                   wire::load_u32(*output, out::kIdentifierType)),
                               handle_of(wire::load_handle(*output, out::kProcessHandle))};
}

Result<std::vector<SharedResourceProcess>>
AuthenticatedChannel::query_restricted_shared_resource_processes() {
  return read_list<SharedResourceProcess>(
      query_restricted_shared_resource_process_count(),
      [this](std::uint32_t i) { return query_restricted_shared_resource_process(i); });
}

Result<std::uint32_t> AuthenticatedChannel::query_unrestricted_protected_shared_resource_count() {
  return state_->query_u32(ChannelQuery::kUnrestrictedProtectedSharedResourceCount);
}

namespace {

// OUTPUTIDCOUNT and OUTPUTID name the device and session and get both back (§5.6).
Fill name_session(const ProtectedSession& session) {
  namespace in = layout::output_id_input;
  return [device = value_of(session.device_handle()),
          crypto_session = value_of(session.handle())](std::span<std::uint8_t> input) {
    wire::store_handle(input, in::kDeviceHandle, device);
    wire::store_handle(input, in::kCryptoSessionHandle, crypto_session);
  };
}

std::vector<Echo> session_echoes(std::span<const std::uint8_t> input,
                                 std::span<const std::uint8_t> output) {
  namespace in = layout::output_id_input;
  namespace out = layout::output_id_output;
  return {{"DeviceHandle", wire::load_handle(input, in::kDeviceHandle),
           wire::load_handle(output, out::kDeviceHandle)},
          {"CryptoSessionHandle", wire::load_handle(input, in::kCryptoSessionHandle),
           wire::load_handle(output, out::kCryptoSessionHandle)}};
}

}  // namespace

Result<std::uint32_t> AuthenticatedChannel::query_output_id_count(
    const ProtectedSession& session) {
  Result<Bytes> output =
      state_->query(ChannelQuery::kOutputIdCount, name_session(session), session_echoes);
  if (!output) {
    return output.error();
  }
  return wire::load_u32(*output, layout::output_id_count_output::kNumOutputIds);
}

Result<std::uint64_t> AuthenticatedChannel::query_output_id(const ProtectedSession& session,
                                                            std::uint32_t index) {
  namespace out = layout::output_id_output;
  const Fill named = name_session(session);
  Result<Bytes> output = state_->query(
      ChannelQuery::kOutputId,
      [&](std::span<std::uint8_t> input) {
        named(input);
        wire::store_u32(input, layout::output_id_input::kOutputIdIndex, index);
      },
      [index](std::span<const std::uint8_t> sent, std::span<const std::uint8_t> got) {
        std::vector<Echo> echoes = session_echoes(sent, got);
        echoes.push_back({"OutputIDIndex", index, wire::load_u32(got, out::kOutputIdIndex)});
        return echoes;
      });
  if (!output) {
    return output.error();
  }
  return wire::load_u64(*output, out::kOutputId);
}

Result<std::vector<std::uint64_t>> AuthenticatedChannel::query_output_ids(
    const ProtectedSession& session) {
  return read_list<std::uint64_t>(query_output_id_count(session), [&](std::uint32_t i) {
    return query_output_id(session, i);
  });
}

Result<AccessibilityAttributes> AuthenticatedChannel::query_accessibility_attributes() {
  namespace out = layout::accessibility_output;
  Result<Bytes> output = state_->query(ChannelQuery::kAccessibilityAttributes);
  if (!output) {
    return output.error();
  }
  return AccessibilityAttributes{
      static_cast<D3DBUSTYPE>(wire::load_u32(*output, out::kBusType)),
      wire::load_u32(*output, out::kAccessibleInContiguousBlocks) != 0,
      wire::load_u32(*output, out::kAccessibleInNonContiguousBlocks) != 0};
}

Result<std::uint32_t> AuthenticatedChannel::query_encryption_when_accessible_guid_count() {
  return state_->query_u32(ChannelQuery::kEncryptionWhenAccessibleGuidCount);
}

Result<GUID> AuthenticatedChannel::query_encryption_when_accessible_guid(std::uint32_t index) {
  namespace out = layout::encryption_guid_output;
  Result<Bytes> output = state_->query(
      ChannelQuery::kEncryptionWhenAccessibleGuid,
      [&](std::span<std::uint8_t> input) {
        wire::store_u32(input, layout::index_query_input::kIndex, index);
      },
      [index](std::span<const std::uint8_t>, std::span<const std::uint8_t> got) {
        return std::vector<Echo>{{"EncryptionGuidIndex", index, wire::load_u32(got, out::kIndex)}};
      });
  if (!output) {
    return output.error();
  }
  return to_guid(wire::load_guid(*output, out::kGuid));
}

Result<std::vector<GUID>> AuthenticatedChannel::query_encryption_when_accessible_guids() {
  return read_list<GUID>(query_encryption_when_accessible_guid_count(), [this](std::uint32_t i) {
    return query_encryption_when_accessible_guid(i);
  });
}

Result<GUID> AuthenticatedChannel::query_current_encryption_when_accessible() {
  Result<Bytes> output = state_->query(ChannelQuery::kCurrentEncryptionWhenAccessible);
  if (!output) {
    return output.error();
  }
  return to_guid(wire::load_guid(*output, layout::current_encryption_output::kGuid));
}

// ---- Configures ----

Result<void> AuthenticatedChannel::configure_protection(std::uint32_t flags) {
  return state_->configure(ChannelConfigure::kProtection, [&](std::span<std::uint8_t> in) {
    wire::store_u32(in, layout::protection_input::kProtections, flags);
  });
}

Result<void> AuthenticatedChannel::configure_crypto_session(const ProtectedSession& session,
                                                            HANDLE decoder) {
  namespace in = layout::crypto_session_input;
  return state_->configure(ChannelConfigure::kCryptoSession, [&](std::span<std::uint8_t> input) {
    wire::store_handle(input, in::kDecodeHandle, value_of(decoder));
    wire::store_handle(input, in::kCryptoSessionHandle, value_of(session.handle()));
    wire::store_handle(input, in::kDeviceHandle, value_of(session.device_handle()));
  });
}

Result<void> AuthenticatedChannel::configure_shared_resource(
    D3DAUTHENTICATEDCHANNEL_PROCESSIDENTIFIERTYPE type, HANDLE process, bool allow) {
  namespace in = layout::shared_resource_input;
  return state_->configure(ChannelConfigure::kSharedResource, [&](std::span<std::uint8_t> input) {
    wire::store_u32(input, in::kIdentifierType, static_cast<std::uint32_t>(type));
    wire::store_handle(input, in::kProcessHandle, value_of(process));
    wire::store_u32(input, in::kAllowAccess, allow ? 1 : 0);
  });
}

Result<void> AuthenticatedChannel::configure_encryption_when_accessible(const GUID& encryption) {
  return state_->configure(ChannelConfigure::kEncryptionWhenAccessible,
                           [&](std::span<std::uint8_t> input) {
                             wire::store_guid(input, layout::encryption_input::kEncryptionGuid,
                                              to_bytes(encryption));
                           });
}

}  // namespace cpddi::app
