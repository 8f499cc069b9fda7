#include "channel/authenticated_channel.h"

#include <algorithm>
#include <array>

#include "channel/catalogue.h"
#include "crypto/cmac.h"

namespace cpddi::channel {
namespace {

namespace layout = wire::channel_layout;

// Room for the largest defined output (QUERYOUTPUTID_OUTPUT, 80 bytes on x64).
constexpr std::size_t kImageSize = 128;

constexpr Error kNotInitialized{Errc::kInvalidArgument,
                                "the channel is not initialized (no INITIALIZE accepted yet)"};

// §5.9 steps 5–6 for one counter (A23): accept s iff s ≥ next (next is 2^32 once exhausted), then
// consume it — next = s + 1. Nothing changes on failure.
Result<void> consume(std::uint64_t& next, std::uint32_t sequence_number) {
  if (sequence_number < next) {
    return Error{Errc::kInvalidArgument,
                 "sequence number not greater than the last accepted one (spec §5.9)"};
  }
  next = std::uint64_t{sequence_number} + 1;
  return {};
}

}  // namespace

AuthenticatedChannel::AuthenticatedChannel(ChannelType type,
                                           std::shared_ptr<const crypto::RsaPrivateKey> identity,
                                           std::shared_ptr<DeviceChannelState> state)
    : type_(type),
      identity_(std::move(identity)),
      state_(std::move(state)),
      id_(state_->register_channel()) {}

AuthenticatedChannel::~AuthenticatedChannel() { close(); }

namespace {

// Step 1 of §5.9: both buffers exist and hold their headers; nothing is written otherwise.
Result<void> check_buffers(std::span<const std::uint8_t> input, std::size_t input_header,
                           std::span<std::uint8_t> output, std::size_t output_header) {
  if (input.data() == nullptr || output.data() == nullptr) {
    return Error{Errc::kInvalidArgument, "pInputData or pOutputData is null"};
  }
  if (input.size() < input_header) {
    return Error{Errc::kInvalidArgument, "InputSize cannot hold the input header"};
  }
  if (output.size() < output_header) {
    return Error{Errc::kInvalidArgument, "the output cannot hold its header (nothing written)"};
  }
  return {};
}

}  // namespace

Result<std::uint64_t> AuthenticatedChannel::query_channel_handle(
    std::span<const std::uint8_t> input, std::span<std::uint8_t> output) {
  Result<void> fits =
      check_buffers(input, wire::kQueryInputHeaderSize, output, wire::kOutputHeaderSize);
  if (!fits) {
    return fits.error();
  }
  return wire::read_query_input_header(input).channel;
}

Result<std::uint64_t> AuthenticatedChannel::configure_channel_handle(
    std::span<const std::uint8_t> input, std::span<std::uint8_t> output) {
  Result<void> fits =
      check_buffers(input, wire::kConfigureInputHeaderSize, output, wire::kConfigureOutputSize);
  if (!fits) {
    return fits.error();
  }
  return wire::read_configure_input_header(input).channel;
}

Result<void> AuthenticatedChannel::key_exchange(std::span<const std::uint8_t> oaep_ciphertext) {
  if (counters_) {
    return Error{Errc::kInvalidArgument,
                 "the channel is initialized: its key can no longer change (spec A24)"};
  }
  Result<crypto::Aes128Key> key = crypto::unwrap_exchanged_key(*identity_, oaep_ciphertext);
  if (!key) {
    return key.error();
  }
  key_.emplace(std::move(*key));
  return {};
}

Result<void> AuthenticatedChannel::query(std::span<const std::uint8_t> input,
                                         std::span<std::uint8_t> output,
                                         const ChannelContext& context,
                                         const MessageRules& rules) {
  const wire::MessageHeader header = wire::read_query_input_header(input);
  const std::optional<wire::ChannelQuery> query = wire::channel_query_from_guid(header.type);
  // The whole output is built here first: zero-initialised (padding stays zero, §5.8 rule 2) and
  // copied out only once it is signed, so the caller never sees half an answer.
  std::array<std::uint8_t, kImageSize> image{};
  const std::size_t defined = query ? wire::query_sizes(*query).output : wire::kOutputHeaderSize;
  Result<void> outcome = run_query(input, output.size(), std::span(image).first(defined), header,
                                   query, context, rules);
  if (!outcome) {
    // A27: a failure report carries the header and zero payload bytes.
    std::fill(image.begin() + layout::output_header::kSize, image.end(), std::uint8_t{0});
  }
  const std::size_t written = wire::query_output_written_size(query, output.size());
  Result<void> emitted =
      sign_and_emit(image, written, header, rules.return_code(outcome), output);
  if (!emitted) {
    return emitted.error();
  }
  return outcome;
}

Result<void> AuthenticatedChannel::run_query(std::span<const std::uint8_t> input,
                                             std::size_t output_size,
                                             std::span<std::uint8_t> image,
                                             const wire::MessageHeader& header,
                                             std::optional<wire::ChannelQuery> query,
                                             const ChannelContext& context,
                                             const MessageRules& rules) {
  // §5.9 steps 4–6: initialized, number not below next_q, then consume it.
  if (!counters_) {
    return kNotInitialized;
  }
  Result<void> accepted = consume(counters_->next_query, header.sequence_number);
  if (!accepted) {
    return accepted;
  }

  // Step 7: the catalogue entry, its exact sizes (A27), the channel type (A33).
  if (!query) {
    return Error{Errc::kNotAvailable, "unknown query GUID"};
  }
  const wire::QuerySizes sizes = wire::query_sizes(*query);
  const bool output_fits = rules.query_output_may_be_larger ? output_size >= sizes.output
                                                            : output_size == sizes.output;
  if (input.size() != sizes.input || !output_fits) {
    return Error{Errc::kInvalidArgument,
                 "InputSize/OutputSize differ from the query's defined sizes (spec A27)"};
  }
  if (!allowed_on(*query, type_)) {
    return Error{Errc::kNotAvailable, "the query is not defined for this channel type (A33)"};
  }
  // Step 8: the payload.
  return answer_query(*query, QueryScope{type_, *state_, context}, input, image);
}

Result<void> AuthenticatedChannel::configure(std::span<const std::uint8_t> input,
                                             std::span<std::uint8_t> output,
                                             const ChannelContext& context,
                                             const MessageRules& rules) {
  const wire::MessageHeader header = wire::read_configure_input_header(input);
  const std::optional<wire::ChannelConfigure> configure =
      wire::channel_configure_from_guid(header.type);
  std::array<std::uint8_t, kImageSize> image{};
  Result<void> outcome = run_configure(input, header, configure, context);
  Result<void> emitted = sign_and_emit(image, wire::kConfigureOutputSize, header,
                                       rules.return_code(outcome), output);
  if (!emitted) {
    return emitted.error();
  }
  return outcome;
}

Result<void> AuthenticatedChannel::run_configure(std::span<const std::uint8_t> input,
                                                 const wire::MessageHeader& header,
                                                 std::optional<wire::ChannelConfigure> configure,
                                                 const ChannelContext& context) {
  // §5.9 step 3: keyed, and the OMAC over [16, InputSize) verifies (constant time).
  if (!key_) {
    return Error{Errc::kInvalidArgument, "the channel has no key yet (key exchange first)"};
  }
  Result<bool> verified = crypto::aes_cmac_verify(
      key_->expose(), wire::configure_input_mac_range(input), input.first(layout::kOmacSize));
  if (!verified) {
    return verified.error();
  }
  if (!*verified) {
    return Error{Errc::kInvalidArgument, "the configure input's OMAC does not verify"};
  }
  // Step 4.
  if (configure == wire::ChannelConfigure::kInitialize) {
    return initialize(input);
  }
  if (!counters_) {
    return kNotInitialized;
  }
  // Steps 5–6.
  Result<void> accepted = consume(counters_->next_configure, header.sequence_number);
  if (!accepted) {
    return accepted;
  }
  // Step 7.
  if (!configure) {
    return Error{Errc::kNotAvailable, "unknown configure GUID"};
  }
  if (input.size() != wire::configure_input_size(*configure)) {
    return Error{Errc::kInvalidArgument,
                 "InputSize differs from the configure command's defined size (spec A27)"};
  }
  if (!allowed_on(*configure, type_)) {
    return Error{Errc::kNotAvailable, "the configure is not defined for this channel type (A33)"};
  }
  // Step 8.
  return apply_configure(*configure, ConfigureScope{type_, id_, *state_, context}, input);
}

Result<void> AuthenticatedChannel::initialize(std::span<const std::uint8_t> input) {
  if (counters_) {
    return Error{Errc::kInvalidArgument, "INITIALIZE was already accepted (once per channel)"};
  }
  if (input.size() != wire::configure_input_size(wire::ChannelConfigure::kInitialize)) {
    return Error{Errc::kInvalidArgument, "InputSize differs from sizeof(CONFIGUREINITIALIZE)"};
  }
  // INITIALIZE's own SequenceNumber is ignored and consumes nothing (§5.7, §5.9 step 4).
  counters_ = Counters{wire::load_u32(input, layout::initialize_input::kStartSequenceQuery),
                       wire::load_u32(input, layout::initialize_input::kStartSequenceConfigure)};
  return {};
}

Result<void> AuthenticatedChannel::sign_and_emit(std::span<std::uint8_t> image,
                                                  std::size_t written,
                                                  const wire::MessageHeader& header,
                                                  std::int32_t return_code,
                                                  std::span<std::uint8_t> output) const {
  wire::write_output_header(image, header, return_code);
  std::fill_n(image.begin(), layout::kOmacSize, std::uint8_t{0});  // no key: the omac stays zero
  if (key_) {
    Result<crypto::CmacTag> tag =
        crypto::aes_cmac(key_->expose(), wire::output_mac_range(image, written));
    if (!tag) {
      return tag.error();  // the caller's output stays untouched
    }
    std::copy(tag->begin(), tag->end(), image.begin());
  }
  std::copy_n(image.begin(), written, output.begin());
  return {};
}

void AuthenticatedChannel::close() {
  if (closed_) {
    return;
  }
  closed_ = true;
  state_->withdraw(id_);
  key_.reset();  // SecretBytes wipes it
  counters_.reset();
}

ChannelState AuthenticatedChannel::state() const {
  if (counters_) {
    return ChannelState::kInitialized;
  }
  return key_ ? ChannelState::kKeyed : ChannelState::kCreated;
}

std::optional<std::uint64_t> AuthenticatedChannel::next_query_sequence() const {
  return counters_ ? std::optional(counters_->next_query) : std::nullopt;
}

std::optional<std::uint64_t> AuthenticatedChannel::next_configure_sequence() const {
  return counters_ ? std::optional(counters_->next_configure) : std::nullopt;
}

}  // namespace cpddi::channel
