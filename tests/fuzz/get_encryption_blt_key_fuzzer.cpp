// GetEncryptionBltKey with fuzzed KeySize, null buffer, session state and an injected random
// generator failure (spec §4.7, §7.2, A19–A21).
// Input: [profile] [state] [KeySize choice (+ raw)] [null buffer] [null struct] [RNG failure]
//        [session key bytes].
// Invariants: only documented codes; exactly the model's outcome; on success the returned key,
// unwrapped with the app's session key, decrypts the next EncryptionBlt; on failure the buffer is
// untouched and an earlier read-back key stays in force.
#include <cstdint>
#include <optional>

#include "fuzz_support.h"
#include "surface_decoder.h"

using namespace cpddi::fuzz;

namespace {

enum class State { kNoKey, kKeyed, kKeyedWithReadbackKey, kDestroyed, kCount };

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader in(data, size);
  const KeyOutputInput input = read_key_output_input(
      in, static_cast<std::uint32_t>(State::kCount), {16, 16, 16, 0, 15, 17, 32, 8});
  const Adapter& a = *input.adapter;
  const auto state = static_cast<State>(input.state);
  const cpddi::fuzz::Key& session_key = input.session_key;

  ScopedDevice device(a);
  HANDLE session = device.create_session();
  std::optional<cpddi::fuzz::Key> earlier_readback;
  std::uint64_t next_iv = 1;
  if (state != State::kNoKey && state != State::kDestroyed) {
    device.exchange_key(session, session_key);
  }
  if (state == State::kKeyedWithReadbackKey && a.has(D3DCPCAPS_ENCRYPTEDREADBACKKEY)) {
    cpddi::fuzz::Key wrapped{};
    D3DDDIARG_GETENCRYPTIONBLTKEY first{session, wrapped.data(), 16};
    if (HRESULT hr = device.funcs().pfnGetEncryptionBltKey(device.handle(), &first); hr != S_OK) {
      violation("the first GetEncryptionBltKey returned %s", cpddi_hresult_name(hr));
    }
    earlier_readback = ecb_unwrap(session_key, wrapped);
  }
  if (state == State::kDestroyed) {
    device.destroy_session(session);
  }

  Expected e;
  if (input.null_struct || state == State::kDestroyed) {
    e.add(E_INVALIDARG);
  } else {
    e.add_if(!a.has(D3DCPCAPS_ENCRYPTEDREADBACKKEY), D3DDDIERR_NOTAVAILABLE);
    e.add_if(input.null_buffer || input.size != 16, E_INVALIDARG);
    e.add_if(state == State::kNoKey, D3DDDIERR_INVALIDCALL);
    e.add_if(input.rng_fails, E_FAIL);
  }
  const KeyOutput answer = call_key_output(
      "GetEncryptionBltKey", input, documented::kGetEncryptionBltKey, e,
      [&](std::uint8_t* buffer) {
        D3DDDIARG_GETENCRYPTIONBLTKEY args{session, buffer, input.size};
        return device.funcs().pfnGetEncryptionBltKey(device.handle(),
                                                     input.null_struct ? nullptr : &args);
      });

  std::optional<cpddi::fuzz::Key> in_force = earlier_readback;
  if (answer.hr == S_OK) {
    in_force = ecb_unwrap(session_key, answer.value);
  }
  if (in_force) {
    const Bytes plain = pattern_bytes(kUploadBytes, static_cast<std::uint32_t>(size));
    HANDLE surface = upload(device, session, session_key, next_iv++, plain);
    if (read_back(device, session, session_key, surface, kUploadBytes, &*in_force) != plain) {
      violation("EncryptionBlt did not use the read-back key GetEncryptionBltKey handed out");
    }
    device.destroy_surface(surface);
  }
  if (state != State::kDestroyed) {
    device.destroy_session(session);
  }
  return 0;
}
