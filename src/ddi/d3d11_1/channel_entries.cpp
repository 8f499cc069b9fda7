// Authenticated channels through the D3D11.1 front end (spec §8.7): slots 71–76. The driver
// writes the channel's runtime handle into the create argument's hChannel, and every query and
// configure names the channel twice — by its private memory and by the payload's hChannel —
// which must agree (A39).
#include "ddi/d3d11_1/d3d11_1.h"
#include "ddi/d3d11_1/handles.h"
#include "ddi/enum_value.h"
#include "ddi/spans.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d11_1 {
namespace {

// As CalcPrivateDeviceSize: an address is all cpddi needs.
constexpr SIZE_T kPrivateChannelSize = 16;

// Query and configure say E_FAIL for an unknown GUID or one the channel type does not allow
// (kNotAvailable, spec A33, A41), and the usual codes otherwise.
HRESULT channel_message_hresult(Errc code) {
  return code == Errc::kNotAvailable ? E_FAIL : to_hresult(code);
}

// The output's ReturnCode: exactly what the entry returns for the same outcome (spec §5.3).
std::int32_t channel_return_code(const Result<void>& outcome) {
  return outcome ? S_OK : channel_message_hresult(outcome.error().code);
}

// D3D11.1: a query's output may be larger than the defined size (spec A27).
constexpr channel::MessageRules kD3d11Rules{&channel_return_code,
                                            /*query_output_may_be_larger=*/true};

}  // namespace

SIZE_T APIENTRY CalcPrivateAuthenticatedChannelSize(
    D3D10DDI_HDEVICE, const D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL*) noexcept {
  return kPrivateChannelSize;
}

HRESULT APIENTRY CreateAuthenticatedChannel(D3D10DDI_HDEVICE hDevice,
                                            D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL* pCreateData,
                                            D3D11_1DDI_HAUTHCHANNEL hAuthChannel,
                                            D3D11_1DDI_HRTAUTHCHANNEL) noexcept {
  return run_d3d11_entry("CreateAuthenticatedChannel", [&]() -> Result<void> {
    if (pCreateData == nullptr) {
      return Error{Errc::kInvalidArgument, "null D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL"};
    }
    channel::ChannelType type{};
    switch (enum_value(pCreateData->ChannelType)) {
      case D3D11_1DDI_AUTHENTICATED_CHANNEL_DRIVER_SOFTWARE:
        type = channel::ChannelType::kSoftware;
        break;
      case D3D11_1DDI_AUTHENTICATED_CHANNEL_DRIVER_HARDWARE:
        type = channel::ChannelType::kHardware;  // refused by the caps (A39)
        break;
      default: return Error{Errc::kInvalidArgument, "ChannelType must be DRIVER_SOFTWARE"};
    }
    Result<runtime::Handle> channel = runtime::process_runtime().create_authenticated_channel(
        named(hDevice), type, key_of(hAuthChannel.pDrvPrivate));
    if (!channel) {
      return channel.error();
    }
    // A handle from the one generation-tagged space, never the private memory's address (A39).
    pCreateData->hChannel = to_handle(*channel);
    return {};
  });
}

void APIENTRY DestroyAuthenticatedChannel(D3D10DDI_HDEVICE hDevice,
                                          D3D11_1DDI_HAUTHCHANNEL hAuthChannel) noexcept {
  run_void_entry("DestroyAuthenticatedChannel", hDevice, VoidEntryKind::kNoAppPath, [&] {
    return runtime::process_runtime().destroy_authenticated_channel(named(hDevice),
                                                                    named(hAuthChannel));
  });
}

HRESULT APIENTRY NegotiateAuthenticatedChannelKeyExchange(D3D10DDI_HDEVICE hDevice,
                                                          D3D11_1DDI_HAUTHCHANNEL hAuthChannel,
                                                          UINT DataSize, void* pData) noexcept {
  return run_d3d11_entry("NegotiateAuthenticatedChannelKeyExchange", [&] {
    return runtime::process_runtime().authenticated_channel_key_exchange(
        named(hDevice), named(hAuthChannel), in_bytes(pData, DataSize));
  });
}

HRESULT APIENTRY QueryAuthenticatedChannel(D3D10DDI_HDEVICE hDevice,
                                           D3D11_1DDI_HAUTHCHANNEL hAuthChannel,
                                           UINT InputDataSize, const void* pInputData,
                                           UINT OutputDataSize, void* pOutputData) noexcept {
  return run_entry("QueryAuthenticatedChannel", &channel_message_hresult, [&] {
    return runtime::process_runtime().query_authenticated_channel(
        named(hDevice), in_bytes(pInputData, InputDataSize),
        out_bytes(pOutputData, OutputDataSize), kD3d11Rules, named(hAuthChannel));
  });
}

HRESULT APIENTRY ConfigureAuthenticatedChannel(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HAUTHCHANNEL hAuthChannel, UINT InputDataSize,
    const void* pInputData, D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT* pOutputData) noexcept {
  return run_entry("ConfigureAuthenticatedChannel", &channel_message_hresult, [&] {
    // The output is always one CONFIGURE_OUTPUT (spec A27).
    return runtime::process_runtime().configure_authenticated_channel(
        named(hDevice), in_bytes(pInputData, InputDataSize),
        out_bytes(pOutputData, sizeof(D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT)), kD3d11Rules,
        named(hAuthChannel));
  });
}

}  // namespace cpddi::ddi::d3d11_1
