// Device (src/device/device.h): surfaces drawing protected memory from the adapter's pool, and
// the surfaces' fences on the device's work queue. (The per-device admission limits are the
// runtime's: tests/unit/runtime/admission_test.cpp.)
#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "device/device.h"

namespace cpddi::device {
namespace {

SurfaceDesc surface(bool restricted = false) {
  SurfaceDesc d;
  d.format = SurfaceFormat::kX8R8G8B8;
  d.width = 16;
  d.height = 4;
  d.pool = restricted ? Pool::kVideoMemory : Pool::kSystemMemory;
  d.restricted_content = restricted;
  return d;
}

Device make_device(std::shared_ptr<ProtectedPool> pool = nullptr) {
  if (!pool) {
    pool = std::make_shared<ProtectedPool>(1 << 20);
  }
  return Device(std::move(pool), 1);
}

TEST(DeviceTest, ProtectedSurfacesComeFromThePoolAndReturnToIt) {
  auto pool = std::make_shared<ProtectedPool>(1 << 20);
  Device device = make_device(pool);
  Result<std::shared_ptr<Resource>> plain = device.create_resource(surface());
  ASSERT_TRUE(plain);
  EXPECT_EQ(pool->in_use(), 0u);

  Result<std::shared_ptr<Resource>> guarded = device.create_resource(surface(true));
  ASSERT_TRUE(guarded);
  EXPECT_EQ(pool->in_use(), (*guarded)->size());

  guarded->reset();
  EXPECT_EQ(pool->in_use(), 0u);
}

TEST(DeviceTest, FailedResourceCreationReservesNothing) {
  auto pool = std::make_shared<ProtectedPool>(10);
  Device device = make_device(pool);
  SurfaceDesc bad = surface();
  bad.width = 0;
  Result<std::shared_ptr<Resource>> r = device.create_resource(bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  Result<std::shared_ptr<Resource>> no_room = device.create_resource(surface(true));
  ASSERT_FALSE(no_room);
  EXPECT_EQ(no_room.error().code, Errc::kOutOfProtectedMemory);
  EXPECT_EQ(pool->in_use(), 0u);
}

TEST(DeviceTest, SubmitMarksEverySurfaceTheWorkUsesAndWaitForWaitsForIt) {
  Device device = make_device();
  Result<std::shared_ptr<Resource>> read = device.create_resource(surface());
  Result<std::shared_ptr<Resource>> written = device.create_resource(surface());
  Result<std::shared_ptr<Resource>> untouched = device.create_resource(surface());
  ASSERT_TRUE(read && written && untouched);
  testing::hold_queues(true);
  const Fence fence = device.submit([](StripeRunner&) -> Result<void> { return {}; },
                                    {read->get(), written->get()});
  EXPECT_EQ((*read)->last_use(), fence);
  EXPECT_EQ((*written)->last_use(), fence);
  EXPECT_EQ((*untouched)->last_use(), 0u);
  EXPECT_TRUE(device.busy(**read));
  EXPECT_TRUE(device.busy(**written));
  EXPECT_FALSE(device.busy(**untouched));
  testing::hold_queues(false);
  EXPECT_TRUE(device.wait_for(**written));
  EXPECT_FALSE(device.busy(**read));
}

TEST(DeviceTest, WaitForReportsAFailureOfTheWorkOnTheSurface) {
  Device device = make_device();
  Result<std::shared_ptr<Resource>> target = device.create_resource(surface());
  ASSERT_TRUE(target);
  device.submit([](StripeRunner&) -> Result<void> { return Error{Errc::kInternal, "boom"}; },
                {target->get()});
  Result<void> waited = device.wait_for(**target);
  ASSERT_FALSE(waited);
  EXPECT_STREQ(waited.error().reason, "boom");
  EXPECT_TRUE(device.wait_for(**target));  // reported once
}

// Small work runs beside a busy queue only when its surfaces and session have no pending work
// (work_queue.h): here the queue is busy with a piece on `busy` that blocks until `go`.
TEST(DeviceTest, SmallWorkRunsBesideBusyWorkOnlyWhenNothingItDependsOnIsPending) {
  Device device = make_device();
  Result<std::shared_ptr<Resource>> busy = device.create_resource(surface());
  Result<std::shared_ptr<Resource>> free = device.create_resource(surface());
  ASSERT_TRUE(busy && free);
  std::atomic<bool> started{false};
  std::atomic<bool> go{false};
  const Fence blocking = device.submit(
      [&](StripeRunner&) -> Result<void> {
        started = true;
        while (!go) {
          std::this_thread::yield();
        }
        return {};
      },
      {busy->get()});
  while (!started) {
    std::this_thread::yield();
  }
  std::atomic<int> ran{0};
  auto count = [&](StripeRunner&) -> Result<void> {
    ++ran;
    return {};
  };
  const Fence beside = device.submit(count, {free->get()}, Placement::kBesideWhenIndependent);
  EXPECT_EQ(ran.load(), 1) << "independent: ran before submit returned";
  EXPECT_FALSE(device.busy(**free));
  const Fence on_busy = device.submit(count, {busy->get()}, Placement::kBesideWhenIndependent);
  const Fence after_session =
      device.submit(count, {free->get()}, Placement::kBesideWhenIndependent, blocking);
  EXPECT_EQ(ran.load(), 1) << "work behind pending work on its surface or session is queued";
  EXPECT_FALSE(device.queue().reached(on_busy));
  EXPECT_FALSE(device.queue().reached(after_session));
  EXPECT_TRUE(device.queue().reached(beside));
  go = true;
  EXPECT_TRUE(device.queue().flush());
  EXPECT_EQ(ran.load(), 3);
}

}  // namespace
}  // namespace cpddi::device
