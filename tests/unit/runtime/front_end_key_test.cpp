// Objects named by a front end's own key (runtime/names.h): the D3D11.1 front end will name each
// device, session and resource by the address of the private memory the Windows runtime
// allocated for it. A key names its object in every call for exactly as long as the object
// lives; its handle comes from the same space as every other front end's (spec §8.7, A29).
#include <gtest/gtest.h>

#include <set>

#include "runtime/runtime_harness.h"

namespace cpddi::runtime::testing {
namespace {

constexpr FrontEndKey kDeviceKey{0x10000};
constexpr FrontEndKey kSessionKey{0x20000};
constexpr FrontEndKey kSurfaceKey{0x30000};

TEST(FrontEndKeyTest, EveryCallAcceptsTheKeyInPlaceOfTheHandle) {
  RuntimeHarness h;
  Result<Handle> device = h.runtime().create_device(h.adapter(), kDeviceKey);
  ASSERT_TRUE(device);
  Result<Handle> session = h.runtime().create_crypto_session(kDeviceKey, kAesCtr, kSessionKey);
  ASSERT_TRUE(session);
  Result<Handle> surface = h.runtime().create_resource(kDeviceKey, surface_desc(true), kSurfaceKey);
  ASSERT_TRUE(surface);

  // Keys and handles mix freely: both name the same objects.
  EXPECT_EQ(*h.runtime().get_pitch(kDeviceKey, kSessionKey, {kSurfaceKey, 0}), 64u);
  EXPECT_EQ(*h.runtime().get_pitch(*device, *session, {*surface, 0}), 64u);
  EXPECT_EQ(*h.runtime().get_pitch(*device, kSessionKey, {*surface, 0}), 64u);
  EXPECT_TRUE(h.runtime().resource_status(kDeviceKey, *surface)->is_protected);
  EXPECT_EQ(h.runtime().device_status(*device)->live_sessions, 1u);
  EXPECT_EQ(h.runtime().device_status(kDeviceKey)->live_resources, 1u);
}

TEST(FrontEndKeyTest, KeyedAndUnkeyedObjectsGetHandlesFromOneSpace) {
  RuntimeHarness h;
  const Handle plain = h.open_device();
  const Handle keyed = *h.runtime().create_device(h.adapter(), kDeviceKey);
  std::set<std::uint64_t> handles{plain.value, keyed.value};
  for (int i = 0; i < 4; ++i) {
    handles.insert(h.runtime().create_crypto_session(plain, kAesCtr)->value);
    handles.insert(
        h.runtime().create_crypto_session(keyed, kAesCtr, FrontEndKey{0x50000u + i})->value);
  }
  EXPECT_EQ(handles.size(), 10u);
  std::set<std::uint64_t> slots;
  for (std::uint64_t handle : handles) {
    slots.insert(handle & 0xFFFFFFFFu);
  }
  EXPECT_EQ(slots.size(), 10u) << "one slot table for both kinds of naming";
}

TEST(FrontEndKeyTest, DestroyByKeyKillsKeyAndHandleAndFreesTheKey) {
  RuntimeHarness h;
  const Handle device = *h.runtime().create_device(h.adapter(), kDeviceKey);
  const Handle session = *h.runtime().create_crypto_session(device, kAesCtr, kSessionKey);
  const Handle surface = *h.runtime().create_resource(device, surface_desc(true), kSurfaceKey);

  ASSERT_TRUE(h.runtime().destroy_crypto_session(kDeviceKey, kSessionKey));
  ASSERT_TRUE(h.runtime().destroy_resource(kDeviceKey, kSurfaceKey));

  EXPECT_EQ(h.runtime().crypto_session_status(device, session).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(h.runtime().crypto_session_status(device, kSessionKey).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(h.runtime().resource_status(device, surface).error().code, Errc::kInvalidArgument);
  EXPECT_EQ(h.runtime().device_status(device)->live_sessions, 0u);
  EXPECT_EQ(h.runtime().device_status(device)->live_resources, 0u);
  // The memory may come back for a new object: its key is free again.
  Result<Handle> again = h.runtime().create_crypto_session(device, kAesCtr, kSessionKey);
  ASSERT_TRUE(again);
  EXPECT_NE(*again, session);
}

TEST(FrontEndKeyTest, KeyNamingALiveObjectIsRefusedAndNothingIsCreated) {
  RuntimeHarness h;
  const Handle device = *h.runtime().create_device(h.adapter(), kDeviceKey);
  ASSERT_TRUE(h.runtime().create_crypto_session(device, kAesCtr, kSessionKey));
  const std::size_t objects = h.runtime().live_objects();

  Result<Handle> session = h.runtime().create_crypto_session(device, kAesCtr, kSessionKey);
  Result<Handle> surface = h.runtime().create_resource(device, surface_desc(true), kDeviceKey);
  Result<Handle> second_device = h.runtime().create_device(h.adapter(), kSessionKey);
  Result<Handle> null_key = h.runtime().create_crypto_session(device, kAesCtr, FrontEndKey{0});

  for (const Result<Handle>* refused : {&session, &surface, &second_device, &null_key}) {
    ASSERT_FALSE(*refused);
    EXPECT_EQ(refused->error().code, Errc::kInvalidArgument);
  }
  EXPECT_EQ(h.runtime().live_objects(), objects);
  EXPECT_EQ(h.runtime().device_status(device)->live_sessions, 1u);
  EXPECT_EQ(h.runtime().device_status(device)->live_resources, 0u);
}

TEST(FrontEndKeyTest, KeyOfAnotherKindOrDeviceNamesNothing) {
  RuntimeHarness h;
  const Handle mine = *h.runtime().create_device(h.adapter(), kDeviceKey);
  const Handle other = h.open_device();
  ASSERT_TRUE(h.runtime().create_crypto_session(mine, kAesCtr, kSessionKey));

  EXPECT_EQ(h.runtime().flush(kSessionKey).error().code, Errc::kInvalidArgument);
  EXPECT_EQ(h.runtime().destroy_resource(mine, kSessionKey).error().code, Errc::kInvalidArgument);
  EXPECT_EQ(h.runtime().destroy_crypto_session(other, kSessionKey).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(h.runtime().device_status(mine)->live_sessions, 1u);
}

TEST(FrontEndKeyTest, DestroyDeviceFreesTheKeysOfEverythingItHosted) {
  RuntimeHarness h;
  const Handle device = *h.runtime().create_device(h.adapter(), kDeviceKey);
  ASSERT_TRUE(h.runtime().create_crypto_session(device, kAesCtr, kSessionKey));
  ASSERT_TRUE(h.runtime().create_resource(device, surface_desc(true), kSurfaceKey));

  ASSERT_TRUE(h.runtime().destroy_device(kDeviceKey));

  EXPECT_EQ(h.runtime().flush(kDeviceKey).error().code, Errc::kInvalidArgument);
  EXPECT_EQ(h.runtime().live_objects(), 1u) << "only the adapter is left";
  const Handle reborn = *h.runtime().create_device(h.adapter(), kDeviceKey);
  EXPECT_TRUE(h.runtime().create_crypto_session(reborn, kAesCtr, kSessionKey));
  EXPECT_TRUE(h.runtime().create_resource(reborn, surface_desc(true), kSurfaceKey));
}

}  // namespace
}  // namespace cpddi::runtime::testing
