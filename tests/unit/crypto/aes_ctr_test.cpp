// CtrKeystream and aes128_ctr_xor (src/crypto/aes.h, spec §7.1, §9 A10). The reference keystream
// is built here, independently, by AES-128-ECB over explicit counter blocks IV || BE64(Count + i)
// with 64-bit wrap-around, so the test also pins the "no carry into IV" rule.
#include "crypto/aes.h"

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include <openssl/evp.h>

#include <gtest/gtest.h>

namespace cpddi::crypto {
namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::array<std::uint8_t, 16> kKeyBytes = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                                    0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};

Aes128Key test_key() { return Aes128Key(std::span<const std::uint8_t, 16>(kKeyBytes)); }

CounterBlock counter_block(std::uint64_t iv, std::uint64_t count) {
  CounterBlock block{};
  for (int i = 0; i < 8; ++i) {
    block[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(iv >> (56 - 8 * i));
    block[static_cast<std::size_t>(8 + i)] = static_cast<std::uint8_t>(count >> (56 - 8 * i));
  }
  return block;
}

// `len` keystream bytes: ECB-encrypt IV || BE64(count + i mod 2^64) for i = 0, 1, …
Bytes reference_keystream(const std::array<std::uint8_t, 16>& key, std::uint64_t iv,
                          std::uint64_t count, std::size_t len) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      &EVP_CIPHER_CTX_free);
  EXPECT_EQ(EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_ecb(), nullptr, key.data(), nullptr), 1);
  EXPECT_EQ(EVP_CIPHER_CTX_set_padding(ctx.get(), 0), 1);
  Bytes out;
  for (std::uint64_t i = 0; out.size() < len; ++i) {
    const CounterBlock block = counter_block(iv, count + i);  // unsigned: wraps mod 2^64
    std::array<std::uint8_t, 16> ks{};
    int written = 0;
    EXPECT_EQ(EVP_EncryptUpdate(ctx.get(), ks.data(), &written, block.data(), 16), 1);
    EXPECT_EQ(written, 16);
    out.insert(out.end(), ks.begin(), ks.end());
  }
  out.resize(len);
  return out;
}

// The keystream cpddi produces, by encrypting zeros in one call.
Bytes one_shot_keystream(const Aes128Key& key, const CounterBlock& block, std::size_t len) {
  Bytes zeros(len, 0);
  Bytes out(len, 0xEE);
  Result<void> r = aes128_ctr_xor(key, block, zeros, out);
  EXPECT_TRUE(r) << (r ? "" : r.error().reason);
  return out;
}

// The keystream cpddi produces through successive apply() calls of the given sizes.
Bytes chunked_keystream(const Aes128Key& key, const CounterBlock& block,
                        const std::vector<std::size_t>& chunks) {
  Result<CtrKeystream> stream = CtrKeystream::create(key, block);
  EXPECT_TRUE(stream);
  Bytes out;
  if (!stream) {
    return out;
  }
  for (std::size_t n : chunks) {
    Bytes zeros(n, 0);
    Bytes part(n, 0xEE);
    Result<void> r = stream->apply(zeros.data(), part.data(), n);
    EXPECT_TRUE(r) << (r ? "" : r.error().reason);
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

std::size_t total(const std::vector<std::size_t>& chunks) {
  std::size_t sum = 0;
  for (std::size_t n : chunks) {
    sum += n;
  }
  return sum;
}

TEST(CtrKeystreamTest, NistSp80038aF51FirstTwoBlocks) {
  // NIST SP 800-38A F.5.1: counter f0f1…feff, i.e. IV f0f1f2f3f4f5f6f7, Count f8f9fafbfcfdfeff.
  const Bytes plaintext = {0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96, 0xe9, 0x3d, 0x7e,
                           0x11, 0x73, 0x93, 0x17, 0x2a, 0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03,
                           0xac, 0x9c, 0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51};
  const Bytes expected = {0x87, 0x4d, 0x61, 0x91, 0xb6, 0x20, 0xe3, 0x26, 0x1b, 0xef, 0x68,
                          0x64, 0x99, 0x0d, 0xb6, 0xce, 0x98, 0x06, 0xf6, 0x6b, 0x79, 0x70,
                          0xfd, 0xff, 0x86, 0x17, 0x18, 0x7b, 0xb9, 0xff, 0xfd, 0xff};
  Bytes out(plaintext.size());
  ASSERT_TRUE(aes128_ctr_xor(test_key(), counter_block(0xf0f1f2f3f4f5f6f7, 0xf8f9fafbfcfdfeff),
                             plaintext, out));
  EXPECT_EQ(out, expected);
}

TEST(CtrKeystreamTest, OneShotEqualsTheReferenceKeystream) {
  const std::uint64_t iv = 0x0123456789abcdef;
  const std::uint64_t count = 5;
  EXPECT_EQ(one_shot_keystream(test_key(), counter_block(iv, count), 1000),
            reference_keystream(kKeyBytes, iv, count, 1000));
}

TEST(CtrKeystreamTest, XorOfDataIsDataXorKeystream) {
  Bytes data(100);
  for (std::size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<std::uint8_t>(i * 7 + 3);
  }
  const Bytes ks = reference_keystream(kKeyBytes, 9, 0, data.size());
  Bytes out(data.size());
  ASSERT_TRUE(aes128_ctr_xor(test_key(), counter_block(9, 0), data, out));
  for (std::size_t i = 0; i < data.size(); ++i) {
    ASSERT_EQ(out[i], data[i] ^ ks[i]) << "byte " << i;
  }
  // Decrypt = encrypt.
  Bytes back(data.size());
  ASSERT_TRUE(aes128_ctr_xor(test_key(), counter_block(9, 0), out, back));
  EXPECT_EQ(back, data);
}

TEST(CtrKeystreamTest, ContinuingMidBlockAcrossApplyCallsEqualsOneShot) {
  const CounterBlock block = counter_block(0x1122334455667788, 0x00000000fffffff0);
  const std::vector<std::vector<std::size_t>> splits = {
      {1, 15, 16, 17, 31, 33, 100},
      {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5},
      {0, 16, 0, 7, 9, 0, 64, 3},
      {255, 1, 128},
  };
  for (const auto& split : splits) {
    SCOPED_TRACE(::testing::Message() << "first chunk " << split.front() << ", "
                                      << split.size() << " chunks");
    EXPECT_EQ(chunked_keystream(test_key(), block, split),
              one_shot_keystream(test_key(), block, total(split)));
  }
}

TEST(CtrKeystreamTest, ApplyWorksInPlace) {
  Bytes data(77);
  for (std::size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<std::uint8_t>(0xA0 + i);
  }
  const Bytes original = data;
  Result<CtrKeystream> stream = CtrKeystream::create(test_key(), counter_block(1, 2));
  ASSERT_TRUE(stream);
  ASSERT_TRUE(stream->apply(data.data(), data.data(), 30));
  ASSERT_TRUE(stream->apply(data.data() + 30, data.data() + 30, 47));

  const Bytes ks = reference_keystream(kKeyBytes, 1, 2, data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    ASSERT_EQ(data[i], original[i] ^ ks[i]) << "byte " << i;
  }
}

TEST(CtrKeystreamTest, MovedStreamContinuesWhereItStopped) {
  const CounterBlock block = counter_block(3, 4);
  Result<CtrKeystream> stream = CtrKeystream::create(test_key(), block);
  ASSERT_TRUE(stream);
  Bytes zeros(40, 0);
  Bytes out(40);
  ASSERT_TRUE(stream->apply(zeros.data(), out.data(), 11));
  CtrKeystream moved(std::move(*stream));
  ASSERT_TRUE(moved.apply(zeros.data(), out.data() + 11, 29));
  EXPECT_EQ(out, reference_keystream(kKeyBytes, 3, 4, 40));
}

TEST(CtrKeystreamTest, KeyCopyIsTakenAtCreate) {
  Aes128Key key = test_key();
  Result<CtrKeystream> stream = CtrKeystream::create(key, counter_block(0, 0));
  ASSERT_TRUE(stream);
  key.xor_in(test_key());  // key is now all zero; the stream must not notice
  Bytes zeros(32, 0);
  Bytes out(32);
  ASSERT_TRUE(stream->apply(zeros.data(), out.data(), 32));
  EXPECT_EQ(out, reference_keystream(kKeyBytes, 0, 0, 32));
}

// ---- Count wrap at 2^64 (spec §9 A10) ----

TEST(CtrKeystreamTest, CountWrapRestartsAtIvZeroWithoutCarry) {
  const std::uint64_t iv = 0x0102030405060708;
  const std::uint64_t count = ~std::uint64_t{0} - 2;  // three blocks before the wrap
  const std::size_t len = 7 * 16 + 5;

  const Bytes expected = reference_keystream(kKeyBytes, iv, count, len);
  EXPECT_EQ(one_shot_keystream(test_key(), counter_block(iv, count), len), expected);

  // The reference really differs from a 128-bit counter that carries into IV (OpenSSL's
  // plain CTR): block 3 of the carrying stream is (IV + 1) || 0.
  const Bytes carried = reference_keystream(kKeyBytes, iv + 1, 0, 16);
  EXPECT_NE(Bytes(expected.begin() + 48, expected.begin() + 64), carried);
  EXPECT_EQ(Bytes(expected.begin() + 48, expected.begin() + 64),
            reference_keystream(kKeyBytes, iv, 0, 16));
}

TEST(CtrKeystreamTest, CountWrapWithAllOnesIvStaysAllOnes) {
  const std::uint64_t iv = ~std::uint64_t{0};
  const std::uint64_t count = ~std::uint64_t{0};  // the very next block wraps
  EXPECT_EQ(one_shot_keystream(test_key(), counter_block(iv, count), 48),
            reference_keystream(kKeyBytes, iv, count, 48));
}

TEST(CtrKeystreamTest, CountWrapSplitAcrossApplyCallsMidBlock) {
  const std::uint64_t iv = 0xfedcba9876543210;
  const std::uint64_t count = ~std::uint64_t{0} - 1;  // wrap after 32 bytes
  const std::vector<std::vector<std::size_t>> splits = {
      {7, 13, 29, 1, 50},  // the 3rd call straddles byte 32
      {31, 1, 1, 40},      // the wrap falls exactly between calls
      {32, 32},
      {16, 16, 16},
      {33, 0, 15},
      {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
       1, 1, 1, 1, 1, 1, 1},
  };
  for (const auto& split : splits) {
    SCOPED_TRACE(::testing::Message() << "first chunk " << split.front() << ", "
                                      << split.size() << " chunks");
    EXPECT_EQ(chunked_keystream(test_key(), counter_block(iv, count), split),
              reference_keystream(kKeyBytes, iv, count, total(split)));
  }
}

TEST(CtrKeystreamTest, CountWrapInTheMiddleOfALongBuffer) {
  const std::uint64_t iv = 42;
  const std::uint64_t count = ~std::uint64_t{0} - 99;  // wrap after 100 blocks
  const std::size_t len = 4096 + 3;
  EXPECT_EQ(one_shot_keystream(test_key(), counter_block(iv, count), len),
            reference_keystream(kKeyBytes, iv, count, len));
}

TEST(CtrKeystreamTest, CountZeroDoesNotWrap) {
  // Count 0 is 2^64 blocks from the wrap: the stream is plain CTR.
  EXPECT_EQ(one_shot_keystream(test_key(), counter_block(7, 0), 256),
            reference_keystream(kKeyBytes, 7, 0, 256));
}

TEST(CtrKeystreamTest, EmptyApplySucceedsAndDoesNotAdvance) {
  Result<CtrKeystream> stream = CtrKeystream::create(test_key(), counter_block(0, 0));
  ASSERT_TRUE(stream);
  std::uint8_t dummy = 0;
  ASSERT_TRUE(stream->apply(&dummy, &dummy, 0));
  EXPECT_EQ(dummy, 0);
  Bytes zeros(16, 0);
  Bytes out(16);
  ASSERT_TRUE(stream->apply(zeros.data(), out.data(), 16));
  EXPECT_EQ(out, reference_keystream(kKeyBytes, 0, 0, 16));
}

TEST(CtrKeystreamTest, OutputShorterThanInputIsRejectedAndUntouched) {
  const Bytes in(32, 0x55);
  Bytes out(31, 0xEE);
  Result<void> r = aes128_ctr_xor(test_key(), counter_block(0, 0), in, out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(out, Bytes(31, 0xEE));
}

TEST(CtrKeystreamTest, LongerOutputIsWrittenOnlyForTheInputLength) {
  const Bytes in(20, 0);
  Bytes out(40, 0xEE);
  ASSERT_TRUE(aes128_ctr_xor(test_key(), counter_block(0, 0), in, out));
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 20), reference_keystream(kKeyBytes, 0, 0, 20));
  EXPECT_EQ(Bytes(out.begin() + 20, out.end()), Bytes(20, 0xEE));
}

}  // namespace
}  // namespace cpddi::crypto
