#pragma once

// The application's half of the protocol's arithmetic, computed with cpddi::crypto: CTR content
// encryption, the ECB key wrap of content and read-back keys, counter blocks, the refresh XOR and
// deterministic test content. One copy serves the conform cases, the GoogleTest fixtures
// (tests/support) and the fuzz targets (tests/fuzz), so all three model the application the same
// way. No GoogleTest here; an OpenSSL failure on the application's side (never the driver's)
// throws std::runtime_error, which each user reports as its own failure. Users bring the names
// in with `using namespace conform::app_side;`.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace cpddi::conform::app_side {

using Bytes = std::vector<std::uint8_t>;
using Key = std::array<std::uint8_t, 16>;
using Iv = std::array<std::uint8_t, 16>;  // D3DAES_CTR_IV bytes in memory order (big-endian)

// Two fixed session keys the suites use (any two distinct keys would do).
inline constexpr Key kTestKey = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
inline constexpr Key kOtherKey = {0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
                                  0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0};

// AES-128-CTR of `data` under `key` from counter block `iv` (spec §7.1).
Bytes ctr(const Key& key, const Iv& iv, std::span<const std::uint8_t> data);
// AES-128-ECB of one 16-byte key under `kek`, and back (content keys, read-back keys: §7.2).
Key ecb_wrap(const Key& kek, const Key& key);
Key ecb_unwrap(const Key& kek, const Key& wrapped);
// The counter block with IV field `iv` and Count field `count`, both big-endian (§7.1).
Iv make_iv(std::uint64_t iv, std::uint64_t count = 0);
std::uint64_t iv_field(const Iv& iv);
std::uint64_t count_field(const Iv& iv);
// `a` XOR the first 16 bytes of `b` (the refresh, §7.3).
Key xor_keys(const Key& a, std::span<const std::uint8_t> b);
// The first 16 bytes of `bytes` (zero-padded when shorter) as a Key: a refresh number as a
// fixed-size value, e.g. to collect numbers in a std::set (whose std::vector comparison GCC 12
// -O3 warns about falsely: -Wstringop-overread inside std::vector's operator<=>).
Key key_from(std::span<const std::uint8_t> bytes);
// A partial-encryption map (spec §7.4): D3DDDIENCRYPTED_BLOCK_INFO's three counts.
struct BlockMap {
  std::uint32_t encrypted_at_beginning;  // NumEncryptedBytesAtBeginning
  std::uint32_t skip;                    // NumBytesInSkipPattern
  std::uint32_t encrypt;                 // NumBytesInEncryptPattern
};
// Spec §7.4 and A17, literally: `in` with the encrypted runs of `map` XORed with consecutive bytes
// of `keystream` (the keystream position counts encrypted bytes only, so it continues across
// clear gaps, mid-block when a run is not a multiple of 16); runs are truncated at the end of
// `in`; E == 0 leaves the rest clear, S == 0 < E encrypts the rest. `keystream` is at least as
// long as `in`.
Bytes apply_block_map(std::span<const std::uint8_t> in, std::span<const std::uint8_t> keystream,
                      const BlockMap& map);
// One definite-length DER element (tag, content, header + content length) read from the start of
// `in`; nullopt when it is not well formed. Enough to walk a certificate container's outline.
struct DerElement {
  std::uint8_t tag = 0;
  std::span<const std::uint8_t> content;
  std::size_t total_len = 0;  // header + content
};
std::optional<DerElement> read_der(std::span<const std::uint8_t> in);
// `len` bytes of xorshift output seeded by `seed`: distinct content per seed, the same every run.
Bytes pattern_bytes(std::size_t len, std::uint32_t seed);

}  // namespace cpddi::conform::app_side
