// Device (src/device/device.h, spec §4.1): resource and session limits (E_OUTOFMEMORY past
// them, nothing counted on failure) and the surfaces' fences on the device's work queue.
#include <cstdint>
#include <memory>
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

Device make_device(DeviceLimits limits, std::shared_ptr<ProtectedPool> pool = nullptr) {
  if (!pool) {
    pool = std::make_shared<ProtectedPool>(1 << 20);
  }
  return Device(limits, std::move(pool), 1);
}

TEST(DeviceTest, DefaultLimits) {
  const DeviceLimits limits;
  EXPECT_EQ(limits.max_sessions, 1024u);
  EXPECT_EQ(limits.max_resources, 4096u);
}

TEST(DeviceTest, ResourceLimitIsOutOfMemoryAndCountsNothing) {
  auto pool = std::make_shared<ProtectedPool>(1 << 20);
  Device device = make_device(DeviceLimits{4, 3}, pool);
  std::vector<std::shared_ptr<Resource>> live;
  for (int i = 0; i < 3; ++i) {
    Result<std::shared_ptr<Resource>> r = device.create_resource(surface(i == 0));
    ASSERT_TRUE(r) << "resource " << i;
    live.push_back(*r);
  }
  EXPECT_EQ(device.live_resources(), 3u);
  const std::uint64_t reserved = pool->in_use();

  Result<std::shared_ptr<Resource>> over = device.create_resource(surface(true));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, Errc::kOutOfMemory);
  EXPECT_EQ(device.live_resources(), 3u);
  EXPECT_EQ(pool->in_use(), reserved);  // the refused surface reserved nothing

  live.pop_back();
  device.resource_destroyed();
  EXPECT_EQ(device.live_resources(), 2u);
  EXPECT_TRUE(device.create_resource(surface()));
  EXPECT_EQ(device.live_resources(), 3u);
}

TEST(DeviceTest, FailedResourceCreationIsNotCounted) {
  Device device = make_device(DeviceLimits{4, 2}, std::make_shared<ProtectedPool>(10));
  SurfaceDesc bad = surface();
  bad.width = 0;
  Result<std::shared_ptr<Resource>> r = device.create_resource(bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  Result<std::shared_ptr<Resource>> no_room = device.create_resource(surface(true));
  ASSERT_FALSE(no_room);
  EXPECT_EQ(no_room.error().code, Errc::kOutOfProtectedMemory);
  EXPECT_EQ(device.live_resources(), 0u);
}

TEST(DeviceTest, SessionLimitIsOutOfMemoryAndCountsNothing) {
  Device device = make_device(DeviceLimits{2, 8});
  EXPECT_TRUE(device.admit_session());
  EXPECT_TRUE(device.admit_session());
  EXPECT_EQ(device.live_sessions(), 2u);

  Result<void> over = device.admit_session();
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, Errc::kOutOfMemory);
  EXPECT_EQ(device.live_sessions(), 2u);

  device.session_destroyed();
  EXPECT_EQ(device.live_sessions(), 1u);
  EXPECT_TRUE(device.admit_session());
  EXPECT_EQ(device.live_sessions(), 2u);
}

TEST(DeviceTest, ZeroLimitsRefuseEverything) {
  Device device = make_device(DeviceLimits{0, 0});
  Result<void> session = device.admit_session();
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().code, Errc::kOutOfMemory);
  Result<std::shared_ptr<Resource>> resource = device.create_resource(surface());
  ASSERT_FALSE(resource);
  EXPECT_EQ(resource.error().code, Errc::kOutOfMemory);
  EXPECT_EQ(device.live_sessions(), 0u);
  EXPECT_EQ(device.live_resources(), 0u);
}

TEST(DeviceTest, SessionsAndResourcesAreCountedSeparately) {
  Device device = make_device(DeviceLimits{1, 1});
  EXPECT_TRUE(device.admit_session());
  EXPECT_TRUE(device.create_resource(surface()));
  EXPECT_FALSE(device.admit_session());
  EXPECT_FALSE(device.create_resource(surface()));
}

TEST(DeviceTest, SubmitMarksEverySurfaceTheWorkUsesAndWaitForWaitsForIt) {
  Device device = make_device(DeviceLimits{});
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
  Device device = make_device(DeviceLimits{});
  Result<std::shared_ptr<Resource>> target = device.create_resource(surface());
  ASSERT_TRUE(target);
  device.submit([](StripeRunner&) -> Result<void> { return Error{Errc::kInternal, "boom"}; },
                {target->get()});
  Result<void> waited = device.wait_for(**target);
  ASSERT_FALSE(waited);
  EXPECT_STREQ(waited.error().reason, "boom");
  EXPECT_TRUE(device.wait_for(**target));  // reported once
}

}  // namespace
}  // namespace cpddi::device
