#pragma once

// A software authenticated channel driven through the C ABI as an application drives it
// (spec §1.3): created on a device, keyed with a key wrapped to the certificate, INITIALIZEd with
// known start values, then typed query/configure calls that sign each input and check that every
// output is signed over its whole defined size and repeats the returned HRESULT. For cpddi's own
// tests (choices, threads); the driver-agnostic client with all the checks is conform's.

#include <array>
#include <cstdint>
#include <functional>

#include "support/driver_fixture.h"
#include "wire/channel_messages.h"

namespace cpddi::testing {

// A HANDLE's value as a payload field holds it.
std::uint64_t value_of(HANDLE handle);

// CreateAuthenticatedChannel with any ChannelType value; *out is the hChannel passed in and the
// one the driver leaves.
HRESULT create_channel(const OpenedDevice& device, UINT type, HANDLE* out);

class ChannelClient {
 public:
  struct Reply {
    HRESULT hr = E_FAIL;
    Bytes output;
  };
  using Fill = std::function<void(Bytes&)>;

  // Key bytes derive from `key_seed`; queries start at 7000, configures at 9000.
  explicit ChannelClient(const OpenedDevice& device, std::uint8_t key_seed = 1);
  ~ChannelClient() { destroy(); }
  ChannelClient(const ChannelClient&) = delete;
  ChannelClient& operator=(const ChannelClient&) = delete;

  // DestroyAuthenticatedChannel once; S_OK when already destroyed by this object.
  HRESULT destroy();
  HANDLE handle() const { return handle_; }

  // The next number, the GUID and hChannel are filled in; `fill` sets the payload.
  Reply query(wire::ChannelQuery kind, const Fill& fill = {});
  // The same, then signed; INITIALIZE carries the configure start value and consumes nothing.
  Reply configure(wire::ChannelConfigure kind, const Fill& fill = {});
  // A query whose answer is one UINT after QUERY_OUTPUT; expects S_OK.
  std::uint32_t query_u32(wire::ChannelQuery kind);
  // CONFIGURE_PROTECTION with `flags`.
  HRESULT protect(std::uint32_t flags);

 private:
  void check(const Reply& reply) const;

  const OpenedDevice& device_;
  HANDLE handle_ = nullptr;
  std::array<std::uint8_t, 16> key_{};
  std::uint32_t next_query_ = 7000;
  std::uint32_t next_configure_ = 9000;
};

}  // namespace cpddi::testing
