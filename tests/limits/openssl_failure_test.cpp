// An injected OpenSSL failure (crypto::testing::fail_openssl_after, checked at AES-CTR/ECB
// context set-up and RSA-OAEP decryption) makes CryptoSessionKeyExchange, GetEncryptionBltKey,
// EncryptionBlt and DecryptionBlt return E_FAIL and change nothing: the old key still decrypts,
// a pending refresh survives, the read-back key is kept, no IV is consumed, and the destination
// and output buffers are untouched. The seam is armed only around the driver call: the
// application's half (tests/support) uses the same crypto code in this process.
#include <gtest/gtest.h>

#include "limits/fault_support.h"

namespace cpddi::testing {
namespace {

using Source = InjectedFailure::Source;

class OpenSslFailureTest : public FaultTest {};

TEST_F(OpenSslFailureTest, KeyExchangeReturnsFailAndKeepsKeyAndPendingRefresh) {
  session().fetch_readback_key();
  Bytes pending;
  ASSERT_EQ(session().start_refresh(&pending), S_OK);
  const Bytes blob = device().wrap_session_key(kOtherKey);
  ASSERT_EQ(blob.size(), 256u);
  {
    InjectedFailure failure(Source::kOpenSsl, 0);
    EXPECT_EQ(session().exchange_blob(blob), E_FAIL);
  }
  // A successful exchange would have dropped the pending number (A7): Finish proves it is kept,
  // and the key it applies to is the old one.
  ASSERT_EQ(session().finish_refresh(), S_OK);
  EXPECT_TRUE(session().decrypts_under(surface(), xor_keys(kTestKey, pending)));
  // The same blob goes through once OpenSSL works again.
  EXPECT_EQ(session().rekey(kOtherKey), S_OK);
  session().fetch_readback_key();
  EXPECT_TRUE(session().decrypts_under(surface(), kOtherKey, 2));
}

TEST_F(OpenSslFailureTest, GetEncryptionBltKeyReturnsFailAndKeepsTheReadBackKey) {
  // The first checked call is the ECB wrap, after the random key was drawn.
  expect_get_encryption_blt_key_fails_cleanly(session(), Source::kOpenSsl);
  EXPECT_TRUE(session().decrypts_under(surface(), kTestKey));  // reads back with the key kept
}

TEST_F(OpenSslFailureTest, EncryptionBltReturnsFailWithoutConsumingAnIv) {
  ASSERT_NO_FATAL_FAILURE(upload_frame(31));
  Iv first{};
  ASSERT_EQ(session().read_back(surface().handle(), len(), nullptr, &first), frame());
  // The first checked call is the CTR keystream set-up.
  expect_encryption_blt_fails_cleanly(session(), surface(), len(), Source::kOpenSsl);
  // The failed blt did not use up first+1.
  Iv next{};
  EXPECT_EQ(session().read_back(surface().handle(), len(), nullptr, &next), frame());
  EXPECT_EQ(iv_field(next), iv_field(first) + 1);
}

TEST_F(OpenSslFailureTest, DecryptionBltReturnsFailWithoutConsumingItsIv) {
  ASSERT_NO_FATAL_FAILURE(upload_frame(41));
  const Bytes new_frame = pattern_bytes(len(), 42);
  const Iv iv = session().next_iv();
  const Bytes ciphertext = ctr(kTestKey, iv, new_frame);
  {
    InjectedFailure failure(Source::kOpenSsl, 0);
    EXPECT_EQ(session().decryption_blt(surface().handle(), ciphertext, iv), E_FAIL);
  }
  EXPECT_EQ(session().download(surface()), frame()) << "a failed DecryptionBlt wrote the surface";
  // The IV was not recorded: under the monotonic IV check the same IV is accepted now.
  EXPECT_EQ(session().decryption_blt(surface().handle(), ciphertext, iv), S_OK);
  EXPECT_EQ(session().download(surface()), new_frame);
  // ...and recorded once it went through: replaying it is refused.
  EXPECT_EQ(session().decryption_blt(surface().handle(), ciphertext, iv), E_INVALIDARG);
}

// With a wrapped content key the first checked call is the ECB unwrap, the second the CTR set-up
// of the work; both fail cleanly.
class ContentKeyFailureTest : public FaultTest, public ::testing::WithParamInterface<int> {};

TEST_P(ContentKeyFailureTest, DecryptionBltReturnsFailWithoutConsumingItsIv) {
  ASSERT_NO_FATAL_FAILURE(upload_frame(51));
  const Key content_key = kOtherKey;
  const Key wrapped = ecb_wrap(kTestKey, content_key);
  const Bytes new_frame = pattern_bytes(len(), 52);
  const Iv iv = make_iv(7);
  const Bytes ciphertext = ctr(content_key, iv, new_frame);
  {
    InjectedFailure failure(Source::kOpenSsl, GetParam());
    EXPECT_EQ(session().decryption_blt(surface().handle(), ciphertext, iv, nullptr, wrapped.data()),
              E_FAIL);
  }
  EXPECT_EQ(session().download(surface()), frame());
  EXPECT_EQ(session().decryption_blt(surface().handle(), ciphertext, iv, nullptr, wrapped.data()),
            S_OK);
  EXPECT_EQ(session().download(surface()), new_frame);
}

INSTANTIATE_TEST_SUITE_P(FailingCall, ContentKeyFailureTest, ::testing::Values(0, 1),
                         [](const ::testing::TestParamInfo<int>& row) {
                           return row.param == 0 ? std::string("Unwrap")
                                                 : std::string("KeystreamSetUp");
                         });

}  // namespace
}  // namespace cpddi::testing
