// The partial-encryption map (src/session/block_pattern.h, spec §7.4, §9 A17). apply_block_pattern
// is checked against an independent closed-form model of §7.4: byte p is encrypted iff
// p < E0, or (E > 0 and (S == 0 or (p − E0) mod (S + E) ≥ S)); an encrypted byte is XORed with
// the keystream byte whose index is the number of encrypted bytes before it.
#include <cstdint>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/aes.h"
#include "session/block_pattern.h"

namespace cpddi::session {
namespace {

using Bytes = std::vector<std::uint8_t>;

const crypto::Aes128Key& key() {
  static const std::array<std::uint8_t, 16> bytes = {0x7c, 0x5c, 0xb2, 0x40, 0x1b, 0x3d, 0xc3, 0x3c,
                                                     0x19, 0xe7, 0x34, 0x08, 0x19, 0xe0, 0xf6, 0x9c};
  static const crypto::Aes128Key k{std::span<const std::uint8_t, 16>(bytes)};
  return k;
}

// Count far from the 2^64 wrap, so these tests see only the map; the wrap has its own test below.
const crypto::CounterBlock kBlock = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a,
                                     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05};

bool model_encrypted(const BlockPattern& p, std::uint64_t pos) {
  if (pos < p.encrypted_at_beginning) {
    return true;
  }
  if (p.encrypt == 0) {
    return false;
  }
  if (p.skip == 0) {
    return true;
  }
  const std::uint64_t period = std::uint64_t{p.skip} + p.encrypt;
  return (pos - p.encrypted_at_beginning) % period >= p.skip;
}

Bytes keystream(std::size_t len, const crypto::CounterBlock& block = kBlock) {
  Bytes zeros(len, 0);
  Bytes ks(len, 0);
  EXPECT_TRUE(crypto::aes128_ctr_xor(key(), block, zeros, ks));
  return ks;
}

Bytes model_apply(const std::optional<BlockPattern>& p, const Bytes& in,
                  const crypto::CounterBlock& block = kBlock) {
  const Bytes ks = keystream(in.size(), block);
  Bytes out(in.size());
  std::size_t k = 0;
  for (std::size_t pos = 0; pos < in.size(); ++pos) {
    const bool encrypted = !p || model_encrypted(*p, pos);
    out[pos] = encrypted ? static_cast<std::uint8_t>(in[pos] ^ ks[k++]) : in[pos];
  }
  return out;
}

bool model_uniform(const BlockPattern& p, std::uint64_t len) {
  std::uint64_t encrypted = 0;
  for (std::uint64_t pos = 0; pos < len; ++pos) {
    encrypted += model_encrypted(p, pos) ? 1 : 0;
  }
  return encrypted == 0 || encrypted == len;
}

Bytes input(std::size_t len) {
  Bytes in(len);
  std::uint32_t x = 12345;  // fixed seed
  for (std::uint8_t& b : in) {
    x = x * 1103515245u + 12345u;
    b = static_cast<std::uint8_t>(x >> 16);
  }
  return in;
}

Bytes cpddi_apply(const std::optional<BlockPattern>& p, const Bytes& in,
                  const crypto::CounterBlock& block = kBlock) {
  Result<crypto::CtrKeystream> stream = crypto::CtrKeystream::create(key(), block);
  EXPECT_TRUE(stream);
  Bytes out(in.size(), 0xEE);
  if (stream) {
    Result<void> r = apply_block_pattern(p, *stream, in.data(), out.data(), 0, in.size());
    EXPECT_TRUE(r);
  }
  return out;
}

// ---- apply_block_pattern ----

TEST(ApplyBlockPatternTest, NoPatternEncryptsEverything) {
  for (std::size_t len : {0u, 1u, 15u, 16u, 17u, 100u, 256u}) {
    const Bytes in = input(len);
    EXPECT_EQ(cpddi_apply(std::nullopt, in), model_apply(std::nullopt, in)) << "len " << len;
  }
}

TEST(ApplyBlockPatternTest, MatchesTheModelOverManyShapes) {
  const std::uint32_t e0s[] = {0, 1, 15, 16, 17, 100, 256, 300};
  const std::uint32_t skips[] = {0, 1, 7, 16, 20};
  const std::uint32_t encrypts[] = {0, 1, 2, 15, 16, 33};
  const std::size_t lens[] = {0, 1, 15, 16, 17, 64, 100, 257};
  int checked = 0;
  for (std::size_t len : lens) {
    const Bytes in = input(len);
    for (std::uint32_t e0 : e0s) {
      for (std::uint32_t s : skips) {
        for (std::uint32_t e : encrypts) {
          const BlockPattern p{e0, s, e};
          ASSERT_EQ(cpddi_apply(p, in), model_apply(p, in))
              << "E0=" << e0 << " S=" << s << " E=" << e << " len=" << len;
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 8 * 5 * 6 * 8);
}

// Buffers of several hundred KiB: apply_block_pattern works chunk by chunk (a bulk copy, then
// the encrypted runs XORed with one keystream call per chunk), so runs cross chunk boundaries
// and dense maps shrink the chunk; applied whole, and in stripes that start mid-run as a striped
// blt's do, the result must still be the model's.
TEST(ApplyBlockPatternTest, MatchesTheModelAcrossChunksAndStripes) {
  const BlockPattern patterns[] = {{0, 144, 16},  {100, 48, 32}, {0, 1, 33},
                                   {40000, 7, 9}, {3, 5000, 70000}, {0, 16, 0}};
  const Bytes in = input((std::size_t{300} << 10) + 7);
  for (const BlockPattern& p : patterns) {
    const Bytes want = model_apply(p, in);
    ASSERT_EQ(cpddi_apply(p, in), want)
        << "whole: E0=" << p.encrypted_at_beginning << " S=" << p.skip << " E=" << p.encrypt;
    Bytes striped(in.size(), 0xEE);
    const std::size_t cuts[] = {0, 1000, 70001, 131072, 200000, in.size()};
    for (std::size_t i = 0; i + 1 < std::size(cuts); ++i) {
      Result<crypto::CtrKeystream> stream =
          crypto::CtrKeystream::create(key(), kBlock, encrypted_bytes_before(p, cuts[i]));
      ASSERT_TRUE(stream);
      ASSERT_TRUE(apply_block_pattern(p, *stream, in.data(), striped.data(), cuts[i], cuts[i + 1]));
    }
    EXPECT_EQ(striped, want) << "stripes: E0=" << p.encrypted_at_beginning << " S=" << p.skip
                             << " E=" << p.encrypt;
  }
}

TEST(ApplyBlockPatternTest, WorksInPlace) {
  for (const BlockPattern p : {BlockPattern{3, 5, 7}, BlockPattern{0, 16, 16},
                               BlockPattern{100, 0, 0}, BlockPattern{17, 0, 9}}) {
    Bytes buffer = input(257);
    const Bytes expected = model_apply(p, buffer);
    Result<crypto::CtrKeystream> stream = crypto::CtrKeystream::create(key(), kBlock);
    ASSERT_TRUE(stream);
    ASSERT_TRUE(apply_block_pattern(p, *stream, buffer.data(), buffer.data(), 0, buffer.size()));
    EXPECT_EQ(buffer, expected) << p.encrypted_at_beginning << "," << p.skip << "," << p.encrypt;
  }
}

TEST(ApplyBlockPatternTest, SpecExampleHundredZeroZero) {
  const Bytes in = input(256);
  const Bytes out = cpddi_apply(BlockPattern{100, 0, 0}, in);
  const Bytes ks = keystream(100);
  for (std::size_t i = 0; i < 100; ++i) {
    ASSERT_EQ(out[i], in[i] ^ ks[i]) << i;
  }
  EXPECT_EQ(Bytes(out.begin() + 100, out.end()), Bytes(in.begin() + 100, in.end()));
}

TEST(ApplyBlockPatternTest, SpecExampleHundredTwentyTwo) {
  // (100, 20, 2): 100 encrypted, then 20 clear / 2 encrypted repeating; keystream contiguous.
  const Bytes in = input(200);
  const Bytes out = cpddi_apply(BlockPattern{100, 20, 2}, in);
  const Bytes ks = keystream(110);
  EXPECT_EQ(out[99], in[99] ^ ks[99]);
  EXPECT_EQ(out[100], in[100]);
  EXPECT_EQ(out[119], in[119]);
  EXPECT_EQ(out[120], in[120] ^ ks[100]);
  EXPECT_EQ(out[121], in[121] ^ ks[101]);
  EXPECT_EQ(out[122], in[122]);
  EXPECT_EQ(out[142], in[142] ^ ks[102]);
  EXPECT_EQ(out[199], in[199]);  // 199 = 100 + 4·22 + 11: in a clear run
}

TEST(ApplyBlockPatternTest, LeadingRunLongerThanTheBufferIsTruncated) {
  const Bytes in = input(50);
  EXPECT_EQ(cpddi_apply(BlockPattern{1000, 3, 4}, in), model_apply(std::nullopt, in));
}

TEST(ApplyBlockPatternTest, KeystreamIsNotConsumedByClearBytes) {
  // (0, 5, 11): the first encrypted byte (position 5) takes keystream byte 0.
  const Bytes in(32, 0);
  const Bytes out = cpddi_apply(BlockPattern{0, 5, 11}, in);
  const Bytes ks = keystream(22);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 5), Bytes(5, 0));
  EXPECT_EQ(Bytes(out.begin() + 5, out.begin() + 16), Bytes(ks.begin(), ks.begin() + 11));
  EXPECT_EQ(Bytes(out.begin() + 16, out.begin() + 21), Bytes(5, 0));
  EXPECT_EQ(Bytes(out.begin() + 21, out.end()), Bytes(ks.begin() + 11, ks.begin() + 22));
}

TEST(ApplyBlockPatternTest, EncryptedRunEndingExactlyAtTheCountWrapContinuesAtIvZero) {
  // Count = 2^64 − 2: keystream bytes [0, 32) come from Count FF…FE and FF…FF, byte 32 onwards
  // from IV || 0 (spec §9 A10). With (32, 16, 16) the first encrypted run ends exactly at the
  // wrap and the next run must start at IV || 0. (The one-shot model keystream is itself checked
  // against explicit counter blocks in crypto/aes_ctr_test.cpp.)
  const crypto::CounterBlock near_wrap = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2a,
                                          0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe};
  const Bytes in = input(256);
  for (const BlockPattern p : {BlockPattern{32, 16, 16}, BlockPattern{16, 16, 16},
                               BlockPattern{0, 8, 32}}) {
    EXPECT_EQ(cpddi_apply(p, in, near_wrap), model_apply(p, in, near_wrap))
        << p.encrypted_at_beginning << "," << p.skip << "," << p.encrypt;
  }
}

// ---- is_uniform (A17) ----

struct UniformCase {
  BlockPattern pattern;
  std::uint64_t len;
  bool uniform;
};

TEST(IsUniformTest, TruthTable) {
  const UniformCase cases[] = {
      // all clear
      {{0, 0, 0}, 256, true},
      {{0, 20, 0}, 256, true},
      // all encrypted
      {{256, 0, 0}, 256, true},   // E0 == len
      {{300, 7, 9}, 256, true},   // E0 > len
      {{0, 0, 16}, 256, true},    // S == 0, E > 0
      {{5, 0, 1}, 256, true},
      // mixed
      {{100, 0, 0}, 256, false},  // doc example 1 over a longer buffer
      {{100, 20, 2}, 256, false},
      {{0, 16, 16}, 256, false},
      {{255, 0, 0}, 256, false},  // one clear byte at the end
      {{1, 5, 0}, 256, false},
      // empty buffer: trivially uniform
      {{0, 16, 16}, 0, true},
      {{100, 20, 2}, 0, true},
  };
  for (const UniformCase& c : cases) {
    const BlockPattern& p = c.pattern;
    ASSERT_EQ(model_uniform(p, c.len), c.uniform)  // the table itself agrees with the model
        << p.encrypted_at_beginning << "," << p.skip << "," << p.encrypt << " len " << c.len;
    EXPECT_EQ(is_uniform(p, c.len), c.uniform)
        << p.encrypted_at_beginning << "," << p.skip << "," << p.encrypt << " len " << c.len;
  }
}

TEST(IsUniformTest, SkipRunCoveringTheWholeBufferIsAllClear) {
  // (0, S, E) with S ≥ len never reaches an encrypted byte: every byte of the buffer is clear,
  // which is what block_pattern.h promises is_uniform reports.
  const BlockPattern p{0, 300, 16};
  ASSERT_TRUE(model_uniform(p, 256));
  EXPECT_EQ(cpddi_apply(p, input(256)), input(256));  // apply agrees: nothing decrypted
  EXPECT_TRUE(is_uniform(p, 256));
}

TEST(IsUniformTest, AgreesWithTheModelExhaustivelyOnSmallShapes) {
  for (std::uint32_t e0 = 0; e0 <= 10; ++e0) {
    for (std::uint32_t s = 0; s <= 10; ++s) {
      for (std::uint32_t e = 0; e <= 4; ++e) {
        for (std::uint64_t len = 0; len <= 12; ++len) {
          const BlockPattern p{e0, s, e};
          if (e0 == 0 && s >= len && e > 0 && len > 0) {
            continue;  // the (0, S ≥ len, E) family has its own test above
          }
          ASSERT_EQ(is_uniform(p, len), model_uniform(p, len))
              << "E0=" << e0 << " S=" << s << " E=" << e << " len=" << len;
        }
      }
    }
  }
}

}  // namespace
}  // namespace cpddi::session
