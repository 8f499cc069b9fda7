// Threads sharing one device: each thread owns one keyed session on it and runs DecryptionBlt,
// EncryptionBlt read-backs, refreshes and read-back key changes on it; one variant adds a thread
// that creates, keys and destroys sessions and surfaces on the same device meanwhile. Every
// read-back must equal what that thread wrote, and each session's read-back IVs must rise by
// exactly one (spec §7.8). No app-side locks: different sessions are independent, and calls on
// one device are serialised by cpddi's device lock (docs/behaviour.md, "Threading").
#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "threads/stress_support.h"

namespace cpddi::testing {
namespace {

constexpr int kIterations = 40;

Key thread_key(int thread) {
  Key key = kTestKey;
  key[0] = static_cast<std::uint8_t>(0xA0 + thread);
  return key;
}

// One thread's whole life on its own session of `device`.
void own_session_worker(const OpenedDevice& device, int thread, int iterations) {
  Key key = thread_key(thread);
  KeyedSession session(device, key);
  ThreadSurfaces s(device);
  ASSERT_TRUE(s.ok());
  Key wrapped{};
  ASSERT_EQ(get_readback_key(device, session.handle(), &wrapped), S_OK);
  Key readback = ecb_unwrap(key, wrapped);
  std::uint64_t next_iv = 1;
  std::optional<std::uint64_t> last_readback_iv;
  for (int i = 0; i < iterations; ++i) {
    SCOPED_TRACE(::testing::Message() << "thread " << thread << " iteration " << i);
    const Bytes frame = frame_for(thread, i);
    const Iv iv = make_iv(next_iv++);
    ASSERT_EQ(decrypt_into(s, session.handle(), ctr(key, iv, frame), iv), S_OK);
    Bytes ciphertext;
    Iv readback_iv{};
    ASSERT_EQ(encrypt_out(s, session.handle(), &ciphertext, &readback_iv), S_OK);
    ASSERT_EQ(ctr(readback, readback_iv, ciphertext), frame);
    if (last_readback_iv) {
      ASSERT_EQ(iv_field(readback_iv), *last_readback_iv + 1);
    }
    last_readback_iv = iv_field(readback_iv);
    if (i % 5 == 4) {
      Key number{};
      ASSERT_EQ(start_refresh(device, session.handle(), &number), S_OK);
      ASSERT_EQ(finish_refresh(device, session.handle()), S_OK);
      key = xor_keys(key, number);
    }
    if (i % 7 == 6) {
      ASSERT_EQ(get_readback_key(device, session.handle(), &wrapped), S_OK);
      readback = ecb_unwrap(key, wrapped);
    }
  }
}

void run_threads(int count, const std::function<void(int)>& body) {
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(count));
  for (int t = 0; t < count; ++t) {
    threads.emplace_back(body, t);
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
}

// Separate devices and separate adapters running concurrently is a rule for every driver (the
// UMD threading model): conform's threads.* cases check it. These tests check what cpddi adds,
// that one device is safe to share between threads (docs/behaviour.md, "Threading").

TEST(ThreadStressTest, SeparateSessionsOfOneDeviceRunConcurrently) {
  OpenedDevice device;
  ASSERT_TRUE(device.ok());
  run_threads(kThreads, [&](int t) { own_session_worker(device, t, kIterations); });
}

// Creates, keys and destroys sessions and surfaces on `device` while other threads use it; a
// destroyed handle must stay dead even though its slot is reused by the other threads.
void churn_worker(const OpenedDevice& device, int rounds) {
  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE(::testing::Message() << "churn round " << round);
    HRESULT hr = S_OK;
    HANDLE session = device.create_session(&hr);
    ASSERT_EQ(hr, S_OK);
    const Bytes blob = device.wrap_session_key(kOtherKey);
    D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE exchange{session, static_cast<UINT>(blob.size()),
                                                const_cast<std::uint8_t*>(blob.data())};
    ASSERT_EQ(device.funcs().pfnCryptoSessionKeyExchange(device.device(), &exchange), S_OK);
    HANDLE surface =
        device.create_surface(D3DDDIFMT_NV12, 32, 16, D3DDDIPOOL_VIDEOMEMORY, true, &hr);
    ASSERT_EQ(hr, S_OK);
    ASSERT_EQ(device.destroy_surface(surface), S_OK);
    ASSERT_EQ(device.destroy_session(session), S_OK);
    ASSERT_EQ(device.destroy_session(session), E_INVALIDARG);
    ASSERT_EQ(device.funcs().pfnCryptoSessionKeyExchange(device.device(), &exchange), E_INVALIDARG);
    ASSERT_EQ(device.destroy_surface(surface), E_INVALIDARG);
  }
}

TEST(ThreadStressTest, SessionChurnDoesNotDisturbOtherSessionsOfTheDevice) {
  OpenedDevice device;
  ASSERT_TRUE(device.ok());
  run_threads(kThreads, [&](int t) {
    if (t == 0) {
      churn_worker(device, kIterations / 2);
    } else {
      own_session_worker(device, t, kIterations);
    }
  });
}

}  // namespace
}  // namespace cpddi::testing
