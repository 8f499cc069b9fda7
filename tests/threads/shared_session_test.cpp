// Several threads on ONE crypto session. The rule (docs/behaviour.md, "Threading"): cpddi
// serialises every call on a device, so concurrent calls are safe; but which key a blt uses is
// fixed at its call (A6), so the application must order its own key changes against the blts
// that depend on that key. Here the threads share the application's model under two locks of
// their own:
//   - `key_mutex` guards the session-key model and the DecryptionBlt IV counter. A DecryptionBlt
//     (encrypt under the model key, take the next IV, call the driver) and a refresh (Start, XOR
//     into the model, Finish) each run whole under it, so every blt uses the key the model says
//     at its call and IVs reach the driver in increasing order (A12).
//   - `readback_mutex` (shared/exclusive) guards the read-back key model: EncryptionBlts take it
//     shared and run concurrently with each other and with refreshes (read-back does not use the
//     session key); GetEncryptionBltKey takes it exclusively, then `key_mutex` to unwrap under
//     the current session key (lock order readback → key, everywhere).
// Every thread decrypts its own frames into its own protected surface and reads them back; all
// read-back IVs of the session, over all threads, must be distinct and consecutive (§7.8).
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

#include "threads/stress_support.h"

namespace cpddi::testing {
namespace {

constexpr int kIterations = 40;

struct AppModel {
  std::mutex key_mutex;
  Key key = kTestKey;
  std::uint64_t next_iv = 1;

  std::shared_mutex readback_mutex;
  Key readback{};

  std::mutex ivs_mutex;
  std::vector<std::uint64_t> readback_ivs;
};

void shared_session_worker(const OpenedDevice& device, HANDLE session, AppModel& app, int thread) {
  ThreadSurfaces s(device);
  ASSERT_TRUE(s.ok());
  for (int i = 0; i < kIterations; ++i) {
    SCOPED_TRACE(::testing::Message() << "thread " << thread << " iteration " << i);
    const Bytes frame = frame_for(thread, i);
    {
      std::lock_guard key_lock(app.key_mutex);
      const Iv iv = make_iv(app.next_iv++);
      ASSERT_EQ(decrypt_into(s, session, ctr(app.key, iv, frame), iv), S_OK);
    }
    {
      std::shared_lock readback_lock(app.readback_mutex);
      Bytes ciphertext;
      Iv iv{};
      ASSERT_EQ(encrypt_out(s, session, &ciphertext, &iv), S_OK);
      ASSERT_EQ(ctr(app.readback, iv, ciphertext), frame);
      std::lock_guard ivs_lock(app.ivs_mutex);
      app.readback_ivs.push_back(iv_field(iv));
    }
    if ((i + thread) % 4 == 3) {
      std::lock_guard key_lock(app.key_mutex);
      Key number{};
      ASSERT_EQ(start_refresh(device, session, &number), S_OK);
      ASSERT_EQ(finish_refresh(device, session), S_OK);
      app.key = xor_keys(app.key, number);
    }
    if (thread == 0 && i % 8 == 7) {
      std::unique_lock readback_lock(app.readback_mutex);
      std::lock_guard key_lock(app.key_mutex);
      Key wrapped{};
      ASSERT_EQ(get_readback_key(device, session, &wrapped), S_OK);
      app.readback = ecb_unwrap(app.key, wrapped);
    }
  }
}

TEST(SharedSessionTest, ThreadsSerialisingTheirKeyModelAllReadBackWhatTheyWrote) {
  OpenedDevice device;
  ASSERT_TRUE(device.ok());
  KeyedSession session(device, kTestKey);
  AppModel app;
  {
    Key wrapped{};
    ASSERT_EQ(get_readback_key(device, session.handle(), &wrapped), S_OK);
    app.readback = ecb_unwrap(app.key, wrapped);
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] { shared_session_worker(device, session.handle(), app, t); });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  ASSERT_FALSE(::testing::Test::HasFailure());
  // One IV per read-back, all distinct and consecutive: the device lock serialised them.
  std::vector<std::uint64_t> ivs = app.readback_ivs;
  ASSERT_EQ(ivs.size(), static_cast<std::size_t>(kThreads * kIterations));
  std::sort(ivs.begin(), ivs.end());
  for (std::size_t i = 1; i < ivs.size(); ++i) {
    ASSERT_EQ(ivs[i], ivs[0] + i) << "read-back IVs are not one sequence";
  }
  // The model and the driver still agree on the session key after all the refreshes.
  const Bytes frame = pattern_bytes(ThreadSurfaces::kLen, 77);
  ThreadSurfaces s(device);
  const Iv iv = make_iv(app.next_iv++);
  ASSERT_EQ(decrypt_into(s, session.handle(), ctr(app.key, iv, frame), iv), S_OK);
  Bytes ciphertext;
  Iv readback_iv{};
  ASSERT_EQ(encrypt_out(s, session.handle(), &ciphertext, &readback_iv), S_OK);
  EXPECT_EQ(ctr(app.readback, readback_iv, ciphertext), frame);
}

}  // namespace
}  // namespace cpddi::testing
