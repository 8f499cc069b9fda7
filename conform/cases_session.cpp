// Session and device life cycle, handle validity and NoKey: spec §1.1, §1.4, §4 (common rules),
// §4.1, §4.3, §4.10, A29.
#include <array>
#include <memory>
#include <string>

#include "conform/cases.h"

namespace cpddi::conform {
namespace {

enum class Entry {
  kKeyExchange, kEncryptionBlt, kGetPitch, kStartRefresh, kFinishRefresh, kGetEncryptionBltKey,
  kDecryptionBlt, kDestroy  // Destroy last: a driver that accepts a bad handle may kill a victim
};
constexpr Entry kEntries[] = {Entry::kKeyExchange,    Entry::kEncryptionBlt,
                              Entry::kGetPitch,       Entry::kStartRefresh,
                              Entry::kFinishRefresh,  Entry::kGetEncryptionBltKey,
                              Entry::kDecryptionBlt,  Entry::kDestroy};

const char* entry_name(Entry e) {
  switch (e) {
    case Entry::kKeyExchange: return "CryptoSessionKeyExchange";
    case Entry::kEncryptionBlt: return "EncryptionBlt";
    case Entry::kGetPitch: return "GetPitch";
    case Entry::kStartRefresh: return "StartSessionKeyRefresh";
    case Entry::kFinishRefresh: return "FinishSessionKeyRefresh";
    case Entry::kGetEncryptionBltKey: return "GetEncryptionBltKey";
    case Entry::kDecryptionBlt: return "DecryptionBlt";
    case Entry::kDestroy: return "DestroyCryptoSession";
  }
  return "?";
}

// Calls `entry` through `caller` naming session `session`, every other argument valid (surfaces
// of `owner`). Fails the case unless the call returns E_INVALIDARG and writes no output.
void expect_rejected(Entry entry, const Device& owner, const Device& caller, HANDLE session,
                     const std::string& how) {
  if (entry == Entry::kGetPitch && !has_row(owner, DdiRow::kGetPitch)) {
    return;  // the row only the D3D9 DDI has (spec §8.4)
  }
  auto target = Surface::small_protected(owner);
  auto source = Surface::system_memory(owner, 256);
  auto sink = Surface::system_memory(owner, 256);
  owner.write_surface(source->handle(), ctr(kTestKey, make_iv(1), Bytes(256, 7)));
  std::array<std::uint8_t, 16> out;
  out.fill(0xEE);
  const std::array<std::uint8_t, 16> sentinel = out;
  constexpr UINT kPitchSentinel = 0xA5A5A5A5u;
  UINT pitch = kPitchSentinel;
  Iv iv_1000 = make_iv(1000);  // a fresh IV: only the session handle is wrong
  HRESULT hr = S_OK;
  switch (entry) {
    case Entry::kKeyExchange:
      hr = caller.exchange_key(session, owner.adapter().wrap_session_key(kOtherKey));
      break;
    case Entry::kEncryptionBlt:
      hr = caller.encryption_blt(session, BltArgs{.source = target->handle(),
                                                  .destination = sink->handle(),
                                                  .size = 256,
                                                  .iv = out.data()});
      break;
    case Entry::kGetPitch: hr = caller.get_pitch(session, target->handle(), 0, &pitch); break;
    case Entry::kStartRefresh: hr = caller.start_refresh(session, out.data(), 16); break;
    case Entry::kFinishRefresh: hr = caller.finish_refresh(session); break;
    case Entry::kGetEncryptionBltKey:
      hr = caller.get_encryption_blt_key(session, out.data(), 16);
      break;
    case Entry::kDecryptionBlt:
      hr = caller.decryption_blt(session, BltArgs{.source = source->handle(),
                                                  .destination = target->handle(),
                                                  .size = 256,
                                                  .iv = iv_1000.data()});
      break;
    case Entry::kDestroy: hr = caller.destroy_session(session); break;
  }
  expect_hr(hr, E_INVALIDARG, std::string(entry_name(entry)) + " with " + how);
  require(out == sentinel && pitch == kPitchSentinel,
          std::string(entry_name(entry)) + " with " + how + " writes no output",
          "an output was written");
}

// The victim session must be untouched: nothing pending, same key.
void expect_unaffected(Session& victim, const Surface& surface, const Key& key) {
  expect_hr(victim.finish_refresh(),
            victim.device().code((victim.device().caps_bits() & D3DCPCAPS_FRESHENSESSIONKEY)
                                     ? Refusal::kWrongState
                                     : Refusal::kCapOff),
            "FinishSessionKeyRefresh on the untouched session (nothing pending)");
  if ((victim.device().caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACK) != 0) {
    require_key(victim, surface, key, 9, "the untouched session's key");
  }
}

Verdict session_create_destroy(Env& env) {
  Device& device = env.device();
  HRESULT hr = S_OK;
  const HANDLE a = device.create_session(&hr);
  expect_hr(hr, S_OK, "CreateCryptoSession(AES128_CTR)");
  const HANDLE b = device.create_session(&hr);
  if (hr != S_OK) {
    device.destroy_session(a);
  }
  expect_hr(hr, S_OK, "a second CreateCryptoSession");
  const bool distinct = a != nullptr && b != nullptr && a != b;
  expect_hr(device.destroy_session(a), S_OK, "DestroyCryptoSession");
  expect_hr(device.destroy_session(b), S_OK, "DestroyCryptoSession of the second session");
  require(distinct, "two live sessions have distinct non-null handles", "equal or null handles");
  expect_hr(device.destroy_session(a), E_INVALIDARG, "a second DestroyCryptoSession");
  return pass();
}

Verdict session_handles_never_reused(Env& env) {
  Device& device = env.device();
  HRESULT hr = S_OK;
  const HANDLE first = device.create_session(&hr);
  expect_hr(hr, S_OK, "CreateCryptoSession");
  expect_hr(device.destroy_session(first), S_OK, "DestroyCryptoSession");
  for (int i = 0; i < 8; ++i) {
    const HANDLE next = device.create_session(&hr);
    expect_hr(hr, S_OK, "CreateCryptoSession after a destroy");
    expect_hr(device.destroy_session(next), S_OK, "DestroyCryptoSession");
    require(next != first, "a new session's handle differs from a destroyed one (A29)",
            "the destroyed handle was handed out again after " + std::to_string(i) +
                " other sessions");
  }
  return pass();
}

Verdict session_no_key_material_inherited(Env& env) {
  Device& device = env.device();
  const DWORD caps = device.caps_bits();
  const bool can_refresh = (caps & D3DCPCAPS_FRESHENSESSIONKEY) != 0;
  {
    Session old(device, kTestKey);
    if (can_refresh) {
      Bytes number;
      expect_hr(old.start_refresh(&number), S_OK, "StartSessionKeyRefresh (left pending)");
    }
  }
  Session fresh(device, kOtherKey, Session::Exchange::kNo);
  auto surface = Surface::small_protected(device);
  expect_hr(fresh.decryption_blt(surface->handle(), Bytes(256, 1), fresh.next_iv()),
            fresh.device().code(Refusal::kWrongState), "DecryptionBlt on a new session in a reused slot (no key)");
  if (can_refresh) {
    Bytes number(16, 0xEE);
    expect_hr(fresh.start_refresh_raw(number.data(), 16), fresh.device().code(Refusal::kWrongState),
              "StartSessionKeyRefresh on a new session in a reused slot (no key)");
  }
  expect_hr(fresh.rekey(kOtherKey), S_OK, "CryptoSessionKeyExchange");
  if (can_refresh) {
    expect_hr(fresh.finish_refresh(), fresh.device().code(Refusal::kWrongState),
              "FinishSessionKeyRefresh: the destroyed session's number is not pending here");
  }
  if ((caps & D3DCPCAPS_ENCRYPTEDREADBACK) != 0) {
    fresh.fetch_readback_key();
    require_key(fresh, *surface, kOtherKey, 1, "the new session's own key");
  }
  return pass();
}

// What one session does — a repeat key exchange, Destroy — leaves every other session of the
// device as it was: A7 discards only the exchanging session's pending number, §4.3 wipes only
// the destroyed session's read-back key, and sessions share no state (A8).
Verdict session_others_unaffected(Env& env) {
  Device& device = env.device();
  const DWORD caps = device.caps_bits();
  const bool can_refresh = (caps & D3DCPCAPS_FRESHENSESSIONKEY) != 0;
  const bool can_read_back = (caps & D3DCPCAPS_ENCRYPTEDREADBACK) != 0;
  if (!can_refresh && !can_read_back) {
    return skipped("neither FRESHENSESSIONKEY nor ENCRYPTEDREADBACK: no per-session state to see");
  }
  auto surface = Surface::small_protected(device);
  Session a(device, kTestKey);
  if (can_read_back) {
    a.fetch_readback_key();
  }
  Bytes number;
  if (can_refresh) {
    expect_hr(a.start_refresh(&number), S_OK, "StartSessionKeyRefresh on A (left pending)");
  }
  {
    Session b(device, kOtherKey);
    if (can_read_back) {
      b.fetch_readback_key();
    }
    expect_hr(b.rekey(kTestKey), S_OK, "a repeat CryptoSessionKeyExchange on B");
    expect_hr(b.destroy(), S_OK, "DestroyCryptoSession of B");
  }
  const std::string after = " after B's repeat exchange and Destroy";
  if (can_read_back) {
    // The blt is called before A's Finish, so it is under A's old key (A6).
    require_key(a, *surface, kTestKey, 1, "A's key, read back with A's read-back key" + after);
  }
  if (can_refresh) {
    expect_hr(a.finish_refresh(), S_OK, "FinishSessionKeyRefresh on A" + after);
    a.app_apply(number);
    if (can_read_back) {
      require_key(a, *surface, a.app_key(), 2, "A's key refreshed by its own number" + after);
    }
  }
  return pass();
}

Verdict session_null_arguments(Env& env) {
  for (DeviceEntry entry :
       {DeviceEntry::kCreateCryptoSession, DeviceEntry::kDestroyCryptoSession}) {
    expect_hr(env.device().call_with_null_arguments(entry), E_INVALIDARG,
              std::string(device_entry_name(entry)) + " with null arguments");
  }
  return pass();
}

Verdict session_create_bad_crypto_type(Env& env) {
  static constexpr GUID kUnknownGuid = {
      0x12345678, 0x9abc, 0xdef0, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};
  const struct {
    const char* name;
    GUID crypto_type;
    GUID decode_profile;
    Refusal expected;
  } rows[] = {
      {"the all-zero CryptoType", GUID{}, GUID{}, Refusal::kUnsupportedCryptoType},
      {"CryptoType PROPRIETARY", D3DCRYPTOTYPE_PROPRIETARY, GUID{},
       Refusal::kUnsupportedCryptoType},
      {"an unknown CryptoType", kUnknownGuid, GUID{}, Refusal::kUnsupportedCryptoType},
      {"the key-exchange GUID as CryptoType", D3DKEYEXCHANGE_RSAES_OAEP, GUID{},
       Refusal::kUnsupportedCryptoType},
      {"AES128_CTR with a DecodeProfile no decoder has", D3DCRYPTOTYPE_AES128_CTR, kUnknownGuid,
       Refusal::kUnsupportedProfile}};
  Device& device = env.device();
  for (const auto& row : rows) {
    HANDLE session = kSentinelHandle;
    const HRESULT hr = device.create_session_raw(row.crypto_type, row.decode_profile, &session);
    if (hr == S_OK && session != kSentinelHandle) {
      device.destroy_session(session);
    }
    expect_hr(hr, device.code(row.expected), std::string("CreateCryptoSession of ") + row.name);
    require(session == kSentinelHandle,
            std::string("CreateCryptoSession of ") + row.name + " writes no handle",
            "a handle was written");
  }
  return pass();
}

Verdict session_create_bad_device_handle(Env& env) {
  Device& device = env.device();
  auto resource = Surface::system_memory(device, 256);
  const struct {
    const char* name;
    HANDLE handle;
  } rows[] = {{"a null", nullptr},
              {"a garbage", kGarbageHandle},
              {"the adapter handle as", device.adapter().handle()},
              {"a resource handle as", resource->handle()}};
  for (const auto& row : rows) {
    HANDLE session = kSentinelHandle;
    const HRESULT hr = device.calling_as(row.handle)->create_session_raw(
        D3DCRYPTOTYPE_AES128_CTR, GUID{}, &session);
    expect_hr(hr, E_INVALIDARG, std::string("CreateCryptoSession with ") + row.name +
                                    " device handle");
    require(session == kSentinelHandle, "no session handle written", "a handle was written");
  }
  return pass();
}

Verdict session_destroyed_handle_rejected(Env& env) {
  Device& device = env.device();
  auto surface = Surface::small_protected(device);
  HANDLE dead = nullptr;
  {
    Session doomed(device, kTestKey);
    dead = doomed.handle();
    expect_hr(doomed.destroy(), S_OK, "DestroyCryptoSession");
  }
  for (Entry entry : kEntries) {
    expect_rejected(entry, device, device, dead, "a destroyed session handle");
  }
  // A new session most likely reuses the slot: the stale handle must still not reach it.
  Session victim(device, kOtherKey);
  if ((device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACK) != 0) {
    victim.fetch_readback_key();
  }
  require(victim.handle() != dead, "a new session's handle differs from a destroyed one (A29)",
          "the destroyed handle was handed out again");
  for (Entry entry : kEntries) {
    expect_rejected(entry, device, device, dead,
                    "a destroyed session handle after its slot was reused");
  }
  expect_unaffected(victim, *surface, kOtherKey);
  return pass();
}

Verdict session_unknown_handle_rejected(Env& env) {
  Device& device = env.device();
  auto surface = Surface::small_protected(device);
  auto resource = Surface::system_memory(device, 256);
  Session victim(device, kTestKey);
  if ((device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACK) != 0) {
    victim.fetch_readback_key();
  }
  for (Entry entry : kEntries) {
    expect_rejected(entry, device, device, nullptr, "a null session handle");
    expect_rejected(entry, device, device, kGarbageHandle, "a garbage session handle");
    expect_rejected(entry, device, device, device.handle(),
                    "the device handle as session handle");
    expect_rejected(entry, device, device, resource->handle(),
                    "a resource handle as session handle");
  }
  expect_unaffected(victim, *surface, kTestKey);
  return pass();
}

Verdict session_wrong_device_rejected(Env& env) {
  Device& device = env.device();
  Device other(device.adapter());
  auto surface = Surface::small_protected(device);
  Session session(device, kTestKey);
  if ((device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACK) != 0) {
    session.fetch_readback_key();
  }
  for (Entry entry : kEntries) {
    expect_rejected(entry, other, other, session.handle(), "a session of another device");
  }
  expect_unaffected(session, *surface, kTestKey);
  return pass();
}

Verdict session_bad_device_handle_rejected(Env& env) {
  Device& device = env.device();
  auto surface = Surface::small_protected(device);
  Session session(device, kTestKey);
  if ((device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACK) != 0) {
    session.fetch_readback_key();
  }
  const std::unique_ptr<Device> garbage = device.calling_as(kGarbageHandle);
  for (Entry entry : kEntries) {
    expect_rejected(entry, device, *garbage, session.handle(),
                    "a live session through a garbage device handle");
  }
  expect_unaffected(session, *surface, kTestKey);
  return pass();
}

Verdict session_nokey_invalidcall(Env& env) {
  Device& device = env.device();
  Session session(device, kTestKey, Session::Exchange::kNo);
  auto target = Surface::small_protected(device);
  std::array<std::uint8_t, 16> untouched;
  untouched.fill(0xEE);
  expect_hr(session.decryption_blt(target->handle(), Bytes(256, 1), make_iv(1)),
            session.device().code(Refusal::kWrongState), "DecryptionBlt before any key exchange");
  const DWORD caps = device.caps_bits();
  if ((caps & D3DCPCAPS_FRESHENSESSIONKEY) != 0) {
    std::array<std::uint8_t, 16> number = untouched;
    expect_hr(session.start_refresh_raw(number.data(), 16), session.device().code(Refusal::kWrongState),
              "StartSessionKeyRefresh before any key exchange");
    require(number == untouched, "StartSessionKeyRefresh without a key writes nothing",
            "the number buffer was written");
    expect_hr(session.finish_refresh(), session.device().code(Refusal::kWrongState),
              "FinishSessionKeyRefresh before any key exchange");
  }
  if ((caps & D3DCPCAPS_ENCRYPTEDREADBACK) != 0) {
    auto sink = Surface::system_memory(device, 256);
    Iv iv = untouched;
    expect_hr(session.encryption_blt(BltArgs{.source = target->handle(),
                                             .destination = sink->handle(),
                                             .size = 256,
                                             .iv = iv.data()}),
              session.device().code(Refusal::kWrongState), "EncryptionBlt before any key exchange");
    require(iv == untouched, "EncryptionBlt without a key writes no IV", "the IV was written");
  }
  if ((caps & D3DCPCAPS_ENCRYPTEDREADBACKKEY) != 0) {
    Key wrapped = untouched;
    expect_hr(session.get_encryption_blt_key(&wrapped), session.device().code(Refusal::kWrongState),
              "GetEncryptionBltKey before any key exchange");
    require(wrapped == untouched, "GetEncryptionBltKey without a key writes nothing",
            "the key buffer was written");
  }
  return pass();
}

Verdict session_get_pitch_without_key(Env& env) {
  Device& device = env.device();
  require_row(device, DdiRow::kGetPitch);
  Session session(device, kTestKey, Session::Exchange::kNo);
  auto target = Surface::small_protected(device);
  UINT pitch = 0;
  expect_hr(device.get_pitch(session.handle(), target->handle(), 0, &pitch), S_OK,
            "GetPitch on a session without a key");
  require(pitch >= 16u * 4u, "a pitch covering a 16-pixel X8R8G8B8 row (≥ 64)",
          "pitch " + std::to_string(pitch));
  return pass();
}

// ---- Devices and adapters ----

Verdict device_destroy_kills_handles(Env& env) {
  Device other(env.device().adapter());
  HRESULT hr = S_OK;
  const HANDLE session = other.create_session(&hr);
  expect_hr(hr, S_OK, "CreateCryptoSession");
  const HANDLE surface =
      other.create_surface(D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_VIDEOMEMORY, true, &hr);
  expect_hr(hr, S_OK, "CreateResource of a protected surface");
  expect_hr(other.destroy(), S_OK, "DestroyDevice");
  expect_hr(other.destroy(), E_INVALIDARG, "a second DestroyDevice");
  HANDLE created = kSentinelHandle;
  expect_hr(other.create_session_raw(D3DCRYPTOTYPE_AES128_CTR, GUID{}, &created), E_INVALIDARG,
            "CreateCryptoSession on a destroyed device");
  expect_hr(other.destroy_session(session), E_INVALIDARG,
            "DestroyCryptoSession of a destroyed device's session");
  expect_hr(other.destroy_surface(surface), E_INVALIDARG,
            "DestroyResource of a destroyed device's resource");
  return pass();
}

Verdict device_destroy_releases_protected_memory(Env& env) {
  // The pool is the adapter's (ProtectedMemorySize is an adapter cap), so memory a dead device
  // held becomes available to the adapter's other devices.
  const std::unique_ptr<Adapter> adapter = open_small_pool_adapter(env);
  Device first(*adapter);
  Device second(*adapter);
  fill_protected_pool(second);
  HRESULT hr = S_OK;
  first.create_surface(D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_VIDEOMEMORY, true, &hr);
  expect_hr(hr, first.code(Refusal::kOutOfProtectedMemory),
            "CreateResource on another device of the adapter while the pool is full");
  expect_hr(second.destroy(), S_OK, "DestroyDevice of the device holding the pool");
  const HANDLE small =
      first.create_surface(D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_VIDEOMEMORY, true, &hr);
  if (small != nullptr) {
    first.destroy_surface(small);
  }
  expect_hr(hr, S_OK, "CreateResource of a protected surface after DestroyDevice freed the pool");
  return pass();
}

Verdict device_open_adapter_null_arguments(Env& env) {
  HANDLE adapter = nullptr;
  if (env.driver().has_argument_structs()) {
    expect_hr(Adapter::open_raw(env.driver(), &adapter, true, false), E_INVALIDARG,
              "OpenAdapter with a null argument struct");
  }
  expect_hr(Adapter::open_raw(env.driver(), &adapter, false, true), E_INVALIDARG,
            "OpenAdapter with pAdapterFuncs = NULL");
  require(adapter == nullptr, "OpenAdapter with pAdapterFuncs = NULL writes no adapter handle",
          "a handle was written");
  return pass();
}

Verdict device_bad_arguments(Env& env) {
  Adapter adapter(env.driver());
  Device device(adapter);
  HRESULT hr = S_OK;
  const HANDLE session = device.create_session(&hr);
  expect_hr(hr, S_OK, "CreateCryptoSession");
  const struct {
    const char* name;
    HANDLE handle;
  } not_adapters[] = {{"a null", nullptr},
                      {"a garbage", kGarbageHandle},
                      {"the device handle as", device.handle()}};
  for (const auto& row : not_adapters) {
    HANDLE created = kSentinelHandle;
    expect_hr(adapter.calling_as(row.handle)->create_device_raw(&created), E_INVALIDARG,
              std::string("CreateDevice with ") + row.name + " adapter handle");
    require(created == kSentinelHandle, "no device handle written", "a handle was written");
  }
  HANDLE unused = nullptr;
  if (adapter.has_argument_structs()) {
    expect_hr(adapter.create_device_raw(&unused, true), E_INVALIDARG,
              "CreateDevice with a null argument struct");
  }
  expect_hr(adapter.create_device_raw(&unused, false, true), E_INVALIDARG,
            "CreateDevice with pDeviceFuncs = NULL");
  const struct {
    const char* name;
    HANDLE handle;
  } not_devices[] = {{"a null", nullptr},
                     {"a garbage", kGarbageHandle},
                     {"the adapter handle as", adapter.handle()},
                     {"a session handle as", session}};
  for (const auto& row : not_devices) {
    expect_hr(device.calling_as(row.handle)->destroy(), E_INVALIDARG,
              std::string("DestroyDevice of ") + row.name + " device handle");
  }
  for (const auto& row : not_adapters) {
    expect_hr(adapter.calling_as(row.handle)->close(), E_INVALIDARG,
              std::string("CloseAdapter of ") + row.name + " adapter handle");
  }
  expect_hr(device.destroy_session(session), S_OK, "DestroyCryptoSession");
  return pass();
}

Verdict device_usable_after_close_adapter(Env& env) {
  Adapter adapter(env.driver());
  Device device(adapter);
  expect_hr(adapter.close(), S_OK, "CloseAdapter with a live device");
  HANDLE created = nullptr;
  expect_hr(adapter.create_device_raw(&created), E_INVALIDARG,
            "CreateDevice on a closed adapter");
  HRESULT hr = S_OK;
  const HANDLE session = device.create_session(&hr);
  expect_hr(hr, S_OK, "CreateCryptoSession after CloseAdapter");
  const HANDLE surface =
      device.create_surface(D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_VIDEOMEMORY, true, &hr);
  expect_hr(hr, S_OK, "CreateResource of a protected surface after CloseAdapter");
  UINT pitch = 0;
  if (has_row(device, DdiRow::kGetPitch)) {
    expect_hr(device.get_pitch(session, surface, 0, &pitch), S_OK, "GetPitch after CloseAdapter");
  }
  expect_hr(device.destroy(), S_OK, "DestroyDevice after CloseAdapter");
  return pass();
}

constexpr Case kCases[] = {
    {"session.create-destroy",
     "Create gives distinct handles, Destroy succeeds once, a second Destroy → E_INVALIDARG",
     "§4.1, §4.3", session_create_destroy},
    {"session.handles-never-reused",
     "a new session's handle never equals a destroyed session's", "A29",
     session_handles_never_reused},
    {"session.no-key-material-inherited",
     "a new session in a destroyed one's slot has no key and no pending number", "§4.3, A7",
     session_no_key_material_inherited},
    {"session.others-unaffected",
     "a repeat exchange and a Destroy on one session keep another's pending number and "
     "read-back key",
     "§4.3, A7, A8", session_others_unaffected},
    {"session.null-arguments",
     "Create/DestroyCryptoSession with null arguments (D3D9: no argument struct; D3D11.1: null "
     "argument struct or session handle) → E_INVALIDARG",
     "§4.1, §4.3",
     session_null_arguments},
    {"session.create-bad-crypto-type",
     "CreateCryptoSession of an unsupported CryptoType → NOTAVAILABLE, of an unknown "
     "DecodeProfile → UNSUPPORTEDCRYPTO; no handle",
     "§4.1, A34", session_create_bad_crypto_type},
    {"session.create-bad-device-handle",
     "CreateCryptoSession through a null, garbage, adapter or resource handle → E_INVALIDARG",
     "§4", session_create_bad_device_handle},
    {"session.destroyed-handle-rejected",
     "every call with a destroyed session handle → E_INVALIDARG (even after slot reuse)",
     "§4, A29", session_destroyed_handle_rejected},
    {"session.unknown-handle-rejected",
     "every call with a null, garbage, device or resource handle as session → E_INVALIDARG, "
     "nothing written",
     "§4", session_unknown_handle_rejected},
    {"session.wrong-device-rejected",
     "every call naming a session through another device → E_INVALIDARG, session unaffected",
     "§4", session_wrong_device_rejected},
    {"session.bad-device-handle-rejected",
     "every call naming a live session through a garbage device handle → E_INVALIDARG, session "
     "unaffected",
     "§4", session_bad_device_handle_rejected},
    {"session.nokey-invalidcall",
     "every keyed call before any key exchange → D3DDDIERR_INVALIDCALL, nothing written",
     "§1.4, §4.5–§4.9", session_nokey_invalidcall},
    {"session.get-pitch-without-key", "GetPitch works on a session without a key", "§1.4, §4.4",
     session_get_pitch_without_key},
    {"device.destroy-kills-handles",
     "after DestroyDevice its handle, sessions and resources → E_INVALIDARG", "§1.1",
     device_destroy_kills_handles},
    {"device.destroy-releases-protected-memory",
     "DestroyDevice returns its protected surfaces to the adapter's pool", "§3, §4.10",
     device_destroy_releases_protected_memory},
    {"device.open-adapter-null-arguments",
     "OpenAdapter with a null argument struct or pAdapterFuncs → E_INVALIDARG, no handle",
     "§2.9", device_open_adapter_null_arguments},
    {"device.bad-arguments",
     "Create/DestroyDevice and CloseAdapter with bad handles or null arguments → E_INVALIDARG",
     "§1.1, §2.9", device_bad_arguments},
    {"device.usable-after-close-adapter",
     "a device outlives CloseAdapter; the closed adapter makes no new device", "§1.1",
     device_usable_after_close_adapter},
};

}  // namespace

std::span<const Case> session_cases() { return kCases; }

}  // namespace cpddi::conform
