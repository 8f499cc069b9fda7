// CryptoSession::key_exchange (spec §4.2, §7.5, §9 A7, A11, A25): size checks before decryption,
// one code and one reason for every failure after it, nothing changed on failure, and a repeat
// exchange that replaces the key, drops a pending number and restarts the IV history.
#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "session/session_harness.h"

namespace cpddi::session {
namespace {

using namespace testing;  // NOLINT: the harness

const Key16 kFirst = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                      0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
const Key16 kSecond = {0xf0, 0xe1, 0xd2, 0xc3, 0xb4, 0xa5, 0x96, 0x87,
                       0x78, 0x69, 0x5a, 0x4b, 0x3c, 0x2d, 0x1e, 0x0f};

TEST(KeyExchangeTest, InstallsTheExchangedKey) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kFirst)));
  EXPECT_TRUE(h.key_in_force(key_of(kFirst)));
  EXPECT_TRUE(h.key_not_in_force(key_of(kSecond)));
}

TEST(KeyExchangeTest, WrongDataSizeIsInvalidArgumentInNoKey) {
  SessionHarness h;
  const Bytes blob = oaep_blob(kFirst);
  for (std::size_t size : {std::size_t{0}, std::size_t{16}, std::size_t{255}, std::size_t{128}}) {
    Result<void> r = h.session().key_exchange(std::span(blob.data(), size));
    ASSERT_FALSE(r) << "size " << size;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_FALSE(h.session().keyed());
  }
  Bytes longer = blob;
  longer.push_back(0);
  Result<void> r = h.session().key_exchange(longer);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  EXPECT_FALSE(h.session().keyed());
}

TEST(KeyExchangeTest, NullDataIsInvalidArgument) {
  SessionHarness h;
  Result<void> r = h.session().key_exchange(std::span<const std::uint8_t>(
      static_cast<const std::uint8_t*>(nullptr), std::size_t{0}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  EXPECT_FALSE(h.session().keyed());
}

// Every failure once decryption has started: the same code and the same reason (A25, no oracle),
// and the keyed session keeps its key and its pending refresh number.
TEST(KeyExchangeTest, EveryRejectedBlobGivesOneReasonAndChangesNothing) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kFirst)));
  Key16 number{};
  ASSERT_TRUE(h.session().start_key_refresh(number));

  Bytes tampered = oaep_blob(kSecond);
  tampered[100] ^= 0x04;
  const Bytes key15(15, 0x42);
  const Bytes key17(17, 0x42);
  const Bytes key32(32, 0x42);
  Result<crypto::RsaPrivateKey> stranger = crypto::RsaPrivateKey::generate(2048);
  ASSERT_TRUE(stranger);
  Result<crypto::RsaPublicKey> stranger_pub = stranger->public_key();
  ASSERT_TRUE(stranger_pub);
  Result<Bytes> for_stranger = stranger_pub->oaep_encrypt(crypto::kKeyExchangeOaep, kSecond);
  ASSERT_TRUE(for_stranger);

  const std::vector<std::pair<const char*, Bytes>> cases = {
      {"tampered ciphertext", tampered},
      {"15-byte plaintext", oaep_blob(key15)},
      {"17-byte plaintext", oaep_blob(key17)},
      {"32-byte plaintext", oaep_blob(key32)},
      {"empty plaintext", oaep_blob(Bytes{})},
      {"SHA-256 OAEP", oaep_blob(kSecond, crypto::OaepParams{crypto::HashAlgorithm::kSha256,
                                                             crypto::HashAlgorithm::kSha256, {}})},
      {"SHA-1 OAEP", oaep_blob(kSecond, crypto::OaepParams{crypto::HashAlgorithm::kSha1,
                                                           crypto::HashAlgorithm::kSha1, {}})},
      {"another key's ciphertext", *for_stranger},
      {"all zero", Bytes(256, 0)},
      {"all 0xff", Bytes(256, 0xff)},
  };
  std::set<std::string> reasons;
  for (const auto& [name, blob] : cases) {
    SCOPED_TRACE(name);
    ASSERT_EQ(blob.size(), kOaepCiphertextLen);
    Result<void> r = h.session().key_exchange(blob);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    reasons.insert(r.error().reason);
    EXPECT_TRUE(h.session().keyed());
    EXPECT_TRUE(h.session().refresh_pending());
  }
  EXPECT_EQ(reasons.size(), 1u) << ::testing::PrintToString(reasons);

  // Nothing changed: the pending number still applies to the first key.
  ASSERT_TRUE(h.session().finish_key_refresh());
  EXPECT_TRUE(h.key_in_force(xor_of(key_of(kFirst), number)));
}

TEST(KeyExchangeTest, RejectedBlobInNoKeyStaysNoKey) {
  SessionHarness h;
  Result<void> r = h.session().key_exchange(oaep_blob(Bytes(15, 1)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  EXPECT_FALSE(h.session().keyed());
  SessionHarness::Blt blt = h.prepare_blt(key_of(kFirst), 1);
  Result<void> blt_result = h.session().decryption_blt(blt.args);
  ASSERT_FALSE(blt_result);
  EXPECT_EQ(blt_result.error().code, Errc::kWrongState);
}

TEST(KeyExchangeTest, RepeatExchangeReplacesTheKey) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kFirst)));
  ASSERT_TRUE(h.exchange(key_of(kSecond)));
  EXPECT_TRUE(h.key_in_force(key_of(kSecond)));
  EXPECT_TRUE(h.key_not_in_force(key_of(kFirst)));
}

TEST(KeyExchangeTest, RepeatExchangeDiscardsThePendingNumber) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kFirst)));
  Key16 number{};
  ASSERT_TRUE(h.session().start_key_refresh(number));
  ASSERT_TRUE(h.exchange(key_of(kSecond)));

  EXPECT_FALSE(h.session().refresh_pending());
  Result<void> finish = h.session().finish_key_refresh();  // A7 then A3
  ASSERT_FALSE(finish);
  EXPECT_EQ(finish.error().code, Errc::kWrongState);
  EXPECT_TRUE(h.key_in_force(key_of(kSecond)));
}

TEST(KeyExchangeTest, RepeatExchangeRestartsTheIvHistory) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kFirst)));
  SessionHarness::Blt high = h.prepare_blt(key_of(kFirst), 50);
  ASSERT_TRUE(h.session().decryption_blt(high.args));
  SessionHarness::Blt replay = h.prepare_blt(key_of(kFirst), 50);
  Result<void> replayed = h.session().decryption_blt(replay.args);
  ASSERT_FALSE(replayed);
  EXPECT_EQ(replayed.error().code, Errc::kInvalidArgument);

  ASSERT_TRUE(h.exchange(key_of(kSecond)));
  SessionHarness::Blt low = h.prepare_blt(key_of(kSecond), 5);  // below 50: a new key, new history
  ASSERT_TRUE(h.session().decryption_blt(low.args));
  EXPECT_EQ(contents(*low.args.destination), low.plaintext);
}

TEST(KeyExchangeTest, RepeatExchangeDropsTheReadBackKey) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kFirst)));
  Key16 wrapped{};
  ASSERT_TRUE(h.session().get_encryption_blt_key(wrapped));
  auto source = h.protected_surface();
  auto destination = h.system_surface();
  ASSERT_TRUE(h.session().encryption_blt({source, destination, kFrameLen}));

  ASSERT_TRUE(h.exchange(key_of(kSecond)));
  Result<CounterBlock> r = h.session().encryption_blt({source, destination, kFrameLen});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kWrongState);  // A19: mint a read-back key for the new key
}

}  // namespace
}  // namespace cpddi::session
