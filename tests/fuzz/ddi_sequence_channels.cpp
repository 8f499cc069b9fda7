// The modelled authenticated-channel calls of ddi_sequence_fuzzer (spec §5, §5.8, §5.9, A23–A33).
// Each predicts, from the harness's channel model, the HRESULT and how the output must look (left
// untouched, or echoed and signed), makes the call through conform's channel client (key wrap,
// signing, raw calls) and checks both with conform::verify_query_output / verify_configure_output
// (echo, ReturnCode, OMAC under the model's key, zero padding and failure payload), checks what a
// query reads back against the model, then updates the model. A mismatch traps (or throws
// conform::Failure, which aborts the same way), so libFuzzer keeps the input.
#include <algorithm>
#include <string>

#include "ddi_sequence_harness.h"

namespace cpddi::fuzz {
namespace {

namespace catalogue = conform::channel;
using conform::OutputRule;
using conform::Reply;

constexpr std::uint32_t kLastNumber = 0xFFFFFFFFu;
constexpr UINT kSoftware = DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE;
constexpr UINT kHardware = DDIAUTHENTICATEDCHANNEL_DRIVER_HARDWARE;
// The key of a slot that never had a channel (references to the client's key avoid copies).
const std::optional<Key> kNoKey;

// A few decoder and process handles, so bindings get replaced and grants revoked.
HANDLE small_handle(std::uint32_t n) {
  return reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(n));
}

// The number a query or configure carries (§5.9, A23): the next one in order (mostly), a gap
// ahead, a replay behind, the channel's start value, the last number there is, or any.
std::uint32_t pick_sequence(ByteReader& in, std::uint64_t next, std::uint32_t start) {
  const auto in_order = static_cast<std::uint32_t>(std::min<std::uint64_t>(next, kLastNumber));
  switch (in.below(10)) {
    case 4: return in_order + 1 + in.u8();
    case 5: return in_order - 1 - in.below(4);
    case 6: return start;
    case 7: return kLastNumber;
    case 8: return in.u32();
    default: return in_order;
  }
}

// What a query or configure must answer, by the check order of §5.9: E_INVALIDARG with the
// output untouched (steps 1–2), or a signed output whose ReturnCode is `hr`; `consumes` when the
// number passed the sequence check (A28).
struct Prediction {
  HRESULT hr = E_INVALIDARG;
  OutputRule rule = OutputRule::kSigned;
  bool consumes = false;
};

// Checks a query's or configure's answer against `p`: the HRESULT, then the output through
// `verify(rule, what)`; moves the channel's counter `next` past the number when `p` says the call
// consumed it (A28). `kind_name` null: an unknown GUID.
template <class Verify>
void check_answer(const char* entry, const char* kind_name, std::uint32_t seq, const Reply& reply,
                  const Prediction& p, std::uint64_t* next, const Verify& verify) {
  Expected e;
  e.add_if(p.hr != S_OK, p.hr);
  check_result(entry, reply.hr, documented::kChannel, e);
  verify(p.rule, std::string(entry) + "(" + (kind_name != nullptr ? kind_name : "unknown GUID") +
                     ") #" + std::to_string(seq));
  if (p.consumes) {
    *next = std::uint64_t{seq} + 1;
  }
}

std::uint32_t effective_protection(const Harness& h, std::size_t device) {
  // A31: the OR of the live channels' requests, plus ProtectionEnabled when always on.
  std::uint32_t flags = h.adapter().has(D3DCPCAPS_PROTECTIONALWAYSON) ? 1u : 0u;
  for (const auto& request : h.devices[device].channels.protection) {
    flags |= request.second;
  }
  return flags;
}

const SessionBinding* binding_of(const ChannelDeviceModel& m, HANDLE decoder) {
  const auto it = std::find_if(m.bindings.begin(), m.bindings.end(),
                               [&](const SessionBinding& b) { return b.decoder == decoder; });
  return it != m.bindings.end() ? &*it : nullptr;
}

// A GUID that names no query or configure: fuzz bytes, one bit flipped if they hit one.
GUID unknown_guid(ByteReader& in) {
  const auto bytes = in.array<sizeof(GUID)>();
  GUID g{};
  std::copy(bytes.begin(), bytes.end(), reinterpret_cast<std::uint8_t*>(&g));
  if (catalogue::find_query(g) != nullptr || catalogue::find_configure(g) != nullptr) {
    g.Data1 ^= 1;
  }
  return g;
}

// The size a message is sent with: mostly exact, sometimes 4 bytes more or less, sometimes too
// short for its header (step 1).
std::size_t pick_size(std::uint8_t choice, std::size_t exact, std::size_t header) {
  if (choice < 240) {
    return exact;
  }
  switch (choice % 3) {
    case 0: return exact + 4;
    case 1: return exact - 4 >= header ? exact - 4 : exact + 8;
    default: return header - 1 - choice % 4;
  }
}

// ---- CONFIGURE payloads: what the fuzz bytes ask for, and whether step 7 accepts it ----

struct ConfigurePayload {
  bool valid = false;  // step 7's payload checks pass (A31–A32)
  std::uint32_t start_query = 0;
  std::uint32_t start_configure = 0;
  std::uint32_t protection = 0;
  SessionBinding binding;
  ProcessGrant process;
  bool allow = false;
};

std::uint32_t pick_start(ByteReader& in) {
  return in.u8() < 200 ? in.u32() : kLastNumber - in.u8();
}

ConfigurePayload initialize_payload(ByteReader& in, catalogue::Message& m) {
  ConfigurePayload p;
  p.valid = true;
  p.start_query = pick_start(in);
  p.start_configure = pick_start(in);
  m.set_uint(1, p.start_query);
  m.set_uint(2, p.start_configure);
  return p;
}

ConfigurePayload protection_payload(ByteReader& in, catalogue::Message& m) {
  ConfigurePayload p;
  const std::uint8_t f = in.u8();
  // Mostly the two defined bits; from 240 on a reserved bit too (A31: E_INVALIDARG).
  p.protection = f >= 240 ? (f & 3u) | (4u << (f % 30)) : f % 4u;
  p.valid = (p.protection & ~3u) == 0;
  m.set_uint(1, p.protection);
  return p;
}

// CRYPTOSESSION (§5.7, A32): the session a slot holds (live here, on the other device, destroyed,
// never made) or garbage; the channel's device, the other one, or garbage.
ConfigurePayload crypto_session_payload(Harness& h, ByteReader& in, const ChannelSlot& c,
                                        catalogue::Message& m) {
  ConfigurePayload p;
  p.binding.decoder = small_handle(0x100 + in.below(4));
  const std::uint8_t s = in.u8();
  const SessionSlot& session = h.sessions[s % kSessions];
  p.binding.session = s >= 240 ? not_a_live_handle(in.u64()) : session.handle;
  const HANDLE own_device = h.devices[c.device].device->handle();
  const std::uint8_t d = in.u8();
  HANDLE device = own_device;
  if (d % 4 == 3) {
    const DeviceSlot& other = h.devices[(c.device + 1) % kDevices];
    device = d >= 128 ? not_a_live_handle(in.u64())
                      : (other.device ? other.device->handle() : other.stale);
  }
  p.valid = device == own_device && session.live && session.device == c.device &&
            p.binding.session == session.handle;
  m.set_handle(1, p.binding.decoder);
  m.set_handle(2, p.binding.session);
  m.set_handle(3, device);
  return p;
}

// SHAREDRESOURCE (§5.7, A31): DWM by type or a process by handle, granted or revoked.
ConfigurePayload shared_resource_payload(ByteReader& in, const ChannelSlot& c,
                                         const ChannelDeviceModel& model, catalogue::Message& m) {
  ConfigurePayload p;
  const std::uint8_t t = in.u8();
  const std::uint32_t type = t < 240 ? 1 + t % 2 : in.u32();
  const HANDLE process = small_handle(in.below(4));
  p.allow = in.flag();
  p.process.type = type;
  p.process.process = type == 1 ? 0 : reinterpret_cast<std::uintptr_t>(process);
  p.process.granted_by = c.id;
  const bool named = type == 1 || (type == 2 && process != nullptr);
  const auto listed = std::find_if(model.grants.begin(), model.grants.end(), [&](const auto& g) {
    return g.type == p.process.type && g.process == p.process.process;
  });
  // A revoke needs a listed process that no other live channel granted.
  p.valid = named && (p.allow || (listed != model.grants.end() &&
                                  (listed->granted_by == 0 || listed->granted_by == c.id)));
  m.set_uint(1, type);
  m.set_handle(2, process);
  m.set_uint(3, p.allow ? 1 : 0);
  return p;
}

void apply_configure(Harness& h, ChannelSlot& c, const catalogue::ConfigureKind& kind,
                     const ConfigurePayload& p) {
  ChannelDeviceModel& m = h.devices[c.device].channels;
  if (&kind == &catalogue::configure_initialize()) {
    c.initialized = true;
    c.start_query = p.start_query;
    c.start_configure = p.start_configure;
    c.next_query = p.start_query;
    c.next_configure = p.start_configure;
  } else if (&kind == &catalogue::configure_protection()) {
    std::erase_if(m.protection, [&](const auto& request) { return request.first == c.id; });
    if (p.protection != 0) {
      m.protection.emplace_back(c.id, p.protection);
    }
  } else if (&kind == &catalogue::configure_crypto_session()) {
    std::erase_if(m.bindings,
                  [&](const SessionBinding& b) { return b.decoder == p.binding.decoder; });
    m.bindings.push_back(p.binding);
  } else {
    const auto same = [&](const ProcessGrant& g) {
      return g.type == p.process.type && g.process == p.process.process;
    };
    if (!p.allow) {
      std::erase_if(m.grants, same);
    } else if (std::none_of(m.grants.begin(), m.grants.end(), same)) {
      m.grants.push_back(p.process);
    }
  }
}

}  // namespace

void create_channel(Harness& h, ByteReader& in) {
  const Target dev = h.device_target(in);
  ChannelSlot& slot = h.channels[in.u8() % kChannels];
  const std::uint8_t c = in.u8();
  const bool software = h.adapter().has(D3DCPCAPS_SOFTWARE);
  const bool hardware = h.adapter().has(D3DCPCAPS_HARDWARE);
  UINT type = software || !hardware ? kSoftware : kHardware;  // the advertised type (§5.1)
  if (c >= 240) {
    type = in.u32();
  } else if (c >= 128) {
    type = c % 2 == 0 ? kSoftware : kHardware;
  }
  const bool supported = (type == kSoftware && software) || (type == kHardware && hardware);
  if (dev.ok && supported) {
    if (slot.live) {
      return;  // keep the model simple: only free slots are filled
    }
    // conform's client creates it and fails the run unless CreateAuthenticatedChannel gives
    // S_OK and a non-null handle.
    slot.channel.reset();
    slot.caller = h.calling(dev.device);
    slot.channel =
        std::make_unique<conform::Channel>(*slot.caller, conform::Channel::Stage::kCreated, type);
    slot.handle = slot.channel->handle();
    slot.device = dev.device_index;
    slot.live = true;
    slot.id = ++h.channels_made;
    slot.initialized = false;
    slot.start_query = slot.start_configure = 0;
    slot.next_query = slot.next_configure = 0;
    return;
  }
  Expected e;
  e.add_if(!dev.ok, E_INVALIDARG);
  e.add_if(!supported, D3DDDIERR_NOTAVAILABLE);
  HANDLE channel = nullptr;
  const HRESULT hr = h.calling(dev.device)->calls().create_authenticated_channel(type, &channel);
  check_result("CreateAuthenticatedChannel", hr, documented::kChannel, e);
}

// §5.2, A24, A25: a 16-byte key OAEP-wrapped under the channel certificate is taken until
// INITIALIZE; a corrupted blob, a key of another length, a wrong handle or device never.
void channel_key_exchange(Harness& h, ByteReader& in) {
  const Target t = h.channel_target(in);
  ChannelSlot& c = h.channels[t.slot];
  conform::Channel* client = c.channel.get();
  const std::uint8_t mode = in.u8();
  const Key key = in.array<16>();
  const auto wrap = [&](std::span<const std::uint8_t> plain) {
    return client != nullptr ? client->wrap_key(plain)
                             : h.adapter().conform().wrap_session_key(plain);
  };
  const bool valid = mode % 4 < 2 && client != nullptr;
  Bytes blob;
  if (mode % 4 == 2) {  // a corrupted good blob
    blob = wrap(key);
    blob[in.u8() % blob.size()] ^= static_cast<std::uint8_t>(in.u8() | 1);
  } else if (!valid) {  // OAEP of a key that is not 16 bytes
    const std::uint32_t n = in.below(40);
    blob = wrap(in.bytes(n == 16 ? 17 : n));
  } else if (!t.ok) {  // a good blob to the wrong handle or device
    blob = wrap(key);
  }
  Expected e;
  e.add_if(!t.ok || !valid || c.initialized, E_INVALIDARG);
  // A good blob goes through the client, which takes the key into the model on S_OK.
  const HRESULT hr = t.ok && valid
                         ? client->exchange(key)
                         : h.calling(t.device)->calls().authenticated_channel_key_exchange(
                               t.handle, blob.data(), static_cast<UINT>(blob.size()));
  check_result("AuthenticatedChannelKeyExchange", hr, documented::kChannel, e);
}

void channel_configure(Harness& h, ByteReader& in) {
  const Target t = h.channel_target(in);
  ChannelSlot& c = h.channels[t.slot];
  const std::uint8_t choice = in.u8();
  const catalogue::ConfigureKind* kind = nullptr;
  switch (choice % 5) {
    case 0: kind = &catalogue::configure_initialize(); break;
    case 1: kind = &catalogue::configure_protection(); break;
    case 2: kind = &catalogue::configure_crypto_session(); break;
    case 3: kind = &catalogue::configure_shared_resource(); break;
    default: break;  // an unknown GUID, in PROTECTION's layout
  }
  const catalogue::Layout& layout =
      kind != nullptr ? kind->input : catalogue::configure_protection().input;
  const GUID type = kind != nullptr ? kind->guid : unknown_guid(in);
  const std::uint32_t seq = pick_sequence(in, c.next_configure, c.start_configure);
  catalogue::Message m =
      conform::message_with_header(layout, type, conform::kConfigureInputHeader, t.handle, seq);

  ConfigurePayload payload;
  if (kind == &catalogue::configure_initialize()) {
    payload = initialize_payload(in, m);
  } else if (kind == &catalogue::configure_protection()) {
    payload = protection_payload(in, m);
  } else if (kind == &catalogue::configure_crypto_session() && t.ok) {
    payload = crypto_session_payload(h, in, c, m);
  } else if (kind == &catalogue::configure_shared_resource()) {
    payload = shared_resource_payload(in, c, h.devices[c.device].channels, m);
  }
  const std::size_t size = pick_size(in.u8(), layout.size, catalogue::kConfigureInput.size);
  m.bytes().resize(size);

  // Signed with the model's key (mostly), with another key, or not at all.
  const std::optional<Key>& model_key = c.channel ? c.channel->key() : kNoKey;
  const std::uint8_t signing = in.u8();
  const bool signed_right = signing < 224 && model_key.has_value() && size >= 16;
  if (signed_right) {
    catalogue::sign(*model_key, m.bytes());
  } else if (signing < 240 && size >= 16) {
    catalogue::sign(in.array<16>(), m.bytes());
  }

  // §5.9's check order.
  Prediction p;
  const bool initialize = kind == &catalogue::configure_initialize();
  if (size < catalogue::kConfigureInput.size || !t.ok) {
    p.rule = OutputRule::kUntouched;
  } else if (!signed_right) {
    // Step 3: unkeyed, or the OMAC does not verify.
  } else if (initialize) {
    p.hr = !c.initialized && size == layout.size ? S_OK : E_INVALIDARG;
  } else if (c.initialized && seq >= c.next_configure) {
    p.consumes = true;
    const bool type_allowed = (kind != nullptr && (kind->types & (1u << c.channel->type())) != 0);
    p.hr = type_allowed && size == layout.size && payload.valid ? S_OK : E_INVALIDARG;
  }

  const Reply reply = conform::configure_raw_on(*h.calling(t.device), m.bytes());
  check_answer("ConfigureAuthenticatedChannel", kind != nullptr ? kind->name : nullptr, seq, reply,
               p, &c.next_configure, [&](OutputRule rule, const std::string& what) {
                 conform::verify_configure_output(model_key, m.bytes(), reply, rule, what);
               });
  if (reply.hr == S_OK) {
    apply_configure(h, c, *kind, payload);
  }
}

void channel_query(Harness& h, ByteReader& in) {
  const Target t = h.channel_target(in);
  ChannelSlot& c = h.channels[t.slot];
  const catalogue::QueryKind* kind = nullptr;
  switch (in.below(6)) {
    case 0: kind = &catalogue::query_protection(); break;
    case 1: kind = &catalogue::query_channel_type(); break;
    case 2: kind = &catalogue::query_device_handle(); break;
    case 3: kind = &catalogue::query_crypto_session(); break;
    case 4: kind = &catalogue::query_restricted_process_count(); break;
    default: break;  // an unknown GUID
  }
  const catalogue::Layout& layout = kind != nullptr ? kind->input : catalogue::kQueryInput;
  const GUID type = kind != nullptr ? kind->guid : unknown_guid(in);
  const std::uint32_t seq = pick_sequence(in, c.next_query, c.start_query);
  catalogue::Message m =
      conform::message_with_header(layout, type, conform::kQueryInputHeader, t.handle, seq);
  HANDLE decoder = nullptr;
  if (kind == &catalogue::query_crypto_session()) {
    decoder = small_handle(0x100 + in.below(4));
    m.set_handle(1, decoder);
  }
  const std::size_t in_size = pick_size(in.u8(), layout.size, catalogue::kQueryInput.size);
  m.bytes().resize(in_size);
  const std::size_t n = kind != nullptr ? kind->output.size : catalogue::kQueryOutput.size;
  const std::size_t out_size = pick_size(in.u8(), n, catalogue::kQueryOutput.size);

  // §5.9's check order (queries carry no OMAC: no step 3).
  Prediction p;
  const SessionBinding* bound = t.ok ? binding_of(h.devices[c.device].channels, decoder) : nullptr;
  if (in_size < catalogue::kQueryInput.size || out_size < catalogue::kQueryOutput.size || !t.ok) {
    p.rule = OutputRule::kUntouched;
  } else if (c.initialized && seq >= c.next_query) {
    p.consumes = true;
    const bool type_allowed = kind != nullptr && (kind->types & (1u << c.channel->type())) != 0;
    const bool handles_valid = kind != &catalogue::query_crypto_session() || bound != nullptr;
    p.hr = type_allowed && in_size == layout.size && out_size == n && handles_valid ? S_OK
                                                                                    : E_INVALIDARG;
  }

  const std::optional<Key>& model_key = c.channel ? c.channel->key() : kNoKey;
  const Reply reply = conform::query_raw_on(*h.calling(t.device), m.bytes(), out_size);
  check_answer("QueryAuthenticatedChannel", kind != nullptr ? kind->name : nullptr, seq, reply, p,
               &c.next_query, [&](OutputRule rule, const std::string& what) {
                 conform::verify_query_output(model_key, m.bytes(), reply, rule, what);
               });
  if (reply.hr != S_OK) {
    return;
  }
  // What the query reads back must be the model's state.
  const catalogue::Message out(kind->output, reply.output);
  const HANDLE device = h.devices[c.device].device->handle();
  if (kind == &catalogue::query_protection()) {
    if (out.uint(1) != effective_protection(h, c.device)) {
      violation("PROTECTION query answered flags %u, the channels asked for %u", out.uint(1),
                effective_protection(h, c.device));
    }
  } else if (kind == &catalogue::query_channel_type()) {
    if (out.uint(1) != c.channel->type()) {
      violation("CHANNELTYPE query answered %u for a channel of type %u", out.uint(1),
                c.channel->type());
    }
  } else if (kind == &catalogue::query_device_handle()) {
    if (out.handle(1) != device) {
      violation("DEVICEHANDLE query answered %p, the channel's device is %p", out.handle(1),
                device);
    }
  } else if (kind == &catalogue::query_crypto_session()) {
    if (out.handle(2) != bound->session || out.handle(3) != device) {
      violation("CRYPTOSESSION query answered session %p device %p, bound were %p and %p",
                out.handle(2), out.handle(3), bound->session, device);
    }
  } else if (out.uint(1) != h.devices[c.device].channels.grants.size()) {
    violation("RESTRICTEDSHAREDRESOURCEPROCESSCOUNT answered %u, %zu processes were granted",
              out.uint(1), h.devices[c.device].channels.grants.size());
  }
}

// Create, key exchange and INITIALIZE in one go, each through its own call above: the common path
// to a usable channel (as refresh_round is for a refresh), so that sequences reach signed queries
// and configures often.
void open_channel(Harness& h, ByteReader& in) {
  const auto device = static_cast<std::uint8_t>(in.u8() % kDevices);
  const auto slot = static_cast<std::uint8_t>(in.u8() % kChannels);
  Bytes exchange = {slot, 0, 0};  // the slot's own handle and device, a good blob
  const Key key = in.array<16>();
  exchange.insert(exchange.end(), key.begin(), key.end());
  Bytes initialize = {slot, 0, 0, 0, 0};  // INITIALIZE numbered in order; start values follow
  const Bytes starts = in.bytes(8);
  initialize.insert(initialize.end(), starts.begin(), starts.begin() + 4);
  initialize.push_back(0);
  initialize.insert(initialize.end(), starts.begin() + 4, starts.end());
  initialize.insert(initialize.end(), {0, 0});      // exact size, signed with the channel key
  const std::uint8_t create[] = {device, slot, 0};  // the advertised type
  ByteReader create_args(create, sizeof create);
  create_channel(h, create_args);
  ByteReader exchange_args(exchange.data(), exchange.size());
  channel_key_exchange(h, exchange_args);
  ByteReader initialize_args(initialize.data(), initialize.size());
  channel_configure(h, initialize_args);
}

void destroy_channel(Harness& h, ByteReader& in) {
  const Target t = h.channel_target(in);
  Expected e;
  e.add_if(!t.ok, E_INVALIDARG);
  const HRESULT hr = t.ok ? h.channels[t.slot].channel->destroy()
                          : h.calling(t.device)->calls().destroy_authenticated_channel(t.handle);
  check_result("DestroyAuthenticatedChannel", hr, documented::kChannel, e);
  if (hr == S_OK) {
    h.forget_channel(t.slot);
  }
}

}  // namespace cpddi::fuzz
