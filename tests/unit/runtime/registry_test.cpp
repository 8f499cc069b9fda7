// The object registry (src/runtime/registry.h, spec §9 A29, §8.7): one generation-tagged handle
// space whose handles never reach another object — not after removal, not after the slot is
// reused, not as another kind, and never for null or forged values — and front-end keys that
// name an object for exactly as long as it lives.
#include "runtime/registry.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <set>
#include <vector>

namespace cpddi::runtime {
namespace {

struct Session {
  static constexpr ObjectKind kKind = ObjectKind::kCryptoSession;
  int value = 0;
};

struct Surface {
  static constexpr ObjectKind kKind = ObjectKind::kResource;
  int value = 0;
};

struct Gpu {
  static constexpr ObjectKind kKind = ObjectKind::kDevice;
  int value = 0;
};

Handle insert_session(Registry& registry, int value, std::optional<FrontEndKey> key = {}) {
  Result<Handle> handle = registry.insert(std::make_shared<Session>(Session{value}), key);
  EXPECT_TRUE(handle);
  return handle ? *handle : Handle{};
}

TEST(RegistryTest, InsertReturnsNonNullHandleThatFindsTheObject) {
  Registry registry;
  auto session = std::make_shared<Session>(Session{7});

  Result<Handle> handle = registry.insert(session);

  ASSERT_TRUE(handle);
  EXPECT_NE(handle->value, 0u);
  std::shared_ptr<Session> found = registry.find<Session>(*handle);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found.get(), session.get());
  EXPECT_EQ(found->value, 7);
  EXPECT_EQ(registry.live_objects(), 1u);
}

TEST(RegistryTest, HandleCarriesTheKindTagInItsTopByte) {
  Registry registry;
  EXPECT_EQ(insert_session(registry, 1).value >> 56, 0xC5u);
  EXPECT_EQ(registry.insert(std::make_shared<Surface>())->value >> 56, 0x5Eu);
  EXPECT_EQ(registry.insert(std::make_shared<Gpu>())->value >> 56, 0xD3u);
}

TEST(RegistryTest, ObjectsOfEveryKindShareOneSpaceOfDistinctHandles) {
  Registry registry;
  std::vector<Handle> handles;
  for (int i = 0; i < 30; ++i) {
    handles.push_back(insert_session(registry, i));
    handles.push_back(*registry.insert(std::make_shared<Surface>(Surface{i})));
  }

  std::set<std::uint64_t> slots;  // the index half: unique across kinds, not only per kind
  for (Handle handle : handles) {
    slots.insert(handle.value & 0xFFFFFFFFu);
  }
  EXPECT_EQ(slots.size(), handles.size());
  for (int i = 0; i < 30; ++i) {
    EXPECT_EQ(registry.find<Session>(handles[2 * i])->value, i);
    EXPECT_EQ(registry.find<Surface>(handles[2 * i + 1])->value, i);
  }
  EXPECT_EQ(registry.live_objects(), 60u);
}

TEST(RegistryTest, RemoveReturnsTheObjectAndKillsTheHandle) {
  Registry registry;
  auto session = std::make_shared<Session>(Session{1});
  const Handle handle = *registry.insert(session);
  const Handle other = insert_session(registry, 2);

  std::shared_ptr<Session> removed = registry.remove<Session>(handle);

  EXPECT_EQ(removed.get(), session.get());
  EXPECT_EQ(registry.find<Session>(handle), nullptr);
  EXPECT_EQ(registry.remove<Session>(handle), nullptr);  // a second remove fails
  ASSERT_NE(registry.find<Session>(other), nullptr);     // the neighbour is untouched
  EXPECT_EQ(registry.find<Session>(other)->value, 2);
  EXPECT_EQ(registry.live_objects(), 1u);
}

TEST(RegistryTest, RegistryDropsItsReferenceOnRemove) {
  Registry registry;
  auto session = std::make_shared<Session>();
  const Handle handle = *registry.insert(session);
  EXPECT_EQ(session.use_count(), 2);

  registry.remove<Session>(handle).reset();

  EXPECT_EQ(session.use_count(), 1);
}

TEST(RegistryTest, StaleHandleFailsEvenWhenItsSlotIsReusedByAnotherKind) {
  Registry registry;
  const Handle stale = insert_session(registry, 1);
  ASSERT_NE(registry.remove<Session>(stale), nullptr);

  auto successor = std::make_shared<Surface>(Surface{2});
  const Handle fresh = *registry.insert(successor);

  EXPECT_EQ(fresh.value & 0xFFFFFFFFu, stale.value & 0xFFFFFFFFu);  // same slot
  EXPECT_EQ(registry.find<Session>(stale), nullptr);
  EXPECT_EQ(registry.remove<Session>(stale), nullptr);
  // Retagged as the new occupant's kind, the old handle still carries the old generation.
  const Handle retagged{(fresh.value & 0xFF00000000000000u) | (stale.value & 0x00FFFFFFFFFFFFFFu)};
  EXPECT_EQ(registry.find<Surface>(retagged), nullptr);
  EXPECT_EQ(registry.find<Surface>(fresh).get(), successor.get());
}

TEST(RegistryTest, EveryGenerationOfAReusedSlotStaysDead) {
  Registry registry;
  std::vector<Handle> dead;
  for (int i = 0; i < 1000; ++i) {
    const Handle handle = insert_session(registry, i);
    ASSERT_NE(registry.remove<Session>(handle), nullptr) << "cycle " << i;
    dead.push_back(handle);
  }
  const Handle live = insert_session(registry, -1);

  std::set<std::uint64_t> values;
  for (Handle handle : dead) {
    values.insert(handle.value);
    EXPECT_EQ(registry.find<Session>(handle), nullptr);
  }
  EXPECT_EQ(values.size(), dead.size());
  EXPECT_EQ(registry.find<Session>(live)->value, -1);
}

TEST(RegistryTest, HandleOfAnotherKindFailsInBothDirections) {
  Registry registry;
  const Handle session = insert_session(registry, 1);
  const Handle surface = *registry.insert(std::make_shared<Surface>(Surface{2}));

  EXPECT_EQ(registry.find<Surface>(session), nullptr);
  EXPECT_EQ(registry.find<Session>(surface), nullptr);
  EXPECT_EQ(registry.remove<Surface>(session), nullptr);
  EXPECT_EQ(registry.remove<Session>(surface), nullptr);
  EXPECT_FALSE(registry.resolve<Surface>(session));

  EXPECT_EQ(registry.find<Session>(session)->value, 1);
  EXPECT_EQ(registry.find<Surface>(surface)->value, 2);
}

TEST(RegistryTest, NullAndGarbageHandlesFail) {
  Registry registry;
  const Handle handle = insert_session(registry, 9);
  const std::uint64_t bits = handle.value;
  const std::uint64_t tag = bits & 0xFF00000000000000u;
  const std::uint64_t generation = bits & 0x00FFFFFF00000000u;
  int local = 0;

  const std::vector<std::uint64_t> garbage = {
      0,
      1,
      0x1234,
      reinterpret_cast<std::uintptr_t>(&local),  // a real pointer
      tag,                                       // right kind, index 0 (reserved)
      tag | generation | 2,                      // index past the table
      tag | generation | 0xFFFFFFFFu,
      (bits & 0x00000000FFFFFFFFu) | tag,  // generation 0
      bits + (std::uint64_t{1} << 32),     // next generation
      bits | 0x00FF000000000000u,          // high generation bits
      ~std::uint64_t{0},
  };
  for (std::uint64_t bad : garbage) {
    EXPECT_EQ(registry.find<Session>(Handle{bad}), nullptr) << std::hex << bad;
    EXPECT_EQ(registry.remove<Session>(Handle{bad}), nullptr) << std::hex << bad;
  }
  EXPECT_EQ(registry.find<Session>(ObjectName{}), nullptr);  // the default name is null
  EXPECT_EQ(registry.find<Session>(handle)->value, 9);
  EXPECT_EQ(registry.live_objects(), 1u);
}

TEST(RegistryTest, EmptyRegistryFindsNothing) {
  const Registry registry;
  EXPECT_EQ(registry.find<Session>(Handle{0xC500000100000001u}), nullptr);
  EXPECT_EQ(registry.live_objects(), 0u);
}

// ---- Front-end keys ----

TEST(RegistryTest, KeyAndHandleNameTheSameObject) {
  Registry registry;
  const FrontEndKey key{0x7000};
  const Handle handle = insert_session(registry, 5, key);

  ASSERT_NE(registry.find<Session>(key), nullptr);
  EXPECT_EQ(registry.find<Session>(key).get(), registry.find<Session>(handle).get());
  ASSERT_TRUE(registry.resolve<Session>(key));
  EXPECT_EQ(*registry.resolve<Session>(key), handle);
  EXPECT_EQ(registry.find<Surface>(key), nullptr);  // a key names one object of one kind
}

TEST(RegistryTest, RemovingByKeyOrHandleKillsBothNames) {
  Registry registry;
  const FrontEndKey by_key{0x7000};
  const Handle first = insert_session(registry, 1, by_key);
  const FrontEndKey by_handle{0x8000};
  const Handle second = insert_session(registry, 2, by_handle);

  EXPECT_NE(registry.remove<Session>(by_key), nullptr);
  EXPECT_NE(registry.remove<Session>(second), nullptr);

  EXPECT_EQ(registry.find<Session>(first), nullptr);
  EXPECT_EQ(registry.find<Session>(by_key), nullptr);
  EXPECT_EQ(registry.find<Session>(by_handle), nullptr);
  EXPECT_FALSE(registry.resolve<Session>(by_key));
  // A dead key may name a new object (the runtime reuses private memory for a new one).
  const Handle reused = insert_session(registry, 3, by_key);
  EXPECT_EQ(registry.find<Session>(by_key)->value, 3);
  EXPECT_NE(reused, first);
}

TEST(RegistryTest, LiveOrNullKeyIsRejectedAndNothingIsStored) {
  Registry registry;
  const FrontEndKey key{0x7000};
  const Handle owner = insert_session(registry, 1, key);

  Result<Handle> twice = registry.insert(std::make_shared<Surface>(Surface{2}), key);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, Errc::kInvalidArgument);
  Result<Handle> null_key = registry.insert(std::make_shared<Session>(), FrontEndKey{0});
  ASSERT_FALSE(null_key);
  EXPECT_EQ(null_key.error().code, Errc::kInvalidArgument);

  EXPECT_EQ(registry.live_objects(), 1u);
  EXPECT_EQ(registry.find<Session>(key)->value, 1);
  EXPECT_EQ(registry.find<Session>(owner)->value, 1);
}

TEST(RegistryTest, UnknownKeyNamesNothing) {
  Registry registry;
  insert_session(registry, 1, FrontEndKey{0x7000});
  EXPECT_EQ(registry.find<Session>(FrontEndKey{0x7001}), nullptr);
  EXPECT_EQ(registry.remove<Session>(FrontEndKey{0x7001}), nullptr);
  EXPECT_EQ(registry.live_objects(), 1u);
}

}  // namespace
}  // namespace cpddi::runtime
