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

#include "fuzz_support.h"

using namespace cpddi::fuzz;

namespace {

constexpr cpddi::fuzz::Key kOldKey = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                      0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
constexpr std::size_t kMaxOaepPlaintext = 256 - 2 * 64 - 2;  // RSA-2048, SHA-512

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader in(data, size);
  const Adapter& a = adapter_from_byte(in.u8());
  ScopedDevice device(a);
  HANDLE session = device.create_session();
  const bool keyed_before = in.flag();
  if (keyed_before) {
    device.exchange_key(session, kOldKey);
  }

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
      blob = oaep_wrap(a, plain);
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
      blob = oaep_wrap(a, new_key);
      blob[position % blob.size()] ^= mask == 0 ? 1 : mask;
      break;
    }
    default: {
      std::uint16_t new_size = in.u16() % 1024;
      if (new_size == 256) {
        new_size = 257;
      }
      new_key = in.array<16>();
      blob = oaep_wrap(a, new_key);
      blob.resize(new_size, in.u8());
      break;
    }
  }

  D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE args{session, static_cast<UINT>(blob.size()),
                                          null_data || blob.empty() ? nullptr : blob.data()};
  if (blob.empty() && !null_data) {
    static std::uint8_t empty_buffer[1];
    args.pData = empty_buffer;  // DataSize 0 with a real pointer
  }
  const HRESULT hr = device.funcs().pfnCryptoSessionKeyExchange(device.handle(), &args);
  Expected expected;
  expected.add_if(!valid || null_data, E_INVALIDARG);
  check_result("CryptoSessionKeyExchange", hr, documented::kKeyExchange, expected);

  if (hr == S_OK) {
    prove_key(device, session, new_key, 1, "key exchange accepted");
  } else if (keyed_before) {
    prove_key(device, session, kOldKey, 1, "key exchange rejected: old key kept");
  } else {
    prove_no_key(device, session, "key exchange rejected: still no key");
  }
  device.destroy_session(session);
  return 0;
}
