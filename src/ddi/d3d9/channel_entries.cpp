// Authenticated channels (spec §5): the five D3D9 entries translate their argument structs and
// make one runtime call each. Query and configure name their channel inside the payload
// (QUERY_INPUT.hChannel / CONFIGURE_INPUT.hChannel, spec §2.7); the runtime finds it there.
#include "ddi/d3d9/d3d9.h"
#include "ddi/d3d9/handles.h"
#include "ddi/enum_value.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d9 {
namespace {

// Query and configure spell every failed check E_INVALIDARG — also an unknown GUID or one the
// channel type does not allow (kNotAvailable, spec A33) — and the other codes as usual.
HRESULT channel_message_hresult(Errc code) {
  return code == Errc::kNotAvailable ? E_INVALIDARG : to_hresult(code);
}

// The output's ReturnCode: exactly what the entry returns for the same outcome (spec §5.3).
std::int32_t channel_return_code(const Result<void>& outcome) {
  return outcome ? S_OK : channel_message_hresult(outcome.error().code);
}

// D3D9: query InputSize and OutputSize must equal the defined sizes (spec A27).
constexpr channel::MessageRules kD3d9Rules{&channel_return_code,
                                           /*query_output_may_be_larger=*/false};

// Runs a query or configure body with the channel-message spelling of errors.
template <class Args, class Body>
HRESULT run_channel_message(const char* entry, const Args* args, Body&& body) noexcept {
  return run_entry(entry, &channel_message_hresult, [&]() -> Result<void> {
    if (args == nullptr) {
      return kNullArgumentStruct;
    }
    return body(*args);
  });
}

}  // namespace

HRESULT APIENTRY CreateAuthenticatedChannel(HANDLE hDevice,
                                            D3DDDIARG_CREATEAUTHENTICATEDCHANNEL* pData) noexcept {
  return run_d3d9_entry("CreateAuthenticatedChannel", pData, [&](auto& args) -> Result<void> {
    channel::ChannelType type{};
    switch (enum_value(args.ChannelType)) {
      case DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE: type = channel::ChannelType::kSoftware; break;
      case DDIAUTHENTICATEDCHANNEL_DRIVER_HARDWARE: type = channel::ChannelType::kHardware; break;
      default:
        return Error{Errc::kNotAvailable, "ChannelType must be DRIVER_SOFTWARE or DRIVER_HARDWARE"};
    }
    Result<runtime::Handle> channel =
        runtime::process_runtime().create_authenticated_channel(named(hDevice), type);
    if (!channel) {
      return channel.error();
    }
    args.hChannel = to_handle(*channel);
    return {};
  });
}

HRESULT APIENTRY AuthenticatedChannelKeyExchange(
    HANDLE hDevice, D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE* pData) noexcept {
  return run_d3d9_entry("AuthenticatedChannelKeyExchange", pData, [&](auto& args) {
    return runtime::process_runtime().authenticated_channel_key_exchange(
        named(hDevice), named(args.hChannel), in_bytes(args.pData, args.DataSize));
  });
}

HRESULT APIENTRY QueryAuthenticatedChannel(
    HANDLE hDevice, const D3DDDIARG_QUERYAUTHENTICATEDCHANNEL* pData) noexcept {
  return run_channel_message("QueryAuthenticatedChannel", pData, [&](const auto& args) {
    return runtime::process_runtime().query_authenticated_channel(
        named(hDevice), in_bytes(args.pInputData, args.InputSize),
        out_bytes(args.pOutputData, args.OutputSize), kD3d9Rules);
  });
}

HRESULT APIENTRY ConfigureAuthenticatedChannel(
    HANDLE hDevice, const D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL* pData) noexcept {
  return run_channel_message("ConfigureAuthenticatedChannel", pData, [&](const auto& args) {
    // The argument has no output size: the output is always one CONFIGURE_OUTPUT (spec §2.7).
    return runtime::process_runtime().configure_authenticated_channel(
        named(hDevice), in_bytes(args.pInputData, args.InputSize),
        out_bytes(args.pOutputData, wire::kConfigureOutputSize), kD3d9Rules);
  });
}

HRESULT APIENTRY DestroyAuthenticatedChannel(
    HANDLE hDevice, const D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL* pData) noexcept {
  return run_d3d9_entry("DestroyAuthenticatedChannel", pData, [&](const auto& args) {
    return runtime::process_runtime().destroy_authenticated_channel(named(hDevice),
                                                                    named(args.hChannel));
  });
}

}  // namespace cpddi::ddi::d3d9
