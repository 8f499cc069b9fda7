// QueryAuthenticatedChannel and ConfigureAuthenticatedChannel with fuzzed payloads (spec §5.3,
// §5.4, §5.8, §5.9, A27, A28): any GUID, size, sequence number, channel handle, MAC and payload
// bytes, on a channel that is created, keyed or initialised.
// Input: [stage] [query/configure] [GUID choice (+16 raw bytes)] [sequence choice (+ raw u32)]
//        [handle choice] [input size delta] [output size delta] [signing] [payload bytes …].
// Invariants: only documented codes; every output is either untouched (then the call failed) or
// exactly what spec §5.8 asks for (echo, ReturnCode = HRESULT, zero padding or zero payload on
// failure, omac = AES-CMAC over [16, W) under the channel key, or all-zero without one: conform's
// verify_*_output); the configure writes nothing past one CONFIGURE_OUTPUT; and afterwards the
// channel still answers a well-formed query numbered above everything sent.
#include <algorithm>
#include <cstdint>
#include <span>

#include "conform/channel.h"
#include "fuzz_support.h"

using namespace cpddi::fuzz;
namespace conform = cpddi::conform;
namespace channel = cpddi::conform::channel;

namespace {

// Which channel the message names.
HANDLE named_channel(ByteReader& in, const conform::Channel& ch, HANDLE session) {
  switch (in.below(4)) {
    case 0: return nullptr;
    case 1: return session;  // a crypto-session handle
    case 2: return not_a_live_handle(in.u64());
    default: return ch.handle();
  }
}

// The input's size: the defined one, or off by a small signed delta (at least 0).
std::size_t sized(std::size_t defined, std::uint8_t choice) {
  const int delta = static_cast<std::int8_t>(choice) % 24;
  return static_cast<std::size_t>(std::max(0, static_cast<int>(defined) + delta));
}

// A message of `layout` (the GUID's, or the bare header for a GUID outside the catalogue): the
// fuzz payload over zeros, then the header fields, then resized by the fuzzed delta.
conform::Message fuzzed_message(const channel::Layout& layout, const conform::HeaderOffsets& at,
                                const GUID& guid, HANDLE named, std::uint32_t seq,
                                std::span<const std::uint8_t> payload, std::uint8_t delta) {
  conform::Message msg(layout);
  std::copy_n(payload.begin(), std::min(payload.size(), msg.bytes().size()), msg.bytes().begin());
  msg.set_guid_at(at.type_at, guid);
  msg.set_handle_at(at.channel_at, named);
  msg.set_uint_at(at.sequence_at, seq);
  msg.bytes().resize(sized(layout.size, delta), 0);
  return msg;
}

// All sentinel bytes: the driver wrote nothing.
bool untouched(const conform::Reply& reply) {
  return std::all_of(reply.output.begin(), reply.output.end(),
                     [](std::uint8_t b) { return b == conform::kOutputSentinel; });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader in(data, size);
  const Adapter& a = adapter(Profile::kDefaults);
  FuzzDevice device(a);
  const auto stage = static_cast<conform::Channel::Stage>(in.below(3));
  conform::Channel ch(device, stage);
  conform::Session session(device, conform::app_side::kTestKey, conform::Session::Exchange::kNo);
  const bool is_query = in.flag();

  // GUID: a catalogue entry of either kind, or 16 raw bytes.
  GUID guid{};
  const std::uint32_t guid_choice = in.below(20);
  if (guid_choice < channel::queries().size()) {
    guid = channel::queries()[guid_choice].guid;
  } else if (guid_choice < channel::queries().size() + channel::configures().size()) {
    guid = channel::configures()[guid_choice - channel::queries().size()].guid;
  } else {
    const auto raw = in.array<16>();
    std::copy(raw.begin(), raw.end(), reinterpret_cast<std::uint8_t*>(&guid));
  }
  const std::uint32_t start = is_query ? ch.start_query() : ch.start_configure();
  std::uint32_t seq = start;
  switch (in.below(4)) {
    case 0: break;
    case 1: seq = start - 1; break;
    case 2: seq = start + in.u8(); break;
    default: seq = in.u32(); break;
  }
  const HANDLE named = named_channel(in, ch, session.handle());
  const std::uint8_t input_delta = in.u8();
  const std::uint8_t output_delta = in.u8();
  const std::uint32_t signing = in.below(3);  // 0 sign, 1 leave unsigned, 2 sign then flip
  const std::size_t flip_at = in.u8();

  const std::uint32_t follow_up = std::max(start, seq) + 1;
  if (is_query) {
    const channel::QueryKind* kind = channel::find_query(guid);
    const conform::Message msg = fuzzed_message(
        kind ? kind->input : channel::kQueryInput,
        {channel::kQueryInputTypeOffset, channel::kQueryInputChannelOffset,
         channel::kQueryInputSequenceOffset},
        guid, named, seq, in.rest(), input_delta);
    const std::size_t out_size = sized(kind ? kind->output.size : channel::kQueryOutput.size,
                                       output_delta);
    const conform::Reply reply = ch.query_raw(msg.bytes(), out_size);
    check_documented("QueryAuthenticatedChannel", reply.hr, documented::kChannel);
    if (untouched(reply)) {
      if (reply.hr == S_OK) violation("a successful query wrote no output");
    } else {
      conform::verify_query_output(ch.key(), msg.bytes(), reply, conform::OutputRule::kSigned,
                                   "a fuzzed query");
    }
  } else {
    const channel::ConfigureKind* kind = channel::find_configure(guid);
    conform::Message msg = fuzzed_message(
        kind ? kind->input : channel::kConfigureInput,
        {channel::kConfigureInputTypeOffset, channel::kConfigureInputChannelOffset,
         channel::kConfigureInputSequenceOffset},
        guid, named, seq, in.rest(), input_delta);
    if (signing != 1 && ch.key() && msg.bytes().size() >= 16) {
      ch.sign(msg.bytes());
      if (signing == 2 && !msg.bytes().empty()) {
        msg.bytes()[flip_at % msg.bytes().size()] ^= 0x01;
      }
    }
    const conform::Reply reply = ch.configure_raw(msg.bytes());  // checks the slack itself
    check_documented("ConfigureAuthenticatedChannel", reply.hr, documented::kChannel);
    if (untouched(reply)) {
      if (reply.hr == S_OK) violation("a successful configure wrote no output");
    } else {
      conform::verify_configure_output(ch.key(), msg.bytes(), reply,
                                       conform::OutputRule::kSigned, "a fuzzed configure");
    }
  }
  // The channel still works: a well-formed PROTECTION query above every number sent.
  if (stage == conform::Channel::Stage::kInitialized && is_query && follow_up != 0 &&
      ch.start_query() <= follow_up) {
    const conform::Message next = ch.query_input(channel::query_protection(), follow_up);
    ch.query_message(next, S_OK);
  }
  return 0;
}
