// Teardown (docs/behaviour.md, "Handles, objects and resources" and "Asynchronous device"):
// DestroyDevice drains the device's queue, then destroys every session and resource it hosts,
// then the device, and never fails on a live device; nothing of another device changes; a call
// racing it either runs before it or fails.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "runtime/runtime_harness.h"

namespace cpddi::runtime::testing {
namespace {

TEST(TeardownTest, DestroyDeviceKillsEveryHandleItHostsAndNothingElse) {
  RuntimeHarness h;
  const Handle doomed = h.open_device();
  const Handle kept = h.open_device();
  const Handle doomed_session = h.keyed_session(doomed);
  const Handle doomed_surface = h.protected_surface(doomed);
  const Handle kept_session = h.keyed_session(kept);
  const Handle kept_surface = h.protected_surface(kept);
  ASSERT_EQ(h.runtime().live_objects(), 7u);

  ASSERT_TRUE(h.runtime().destroy_device(doomed));

  EXPECT_EQ(h.runtime().live_objects(), 4u) << "adapter + the kept device and its two objects";
  for (Handle name : {doomed_session, doomed_surface}) {
    // Dead on every device, not only on the destroyed one.
    EXPECT_EQ(h.runtime().crypto_session_status(kept, name).error().code, Errc::kInvalidArgument);
    EXPECT_EQ(h.runtime().resource_status(kept, name).error().code, Errc::kInvalidArgument);
  }
  EXPECT_TRUE(h.runtime().crypto_session_status(kept, kept_session)->keyed);
  EXPECT_TRUE(h.runtime().resource_status(kept, kept_surface)->is_protected);
}

TEST(TeardownTest, CallsOnADestroyedDeviceFailAndChangeNothing) {
  RuntimeHarness h;
  const Handle device = h.open_device();
  ASSERT_TRUE(h.runtime().destroy_device(device));
  const std::size_t objects = h.runtime().live_objects();

  EXPECT_EQ(h.runtime().destroy_device(device).error().code, Errc::kInvalidArgument);
  EXPECT_EQ(h.runtime().flush(device).error().code, Errc::kInvalidArgument);
  EXPECT_EQ(h.runtime().create_crypto_session(device, kAesCtr).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(h.runtime().create_resource(device, surface_desc(true)).error().code,
            Errc::kInvalidArgument);
  EXPECT_EQ(h.runtime().live_objects(), objects);
}

TEST(TeardownTest, DestroyDeviceReturnsItsProtectedMemoryToTheAdaptersPool) {
  AdapterConfig config;
  config.caps.protected_memory_size = kFrameLen;  // one 16×4 protected surface
  RuntimeHarness h(config);
  const Handle doomed = h.open_device();
  const Handle other = h.open_device();
  ASSERT_TRUE(h.runtime().create_resource(doomed, surface_desc(true)));
  ASSERT_EQ(h.runtime().create_resource(other, surface_desc(true)).error().code,
            Errc::kOutOfProtectedMemory);

  ASSERT_TRUE(h.runtime().destroy_device(doomed));

  EXPECT_TRUE(h.runtime().create_resource(other, surface_desc(true)));
}

TEST(TeardownTest, DestroyDeviceDrainsFailingWorkAndStillSucceeds) {
  RuntimeHarness h;
  const Handle device = h.open_device();
  const Handle session = h.keyed_session(device);
  CallerMemory memory;
  const Handle source = h.system_surface(device, &memory);
  const Handle destination = h.protected_surface(device);
  const Key16 block = counter_block(1, kCountBeforeWrap);
  seal_into(memory, kAppKey, block, frame(1));
  {
    FailingBltRun failing;
    ASSERT_TRUE(h.decryption_blt(device, session, block, source, destination));
    EXPECT_TRUE(h.runtime().destroy_device(device))
        << "an error nobody can be told about is logged, not returned";
  }
  EXPECT_EQ(h.runtime().live_objects(), 1u);
}

TEST(TeardownTest, CallsRacingDestroyDeviceRunBeforeItOrFailAndLeaveNothingBehind) {
  RuntimeHarness h;
  const Handle device = h.open_device();
  const Handle session = h.keyed_session(device);
  std::atomic<bool> go{false};
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&] {
      while (!go.load()) {
        std::this_thread::yield();
      }
      for (int i = 0; i < 50; ++i) {
        // Objects made before the destroy die with the device; after it, creation fails.
        Result<Handle> surface = h.runtime().create_resource(device, surface_desc(true));
        Result<Handle> other = h.runtime().create_crypto_session(device, kAesCtr);
        Result<CryptoSessionStatus> status = h.runtime().crypto_session_status(device, session);
        for (const Error* error :
             {surface ? nullptr : &surface.error(), other ? nullptr : &other.error(),
              status ? nullptr : &status.error()}) {
          if (error != nullptr) {
            EXPECT_EQ(error->code, Errc::kInvalidArgument);
          }
        }
      }
    });
  }
  go.store(true);
  EXPECT_TRUE(h.runtime().destroy_device(device));
  for (std::thread& caller : callers) {
    caller.join();
  }

  EXPECT_EQ(h.runtime().live_objects(), 1u) << "only the adapter: nothing leaked past the destroy";
  EXPECT_EQ(h.runtime().flush(device).error().code, Errc::kInvalidArgument);
}

}  // namespace
}  // namespace cpddi::runtime::testing
