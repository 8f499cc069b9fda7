// The call table of ddi_sequence_fuzzer (see ddi_sequence_harness.h): one function per call,
// each decoding its arguments, predicting the outcome from the model and checking the driver.
#include <algorithm>
#include <cstring>

#include "ddi_sequence_harness.h"
#include "get_caps_call.h"
#include "surface_decoder.h"

namespace cpddi::fuzz {
namespace {

HANDLE garbage_handle(ByteReader& in) { return not_a_live_handle(in.u64()); }

// A live handle of another kind than an adapter: a device's, else a session's (may be null).
HANDLE wrong_kind_handle(const Harness& h, std::uint8_t choice) {
  const DeviceSlot& d = h.devices[choice % kDevices];
  return d.device ? d.device->handle() : h.sessions[choice % kSessions].handle;
}

}  // namespace

namespace {

// ---- crypto sessions ----

void create_session(Harness& h, ByteReader& in) {
  const Target dev = h.device_target(in);
  const std::size_t slot = in.u8() % kSessions;
  if (h.sessions[slot].live) {
    return;  // keep the model simple: only free slots are filled
  }
  GUID crypto_type = D3DCRYPTOTYPE_AES128_CTR;
  const std::uint8_t type = in.u8();
  if (type >= 240) {
    crypto_type = type % 2 == 0 ? GUID{} : D3DCRYPTOTYPE_PROPRIETARY;
  }
  const bool decode_profile = in.u8() >= 240;
  const GUID profile = decode_profile ? D3DKEYEXCHANGE_DXVA : GUID{};  // any non-zero GUID
  const bool null_struct = in.u8() == 0xFF;
  Expected e;
  if (!dev.ok || null_struct) {
    e.add(E_INVALIDARG);
  } else {
    e.add_if(type >= 240, D3DDDIERR_NOTAVAILABLE);
    e.add_if(decode_profile, D3DDDIERR_UNSUPPORTEDCRYPTO);
    e.add_if(h.devices[dev.device_index].sessions >= h.adapter().max_sessions(), E_OUTOFMEMORY);
  }
  const auto device = h.calling(dev.device);
  HANDLE session = nullptr;
  const HRESULT hr =
      null_struct ? device->call_with_null_arguments(conform::DeviceEntry::kCreateCryptoSession)
                  : device->create_session_raw(crypto_type, profile, &session);
  check_result("CreateCryptoSession", hr, documented::kCreateCryptoSession, e);
  if (hr == S_OK) {
    SessionSlot& s = h.sessions[slot];
    s.handle = session;
    s.device = dev.device_index;
    s.live = true;
    s.model = SessionModel{};
    ++h.devices[dev.device_index].sessions;
  }
}

void destroy_session(Harness& h, ByteReader& in) {
  const Target t = h.session_target(in);
  const bool null_struct = in.u8() == 0xFF;
  Expected e;
  e.add_if(!t.ok || null_struct, E_INVALIDARG);
  const auto device = h.calling(t.device);
  const HRESULT hr =
      null_struct ? device->call_with_null_arguments(conform::DeviceEntry::kDestroyCryptoSession)
                  : device->destroy_session(t.handle);
  check_result("DestroyCryptoSession", hr, documented::kDestroyCryptoSession, e);
  if (hr == S_OK) {
    h.forget_session(t.slot);
    h.sessions[t.slot].live = false;
    --h.devices[t.device_index].sessions;
  }
}

void key_exchange(Harness& h, ByteReader& in) {
  const Target t = h.session_target(in);
  const std::uint8_t mode = in.u8();
  Bytes blob;
  bool valid = false;
  Key key{};
  switch (mode % 6) {
    case 0:
    case 1:
      key = in.array<16>();
      blob = h.adapter().conform().wrap_session_key(key);
      valid = true;
      break;
    case 2:  // the last accepted blob again, possibly on another session (same identity)
      if (h.last_valid_blob) {
        blob = *h.last_valid_blob;
        key = h.last_valid_key;
        valid = true;
      } else {
        blob.assign(256, 0);
      }
      break;
    case 3:  // a corrupted valid blob
      blob = h.adapter().conform().wrap_session_key(in.array<16>());
      blob[in.u8() % blob.size()] ^= static_cast<std::uint8_t>(in.u8() | 1);
      break;
    case 4:  // wrong size
      blob = in.bytes(in.u8() == 0 ? 255 : in.u8());
      if (blob.size() == 256) {
        blob.push_back(0);
      }
      break;
    default: {  // OAEP of a key that is not 16 bytes
      const std::uint32_t n = in.below(40);
      blob = h.adapter().conform().wrap_session_key(in.bytes(n == 16 ? 17 : n));
      break;
    }
  }
  const bool null_data = mode >= 250;
  const bool null_struct = mode == 0xF0;
  Expected e;
  e.add_if(!t.ok || null_struct || null_data || !valid, E_INVALIDARG);
  const auto device = h.calling(t.device);
  // An empty blob goes with a null pData, as a C caller's empty vector would.
  const HRESULT hr =
      null_struct
          ? device->call_with_null_arguments(conform::DeviceEntry::kCryptoSessionKeyExchange)
          : device->exchange_key(t.handle, blob, null_data || blob.empty());
  check_result("CryptoSessionKeyExchange", hr, documented::kKeyExchange, e);
  if (hr == S_OK) {
    h.sessions[t.slot].model.new_key(key);
    h.last_valid_blob = blob;
    h.last_valid_key = key;
  }
}

// The size byte of a key-output call: 16 mostly, else 0…33; 0xFF a null buffer.
KeyOutputBuffer key_output_buffer(std::uint8_t c, bool rng_fails) {
  return {.size = c < 200 ? 16u : c % 34u, .null_buffer = c == 0xFF, .rng_fails = rng_fails};
}

void start_refresh(Harness& h, ByteReader& in) {
  const bool rng = h.take_rng_failure();
  const Target t = h.session_target(in);
  const std::uint8_t c = in.u8();
  const KeyOutputBuffer buffer = key_output_buffer(c, rng);
  const bool null_struct = c == 0xFE;
  const Expected e =
      expect_key_output(t.ok && !null_struct, h.adapter().has(D3DCPCAPS_FRESHENSESSIONKEY),
                        buffer, h.sessions[t.slot].model.keyed);
  const KeyOutput answer = call_key_output(
      "StartSessionKeyRefresh", buffer, documented::kStartRefresh, e, [&](std::uint8_t* bytes) {
        const auto device = h.calling(t.device);
        return null_struct ? device->call_with_null_arguments(
                                 conform::DeviceEntry::kStartSessionKeyRefresh)
                           : device->start_refresh(t.handle, bytes, buffer.size);
      });
  if (answer.hr == S_OK) {
    h.sessions[t.slot].model.pending = answer.value;
  }
}

void finish_refresh(Harness& h, ByteReader& in) {
  const Target t = h.session_target(in);
  Expected e;
  if (!t.ok) {
    e.add(E_INVALIDARG);
  } else {
    const SessionModel& m = h.sessions[t.slot].model;
    const bool refresh = h.adapter().has(D3DCPCAPS_FRESHENSESSIONKEY);
    e.add_if(!refresh, D3DDDIERR_NOTAVAILABLE);
    e.add_if(refresh && (!m.keyed || !m.pending), D3DDDIERR_INVALIDCALL);
  }
  const HRESULT hr = h.calling(t.device)->finish_refresh(t.handle);
  check_result("FinishSessionKeyRefresh", hr, documented::kFinishRefresh, e);
  if (hr == S_OK) {
    h.sessions[t.slot].model.finish_refresh();
    h.verify(t.slot, "after a successful FinishSessionKeyRefresh");
  }
}

// Start, the app's XOR and Finish in one go: the common, successful path.
void refresh_round(Harness& h, ByteReader& in) {
  const std::uint8_t slot = in.u8();
  const std::uint8_t plain[] = {static_cast<std::uint8_t>(slot % kSessions), 0x00};
  ByteReader start_args(plain, sizeof plain);
  start_refresh(h, start_args);
  ByteReader finish_args(plain, 1);
  finish_refresh(h, finish_args);
}

void get_encryption_blt_key(Harness& h, ByteReader& in) {
  const bool rng = h.take_rng_failure();
  const Target t = h.session_target(in);
  const KeyOutputBuffer buffer = key_output_buffer(in.u8(), rng);
  const Expected e = expect_key_output(t.ok, h.adapter().has(D3DCPCAPS_ENCRYPTEDREADBACKKEY),
                                       buffer, h.sessions[t.slot].model.keyed);
  const KeyOutput answer = call_key_output(
      "GetEncryptionBltKey", buffer, documented::kGetEncryptionBltKey, e,
      [&](std::uint8_t* bytes) {
        return h.calling(t.device)->get_encryption_blt_key(t.handle, bytes, buffer.size);
      });
  if (answer.hr == S_OK) {
    SessionModel& m = h.sessions[t.slot].model;
    m.readback_key = ecb_unwrap(m.key, answer.value);
    m.driver_has_readback_key = true;
  }
}

// ---- blts ----

std::uint32_t pick_size(ByteReader& in, std::uint64_t needed, std::uint64_t capacity) {
  switch (in.below(6)) {
    case 0:
    case 1: return static_cast<std::uint32_t>(align16(needed));
    case 2: return static_cast<std::uint32_t>(capacity);
    case 3: return static_cast<std::uint32_t>(align16(needed) + 16);
    case 4: return static_cast<std::uint32_t>(align16(needed) - 16);
    default: return in.u16();
  }
}

// A blt's session and surfaces as decoded from the input, and the model of each surface the call
// names rightly (a live surface on the session's device; null otherwise).
struct BltTargets {
  Target session;
  Target source;
  Target destination;
  const SurfaceModel* source_model = nullptr;
  const SurfaceModel* destination_model = nullptr;
};

BltTargets blt_targets(Harness& h, ByteReader& in) {
  BltTargets b;
  b.session = h.session_target(in);
  const Target& t = b.session;
  b.source = h.resource_target(in, t.device_index, t.device_ok, t.device);
  b.destination = h.resource_target(in, t.device_index, t.device_ok, t.device);
  b.source_model = b.source.ok ? &h.resources[b.source.slot].model : nullptr;
  b.destination_model = b.destination.ok ? &h.resources[b.destination.slot].model : nullptr;
  return b;
}

void decryption_blt(Harness& h, ByteReader& in) {
  const BltTargets b = blt_targets(h, in);
  const Target& t = b.session;
  SessionModel& m = h.sessions[t.slot].model;

  conform::BltArgs args;
  args.source = b.source.handle;
  args.destination = b.destination.handle;
  const std::uint8_t sub = in.u8();
  args.source_subresource = sub == 0xFF ? 1 : 0;
  args.destination_subresource = sub == 0xFE ? 1 : 0;
  args.size = pick_size(in, b.destination_model ? b.destination_model->linear() : 0,
                                   b.source_model ? b.source_model->capacity() : 0);
  D3DDDIENCRYPTED_BLOCK_INFO info{};
  const std::uint8_t map = in.u8();
  if (map >= 192) {
    info = {in.u8(), in.u8(), in.u8()};
    args.block_info = &info;
  }
  Key wrapped{};
  const std::uint8_t key_choice = in.u8();
  if (key_choice >= 224) {
    const Key content_key = in.array<16>();
    wrapped = key_choice % 2 == 0 && m.keyed ? ecb_wrap(m.key, content_key) : content_key;
    args.content_key = wrapped.data();
  }
  Iv iv{};
  const std::uint8_t iv_choice = in.u8();
  const std::uint64_t last = m.last_session_key_iv.value_or(0);
  switch (iv_choice % 8) {
    case 0: iv = make_iv(last, in.u8()); break;  // a replay of the last IV (other Count)
    case 1: iv = in.array<16>(); break;
    default: iv = make_iv(last + 1 + iv_choice / 8, 0); break;
  }
  const bool null_iv = iv_choice == 0xFF;
  args.iv = null_iv ? nullptr : iv.data();

  DecryptCall call;
  call.source = b.source_model;
  call.destination = b.destination_model;
  call.same_surface = b.source.handle == b.destination.handle;
  call.subresources_zero = args.source_subresource == 0 && args.destination_subresource == 0;
  call.source_size = args.size;
  if (args.block_info != nullptr) {
    call.block_info = info;
  }
  if (args.content_key != nullptr) {
    call.content_key = wrapped;
  }
  if (!null_iv) {
    call.iv = iv;
  }
  Expected e;
  if (!t.ok) {
    e.add(E_INVALIDARG);
  } else {
    e = expect_decryption_blt(h.adapter(), m, call);
  }
  const HRESULT hr = h.calling(t.device)->decryption_blt(t.handle, args);
  check_result("DecryptionBlt", hr, documented::kDecryptionBlt, e);
  if (hr == S_OK) {
    m.record_iv(call.content_key, iv_field(iv));
  }
}

void encryption_blt(Harness& h, ByteReader& in) {
  const bool rng = h.take_rng_failure();
  const BltTargets b = blt_targets(h, in);
  const Target& t = b.session;
  SessionModel& m = h.sessions[t.slot].model;
  conform::BltArgs args;
  args.source = b.source.handle;
  args.destination = b.destination.handle;
  args.size = pick_size(in, b.source_model ? b.source_model->linear() : 0,
                                   b.destination_model ? b.destination_model->capacity() : 0);
  Iv iv{};
  const bool null_iv = in.u8() == 0xFF;
  args.iv = null_iv ? nullptr : iv.data();
  const bool sub = in.u8() == 0xFF;
  args.destination_subresource = sub ? 1 : 0;

  Expected e;
  if (!t.ok) {
    e.add(E_INVALIDARG);
  } else {
    const Adapter& a = h.adapter();
    e.add_if(!b.source_model || !b.destination_model || sub || null_iv, E_INVALIDARG);
    e.add_if(!a.has(D3DCPCAPS_ENCRYPTEDREADBACK), D3DDDIERR_NOTAVAILABLE);
    e.add_if(!m.keyed, D3DDDIERR_INVALIDCALL);
    e.add_if(a.has(D3DCPCAPS_ENCRYPTEDREADBACKKEY) && !m.driver_has_readback_key,
             D3DDDIERR_INVALIDCALL);
    if (const SurfaceModel *source = b.source_model, *destination = b.destination_model;
        source && destination) {
      e.add_if(!source->restricted || !destination->system_memory || destination->restricted ||
                   !destination->aligned() || args.size % 16 != 0 ||
                   args.size < align16(source->linear()) || args.size > destination->capacity(),
               E_INVALIDARG);
    }
    // The first read-back IV is random (§7.8): a generator failure there is E_FAIL.
    e.add_if(rng && !m.next_readback_iv, E_FAIL);
  }
  const HRESULT hr =
      with_random_failure(rng, [&] { return h.calling(t.device)->encryption_blt(t.handle, args); });
  check_result("EncryptionBlt", hr, documented::kEncryptionBlt, e);
  if (hr == S_OK) {
    const std::uint64_t got = iv_field(iv);
    if (count_field(iv) != 0 || (m.next_readback_iv && got != *m.next_readback_iv) ||
        (!m.next_readback_iv && (got >> 63) != 0)) {
      violation("EncryptionBlt returned an IV that breaks §7.8 (+1 per blt, Count 0)");
    }
    m.next_readback_iv = got + 1;
  }
}

// ---- surfaces ----

void create_resource(Harness& h, ByteReader& in) {
  const Target dev = h.device_target(in);
  const std::size_t slot = in.u8() % kResources;
  if (h.resources[slot].live || !dev.ok) {
    // Only free slots get a surface, on a live device. Else: no argument struct on a live device,
    // a valid one on a stale or null device; both E_INVALIDARG.
    const auto device = h.calling(dev.device);
    HANDLE resource = nullptr;
    const HRESULT hr =
        dev.ok ? device->call_with_null_arguments(conform::DeviceEntry::kCreateResource)
               : device->create_resource(conform::SurfaceDesc{}, &resource);
    Expected e;
    e.add(E_INVALIDARG);
    check_result("CreateResource", hr, documented::kCreateResource, e);
    return;
  }
  DeviceSlot& d = h.devices[dev.device_index];
  std::uint32_t live = d.resources;
  FuzzSurface s = create_fuzz_surface(*d.device, in, live, h.protected_in_use);
  if (s.handle != nullptr) {
    ResourceSlot& r = h.resources[slot];
    r.handle = s.handle;
    r.device = dev.device_index;
    r.live = true;
    r.locked = false;
    r.model = s.model;
    r.memory = std::move(s.memory);
    d.resources = live;
  }
}

void destroy_resource(Harness& h, ByteReader& in) {
  const Target dev = h.device_target(in);
  const Target t = h.resource_target(in, dev.device_index, dev.ok, dev.device);
  Expected e;
  e.add_if(!t.ok, E_INVALIDARG);
  const HRESULT hr = h.calling(t.device)->destroy_surface(t.handle);
  check_result("DestroyResource", hr, documented::kDestroyResource, e);
  if (hr == S_OK) {
    h.destroy_resource_slot(t.slot);
  }
}

void lock(Harness& h, ByteReader& in) {
  const Target dev = h.device_target(in);
  const Target t = h.resource_target(in, dev.device_index, dev.ok, dev.device);
  const std::uint8_t c = in.u8();
  const UINT subresource = c == 0xFF ? 1 : 0;
  const bool area_valid = c == 0xFE;
  const bool null_struct = c == 0xFD;
  const std::uint8_t fill = in.u8();
  Expected e;
  if (!t.ok || null_struct) {
    e.add(E_INVALIDARG);
  } else {
    const ResourceSlot& r = h.resources[t.slot];
    e.add_if(c >= 0xFE, E_INVALIDARG);
    e.add_if(r.model.restricted || r.locked, D3DDDIERR_INVALIDCALL);
  }
  void* data = nullptr;
  UINT pitch = 0;
  UINT slice_pitch = 0;
  const auto device = h.calling(t.device);
  const HRESULT hr =
      null_struct ? device->call_with_null_arguments(conform::DeviceEntry::kLock)
                  : device->lock(t.handle, subresource, &data, &pitch, &slice_pitch, area_valid);
  check_result("Lock", hr, documented::kLock, e);
  if (hr == S_OK) {
    ResourceSlot& r = h.resources[t.slot];
    if (data == nullptr || pitch != r.model.pitch || slice_pitch != r.model.linear() ||
        (r.model.caller_memory != nullptr && data != r.model.caller_memory)) {
      violation("Lock mapped a surface other than the one created");
    }
    // Every mapped byte is writable (ASan checks the mapping's extent).
    std::memset(data, fill, static_cast<std::size_t>(r.model.linear()));
    r.locked = true;
  }
}

void unlock(Harness& h, ByteReader& in) {
  const Target dev = h.device_target(in);
  const Target t = h.resource_target(in, dev.device_index, dev.ok, dev.device);
  const std::uint8_t c = in.u8();
  const bool bad_sub = c == 0xFF;
  const bool null_struct = c == 0xFE;
  Expected e;
  if (!t.ok || null_struct) {
    e.add(E_INVALIDARG);
  } else {
    e.add_if(bad_sub, E_INVALIDARG);
    e.add_if(!h.resources[t.slot].locked, D3DDDIERR_INVALIDCALL);
  }
  const auto device = h.calling(t.device);
  const HRESULT hr = null_struct ? device->call_with_null_arguments(conform::DeviceEntry::kUnlock)
                                 : device->unlock(t.handle, bad_sub ? 1 : 0);
  check_result("Unlock", hr, documented::kUnlock, e);
  if (hr == S_OK) {
    h.resources[t.slot].locked = false;
  }
}

void get_pitch(Harness& h, ByteReader& in) {
  const Target t = h.session_target(in);
  const Target r = h.resource_target(in, t.device_index, t.device_ok, t.device);
  const bool bad_sub = in.u8() == 0xFF;
  Expected e;
  e.add_if(!t.ok || !r.ok || bad_sub, E_INVALIDARG);
  UINT pitch = 0;
  const HRESULT hr = h.calling(t.device)->get_pitch(t.handle, r.handle, bad_sub ? 1 : 0, &pitch);
  check_result("GetPitch", hr, documented::kGetPitch, e);
  if (hr == S_OK && pitch != h.resources[r.slot].model.pitch) {
    violation("GetPitch answered %u, the surface's pitch is %u", pitch,
              h.resources[r.slot].model.pitch);
  }
}

// ---- devices, channels, checks ----

void destroy_device(Harness& h, ByteReader& in) {
  const Target dev = h.device_target(in);
  Expected e;
  e.add_if(!dev.ok, E_INVALIDARG);
  DeviceSlot& d = h.devices[dev.device_index];
  // A live device goes through its harness object, which then does not destroy it again.
  const HANDLE handle = dev.ok ? d.device->handle() : nullptr;
  const HRESULT hr = dev.ok ? d.device->destroy() : h.calling(dev.device)->destroy();
  check_result("DestroyDevice", hr, documented::kDestroyDevice, e);
  if (hr == S_OK) {
    d.stale = handle;
    d.device.reset();
    h.forget_device(dev.device_index);
  }
}

void create_device(Harness& h, ByteReader& in) {
  const std::uint8_t c = in.u8();
  const std::size_t index = c % kDevices;
  if (!h.devices[index].device) {
    h.devices[index].device = std::make_unique<FuzzDevice>(h.adapter());
    return;
  }
  // The slot is taken: CreateDevice with no argument struct, a null pDeviceFuncs, or on a
  // handle that is no live adapter (null, a device's, garbage) — E_INVALIDARG, no device made.
  HANDLE device = nullptr;
  HRESULT hr = E_FAIL;
  switch ((c / kDevices) % 5) {
    case 0: hr = h.adapter().conform().create_device_raw(&device, true); break;
    case 1: hr = h.adapter().conform().create_device_raw(&device, false, true); break;
    case 2: hr = h.adapter().conform().calling_as(nullptr)->create_device_raw(&device); break;
    case 3:
      hr = h.adapter().conform().calling_as(wrong_kind_handle(h, in.u8()))->create_device_raw(
          &device);
      break;
    default:
      hr = h.adapter().conform().calling_as(garbage_handle(in))->create_device_raw(&device);
      break;
  }
  Expected e;
  e.add(E_INVALIDARG);
  check_result("CreateDevice", hr, documented::kCreateDevice, e);
}

// Query bytes for the unmodelled channel calls: a query needs no OMAC, so garbage that named a
// modelled channel could consume its numbers behind the model's back; such a handle is nulled.
// (Garbage configures cannot pass the OMAC check, A28: they change nothing.)
Bytes garbage_query(const Harness& h, ByteReader& in) {
  Bytes input = in.bytes(in.u8() % 64);
  constexpr std::size_t at = conform::channel::kQueryInputChannelOffset;
  if (input.size() >= at + sizeof(HANDLE)) {
    HANDLE named = nullptr;
    std::memcpy(&named, input.data() + at, sizeof named);
    if (std::any_of(h.channels.begin(), h.channels.end(),
                    [&](const ChannelSlot& c) { return c.live && c.handle == named; })) {
      std::fill_n(input.begin() + at, sizeof(HANDLE), 0);
    }
  }
  return input;
}

void channel_call(Harness& h, ByteReader& in) {
  const Target dev = h.device_target(in);
  const auto device = h.calling(dev.device);
  HRESULT hr = S_OK;
  switch (in.below(5)) {
    case 0: hr = device->channel_call(conform::ChannelEntry::kCreate, {}); break;
    case 1:
      hr = device->channel_call(conform::ChannelEntry::kKeyExchange, in.bytes(in.u8() % 64));
      break;
    case 2: hr = device->channel_call(conform::ChannelEntry::kQuery, garbage_query(h, in)); break;
    case 3:
      hr = device->channel_call(conform::ChannelEntry::kConfigure, in.bytes(in.u8() % 64));
      break;
    default:
      hr = device->channel_call(conform::ChannelEntry::kDestroy, {}, garbage_handle(in));
      break;
  }
  check_documented("an authenticated-channel entry", hr, documented::kChannel);
}

void verify_key(Harness& h, ByteReader& in) { h.verify(in.u8() % kSessions, "verify_key call"); }

void arm_rng_failure(Harness& h, ByteReader&) { h.arm_rng_failure(); }

// ---- adapter table and exports ----

void get_caps(Harness& h, ByteReader& in) {
  fuzz_get_caps(h.adapter(), wrong_kind_handle(h, in.u8()), in);
}

// CloseAdapter on anything but the profile's live adapter (which every later call needs; a
// successful open makes a fresh RSA-2048 identity, too slow to repeat per input): null, a live
// handle of another kind, garbage.
void close_adapter(Harness& h, ByteReader& in) {
  const std::uint8_t c = in.u8();
  HANDLE handle = nullptr;
  switch (c % 3) {
    case 0: break;
    case 1: handle = wrong_kind_handle(h, in.u8()); break;
    default: handle = garbage_handle(in); break;
  }
  Expected e;
  e.add(E_INVALIDARG);
  const HRESULT hr = h.adapter().conform().calling_as(handle)->close();
  check_result("CloseAdapter", hr, documented::kCloseAdapter, e);
}

// OpenAdapter / cpddi_open_adapter_with_options with arguments wrong in exactly one way (a
// successful open would make an RSA-2048 identity per input: see close_adapter), every other
// option field fuzzed within its valid range. Each must be E_INVALIDARG before any identity is
// made.
void open_adapter(Harness& h, ByteReader& in) {
  const conform::FrontEnd& front_end = h.adapter().conform().front_end();
  const std::uint8_t c = in.u8();
  CPDDI_ADAPTER_OPTIONS o{};
  o.StructSize = sizeof o;
  o.DisabledCaps = in.u32() & CPDDI_SWITCHABLE_CAPS;
  o.CertificateContainer = static_cast<CPDDI_CERTIFICATE_CONTAINER>(in.below(2));
  o.IvCheck = static_cast<CPDDI_IV_CHECK>(in.below(2));
  o.MaxSessionsPerDevice = in.u16();
  o.MaxResourcesPerDevice = in.u16();
  o.ProtectedMemorySize = in.u32();
  o.BltThreadsPerDevice = in.below(257);
  HRESULT hr = E_FAIL;
  std::unique_ptr<conform::AdapterCalls> opened;
  const std::uint32_t defect = c % 7;
  if (defect == 0) {
    hr = front_end.open_adapter_with_null_argument_struct();
  } else if (defect == 1) {
    HANDLE handle = garbage_handle(in);
    hr = front_end.open_adapter_raw(&handle, true);  // no pAdapterFuncs
  } else {
    switch (defect) {
      case 2: {
        const UINT size = in.u32();
        o.StructSize = size == sizeof o ? 0 : size;
        break;
      }
      case 3:
        o.CertificateContainer = static_cast<CPDDI_CERTIFICATE_CONTAINER>(2 + in.u32() % 1000);
        break;
      case 4: o.IvCheck = static_cast<CPDDI_IV_CHECK>(2 + in.u32() % 1000); break;
      case 5: o.DisabledCaps |= (in.u32() | 1u) & ~DWORD{CPDDI_SWITCHABLE_CAPS}; break;
      default: o.BltThreadsPerDevice = 257 + in.u16(); break;
    }
    hr = front_end.open_adapter(&o, &opened);
  }
  if (opened != nullptr) {
    opened->release();
  }
  Expected e;
  e.add(E_INVALIDARG);
  check_result("OpenAdapter", hr, documented::kOpenAdapter, e);
}

// Flush: a live device has no blt that failed while executing (the model never queues one that
// can: argument errors are returned by the call itself), so it must succeed.
void flush(Harness& h, ByteReader& in) {
  const Target dev = h.device_target(in);
  Expected e;
  e.add_if(!dev.ok, E_INVALIDARG);
  const auto device = h.calling(dev.device);
  const HRESULT hr = device->funcs().pfnFlush(dev.device);
  check_result("Flush", hr, documented::kFlush, e);
}

}  // namespace

const Call kCalls[] = {
    &create_session, &destroy_session,  &key_exchange,   &key_exchange,    &start_refresh,
    &finish_refresh, &refresh_round,    &refresh_round,  &get_encryption_blt_key,
    &decryption_blt, &decryption_blt,   &encryption_blt, &create_resource, &create_resource,
    &destroy_resource, &lock,           &unlock,         &get_pitch,       &destroy_device,
    &create_device,  &channel_call,     &verify_key,     &arm_rng_failure,
    // Appended, never inserted: a call's selector byte is its index modulo the table's size, so
    // the seeds (which use indices below the old size) keep their meaning as the table grows.
    &get_caps,       &close_adapter,    &open_adapter,   &flush,
    // The modelled authenticated-channel calls (ddi_sequence_channels.cpp).
    &create_channel, &channel_key_exchange, &channel_configure, &channel_configure,
    &channel_query,  &channel_query,    &destroy_channel, &open_channel,
};
const std::size_t kCallCount = std::size(kCalls);
static_assert(std::size(kCalls) < 256, "one input byte picks a call");

}  // namespace cpddi::fuzz
