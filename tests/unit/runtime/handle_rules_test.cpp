// Handle rules through the runtime's own API (spec §1.1, §4 common rules, §9 A29): an object is
// named only on the device that created it, a destroyed object's handle stays dead even after
// its slot is reused, a handle of one kind never names another, and a refused call changes
// nothing.
#include <gtest/gtest.h>

#include "runtime/runtime_harness.h"

namespace cpddi::runtime::testing {
namespace {

void expect_invalid_argument(const Error& error) { EXPECT_EQ(error.code, Errc::kInvalidArgument); }

TEST(HandleRulesTest, SessionOfAnotherDeviceIsRejectedAndKeepsItsState) {
  RuntimeHarness h;
  const Handle mine = h.open_device();
  const Handle other = h.open_device();
  const Handle session = h.keyed_session(mine);
  Key16 number{};

  Result<void> start = h.runtime().start_session_key_refresh(other, session, number);
  ASSERT_FALSE(start);
  expect_invalid_argument(start.error());
  EXPECT_EQ(number, Key16{}) << "nothing written for a foreign session";
  Result<void> destroy = h.runtime().destroy_crypto_session(other, session);
  ASSERT_FALSE(destroy);
  expect_invalid_argument(destroy.error());

  Result<CryptoSessionStatus> status = h.runtime().crypto_session_status(mine, session);
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->keyed);
  EXPECT_FALSE(status->refresh_pending);
  EXPECT_EQ(h.runtime().device_status(mine)->live_sessions, 1u);
  EXPECT_EQ(h.runtime().device_status(other)->live_sessions, 0u);
}

TEST(HandleRulesTest, ResourceOfAnotherDeviceIsRejectedEverywhere) {
  RuntimeHarness h;
  const Handle mine = h.open_device();
  const Handle other = h.open_device();
  const Handle surface = h.system_surface(mine);
  const Handle other_session = h.keyed_session(other);

  expect_invalid_argument(h.runtime().lock(other, {{surface, 0}, false, false}).error());
  expect_invalid_argument(h.runtime().unlock(other, {surface, 0}).error());
  expect_invalid_argument(h.runtime().destroy_resource(other, surface).error());
  expect_invalid_argument(h.runtime().get_pitch(other, other_session, {surface, 0}).error());
  expect_invalid_argument(h.runtime().resource_status(other, surface).error());

  Result<ResourceStatus> status = h.runtime().resource_status(mine, surface);
  ASSERT_TRUE(status);
  EXPECT_FALSE(status->locked);
  EXPECT_EQ(h.runtime().device_status(mine)->live_resources, 1u);
}

TEST(HandleRulesTest, DestroyedSessionStaysDeadAfterItsSlotIsReused) {
  RuntimeHarness h;
  const Handle device = h.open_device();
  const Handle stale = h.keyed_session(device);
  ASSERT_TRUE(h.runtime().destroy_crypto_session(device, stale));

  const Handle fresh = h.keyed_session(device);

  EXPECT_NE(fresh, stale);
  EXPECT_EQ(fresh.value & 0xFFFFFFFFu, stale.value & 0xFFFFFFFFu) << "the slot was reused";
  expect_invalid_argument(h.runtime().finish_session_key_refresh(device, stale).error());
  expect_invalid_argument(h.runtime().destroy_crypto_session(device, stale).error());
  Key16 number{};
  EXPECT_TRUE(h.runtime().start_session_key_refresh(device, fresh, number));
  EXPECT_TRUE(h.runtime().crypto_session_status(device, fresh)->refresh_pending)
      << "the stale handle's calls did not reach the new session";
}

TEST(HandleRulesTest, HandleOfOneKindNeverNamesAnotherKind) {
  RuntimeHarness h;
  const Handle device = h.open_device();
  const Handle session = h.keyed_session(device);
  const Handle surface = h.system_surface(device);

  expect_invalid_argument(h.runtime().flush(session).error());         // session as device
  expect_invalid_argument(h.runtime().create_device(device).error());  // device as adapter
  expect_invalid_argument(h.runtime().close_adapter(device).error());
  expect_invalid_argument(h.runtime().destroy_crypto_session(device, surface).error());
  expect_invalid_argument(h.runtime().destroy_resource(device, session).error());
  expect_invalid_argument(h.runtime().get_pitch(device, session, {session, 0}).error());

  EXPECT_EQ(h.runtime().device_status(device)->live_sessions, 1u);
  EXPECT_EQ(h.runtime().device_status(device)->live_resources, 1u);
  EXPECT_TRUE(h.runtime().adapter_caps(h.adapter()));
}

TEST(HandleRulesTest, NullAndForgedHandlesNameNothing) {
  RuntimeHarness h;
  const Handle device = h.open_device();
  const Handle session = h.keyed_session(device);

  for (Handle bad : {Handle{}, Handle{1}, Handle{session.value + (std::uint64_t{1} << 32)},
                     Handle{session.value ^ 0x5E00000000000000u}}) {
    expect_invalid_argument(h.runtime().flush(bad).error());
    expect_invalid_argument(h.runtime().destroy_crypto_session(device, bad).error());
    expect_invalid_argument(h.runtime().adapter_caps(bad).error());
  }
  EXPECT_TRUE(h.runtime().crypto_session_status(device, session)->keyed);
}

TEST(HandleRulesTest, SubresourceOtherThanZeroIsRejected) {
  RuntimeHarness h;
  const Handle device = h.open_device();
  const Handle session = h.keyed_session(device);
  const Handle surface = h.system_surface(device);

  expect_invalid_argument(h.runtime().lock(device, {{surface, 1}, false, false}).error());
  expect_invalid_argument(h.runtime().get_pitch(device, session, {surface, 1}).error());
  EXPECT_FALSE(h.runtime().resource_status(device, surface)->locked);
  EXPECT_EQ(*h.runtime().get_pitch(device, session, {surface, 0}), 64u);
}

TEST(HandleRulesTest, ClosedAdapterKeepsItsDevicesUsableButMakesNoMore) {
  RuntimeHarness h;
  const Handle device = h.open_device();
  ASSERT_TRUE(h.runtime().close_adapter(h.adapter()));

  expect_invalid_argument(h.runtime().create_device(h.adapter()).error());
  expect_invalid_argument(h.runtime().close_adapter(h.adapter()).error());
  expect_invalid_argument(h.runtime().adapter_caps(h.adapter()).error());
  const Handle session = h.keyed_session(device);
  EXPECT_TRUE(h.runtime().crypto_session_status(device, session)->keyed);
}

TEST(HandleRulesTest, UnknownCryptoTypeOrDecodeProfileCreatesNothing) {
  RuntimeHarness h;
  const Handle device = h.open_device();

  Result<Handle> none = h.runtime().create_crypto_session(device, {caps::CryptoType::kNone, false});
  Result<Handle> other =
      h.runtime().create_crypto_session(device, {caps::CryptoType::kUnsupported, false});
  Result<Handle> profile = h.runtime().create_crypto_session(device, {kAesCtr.crypto_type, true});

  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::kNotAvailable);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Errc::kNotAvailable);
  ASSERT_FALSE(profile);
  EXPECT_EQ(profile.error().code, Errc::kUnsupportedCrypto);
  EXPECT_EQ(h.runtime().device_status(device)->live_sessions, 0u);
  EXPECT_TRUE(h.runtime().create_crypto_session(device, kAesCtr));
}

}  // namespace
}  // namespace cpddi::runtime::testing
