// GetCaps with fuzzed Type, pInfo contents, DataSize and null pointers (spec §3, A34, A35).
// Input: [profile] then fuzz_get_caps's input (get_caps_call.h), whose invariants it checks.
#include <cstdint>

#include "get_caps_call.h"

using namespace cpddi::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader in(data, size);
  const Adapter& a = adapter_from_byte(in.u8());
  FuzzDevice device(a);  // its handle is a wrong-kind adapter handle
  fuzz_get_caps(a, device.handle(), in);
  return 0;
}
