// StartSessionKeyRefresh with fuzzed RandomNumberSize, null buffer, session state and an injected
// random generator failure, followed by FinishSessionKeyRefresh (spec §4.8, §4.9, A1–A6).
// Input (read_key_output_input): [profile] [state] [RandomNumberSize choice (+ raw)] [null buffer]
//        [null struct] [RNG failure] [session key bytes].
// Invariants: only documented codes; exactly the model's outcome; a failed Start writes nothing
// and stores nothing (A2: a pending number stays pending); after Finish the driver's key is the
// app's key XOR the number it was handed.
#include <cstdint>

#include "ddi_model.h"
#include "fuzz_support.h"

using namespace cpddi::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader in(data, size);
  const KeyOutputInput input = read_key_output_input(in, {16, 16, 16, 0, 15, 17, 32, 1});
  const Adapter& a = *input.adapter;

  KeyOutputSession target(input);
  const FuzzDevice& device = target.device;
  SessionModel model;
  const bool refresh = a.has(D3DCPCAPS_FRESHENSESSIONKEY);
  if (target.keyed()) {
    model.new_key(input.session_key);
  }
  if (input.state == KeyOutputState::kKeyedWithEarlier && refresh) {
    cpddi::fuzz::Key number{};
    must_succeed(target.session.start_refresh_raw(number.data(), 16),
                 "the first StartSessionKeyRefresh");
    model.pending = number;
  }
  target.destroy_when_asked();

  const Expected e = expect_key_output(
      !input.null_struct && input.state != KeyOutputState::kDestroyed, refresh, input.buffer,
      model.keyed);
  const KeyOutput answer = call_key_output(
      "StartSessionKeyRefresh", input.buffer, documented::kStartRefresh, e,
      [&](std::uint8_t* buffer) {
        return input.null_struct
                   ? device.call_with_null_arguments(
                         cpddi::conform::DeviceEntry::kStartSessionKeyRefresh)
                   : device.start_refresh(target.handle, buffer, input.buffer.size);
      });
  if (answer.hr == S_OK) {
    const cpddi::fuzz::Key& number = answer.value;
    if (number == cpddi::fuzz::Key{} || (model.pending && *model.pending == number)) {
      violation("StartSessionKeyRefresh handed out an all-zero or repeated number");
    }
    model.pending = number;  // A1: replaces a pending one
  }
  if (input.state == KeyOutputState::kDestroyed) {
    return 0;
  }

  Expected fe;
  fe.add_if(!refresh, D3DDDIERR_NOTAVAILABLE);
  fe.add_if(refresh && (!model.keyed || !model.pending), D3DDDIERR_INVALIDCALL);
  const HRESULT fhr = device.finish_refresh(target.handle);
  check_result("FinishSessionKeyRefresh", fhr, documented::kFinishRefresh, fe);
  if (fhr == S_OK) {
    model.finish_refresh();
  }
  if (model.keyed) {
    prove_key(device, target.handle, model.key, 1, "the key after Start and Finish");
  } else {
    prove_no_key(device, target.handle, "no key after Start and Finish");
  }
  return 0;
}
