// HandleTable (src/base/handle_table.h, spec §9 A29): generation-tagged handles that never reach
// another object — not after removal, not after the slot is reused, not through another kind's
// table, and never for null or forged values.
#include "base/handle_table.h"

#include <cstdint>
#include <memory>
#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace cpddi {
namespace {

struct Thing {
  int value = 0;
};

std::uint64_t bits_of(const void* handle) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(handle));
}

void* handle_from_bits(std::uint64_t bits) {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(bits));
}

TEST(HandleTableTest, InsertReturnsNonNullHandleThatFindsTheObject) {
  HandleTable<Thing> table(HandleKind::kSession);
  auto thing = std::make_shared<Thing>(Thing{7});

  void* handle = table.insert(thing);

  ASSERT_NE(handle, nullptr);
  std::shared_ptr<Thing> found = table.find(handle);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found.get(), thing.get());
  EXPECT_EQ(found->value, 7);
}

TEST(HandleTableTest, HandleCarriesTheKindTagInItsTopByte) {
  HandleTable<Thing> sessions(HandleKind::kSession);
  HandleTable<Thing> resources(HandleKind::kResource);

  EXPECT_EQ(bits_of(sessions.insert(std::make_shared<Thing>())) >> 56, 0xC5u);
  EXPECT_EQ(bits_of(resources.insert(std::make_shared<Thing>())) >> 56, 0x5Eu);
}

TEST(HandleTableTest, DistinctObjectsGetDistinctHandles) {
  HandleTable<Thing> table(HandleKind::kResource);
  std::vector<void*> handles;
  for (int i = 0; i < 100; ++i) {
    handles.push_back(table.insert(std::make_shared<Thing>(Thing{i})));
  }

  EXPECT_EQ(std::set<void*>(handles.begin(), handles.end()).size(), handles.size());
  for (int i = 0; i < 100; ++i) {
    std::shared_ptr<Thing> found = table.find(handles[static_cast<std::size_t>(i)]);
    ASSERT_NE(found, nullptr) << "handle " << i;
    EXPECT_EQ(found->value, i);
  }
}

TEST(HandleTableTest, RemoveReturnsTheObjectAndKillsTheHandle) {
  HandleTable<Thing> table(HandleKind::kDevice);
  auto thing = std::make_shared<Thing>(Thing{1});
  void* handle = table.insert(thing);
  void* other = table.insert(std::make_shared<Thing>(Thing{2}));

  std::shared_ptr<Thing> removed = table.remove(handle);

  EXPECT_EQ(removed.get(), thing.get());
  EXPECT_EQ(table.find(handle), nullptr);
  EXPECT_EQ(table.remove(handle), nullptr);  // a second remove of the same handle fails
  ASSERT_NE(table.find(other), nullptr);     // the neighbour is untouched
  EXPECT_EQ(table.find(other)->value, 2);
}

TEST(HandleTableTest, TableDropsItsReferenceOnRemove) {
  HandleTable<Thing> table(HandleKind::kDevice);
  auto thing = std::make_shared<Thing>();
  void* handle = table.insert(thing);
  EXPECT_EQ(thing.use_count(), 2);

  std::shared_ptr<Thing> removed = table.remove(handle);
  removed.reset();

  EXPECT_EQ(thing.use_count(), 1);
}

TEST(HandleTableTest, StaleHandleFailsEvenWhenItsSlotIsReused) {
  HandleTable<Thing> table(HandleKind::kSession);
  void* stale = table.insert(std::make_shared<Thing>(Thing{1}));
  ASSERT_NE(table.remove(stale), nullptr);

  auto successor = std::make_shared<Thing>(Thing{2});
  void* fresh = table.insert(successor);

  // Same slot (the index half of the handle), new generation.
  EXPECT_EQ(bits_of(fresh) & 0xFFFFFFFFu, bits_of(stale) & 0xFFFFFFFFu);
  EXPECT_NE(fresh, stale);
  EXPECT_EQ(table.find(stale), nullptr);
  EXPECT_EQ(table.remove(stale), nullptr);
  // The failed remove through the stale handle did not touch the new occupant.
  ASSERT_NE(table.find(fresh), nullptr);
  EXPECT_EQ(table.find(fresh).get(), successor.get());
}

TEST(HandleTableTest, EveryGenerationOfAReusedSlotStaysDead) {
  HandleTable<Thing> table(HandleKind::kResource);
  std::vector<void*> dead;
  for (int i = 0; i < 1000; ++i) {
    void* handle = table.insert(std::make_shared<Thing>(Thing{i}));
    ASSERT_NE(table.remove(handle), nullptr) << "cycle " << i;
    dead.push_back(handle);
  }
  auto last = std::make_shared<Thing>(Thing{-1});
  void* live = table.insert(last);

  EXPECT_EQ(std::set<void*>(dead.begin(), dead.end()).size(), dead.size());
  for (void* handle : dead) {
    EXPECT_EQ(table.find(handle), nullptr);
  }
  EXPECT_EQ(table.find(live).get(), last.get());
}

TEST(HandleTableTest, HandleOfAnotherKindFailsInBothDirections) {
  HandleTable<Thing> sessions(HandleKind::kSession);
  HandleTable<Thing> resources(HandleKind::kResource);
  auto session = std::make_shared<Thing>(Thing{1});
  auto resource = std::make_shared<Thing>(Thing{2});
  void* session_handle = sessions.insert(session);
  void* resource_handle = resources.insert(resource);
  // Both are slot 0, generation 1: only the kind tag differs.
  ASSERT_EQ(bits_of(session_handle) << 8, bits_of(resource_handle) << 8);

  EXPECT_EQ(resources.find(session_handle), nullptr);
  EXPECT_EQ(sessions.find(resource_handle), nullptr);
  EXPECT_EQ(resources.remove(session_handle), nullptr);
  EXPECT_EQ(sessions.remove(resource_handle), nullptr);

  EXPECT_EQ(sessions.find(session_handle).get(), session.get());
  EXPECT_EQ(resources.find(resource_handle).get(), resource.get());
}

TEST(HandleTableTest, RetaggedHandleFails) {
  HandleTable<Thing> sessions(HandleKind::kSession);
  auto thing = std::make_shared<Thing>();
  void* handle = sessions.insert(thing);
  const std::uint64_t body = bits_of(handle) & 0x00FFFFFFFFFFFFFFu;

  for (HandleKind other : {HandleKind::kAdapter, HandleKind::kDevice, HandleKind::kResource}) {
    void* forged = handle_from_bits((std::uint64_t{static_cast<std::uint8_t>(other)} << 56) | body);
    EXPECT_EQ(sessions.find(forged), nullptr);
    EXPECT_EQ(sessions.remove(forged), nullptr);
  }
  EXPECT_EQ(sessions.find(handle).get(), thing.get());
}

TEST(HandleTableTest, NullAndGarbageHandlesFail) {
  HandleTable<Thing> table(HandleKind::kDevice);
  auto thing = std::make_shared<Thing>(Thing{9});
  void* handle = table.insert(thing);
  const std::uint64_t bits = bits_of(handle);
  const std::uint64_t tag = bits & 0xFF00000000000000u;
  int local = 0;

  const std::vector<void*> garbage = {
      nullptr,
      handle_from_bits(1),
      handle_from_bits(0x1234),
      &local,                                            // a real pointer
      thing.get(),                                       // the object's own address
      handle_from_bits(tag),                             // right kind, index 0 (reserved)
      handle_from_bits(tag | (bits & 0x00FFFFFF00000000u) | 2),    // index past the table
      handle_from_bits(tag | (bits & 0x00FFFFFF00000000u) | 0xFFFFFFFFu),
      handle_from_bits((bits & 0x00000000FFFFFFFFu) | tag),        // generation 0
      handle_from_bits(bits + (std::uint64_t{1} << 32)),           // next generation
      handle_from_bits(bits | 0x00FF000000000000u),                // high generation bits
      handle_from_bits(~std::uint64_t{0}),
  };
  for (void* bad : garbage) {
    EXPECT_EQ(table.find(bad), nullptr) << std::hex << bits_of(bad);
    EXPECT_EQ(table.remove(bad), nullptr) << std::hex << bits_of(bad);
  }
  ASSERT_NE(table.find(handle), nullptr);
  EXPECT_EQ(table.find(handle)->value, 9);
}

TEST(HandleTableTest, EmptyTableFindsNothing) {
  HandleTable<Thing> table(HandleKind::kAdapter);
  EXPECT_EQ(table.find(handle_from_bits(0xA100000100000001u)), nullptr);
  EXPECT_EQ(table.remove(handle_from_bits(0xA100000100000001u)), nullptr);
}

}  // namespace
}  // namespace cpddi
