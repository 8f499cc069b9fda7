#pragma once

// The faults in AES-128-CTR counter arithmetic (spec §7.1, A10: Count wraps modulo 2^64 and
// never carries into IV). A faulty driver that lists faulty_ctr.cpp among its sources gets this
// module's CTR instead of src/crypto/aes.cpp's and defines kCtrCarry to say where it goes wrong.

namespace faulty {

enum class CtrCarry {
  // The whole counter block is one 128-bit number everywhere, as in plain OpenSSL CTR.
  kEverywhere,
  // Right within one stream, but a stream started `offset` bytes into a buffer (how a driver
  // splits a large buffer into pieces) adds offset/16 with the carry into IV.
  kPieceStartOnly,
};
extern const CtrCarry kCtrCarry;

}  // namespace faulty
