#pragma once

// Shared pieces of the fuzz targets (CONVENTIONS §9): an input byte reader, the documented
// HRESULTs of every entry point (include/cpddi/d3dddi_cp9.h), a check that traps on anything else,
// the adapters (opened once per process: each makes an RSA-2048 key) and the application's half of
// the protocol computed with cpddi::crypto. Every target drives the driver through the C ABI only.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "conform/app_side.h"
#include "cpddi/cpddi.h"
#include "crypto/rsa.h"

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
inline constexpr HRESULT kGetCaps[] = {S_OK, E_INVALIDARG, D3DDDIERR_NOTAVAILABLE,
                                       D3DDDIERR_UNSUPPORTEDCRYPTO};
inline constexpr HRESULT kCreateDevice[] = {S_OK, E_INVALIDARG, E_OUTOFMEMORY};
inline constexpr HRESULT kCreateResource[] = {S_OK, E_INVALIDARG, E_OUTOFMEMORY,
                                              D3DDDIERR_OUTOFHWPROTECTEDMEMORY};
inline constexpr HRESULT kDestroyResource[] = {S_OK, E_INVALIDARG};
inline constexpr HRESULT kLock[] = {S_OK, D3DDDIERR_INVALIDCALL, E_INVALIDARG};
inline constexpr HRESULT kUnlock[] = {S_OK, D3DDDIERR_INVALIDCALL, E_INVALIDARG};
inline constexpr HRESULT kDestroyDevice[] = {S_OK, E_INVALIDARG};
inline constexpr HRESULT kChannel[] = {D3DDDIERR_NOTAVAILABLE};
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

struct Adapter {
  Profile profile;
  HANDLE handle = nullptr;
  D3DDDI_ADAPTERFUNCS funcs{};
  DWORD caps = 0;
  CPDDI_ADAPTER_OPTIONS options{};
  UINT certificate_size = 0;
  Bytes certificate;  // GETCERTIFICATE's bytes
  const crypto::RsaPublicKey* leaf_key = nullptr;  // from the certificate, for the app's OAEP

  bool has(DWORD cap) const { return (caps & cap) != 0; }
  UINT max_sessions() const;
  UINT max_resources() const;
  ULONGLONG protected_memory() const;
  bool iv_check() const { return options.IvCheck == CPDDI_IV_CHECK_MONOTONIC; }
};

// The adapter of `profile`, opened on first use (traps if that fails). Also silences the log.
const Adapter& adapter(Profile profile);
inline const Adapter& adapter_from_byte(std::uint8_t b) {
  return adapter(static_cast<Profile>(b % kProfileCount));
}

// A device on an adapter, destroyed with its sessions and resources when it dies.
class ScopedDevice {
 public:
  explicit ScopedDevice(const Adapter& adapter);
  ~ScopedDevice();
  ScopedDevice(const ScopedDevice&) = delete;
  ScopedDevice& operator=(const ScopedDevice&) = delete;

  const Adapter& adapter() const { return adapter_; }
  HANDLE handle() const { return handle_; }
  const D3DDDI_DEVICEFUNCS& funcs() const { return funcs_; }
  // DestroyDevice now (checked); the destructor then does nothing.
  void destroy();
  // The device was destroyed by a call the caller made itself: the destructor does nothing.
  void mark_destroyed() { handle_ = nullptr; }

  // Helpers that trap unless the call succeeds.
  HANDLE create_session() const;
  void destroy_session(HANDLE session) const;
  HANDLE create_surface(D3DDDIFORMAT format, UINT width, UINT height, D3DDDI_POOL pool,
                        bool restricted) const;
  void destroy_surface(HANDLE surface) const;
  void write_surface(HANDLE surface, std::span<const std::uint8_t> bytes) const;
  Bytes read_surface(HANDLE surface, std::size_t len) const;
  // Exchanges `key` (OAEP-wrapped by the app) into `session`.
  void exchange_key(HANDLE session, const Key& key) const;

 private:
  const Adapter& adapter_;
  HANDLE handle_ = nullptr;
  D3DDDI_DEVICEFUNCS funcs_{};
};

// What a key proof observed, for callers that model the session.
struct KeyProof {
  std::optional<Key> readback_key;  // the read-back key it fetched (ENCRYPTEDREADBACKKEY)
  std::optional<Iv> readback_iv;    // the IV its EncryptionBlt returned
};

// Proves that the driver's key of `session` equals `key` (traps otherwise): pattern bytes
// encrypted by the app under `key` with counter block make_iv(iv) go in through DecryptionBlt and
// come back out through EncryptionBlt (after a GetEncryptionBltKey when caps ask for one).
// Without ENCRYPTEDREADBACK only the DecryptionBlt's success is checked. `what` names the proof.
KeyProof prove_key(const ScopedDevice& device, HANDLE session, const Key& key, std::uint64_t iv,
                   const char* what);
// Traps unless DecryptionBlt on `session` returns D3DDDIERR_INVALIDCALL (no key yet).
void prove_no_key(const ScopedDevice& device, HANDLE session, const char* what);

// The input of the targets for an entry point that writes one 16-byte value into the caller's
// buffer (GetEncryptionBltKey, StartSessionKeyRefresh): [profile] [state] [size choice (a raw
// 16-bit size follows when the next byte is >= 250)] [null buffer] [null struct] [RNG failure]
// [session key bytes].
struct KeyOutputInput {
  const Adapter* adapter = nullptr;
  std::uint32_t state = 0;  // the target's own state, in [0, num_states)
  UINT size = 0;
  bool null_buffer = false;
  bool null_struct = false;
  bool rng_fails = false;
  Key session_key{};
};
KeyOutputInput read_key_output_input(ByteReader& in, std::uint32_t num_states,
                                     const std::array<UINT, 8>& sizes);

// What a key-output call answered: its HRESULT and, on S_OK, the 16 bytes it wrote.
struct KeyOutput {
  HRESULT hr = E_FAIL;
  Key value{};
};
// Runs `call` (the entry point) on a buffer of `input.size` + 32 sentinel bytes — or on null when
// `input.null_buffer` — with the random generator failing when `input.rng_fails`; traps unless
// the result is documented for `entry` and one `expected` allows, or if the call wrote any byte
// but the 16 it answers with on S_OK.
KeyOutput call_key_output(const char* entry, const KeyOutputInput& input,
                          std::span<const HRESULT> allowed, const Expected& expected,
                          const std::function<HRESULT(std::uint8_t* buffer)>& call);

// The application's OAEP encryption under the adapter's certificate (the rest of its half is
// conform/app_side.h).
Bytes oaep_wrap(const Adapter& adapter, std::span<const std::uint8_t> plaintext);

// One row's bytes before padding (wire/surface_layout.h's bytes per pixel; 4 for a format cpddi
// rejects) and the pitch of a driver-owned surface as cpddi chooses it (rounded up to 64, A16).
std::uint64_t row_bytes(D3DDDIFORMAT format, UINT width);
std::uint32_t driver_pitch(D3DDDIFORMAT format, UINT width);
inline std::uint64_t align16(std::uint64_t n) { return (n + 15) / 16 * 16; }

}  // namespace cpddi::fuzz
