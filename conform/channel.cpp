// conform::Channel (channel.h): an authenticated channel through the harness's Device, the
// application's model of its key and counters, and the exact output checks of spec §5.8.
#include "conform/channel.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "crypto/random.h"
#include "crypto/rsa.h"
#include "crypto/crypto.h"

namespace cpddi::conform {
namespace {

using channel::kConfigureInputSequenceOffset;
using channel::kConfigureInputTypeOffset;
using channel::kConfigureOutput;
using channel::kOutputChannelOffset;
using channel::kOutputReturnCodeOffset;
using channel::kOutputSequenceOffset;
using channel::kOutputTypeOffset;
using channel::kQueryInput;
using channel::kQueryInputSequenceOffset;
using channel::kQueryInputTypeOffset;
using channel::kQueryOutput;

std::string range_text(std::size_t begin, std::size_t end) {
  return "[" + std::to_string(begin) + ", " + std::to_string(end) + ")";
}

std::string handle_text(HANDLE h) {
  char text[24];
  std::snprintf(text, sizeof text, "%p", h);
  return text;
}

// The checks both outputs share: untouched, or header echoed + ReturnCode + omac over [16, w).
void verify_header(const std::optional<Key>& key, const Message& in, const HeaderOffsets& echo,
                   const Reply& reply, OutputRule rule, std::size_t w, const std::string& what) {
  const Bytes& out = reply.output;
  if (rule == OutputRule::kUntouched) {
    const bool untouched = std::all_of(out.begin(), out.end(),
                                       [](std::uint8_t b) { return b == kOutputSentinel; });
    require(untouched, what + " leaves the output buffer untouched (steps 1–2 of §5.9)",
            "bytes were written: " + first_difference(out, Bytes(out.size(), kOutputSentinel)));
    return;
  }
  require(out.size() >= w, what + " output of at least " + std::to_string(w) + " bytes",
          std::to_string(out.size()));
  const Message got(kQueryOutput, out);
  require(channel::same_guid(got.guid_at(kOutputTypeOffset), in.guid_at(echo.type_at)),
          what + " echoes the input's type " + channel::guid_text(in.guid_at(echo.type_at)),
          channel::guid_text(got.guid_at(kOutputTypeOffset)));
  require(got.handle_at(kOutputChannelOffset) == in.handle_at(echo.channel_at),
          what + " echoes hChannel " + handle_text(in.handle_at(echo.channel_at)),
          handle_text(got.handle_at(kOutputChannelOffset)));
  require(got.uint_at(kOutputSequenceOffset) == in.uint_at(echo.sequence_at),
          what + " echoes SequenceNumber " + std::to_string(in.uint_at(echo.sequence_at)),
          std::to_string(got.uint_at(kOutputSequenceOffset)));
  const auto return_code = static_cast<HRESULT>(got.uint_at(kOutputReturnCodeOffset));
  require(return_code == reply.hr,
          what + " puts the returned HRESULT " + hr_text(reply.hr) + " in ReturnCode",
          hr_text(return_code));
  std::array<std::uint8_t, 16> want{};
  if (key) {
    want = channel::omac(*key, out, w);
  }
  const std::span<const std::uint8_t> tag(out.data(), 16);
  require(std::equal(tag.begin(), tag.end(), want.begin()),
          what + (key ? " omac = AES-CMAC(channel key) over bytes " + range_text(16, w)
                      : " omac all-zero (no channel key yet)"),
          "omac " + hex(tag) + (key ? ", the CMAC is " + hex(want) : ""));
}

// The model's counter after a message numbered `sent`: past it, as a client that advances after
// every call (spec §5.9); a number below the counter leaves it.
void advance(std::uint32_t* next, std::uint32_t sent) {
  if (sent >= *next && sent != 0xFFFFFFFFu) {
    *next = sent + 1;
  }
}

std::string query_name(const QueryKind* kind) {
  return std::string("QueryAuthenticatedChannel(") + (kind ? kind->name : "unknown GUID") + ")";
}

}  // namespace

void verify_query_output(const std::optional<Key>& key, std::span<const std::uint8_t> input,
                         const Reply& reply, OutputRule rule, const std::string& what) {
  const Message in(kQueryInput, Bytes(input.begin(), input.end()));
  const QueryKind* kind = input.size() >= kQueryInput.size
                              ? channel::find_query(in.guid_at(kQueryInputTypeOffset))
                              : nullptr;
  const std::size_t n = kind ? kind->output.size : kQueryOutput.size;
  const std::size_t w = reply.hr == S_OK ? n : std::min(reply.output.size(), n);
  verify_header(key, in, kQueryInputHeader, reply, rule, w, what);
  if (rule == OutputRule::kUntouched) {
    return;
  }
  const Bytes& out = reply.output;
  if (reply.hr != S_OK) {
    const bool zero = std::all_of(out.begin() + static_cast<std::ptrdiff_t>(kQueryOutput.size),
                                  out.begin() + static_cast<std::ptrdiff_t>(w),
                                  [](std::uint8_t b) { return b == 0; });
    require(zero, what + " failure output: zero bytes " + range_text(kQueryOutput.size, w),
            "non-zero payload bytes");
    return;
  }
  require(kind != nullptr, what + " fails for an unknown query GUID", "S_OK");
  for (std::size_t at : channel::padding_bytes(kind->output)) {
    require(out[at] == 0, what + " writes padding byte " + std::to_string(at) + " as zero",
            std::to_string(out[at]));
  }
  const Message got(kind->output, out);
  for (std::size_t i = 1; i <= kind->echoed; ++i) {
    const std::size_t width = kind->input.width[i];
    const bool same = std::memcmp(got.bytes().data() + got.offset(i),
                                  input.data() + kind->input.offset[i], width) == 0;
    require(same, what + " echoes input payload field " + std::to_string(i),
            "a different value at output offset " + std::to_string(got.offset(i)));
  }
}

void verify_configure_output(const std::optional<Key>& key, std::span<const std::uint8_t> input,
                             const Reply& reply, OutputRule rule, const std::string& what) {
  const Message in(channel::kConfigureInput, Bytes(input.begin(), input.end()));
  verify_header(key, in, kConfigureInputHeader, reply, rule, kConfigureOutput.size, what);
}

UINT advertised_channel_type(const Device& device) {
  const DWORD caps = device.caps_bits();
  if ((caps & D3DCPCAPS_SOFTWARE) != 0) {
    return DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE;
  }
  if ((caps & D3DCPCAPS_HARDWARE) != 0) {
    return DDIAUTHENTICATEDCHANNEL_DRIVER_HARDWARE;
  }
  skip("caps advertise neither SOFTWARE nor HARDWARE: no authenticated channel type");
}

std::uint32_t random_u32(std::uint32_t limit) {
  std::uint32_t value = 0;
  if (!crypto::random_bytes(std::span(reinterpret_cast<std::uint8_t*>(&value), sizeof value))) {
    throw std::runtime_error("application-side RAND_bytes failed");
  }
  return limit == 0 ? value : value % limit;
}

Key random_key() {
  Key key{};
  if (!crypto::random_bytes(key)) {
    throw std::runtime_error("application-side RAND_bytes failed");
  }
  return key;
}

Channel::Channel(const Device& device, Stage stage, UINT type)
    : device_(device), type_(type != 0 ? type : advertised_channel_type(device)) {
  HANDLE created = nullptr;
  const HRESULT hr = device_.calls().create_authenticated_channel(type_, &created);
  if (hr == device_.code(Refusal::kChannelTypeNotAdvertised) && type == 0) {
    skip("CreateAuthenticatedChannel of the advertised type → " + hr_text(hr) + " (no "
         "channels; channel.caps-imply-channels judges that)");
  }
  expect_hr(hr, S_OK, "CreateAuthenticatedChannel(type " + std::to_string(type_) + ")");
  require(created != nullptr, "CreateAuthenticatedChannel writes a non-null hChannel", "null");
  handle_ = created;
  if (stage == Stage::kCreated) {
    return;
  }
  expect_hr(exchange(random_key()), S_OK, "AuthenticatedChannelKeyExchange of a good blob");
  if (stage == Stage::kKeyed) {
    return;
  }
  expect_hr(initialize(random_u32(), random_u32()), S_OK, "INITIALIZE");
}

Channel::~Channel() {
  if (handle_ != nullptr) {
    device_.calls().release(DeviceObject::kAuthenticatedChannel, handle_);
  }
  if (key_) {
    crypto::cleanse(key_->data(), key_->size());
  }
}

Bytes Channel::certificate() const {
  CapsInfo info;
  info.kind = CapsInfo::Kind::kCertificate;
  info.certificate_type = D3DDDI_CERTTYPE_AUTHENTICATED_CHANNEL;
  info.channel_type = type_;
  info.crypto_type = GUID{};
  return device_.adapter().certificate(info);
}

Bytes Channel::wrap_key(std::span<const std::uint8_t> key, OaepVariant variant) {
  if (!leaf_key_) {
    leaf_key_ = leaf_key_of(certificate());
    require(leaf_key_->bits() == 2048, "a 2048-bit RSA key in the channel certificate (§7.5)",
            std::to_string(leaf_key_->bits()) + " bits");
  }
  return oaep_wrap(*leaf_key_, key, variant);
}

HRESULT Channel::exchange(const Key& key) {
  const HRESULT hr = exchange_blob(wrap_key(key));
  if (hr == S_OK) {
    key_ = key;
  }
  return hr;
}

HRESULT Channel::exchange_blob(std::span<const std::uint8_t> blob) {
  return device_.calls().authenticated_channel_key_exchange(
      handle_, blob.data(), static_cast<UINT>(blob.size()));
}

HRESULT Channel::initialize(std::uint32_t start_query, std::uint32_t start_configure,
                            std::uint32_t own_sequence) {
  Message init = configure_input(channel::configure_initialize(), own_sequence);
  init.set_uint(1, start_query);
  init.set_uint(2, start_configure);
  const HRESULT hr = configure_message(std::move(init));
  if (hr == S_OK) {
    start_query_ = next_query_ = start_query;
    start_configure_ = next_configure_ = start_configure;
  }
  return hr;
}

HRESULT Channel::destroy() {
  const HRESULT hr = device_.calls().destroy_authenticated_channel(handle_);
  if (hr == S_OK) {
    handle_ = nullptr;
  }
  return hr;
}

Message message_with_header(const channel::Layout& layout, const GUID& type,
                            const HeaderOffsets& at, HANDLE channel, std::uint32_t sequence) {
  Message m(layout);
  m.set_guid_at(at.type_at, type);
  m.set_handle_at(at.channel_at, channel);
  m.set_uint_at(at.sequence_at, sequence);
  return m;
}

Message Channel::query_input(const QueryKind& kind, std::uint32_t sequence) const {
  return message_with_header(kind.input, kind.guid, kQueryInputHeader, handle_, sequence);
}

Message Channel::configure_input(const ConfigureKind& kind, std::uint32_t sequence) const {
  return message_with_header(kind.input, kind.guid, kConfigureInputHeader, handle_, sequence);
}

void Channel::sign(std::span<std::uint8_t> message) const {
  require(key_.has_value(), "a channel key to sign with", "no key exchanged");
  channel::sign(*key_, message);
}

Reply query_raw_on(const Device& device, std::span<const std::uint8_t> input,
                   std::size_t output_size, bool null_input, bool null_output) {
  Reply reply{S_OK, Bytes(output_size, kOutputSentinel)};
  Bytes in(input.begin(), input.end());
  reply.hr = device.calls().query_authenticated_channel(
      null_input ? nullptr : in.data(), static_cast<UINT>(in.size()),
      null_output ? nullptr : reply.output.data(), static_cast<UINT>(output_size));
  return reply;
}

Reply configure_raw_on(const Device& device, std::span<const std::uint8_t> input,
                       bool null_input, bool null_output) {
  // One CONFIGURE_OUTPUT plus slack the driver must not write (spec §5.4).
  Reply reply{S_OK, Bytes(kConfigureOutput.size + 16, kOutputSentinel)};
  Bytes in(input.begin(), input.end());
  reply.hr = device.calls().configure_authenticated_channel(
      null_input ? nullptr : in.data(), static_cast<UINT>(in.size()),
      null_output ? nullptr : reply.output.data());
  const bool slack_kept =
      std::all_of(reply.output.begin() + static_cast<std::ptrdiff_t>(kConfigureOutput.size),
                  reply.output.end(), [](std::uint8_t b) { return b == kOutputSentinel; });
  require(slack_kept,
          "ConfigureAuthenticatedChannel writes at most sizeof(CONFIGURE_OUTPUT) = " +
              std::to_string(kConfigureOutput.size) + " bytes",
          "it wrote past them");
  reply.output.resize(kConfigureOutput.size);
  return reply;
}

Reply Channel::query_raw(std::span<const std::uint8_t> input, std::size_t output_size,
                         bool null_input, bool null_output) const {
  return query_raw_on(device_, input, output_size, null_input, null_output);
}

Reply Channel::configure_raw(std::span<const std::uint8_t> input, bool null_input,
                             bool null_output) const {
  return configure_raw_on(device_, input, null_input, null_output);
}

Message Channel::query_message(const Message& input, HRESULT want) {
  const QueryKind* kind = channel::find_query(input.guid_at(kQueryInputTypeOffset));
  const std::size_t n = kind ? kind->output.size : kQueryOutput.size;
  const Reply reply = query_raw(input.bytes(), n);
  advance(&next_query_, input.uint_at(kQueryInputSequenceOffset));
  const std::string what = query_name(kind) + " #" +
                           std::to_string(input.uint_at(kQueryInputSequenceOffset));
  verify_query_output(key_, input.bytes(), reply, OutputRule::kSigned, what);
  expect_hr(reply.hr, want, what);
  return Message(kind ? kind->output : kQueryOutput, reply.output);
}

HRESULT Channel::query_hr(const QueryKind& kind, const std::function<void(Message&)>& fill,
                          Message* output) {
  Message in = query_input(kind, next_query_++);
  if (fill) {
    fill(in);
  }
  const Reply reply = query_raw(in.bytes(), kind.output.size);
  verify_query_output(key_, in.bytes(), reply, OutputRule::kSigned,
                      query_name(&kind) + " #" + std::to_string(next_query_ - 1));
  if (output != nullptr) {
    *output = Message(kind.output, reply.output);
  }
  return reply.hr;
}

Message Channel::query(const QueryKind& kind, const std::function<void(Message&)>& fill) {
  Message out(kind.output);
  expect_hr(query_hr(kind, fill, &out), S_OK,
            query_name(&kind) + " #" + std::to_string(next_query_ - 1));
  return out;
}

HRESULT Channel::configure_message(Message input) {
  sign(input.bytes());
  const Reply reply = configure_raw(input.bytes());
  advance(&next_configure_, input.uint_at(kConfigureInputSequenceOffset));
  const ConfigureKind* kind =
      channel::find_configure(input.guid_at(kConfigureInputTypeOffset));
  verify_configure_output(
      key_, input.bytes(), reply, OutputRule::kSigned,
      std::string("ConfigureAuthenticatedChannel(") + (kind ? kind->name : "unknown GUID") +
          ") #" + std::to_string(input.uint_at(kConfigureInputSequenceOffset)));
  return reply.hr;
}

HRESULT Channel::configure(const ConfigureKind& kind, const std::function<void(Message&)>& fill) {
  Message in = configure_input(kind, next_configure_++);
  if (fill) {
    fill(in);
  }
  return configure_message(std::move(in));
}

std::uint32_t Channel::protection() {
  return query(channel::query_protection()).uint(1);
}

HANDLE Channel::device_handle() { return query(channel::query_device_handle()).handle(1); }

HRESULT Channel::configure_protection(std::uint32_t flags) {
  return configure(channel::configure_protection(), [&](Message& m) { m.set_uint(1, flags); });
}

}  // namespace cpddi::conform
