// Authenticated channels (spec §5) are not implemented yet. Each entry answers
// D3DDDIERR_NOTAVAILABLE with a log-once warning and changes nothing; GetCaps announces no channel
// certificate, and the README lists the gap.
#include <atomic>

#include "ddi/d3d9/d3d9.h"

namespace cpddi::ddi::d3d9 {
namespace {

Result<void> channels_not_available(const char* entry) {
  static std::atomic<bool> warned{false};
  if (!warned.exchange(true)) {
    logging::warn(entry, ": authenticated channels are not implemented in this cpddi version");
  }
  return Error{Errc::kNotAvailable, "authenticated channels are not implemented yet"};
}

}  // namespace

HRESULT APIENTRY CreateAuthenticatedChannel(HANDLE, D3DDDIARG_CREATEAUTHENTICATEDCHANNEL*) noexcept {
  return run_d3d9_entry("CreateAuthenticatedChannel",
                        [] { return channels_not_available("CreateAuthenticatedChannel"); });
}

HRESULT APIENTRY AuthenticatedChannelKeyExchange(HANDLE,
                                                 D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE*) noexcept {
  return run_d3d9_entry("AuthenticatedChannelKeyExchange",
                        [] { return channels_not_available("AuthenticatedChannelKeyExchange"); });
}

HRESULT APIENTRY QueryAuthenticatedChannel(HANDLE,
                                           const D3DDDIARG_QUERYAUTHENTICATEDCHANNEL*) noexcept {
  return run_d3d9_entry("QueryAuthenticatedChannel",
                        [] { return channels_not_available("QueryAuthenticatedChannel"); });
}

HRESULT APIENTRY ConfigureAuthenticatedChannel(
    HANDLE, const D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL*) noexcept {
  return run_d3d9_entry("ConfigureAuthenticatedChannel",
                        [] { return channels_not_available("ConfigureAuthenticatedChannel"); });
}

HRESULT APIENTRY DestroyAuthenticatedChannel(HANDLE,
                                             const D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL*) noexcept {
  return run_d3d9_entry("DestroyAuthenticatedChannel",
                        [] { return channels_not_available("DestroyAuthenticatedChannel"); });
}

}  // namespace cpddi::ddi::d3d9
