// Session life cycle, handle validity, NoKey and protected resources: spec §1.4, §4 (common
// rules), §4.1, §4.3, §4.10, A22, A29.
#include <array>

#include "conform/cases.h"

namespace cpddi::conform {
namespace {

const HANDLE kGarbageHandle = reinterpret_cast<HANDLE>(0xDEADBEEF);
const HANDLE kSentinelHandle = reinterpret_cast<HANDLE>(0x5A5A5A5A);

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

// Calls `entry` on device `device` (through `hDevice`) naming session `session`, every other
// argument valid. Fails the case unless the call returns E_INVALIDARG and writes no output.
void expect_rejected(Entry entry, Device& device, HANDLE hDevice, HANDLE session,
                     const std::string& how) {
  auto target = Surface::small_protected(device);
  auto source = Surface::system_memory(device, 256);
  auto sink = Surface::system_memory(device, 256);
  device.write_surface(source->handle(), ctr(kTestKey, make_iv(1), Bytes(256, 7)));
  const D3DDDI_DEVICEFUNCS& f = device.funcs();
  std::array<std::uint8_t, 16> out;
  out.fill(0xEE);
  const std::array<std::uint8_t, 16> sentinel = out;
  bool untouched = true;
  HRESULT hr = S_OK;
  switch (entry) {
    case Entry::kKeyExchange: {
      Bytes blob = device.adapter().wrap_session_key(kOtherKey);
      D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE args{session, static_cast<UINT>(blob.size()),
                                              blob.data()};
      hr = need(f.pfnCryptoSessionKeyExchange, "pfnCryptoSessionKeyExchange")(hDevice, &args);
      break;
    }
    case Entry::kEncryptionBlt: {
      D3DDDIARG_ENCRYPTIONBLT args{};
      args.hCryptoSession = session;
      args.hSrcResource = target->handle();
      args.hDstResource = sink->handle();
      args.DstResourceSize = 256;
      args.pIV = out.data();
      hr = need(f.pfnEncryptionBlt, "pfnEncryptionBlt")(hDevice, &args);
      untouched = out == sentinel;
      break;
    }
    case Entry::kGetPitch: {
      D3DDDIARG_GETPITCH args{session, target->handle(), 0, 0xA5A5A5A5u};
      hr = need(f.pfnGetPitch, "pfnGetPitch")(hDevice, &args);
      untouched = args.Pitch == 0xA5A5A5A5u;
      break;
    }
    case Entry::kStartRefresh: {
      D3DDDIARG_STARTSESSIONKEYREFRESH args{session, out.data(), 16};
      hr = need(f.pfnStartSessionKeyRefresh, "pfnStartSessionKeyRefresh")(hDevice, &args);
      untouched = out == sentinel;
      break;
    }
    case Entry::kFinishRefresh: {
      D3DDDIARG_FINISHSESSIONKEYREFRESH args{session};
      hr = need(f.pfnFinishSessionKeyRefresh, "pfnFinishSessionKeyRefresh")(hDevice, &args);
      break;
    }
    case Entry::kGetEncryptionBltKey: {
      D3DDDIARG_GETENCRYPTIONBLTKEY args{session, out.data(), 16};
      hr = need(f.pfnGetEncryptionBltKey, "pfnGetEncryptionBltKey")(hDevice, &args);
      untouched = out == sentinel;
      break;
    }
    case Entry::kDecryptionBlt: {
      Iv iv = make_iv(1000);
      D3DDDIARG_DECRYPTIONBLT args{};
      args.hCryptoSession = session;
      args.hSrcResource = source->handle();
      args.hDstResource = target->handle();
      args.SrcResourceSize = 256;
      args.pIV = iv.data();
      hr = need(f.pfnDecryptionBlt, "pfnDecryptionBlt")(hDevice, &args);
      break;
    }
    case Entry::kDestroy: {
      D3DDDIARG_DESTROYCRYPTOSESSION args{session};
      hr = need(f.pfnDestroyCryptoSession, "pfnDestroyCryptoSession")(hDevice, &args);
      break;
    }
  }
  expect_hr(hr, E_INVALIDARG, std::string(entry_name(entry)) + " with " + how);
  require(untouched, std::string(entry_name(entry)) + " with " + how + " writes no output",
          "an output was written");
}

// The victim session must be untouched: nothing pending, same key.
void expect_unaffected(Session& victim, const Surface& surface, const Key& key) {
  expect_hr(victim.finish_refresh(), (victim.device().caps_bits() & D3DCPCAPS_FRESHENSESSIONKEY)
                                         ? D3DDDIERR_INVALIDCALL
                                         : D3DDDIERR_NOTAVAILABLE,
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

Verdict session_create_bad_crypto_type(Env& env) {
  Device& device = env.device();
  for (const GUID& type : {GUID{}, D3DCRYPTOTYPE_PROPRIETARY, D3DKEYEXCHANGE_RSAES_OAEP}) {
    D3DDDIARG_CREATECRYPTOSESSION args{type, GUID{}, kSentinelHandle};
    const HRESULT hr = device.funcs().pfnCreateCryptoSession(device.handle(), &args);
    if (hr == S_OK && args.hCryptoSession != kSentinelHandle) {
      device.destroy_session(args.hCryptoSession);
    }
    expect_hr(hr, D3DDDIERR_NOTAVAILABLE, "CreateCryptoSession of an unsupported CryptoType");
    require(args.hCryptoSession == kSentinelHandle, "no handle written", "a handle was written");
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
    expect_rejected(entry, device, device.handle(), dead, "a destroyed session handle");
  }
  // A new session most likely reuses the slot: the stale handle must still not reach it.
  Session victim(device, kOtherKey);
  if ((device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACK) != 0) {
    victim.fetch_readback_key();
  }
  require(victim.handle() != dead, "a new session's handle differs from a destroyed one (A29)",
          "the destroyed handle was handed out again");
  for (Entry entry : kEntries) {
    expect_rejected(entry, device, device.handle(), dead,
                    "a destroyed session handle after its slot was reused");
  }
  expect_unaffected(victim, *surface, kOtherKey);
  return pass();
}

Verdict session_unknown_handle_rejected(Env& env) {
  Device& device = env.device();
  auto surface = Surface::small_protected(device);
  Session victim(device, kTestKey);
  if ((device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACK) != 0) {
    victim.fetch_readback_key();
  }
  for (Entry entry : kEntries) {
    expect_rejected(entry, device, device.handle(), nullptr, "a null session handle");
    expect_rejected(entry, device, device.handle(), kGarbageHandle, "a garbage session handle");
    expect_rejected(entry, device, device.handle(), device.handle(),
                    "the device handle as session handle");
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
    expect_rejected(entry, other, other.handle(), session.handle(),
                    "a session of another device");
  }
  expect_unaffected(session, *surface, kTestKey);
  return pass();
}

Verdict session_nokey_invalidcall(Env& env) {
  Device& device = env.device();
  Session session(device, kTestKey, Session::Exchange::kNo);
  auto target = Surface::small_protected(device);
  const Iv iv = make_iv(1);
  expect_hr(session.decryption_blt(target->handle(), Bytes(256, 1), iv), D3DDDIERR_INVALIDCALL,
            "DecryptionBlt before any key exchange");
  const DWORD caps = device.caps_bits();
  if ((caps & D3DCPCAPS_ENCRYPTEDREADBACK) != 0) {
    auto sink = Surface::system_memory(device, 256);
    Iv out{};
    D3DDDIARG_ENCRYPTIONBLT args{};
    args.hCryptoSession = session.handle();
    args.hSrcResource = target->handle();
    args.hDstResource = sink->handle();
    args.DstResourceSize = 256;
    args.pIV = out.data();
    expect_hr(need(device.funcs().pfnEncryptionBlt, "pfnEncryptionBlt")(device.handle(), &args),
              D3DDDIERR_INVALIDCALL, "EncryptionBlt before any key exchange");
  }
  if ((caps & D3DCPCAPS_ENCRYPTEDREADBACKKEY) != 0) {
    Key wrapped{};
    expect_hr(session.get_encryption_blt_key(&wrapped), D3DDDIERR_INVALIDCALL,
              "GetEncryptionBltKey before any key exchange");
  }
  return pass();
}

Verdict resource_protected_lock_refused(Env& env) {
  Device& device = env.device();
  for (D3DDDI_POOL pool : {D3DDDIPOOL_VIDEOMEMORY, D3DDDIPOOL_LOCALVIDMEM}) {
    Surface surface(device, D3DDDIFMT_X8R8G8B8, 16, 4, pool, true);
    D3DDDIARG_LOCK lock{};
    lock.hResource = surface.handle();
    lock.pSurfData = reinterpret_cast<void*>(0x5A5A);
    lock.Pitch = 0xA5A5A5A5u;
    const HRESULT hr = need(device.funcs().pfnLock, "pfnLock")(device.handle(), &lock);
    if (hr == S_OK) {
      D3DDDIARG_UNLOCK unlock{};
      unlock.hResource = surface.handle();
      need(device.funcs().pfnUnlock, "pfnUnlock")(device.handle(), &unlock);
    }
    expect_hr(hr, D3DDDIERR_INVALIDCALL, "Lock of a RestrictedContent surface");
    require(lock.pSurfData == reinterpret_cast<void*>(0x5A5A) && lock.Pitch == 0xA5A5A5A5u,
            "nothing mapped (pSurfData and Pitch untouched)", "Lock wrote pSurfData or Pitch");
  }
  return pass();
}

constexpr Case kCases[] = {
    {"session.create-destroy",
     "Create gives distinct handles, Destroy succeeds once, a second Destroy → E_INVALIDARG",
     "§4.1, §4.3", session_create_destroy},
    {"session.create-bad-crypto-type",
     "CreateCryptoSession of a zero/unsupported CryptoType → D3DDDIERR_NOTAVAILABLE, no handle",
     "§4.1", session_create_bad_crypto_type},
    {"session.destroyed-handle-rejected",
     "every call with a destroyed session handle → E_INVALIDARG (even after slot reuse)",
     "§4, A29", session_destroyed_handle_rejected},
    {"session.unknown-handle-rejected",
     "every call with a null, garbage or non-session handle → E_INVALIDARG, nothing written",
     "§4", session_unknown_handle_rejected},
    {"session.wrong-device-rejected",
     "every call naming a session through another device → E_INVALIDARG, session unaffected",
     "§4", session_wrong_device_rejected},
    {"session.nokey-invalidcall",
     "blts and GetEncryptionBltKey before any key exchange → D3DDDIERR_INVALIDCALL",
     "§1.4, §4.5–§4.7", session_nokey_invalidcall},
    {"resource.protected-lock-refused",
     "Lock of a RestrictedContent surface → D3DDDIERR_INVALIDCALL, nothing mapped",
     "§4.10, A22", resource_protected_lock_refused},
};

}  // namespace

std::span<const Case> session_cases() { return kCases; }

}  // namespace cpddi::conform
