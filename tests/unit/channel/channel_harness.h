#pragma once

// The unit-level stage for AuthenticatedChannel: the process's test identity, a device's shared
// channel state, a fake ChannelContext (one device, a set of live sessions), and the
// application's half — key exchange, INITIALIZE, signed configures, queries — written with
// wire/channel_messages.h and crypto's AES-CMAC.

#include <array>
#include <cstdint>
#include <memory>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "channel/authenticated_channel.h"
#include "channel/device_channel_state.h"
#include "crypto/cmac.h"
#include "wire/channel_messages.h"

namespace cpddi::channel::testing {

using Bytes = std::vector<std::uint8_t>;
using Key16 = std::array<std::uint8_t, 16>;

inline constexpr std::uint64_t kDeviceHandle = 0xD300000100000001;
inline constexpr std::uint64_t kSessionHandle = 0xC500000100000002;
inline constexpr std::uint64_t kChannelHandle = 0xAC00000100000003;  // what the payload carries
inline constexpr std::int32_t kCodeInvalidArgument = static_cast<std::int32_t>(0x80070057);
inline constexpr std::int32_t kCodeNotSupported = static_cast<std::int32_t>(0x80004005);

// A ReturnCodeOf for the tests: 0, E_INVALIDARG, or E_FAIL for kNotAvailable.
std::int32_t test_return_code(const Result<void>& outcome);

class FakeContext : public ChannelContext {
 public:
  std::uint64_t device_handle() const override { return device; }
  bool is_session_of_device(std::uint64_t session) const override {
    return sessions.contains(session);
  }
  std::uint32_t unrestricted_protected_shared_resources() const override { return unrestricted; }

  std::uint64_t device = kDeviceHandle;
  std::set<std::uint64_t> sessions{kSessionHandle};
  std::uint32_t unrestricted = 0;
};

struct Reply {
  Result<void> result;
  Bytes output;
  std::int32_t return_code() const { return wire::read_return_code(output); }
};

std::shared_ptr<const crypto::RsaPrivateKey> identity();
Bytes oaep_of(const Key16& key);
// AES-CMAC of bytes [16, end) of `message` under `key`.
crypto::CmacTag mac_of(const Key16& key, std::span<const std::uint8_t> message, std::size_t end);

class ChannelHarness : public ::testing::Test {
 protected:
  std::unique_ptr<AuthenticatedChannel> make_channel(ChannelType type = ChannelType::kSoftware);

  // Key exchange with `key`, then INITIALIZE with the start values; asserts both succeed.
  void open(AuthenticatedChannel& channel, const Key16& key, std::uint32_t start_query,
            std::uint32_t start_configure);

  Bytes query_input(wire::ChannelQuery query, std::uint32_t sequence) const;
  Bytes configure_input(wire::ChannelConfigure configure, std::uint32_t sequence) const;
  // Stores the OMAC of [16, size) in bytes 0–15.
  static void sign(Bytes& input, const Key16& key);

  // Runs the call with an output of `output_size` bytes (default: the defined size) filled with
  // 0xEE, so untouched bytes show.
  Reply query(AuthenticatedChannel& channel, const Bytes& input, std::size_t output_size = 0);
  Reply configure(AuthenticatedChannel& channel, const Bytes& input);
  // Signs and runs a configure.
  Reply configure_signed(AuthenticatedChannel& channel, Bytes input, const Key16& key);

  // Whether bytes [0, 16) of `output` are the OMAC of [16, written) under `key`.
  static bool verifies(const Bytes& output, std::size_t written, const Key16& key);

  std::shared_ptr<DeviceChannelState> state =
      std::make_shared<DeviceChannelState>(ChannelFeatures{});
  FakeContext context;
  MessageRules rules{&test_return_code, false};
  Key16 key{0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
            0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
};

}  // namespace cpddi::channel::testing
