#include <gtest/gtest.h>

#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

TEST(SmokeTest, DecryptThenReadBackRoundTrips) {
  OpenedDevice device;
  KeyedSession session(device);
  HANDLE surface = device.create_surface(D3DDDIFMT_NV12, 64, 32, D3DDDIPOOL_VIDEOMEMORY, true);
  ASSERT_NE(surface, nullptr);
  const std::size_t len = session.surface_bytes(surface, D3DDDIFMT_NV12, 32);
  const Bytes frame = pattern_bytes(len, 7);
  const Iv iv = session.next_iv();
  ASSERT_EQ(session.decryption_blt(surface, ctr(session.app_key(), iv, frame), iv), S_OK);
  EXPECT_EQ(session.read_back(surface, len), frame);
  ASSERT_EQ(session.refresh(), S_OK);
  const Iv iv2 = session.next_iv();
  const Bytes frame2 = pattern_bytes(len, 8);
  ASSERT_EQ(session.decryption_blt(surface, ctr(session.app_key(), iv2, frame2), iv2), S_OK);
  EXPECT_EQ(session.read_back(surface, len), frame2);
}

}  // namespace
}  // namespace cpddi::testing
