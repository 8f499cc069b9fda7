// An injected RNG failure (crypto::testing::fail_random_after) reaches every entry point that
// draws random bytes: StartSessionKeyRefresh, GetEncryptionBltKey and the first EncryptionBlt of
// a session (its random first IV, spec §7.8). Each must return E_FAIL and change nothing: no
// pending number stored (or an earlier one kept), the caller's buffer untouched, the read-back
// key and the IV sequence as before.
#include <gtest/gtest.h>

#include "limits/fault_support.h"

namespace cpddi::testing {
namespace {

using Source = InjectedFailure::Source;

class RandomFailureTest : public FaultTest {};

TEST_F(RandomFailureTest, StartSessionKeyRefreshReturnsFailAndStoresNothing) {
  std::array<std::uint8_t, 16> buffer;
  buffer.fill(0xAB);
  {
    InjectedFailure failure(Source::kRandom, 0);
    EXPECT_EQ(session().start_refresh_raw(buffer.data(), 16), E_FAIL);
  }
  EXPECT_TRUE(all_bytes_are(buffer, 0xAB)) << "a failed Start wrote to pRandomNumber";
  EXPECT_EQ(session().finish_refresh(), D3DDDIERR_INVALIDCALL) << "a failed Start left a number";
  EXPECT_TRUE(session().decrypts_under(surface(), kTestKey));
}

TEST_F(RandomFailureTest, FailedStartKeepsTheNumberAlreadyPending) {
  Bytes pending;
  ASSERT_EQ(session().start_refresh(&pending), S_OK);
  std::array<std::uint8_t, 16> buffer;
  buffer.fill(0x5C);
  {
    InjectedFailure failure(Source::kRandom, 0);
    EXPECT_EQ(session().start_refresh_raw(buffer.data(), 16), E_FAIL);
  }
  EXPECT_TRUE(all_bytes_are(buffer, 0x5C));
  // Finish applies the number the successful Start handed out, not a half-made one.
  ASSERT_EQ(session().finish_refresh(), S_OK);
  session().app_apply(pending);
  ASSERT_EQ(session().app_key(), xor_keys(kTestKey, pending));
  EXPECT_TRUE(session().decrypts_under(surface(), session().app_key()));
}

TEST_F(RandomFailureTest, GetEncryptionBltKeyReturnsFailAndKeepsTheReadBackKey) {
  expect_get_encryption_blt_key_fails_cleanly(session(), Source::kRandom);
  EXPECT_TRUE(session().decrypts_under(surface(), kTestKey));  // reads back with the key kept
}

TEST_F(RandomFailureTest, FirstEncryptionBltReturnsFailWithoutStartingTheIvSequence) {
  ASSERT_NO_FATAL_FAILURE(upload_frame(21));
  expect_encryption_blt_fails_cleanly(session(), surface(), len(), Source::kRandom);

  // The sequence starts at the next successful blt and then rises by one (§7.8).
  Iv first{};
  Iv second{};
  EXPECT_EQ(session().read_back(surface().handle(), len(), nullptr, &first), frame());
  EXPECT_EQ(session().read_back(surface().handle(), len(), nullptr, &second), frame());
  EXPECT_EQ(iv_field(second), iv_field(first) + 1);
  EXPECT_EQ(count_field(first), 0u);
}

TEST_F(RandomFailureTest, LaterEncryptionBltsDoNotNeedTheGenerator) {
  // After the first IV, EncryptionBlt only counts: an RNG outage does not stop read-back.
  ASSERT_NO_FATAL_FAILURE(upload_frame(22));
  Iv first{};
  ASSERT_EQ(session().read_back(surface().handle(), len(), nullptr, &first), frame());
  HANDLE destination = create_readback_surface(device(), len());
  ASSERT_NE(destination, nullptr);
  Iv iv{};
  {
    InjectedFailure failure(Source::kRandom, 0);
    EXPECT_EQ(
        encryption_blt(session(), surface().handle(), destination, static_cast<UINT>(len()), &iv),
        S_OK);
  }
  EXPECT_EQ(iv_field(iv), iv_field(first) + 1);
  EXPECT_EQ(ctr(*session().readback_key(), iv, device().read_surface(destination, len())), frame());
  EXPECT_EQ(device().destroy_surface(destination), S_OK);
}

}  // namespace
}  // namespace cpddi::testing
