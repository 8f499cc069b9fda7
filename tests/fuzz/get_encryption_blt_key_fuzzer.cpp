// GetEncryptionBltKey with fuzzed KeySize, null buffer, session state and an injected random
// generator failure (spec §4.7, §7.2, A19–A21).
// Input (read_key_output_input): [profile] [state] [KeySize choice (+ raw)] [null buffer]
//        [null struct] [RNG failure] [session key bytes].
// Invariants: only documented codes; exactly the model's outcome; on success the returned key,
// unwrapped with the app's session key, decrypts the next EncryptionBlt; on failure the buffer is
// untouched and an earlier read-back key stays in force.
#include <cstdint>
#include <optional>

#include "conform/session.h"
#include "fuzz_support.h"

using namespace cpddi::fuzz;

namespace {

constexpr std::size_t kUploadBytes = 128;  // a 16×2 X8R8G8B8 surface

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader in(data, size);
  const KeyOutputInput input = read_key_output_input(in, {16, 16, 16, 0, 15, 17, 32, 8});
  const Adapter& a = *input.adapter;
  const cpddi::fuzz::Key& session_key = input.session_key;

  KeyOutputSession target(input);
  const cpddi::conform::Device& device = target.device;
  std::optional<cpddi::fuzz::Key> earlier_readback;
  if (input.state == KeyOutputState::kKeyedWithEarlier && a.has(D3DCPCAPS_ENCRYPTEDREADBACKKEY)) {
    cpddi::fuzz::Key wrapped{};
    must_succeed(target.session.get_encryption_blt_key(&wrapped), "the first GetEncryptionBltKey");
    earlier_readback = ecb_unwrap(session_key, wrapped);
  }
  target.destroy_when_asked();

  const Expected e = expect_key_output(
      !input.null_struct && input.state != KeyOutputState::kDestroyed,
      a.has(D3DCPCAPS_ENCRYPTEDREADBACKKEY), input.buffer, target.keyed());
  const KeyOutput answer = call_key_output(
      "GetEncryptionBltKey", input.buffer, documented::kGetEncryptionBltKey, e,
      [&](std::uint8_t* buffer) {
        return input.null_struct
                   ? device.call_with_null_arguments(
                         cpddi::conform::DeviceEntry::kGetEncryptionBltKey)
                   : device.get_encryption_blt_key(target.handle, buffer, input.buffer.size);
      });

  std::optional<cpddi::fuzz::Key> in_force = earlier_readback;
  if (answer.hr == S_OK) {
    in_force = ecb_unwrap(session_key, answer.value);
  }
  if (in_force) {
    const cpddi::conform::Surface surface(device, D3DDDIFMT_X8R8G8B8, 16, 2,
                                          D3DDDIPOOL_VIDEOMEMORY, true);
    const Bytes plain = pattern_bytes(kUploadBytes, static_cast<std::uint32_t>(size));
    must_succeed(target.session.upload(surface, plain, session_key), "upload: DecryptionBlt");
    target.session.set_readback_key(*in_force);
    HRESULT hr = E_FAIL;
    const Bytes back = target.session.read_back(surface.handle(), kUploadBytes, &hr);
    must_succeed(hr, "read-back: EncryptionBlt");
    if (back != plain) {
      violation("EncryptionBlt did not use the read-back key GetEncryptionBltKey handed out");
    }
  }
  return 0;
}
