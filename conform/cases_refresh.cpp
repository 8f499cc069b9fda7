// Session-key refresh, the seed: spec §4.8, §4.9, §7.3 and §9 A1–A8, A11, A20. Every claim about
// the driver's key is checked by decrypting under a candidate key and reading the surface back
// with a read-back key fetched before the refresh, so the read-back does not depend on the key
// under test (A20).
#include <map>
#include <set>
#include <string>
#include <vector>

#include "conform/cases.h"

namespace cpddi::conform {
namespace {

constexpr const char* kRefreshCaps = "FRESHENSESSIONKEY";

bool all_zero(const Bytes& b) {
  for (std::uint8_t x : b) {
    if (x != 0) {
      return false;
    }
  }
  return true;
}

// A keyed session on the shared device, its read-back key fetched, and a protected surface.
struct Keyed {
  explicit Keyed(Device& d, const Key& key = kTestKey)
      : device(d), session(d, key), surface(Surface::small_protected(d)) {
    require_caps(d, D3DCPCAPS_FRESHENSESSIONKEY, kRefreshCaps);
    session.fetch_readback_key();
  }
  Device& device;
  Session session;
  std::unique_ptr<Surface> surface;
};

Bytes start(Session& s, const std::string& what = "StartSessionKeyRefresh") {
  Bytes number;
  expect_hr(s.start_refresh(&number), S_OK, what);
  return number;
}

Verdict finish_applies_xor(Env& env) {
  Keyed k(env.device());
  const Bytes number = start(k.session);
  expect_hr(k.session.finish_refresh(), S_OK, "FinishSessionKeyRefresh after Start");
  k.session.app_apply(number);
  require_key(k.session, *k.surface, xor_keys(kTestKey, number), 1, "old key XOR r");
  require_not_key(k.session, *k.surface, kTestKey, 2, "the old key");
  return pass();
}

Verdict start_changes_nothing(Env& env) {
  Keyed k(env.device());
  const Bytes number = start(k.session);
  require_key(k.session, *k.surface, kTestKey, 1, "the old key");
  require_not_key(k.session, *k.surface, xor_keys(kTestKey, number), 2, "old key XOR r");
  require_key(k.session, *k.surface, kTestKey, 3, "the old key, still");
  return pass();
}

Verdict start_random(Env& env) {
  Keyed k(env.device());
  std::set<Key> seen;
  for (int i = 0; i < 32; ++i) {
    const Bytes number = start(k.session);
    require(!all_zero(number), "a random number, not all-zero", "16 zero bytes");
    require(seen.insert(key_from(number)).second, "every Start returns a different number",
            "Start #" + std::to_string(i + 1) + " repeated an earlier number " + hex(number));
  }
  return pass();
}

Verdict start_size(Env& env) {
  Keyed k(env.device());
  for (UINT size : {0u, 15u, 17u, 32u}) {
    Bytes buffer(64, 0xAB);
    const std::string what = "StartSessionKeyRefresh with RandomNumberSize " + std::to_string(size);
    expect_hr(k.session.start_refresh_raw(buffer.data(), size), E_INVALIDARG, what);
    require(buffer == Bytes(64, 0xAB), what + " leaves the buffer untouched", "bytes written");
    expect_hr(k.session.finish_refresh(), k.session.device().code(Refusal::kWrongState),
              "FinishSessionKeyRefresh after the rejected Start (nothing stored)");
  }
  require_key(k.session, *k.surface, kTestKey, 1, "the old key");
  return pass();
}

Verdict start_null_buffer(Env& env) {
  Keyed k(env.device());
  for (UINT size : {16u, 0u}) {
    expect_hr(k.session.start_refresh_raw(nullptr, size), E_INVALIDARG,
              "StartSessionKeyRefresh with pRandomNumber = NULL, RandomNumberSize " +
                  std::to_string(size));
    expect_hr(k.session.finish_refresh(), k.session.device().code(Refusal::kWrongState),
              "FinishSessionKeyRefresh after the rejected Start (nothing stored)");
  }
  require_key(k.session, *k.surface, kTestKey, 1, "the old key");
  return pass();
}

// A refused Start (A2) leaves an earlier pending number in force.
Verdict start_reject_keeps_pending(Env& env) {
  struct Row {
    UINT size;
    bool null_buffer;
  };
  constexpr Row kRows[] = {{0, false}, {15, false}, {17, false}, {32, false}, {16, true},
                           {0, true}};
  Keyed k(env.device());
  std::uint32_t seed = 1;
  for (const Row& row : kRows) {
    const Bytes number = start(k.session);
    Bytes buffer(64, 0xAB);
    const std::string what = std::string("StartSessionKeyRefresh with ") +
                             (row.null_buffer ? "pRandomNumber = NULL, " : "") +
                             "RandomNumberSize " + std::to_string(row.size);
    expect_hr(k.session.start_refresh_raw(row.null_buffer ? nullptr : buffer.data(), row.size),
              E_INVALIDARG, what + " while a number is pending");
    require(buffer == Bytes(64, 0xAB), what + " leaves the buffer untouched", "bytes written");
    expect_hr(k.session.finish_refresh(), S_OK,
              "FinishSessionKeyRefresh of the number pending before the refused " + what);
    k.session.app_apply(number);
    require_key(k.session, *k.surface, k.session.app_key(), seed++,
                "old key XOR the number pending before the refused " + what);
  }
  return pass();
}

Verdict start_twice_latest_wins(Env& env) {
  Keyed k(env.device());
  const Bytes first = start(k.session);
  const Bytes second = start(k.session, "a second StartSessionKeyRefresh");
  require(first != second, "two different numbers", "the same number twice");
  expect_hr(k.session.finish_refresh(), S_OK, "FinishSessionKeyRefresh");
  require_key(k.session, *k.surface, xor_keys(kTestKey, second), 1, "old key XOR latest r");
  require_not_key(k.session, *k.surface, xor_keys(kTestKey, first), 2, "old key XOR first r");
  require_not_key(k.session, *k.surface, xor_keys(xor_keys(kTestKey, first), second), 3,
                  "old key XOR both numbers");
  expect_hr(k.session.finish_refresh(), k.session.device().code(Refusal::kWrongState),
            "a second FinishSessionKeyRefresh (one Finish per pending number)");
  return pass();
}

Verdict finish_without_start(Env& env) {
  Keyed k(env.device());
  expect_hr(k.session.finish_refresh(), k.session.device().code(Refusal::kWrongState),
            "FinishSessionKeyRefresh with nothing pending");
  require_key(k.session, *k.surface, kTestKey, 1, "the unchanged key");
  return pass();
}

Verdict second_finish_rejected(Env& env) {
  Keyed k(env.device());
  expect_hr(k.session.refresh(), S_OK, "Start + Finish");
  expect_hr(k.session.finish_refresh(), k.session.device().code(Refusal::kWrongState), "a second FinishSessionKeyRefresh");
  require_key(k.session, *k.surface, k.session.app_key(), 1, "the once-refreshed key");
  return pass();
}

Verdict before_key_exchange(Env& env) {
  Device& device = env.device();
  require_caps(device, D3DCPCAPS_FRESHENSESSIONKEY, kRefreshCaps);
  Session session(device, kTestKey, Session::Exchange::kNo);
  Bytes buffer(16, 0xAB);
  expect_hr(session.start_refresh_raw(buffer.data(), 16), session.device().code(Refusal::kWrongState),
            "StartSessionKeyRefresh before any key exchange");
  require(buffer == Bytes(16, 0xAB), "the buffer untouched", "bytes written");
  expect_hr(session.finish_refresh(), session.device().code(Refusal::kWrongState),
            "FinishSessionKeyRefresh before any key exchange");
  expect_hr(session.rekey(kTestKey), S_OK, "CryptoSessionKeyExchange");
  expect_hr(session.finish_refresh(), session.device().code(Refusal::kWrongState),
            "FinishSessionKeyRefresh after the exchange (nothing was stored)");
  if ((device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACK) != 0) {
    session.fetch_readback_key();
    auto surface = Surface::small_protected(device);
    require_key(session, *surface, kTestKey, 1, "the exchanged key");
  }
  return pass();
}

void expect_refresh_not_available(Device& device) {
  Session session(device, kTestKey);
  const bool verify = (device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACK) != 0;
  if (verify) {
    session.fetch_readback_key();
  }
  Bytes buffer(16, 0xAB);
  expect_hr(session.start_refresh_raw(buffer.data(), 16), session.device().code(Refusal::kCapOff),
            "StartSessionKeyRefresh without FRESHENSESSIONKEY");
  require(buffer == Bytes(16, 0xAB), "the buffer untouched", "bytes written");
  expect_hr(session.finish_refresh(), session.device().code(Refusal::kCapOff),
            "FinishSessionKeyRefresh without FRESHENSESSIONKEY");
  if (verify) {
    auto surface = Surface::small_protected(device);
    require_key(session, *surface, kTestKey, 1, "the unchanged key");
  }
}

Verdict not_available_when_off(Env& env) {
  DeviceWithout off(env, D3DCPCAPS_FRESHENSESSIONKEY, "FRESHENSESSIONKEY");
  expect_refresh_not_available(off.device());
  return pass();
}

Verdict old_then_new_key_ordering(Env& env) {
  Keyed k(env.device());
  auto late = Surface::small_protected(k.device);
  const std::size_t len = k.session.surface_bytes(*k.surface);
  const Bytes frame1 = pattern_bytes(len, 71);
  const Bytes frame2 = pattern_bytes(len, 72);
  const Bytes number = start(k.session);
  expect_hr(k.session.upload(*k.surface, frame1, kTestKey), S_OK,
            "DecryptionBlt under the old key between Start and Finish");
  expect_hr(k.session.finish_refresh(), S_OK, "FinishSessionKeyRefresh");
  k.session.app_apply(number);
  expect_hr(k.session.upload(*late, frame2, k.session.app_key()), S_OK,
            "DecryptionBlt under the new key after Finish");
  const Bytes early_back = k.session.download(*k.surface);
  require(early_back == frame1, "the blt called before Finish used the old key",
          first_difference(early_back, frame1));
  const Bytes late_back = k.session.download(*late);
  require(late_back == frame2, "the blt called after Finish used the new key",
          first_difference(late_back, frame2));
  return pass();
}

// The same rule with the blts still in flight: 8 blts before Finish and 8 after it, every source
// written before the first blt and kept alive, and no call in between that a queued driver would
// have to wait on (no Lock, no destroy) — so an asynchronous driver must order Finish by call time.
Verdict in_flight_ordering(Env& env) {
  Keyed k(env.device());
  constexpr std::uint32_t kPerKey = 8;
  const std::size_t len = k.session.surface_bytes(*k.surface);
  struct Blt {
    std::unique_ptr<Surface> source;
    std::unique_ptr<Surface> destination;
    Bytes plain;
    Iv iv;
  };
  const Bytes number = start(k.session);
  const Key new_key = xor_keys(kTestKey, number);
  std::vector<Blt> blts;
  for (std::uint32_t i = 0; i < 2 * kPerKey; ++i) {
    Blt blt;
    blt.source = Surface::system_memory(k.device, static_cast<UINT>(len));
    blt.destination = Surface::small_protected(k.device);
    blt.plain = pattern_bytes(len, 80 + i);
    blt.iv = k.session.next_iv();
    k.device.write_surface(blt.source->handle(), ctr(i < kPerKey ? kTestKey : new_key, blt.iv,
                                                      blt.plain));
    blts.push_back(std::move(blt));
  }
  auto submit = [&](Blt& blt, const char* what) {
    expect_hr(k.session.decryption_blt(BltArgs{.source = blt.source->handle(),
                                               .destination = blt.destination->handle(),
                                               .size = static_cast<UINT>(len),
                                               .iv = blt.iv.data()}),
              S_OK, what);
  };
  for (std::uint32_t i = 0; i < kPerKey; ++i) {
    submit(blts[i], "DecryptionBlt under the old key, before Finish");
  }
  expect_hr(k.session.finish_refresh(), S_OK, "FinishSessionKeyRefresh with 8 blts in flight");
  k.session.app_apply(number);
  for (std::uint32_t i = kPerKey; i < 2 * kPerKey; ++i) {
    submit(blts[i], "DecryptionBlt under the new key, after Finish");
  }
  for (std::uint32_t i = 0; i < 2 * kPerKey; ++i) {
    const Bytes back = k.session.download(*blts[i].destination);
    require(back == blts[i].plain,
            i < kPerKey ? "a blt called before Finish used the old key although it was in flight"
                        : "a blt called after Finish used the new key",
            "blt " + std::to_string(i) + ": " + first_difference(back, blts[i].plain));
  }
  return pass();
}

Verdict content_key_uses_current_key(Env& env) {
  constexpr Key kContentKey = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  Keyed k(env.device());
  require_caps(k.device, D3DCPCAPS_CONTENTKEY, "CONTENTKEY");
  const std::size_t len = k.session.surface_bytes(*k.surface);
  const Bytes number = start(k.session);
  const Bytes frame1 = pattern_bytes(len, 74);
  Iv iv = k.session.next_iv();
  Key wrapped = ecb_wrap(kTestKey, kContentKey);
  expect_hr(k.session.decryption_blt(k.surface->handle(), ctr(kContentKey, iv, frame1), iv,
                                     nullptr, wrapped.data()),
            S_OK, "DecryptionBlt, content key wrapped under the old key, before Finish");
  Bytes back = k.session.download(*k.surface);
  require(back == frame1, "the content key unwrapped with the old key before Finish",
          first_difference(back, frame1));
  expect_hr(k.session.finish_refresh(), S_OK, "FinishSessionKeyRefresh");
  k.session.app_apply(number);
  const Bytes frame2 = pattern_bytes(len, 75);
  iv = k.session.next_iv();
  // Still wrapped under the old key: unwraps to another key, so the bytes come out wrong.
  expect_hr(k.session.decryption_blt(k.surface->handle(), ctr(kContentKey, iv, frame2), iv,
                                     nullptr, wrapped.data()),
            S_OK, "DecryptionBlt, content key wrapped under the old key, after Finish");
  back = k.session.download(*k.surface);
  require(back != frame2, "a content key wrapped under the old key no longer unwraps right",
          "the frame decrypted: the old session key still unwraps content keys");
  iv = k.session.next_iv();
  wrapped = ecb_wrap(k.session.app_key(), kContentKey);
  expect_hr(k.session.decryption_blt(k.surface->handle(), ctr(kContentKey, iv, frame2), iv,
                                     nullptr, wrapped.data()),
            S_OK, "DecryptionBlt, content key wrapped under the new key, after Finish");
  back = k.session.download(*k.surface);
  require(back == frame2, "the content key unwrapped with the new key after Finish",
          first_difference(back, frame2));
  return pass();
}

Verdict readback_key_unaffected(Env& env) {
  Keyed k(env.device());
  require_caps(k.device, D3DCPCAPS_ENCRYPTEDREADBACKKEY, "ENCRYPTEDREADBACKKEY");
  const Bytes frame = pattern_bytes(k.session.surface_bytes(*k.surface), 76);
  expect_hr(k.session.upload(*k.surface, frame, kTestKey), S_OK, "DecryptionBlt");
  for (int i = 0; i < 3; ++i) {
    expect_hr(k.session.refresh(), S_OK, "Start + Finish");
  }
  // The read-back key fetched before the refreshes still decrypts the read-back.
  const Bytes back = k.session.download(*k.surface);
  require(back == frame, "EncryptionBlt still uses the read-back key minted before (A20)",
          first_difference(back, frame));
  return pass();
}

Verdict exchange_discards_pending(Env& env) {
  Keyed k(env.device());
  const Bytes number = start(k.session);
  expect_hr(k.session.rekey(kOtherKey), S_OK, "CryptoSessionKeyExchange while a number is pending");
  k.session.fetch_readback_key();
  expect_hr(k.session.finish_refresh(), k.session.device().code(Refusal::kWrongState),
            "FinishSessionKeyRefresh after the exchange (the number was discarded)");
  require_key(k.session, *k.surface, kOtherKey, 1, "the newly exchanged key");
  require_not_key(k.session, *k.surface, xor_keys(kOtherKey, number), 2, "new key XOR r");
  expect_hr(k.session.refresh(), S_OK, "a new Start + Finish on the new key");
  require_key(k.session, *k.surface, k.session.app_key(), 3, "the new key refreshed");
  return pass();
}

Verdict destroy_discards_pending(Env& env) {
  Device& device = env.device();
  require_caps(device, D3DCPCAPS_FRESHENSESSIONKEY, kRefreshCaps);
  HANDLE dead = nullptr;
  {
    Session doomed(device, kTestKey);
    start(doomed);
    dead = doomed.handle();
    expect_hr(doomed.destroy(), S_OK, "DestroyCryptoSession while a number is pending");
  }
  expect_hr(device.finish_refresh(dead), E_INVALIDARG,
            "FinishSessionKeyRefresh on the destroyed session");
  Keyed fresh(device);  // most likely in the destroyed session's slot
  expect_hr(fresh.session.finish_refresh(), fresh.session.device().code(Refusal::kWrongState),
            "FinishSessionKeyRefresh on a new session (nothing pending)");
  require_key(fresh.session, *fresh.surface, kTestKey, 1, "the new session's exchanged key");
  return pass();
}

Verdict session_independence(Env& env) {
  Keyed a(env.device());
  Keyed b(env.device());
  const Bytes number = start(a.session, "StartSessionKeyRefresh on session A");
  expect_hr(b.session.finish_refresh(), b.session.device().code(Refusal::kWrongState),
            "FinishSessionKeyRefresh on session B after a Start on A");
  require_key(b.session, *b.surface, kTestKey, 1, "B's unchanged key");
  require_key(a.session, *a.surface, kTestKey, 4, "A's key, unchanged until A's Finish");
  expect_hr(a.session.finish_refresh(), S_OK, "FinishSessionKeyRefresh on session A");
  require_key(a.session, *a.surface, xor_keys(kTestKey, number), 2, "A's key XOR r");
  require_key(b.session, *b.surface, kTestKey, 3, "B's key, unchanged by A's refresh");
  return pass();
}

Verdict device_independence(Env& env) {
  Keyed k(env.device());
  Device other(k.device.adapter());
  const Bytes number = start(k.session);
  expect_hr(other.finish_refresh(k.session.handle()), E_INVALIDARG,
            "FinishSessionKeyRefresh through another device");
  Bytes buffer(16, 0xAB);
  expect_hr(other.start_refresh(k.session.handle(), buffer.data(), 16), E_INVALIDARG,
            "StartSessionKeyRefresh through another device");
  require(buffer == Bytes(16, 0xAB), "the buffer untouched", "bytes written");
  require_key(k.session, *k.surface, kTestKey, 1, "the unchanged key");
  expect_hr(k.session.finish_refresh(), S_OK, "FinishSessionKeyRefresh on the own device");
  require_key(k.session, *k.surface, xor_keys(kTestKey, number), 2,
              "old key XOR the number still pending");
  return pass();
}

Verdict iv_history_restarts(Env& env) {
  Keyed k(env.device());
  const std::size_t len = k.session.surface_bytes(*k.surface);
  const Iv iv = make_iv(300);
  const Bytes first = pattern_bytes(len, 81);
  expect_hr(k.session.decryption_blt(k.surface->handle(), ctr(kTestKey, iv, first), iv), S_OK,
            "DecryptionBlt with IV 300");
  const Bytes number = start(k.session);
  expect_hr(k.session.decryption_blt(k.surface->handle(), ctr(kTestKey, iv, Bytes(len, 0)), iv),
            E_INVALIDARG, "the same IV after Start only (same key)");
  Bytes back = k.session.download(*k.surface);
  require(back == first, "the refused blt leaves the surface as it was",
          first_difference(back, first));
  expect_hr(k.session.finish_refresh(), S_OK, "FinishSessionKeyRefresh");
  k.session.app_apply(number);
  const Bytes second = pattern_bytes(len, 82);
  expect_hr(k.session.decryption_blt(k.surface->handle(), ctr(k.session.app_key(), iv, second),
                                     iv),
            S_OK, "the same IV under the new key after Finish");
  back = k.session.download(*k.surface);
  require(back == second, "the frame under the new key", first_difference(back, second));
  expect_hr(k.session.decryption_blt(k.surface->handle(), ctr(k.session.app_key(), iv, first),
                                     iv),
            E_INVALIDARG, "a replay of that IV under the new key");
  back = k.session.download(*k.surface);
  require(back == second, "the refused replay leaves the surface as it was",
          first_difference(back, second));
  return pass();
}

Verdict ten_thousand_in_step(Env& env) {
  constexpr int kRefreshes = 10000;
  Keyed k(env.device());
  std::set<Key> numbers;
  for (int i = 1; i <= kRefreshes; ++i) {
    const std::string at = " at refresh " + std::to_string(i);
    Bytes number;
    if (const HRESULT hr = k.session.start_refresh(&number); hr != S_OK) {
      fail("StartSessionKeyRefresh succeeds every time", hr_text(hr) + at);
    }
    if (const HRESULT hr = k.session.finish_refresh(); hr != S_OK) {
      fail("FinishSessionKeyRefresh succeeds every time", hr_text(hr) + at);
    }
    k.session.app_apply(number);
    require(numbers.insert(key_from(number)).second, "no number repeats", hex(number) + at);
    if (i == 1 || i % 100 == 0) {
      require_key(k.session, *k.surface, k.session.app_key(), static_cast<std::uint32_t>(i),
                  "the app's model after refresh " + std::to_string(i));
    }
  }
  require(k.session.app_key() != kTestKey, "a key other than the original", "the original key");
  require_not_key(k.session, *k.surface, kTestKey, 1, "the original key");
  return pass();
}

// A read-back key minted between Start and Finish is wrapped under the session key current at
// its call, the old one; one minted after Finish under the new one.
Verdict readback_key_between_start_and_finish(Env& env) {
  Keyed k(env.device());
  require_caps(k.device, D3DCPCAPS_ENCRYPTEDREADBACKKEY, "ENCRYPTEDREADBACKKEY");
  const Bytes frame = pattern_bytes(k.session.surface_bytes(*k.surface), 73);
  expect_hr(k.session.upload(*k.surface, frame, kTestKey), S_OK, "DecryptionBlt");
  const Bytes number = start(k.session);
  Key wrapped{};
  expect_hr(k.session.get_encryption_blt_key(&wrapped), S_OK,
            "GetEncryptionBltKey between Start and Finish");
  k.session.set_readback_key(ecb_unwrap(kTestKey, wrapped));
  Bytes back = k.session.download(*k.surface);
  require(back == frame, "the read-back key minted before Finish wrapped under the old key",
          first_difference(back, frame));
  expect_hr(k.session.finish_refresh(), S_OK, "FinishSessionKeyRefresh");
  k.session.app_apply(number);
  expect_hr(k.session.get_encryption_blt_key(&wrapped), S_OK, "GetEncryptionBltKey after Finish");
  k.session.set_readback_key(ecb_unwrap(k.session.app_key(), wrapped));
  back = k.session.download(*k.surface);
  require(back == frame, "the read-back key minted after Finish wrapped under the new key",
          first_difference(back, frame));
  return pass();
}

// Sessions on devices of two adapters: a Start on one is not the other's; each refreshes alone.
Verdict two_adapters_independent(Env& env) {
  Keyed a(env.device());
  Adapter second_adapter(env.driver());
  Device second(second_adapter);
  Keyed b(second);
  const Bytes number = start(a.session, "StartSessionKeyRefresh on session A");
  expect_hr(b.session.finish_refresh(), b.session.device().code(Refusal::kWrongState),
            "FinishSessionKeyRefresh on session B (another adapter) after a Start on A");
  expect_hr(b.session.refresh(), S_OK, "Start + Finish on session B");
  expect_hr(a.session.finish_refresh(), S_OK, "FinishSessionKeyRefresh on session A");
  a.session.app_apply(number);
  require_key(a.session, *a.surface, a.session.app_key(), 1, "A's key XOR A's number");
  require_key(b.session, *b.surface, b.session.app_key(), 2, "B's key XOR B's number");
  require(a.session.app_key() != b.session.app_key(), "two different refreshed keys",
          "the same key on both adapters");
  return pass();
}

// A counter, a timestamp or a constant half passes every distinctness check; 4096 numbers
// whose bits are not balanced show it (§4.8: the number is random; cpddi draws CSPRNG bytes).
Verdict start_bits_balanced(Env& env) {
  Keyed k(env.device());
  std::vector<Key> numbers(4096);
  for (Key& number : numbers) {
    number = key_from(start(k.session));
  }
  require_bits_balanced(numbers, "Start's number");
  return pass();
}

// Numbers from sessions on one device, on a second device and on a device of a second adapter:
// none repeats another, so a generator that restarts its sequence per session, per device or per
// adapter is caught (§4.8: each number is fresh randomness, not a per-object sequence).
Verdict start_random_across_objects(Env& env) {
  constexpr int kStartsPerSession = 4;
  require_caps(env.device(), D3DCPCAPS_FRESHENSESSIONKEY, kRefreshCaps);
  ObjectsAcrossDevices across(env);
  require_caps(across.other_adapter_device(), D3DCPCAPS_FRESHENSESSIONKEY,
               "FRESHENSESSIONKEY on a second adapter");
  std::map<Key, std::string> seen;  // number → where it was returned
  std::vector<std::unique_ptr<Session>> sessions;  // all alive at once: five distinct objects
  for (const ObjectsAcrossDevices::Object& object : across.objects()) {
    Session& session = *sessions.emplace_back(std::make_unique<Session>(object.device, kTestKey));
    for (int i = 1; i <= kStartsPerSession; ++i) {
      const std::string where = std::string(object.name) + ", Start #" + std::to_string(i);
      const Bytes number = start(session, "StartSessionKeyRefresh (" + where + ")");
      require(!all_zero(number), "a random number, not all-zero", "16 zero bytes from " + where);
      const auto [it, inserted] = seen.emplace(key_from(number), where);
      require(inserted, "no number repeats across sessions, devices and adapters",
              where + " returned " + hex(number) + ", as " + it->second + " did");
    }
  }
  return pass();
}

constexpr Case kCases[] = {
    {"refresh.finish-applies-xor",
     "after Finish the key is old XOR r: content under old^r decrypts right, under old not",
     "§4.9, §7.3", finish_applies_xor},
    {"refresh.start-changes-nothing", "Start alone leaves the session key as it was", "§4.8, A6",
     start_changes_nothing},
    {"refresh.start-random", "two Starts return different numbers (and not all-zero)", "§4.8",
     start_random},
    {"refresh.start-size",
     "RandomNumberSize != 16 (0, 15, 17, 32) → E_INVALIDARG, nothing stored, buffer untouched",
     "§4.8, A2", start_size},
    {"refresh.start-null-buffer",
     "pRandomNumber = NULL (size 16 or 0) → E_INVALIDARG, nothing stored",
     "§4.8, A2", start_null_buffer},
    {"refresh.start-reject-keeps-pending",
     "a refused Start (bad size, null buffer) keeps an earlier pending number for Finish", "A2",
     start_reject_keeps_pending},
    {"refresh.start-twice-latest-wins",
     "a second Start replaces the first; Finish applies only the latest, once",
     "A1", start_twice_latest_wins},
    {"refresh.finish-without-start",
     "Finish with nothing pending → D3DDDIERR_INVALIDCALL, key unchanged", "§4.9, A3",
     finish_without_start},
    {"refresh.second-finish-rejected",
     "a second Finish after one Start → D3DDDIERR_INVALIDCALL, key unchanged", "A3",
     second_finish_rejected},
    {"refresh.before-key-exchange",
     "Start and Finish before any key exchange → D3DDDIERR_INVALIDCALL, nothing stored", "A4",
     before_key_exchange},
    {"refresh.not-available-when-off",
     "without FRESHENSESSIONKEY both Start and Finish → D3DDDIERR_NOTAVAILABLE", "§4.8, A5",
     not_available_when_off},
    {"refresh.old-then-new-key-ordering",
     "a blt called before Finish uses the old key, one called after it the new", "A6",
     old_then_new_key_ordering},
    {"refresh.in-flight-ordering",
     "with 16 blts in flight, those called before Finish use the old key, after it the new",
     "A6", in_flight_ordering},
    {"refresh.content-key-uses-current-key",
     "content keys are unwrapped with the session key current at the blt's call", "A6, §7.2",
     content_key_uses_current_key},
    {"refresh.readback-key-unaffected", "a refresh does not change the read-back key", "A20",
     readback_key_unaffected},
    {"refresh.exchange-discards-pending",
     "a key exchange discards a pending number: a later Finish → INVALIDCALL", "A7",
     exchange_discards_pending},
    {"refresh.destroy-discards-pending",
     "Destroy with a number pending kills the handle; a new session has nothing pending", "A7",
     destroy_discards_pending},
    {"refresh.session-independence",
     "Start on session A then Finish on session B → INVALIDCALL on B; A's and B's keys unchanged",
     "A8", session_independence},
    {"refresh.device-independence",
     "Start/Finish through another device → E_INVALIDARG; the pending number survives", "A8, §4",
     device_independence},
    {"refresh.iv-history-restarts",
     "IV bookkeeping restarts after Finish (not after Start alone)", "A11", iv_history_restarts},
    {"refresh.ten-thousand-in-step",
     "10,000 refreshes keep the app's key model and the driver in step, no number repeating",
     "§4.8, §4.9, §7.3", ten_thousand_in_step},
    {"refresh.readback-key-between-start-and-finish",
     "a read-back key minted between Start and Finish is wrapped under the old session key",
     "A6, §7.2", readback_key_between_start_and_finish},
    {"refresh.start-bits-balanced",
     "over 4096 Starts every bit of the number is 1 about half the time (within 6 sigma)",
     "§4.8", start_bits_balanced},
    {"refresh.start-random-across-objects",
     "numbers from sessions on one device, two devices and two adapters never repeat",
     "§4.8, §7.3", start_random_across_objects},
    {"refresh.two-adapters-independent",
     "sessions on two adapters refresh independently; Start on one is not pending on the other",
     "A8", two_adapters_independent},
};

}  // namespace

std::span<const Case> refresh_cases() { return kCases; }

}  // namespace cpddi::conform
