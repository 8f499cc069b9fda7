#pragma once

// The shared half of the channel faults: the channel keys the real driver holds, learnt by
// decrypting each successful key-exchange blob with the device's identity key (what the real
// driver does), so a fault can sign an output or an input exactly as a driver would; and the
// message offsets of the host ABI (wire/channel_messages.h, the driver's own layout).

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "wire/channel_messages.h"
#include "wrapper_common.h"

namespace faulty {

using ChannelKey = std::array<std::uint8_t, 16>;

// Replaces AuthenticatedChannelKeyExchange and DestroyAuthenticatedChannel with the real ones
// plus key bookkeeping; a fault that replaces Destroy itself calls forget_channel_key.
void watch_channel_keys(D3DDDI_DEVICEFUNCS& funcs);
// The key of the channel `hChannel` names, if its last key exchange succeeded.
std::optional<ChannelKey> channel_key(HANDLE hChannel);
void forget_channel_key(HANDLE hChannel);

// Writes AES-CMAC(key, message[16, end)) into message[0, 16) (spec §5.8).
void sign_range(const ChannelKey& key, std::span<std::uint8_t> message, std::size_t end);

// Header fields read from a message buffer (host byte order, unaligned-safe).
HANDLE query_input_channel(const void* input);
HANDLE configure_input_channel(const void* input);
HANDLE output_channel(const void* output);

// Whether a configure input (at least CONFIGURE_INPUT long) is an INITIALIZE.
bool is_initialize(const std::uint8_t* input);

// Writes a failure or success CONFIGURE_OUTPUT for `input` (echo, ReturnCode = hr, signed
// under `key`), as the real driver would.
void write_configure_output(const ChannelKey& key, const std::uint8_t* input,
                            std::uint8_t* output, HRESULT hr);

}  // namespace faulty
