#pragma once

// conform::Channel — an authenticated channel driven through the harness (spec §1.3, §1.5, §5),
// with the application's model of it: the channel key it exchanged, and its own query and
// configure counters. Typed calls sign configure inputs and verify every output exactly (MAC over
// the §5.8 range, the echoed type, channel handle and sequence number, ReturnCode equal to the
// HRESULT, padding zero) and fail the case with "expected …, got …" on any mismatch; raw calls
// send whatever bytes a case made (a bad MAC, a replayed number, a wrong size or handle) and hand
// back the raw output, which the case checks with verify_query_output/verify_configure_output.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "conform/channel_catalogue.h"
#include "conform/harness.h"

namespace cpddi::conform {

using channel::ConfigureKind;
using channel::Message;
using channel::QueryKind;

// The channel type the device's caps advertise (software preferred: spec §5.1, cpddi [R]); skips
// the case when they advertise neither.
UINT advertised_channel_type(const Device& device);

// What a driver's call left in the output buffer: the HRESULT and every byte of the buffer (which
// the harness fills with kOutputSentinel before the call).
struct Reply {
  HRESULT hr = S_OK;
  Bytes output;
};
inline constexpr std::uint8_t kOutputSentinel = 0xCD;

// Where an input's header fields lie: QueryType/ConfigureType, hChannel, SequenceNumber.
struct HeaderOffsets {
  std::size_t type_at;
  std::size_t channel_at;
  std::size_t sequence_at;
};

// The header offsets of a query input and of a configure input.
inline constexpr HeaderOffsets kQueryInputHeader = {channel::kQueryInputTypeOffset,
                                                   channel::kQueryInputChannelOffset,
                                                   channel::kQueryInputSequenceOffset};
inline constexpr HeaderOffsets kConfigureInputHeader = {channel::kConfigureInputTypeOffset,
                                                       channel::kConfigureInputChannelOffset,
                                                       channel::kConfigureInputSequenceOffset};

// A zeroed message of `layout` whose header names `type`, `channel` and `sequence` (for a
// channel that is not this client's, or no live channel at all: the stateful fuzzer).
Message message_with_header(const channel::Layout& layout, const GUID& type,
                            const HeaderOffsets& at, HANDLE channel, std::uint32_t sequence);

// How a failing call must leave its output (spec §5.8 rule 3, §5.9 check order).
enum class OutputRule {
  kSigned,     // header echoed, ReturnCode = HRESULT, signed (all-zero omac without a key)
  kUntouched,  // steps 1–2 failed: not a byte written
};

// Checks a query's output against its input (spec §5.3, §5.8, A27, A28): with kSigned the echo
// of QueryType/hChannel/SequenceNumber, ReturnCode == hr, omac = AES-CMAC(key) over [16, W) (W =
// N on success; min(OutputSize, N) on failure, sizeof(QUERY_OUTPUT) for an unknown GUID), on
// failure zero bytes after the header, on success zero padding and the echoed payload fields.
// `key` empty: the omac must be all-zero. Fails the case with `what` in the message.
void verify_query_output(const std::optional<Key>& key, std::span<const std::uint8_t> input,
                         const Reply& reply, OutputRule rule, const std::string& what);
// The same for a configure's output (always one CONFIGURE_OUTPUT, spec §5.4).
void verify_configure_output(const std::optional<Key>& key, std::span<const std::uint8_t> input,
                             const Reply& reply, OutputRule rule, const std::string& what);

// The raw calls behind Channel::query_raw / configure_raw, on `device` (which may be a
// calling_as view: another device, a destroyed one): the input bytes as given, an output of
// `output_size` bytes (a configure's: sizeof(CONFIGURE_OUTPUT), its slack checked unwritten)
// preset to kOutputSentinel, null pointers when asked; nothing else checked. For callers that
// name a channel through a device other than its own (the stateful fuzzer).
Reply query_raw_on(const Device& device, std::span<const std::uint8_t> input,
                   std::size_t output_size, bool null_input = false, bool null_output = false);
Reply configure_raw_on(const Device& device, std::span<const std::uint8_t> input,
                       bool null_input = false, bool null_output = false);

class Channel {
 public:
  enum class Stage { kCreated, kKeyed, kInitialized };
  // Creates a channel of `type` (0 = the advertised one) on `device` and brings it to `stage`:
  // certificate check and key exchange of a random key, then INITIALIZE with random start values
  // (each below 2^31, so a case can step far ahead). Fails the case unless each step succeeds;
  // skips it when CreateAuthenticatedChannel answers D3DDDIERR_NOTAVAILABLE for the advertised
  // type (a driver without channels: channel.caps-imply-channels judges that).
  explicit Channel(const Device& device, Stage stage = Stage::kInitialized, UINT type = 0);
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  HANDLE handle() const { return handle_; }
  UINT type() const { return type_; }
  const Device& device() const { return device_; }
  // The key the application believes the driver holds (none before an exchange succeeded).
  const std::optional<Key>& key() const { return key_; }
  std::uint32_t start_query() const { return start_query_; }
  std::uint32_t start_configure() const { return start_configure_; }
  // The numbers the next typed query / configure will carry (advanced after every such call,
  // failed ones too, as a public client does: spec §5.9).
  std::uint32_t next_query() const { return next_query_; }
  std::uint32_t next_configure() const { return next_configure_; }
  void set_next_query(std::uint32_t n) { next_query_ = n; }
  void set_next_configure(std::uint32_t n) { next_configure_ = n; }

  // ---- Key exchange (spec §5.2, A24) ----
  // The channel certificate (GetCaps with CertificateType AUTHENTICATED_CHANNEL and this type).
  Bytes certificate() const;
  // `key` (16 bytes, or any length for the cases that test others) RSAES-OAEP-wrapped under the
  // channel certificate's leaf key.
  Bytes wrap_key(std::span<const std::uint8_t> key, OaepVariant variant = OaepVariant::kSpec);
  // Exchanges `key`; on S_OK the model takes it.
  HRESULT exchange(const Key& key);
  HRESULT exchange_blob(std::span<const std::uint8_t> blob);
  // INITIALIZE with these start values and `own_sequence` in its SequenceNumber (ignored by the
  // driver), signed and verified; on S_OK the model's counters start there.
  HRESULT initialize(std::uint32_t start_query, std::uint32_t start_configure,
                     std::uint32_t own_sequence = 0);
  HRESULT destroy();

  // ---- Messages (header filled: type, this channel's handle, `sequence`) ----
  Message query_input(const QueryKind& kind, std::uint32_t sequence) const;
  Message configure_input(const ConfigureKind& kind, std::uint32_t sequence) const;
  // Signs bytes [16, size) of `message` with the model's key into its omac.
  void sign(std::span<std::uint8_t> message) const;

  // ---- Raw calls: the bytes as given, an output of `output_size` bytes preset to the sentinel
  // (null pointers when asked), nothing checked ----
  Reply query_raw(std::span<const std::uint8_t> input, std::size_t output_size,
                  bool null_input = false, bool null_output = false) const;
  Reply configure_raw(std::span<const std::uint8_t> input, bool null_input = false,
                      bool null_output = false) const;

  // ---- Verified calls ----
  // Sends `input` (a full query input) with OutputSize = the query's N, verifies the output
  // (kSigned) and requires hr == `want`; returns the output. The model's query counter moves
  // past the input's number (when above it), as after every call.
  Message query_message(const Message& input, HRESULT want = S_OK);
  // Query `kind` with the next query number and `fill` setting its payload fields; the output
  // must succeed and verify.
  Message query(const QueryKind& kind, const std::function<void(Message&)>& fill = {});
  // As query(), but returns the HRESULT (the output verified all the same).
  HRESULT query_hr(const QueryKind& kind, const std::function<void(Message&)>& fill,
                   Message* output = nullptr);
  // Signs `input` with the model's key, sends it and verifies the output (kSigned); returns hr.
  // The model's configure counter moves past the input's number (when above it).
  HRESULT configure_message(Message input);
  // Configure `kind` with the next configure number and `fill` setting its payload; returns
  // the HRESULT (the output verified all the same).
  HRESULT configure(const ConfigureKind& kind, const std::function<void(Message&)>& fill);

  // Typed helpers over the catalogue.
  std::uint32_t protection();                    // PROTECTION → ProtectionFlags.Value
  HANDLE device_handle();                        // DEVICEHANDLE
  HRESULT configure_protection(std::uint32_t flags);

 private:
  const Device& device_;
  HANDLE handle_ = nullptr;
  UINT type_ = 0;

  std::optional<Key> key_;
  std::unique_ptr<crypto::RsaPublicKey> leaf_key_;
  std::uint32_t start_query_ = 0;
  std::uint32_t start_configure_ = 0;
  std::uint32_t next_query_ = 0;
  std::uint32_t next_configure_ = 0;
};

// A random 32-bit number from the application's CSPRNG, below `limit`.
std::uint32_t random_u32(std::uint32_t limit = 0x80000000u);
// A random 16-byte key.
Key random_key();

}  // namespace cpddi::conform
