// ProtectedPool and Resource (src/device/resource.h, spec §4.10, §9 A16, A22): protected
// reservations live exactly as long as their surface, exhaustion reserves nothing, and protected
// surfaces never lock.
#include <cstdint>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "device/resource.h"

namespace cpddi::device {
namespace {

SurfaceDesc protected_desc(std::uint32_t width, std::uint32_t height) {
  SurfaceDesc d;
  d.format = SurfaceFormat::kX8R8G8B8;
  d.width = width;
  d.height = height;
  d.pool = Pool::kVideoMemory;
  d.restricted_content = true;
  return d;
}

SurfaceDesc plain_desc(Pool pool, std::uint32_t width = 16, std::uint32_t height = 4) {
  SurfaceDesc d;
  d.format = SurfaceFormat::kX8R8G8B8;
  d.width = width;
  d.height = height;
  d.pool = pool;
  return d;
}

// ---- ProtectedPool ----

TEST(ProtectedPoolTest, ReserveAndReleaseAccount) {
  ProtectedPool pool(1000);
  EXPECT_EQ(pool.capacity(), 1000u);
  EXPECT_EQ(pool.in_use(), 0u);
  EXPECT_TRUE(pool.try_reserve(400));
  EXPECT_EQ(pool.in_use(), 400u);
  EXPECT_TRUE(pool.try_reserve(600));  // exactly full
  EXPECT_EQ(pool.in_use(), 1000u);
  pool.release(400);
  EXPECT_EQ(pool.in_use(), 600u);
  pool.release(600);
  EXPECT_EQ(pool.in_use(), 0u);
}

TEST(ProtectedPoolTest, OverCapacityFailsAndReservesNothing) {
  ProtectedPool pool(1000);
  ASSERT_TRUE(pool.try_reserve(900));
  EXPECT_FALSE(pool.try_reserve(101));
  EXPECT_EQ(pool.in_use(), 900u);
  EXPECT_FALSE(pool.try_reserve(~std::uint64_t{0}));  // no wrap-around in the check
  EXPECT_EQ(pool.in_use(), 900u);
  EXPECT_TRUE(pool.try_reserve(100));
  EXPECT_EQ(pool.in_use(), 1000u);
}

TEST(ProtectedPoolTest, ZeroBytesAlwaysFit) {
  ProtectedPool pool(0);
  EXPECT_TRUE(pool.try_reserve(0));
  EXPECT_FALSE(pool.try_reserve(1));
  EXPECT_EQ(pool.in_use(), 0u);
}

// ---- Resource::create ----

TEST(ResourceTest, DriverOwnedSurfaceIsZeroedAlignedAndCoversTheLayout) {
  Result<std::shared_ptr<Resource>> r = Resource::create(plain_desc(Pool::kVideoMemory, 17, 3),
                                                         nullptr);
  ASSERT_TRUE(r) << r.error().reason;
  const Resource& res = **r;
  EXPECT_EQ(res.layout().pitch, 128u);
  EXPECT_EQ(res.layout().rows, 3u);
  EXPECT_EQ(res.size(), 384u);
  ASSERT_NE(res.data(), nullptr);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(res.data()) % 64, 0u);
  for (std::size_t i = 0; i < res.size(); ++i) {
    ASSERT_EQ(res.data()[i], 0) << "byte " << i;
  }
  EXPECT_FALSE(res.is_protected());
  EXPECT_FALSE(res.in_system_memory());
  EXPECT_FALSE(res.locked());
}

TEST(ResourceTest, SystemMemorySurfaceIsInSystemMemory) {
  Result<std::shared_ptr<Resource>> r = Resource::create(plain_desc(Pool::kSystemMemory), nullptr);
  ASSERT_TRUE(r);
  EXPECT_TRUE((*r)->in_system_memory());
  EXPECT_FALSE((*r)->is_protected());
}

TEST(ResourceTest, UnprotectedSurfaceReservesNothing) {
  auto pool = std::make_shared<ProtectedPool>(1 << 20);
  Result<std::shared_ptr<Resource>> r = Resource::create(plain_desc(Pool::kVideoMemory), pool);
  ASSERT_TRUE(r);
  EXPECT_EQ(pool->in_use(), 0u);
}

TEST(ResourceTest, ProtectedReservationIsReleasedOnDestruction) {
  auto pool = std::make_shared<ProtectedPool>(1 << 20);
  Result<std::shared_ptr<Resource>> r = Resource::create(protected_desc(16, 4), pool);
  ASSERT_TRUE(r) << r.error().reason;
  EXPECT_TRUE((*r)->is_protected());
  EXPECT_EQ((*r)->size(), 256u);
  EXPECT_EQ(pool->in_use(), 256u);

  std::shared_ptr<Resource> second = *Resource::create(protected_desc(32, 2), pool);
  EXPECT_EQ(pool->in_use(), 256u + 256u);

  r = Error{Errc::kInternal, "drop"};  // destroys the first surface
  EXPECT_EQ(pool->in_use(), 256u);
  second.reset();
  EXPECT_EQ(pool->in_use(), 0u);
}

TEST(ResourceTest, PoolExhaustionIsOutOfProtectedMemoryAndReservesNothing) {
  auto pool = std::make_shared<ProtectedPool>(256 + 255);  // room for one 256-byte surface
  Result<std::shared_ptr<Resource>> first = Resource::create(protected_desc(16, 4), pool);
  ASSERT_TRUE(first);
  ASSERT_EQ(pool->in_use(), 256u);

  Result<std::shared_ptr<Resource>> second = Resource::create(protected_desc(16, 4), pool);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::kOutOfProtectedMemory);
  EXPECT_EQ(pool->in_use(), 256u);

  first = Error{Errc::kInternal, "drop"};
  EXPECT_EQ(pool->in_use(), 0u);
  Result<std::shared_ptr<Resource>> third = Resource::create(protected_desc(16, 4), pool);
  ASSERT_TRUE(third);  // the space came back
  EXPECT_EQ(pool->in_use(), 256u);
}

TEST(ResourceTest, SurfaceLargerThanTheWholePoolFails) {
  auto pool = std::make_shared<ProtectedPool>(255);
  Result<std::shared_ptr<Resource>> r = Resource::create(protected_desc(16, 4), pool);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kOutOfProtectedMemory);
  EXPECT_EQ(pool->in_use(), 0u);
}

TEST(ResourceTest, ProtectedSurfaceWithoutAPoolFails) {
  Result<std::shared_ptr<Resource>> r = Resource::create(protected_desc(16, 4), nullptr);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kOutOfProtectedMemory);
}

TEST(ResourceTest, InvalidLayoutFailsBeforeReserving) {
  auto pool = std::make_shared<ProtectedPool>(1 << 20);
  Result<std::shared_ptr<Resource>> r = Resource::create(protected_desc(0, 4), pool);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(pool->in_use(), 0u);
}

TEST(ResourceTest, CallerMemoryIsUsedInPlaceWithItsPitch) {
  std::vector<std::uint8_t> memory(10 * 3, 0x5A);
  SurfaceDesc d = plain_desc(Pool::kSystemMemory, 2, 3);
  d.caller_memory = memory.data();
  d.caller_pitch = 10;
  Result<std::shared_ptr<Resource>> r = Resource::create(d, nullptr);
  ASSERT_TRUE(r) << r.error().reason;
  EXPECT_EQ((*r)->data(), memory.data());
  EXPECT_EQ((*r)->layout().pitch, 10u);
  EXPECT_EQ((*r)->size(), 30u);  // exactly pitch × rows: no rounding into memory we do not own
  EXPECT_EQ(memory[0], 0x5A);    // not cleared
}

TEST(ResourceTest, CallerMemoryIsOnlyForUnprotectedSystemMemory) {
  auto pool = std::make_shared<ProtectedPool>(1 << 20);
  std::vector<std::uint8_t> memory(4096, 0);

  SurfaceDesc video = plain_desc(Pool::kVideoMemory);
  video.caller_memory = memory.data();
  video.caller_pitch = 64;
  Result<std::shared_ptr<Resource>> r = Resource::create(video, pool);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);

  SurfaceDesc restricted = plain_desc(Pool::kSystemMemory);
  restricted.restricted_content = true;
  restricted.caller_memory = memory.data();
  restricted.caller_pitch = 64;
  r = Resource::create(restricted, pool);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(pool->in_use(), 0u);
}

// ---- Lock / Unlock (spec §4.10, A22) ----

TEST(ResourceLockTest, UnprotectedSurfaceLocksOnceAndUnlocksOnce) {
  std::shared_ptr<Resource> res = *Resource::create(plain_desc(Pool::kSystemMemory), nullptr);

  Result<std::uint8_t*> mapped = res->lock();
  ASSERT_TRUE(mapped);
  EXPECT_EQ(*mapped, res->data());
  EXPECT_TRUE(res->locked());

  Result<std::uint8_t*> again = res->lock();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kWrongState);
  EXPECT_TRUE(res->locked());  // still locked by the first call

  ASSERT_TRUE(res->unlock());
  EXPECT_FALSE(res->locked());
  Result<void> unlock_again = res->unlock();
  ASSERT_FALSE(unlock_again);
  EXPECT_EQ(unlock_again.error().code, Errc::kWrongState);
  EXPECT_FALSE(res->locked());

  EXPECT_TRUE(res->lock());  // and it can be locked again
}

TEST(ResourceLockTest, UnlockWithoutLockIsWrongState) {
  std::shared_ptr<Resource> res = *Resource::create(plain_desc(Pool::kVideoMemory), nullptr);
  Result<void> r = res->unlock();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kWrongState);
  EXPECT_FALSE(res->locked());
}

TEST(ResourceLockTest, ProtectedSurfaceNeverLocks) {
  auto pool = std::make_shared<ProtectedPool>(1 << 20);
  for (Pool p : {Pool::kVideoMemory, Pool::kSystemMemory}) {
    SurfaceDesc d = protected_desc(16, 4);
    d.pool = p;
    std::shared_ptr<Resource> res = *Resource::create(d, pool);
    for (int attempt = 0; attempt < 2; ++attempt) {
      Result<std::uint8_t*> mapped = res->lock();
      ASSERT_FALSE(mapped);
      EXPECT_EQ(mapped.error().code, Errc::kWrongState);
      EXPECT_FALSE(res->locked());
    }
    Result<void> unlocked = res->unlock();
    ASSERT_FALSE(unlocked);
    EXPECT_EQ(unlocked.error().code, Errc::kWrongState);
  }
}

}  // namespace
}  // namespace cpddi::device
