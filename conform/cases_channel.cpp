// Authenticated channels: spec §1.3, §1.5, §3 (caps precondition), §5 (every function, the
// catalogues, §5.8 OMAC ranges, §5.9 sequence numbers), §7.6, A23–A33, A40. Every case reaches
// the driver through conform::Channel (channel.h), which verifies each output exactly; a case
// skips when the caps advertise no channel type or the driver has no channels at all (the one
// case channel.caps-imply-channels fails such a driver when it reports content-protection caps).
#include <algorithm>
#include <array>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "conform/cases.h"
#include "conform/channel.h"

namespace cpddi::conform {
namespace {

using channel::configure_crypto_session;
using channel::configure_encryption;
using channel::configure_initialize;
using channel::configure_protection;
using channel::configure_shared_resource;
using channel::kConfigureInput;
using channel::kQueryInput;
using channel::kQueryOutput;

const HANDLE kDecodeHandle = reinterpret_cast<HANDLE>(0x4D0D);  // no decoder registry: any value
constexpr GUID kUnknownGuid = {
    0x12345678, 0x9abc, 0xdef0, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};
constexpr std::uint32_t kProtectionEnabled = 0x1;
constexpr std::uint32_t kOverlayOrFullscreenRequired = 0x2;
constexpr UINT kProcessDwm = 1;  // D3DAUTHENTICATEDCHANNEL_PROCESSIDENTIFIERTYPE DWM (§2.5)

std::string seq_text(std::uint32_t s) { return "#" + std::to_string(s); }

// A query of `kind` numbered `seq` (payload filled by `fill`), sent and verified; hr must be
// `want`.
Message query_at(Channel& ch, const QueryKind& kind, std::uint32_t seq, HRESULT want,
                 const std::function<void(Message&)>& fill = {}) {
  Message in = ch.query_input(kind, seq);
  if (fill) {
    fill(in);
  }
  return ch.query_message(in, want);
}

// A signed configure of `kind` numbered `seq`, sent and verified; hr must be `want`.
void configure_at(Channel& ch, const ConfigureKind& kind, std::uint32_t seq, HRESULT want,
                  const std::function<void(Message&)>& fill, const std::string& what) {
  Message in = ch.configure_input(kind, seq);
  if (fill) {
    fill(in);
  }
  expect_hr(ch.configure_message(std::move(in)), want, what);
}

void set_flags(Message& m, std::uint32_t flags) { m.set_uint(1, flags); }

// The protection flags a device must report when `requested` is the OR of its live channels'
// requests (A31): always-on adds ProtectionEnabled.
std::uint32_t effective_flags(const Device& device, std::uint32_t requested) {
  const bool always_on = (device.caps_bits() & D3DCPCAPS_PROTECTIONALWAYSON) != 0;
  return requested | (always_on ? kProtectionEnabled : 0);
}

void require_flags(Channel& reader, std::uint32_t want, const std::string& when) {
  const std::uint32_t got = reader.protection();
  require(got == want, "PROTECTION query " + when + " → flags 0x" + std::to_string(want),
          "0x" + std::to_string(got));
}

// ---- The caps precondition and creation (§3, §5.1) ----

Verdict caps_imply_channels(Env& env) {
  Device& device = env.device();
  const UINT type = advertised_channel_type(device);
  // An explicit type: NOTAVAILABLE fails here instead of skipping.
  Channel ch(device, Channel::Stage::kInitialized, type);
  ch.protection();
  expect_hr(ch.destroy(), S_OK, "DestroyAuthenticatedChannel");
  return pass();
}

Verdict create_types(Env& env) {
  Device& device = env.device();
  Channel a(device, Channel::Stage::kCreated);  // skips a driver without channels
  Channel b(device, Channel::Stage::kCreated);
  require(a.handle() != b.handle(), "two channels get distinct handles", "the same handle");
  const DWORD caps = device.caps_bits();
  std::vector<UINT> refused = {0, 1, 4, 0xFFFFFFFFu};
  if ((caps & D3DCPCAPS_SOFTWARE) == 0) refused.push_back(DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE);
  if ((caps & D3DCPCAPS_HARDWARE) == 0) refused.push_back(DDIAUTHENTICATEDCHANNEL_DRIVER_HARDWARE);
  for (UINT type : refused) {
    HANDLE handle = kGarbageHandle;
    const HRESULT hr = device.calls().create_authenticated_channel(type, &handle);
    expect_hr(hr, device.code(Refusal::kChannelTypeNotAdvertised),
              "CreateAuthenticatedChannel(type " + std::to_string(type) + ")");
    require(handle == kGarbageHandle || handle == nullptr,
            "no channel handle for type " + std::to_string(type), "a handle was written");
  }
  return pass();
}

// ---- Certificate and key exchange (§5.2, A24, A25) ----

Verdict key_exchange_bad_blob(Env& env) {
  Channel ch(env.device(), Channel::Stage::kCreated);
  const Key key = random_key();
  const Bytes good = ch.wrap_key(key);
  std::vector<std::pair<std::string, Bytes>> bad = {
      {"an empty blob", {}},
      {"a blob one byte short", Bytes(good.begin(), good.end() - 1)},
      {"a blob one byte long", [&] { Bytes b = good; b.push_back(0); return b; }()},
      {"a corrupted blob", [&] { Bytes b = good; b[good.size() / 2] ^= 0x01; return b; }()},
      {"OAEP with SHA-1", ch.wrap_key(key, OaepVariant::kSha1)},
      {"a 15-byte key", ch.wrap_key(std::span(key).first(15))},
      {"a 17-byte key", [&] { Bytes b(key.begin(), key.end()); b.push_back(1); return ch.wrap_key(b); }()},
  };
  for (const auto& [what, blob] : bad) {
    expect_hr(ch.exchange_blob(blob), E_INVALIDARG, "AuthenticatedChannelKeyExchange of " + what);
  }
  expect_hr(ch.device().calls().authenticated_channel_key_exchange(ch.handle(), nullptr, 256),
            E_INVALIDARG, "AuthenticatedChannelKeyExchange with a null pData");
  // Nothing installed: an INITIALIZE signed under `key` is refused with an unsigned output.
  Message init = ch.configure_input(configure_initialize(), 0);
  channel::sign(key, init.bytes());
  const Reply reply = ch.configure_raw(init.bytes());
  verify_configure_output(std::nullopt, init.bytes(), reply, OutputRule::kSigned,
                          "INITIALIZE on a channel whose every key exchange failed");
  expect_hr(reply.hr, E_INVALIDARG, "INITIALIZE before any successful key exchange");
  expect_hr(ch.exchange(key), S_OK, "AuthenticatedChannelKeyExchange of a good blob after bad ones");
  expect_hr(ch.initialize(random_u32(), random_u32()), S_OK, "INITIALIZE after the exchange");
  ch.protection();
  return pass();
}

Verdict rekey(Env& env) {
  Channel ch(env.device(), Channel::Stage::kKeyed);
  const Key first = *ch.key();
  const Key second = random_key();
  expect_hr(ch.exchange(second), S_OK, "a second key exchange before INITIALIZE");
  Message init = ch.configure_input(configure_initialize(), 0);
  init.set_uint(1, 100);
  init.set_uint(2, 100);
  channel::sign(first, init.bytes());
  const Reply reply = ch.configure_raw(init.bytes());
  verify_configure_output(second, init.bytes(), reply, OutputRule::kSigned,
                          "INITIALIZE signed with the replaced key");
  expect_hr(reply.hr, E_INVALIDARG, "INITIALIZE signed with the replaced key");
  expect_hr(ch.initialize(random_u32(), random_u32()), S_OK, "INITIALIZE under the new key");
  expect_hr(ch.exchange_blob(ch.wrap_key(random_key())), E_INVALIDARG,
            "a key exchange after INITIALIZE (A24)");
  ch.protection();  // still verifies under `second`
  expect_hr(ch.configure_protection(0), S_OK, "a configure under the kept key");
  return pass();
}

// ---- INITIALIZE and the uninitialised channel (§1.5, §5.7, §5.9) ----

Verdict uninitialized_refused(Env& env) {
  Channel unkeyed(env.device(), Channel::Stage::kCreated);
  query_at(unkeyed, channel::query_protection(), 1, E_INVALIDARG);  // omac all-zero: no key
  Channel ch(env.device(), Channel::Stage::kKeyed);
  for (const QueryKind& kind : channel::queries()) {
    query_at(ch, kind, 1, E_INVALIDARG);
  }
  for (const ConfigureKind& kind : channel::configures()) {
    if (&kind != &configure_initialize()) {
      configure_at(ch, kind, 1, E_INVALIDARG, {},
                   std::string("configure ") + kind.name + " before INITIALIZE");
    }
  }
  const std::uint32_t start = 50;
  expect_hr(ch.initialize(start, start), S_OK, "INITIALIZE after refused traffic");
  query_at(ch, channel::query_protection(), start, S_OK);  // nothing was consumed
  configure_at(ch, configure_protection(), start, S_OK, [](Message& m) { set_flags(m, 0); },
               "the first configure at the start value after refused traffic");
  return pass();
}

Verdict initialize_once(Env& env) {
  Channel ch(env.device(), Channel::Stage::kKeyed);
  const std::uint32_t start = 1000;
  expect_hr(ch.initialize(start, start), S_OK, "the first INITIALIZE");
  Message again = ch.configure_input(configure_initialize(), 0);
  again.set_uint(1, start + 0x40000000u);
  again.set_uint(2, start + 0x40000000u);
  expect_hr(ch.configure_message(std::move(again)), E_INVALIDARG, "a second INITIALIZE");
  // The first one's counters still hold (the second changed nothing).
  query_at(ch, channel::query_protection(), start, S_OK);
  configure_at(ch, configure_protection(), start, S_OK, [](Message& m) { set_flags(m, 0); },
               "a configure at the first INITIALIZE's start value");
  return pass();
}

Verdict initialize_own_sequence_ignored(Env& env) {
  Channel ch(env.device(), Channel::Stage::kKeyed);
  expect_hr(ch.initialize(7, 7, 0xFFFFFFFFu), S_OK, "INITIALIZE carrying SequenceNumber 2^32−1");
  configure_at(ch, configure_protection(), 7, S_OK, [](Message& m) { set_flags(m, 0); },
               "the first configure at StartSequenceConfigure (INITIALIZE consumed nothing)");
  return pass();
}

// ---- Sequence numbers (§5.9, A23, A28) ----

Verdict sequence_start_value(Env& env) {
  Channel ch(env.device());
  query_at(ch, channel::query_protection(), ch.start_query(), S_OK);
  configure_at(ch, configure_protection(), ch.start_configure(), S_OK,
               [](Message& m) { set_flags(m, 0); }, "the first configure at the start value");
  return pass();
}

Verdict sequence_replay_refused(Env& env) {
  Channel ch(env.device());
  const std::uint32_t q = ch.start_query() + 5;
  const Message first = ch.query_input(channel::query_protection(), q);
  ch.query_message(first, S_OK);
  ch.query_message(first, E_INVALIDARG);  // the same bytes again
  query_at(ch, channel::query_protection(), q - 1, E_INVALIDARG);
  query_at(ch, channel::query_protection(), ch.start_query(), E_INVALIDARG);
  query_at(ch, channel::query_protection(), q + 1, S_OK);

  const std::uint32_t c = ch.start_configure() + 5;
  auto off = [](Message& m) { set_flags(m, 0); };
  configure_at(ch, configure_protection(), c, S_OK, off, "configure " + seq_text(c));
  configure_at(ch, configure_protection(), c, E_INVALIDARG, off,
               "configure " + seq_text(c) + " replayed");
  configure_at(ch, configure_protection(), c - 1, E_INVALIDARG, off,
               "configure " + seq_text(c - 1) + " after " + seq_text(c));
  configure_at(ch, configure_protection(), c + 1, S_OK, off, "configure " + seq_text(c + 1));
  return pass();
}

Verdict sequence_gaps_allowed(Env& env) {
  Channel ch(env.device());
  const std::uint32_t q = ch.start_query();
  for (std::uint32_t s : {q, q + 1, q + 5, q + 6, q + 100000}) {
    query_at(ch, channel::query_protection(), s, S_OK);
  }
  const std::uint32_t c = ch.start_configure();
  for (std::uint32_t s : {c + 3, c + 4, c + 1000}) {
    configure_at(ch, configure_protection(), s, S_OK, [](Message& m) { set_flags(m, 0); },
                 "configure " + seq_text(s) + " after a gap");
  }
  return pass();
}

Verdict sequence_counters_independent(Env& env) {
  Channel ch(env.device(), Channel::Stage::kKeyed);
  expect_hr(ch.initialize(2000000, 10), S_OK, "INITIALIZE(queries 2000000, configures 10)");
  auto off = [](Message& m) { set_flags(m, 0); };
  configure_at(ch, configure_protection(), 10, S_OK, off, "configure #10");
  query_at(ch, channel::query_protection(), 2000000, S_OK);
  configure_at(ch, configure_protection(), 11, S_OK, off, "configure #11 after query #2000000");
  query_at(ch, channel::query_protection(), 2000001, S_OK);
  Channel same(env.device(), Channel::Stage::kKeyed);
  expect_hr(same.initialize(500, 500), S_OK, "INITIALIZE(500, 500)");
  query_at(same, channel::query_protection(), 500, S_OK);
  configure_at(same, configure_protection(), 500, S_OK, off,
               "configure #500 after query #500 (separate counters)");
  return pass();
}

Verdict sequence_exhausted(Env& env) {
  Channel ch(env.device());
  query_at(ch, channel::query_protection(), 0xFFFFFFFFu, S_OK);
  query_at(ch, channel::query_protection(), 0xFFFFFFFFu, E_INVALIDARG);
  auto off = [](Message& m) { set_flags(m, 0); };
  configure_at(ch, configure_protection(), ch.start_configure(), S_OK, off,
               "configures after the query counter is exhausted");
  configure_at(ch, configure_protection(), 0xFFFFFFFFu, S_OK, off, "configure #2^32−1");
  configure_at(ch, configure_protection(), 0xFFFFFFFFu, E_INVALIDARG, off,
               "configure #2^32−1 again (counter exhausted)");
  return pass();
}

Verdict sequence_failure_consumes(Env& env) {
  Channel ch(env.device());
  const std::uint32_t q = ch.start_query();
  Message unknown = ch.query_input(channel::query_protection(), q);
  unknown.set_guid_at(channel::kQueryInputTypeOffset, kUnknownGuid);
  ch.query_message(unknown, ch.device().code(Refusal::kUnknownCommand));
  query_at(ch, channel::query_protection(), q, E_INVALIDARG);  // consumed by the unknown GUID
  query_at(ch, channel::query_protection(), q + 1, S_OK);

  const std::uint32_t c = ch.start_configure();
  configure_at(ch, configure_protection(), c, E_INVALIDARG,
               [](Message& m) { set_flags(m, 0x80000000u); }, "PROTECTION with a reserved bit");
  auto off = [](Message& m) { set_flags(m, 0); };
  configure_at(ch, configure_protection(), c, E_INVALIDARG, off,
               "a configure at the number a failed command consumed (A28)");
  // A bad MAC consumes nothing.
  Message tampered = ch.configure_input(configure_protection(), c + 1);
  ch.sign(tampered.bytes());
  tampered.bytes()[20] ^= 0x01;
  const Reply reply = ch.configure_raw(tampered.bytes());
  verify_configure_output(ch.key(), tampered.bytes(), reply, OutputRule::kSigned,
                          "a configure with a bad MAC");
  expect_hr(reply.hr, E_INVALIDARG, "a configure with a bad MAC");
  configure_at(ch, configure_protection(), c + 1, S_OK, off,
               "the number a bad-MAC configure carried (not consumed)");
  return pass();
}

// ---- OMAC (§5.8, §7.6) ----

// Every query of the catalogue with plausible inputs: each output verified whatever its HRESULT.
Verdict query_outputs_signed(Env& env) {
  Channel ch(env.device());
  const HANDLE device_handle = ch.device_handle();
  Session session(env.device());
  for (const QueryKind& kind : channel::queries()) {
    if ((kind.types & (1u << ch.type())) == 0) {
      continue;
    }
    Message out(kind.output);
    const HRESULT hr = ch.query_hr(kind, [&](Message& m) {
      if (&kind == &channel::query_crypto_session()) m.set_handle(1, kDecodeHandle);
      if (&kind == &channel::query_output_id_count() || &kind == &channel::query_output_id()) {
        m.set_handle(1, device_handle);
        m.set_handle(2, session.handle());
      }
    }, &out);
    const bool may_fail = &kind == &channel::query_crypto_session() ||
                          &kind == &channel::query_restricted_process() ||
                          &kind == &channel::query_output_id() ||
                          &kind == &channel::query_encryption_guid();
    if (!may_fail) {
      expect_hr(hr, S_OK, std::string("QueryAuthenticatedChannel(") + kind.name + ")");
    }
  }
  return pass();
}

Verdict configure_mac_checked(Env& env) {
  Channel ch(env.device());
  Channel reader(env.device());
  const std::uint32_t before = reader.protection();
  const std::uint32_t c = ch.start_configure();
  Message good = ch.configure_input(configure_protection(), c);
  set_flags(good, kProtectionEnabled | kOverlayOrFullscreenRequired);
  ch.sign(good.bytes());
  for (std::size_t i = 0; i < good.bytes().size(); ++i) {
    Bytes flipped = good.bytes();
    flipped[i] ^= 0x80;
    const Reply reply = ch.configure_raw(flipped);
    const std::string what = "PROTECTION configure with byte " + std::to_string(i) +
                             (i < 16 ? " of the omac" : " of the signed range") + " flipped";
    // The echo comes from the bytes as sent (a flipped handle byte may name no channel).
    const bool names_channel =
        i < channel::kConfigureInputChannelOffset ||
        i >= channel::kConfigureInputChannelOffset + sizeof(HANDLE);
    verify_configure_output(ch.key(), flipped, reply,
                            names_channel ? OutputRule::kSigned : OutputRule::kUntouched, what);
    expect_hr(reply.hr, E_INVALIDARG, what);
  }
  Message other_key = good;
  channel::sign(random_key(), other_key.bytes());
  expect_hr(ch.configure_raw(other_key.bytes()).hr, E_INVALIDARG,
            "PROTECTION configure signed with another key");
  require_flags(reader, before, "after every tampered configure (nothing applied)");
  // Nothing consumed: the untampered message at the same number is accepted.
  expect_hr(ch.configure_message(good), S_OK, "the untampered configure " + seq_text(c));
  expect_hr(ch.configure_protection(0), S_OK, "switching the request off again");
  return pass();
}

Verdict configure_padding_as_received(Env& env) {
  const std::vector<std::size_t> padding = channel::padding_bytes(configure_protection().input);
  if (padding.empty()) {
    skip("CONFIGUREPROTECTION has no padding on this ABI (x86)");
  }
  Channel ch(env.device());
  Message m = ch.configure_input(configure_protection(), ch.start_configure());
  for (std::size_t at : padding) {
    m.bytes()[at] = 0xA5;
  }
  expect_hr(ch.configure_message(std::move(m)), S_OK,
            "PROTECTION configure with non-zero padding, signed over it (MACed as received)");
  return pass();
}

Verdict failure_outputs_signed(Env& env) {
  Channel ch(env.device());
  Message unknown = ch.query_input(channel::query_protection(), ch.start_query());
  unknown.set_guid_at(channel::kQueryInputTypeOffset, kUnknownGuid);
  // OutputSize = sizeof(QUERY_OUTPUT): W for an unknown GUID.
  const Reply reply = ch.query_raw(unknown.bytes(), kQueryOutput.size);
  verify_query_output(ch.key(), unknown.bytes(), reply, OutputRule::kSigned,
                      "a query with an unknown GUID");
  expect_hr(reply.hr, ch.device().code(Refusal::kUnknownCommand), "a query with an unknown GUID");
  Message configure(kConfigureInput);
  configure.set_guid_at(channel::kConfigureInputTypeOffset, kUnknownGuid);
  configure.set_handle_at(channel::kConfigureInputChannelOffset, ch.handle());
  configure.set_uint_at(channel::kConfigureInputSequenceOffset, ch.start_configure());
  expect_hr(ch.configure_message(std::move(configure)),
            ch.device().code(Refusal::kUnknownCommand), "a configure with an unknown GUID");
  return pass();
}

// ---- Sizes (A27) ----

Verdict query_sizes(Env& env) {
  Channel ch(env.device());
  const QueryKind& kind = channel::query_output_id();
  std::uint32_t s = ch.start_query();
  auto check = [&](std::size_t in_size, std::size_t out_size, OutputRule rule,
                   const std::string& what, HRESULT want = E_INVALIDARG,
                   const QueryKind& query = channel::query_output_id()) {
    Message in = ch.query_input(query, s++);
    in.bytes().resize(in_size, 0);
    const Reply reply = ch.query_raw(in.bytes(), out_size);
    verify_query_output(ch.key(), in.bytes(), reply, rule, what);
    expect_hr(reply.hr, want, what);
  };
  const std::size_t in = kind.input.size;
  const std::size_t out = kind.output.size;
  check(in - 1, out, OutputRule::kSigned, "OUTPUTID with InputSize one short");
  check(in + 8, out, OutputRule::kSigned, "OUTPUTID with InputSize 8 over");
  // PROTECTION needs no payload, so a front end that accepts a larger output (D3D11.1) answers
  // S_OK rather than judging OUTPUTID's empty payload.
  const QueryKind& plain = channel::query_protection();
  check(plain.input.size, plain.output.size + 8, OutputRule::kSigned,
        "PROTECTION with OutputSize 8 over (D3D9: exact)",
        ch.device().code(Refusal::kQueryOutputOver), plain);
  check(in, out - 4, OutputRule::kSigned, "OUTPUTID with OutputSize 4 short");
  check(in, kQueryOutput.size - 1, OutputRule::kUntouched,
        "OUTPUTID with an output that cannot hold QUERY_OUTPUT");
  check(kQueryInput.size - 1, out, OutputRule::kUntouched,
        "a query input shorter than QUERY_INPUT");
  return pass();
}

Verdict configure_sizes(Env& env) {
  Channel ch(env.device());
  std::uint32_t c = ch.start_configure();
  const std::size_t n = configure_protection().input.size;
  for (std::size_t size : {n - 4, n + 4}) {
    Message m = ch.configure_input(configure_protection(), c++);
    m.bytes().resize(size, 0);
    expect_hr(ch.configure_message(std::move(m)), E_INVALIDARG,
              "PROTECTION configure of " + std::to_string(size) + " bytes, signed (N = " +
                  std::to_string(n) + ")");
  }
  Message tiny = ch.configure_input(configure_protection(), c++);
  tiny.bytes().resize(kConfigureInput.size - 1);
  const Reply reply = ch.configure_raw(tiny.bytes());
  verify_configure_output(ch.key(), tiny.bytes(), reply, OutputRule::kUntouched,
                          "a configure shorter than CONFIGURE_INPUT");
  expect_hr(reply.hr, E_INVALIDARG, "a configure shorter than CONFIGURE_INPUT");
  // A mis-sized INITIALIZE initialises nothing.
  Channel keyed(env.device(), Channel::Stage::kKeyed);
  Message init = keyed.configure_input(configure_initialize(), 0);
  init.set_uint(1, 5);
  init.set_uint(2, 5);
  init.bytes().resize(init.bytes().size() + 4, 0);
  expect_hr(keyed.configure_message(std::move(init)), E_INVALIDARG,
            "INITIALIZE 4 bytes over its size");
  query_at(keyed, channel::query_protection(), 5, E_INVALIDARG);
  return pass();
}

Verdict null_arguments(Env& env) {
  Device& device = env.device();
  Channel ch(device);
  const Message q = ch.query_input(channel::query_protection(), ch.start_query());
  for (auto [null_in, null_out] : {std::pair{true, false}, std::pair{false, true}}) {
    const Reply reply = ch.query_raw(q.bytes(), channel::query_protection().output.size,
                                     null_in, null_out);
    expect_hr(reply.hr, E_INVALIDARG,
              null_in ? "a query with a null pInputData" : "a query with a null pOutputData");
    verify_query_output(ch.key(), q.bytes(), reply, OutputRule::kUntouched, "a null-pointer query");
  }
  Message c = ch.configure_input(configure_protection(), ch.start_configure());
  ch.sign(c.bytes());
  const Reply null_input = ch.configure_raw(c.bytes(), true, false);
  expect_hr(null_input.hr, E_INVALIDARG, "a configure with a null pInputData");
  verify_configure_output(ch.key(), c.bytes(), null_input, OutputRule::kUntouched,
                          "a configure with a null pInputData");
  expect_hr(ch.configure_raw(c.bytes(), false, true).hr, E_INVALIDARG,
            "a configure with a null pOutputData");
  // Neither consumed a number.
  query_at(ch, channel::query_protection(), ch.start_query(), S_OK);
  expect_hr(ch.configure_message(c), S_OK, "the configure after the null-pointer ones");
  if (device.has_argument_structs()) {
    for (DeviceEntry entry :
         {DeviceEntry::kCreateAuthenticatedChannel, DeviceEntry::kAuthenticatedChannelKeyExchange,
          DeviceEntry::kQueryAuthenticatedChannel, DeviceEntry::kConfigureAuthenticatedChannel,
          DeviceEntry::kDestroyAuthenticatedChannel}) {
      expect_hr(device.call_with_null_arguments(entry), E_INVALIDARG,
                std::string(device_entry_name(entry)) + " with a null argument struct");
    }
  }
  return pass();
}

// ---- Handles (§1.1, §5.9 step 2, A29) ----

// Every channel call naming `named` through `caller` → E_INVALIDARG, outputs untouched.
void expect_handle_refused(Channel& ch, const Device& caller, HANDLE named,
                           const std::string& how) {
  Message q = ch.query_input(channel::query_protection(), ch.next_query());
  q.set_handle_at(channel::kQueryInputChannelOffset, named);
  Reply reply{S_OK, Bytes(channel::query_protection().output.size, kOutputSentinel)};
  reply.hr = caller.calls().query_authenticated_channel(
      q.bytes().data(), static_cast<UINT>(q.bytes().size()), reply.output.data(),
      static_cast<UINT>(reply.output.size()));
  expect_hr(reply.hr, E_INVALIDARG, "a query naming " + how);
  verify_query_output(ch.key(), q.bytes(), reply, OutputRule::kUntouched, "a query naming " + how);

  Message c = ch.configure_input(configure_protection(), ch.next_configure());
  c.set_handle_at(channel::kConfigureInputChannelOffset, named);
  ch.sign(c.bytes());
  reply.output.assign(channel::kConfigureOutput.size, kOutputSentinel);
  reply.hr = caller.calls().configure_authenticated_channel(
      c.bytes().data(), static_cast<UINT>(c.bytes().size()), reply.output.data());
  expect_hr(reply.hr, E_INVALIDARG, "a configure naming " + how);
  verify_configure_output(ch.key(), c.bytes(), reply, OutputRule::kUntouched,
                          "a configure naming " + how);
  const Bytes blob = ch.wrap_key(random_key());
  expect_hr(caller.calls().authenticated_channel_key_exchange(
                named, blob.data(), static_cast<UINT>(blob.size())),
            E_INVALIDARG, "AuthenticatedChannelKeyExchange naming " + how);
  expect_hr(caller.calls().destroy_authenticated_channel(named), E_INVALIDARG,
            "DestroyAuthenticatedChannel naming " + how);
}

Verdict foreign_handles(Env& env) {
  Device& device = env.device();
  Channel ch(device);
  Device other_device(device.adapter());
  Channel foreign(other_device);
  Session session(device);
  HANDLE dead = nullptr;
  {
    Channel doomed(device);
    dead = doomed.handle();
    expect_hr(doomed.destroy(), S_OK, "DestroyAuthenticatedChannel");
  }
  expect_handle_refused(ch, device, nullptr, "a null channel");
  expect_handle_refused(ch, device, kGarbageHandle, "a garbage channel handle");
  expect_handle_refused(ch, device, session.handle(), "a crypto-session handle");
  expect_handle_refused(ch, device, dead, "a destroyed channel");
  expect_handle_refused(ch, device, foreign.handle(), "another device's channel");
  expect_handle_refused(ch, other_device, ch.handle(), "a channel through another device");
  // Both channels are unharmed.
  ch.protection();
  foreign.protection();
  expect_hr(foreign.configure_protection(0), S_OK, "a configure on the other device's channel");
  return pass();
}

// ---- Destroy (§5.5, A31, A40) ----

Verdict destroy_undoes(Env& env) {
  Device& device = env.device();
  Channel reader(device);
  const std::uint32_t base = reader.protection();
  require(base == effective_flags(device, 0), "PROTECTION with no request → the always-on level",
          "0x" + std::to_string(base));
  const UINT dwm_count_before =
      reader.query(channel::query_restricted_process_count()).uint(1);
  GUID current_before{};
  std::optional<GUID> chosen;
  {
    Channel setter(device);
    expect_hr(setter.configure_protection(kProtectionEnabled | kOverlayOrFullscreenRequired),
              S_OK, "PROTECTION on");
    require_flags(reader, effective_flags(device, kProtectionEnabled | kOverlayOrFullscreenRequired),
                  "while another channel requests protection");
    // ENCRYPTIONWHENACCESSIBLE: pick a GUID other than the current one, when there is one.
    current_before = reader.query(channel::query_current_encryption()).guid(1);
    const UINT count = reader.query(channel::query_encryption_guid_count()).uint(1);
    for (UINT i = 0; i < count && !chosen; ++i) {
      const GUID g = reader.query(channel::query_encryption_guid(),
                                  [&](Message& m) { m.set_uint(1, i); }).guid(2);
      if (!channel::same_guid(g, current_before)) chosen = g;
    }
    if (chosen) {
      expect_hr(setter.configure(configure_encryption(), [&](Message& m) { m.set_guid(1, *chosen); }),
                S_OK, "ENCRYPTIONWHENACCESSIBLE of a listed GUID");
    }
    expect_hr(setter.configure(configure_shared_resource(), [](Message& m) {
                m.set_uint(1, kProcessDwm);
                m.set_handle(2, nullptr);
                m.set_uint(3, 1);
              }),
              S_OK, "SHAREDRESOURCE granting DWM");
    expect_hr(setter.destroy(), S_OK, "DestroyAuthenticatedChannel");
  }
  require_flags(reader, base, "after the requesting channel was destroyed");
  if (chosen) {
    const GUID now = reader.query(channel::query_current_encryption()).guid(1);
    require(channel::same_guid(now, current_before),
            "CURRENTENCRYPTIONWHENACCESSIBLE back to " + channel::guid_text(current_before) +
                " after the selecting channel was destroyed",
            channel::guid_text(now));
  }
  const UINT dwm_count_after = reader.query(channel::query_restricted_process_count()).uint(1);
  require(dwm_count_after >= std::max<UINT>(dwm_count_before, 1),
          "the SHAREDRESOURCE grant survives Destroy (count ≥ " +
              std::to_string(std::max<UINT>(dwm_count_before, 1)) + ")",
          std::to_string(dwm_count_after));
  return pass();
}

// ---- The catalogue's state (§5.6, §5.7, A31–A33) ----

Verdict protection_flags(Env& env) {
  Device& device = env.device();
  Channel a(device);
  Channel b(device);
  const std::uint32_t both = kProtectionEnabled | kOverlayOrFullscreenRequired;
  expect_hr(a.configure_protection(kProtectionEnabled), S_OK, "PROTECTION {enabled}");
  require_flags(b, effective_flags(device, kProtectionEnabled), "after {enabled}");
  expect_hr(a.configure_protection(both), S_OK, "PROTECTION {enabled, overlay}");
  require_flags(b, effective_flags(device, both), "after {enabled, overlay}");
  expect_hr(a.configure_protection(both | 0x4), E_INVALIDARG, "PROTECTION with reserved bit 2");
  require_flags(b, effective_flags(device, both), "after a refused configure");
  expect_hr(b.configure_protection(0), S_OK, "another channel's PROTECTION {}");
  require_flags(a, effective_flags(device, both),
                "after another channel switched off (cannot undo this channel's request)");
  expect_hr(a.configure_protection(0), S_OK, "PROTECTION {} from the requesting channel");
  require_flags(b, effective_flags(device, 0), "after the requesting channel switched off");
  return pass();
}

Verdict device_handle_and_type(Env& env) {
  Device& device = env.device();
  Channel a(device);
  Channel b(device);
  const HANDLE h = a.device_handle();
  require(h == b.device_handle(), "DEVICEHANDLE equal across channels of one device",
          "two different handles");
  Device other(device.adapter());
  Channel c(other);
  require(c.device_handle() != h, "another device's channel reports another DEVICEHANDLE",
          "the same handle");
  const UINT type = a.query(channel::query_channel_type()).uint(1);
  require(type == a.type(), "CHANNELTYPE → " + std::to_string(a.type()), std::to_string(type));
  return pass();
}

Verdict crypto_session_binding(Env& env) {
  Device& device = env.device();
  Channel ch(device);
  const HANDLE device_handle = ch.device_handle();
  Session session(device);
  Device other(device.adapter());
  Session foreign(other);
  auto bind = [&](HANDLE decoder, HANDLE s, HANDLE d) {
    return ch.configure(configure_crypto_session(), [&](Message& m) {
      m.set_handle(1, decoder);
      m.set_handle(2, s);
      m.set_handle(3, d);
    });
  };
  expect_hr(bind(kDecodeHandle, foreign.handle(), device_handle), E_INVALIDARG,
            "CRYPTOSESSION binding another device's session");
  expect_hr(bind(kDecodeHandle, kGarbageHandle, device_handle), E_INVALIDARG,
            "CRYPTOSESSION binding a garbage session handle");
  expect_hr(bind(kDecodeHandle, session.handle(), kGarbageHandle), E_INVALIDARG,
            "CRYPTOSESSION naming a garbage device handle");
  Message out(channel::query_crypto_session().output);
  expect_hr(ch.query_hr(channel::query_crypto_session(),
                        [](Message& m) { m.set_handle(1, kDecodeHandle); }, &out),
            E_INVALIDARG, "CRYPTOSESSION query of an unbound decoder (A32)");
  expect_hr(bind(kDecodeHandle, session.handle(), device_handle), S_OK,
            "CRYPTOSESSION binding (decoder, session, device)");
  out = ch.query(channel::query_crypto_session(),
                 [](Message& m) { m.set_handle(1, kDecodeHandle); });
  require(out.handle(2) == session.handle() && out.handle(3) == device_handle,
          "CRYPTOSESSION query → the bound session and device",
          "session " + std::to_string(reinterpret_cast<std::uintptr_t>(out.handle(2))) +
              ", device " + std::to_string(reinterpret_cast<std::uintptr_t>(out.handle(3))));
  Channel second(device);
  out = second.query(channel::query_crypto_session(),
                     [](Message& m) { m.set_handle(1, kDecodeHandle); });
  require(out.handle(2) == session.handle(),
          "the binding belongs to the decoder: another channel reads it too", "another session");
  return pass();
}

Verdict shared_resource_process_list(Env& env) {
  Channel ch(env.device());
  const auto count = [&] { return ch.query(channel::query_restricted_process_count()).uint(1); };
  auto entry_is_dwm = [&](UINT i) {
    const Message m = ch.query(channel::query_restricted_process(),
                               [&](Message& in) { in.set_uint(1, i); });
    return m.uint(2) == kProcessDwm;
  };
  auto grant = [&](UINT allow) {
    return ch.configure(configure_shared_resource(), [&](Message& m) {
      m.set_uint(1, kProcessDwm);
      m.set_handle(2, nullptr);
      m.set_uint(3, allow);
    });
  };
  expect_hr(grant(1), S_OK, "SHAREDRESOURCE granting DWM");
  const UINT with_dwm = count();
  bool found = false;
  for (UINT i = 0; i < with_dwm; ++i) found = found || entry_is_dwm(i);
  require(found, "a DWM entry in the list after granting it", "none");
  expect_hr(grant(0), S_OK, "SHAREDRESOURCE withdrawing DWM");
  require(count() + 1 == with_dwm, "the process count down by one after the withdrawal",
          std::to_string(count()) + " (was " + std::to_string(with_dwm) + ")");
  for (UINT i = 0; i + 1 < with_dwm; ++i) {
    require(!entry_is_dwm(i), "no DWM entry after withdrawing it", "entry " + std::to_string(i));
  }
  expect_hr(ch.query_hr(channel::query_restricted_process(),
                        [&](Message& m) { m.set_uint(1, with_dwm - 1); }),
            E_INVALIDARG, "RESTRICTEDSHAREDRESOURCEPROCESS past the end");
  expect_hr(grant(1), S_OK, "SHAREDRESOURCE granting DWM again");
  require(count() == with_dwm, "the process count back up after a new grant",
          std::to_string(count()));
  ch.query(channel::query_unrestricted_count());
  return pass();
}

Verdict output_ids(Env& env) {
  Device& device = env.device();
  Channel ch(device);
  const HANDLE device_handle = ch.device_handle();
  Session session(device);
  auto names = [&](HANDLE s) {
    return [=](Message& m) {
      m.set_handle(1, device_handle);
      m.set_handle(2, s);
    };
  };
  const UINT n = ch.query(channel::query_output_id_count(), names(session.handle())).uint(3);
  std::set<std::uint64_t> ids;
  for (UINT i = 0; i < n && i < 64; ++i) {
    const Message m = ch.query(channel::query_output_id(), [&](Message& in) {
      names(session.handle())(in);
      in.set_uint(3, i);
    });
    ids.insert(m.uint64(4));
  }
  require(ids.size() == std::min<UINT>(n, 64), "distinct output ids",
          std::to_string(ids.size()) + " distinct of " + std::to_string(n));
  expect_hr(ch.query_hr(channel::query_output_id(),
                        [&](Message& in) {
                          names(session.handle())(in);
                          in.set_uint(3, n);
                        }),
            E_INVALIDARG, "OUTPUTID at index = count");
  Device other(device.adapter());
  Session foreign(other);
  expect_hr(ch.query_hr(channel::query_output_id_count(), names(foreign.handle())),
            E_INVALIDARG, "OUTPUTIDCOUNT for another device's session");
  return pass();
}

Verdict accessibility(Env& env) {
  Channel ch(env.device());
  const Message m = ch.query(channel::query_accessibility());
  const std::uint32_t bus = m.uint(1);
  const std::uint32_t base = bus & 0xFFFF;
  const std::uint32_t modifier = bus & 0x7FFF0000u;
  const bool non_standard = (bus & 0x80000000u) != 0;
  require(base <= 4 && modifier <= 0x50000 && (modifier & 0xFFFF) == 0 &&
              (modifier == 0 || non_standard),
          "a bus type: one base type 0–4, at most one modifier, NON_STANDARD with a modifier",
          "0x" + std::to_string(bus));
  require(m.uint(2) <= 1 && m.uint(3) <= 1, "the two accessibility BOOLs 0 or 1",
          std::to_string(m.uint(2)) + ", " + std::to_string(m.uint(3)));
  return pass();
}

Verdict encryption_when_accessible(Env& env) {
  Channel ch(env.device());
  const UINT n = ch.query(channel::query_encryption_guid_count()).uint(1);
  std::vector<GUID> listed;
  for (UINT i = 0; i < n && i < 64; ++i) {
    listed.push_back(ch.query(channel::query_encryption_guid(),
                              [&](Message& m) { m.set_uint(1, i); }).guid(2));
  }
  expect_hr(ch.query_hr(channel::query_encryption_guid(), [&](Message& m) { m.set_uint(1, n); }),
            E_INVALIDARG, "ENCRYPTIONWHENACCESSIBLEGUID at index = count");
  const GUID current = ch.query(channel::query_current_encryption()).guid(1);
  const bool current_listed = std::any_of(listed.begin(), listed.end(), [&](const GUID& g) {
    return channel::same_guid(g, current);
  });
  require(current_listed || channel::same_guid(current, GUID{}),
          "CURRENTENCRYPTIONWHENACCESSIBLE one of the listed GUIDs (or none)",
          channel::guid_text(current));
  expect_hr(ch.configure(configure_encryption(), [](Message& m) { m.set_guid(1, kUnknownGuid); }),
            E_INVALIDARG, "ENCRYPTIONWHENACCESSIBLE of an unlisted GUID");
  for (const GUID& g : listed) {
    expect_hr(ch.configure(configure_encryption(), [&](Message& m) { m.set_guid(1, g); }), S_OK,
              "ENCRYPTIONWHENACCESSIBLE " + channel::guid_text(g));
    const GUID now = ch.query(channel::query_current_encryption()).guid(1);
    require(channel::same_guid(now, g), "CURRENTENCRYPTIONWHENACCESSIBLE → the selected GUID",
            channel::guid_text(now));
  }
  return pass();
}

// A query whose input is QUERY_INPUT alone: it can be sent on any channel as is.
bool plain_query(const QueryKind& kind) { return kind.input.count == 1; }

// Every plain query and the SHAREDRESOURCE configure on `ch`: S_OK where the entry lists the
// channel's type, else E_INVALIDARG after consuming the number (A33, §5.9 step 7).
void check_types_on(Channel& ch) {
  const unsigned type_bit = 1u << ch.type();
  const std::string on = " on a type-" + std::to_string(ch.type()) + " channel";
  for (const QueryKind& kind : channel::queries()) {
    if (!plain_query(kind)) {
      continue;
    }
    const bool allowed = (kind.types & type_bit) != 0;
    const std::uint32_t s = ch.next_query();
    expect_hr(ch.query_hr(kind, {}), allowed ? S_OK : ch.device().code(Refusal::kUnknownCommand),
              std::string("query ") + kind.name + on);
    if (!allowed) {
      query_at(ch, channel::query_protection(), s, E_INVALIDARG);  // consumed (§5.9 step 7)
    }
  }
  const bool shared_allowed = (configure_shared_resource().types & type_bit) != 0;
  for (UINT allow : {1u, 0u}) {
    expect_hr(ch.configure(configure_shared_resource(), [&](Message& m) {
                m.set_uint(1, kProcessDwm);
                m.set_uint(3, allow);
              }),
              shared_allowed ? S_OK : ch.device().code(Refusal::kUnknownCommand),
              std::string("SHAREDRESOURCE ") + (allow ? "granting" : "withdrawing") + " DWM" + on);
  }
}

Verdict channel_type_per_entry(Env& env) {
  Device& device = env.device();
  Channel advertised(device);
  check_types_on(advertised);
  const DWORD both = D3DCPCAPS_SOFTWARE | D3DCPCAPS_HARDWARE;
  if ((device.caps_bits() & both) == both) {
    Channel hardware(device, Channel::Stage::kInitialized, DDIAUTHENTICATEDCHANNEL_DRIVER_HARDWARE);
    check_types_on(hardware);
  }
  return pass();
}

const Case kCases[] = {
    {"channel.caps-imply-channels",
     "a driver reporting content-protection caps implements channels: the advertised type "
     "creates, exchanges, initialises, queries and destroys",
     "§3, §5.1", caps_imply_channels},
    {"channel.create-types",
     "CreateAuthenticatedChannel of type 0, 1 (runtime's), 4, 2^32−1 or an unadvertised type → "
     "NOTAVAILABLE, no handle; channels get distinct handles",
     "§1.3, §2.5, §5.1", create_types},
    {"channel.key-exchange-bad-blob",
     "AuthenticatedChannelKeyExchange of a wrong-size, corrupted or SHA-1 OAEP blob or null pData "
     "→ E_INVALIDARG, no key installed",
     "§5.2, §7.5, A25", key_exchange_bad_blob},
    {"channel.rekey",
     "a second key exchange before INITIALIZE replaces the key; after INITIALIZE → E_INVALIDARG, "
     "key kept",
     "§1.5, §5.2, A24", rekey},
    {"channel.uninitialized-refused",
     "every query and non-INITIALIZE configure before INITIALIZE → E_INVALIDARG, signed (zero "
     "omac without a key), nothing consumed",
     "§1.5, §5.9, A28", uninitialized_refused},
    {"channel.initialize-once",
     "a second INITIALIZE → E_INVALIDARG and changes no counter", "§5.7, §5.9", initialize_once},
    {"channel.initialize-own-sequence-ignored",
     "INITIALIZE's own SequenceNumber is ignored and consumes nothing", "§5.7, §5.9",
     initialize_own_sequence_ignored},
    {"channel.sequence-start-value",
     "the first query and configure may carry the start values themselves", "§5.9, A23",
     sequence_start_value},
    {"channel.sequence-replay-refused",
     "a query or configure whose number is not above the last accepted one → E_INVALIDARG, "
     "signed",
     "§5.3, §5.4, §5.9, A23", sequence_replay_refused},
    {"channel.sequence-gaps-allowed", "numbers may skip ahead (seq ≥ next, not next + 1)",
     "§5.9, A23", sequence_gaps_allowed},
    {"channel.sequence-counters-independent",
     "queries and configures have separate counters", "§5.9, A23",
     sequence_counters_independent},
    {"channel.sequence-exhausted",
     "number 2^32−1 is accepted once, then that counter refuses everything", "§5.9, A23",
     sequence_exhausted},
    {"channel.sequence-failure-consumes",
     "a command failing after the sequence check consumes its number; a bad MAC consumes nothing",
     "§5.9, A28", sequence_failure_consumes},
    {"channel.query-output-signed",
     "every catalogue query's output: echo, ReturnCode = HRESULT, zero padding, omac = AES-CMAC "
     "over exactly [16, N)",
     "§5.3, §5.6, §5.8, §7.6", query_outputs_signed},
    {"channel.configure-mac-checked",
     "a configure with any byte of omac or [16, N) flipped, or signed with another key → "
     "E_INVALIDARG, nothing applied or consumed",
     "§5.4, §5.8, §7.6", configure_mac_checked},
    {"channel.configure-padding-as-received",
     "configure inputs are MACed as received: non-zero padding signed by the app is accepted",
     "§5.8 rule 1", configure_padding_as_received},
    {"channel.failure-outputs-signed",
     "an unknown query or configure GUID → E_INVALIDARG in a signed output (W = "
     "sizeof(QUERY_OUTPUT))",
     "§5.8 rule 3, A28, A33", failure_outputs_signed},
    {"channel.query-sizes",
     "D3D9 query sizes must be exact: other sizes → E_INVALIDARG signed over [16, min(OutputSize, "
     "N)); too small for the header → nothing written",
     "§5.3, A27", query_sizes},
    {"channel.configure-sizes",
     "configure InputSize must equal the command's size; shorter than CONFIGURE_INPUT → nothing "
     "written",
     "§5.4, A27", configure_sizes},
    {"channel.null-arguments",
     "null argument structs and null input/output pointers → E_INVALIDARG, nothing written or "
     "consumed",
     "§5.9 step 1", null_arguments},
    {"channel.foreign-handles",
     "calls naming a null, garbage, session, destroyed or other device's channel → E_INVALIDARG, "
     "outputs untouched",
     "§1.1, §5.9 step 2, A29", foreign_handles},
    {"channel.destroy-undoes",
     "Destroy withdraws the channel's PROTECTION and ENCRYPTIONWHENACCESSIBLE, keeps SHAREDRESOURCE "
     "grants",
     "§1.3, §5.5, A31, A40", destroy_undoes},
    {"channel.protection-flags",
     "PROTECTION query reads what configure set; reserved bits → E_INVALIDARG; another channel "
     "cannot switch a request off",
     "§5.4, §5.6, §5.7, A31", protection_flags},
    {"channel.device-handle-and-type",
     "DEVICEHANDLE equal across one device's channels, different across devices; CHANNELTYPE "
     "is the created type",
     "§5.6", device_handle_and_type},
    {"channel.crypto-session-binding",
     "CRYPTOSESSION configure checks session and device ownership; the query returns the binding",
     "§5.6, §5.7, A32", crypto_session_binding},
    {"channel.shared-resource-process-list",
     "SHAREDRESOURCE grants and withdrawals show in the process count and list", "§5.6, §5.7",
     shared_resource_process_list},
    {"channel.output-ids",
     "OUTPUTIDCOUNT/OUTPUTID answer consistently; index past the end or another device's session "
     "→ E_INVALIDARG",
     "§5.6, A32", output_ids},
    {"channel.accessibility", "ACCESSIBILITYATTRIBUTES gives a valid bus type and BOOLs",
     "§2.5, §5.6", accessibility},
    {"channel.encryption-when-accessible",
     "the GUID list, selection and current value agree; an unlisted GUID → E_INVALIDARG",
     "§5.6, §5.7", encryption_when_accessible},
    {"channel.channel-type-per-entry",
     "each catalogue entry succeeds on the channel types it lists; on another type → "
     "E_INVALIDARG after consuming the number (hardware rows need both caps)",
     "§5.6, §5.7, A33", channel_type_per_entry},
};

}  // namespace

std::span<const Case> channel_cases() { return kCases; }

}  // namespace cpddi::conform
