// Session-key refresh, the seed: spec §1.4, §4.8–§4.9, §7.3 and A1–A8, A20. The application's
// model (KeyedSession::app_key) moves only when Finish succeeds; every claim about the driver's
// key is checked by decrypting under a candidate key and reading the surface back, with a
// read-back key fetched before the refresh so the read-back does not depend on the key under
// test (A20, which has its own test here).
#include <memory>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

using KeyRefreshTest = SharedDeviceTest;

bool all_zero(const Bytes& b) {
  for (std::uint8_t x : b) {
    if (x != 0) {
      return false;
    }
  }
  return true;
}

TEST_F(KeyRefreshTest, FinishXorsTheNumberIntoTheKey) {
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  Bytes number;
  ASSERT_EQ(session.start_refresh(&number), S_OK);
  ASSERT_EQ(number.size(), 16u);
  const HRESULT hr = session.finish_refresh();
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  session.app_apply(number);
  EXPECT_FALSE(session.decrypts_under(*surface, kTestKey, 1)) << "the old key still works";
  EXPECT_TRUE(session.decrypts_under(*surface, xor_keys(kTestKey, number), 2));
}

TEST_F(KeyRefreshTest, StartAloneChangesNothing) {
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  Bytes number;
  const HRESULT hr = session.start_refresh(&number);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_TRUE(session.decrypts_under(*surface, kTestKey, 1));
  EXPECT_FALSE(session.decrypts_under(*surface, xor_keys(kTestKey, number), 2));
  EXPECT_TRUE(session.decrypts_under(*surface, kTestKey, 3));
}

TEST_F(KeyRefreshTest, NumbersAreFreshAndNeverZero) {
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  std::set<Key> seen;
  for (int i = 0; i < 32; ++i) {
    Bytes number;
    ASSERT_EQ(session.start_refresh(&number), S_OK);
    EXPECT_FALSE(all_zero(number));
    EXPECT_TRUE(seen.insert(key_from(number)).second) << "Start returned a number twice";
  }
}

TEST_F(KeyRefreshTest, StartTwiceAppliesOnlyTheLatestNumber) {
  // A1: the second Start replaces the pending number.
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  Bytes first;
  Bytes second;
  ASSERT_EQ(session.start_refresh(&first), S_OK);
  ASSERT_EQ(session.start_refresh(&second), S_OK);
  ASSERT_NE(first, second);
  ASSERT_EQ(session.finish_refresh(), S_OK);
  session.app_apply(second);
  EXPECT_TRUE(session.decrypts_under(*surface, xor_keys(kTestKey, second), 1));
  EXPECT_FALSE(session.decrypts_under(*surface, xor_keys(kTestKey, first), 2));
  EXPECT_FALSE(session.decrypts_under(*surface, xor_keys(xor_keys(kTestKey, first), second), 3));
  const HRESULT again = session.finish_refresh();
  EXPECT_EQ(again, D3DDDIERR_INVALIDCALL) << "only one Finish per pending number: "
                                          << hr_name(again);
}

TEST_F(KeyRefreshTest, FinishWithoutStartIsInvalidCallAndKeepsTheKey) {
  // A3.
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  const HRESULT hr = session.finish_refresh();
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << hr_name(hr);
  EXPECT_TRUE(session.decrypts_under(*surface, kTestKey));
}

TEST_F(KeyRefreshTest, SecondFinishIsInvalidCallAndKeepsTheRefreshedKey) {
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  ASSERT_EQ(session.refresh(), S_OK);
  const HRESULT hr = session.finish_refresh();
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << hr_name(hr);
  EXPECT_TRUE(session.decrypts_under(*surface, session.app_key()));
}

// ---- A2: a wrong RandomNumberSize or a null buffer → E_INVALIDARG, nothing stored ----

struct StartRow {
  const char* name;
  UINT size;
  bool null_buffer;
};

class KeyRefreshStartRejectTest : public SharedDeviceTest,
                                  public ::testing::WithParamInterface<StartRow> {};

TEST_P(KeyRefreshStartRejectTest, InvalidArgumentBufferUntouchedNothingStored) {
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  Bytes buffer(64, 0xAB);
  const HRESULT hr =
      session.start_refresh_raw(GetParam().null_buffer ? nullptr : buffer.data(), GetParam().size);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  EXPECT_EQ(buffer, Bytes(64, 0xAB));
  const HRESULT finish = session.finish_refresh();
  EXPECT_EQ(finish, D3DDDIERR_INVALIDCALL) << "a number was stored: " << hr_name(finish);
  EXPECT_TRUE(session.decrypts_under(*surface, kTestKey));
}

TEST_P(KeyRefreshStartRejectTest, AnEarlierPendingNumberSurvives) {
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  Bytes number;
  ASSERT_EQ(session.start_refresh(&number), S_OK);
  Bytes buffer(64, 0xAB);
  const HRESULT hr =
      session.start_refresh_raw(GetParam().null_buffer ? nullptr : buffer.data(), GetParam().size);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  EXPECT_EQ(buffer, Bytes(64, 0xAB));
  ASSERT_EQ(session.finish_refresh(), S_OK);
  session.app_apply(number);
  EXPECT_TRUE(session.decrypts_under(*surface, xor_keys(kTestKey, number)));
}

INSTANTIATE_TEST_SUITE_P(Sizes, KeyRefreshStartRejectTest,
                         ::testing::Values(StartRow{"SizeZero", 0, false},
                                           StartRow{"SizeFifteen", 15, false},
                                           StartRow{"SizeSeventeen", 17, false},
                                           StartRow{"SizeThirtyTwo", 32, false},
                                           StartRow{"NullBuffer", 16, true},
                                           StartRow{"NullBufferSizeZero", 0, true}),
                         RowName());

// ---- A4, A5 ----

TEST_F(KeyRefreshTest, RefreshBeforeKeyExchangeIsInvalidCallAndStoresNothing) {
  KeyedSession session(device(), kTestKey, ExchangeKey::kNo);
  Bytes buffer(16, 0xAB);
  HRESULT hr = session.start_refresh_raw(buffer.data(), 16);
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << "Start: " << hr_name(hr);
  EXPECT_EQ(buffer, Bytes(16, 0xAB));
  hr = session.finish_refresh();
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << "Finish: " << hr_name(hr);
  // Nothing was kept to be XORed into the key exchanged later.
  ASSERT_EQ(session.rekey(kTestKey), S_OK);
  hr = session.finish_refresh();
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << "Finish after the exchange: " << hr_name(hr);
  auto surface = ScopedSurface::small_protected(device());
  EXPECT_TRUE(session.decrypts_under(*surface, kTestKey));
}

TEST(KeyRefreshDisabledTest, BothCallsAreNotAvailableAndNothingChanges) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.DisabledCaps = D3DCPCAPS_FRESHENSESSIONKEY;
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  EXPECT_EQ(device.caps_bits() & D3DCPCAPS_FRESHENSESSIONKEY, 0u);
  KeyedSession session(device, kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device);
  Bytes buffer(16, 0xAB);
  HRESULT hr = session.start_refresh_raw(buffer.data(), 16);
  EXPECT_EQ(hr, D3DDDIERR_NOTAVAILABLE) << "Start: " << hr_name(hr);
  EXPECT_EQ(buffer, Bytes(16, 0xAB));
  hr = session.finish_refresh();
  EXPECT_EQ(hr, D3DDDIERR_NOTAVAILABLE) << "Finish: " << hr_name(hr);
  EXPECT_TRUE(session.decrypts_under(*surface, kTestKey));
}

// ---- A6: the cut-over is the Finish call ----

TEST_F(KeyRefreshTest, BltsCalledBeforeFinishUseTheOldKeyAndAfterItTheNew) {
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto early = ScopedSurface::small_protected(device());
  auto late = ScopedSurface::small_protected(device());
  const std::size_t len = session.surface_bytes(*early);
  const Bytes frame1 = pattern_bytes(len, 71);
  const Bytes frame2 = pattern_bytes(len, 72);
  Bytes number;
  ASSERT_EQ(session.start_refresh(&number), S_OK);
  ASSERT_EQ(session.upload(*early, frame1, kTestKey), S_OK);  // between Start and Finish
  ASSERT_EQ(session.finish_refresh(), S_OK);
  session.app_apply(number);
  ASSERT_EQ(session.upload(*late, frame2, session.app_key()), S_OK);
  EXPECT_EQ(session.download(*early), frame1);
  EXPECT_EQ(session.download(*late), frame2);
}

TEST_F(KeyRefreshTest, ReadBackKeyMintedBetweenStartAndFinishIsWrappedUnderTheOldKey) {
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  const Bytes frame = pattern_bytes(session.surface_bytes(*surface), 73);
  ASSERT_EQ(session.upload(*surface, frame, kTestKey), S_OK);
  Bytes number;
  ASSERT_EQ(session.start_refresh(&number), S_OK);
  Key wrapped{};
  ASSERT_EQ(session.get_encryption_blt_key(&wrapped), S_OK);
  session.set_readback_key(ecb_unwrap(kTestKey, wrapped));
  EXPECT_EQ(session.download(*surface), frame);
  ASSERT_EQ(session.finish_refresh(), S_OK);
  session.app_apply(number);
  ASSERT_EQ(session.get_encryption_blt_key(&wrapped), S_OK);
  session.set_readback_key(ecb_unwrap(session.app_key(), wrapped));
  EXPECT_EQ(session.download(*surface), frame);
}

TEST_F(KeyRefreshTest, ContentKeyBetweenStartAndFinishIsUnwrappedWithTheOldKey) {
  constexpr Key kContentKey = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  const std::size_t len = session.surface_bytes(*surface);
  const Bytes frame = pattern_bytes(len, 74);
  Bytes number;
  ASSERT_EQ(session.start_refresh(&number), S_OK);
  const Iv iv = session.next_iv();
  const Key wrapped = ecb_wrap(kTestKey, kContentKey);
  ASSERT_EQ(session.decryption_blt(surface->handle(), ctr(kContentKey, iv, frame), iv, nullptr,
                                   wrapped.data()),
            S_OK);
  EXPECT_EQ(session.read_back(surface->handle(), len), frame);
}

TEST_F(KeyRefreshTest, ReadBackKeyIsUnaffectedByRefresh) {
  // A20: the read-back key is independent random data; refresh leaves it alone.
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  const std::size_t len = session.surface_bytes(*surface);
  const Bytes frame = pattern_bytes(len, 75);
  ASSERT_EQ(session.upload(*surface, frame, kTestKey), S_OK);
  Key wrapped{};
  ASSERT_EQ(session.get_encryption_blt_key(&wrapped), S_OK);
  const Key readback = ecb_unwrap(kTestKey, wrapped);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(session.refresh(), S_OK);
  }
  auto sink = ScopedSurface::system_memory(device(), 256);
  Iv iv{};
  D3DDDIARG_ENCRYPTIONBLT args{};
  args.hCryptoSession = session.handle();
  args.hSrcResource = surface->handle();
  args.hDstResource = sink->handle();
  args.DstResourceSize = static_cast<UINT>(len);
  args.pIV = iv.data();
  const HRESULT hr = device().funcs().pfnEncryptionBlt(device().device(), &args);
  ASSERT_EQ(hr, S_OK) << "read-back without a new GetEncryptionBltKey: " << hr_name(hr);
  EXPECT_EQ(ctr(readback, iv, device().read_surface(sink->handle(), len)), frame);
}

// ---- A7: key exchange or Destroy while a number is pending ----

TEST_F(KeyRefreshTest, KeyExchangeWhilePendingDiscardsTheNumber) {
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  Bytes number;
  ASSERT_EQ(session.start_refresh(&number), S_OK);
  ASSERT_EQ(session.rekey(kOtherKey), S_OK);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  const HRESULT hr = session.finish_refresh();
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << hr_name(hr);
  EXPECT_TRUE(session.decrypts_under(*surface, kOtherKey, 1));
  EXPECT_FALSE(session.decrypts_under(*surface, xor_keys(kOtherKey, number), 2));
  // A new Start/Finish pair works on the new key.
  ASSERT_EQ(session.refresh(), S_OK);
  EXPECT_TRUE(session.decrypts_under(*surface, session.app_key(), 3));
}

TEST_F(KeyRefreshTest, DestroyWhilePendingKillsTheHandle) {
  KeyedSession session(device(), kTestKey);
  Bytes number;
  ASSERT_EQ(session.start_refresh(&number), S_OK);
  const HANDLE dead = session.handle();
  ASSERT_EQ(session.destroy(), S_OK);
  D3DDDIARG_FINISHSESSIONKEYREFRESH finish{dead};
  const HRESULT hr = device().funcs().pfnFinishSessionKeyRefresh(device().device(), &finish);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
}

// ---- A11: a finished refresh starts a new IV history; Start alone does not ----

TEST_F(KeyRefreshTest, IvHistoryRestartsAfterFinishButNotAfterStart) {
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  const std::size_t len = session.surface_bytes(*surface);
  const Iv iv = make_iv(300);
  const Bytes first = pattern_bytes(len, 81);
  ASSERT_EQ(session.decryption_blt(surface->handle(), ctr(kTestKey, iv, first), iv), S_OK);
  Bytes number;
  ASSERT_EQ(session.start_refresh(&number), S_OK);
  HRESULT hr = session.decryption_blt(surface->handle(), ctr(kTestKey, iv, Bytes(len, 0)), iv);
  EXPECT_EQ(hr, E_INVALIDARG) << "IV reused after Start only: " << hr_name(hr);
  EXPECT_EQ(session.download(*surface), first);
  ASSERT_EQ(session.finish_refresh(), S_OK);
  session.app_apply(number);
  const Bytes second = pattern_bytes(len, 82);
  hr = session.decryption_blt(surface->handle(), ctr(session.app_key(), iv, second), iv);
  EXPECT_EQ(hr, S_OK) << "the same IV under the new key: " << hr_name(hr);
  EXPECT_EQ(session.download(*surface), second);
  hr = session.decryption_blt(surface->handle(), ctr(session.app_key(), iv, first), iv);
  EXPECT_EQ(hr, E_INVALIDARG) << "replay under the new key: " << hr_name(hr);
  EXPECT_EQ(session.download(*surface), second);
}

// ---- A8: sessions and devices are independent ----

TEST_F(KeyRefreshTest, StartOnOneSessionFinishOnAnotherIsInvalidCall) {
  KeyedSession a(device(), kTestKey);
  ASSERT_EQ(a.fetch_readback_key(), S_OK);
  KeyedSession b(device(), kTestKey);
  ASSERT_EQ(b.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  Bytes number;
  ASSERT_EQ(a.start_refresh(&number), S_OK);
  const HRESULT hr = b.finish_refresh();
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << hr_name(hr);
  EXPECT_TRUE(b.decrypts_under(*surface, kTestKey, 1));
  ASSERT_EQ(a.finish_refresh(), S_OK);
  a.app_apply(number);
  EXPECT_TRUE(a.decrypts_under(*surface, xor_keys(kTestKey, number), 2));
  EXPECT_TRUE(b.decrypts_under(*surface, kTestKey, 3)) << "b changed with a";
}

TEST_F(KeyRefreshTest, SessionsOnTwoDevicesAreIndependent) {
  OpenedDevice second;  // its own adapter
  ASSERT_TRUE(second.ok());
  KeyedSession a(device(), kTestKey);
  ASSERT_EQ(a.fetch_readback_key(), S_OK);
  KeyedSession b(second, kTestKey);
  ASSERT_EQ(b.fetch_readback_key(), S_OK);
  auto surface_a = ScopedSurface::small_protected(device());
  auto surface_b = ScopedSurface::small_protected(second);
  Bytes number;
  ASSERT_EQ(a.start_refresh(&number), S_OK);
  const HRESULT hr = b.finish_refresh();
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << hr_name(hr);
  ASSERT_EQ(b.refresh(), S_OK);  // b refreshes on its own
  ASSERT_EQ(a.finish_refresh(), S_OK);
  a.app_apply(number);
  EXPECT_TRUE(a.decrypts_under(*surface_a, a.app_key()));
  EXPECT_TRUE(b.decrypts_under(*surface_b, b.app_key()));
  EXPECT_NE(a.app_key(), b.app_key());
}

TEST_F(KeyRefreshTest, FinishThroughAnotherDeviceIsInvalidArgumentAndKeepsTheNumber) {
  std::unique_ptr<OpenedDevice> other = OpenedDevice::another_device(device());
  ASSERT_TRUE(other->ok());
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  Bytes number;
  ASSERT_EQ(session.start_refresh(&number), S_OK);
  D3DDDIARG_FINISHSESSIONKEYREFRESH finish{session.handle()};
  HRESULT hr = other->funcs().pfnFinishSessionKeyRefresh(other->device(), &finish);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  Bytes buffer(16, 0xAB);
  D3DDDIARG_STARTSESSIONKEYREFRESH start{session.handle(), buffer.data(), 16};
  hr = other->funcs().pfnStartSessionKeyRefresh(other->device(), &start);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  EXPECT_EQ(buffer, Bytes(16, 0xAB));
  EXPECT_TRUE(session.decrypts_under(*surface, kTestKey, 1));
  ASSERT_EQ(session.finish_refresh(), S_OK);
  session.app_apply(number);
  EXPECT_TRUE(session.decrypts_under(*surface, xor_keys(kTestKey, number), 2));
}

// ---- Many refreshes: the application's model and the driver never drift apart ----

TEST_F(KeyRefreshTest, ThousandConsecutiveRefreshesStayInStep) {
  constexpr int kRefreshes = 1200;
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.fetch_readback_key(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  std::set<Key> numbers;
  for (int i = 1; i <= kRefreshes; ++i) {
    Bytes number;
    ASSERT_EQ(session.start_refresh(&number), S_OK) << "refresh " << i;
    ASSERT_EQ(session.finish_refresh(), S_OK) << "refresh " << i;
    session.app_apply(number);
    ASSERT_TRUE(numbers.insert(key_from(number)).second) << "number repeated at refresh " << i;
    if (i % 100 == 0 || i == 1) {
      ASSERT_TRUE(session.decrypts_under(*surface, session.app_key(), static_cast<std::uint32_t>(i)))
          << "out of step after refresh " << i;
    }
  }
  EXPECT_NE(session.app_key(), kTestKey);
  EXPECT_TRUE(session.decrypts_under(*surface, session.app_key(), 99999));
  EXPECT_FALSE(session.decrypts_under(*surface, kTestKey, 99998));
}

}  // namespace
}  // namespace cpddi::testing
