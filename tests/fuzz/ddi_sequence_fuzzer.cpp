// The stateful fuzzer (CONVENTIONS §9, BoringSSL's fuzz/ssl_ctx_api.cc): the input is a profile
// byte then a sequence of calls, one byte choosing each from the table in ddi_sequence_calls.cpp
// and the following bytes its arguments. Each call checks its own invariants; the harness proves
// every keyed session's key at the end and destroys everything it made.
#include <cstdint>

#include "ddi_sequence_harness.h"

using namespace cpddi::fuzz;

namespace {
constexpr int kMaxCalls = 200;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader in(data, size);
  Harness h(adapter_from_byte(in.u8()));
  for (int i = 0; i < kMaxCalls && !in.empty(); ++i) {
    kCalls[in.u8() % kCallCount](h, in);
  }
  return 0;
}
