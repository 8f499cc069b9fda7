// Wycheproof AES-CMAC vectors through the authenticated-channel path (spec §5.8, §7.6): every
// 128-bit key of aes_cmac_test.json becomes a channel key (RSAES-OAEP key exchange, INITIALIZE),
// and the driver's OMAC of a query output is checked against OpenSSL's own CMAC (EVP_MAC, not
// cpddi::crypto) over the same bytes [16, N). Each valid case first proves that this OpenSSL
// computation gives the file's tag for the file's message; each invalid 128-bit case applies its
// tag modification to a correctly signed configure, which the driver must refuse.
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <cstdint>
#include <iostream>
#include <memory>
#include <span>
#include <string>

#include <gtest/gtest.h>

#include "conform/channel.h"
#include "support/driver_fixture.h"
#include "vector_files.h"

namespace cpddi::testing::vectors {
namespace {

namespace channel = conform::channel;
using conform::Channel;

constexpr std::string_view kSucceedFlags[] = {"Pseudorandom"};
constexpr std::string_view kFailFlags[] = {"ModifiedTag", "InvalidKeySize"};

// AES-128-CMAC of `msg` with OpenSSL's EVP_MAC: the independent reference.
std::array<std::uint8_t, 16> openssl_cmac(std::span<const std::uint8_t> key,
                                          std::span<const std::uint8_t> msg) {
  std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "CMAC", nullptr),
                                                         &EVP_MAC_free);
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(
      mac ? EVP_MAC_CTX_new(mac.get()) : nullptr, &EVP_MAC_CTX_free);
  std::array<std::uint8_t, 16> out{};
  char cipher[] = "AES-128-CBC";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("cipher", cipher, 0),
                               OSSL_PARAM_construct_end()};
  std::size_t len = 0;
  const bool ok = ctx != nullptr && EVP_MAC_init(ctx.get(), key.data(), key.size(), params) == 1 &&
                  EVP_MAC_update(ctx.get(), msg.data(), msg.size()) == 1 &&
                  EVP_MAC_final(ctx.get(), out.data(), &len, out.size()) == 1 && len == 16;
  EXPECT_TRUE(ok) << "OpenSSL EVP_MAC CMAC failed";
  return out;
}

conform::Key key_of(const Bytes& bytes) {
  conform::Key key{};
  std::copy_n(bytes.begin(), key.size(), key.begin());
  return key;
}

struct Counts {
  std::size_t outputs_matched = 0;
  std::size_t modified_refused = 0;
  std::size_t other_key_sizes = 0;
};

class WycheproofChannelCmacTest : public SharedDeviceTest {};

// A channel keyed with `key` and initialised; the driver's PROTECTION output must carry
// OpenSSL's CMAC over [16, N).
void check_query_output(conform::Device& device, const conform::Key& key) {
  Channel ch(device, Channel::Stage::kCreated);
  ASSERT_EQ(ch.exchange(key), S_OK);
  ASSERT_EQ(ch.initialize(1, 1), S_OK);
  const channel::QueryKind& kind = channel::query_protection();
  const conform::Message in = ch.query_input(kind, 1);
  const conform::Reply reply = ch.query_raw(in.bytes(), kind.output.size);
  ASSERT_EQ(reply.hr, S_OK);
  const auto want = openssl_cmac(key, std::span(reply.output).subspan(16));
  EXPECT_EQ(to_hex(std::span(reply.output).first(16)), to_hex(want))
      << "the driver's query-output OMAC differs from OpenSSL's CMAC over [16, "
      << kind.output.size << ")";
}

// `modified` is the file's wrong tag for (key, msg): its difference from the right tag, applied
// to a correctly signed PROTECTION configure, must make the driver refuse it.
void check_modified_refused(conform::Device& device, const conform::Key& key,
                            std::span<const std::uint8_t> msg,
                            std::span<const std::uint8_t> modified) {
  const auto right = openssl_cmac(key, msg);
  Channel ch(device, Channel::Stage::kCreated);
  ASSERT_EQ(ch.exchange(key), S_OK);
  ASSERT_EQ(ch.initialize(1, 1), S_OK);
  conform::Message m = ch.configure_input(channel::configure_protection(), 1);
  const auto tag = openssl_cmac(key, std::span(m.bytes()).subspan(16));
  std::copy(tag.begin(), tag.end(), m.bytes().begin());
  for (std::size_t i = 0; i < modified.size() && i < 16; ++i) {
    m.bytes()[i] ^= static_cast<std::uint8_t>(right[i] ^ modified[i]);
  }
  if (modified.size() != 16) {
    m.bytes()[0] ^= 0x01;  // a truncated or over-long tag: some tag bytes are wrong either way
  }
  EXPECT_EQ(ch.configure_raw(m.bytes()).hr, E_INVALIDARG)
      << "a configure carrying the vector's tag modification was accepted";
  // The same message with OpenSSL's tag is accepted (the refusal was the tag's doing).
  std::copy(tag.begin(), tag.end(), m.bytes().begin());
  EXPECT_EQ(ch.configure_raw(m.bytes()).hr, S_OK);
}

TEST_F(WycheproofChannelCmacTest, DriverOmacEqualsOpenSslCmacForEveryVectorKey) {
  Counts counts;
  conform::Device& dev = device();
  const WycheproofFile file{"wycheproof/aes_cmac_test.json",
                            "AES-CMAC",
                            "mac_test_schema_v1.json",
                            "MacTest",
                            {kSucceedFlags, kFailFlags}};
  const WycheproofSummary summary = run_wycheproof(file, [&](Fields& group) -> CaseRunner {
    const std::int64_t key_bits = group.integer("keySize");
    group.integer("tagSize");
    return [&, key_bits](WycheproofCase& c) {
      const Bytes key = c.test.hex("key");
      const Bytes msg = c.test.hex("msg");
      const Bytes tag = c.test.hex("tag");
      if (key_bits != 128 || key.size() != 16) {
        ++counts.other_key_sizes;  // a channel key is 16 bytes (spec §5.2)
        return;
      }
      if (c.expect_success) {
        EXPECT_EQ(to_hex(openssl_cmac(key, msg)), to_hex(tag)) << "OpenSSL's CMAC ≠ the file";
        check_query_output(dev, key_of(key));
        ++counts.outputs_matched;
      } else {
        check_modified_refused(dev, key_of(key), msg, tag);
        ++counts.modified_refused;
      }
    };
  });
  std::cout << "[ vectors  ] " << counts.outputs_matched << " channel keys MACed like OpenSSL, "
            << counts.modified_refused << " modified tags refused\n";
  EXPECT_GT(counts.outputs_matched, 0u);
  EXPECT_GT(counts.modified_refused, 0u);
  EXPECT_EQ(counts.outputs_matched + counts.modified_refused + counts.other_key_sizes,
            summary.num_cases);
}

}  // namespace
}  // namespace cpddi::testing::vectors
