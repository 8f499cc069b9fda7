#pragma once

// Authenticated channels — the driver's half of spec §1.3, §1.5 and §5. An AuthenticatedChannel
// owns its channel key and its two sequence counters and runs the state machine of §1.5
// (Created → Keyed → Initialized); every query and configure goes through the check order of
// §5.9 (structure, OMAC, state, sequence number, consume, catalogue entry, apply) and leaves a
// signed output exactly as §5.8 says. What several channels of one device share — protection
// requests, the encryption-when-accessible choice, the restricted-shared-resource process list and
// the decoder ↔ crypto-session bindings — lives in DeviceChannelState (device_channel_state.h),
// which the runtime owns per device.
//
// Messages are byte buffers in the layouts of wire/channel_messages.h. May depend on wire/,
// crypto/ and base/; never sees a D3DDDIARG_* struct, an HRESULT or the runtime: the runtime
// resolves the channel from the payload's hChannel and answers what the channel must know about
// its device through ChannelContext; the front end says how an outcome is spelled in the
// ReturnCode field (ReturnCodeOf). Threading: calls on one channel and on its device's
// DeviceChannelState are serialised by the runtime's device lock.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "base/result.h"
#include "channel/device_channel_state.h"
#include "crypto/rsa.h"
#include "crypto/secret_bytes.h"
#include "wire/channel_messages.h"

namespace cpddi::channel {

// DDIAUTHENTICATEDCHANNELTYPE (spec §2.5): the driver never sees the runtime's type 1.
enum class ChannelType : std::uint8_t { kSoftware = 2, kHardware = 3 };

// What the runtime answers about the channel's device, under the device lock.
class ChannelContext {
 public:
  virtual ~ChannelContext() = default;
  // The value query DEVICEHANDLE returns: equal for every channel of the device.
  virtual std::uint64_t device_handle() const = 0;
  // Whether `session` is the handle of a live crypto session created on this device.
  virtual bool is_session_of_device(std::uint64_t session) const = 0;
  // Protected shared resources any process may open (query UNRESTRICTEDPROTECTEDSHAREDRESOURCE-
  // COUNT).
  virtual std::uint32_t unrestricted_protected_shared_resources() const = 0;
};

// How the front end spells an outcome in the output's ReturnCode field (an HRESULT): the value
// the entry point itself returns for that outcome, so the two always agree (spec §5.3 step 3).
// Unknown GUIDs and entries the channel type does not allow fail with kNotAvailable, which the
// D3D9 front end spells E_INVALIDARG and the D3D11.1 one E_FAIL (A33, A41).
using ReturnCodeOf = std::int32_t (*)(const Result<void>& outcome);

// The per-front-end rules of a query or configure call (A27).
struct MessageRules {
  ReturnCodeOf return_code = nullptr;
  // D3D9: OutputSize must equal the query's defined size. D3D11.1: it may be larger (only the
  // defined size is written and signed).
  bool query_output_may_be_larger = false;
};

enum class ChannelState : std::uint8_t { kCreated, kKeyed, kInitialized };

class AuthenticatedChannel {
 public:
  // `state` is the device's shared channel state; the channel registers itself there.
  AuthenticatedChannel(ChannelType type, std::shared_ptr<const crypto::RsaPrivateKey> identity,
                       std::shared_ptr<DeviceChannelState> state);
  AuthenticatedChannel(const AuthenticatedChannel&) = delete;
  AuthenticatedChannel& operator=(const AuthenticatedChannel&) = delete;
  ~AuthenticatedChannel();

  // ---- Steps 1–2 of §5.9, before a channel is known: the buffers can hold the headers ----
  // The payload's hChannel, or kInvalidArgument (output untouched) for a null or too-small buffer.
  static Result<std::uint64_t> query_channel_handle(std::span<const std::uint8_t> input,
                                                    std::span<std::uint8_t> output);
  static Result<std::uint64_t> configure_channel_handle(std::span<const std::uint8_t> input,
                                                        std::span<std::uint8_t> output);

  // ---- Spec §5.2, A24, A25 ----
  // Created/Keyed: installs (or replaces) the key. Initialized: kInvalidArgument, key unchanged.
  Result<void> key_exchange(std::span<const std::uint8_t> oaep_ciphertext);

  // ---- Spec §5.3, §5.4, §5.6–§5.9 ----
  // `input` is InputSize bytes; `output` is OutputSize bytes (configure: the output buffer,
  // at least sizeof(CONFIGURE_OUTPUT)). Both passed step 1 (query/configure_channel_handle).
  // From step 3 on every failure is reported in a signed output (zero omac without a key).
  Result<void> query(std::span<const std::uint8_t> input, std::span<std::uint8_t> output,
                     const ChannelContext& context, const MessageRules& rules);
  Result<void> configure(std::span<const std::uint8_t> input, std::span<std::uint8_t> output,
                         const ChannelContext& context, const MessageRules& rules);

  // ---- Spec §5.5, A40: DestroyAuthenticatedChannel ----
  // Withdraws this channel's PROTECTION and ENCRYPTIONWHENACCESSIBLE requests (SHAREDRESOURCE
  // grants and crypto-session bindings stay) and wipes the key. Idempotent.
  void close();

  ChannelType type() const { return type_; }
  ChannelState state() const;
  // The lowest sequence number the next query / configure may carry; 2^32 once exhausted; nullopt
  // before INITIALIZE.
  std::optional<std::uint64_t> next_query_sequence() const;
  std::optional<std::uint64_t> next_configure_sequence() const;

 private:
  struct Counters {
    std::uint64_t next_query = 0;  // 33 bits: 2^32 = exhausted (A23)
    std::uint64_t next_configure = 0;
  };

  Result<void> run_query(std::span<const std::uint8_t> input, std::size_t output_size,
                         std::span<std::uint8_t> image, const wire::MessageHeader& header,
                         std::optional<wire::ChannelQuery> query, const ChannelContext& context,
                         const MessageRules& rules);
  Result<void> run_configure(std::span<const std::uint8_t> input,
                             const wire::MessageHeader& header,
                             std::optional<wire::ChannelConfigure> configure,
                             const ChannelContext& context);
  Result<void> initialize(std::span<const std::uint8_t> input);
  // Writes the header and ReturnCode into image[0, written), signs it and copies it to `output`.
  Result<void> sign_and_emit(std::span<std::uint8_t> image, std::size_t written,
                             const wire::MessageHeader& header, std::int32_t return_code,
                             std::span<std::uint8_t> output) const;

  ChannelType type_;
  std::shared_ptr<const crypto::RsaPrivateKey> identity_;
  std::shared_ptr<DeviceChannelState> state_;
  ChannelId id_;
  std::optional<crypto::Aes128Key> key_;  // Keyed once set (§1.5)
  std::optional<Counters> counters_;      // Initialized once set
  bool closed_ = false;
};

}  // namespace cpddi::channel
