#pragma once

// AES-128 in the two shapes the DDI uses: CTR keystreams (spec §7.1) and single-block ECB key
// wrapping of content and read-back keys (spec §7.2).

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "base/result.h"
#include "crypto/secret_bytes.h"

namespace cpddi::crypto {

// The 16-byte AES-CTR counter block exactly as D3DAES_CTR_IV stores it: bytes 0–7 are IV,
// bytes 8–15 are Count, both big-endian (spec §7.1). Public data.
using CounterBlock = std::array<std::uint8_t, kAesBlockLen>;

// A running AES-128-CTR keystream. Block i uses IV || BE64(Count + i mod 2^64): Count wraps
// without carrying into IV (spec §9 A10), where OpenSSL's 128-bit counter would carry, so the
// stream re-keys the counter at the 2^64 boundary. apply() continues mid-block where the last
// call stopped, which the partial-encryption map needs (spec §7.4).
class CtrKeystream {
 public:
  static Result<CtrKeystream> create(const Aes128Key& key, const CounterBlock& counter_block);
  // The same keystream positioned `offset` bytes in, as if that many bytes had been applied:
  // how a stripe of a large buffer starts at its own block (and byte within it).
  static Result<CtrKeystream> create(const Aes128Key& key, const CounterBlock& counter_block,
                                     std::uint64_t offset);
  CtrKeystream(CtrKeystream&&) noexcept;
  CtrKeystream& operator=(CtrKeystream&&) noexcept;
  ~CtrKeystream();

  // out[i] = in[i] ^ next keystream byte, for `len` bytes; in and out may be the same buffer.
  Result<void> apply(const std::uint8_t* in, std::uint8_t* out, std::size_t len);

 private:
  struct State;
  explicit CtrKeystream(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// The two counter steps a CTR stream takes besides OpenSSL's per-block increment, each alone in
// its own object file (ctr_advance.cpp, ctr_wrap.cpp) so that a faulty driver can replace one at
// link time (tests/faulty/ctr_*.cpp). Both are called once per stream or per wrap, never per
// block.
// The counter block `blocks` blocks after `block`: IV unchanged, Count + blocks mod 2^64 (A10).
CounterBlock ctr_advance(const CounterBlock& block, std::uint64_t blocks);
// The block a stream from `first_block` continues at once Count has wrapped: IV || 0 (A10).
CounterBlock ctr_block_at_wrap(const CounterBlock& first_block);

// One-shot CTR over a whole buffer from `counter_block`.
Result<void> aes128_ctr_xor(const Aes128Key& key, const CounterBlock& counter_block,
                            std::span<const std::uint8_t> in, std::span<std::uint8_t> out);

// AES-128-ECB of one block, no padding (spec §7.2): wrap = encrypt under `kek`, unwrap = decrypt.
Result<std::array<std::uint8_t, kAesBlockLen>> wrap_key(const Aes128Key& kek,
                                                        const Aes128Key& key);
Result<Aes128Key> unwrap_key(const Aes128Key& kek,
                             std::span<const std::uint8_t, kAesBlockLen> wrapped);

}  // namespace cpddi::crypto
