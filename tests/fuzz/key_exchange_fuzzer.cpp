// CryptoSessionKeyExchange with fuzzed blobs and DataSize (spec §4.2, §7.5, A7, A25).
// Input: [profile] [keyed-before] [mode] then mode-specific bytes:
//   0 raw:       DataSize (u16), null-pointer flag, the blob bytes
//   1 wrap:      the app OAEP-encrypts the rest of the input (≤ 126 bytes) → S_OK iff 16 bytes
//   2 corrupt:   a valid wrap of a 16-byte key with one byte XORed at a chosen position
//   3 resize:    a valid wrap cut or extended to a chosen DataSize ≠ 256
// Invariants: only documented codes; exactly the model's outcome; on success the driver's key is
// the app's key; on failure the session keeps its old key (or still has none).
#include <algorithm>
#include <cstdint>

#include "conform/session.h"
#include "fuzz_support.h"

using namespace cpddi::fuzz;

namespace {

constexpr std::size_t kMaxOaepPlaintext = 256 - 2 * 64 - 2;  // RSA-2048, SHA-512

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader in(data, size);
  const Adapter& a = adapter_from_byte(in.u8());
  FuzzDevice device(a);
  const bool keyed_before = in.flag();
  cpddi::conform::Session session(device, kTestKey,
                                  keyed_before ? cpddi::conform::Session::Exchange::kYes
                                               : cpddi::conform::Session::Exchange::kNo);

  Bytes blob;
  bool null_data = false;
  bool valid = false;
  cpddi::fuzz::Key new_key{};
  switch (in.below(4)) {
    case 0: {
      blob = in.bytes(in.u16() % 1024);
      null_data = in.flag();
      break;
    }
    case 1: {
      std::span<const std::uint8_t> plain = in.rest();
      plain = plain.first(std::min(plain.size(), kMaxOaepPlaintext));
      blob = a.conform().wrap_session_key(plain);
      valid = plain.size() == 16;
      if (valid) {
        std::copy(plain.begin(), plain.end(), new_key.begin());
      }
      break;
    }
    case 2: {
      const std::size_t position = in.u8();
      std::uint8_t mask = in.u8();
      new_key = in.array<16>();
      blob = a.conform().wrap_session_key(new_key);
      blob[position % blob.size()] ^= mask == 0 ? 1 : mask;
      break;
    }
    default: {
      std::uint16_t new_size = in.u16() % 1024;
      if (new_size == 256) {
        new_size = 257;
      }
      new_key = in.array<16>();
      blob = a.conform().wrap_session_key(new_key);
      blob.resize(new_size, in.u8());
      break;
    }
  }

  // DataSize 0 goes with a real pointer unless null_data.
  const HRESULT hr = session.exchange_blob(blob, null_data);
  Expected expected;
  expected.add_if(!valid || null_data, E_INVALIDARG);
  check_result("CryptoSessionKeyExchange", hr, documented::kKeyExchange, expected);

  if (hr == S_OK) {
    prove_key(device, session.handle(), new_key, 1, "key exchange accepted");
  } else if (keyed_before) {
    prove_key(device, session.handle(), kTestKey, 1, "key exchange rejected: old key kept");
  } else {
    prove_no_key(device, session.handle(), "key exchange rejected: still no key");
  }
  must_succeed(session.destroy(), "DestroyCryptoSession of a live session");
  return 0;
}
