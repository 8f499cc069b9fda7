// StartSessionKeyRefresh with fuzzed RandomNumberSize, null buffer, session state and an injected
// random generator failure, followed by FinishSessionKeyRefresh (spec §4.8, §4.9, A1–A6).
// Input: [profile] [state] [RandomNumberSize choice (+ raw)] [null buffer] [null struct]
//        [RNG failure] [session key bytes].
// Invariants: only documented codes; exactly the model's outcome; a failed Start writes nothing
// and stores nothing (A2: a pending number stays pending); after Finish the driver's key is the
// app's key XOR the number it was handed.
#include <cstdint>

#include "ddi_model.h"
#include "fuzz_support.h"

using namespace cpddi::fuzz;

namespace {

enum class State { kNoKey, kKeyed, kKeyedWithPending, kDestroyed, kCount };

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader in(data, size);
  const KeyOutputInput input = read_key_output_input(
      in, static_cast<std::uint32_t>(State::kCount), {16, 16, 16, 0, 15, 17, 32, 1});
  const Adapter& a = *input.adapter;
  const auto state = static_cast<State>(input.state);

  ScopedDevice device(a);
  HANDLE session = device.create_session();
  SessionModel model;
  const bool refresh = a.has(D3DCPCAPS_FRESHENSESSIONKEY);
  if (state != State::kNoKey && state != State::kDestroyed) {
    device.exchange_key(session, input.session_key);
    model.new_key(input.session_key);
  }
  if (state == State::kKeyedWithPending && refresh) {
    cpddi::fuzz::Key number{};
    D3DDDIARG_STARTSESSIONKEYREFRESH first{session, number.data(), 16};
    if (HRESULT hr = device.funcs().pfnStartSessionKeyRefresh(device.handle(), &first);
        hr != S_OK) {
      violation("the first StartSessionKeyRefresh returned %s", cpddi_hresult_name(hr));
    }
    model.pending = number;
  }
  if (state == State::kDestroyed) {
    device.destroy_session(session);
  }

  Expected e;
  if (input.null_struct || state == State::kDestroyed) {
    e.add(E_INVALIDARG);
  } else {
    e.add_if(!refresh, D3DDDIERR_NOTAVAILABLE);
    e.add_if(input.null_buffer || input.size != 16, E_INVALIDARG);
    e.add_if(!model.keyed, D3DDDIERR_INVALIDCALL);
    e.add_if(input.rng_fails, E_FAIL);
  }
  const KeyOutput answer = call_key_output(
      "StartSessionKeyRefresh", input, documented::kStartRefresh, e, [&](std::uint8_t* buffer) {
        D3DDDIARG_STARTSESSIONKEYREFRESH args{session, buffer, input.size};
        return device.funcs().pfnStartSessionKeyRefresh(device.handle(),
                                                        input.null_struct ? nullptr : &args);
      });
  if (answer.hr == S_OK) {
    const cpddi::fuzz::Key& number = answer.value;
    if (number == cpddi::fuzz::Key{} || (model.pending && *model.pending == number)) {
      violation("StartSessionKeyRefresh handed out an all-zero or repeated number");
    }
    model.pending = number;  // A1: replaces a pending one
  }
  if (state == State::kDestroyed) {
    return 0;
  }

  D3DDDIARG_FINISHSESSIONKEYREFRESH finish{session};
  Expected fe;
  fe.add_if(!refresh, D3DDDIERR_NOTAVAILABLE);
  fe.add_if(refresh && (!model.keyed || !model.pending), D3DDDIERR_INVALIDCALL);
  const HRESULT fhr = device.funcs().pfnFinishSessionKeyRefresh(device.handle(), &finish);
  check_result("FinishSessionKeyRefresh", fhr, documented::kFinishRefresh, fe);
  if (fhr == S_OK) {
    model.finish_refresh();
  }
  if (model.keyed) {
    prove_key(device, session, model.key, 1, "the key after Start and Finish");
  } else {
    prove_no_key(device, session, "no key after Start and Finish");
  }
  device.destroy_session(session);
  return 0;
}
