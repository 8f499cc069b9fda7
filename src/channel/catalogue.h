#pragma once

// The catalogues of spec §5.6 and §5.7: which channel types each entry is defined for (A33), and
// steps 7–8 of §5.9 for each entry once the message passed the OMAC, state and sequence checks
// and its sizes are the defined ones. Private to channel/.

#include <cstdint>
#include <span>

#include "base/result.h"
#include "channel/authenticated_channel.h"
#include "channel/device_channel_state.h"
#include "wire/channel_messages.h"

namespace cpddi::channel {

bool allowed_on(wire::ChannelQuery query, ChannelType type);
bool allowed_on(wire::ChannelConfigure configure, ChannelType type);

struct QueryScope {
  ChannelType type;
  const DeviceChannelState& state;
  const ChannelContext& context;
};

struct ConfigureScope {
  ChannelType type;
  ChannelId channel;
  DeviceChannelState& state;
  const ChannelContext& context;
};

// Validates the query's payload fields and writes its payload into `image` (the output's defined
// size, zero-filled; the header is written by the caller). On failure the caller zeroes the
// payload again.
Result<void> answer_query(wire::ChannelQuery query, const QueryScope& scope,
                          std::span<const std::uint8_t> input, std::span<std::uint8_t> image);

// Validates the command's payload and applies it; nothing changes on failure. Never INITIALIZE
// (the channel handles it before the sequence check).
Result<void> apply_configure(wire::ChannelConfigure configure, const ConfigureScope& scope,
                             std::span<const std::uint8_t> input);

}  // namespace cpddi::channel
