// The harness of ddi_sequence_fuzzer: slots, handle decoders, key proofs and the final cleanup.
#include "ddi_sequence_harness.h"

namespace cpddi::fuzz {
namespace {

constexpr std::size_t kProofResources = 3;
constexpr std::uint64_t kProofProtectedBytes = 128;

HANDLE garbage_handle(ByteReader& in) { return not_a_live_handle(in.u64()); }

}  // namespace

Harness::Harness(const Adapter& adapter) : adapter_(adapter) {
  for (DeviceSlot& d : devices) {
    d.device = std::make_unique<FuzzDevice>(adapter_);
  }
  caller_ = devices[0].device->calling_as(nullptr);
}

Harness::~Harness() { cleanup(); }

bool Harness::take_rng_failure() {
  const bool armed = rng_armed_;
  rng_armed_ = false;
  return armed;
}

Target Harness::object_target(ByteReader& in, std::uint8_t choice, std::size_t slot,
                              HANDLE handle, std::size_t device, bool live, HANDLE wrong_kind) {
  Target t;
  t.slot = slot;
  switch ((choice >> 4) % 16) {
    case 13: t.handle = wrong_kind; break;
    case 14: t.handle = nullptr; break;
    case 15: t.handle = garbage_handle(in); break;
    default: t.handle = handle; break;
  }
  const std::uint8_t d = in.u8();
  t.device_index = d % 8 == 6 ? (device + 1) % kDevices : device;
  const DeviceSlot& dev = devices[t.device_index];
  if (d % 8 == 7 || !dev.device) {
    t.device = dev.device ? nullptr : dev.stale;
  } else {
    t.device = dev.device->handle();
    t.device_ok = true;
  }
  t.ok = t.device_ok && live && t.handle == handle && device == t.device_index;
  return t;
}

Target Harness::session_target(ByteReader& in) {
  const std::uint8_t c = in.u8();
  const std::size_t slot = c % kSessions;
  const SessionSlot& s = sessions[slot];
  return object_target(in, c, slot, s.handle, s.device, s.live,
                       resources[slot % kResources].handle);
}

Target Harness::channel_target(ByteReader& in) {
  const std::uint8_t c = in.u8();
  const std::size_t slot = c % kChannels;
  const ChannelSlot& ch = channels[slot];
  return object_target(in, c, slot, ch.handle, ch.device, ch.live,
                       sessions[slot % kSessions].handle);
}

Target Harness::resource_target(ByteReader& in, std::size_t device_index, bool device_ok,
                                HANDLE device) {
  Target t;
  t.device = device;
  t.device_index = device_index;
  t.device_ok = device_ok;
  const std::uint8_t c = in.u8();
  t.slot = c % kResources;
  const ResourceSlot& r = resources[t.slot];
  switch ((c >> 4) % 16) {
    case 14: t.handle = sessions[t.slot % kSessions].handle; break;  // wrong kind
    case 15: t.handle = nullptr; break;
    default: t.handle = r.handle; break;
  }
  t.ok = device_ok && r.live && t.handle == r.handle && r.device == device_index;
  return t;
}

Target Harness::device_target(ByteReader& in) {
  Target t;
  const std::uint8_t d = in.u8();
  t.device_index = d % kDevices;
  const DeviceSlot& dev = devices[t.device_index];
  if (d >= 240 || !dev.device) {
    t.device = dev.device ? nullptr : dev.stale;
  } else {
    t.device = dev.device->handle();
    t.device_ok = true;
  }
  t.ok = t.device_ok;
  return t;
}

void Harness::verify(std::size_t slot, const char* why) {
  SessionSlot& s = sessions[slot];
  DeviceSlot& d = devices[s.device];
  if (!s.live || !s.model.keyed || !d.device ||
      d.resources + kProofResources > adapter_.max_resources() ||
      protected_in_use + kProofProtectedBytes > adapter_.protected_memory()) {
    return;
  }
  std::uint64_t iv = 1;
  if (adapter_.iv_check() && s.model.last_session_key_iv) {
    if (*s.model.last_session_key_iv == UINT64_MAX) {
      return;  // no greater IV left for the session key
    }
    iv = *s.model.last_session_key_iv + 1;
  }
  const KeyProof proof = prove_key(*d.device, s.handle, s.model.key, iv, why);
  s.model.record_iv(std::nullopt, iv);
  if (proof.readback_key) {
    s.model.readback_key = proof.readback_key;
    s.model.driver_has_readback_key = true;
  }
  if (proof.readback_iv) {
    const std::uint64_t got = iv_field(*proof.readback_iv);
    if (s.model.next_readback_iv && got != *s.model.next_readback_iv) {
      violation("EncryptionBlt IV %llu, expected %llu (+1 per blt, §7.8)",
                static_cast<unsigned long long>(got),
                static_cast<unsigned long long>(*s.model.next_readback_iv));
    }
    s.model.next_readback_iv = got + 1;
  }
}

void Harness::forget_device(std::size_t index) {
  for (SessionSlot& s : sessions) {
    if (s.live && s.device == index) {
      s.live = false;
    }
  }
  for (std::size_t i = 0; i < kResources; ++i) {
    if (resources[i].live && resources[i].device == index) {
      destroy_resource_slot(i);
    }
  }
  for (ChannelSlot& c : channels) {
    if (c.live && c.device == index) {
      c.live = false;
      c.channel.reset();  // its handle died with the device: the client's release is refused
    }
  }
  devices[index].sessions = 0;
  devices[index].resources = 0;
  devices[index].channels = ChannelDeviceModel{};
}

void Harness::forget_channel(std::size_t slot) {
  ChannelSlot& c = channels[slot];
  c.live = false;
  ChannelDeviceModel& m = devices[c.device].channels;
  std::erase_if(m.protection, [&](const auto& request) { return request.first == c.id; });
  for (ProcessGrant& grant : m.grants) {
    if (grant.granted_by == c.id) {
      grant.granted_by = 0;
    }
  }
}

void Harness::forget_session(std::size_t slot) {
  const SessionSlot& s = sessions[slot];
  std::erase_if(devices[s.device].channels.bindings,
                [&](const SessionBinding& b) { return b.session == s.handle; });
}

void Harness::destroy_resource_slot(std::size_t slot) {
  ResourceSlot& r = resources[slot];
  r.live = false;
  r.locked = false;
  protected_in_use -= protected_bytes(r.model);
  devices[r.device].resources -= devices[r.device].resources > 0 ? 1 : 0;
  // Caller memory stays allocated until the slot is reused: the handle is dead already.
}

void Harness::cleanup() {
  for (std::size_t i = 0; i < kSessions; ++i) {
    verify(i, "end of sequence");
  }
  for (std::size_t i = 0; i < kResources; ++i) {
    ResourceSlot& r = resources[i];
    if (r.live) {
      must_succeed(devices[r.device].device->destroy_surface(r.handle),
                   "DestroyResource of a live surface");
      destroy_resource_slot(i);
    }
  }
  for (SessionSlot& s : sessions) {
    if (s.live) {
      must_succeed(devices[s.device].device->destroy_session(s.handle),
                   "DestroyCryptoSession of a live session");
      s.live = false;
    }
  }
  for (std::size_t i = 0; i < kChannels; ++i) {
    if (channels[i].live) {
      must_succeed(channels[i].channel->destroy(), "DestroyAuthenticatedChannel of a live channel");
      forget_channel(i);
    }
  }
  if (protected_in_use != 0) {
    violation("model bookkeeping: %llu protected bytes left",
              static_cast<unsigned long long>(protected_in_use));
  }
  // The pool is empty again: the whole of it fits in one surface (small pools only).
  if (adapter_.protected_memory() == 4096 && devices[0].device) {
    const FuzzDevice& device = *devices[0].device;
    HANDLE all = must_create_surface(device, D3DDDIFMT_X8R8G8B8, 16, 64, D3DDDIPOOL_VIDEOMEMORY,
                                     true);
    must_succeed(device.destroy_surface(all), "DestroyResource of a live surface");
  }
  for (DeviceSlot& d : devices) {
    d.device.reset();  // DestroyDevice, checked
  }
}

}  // namespace cpddi::fuzz
