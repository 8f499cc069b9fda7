// Several threads on the authenticated channels of ONE device (docs/behaviour.md, "Threading"):
// every channel call holds the device lock, so channels that share the device's state
// (protection requests, the process list) can be driven from different threads with no lock of
// the caller's. Each worker owns its channel (its counters are its own) and switches its
// overlay requirement on and off while a churn thread creates, uses and destroys channels; every
// call must succeed and every output verify (ChannelClient checks each one), and when the
// workers are gone the device's protection is back to the always-on bit alone. Meant to run
// clean under the tsan preset.
#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "support/channel_client.h"

namespace cpddi::testing {
namespace {

constexpr int kWorkers = 4;
constexpr int kIterations = 30;
constexpr std::uint32_t kProtectionEnabled = 0x1;
constexpr std::uint32_t kOverlayRequired = 0x2;

TEST(ChannelThreadsTest, ChannelsOfOneDeviceRunConcurrentlyAndShareProtection) {
  OpenedDevice device;
  ASSERT_TRUE(device.ok());
  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back([&device, w] {
      ChannelClient channel(device, static_cast<std::uint8_t>(10 + w));
      for (int i = 0; i < kIterations; ++i) {
        EXPECT_EQ(channel.protect(kProtectionEnabled | kOverlayRequired), S_OK);
        // Its own request is in force whatever the other channels asked for.
        EXPECT_EQ(channel.query_u32(wire::ChannelQuery::kProtection) & kOverlayRequired,
                  kOverlayRequired);
        EXPECT_EQ(channel.protect(0), S_OK);
      }
    });
  }
  threads.emplace_back([&device] {
    for (int i = 0; i < kIterations; ++i) {
      ChannelClient churn(device, static_cast<std::uint8_t>(100 + i));
      EXPECT_EQ(churn.query_u32(wire::ChannelQuery::kChannelType), 2u);
      EXPECT_EQ(churn.destroy(), S_OK);
    }
  });
  for (std::thread& t : threads) {
    t.join();
  }
  ChannelClient after(device, 200);
  EXPECT_EQ(after.query_u32(wire::ChannelQuery::kProtection), kProtectionEnabled);
}

}  // namespace
}  // namespace cpddi::testing
