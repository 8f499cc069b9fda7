#pragma once

// Shared pieces of the fuzz targets (CONVENTIONS §9): an input byte reader, the documented
// HRESULTs of every entry point (include/cpddi/d3dddi_cp9.h), a check that traps on anything else,
// and the adapters of three option profiles (opened once per process: each makes an RSA-2048 key).
// The client side is conform's harness (conform/harness.h, session.h: adapters, devices, surfaces,
// sessions, the certificate and the OAEP key wrap) and conform/app_side.h (the application's
// arithmetic). A harness call that must succeed may throw conform::Failure: uncaught, it aborts
// the run like a trap, so libFuzzer saves the input; calls the fuzzer checks against its model
// return their HRESULT.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "conform/app_side.h"
#include "conform/harness.h"
#include "conform/session.h"
#include "cpddi/cpddi.h"

namespace cpddi::fuzz {

using namespace conform::app_side;  // Bytes, Key, Iv and the application-side arithmetic

// Reads the fuzz input front to back; past the end every read returns zeros.
class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  std::uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint16_t u16();
  std::uint32_t u32();
  std::uint64_t u64();
  bool flag() { return (u8() & 1) != 0; }
  // A value in [0, n) from one byte (n ≤ 256).
  std::uint32_t below(std::uint32_t n) { return n == 0 ? 0 : u8() % n; }
  // `n` bytes (zero-padded past the end).
  Bytes bytes(std::size_t n);
  template <std::size_t N>
  std::array<std::uint8_t, N> array() {
    // One copy of what is left (zeros past the end): a loop of u8() calls made GCC 12 at -O3 warn
    // falsely of a 16-byte write into 15 bytes (-Wstringop-overflow on the vectorised loop).
    std::array<std::uint8_t, N> out{};
    const std::size_t available = pos_ < size_ ? std::min(N, size_ - pos_) : 0;
    std::copy_n(data_ + pos_, available, out.begin());
    pos_ += available;
    return out;
  }
  // The rest of the input.
  std::span<const std::uint8_t> rest();

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// Out-of-range enum values. A C caller may store any 32-bit value in an enum field; the driver must
// read such fields as integers (ddi/enum_value.h), since loading them as C++ enums is undefined
// behaviour for values outside the enum's range, which UBSan (-fsanitize=enum) reports: the first
// run of get_caps_fuzzer found `switch (pData->Type)` in GetCaps. Set to false to keep raw values
// within each enum's range (`bits` wide) if a driver under test still loads them as enums.
inline constexpr bool kOutOfRangeEnums = true;
inline std::uint32_t raw_enum(std::uint32_t value, unsigned bits) {
  return kOutOfRangeEnums ? value : value & ((1u << bits) - 1);
}

// A handle made of fuzz bytes that names no live object: when the value carries one of cpddi's
// handle kind tags (src/runtime/registry.h: kind << 56 | generation << 32 | index + 1), the top
// generation bit is set, a generation never reached, so it stays a stale handle of that kind.
inline HANDLE not_a_live_handle(std::uint64_t value) {
  const auto kind = static_cast<std::uint8_t>(value >> 56);
  if (kind == 0xA1 || kind == 0xD3 || kind == 0xC5 || kind == 0x5E) {
    value |= std::uint64_t{1} << 55;
  }
  return reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(value));
}

// Prints "cpddi fuzz invariant violated: …" and traps, so libFuzzer saves the input.
[[noreturn]] void violation(const char* format, ...) __attribute__((format(printf, 1, 2)));

// The HRESULTs each entry point's comment in d3dddi_cp9.h documents.
namespace documented {
inline constexpr HRESULT kOpenAdapter[] = {S_OK, E_INVALIDARG, E_OUTOFMEMORY, E_FAIL};
inline constexpr HRESULT kCloseAdapter[] = {S_OK, E_INVALIDARG};
inline constexpr HRESULT kFlush[] = {S_OK, E_INVALIDARG, E_FAIL};
inline constexpr HRESULT kGetCaps[] = {S_OK, E_INVALIDARG, D3DDDIERR_NOTAVAILABLE,
                                       D3DDDIERR_UNSUPPORTEDCRYPTO};
inline constexpr HRESULT kCreateDevice[] = {S_OK, E_INVALIDARG, E_OUTOFMEMORY};
inline constexpr HRESULT kCreateResource[] = {S_OK, E_INVALIDARG, E_OUTOFMEMORY,
                                              D3DDDIERR_OUTOFHWPROTECTEDMEMORY};
inline constexpr HRESULT kDestroyResource[] = {S_OK, E_INVALIDARG};
inline constexpr HRESULT kLock[] = {S_OK, D3DDDIERR_INVALIDCALL, E_INVALIDARG};
inline constexpr HRESULT kUnlock[] = {S_OK, D3DDDIERR_INVALIDCALL, E_INVALIDARG};
inline constexpr HRESULT kDestroyDevice[] = {S_OK, E_INVALIDARG};
inline constexpr HRESULT kChannel[] = {S_OK, E_INVALIDARG, E_OUTOFMEMORY, E_FAIL,
                                       D3DDDIERR_NOTAVAILABLE};
inline constexpr HRESULT kCreateCryptoSession[] = {S_OK, E_INVALIDARG, D3DDDIERR_NOTAVAILABLE,
                                                   D3DDDIERR_UNSUPPORTEDCRYPTO, E_OUTOFMEMORY};
inline constexpr HRESULT kKeyExchange[] = {S_OK, E_INVALIDARG, E_OUTOFMEMORY, E_FAIL};
inline constexpr HRESULT kDestroyCryptoSession[] = {S_OK, E_INVALIDARG};
inline constexpr HRESULT kEncryptionBlt[] = {S_OK, D3DDDIERR_NOTAVAILABLE, D3DDDIERR_INVALIDCALL,
                                             E_INVALIDARG, E_FAIL};
inline constexpr HRESULT kGetPitch[] = {S_OK, E_INVALIDARG};
inline constexpr HRESULT kStartRefresh[] = {S_OK, E_INVALIDARG, D3DDDIERR_INVALIDCALL,
                                            D3DDDIERR_NOTAVAILABLE, E_FAIL};
inline constexpr HRESULT kFinishRefresh[] = {S_OK, D3DDDIERR_INVALIDCALL, D3DDDIERR_NOTAVAILABLE,
                                             E_INVALIDARG};
inline constexpr HRESULT kGetEncryptionBltKey[] = {S_OK, D3DDDIERR_NOTAVAILABLE,
                                                   D3DDDIERR_INVALIDCALL, E_INVALIDARG, E_FAIL};
inline constexpr HRESULT kDecryptionBlt[] = {S_OK, D3DDDIERR_INVALIDCALL, E_INVALIDARG, E_FAIL};
}  // namespace documented

// The set of errors the application's model says a call may fail with; empty = must succeed.
class Expected {
 public:
  void add(HRESULT hr);
  void add_if(bool condition, HRESULT hr) {
    if (condition) {
      add(hr);
    }
  }
  bool must_succeed() const { return count_ == 0; }
  bool contains(HRESULT hr) const;

 private:
  std::array<HRESULT, 8> codes_{};
  std::size_t count_ = 0;
};

// Traps unless `hr` is one of `allowed` (the documented codes of `entry`).
void check_documented(const char* entry, HRESULT hr, std::span<const HRESULT> allowed);
// check_documented, then traps unless `hr` is S_OK when `expected` is empty, or one of
// `expected` otherwise.
void check_result(const char* entry, HRESULT hr, std::span<const HRESULT> allowed,
                  const Expected& expected);

// Adapter option profiles, each opened once per process and never closed.
enum class Profile : std::uint8_t {
  kDefaults = 0,        // every caps bit, monotonic IV check
  kSessionKeyReadback,  // no ENCRYPTEDREADBACKKEY (read-back under the session key), IV check off
  kMinimal,             // every switchable cap off; 2 sessions, 6 resources, 4 KiB protected
};
inline constexpr std::uint32_t kProfileCount = 3;

// conform's adapter opened with a profile's options, and what the fuzzer's model reads of it.
struct Adapter {
  Profile profile;
  CPDDI_ADAPTER_OPTIONS options{};
  std::unique_ptr<conform::Adapter> opened;
  DWORD caps = 0;
  Bytes certificate;  // GETCERTIFICATE's bytes

  // The harness adapter: devices are made on it, and it wraps the app's keys (wrap_session_key:
  // RSAES-OAEP under the certificate's leaf key, any plaintext length OAEP allows).
  conform::Adapter& conform() const { return *opened; }
  HANDLE handle() const { return opened->handle(); }
  bool has(DWORD cap) const { return (caps & cap) != 0; }
  UINT max_sessions() const;
  UINT max_resources() const;
  ULONGLONG protected_memory() const;
  bool iv_check() const { return options.IvCheck == CPDDI_IV_CHECK_MONOTONIC; }
};

// The adapter of `profile`, opened on first use. Also silences the log.
const Adapter& adapter(Profile profile);
inline const Adapter& adapter_from_byte(std::uint8_t b) {
  return adapter(static_cast<Profile>(b % kProfileCount));
}

// A conform::Device on a profile's adapter. Its destruction is checked: DestroyDevice of a live
// device must succeed (a device destroyed through destroy() is not destroyed again).
class FuzzDevice : public conform::Device {
 public:
  explicit FuzzDevice(const Adapter& adapter)
      : conform::Device(adapter.conform()), profile_(adapter) {}
  ~FuzzDevice();
  const Adapter& profile() const { return profile_; }

 private:
  const Adapter& profile_;
};

// Traps unless `hr` is S_OK: calls of the targets' setup, proofs and cleanup, which must succeed.
void must_succeed(HRESULT hr, const char* what);
// CreateResource through the harness, trapping unless it succeeds.
HANDLE must_create_surface(const conform::Device& device, D3DDDIFORMAT format, UINT width,
                           UINT height, D3DDDI_POOL pool, bool restricted);

// What a key proof observed, for callers that model the session.
struct KeyProof {
  std::optional<Key> readback_key;  // the read-back key it fetched (ENCRYPTEDREADBACKKEY)
  std::optional<Iv> readback_iv;    // the IV its EncryptionBlt returned
};

// Proves that the driver's key of `session` equals `key` (traps otherwise): pattern bytes
// encrypted by the app under `key` with counter block make_iv(iv) go in through DecryptionBlt and
// come back out through EncryptionBlt (after a GetEncryptionBltKey when caps ask for one).
// Without ENCRYPTEDREADBACK only the DecryptionBlt's success is checked. `what` names the proof.
KeyProof prove_key(const FuzzDevice& device, HANDLE session, const Key& key, std::uint64_t iv,
                   const char* what);
// Traps unless DecryptionBlt on `session` returns D3DDDIERR_INVALIDCALL (no key yet).
void prove_no_key(const FuzzDevice& device, HANDLE session, const char* what);

// Runs `call` with the random generator failing from its first draw when `fail` (and working
// again afterwards).
HRESULT with_random_failure(bool fail, const std::function<HRESULT()>& call);

// How a call that writes one 16-byte value into the caller's buffer (GetEncryptionBltKey,
// StartSessionKeyRefresh) gets its buffer: the size it is told, a null buffer, and an injected
// random generator failure.
struct KeyOutputBuffer {
  UINT size = 0;
  bool null_buffer = false;
  bool rng_fails = false;
};

// The session state a key-output target calls in: no key yet, keyed, keyed after an earlier
// successful call of the same entry point (a read-back key handed out, a refresh number pending),
// or destroyed (the call gets its stale handle).
enum class KeyOutputState : std::uint8_t { kNoKey, kKeyed, kKeyedWithEarlier, kDestroyed };
inline constexpr std::uint32_t kKeyOutputStates = 4;

// The input of the targets for such an entry point: [profile] [state] [size choice (a raw
// 16-bit size follows when the next byte is >= 250)] [null buffer] [null struct] [RNG failure]
// [session key bytes].
struct KeyOutputInput {
  const Adapter* adapter = nullptr;
  KeyOutputState state = KeyOutputState::kNoKey;
  KeyOutputBuffer buffer;
  bool null_struct = false;
  Key session_key{};
};
KeyOutputInput read_key_output_input(ByteReader& in, const std::array<UINT, 8>& sizes);

// The device and crypto session of a key-output target: keyed with the input's session key
// unless the state is kNoKey or kDestroyed. `handle` is the session's handle, kept after
// destroy_when_asked(); a live session is destroyed (checked) with this object.
class KeyOutputSession {
 public:
  explicit KeyOutputSession(const KeyOutputInput& input);
  ~KeyOutputSession();
  KeyOutputSession(const KeyOutputSession&) = delete;
  KeyOutputSession& operator=(const KeyOutputSession&) = delete;
  // Destroys the session when the state is kDestroyed (after the earlier call, if any).
  void destroy_when_asked();
  bool keyed() const { return keyed_; }

  FuzzDevice device;
  conform::Session session;
  const HANDLE handle;

 private:
  const KeyOutputState state_;
  const bool keyed_;
};

// What a key-output call may return (spec §4.7, §4.8): E_INVALIDARG alone when its session or
// argument struct is unusable (`reachable` false); else NOTAVAILABLE without the entry point's
// cap (`cap`), E_INVALIDARG for a null buffer or a size other than 16, INVALIDCALL without a
// session key (`keyed`) and E_FAIL when the random generator fails.
Expected expect_key_output(bool reachable, bool cap, const KeyOutputBuffer& buffer, bool keyed);

// What a key-output call answered: its HRESULT and, on S_OK, the 16 bytes it wrote.
struct KeyOutput {
  HRESULT hr = E_FAIL;
  Key value{};
};
// Runs `call` (the entry point) on a buffer of `buffer.size` + 32 sentinel bytes — or on null
// when `buffer.null_buffer` — with the random generator failing when `buffer.rng_fails`; traps
// unless the result is documented for `entry` and one `expected` allows, or if the call wrote any
// byte but the 16 it answers with on S_OK.
KeyOutput call_key_output(const char* entry, const KeyOutputBuffer& buffer,
                          std::span<const HRESULT> allowed, const Expected& expected,
                          const std::function<HRESULT(std::uint8_t* buffer)>& call);

// One row's bytes before padding (wire/surface_layout.h's bytes per pixel; 4 for a format cpddi
// rejects) and the pitch of a driver-owned surface as cpddi chooses it (rounded up to 64, A16).
std::uint64_t row_bytes(std::uint32_t format, UINT width);
std::uint32_t driver_pitch(std::uint32_t format, UINT width);
inline std::uint64_t align16(std::uint64_t n) { return (n + 15) / 16 * 16; }

}  // namespace cpddi::fuzz
