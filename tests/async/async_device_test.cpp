// The asynchronous device through the C ABI (docs/behaviour.md, "Asynchronous device"; spec §9
// A6). No test bounds a duration: where one checks that work is still queued, the queue is held
// (device::testing::hold_queues), and where one checks that a call waited, it changes the inputs
// right after the call returns and then checks the output did not see the change.
#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/openssl_faults.h"
#include "device/work_queue.h"
#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

// Holds every device queue while alive; declare it after the surfaces it protects, so it is
// released before they are destroyed (DestroyResource waits for queued work).
using device::testing::HeldQueues;

CPDDI_ADAPTER_OPTIONS with_threads(UINT threads) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.BltThreadsPerDevice = threads;
  return options;
}

D3DDDI_LOCKFLAGS do_not_wait() {
  D3DDDI_LOCKFLAGS flags{};
  flags.DoNotWait = 1;
  return flags;
}

// A DecryptionBlt whose system-memory source lives as long as this object, so that queuing it
// never waits (the fixture's decryption_blt destroys its source, which waits for the blt).
struct QueuedBlt {
  std::unique_ptr<ScopedSurface> source;
  std::unique_ptr<ScopedSurface> destination;
  Bytes plain;
  HRESULT hr = E_FAIL;
};

class AsyncDeviceTest : public ::testing::TestWithParam<UINT> {
 protected:
  AsyncDeviceTest() : options_(with_threads(GetParam())), device_(&options_) {}

  // Encrypts fresh content for a `width`×`height` protected surface of `format` under `key`
  // with `iv` and queues its DecryptionBlt.
  QueuedBlt queue_decryption(KeyedSession& session, const Key& key, const Iv& iv,
                             std::uint32_t seed, D3DDDIFORMAT format = D3DDDIFMT_X8R8G8B8,
                             UINT width = 16, UINT height = 4) {
    QueuedBlt blt = prepare_decryption(session, key, iv, seed, format, width, height);
    submit(session, blt, iv);
    return blt;
  }

  // The surfaces and the application's encryption of a DecryptionBlt, not yet submitted.
  QueuedBlt prepare_decryption(KeyedSession& session, const Key& key, const Iv& iv,
                               std::uint32_t seed, D3DDDIFORMAT format = D3DDDIFMT_X8R8G8B8,
                               UINT width = 16, UINT height = 4) {
    QueuedBlt blt;
    blt.destination = std::make_unique<ScopedSurface>(device_, format, width, height,
                                                      D3DDDIPOOL_VIDEOMEMORY, true);
    const std::size_t len = session.surface_bytes(*blt.destination);
    blt.plain = pattern_bytes(len, seed);
    const Bytes ciphertext = ctr(key, iv, blt.plain);
    blt.source = std::make_unique<ScopedSurface>(device_, D3DDDIFMT_X8R8G8B8, 64,
                                                 static_cast<UINT>((len + 255) / 256),
                                                 D3DDDIPOOL_SYSTEMMEM, false);
    device_.write_surface(blt.source->handle(), ciphertext);
    return blt;
  }

  // Into `destination` if given, else into blt.destination.
  void submit(KeyedSession& session, QueuedBlt& blt, const Iv& iv, HANDLE destination = nullptr) {
    D3DDDIARG_DECRYPTIONBLT args{};
    Iv iv_copy = iv;
    args.hCryptoSession = session.handle();
    args.hSrcResource = blt.source->handle();
    args.hDstResource = destination != nullptr ? destination : blt.destination->handle();
    args.SrcResourceSize = static_cast<UINT>((blt.plain.size() + 15) / 16 * 16);
    args.pIV = iv_copy.data();
    blt.hr = device_.funcs().pfnDecryptionBlt(device_.device(), &args);
  }

  HRESULT lock(HANDLE resource, D3DDDI_LOCKFLAGS flags = {}) {
    D3DDDIARG_LOCK args{};
    args.hResource = resource;
    args.Flags = flags;
    return device_.funcs().pfnLock(device_.device(), &args);
  }
  HRESULT unlock(HANDLE resource) {
    D3DDDIARG_UNLOCK args{};
    args.hResource = resource;
    return device_.funcs().pfnUnlock(device_.device(), &args);
  }
  HRESULT flush() { return device_.funcs().pfnFlush(device_.device()); }

  CPDDI_ADAPTER_OPTIONS options_;
  OpenedDevice device_;
};

TEST_P(AsyncDeviceTest, BltsQueuedBeforeFinishUseTheOldKeyAndAfterItTheNewManyInFlight) {
  KeyedSession session(device_);
  session.fetch_readback_key();
  std::vector<QueuedBlt> blts;
  HeldQueues held;
  // Three keys, 16 blts under each, all queued before any runs; every fourth is a 1280×720 NV12
  // surface (1.3 MiB: striped when the device has several threads).
  for (int epoch = 0; epoch < 3; ++epoch) {
    if (epoch > 0) {
      ASSERT_EQ(session.refresh(), S_OK) << "Start + Finish must not wait for queued blts";
    }
    for (std::uint32_t i = 0; i < 16; ++i) {
      const bool large = i % 4 == 0;
      blts.push_back(queue_decryption(session, session.app_key(), session.next_iv(),
                                      epoch * 100 + i, large ? D3DDDIFMT_NV12 : D3DDDIFMT_X8R8G8B8,
                                      large ? 1280 : 16, large ? 720 : 4));
      ASSERT_EQ(blts.back().hr, S_OK) << "blt " << i << " of epoch " << epoch;
    }
  }
  // Proof that they are still in flight: the first blt's source is busy.
  EXPECT_EQ(lock(blts.front().source->handle(), do_not_wait()), D3DDDIERR_WASSTILLDRAWING);
  held.release();
  ASSERT_EQ(flush(), S_OK);
  for (std::size_t i = 0; i < blts.size(); ++i) {
    EXPECT_EQ(session.download(*blts[i].destination), blts[i].plain)
        << "blt " << i << " decrypted with the wrong key";
  }
}

TEST_P(AsyncDeviceTest, LockWaitsForTheBltsOnTheSurfaceAndDoNotWaitSaysStillDrawing) {
  KeyedSession session(device_);
  QueuedBlt blt = queue_decryption(session, session.app_key(), session.next_iv(), 7);
  ASSERT_EQ(blt.hr, S_OK);
  ASSERT_EQ(flush(), S_OK);
  Key wrapped{};
  ASSERT_EQ(session.get_encryption_blt_key(&wrapped), S_OK);
  const Key readback_key = ecb_unwrap(session.app_key(), wrapped);
  const std::size_t len = session.surface_bytes(*blt.destination);
  ScopedSurface target(device_, D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_SYSTEMMEM, false);
  ScopedSurface idle(device_, D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_SYSTEMMEM, false);
  HeldQueues held;

  Iv iv{};
  D3DDDIARG_ENCRYPTIONBLT args{};
  args.hCryptoSession = session.handle();
  args.hSrcResource = blt.destination->handle();
  args.hDstResource = target.handle();
  args.DstResourceSize = static_cast<UINT>(len);
  args.pIV = iv.data();
  ASSERT_EQ(device_.funcs().pfnEncryptionBlt(device_.device(), &args), S_OK);

  EXPECT_EQ(lock(target.handle(), do_not_wait()), D3DDDIERR_WASSTILLDRAWING);
  EXPECT_EQ(lock(idle.handle(), do_not_wait()), S_OK) << "nothing queued uses this surface";
  EXPECT_EQ(unlock(idle.handle()), S_OK);
  held.release();
  EXPECT_EQ(ctr(readback_key, iv, device_.read_surface(target.handle(), len)), blt.plain)
      << "Lock must wait for the EncryptionBlt";
}

TEST_P(AsyncDeviceTest, DestroyResourceWaitsForABltReadingTheCallersMemory) {
  KeyedSession session(device_);
  ScopedSurface destination(device_, D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_VIDEOMEMORY, true);
  const std::size_t len = session.surface_bytes(destination);
  const Bytes plain = pattern_bytes(len, 3);
  const Iv iv = session.next_iv();
  Bytes memory = ctr(session.app_key(), iv, plain);  // the runtime's pSysMem
  HANDLE source = device_.create_surface_in(memory.data(), 64, D3DDDIFMT_X8R8G8B8, 16, 4);
  ASSERT_NE(source, nullptr);
  HeldQueues held;
  Iv iv_copy = iv;
  D3DDDIARG_DECRYPTIONBLT args{};
  args.hCryptoSession = session.handle();
  args.hSrcResource = source;
  args.hDstResource = destination.handle();
  args.SrcResourceSize = static_cast<UINT>(len);
  args.pIV = iv_copy.data();
  ASSERT_EQ(device_.funcs().pfnDecryptionBlt(device_.device(), &args), S_OK);

  std::thread releaser([&] { held.release(); });
  EXPECT_EQ(device_.destroy_surface(source), S_OK);  // returns only after the blt ran
  std::fill(memory.begin(), memory.end(), std::uint8_t{0xAB});  // the caller reuses its memory
  releaser.join();
  EXPECT_EQ(session.download(destination), plain);
}

TEST_P(AsyncDeviceTest, DestroyCryptoSessionLetsItsQueuedBltsFinishWithItsKey) {
  auto session = std::make_unique<KeyedSession>(device_);
  std::vector<QueuedBlt> blts;
  {
    HeldQueues held;
    for (std::uint32_t i = 0; i < 8; ++i) {
      blts.push_back(queue_decryption(*session, session->app_key(), session->next_iv(), i));
      ASSERT_EQ(blts.back().hr, S_OK);
    }
    std::thread releaser([&] { held.release(); });
    EXPECT_EQ(session->destroy(), S_OK);
    releaser.join();
  }
  KeyedSession reader(device_, kOtherKey);  // any session may read a protected surface back
  for (const QueuedBlt& blt : blts) {
    EXPECT_EQ(reader.download(*blt.destination), blt.plain);
  }
}

TEST_P(AsyncDeviceTest, ASmallBltOnAnIdleDeviceHasRunWhenItReturnsAndOneBehindQueuedWorkWaits) {
  // A blt of at most 256 KiB runs on the caller's thread when nothing is queued or running on
  // the device (docs/behaviour.md): Lock with DoNotWait then finds its surfaces idle at once.
  KeyedSession session(device_);
  QueuedBlt first = queue_decryption(session, session.app_key(), session.next_iv(), 11);
  ASSERT_EQ(first.hr, S_OK);
  EXPECT_EQ(lock(first.source->handle(), do_not_wait()), S_OK) << "done before the call returned";
  EXPECT_EQ(unlock(first.source->handle()), S_OK);
  EXPECT_EQ(session.download(*first.destination), first.plain);

  // Behind held work it is queued like any blt and runs after the work ahead of it: both
  // decrypt into the same surface, so its bytes show which ran last.
  const Iv ahead_iv = session.next_iv();
  const Iv behind_iv = session.next_iv();
  QueuedBlt ahead = prepare_decryption(session, session.app_key(), ahead_iv, 12);
  QueuedBlt behind = prepare_decryption(session, session.app_key(), behind_iv, 13);
  {
    HeldQueues held;
    submit(session, ahead, ahead_iv);
    submit(session, behind, behind_iv, ahead.destination->handle());
    ASSERT_EQ(ahead.hr, S_OK);
    ASSERT_EQ(behind.hr, S_OK);
    EXPECT_EQ(lock(behind.source->handle(), do_not_wait()), D3DDDIERR_WASSTILLDRAWING)
        << "queued behind held work, not run at once";
  }
  ASSERT_EQ(flush(), S_OK);
  EXPECT_EQ(session.download(*ahead.destination), behind.plain)
      << "the small blt ran before the work queued ahead of it";
}

// Returns once `count` threads wait for a device queue (a call has reached its wait).
void wait_for_waiters(std::size_t count) {
  while (device::testing::waiting_threads() < count) {
    std::this_thread::yield();
  }
}

// Lock, Flush and the host waits wait with the device lock released (docs/behaviour.md,
// "Asynchronous device"). While thread A's Flush waits for held work, this thread locks an idle
// surface and asks a DoNotWait Lock of the busy one: both need the device lock. Had the Flush kept
// it while waiting, they would block until the hold is released, which only happens after them
// (the test would hang). device::testing::waiting_threads() tells when A has reached its wait.
TEST_P(AsyncDeviceTest, AnotherThreadLocksWhileAFlushWaitsForHeldWork) {
  KeyedSession session(device_);
  ScopedSurface idle(device_, D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_SYSTEMMEM, false);
  HeldQueues held;
  QueuedBlt blt = queue_decryption(session, session.app_key(), session.next_iv(), 21);
  ASSERT_EQ(blt.hr, S_OK);
  std::atomic<bool> flushed{false};
  HRESULT flush_hr = E_FAIL;
  std::thread flusher([&] {
    flush_hr = flush();
    flushed = true;
  });
  wait_for_waiters(1);
  EXPECT_EQ(lock(idle.handle()), S_OK);
  EXPECT_EQ(unlock(idle.handle()), S_OK);
  EXPECT_EQ(lock(blt.source->handle(), do_not_wait()), D3DDDIERR_WASSTILLDRAWING);
  EXPECT_FALSE(flushed) << "Flush returned while the queue was held";
  held.release();
  flusher.join();
  EXPECT_EQ(flush_hr, S_OK);
  EXPECT_EQ(session.download(*blt.destination), blt.plain);
}

// Two Locks of one busy surface wait together (neither holds the device lock); when the work is
// done exactly one maps it and the other gets the double-Lock refusal, as a Lock arriving after
// the first would.
TEST_P(AsyncDeviceTest, OfTwoLocksWaitingForOneSurfaceTheSecondIsRefusedAsADoubleLock) {
  KeyedSession session(device_);
  HeldQueues held;
  QueuedBlt blt = queue_decryption(session, session.app_key(), session.next_iv(), 22);
  ASSERT_EQ(blt.hr, S_OK);
  HRESULT results[2] = {E_FAIL, E_FAIL};
  std::thread first([&] { results[0] = lock(blt.source->handle()); });
  std::thread second([&] { results[1] = lock(blt.source->handle()); });
  held.release();
  first.join();
  second.join();
  const HRESULT refused = results[0] == S_OK ? results[1] : results[0];
  EXPECT_TRUE(results[0] == S_OK || results[1] == S_OK) << "one Lock maps the surface";
  EXPECT_NE(refused, S_OK) << "the other is refused";
  EXPECT_EQ(unlock(blt.source->handle()), S_OK);
  EXPECT_EQ(lock(blt.source->handle()), S_OK) << "the refused Lock left nothing locked";
  EXPECT_EQ(unlock(blt.source->handle()), S_OK);
}

// A surface destroyed while a Lock waits for its blt: the Lock fails with the invalid-handle
// error a Lock arriving after the destroy gets, and touches nothing of the destroyed surface
// (ASan). The Lock waits first; DestroyResource then takes the device lock and waits holding it,
// so the Lock can take the lock back only after the surface is gone.
TEST_P(AsyncDeviceTest, ASurfaceDestroyedWhileALockWaitsForItFailsTheLock) {
  KeyedSession session(device_);
  const Iv iv = session.next_iv();
  QueuedBlt blt = prepare_decryption(session, session.app_key(), iv, 23);
  HeldQueues held;
  submit(session, blt, iv);
  ASSERT_EQ(blt.hr, S_OK);
  const HANDLE source = blt.source->handle();
  HRESULT lock_hr = E_FAIL;
  std::thread locker([&] { lock_hr = lock(source); });
  wait_for_waiters(1);
  std::thread destroyer([&] {
    blt.source.reset();  // DestroyResource: waits for the held blt under the device lock
  });
  wait_for_waiters(2);
  held.release();
  destroyer.join();
  locker.join();
  EXPECT_EQ(lock_hr, E_INVALIDARG);
  EXPECT_EQ(lock(source), E_INVALIDARG);
}

// Count = 2^64 - 1: the keystream restarts its counter after the first block (spec §9 A10),
// which happens while the blt runs — so an OpenSSL failure injected there is an execution error.
constexpr std::uint64_t kCountBeforeWrap = UINT64_MAX;

TEST_P(AsyncDeviceTest, AnErrorWhileABltRunsIsReportedOnceByFlushAndZeroFillsItsDestination) {
  KeyedSession session(device_);
  auto destination = ScopedSurface::small_protected(device_);
  ASSERT_EQ(session.upload(*destination, pattern_bytes(256, 1), session.app_key()), S_OK);
  const Iv failing_iv = make_iv(1000, kCountBeforeWrap);
  QueuedBlt blt = prepare_decryption(session, session.app_key(), failing_iv, 2);
  crypto::testing::fail_openssl_after(1);  // the set-up on the caller's thread succeeds
  submit(session, blt, failing_iv);
  EXPECT_EQ(blt.hr, S_OK) << "validated and queued: the failure comes later";
  EXPECT_EQ(flush(), E_FAIL);
  crypto::testing::fail_openssl_after(-1);
  EXPECT_EQ(flush(), S_OK) << "reported once";
  EXPECT_EQ(session.download(*blt.destination), Bytes(256, 0)) << "zero-filled, nothing half-done";
  EXPECT_EQ(session.download(*destination), pattern_bytes(256, 1)) << "other surfaces untouched";
  // The failed blt consumed its IV (it was accepted), and the session goes on.
  QueuedBlt replay = queue_decryption(session, session.app_key(), failing_iv, 3);
  EXPECT_EQ(replay.hr, E_INVALIDARG);
  QueuedBlt next = queue_decryption(session, session.app_key(), make_iv(1001), 4);
  EXPECT_EQ(next.hr, S_OK);
  EXPECT_EQ(session.download(*next.destination), next.plain);
}

TEST_P(AsyncDeviceTest, AnErrorWhileABltRunsIsReportedByALockThatWaitedForIt) {
  KeyedSession session(device_);
  const Iv failing_iv = make_iv(1000, kCountBeforeWrap);
  QueuedBlt blt = prepare_decryption(session, session.app_key(), failing_iv, 2);
  crypto::testing::fail_openssl_after(1);
  submit(session, blt, failing_iv);
  ASSERT_EQ(blt.hr, S_OK);
  EXPECT_EQ(lock(blt.source->handle()), E_FAIL) << "the source's blt failed";
  crypto::testing::fail_openssl_after(-1);
  EXPECT_EQ(lock(blt.source->handle()), S_OK) << "nothing was mapped by the failed Lock";
  EXPECT_EQ(unlock(blt.source->handle()), S_OK);
  EXPECT_EQ(flush(), S_OK) << "already reported by Lock";
}

// A 1920×1080 NV12 surface decrypted with every block map shape, with Count wrapping inside the
// surface: the result must not depend on how many threads the device splits it over.
TEST(StripedBltTest, ResultIsTheSameForEveryThreadCount) {
  const D3DDDIENCRYPTED_BLOCK_INFO maps[] = {{0, 0, 0}, {0, 144, 16}, {100, 48, 32}, {4000, 0, 0}};
  const Iv iv = make_iv(5, UINT64_MAX - 5000);  // wraps after 5001 blocks (~80 KB in)
  std::vector<std::vector<Bytes>> results;  // [threads][map]
  for (UINT threads : {1u, 2u, 3u, 8u}) {
    const CPDDI_ADAPTER_OPTIONS options = with_threads(threads);
    OpenedDevice device(&options);
    KeyedSession session(device, kOtherKey);
    ScopedSurface destination(device, D3DDDIFMT_NV12, 1920, 1080, D3DDDIPOOL_VIDEOMEMORY, true);
    const std::size_t len = session.surface_bytes(destination);
    const Bytes input = pattern_bytes(len, 11);
    std::vector<Bytes>& per_map = results.emplace_back();
    std::uint64_t iv_field_value = 5;
    for (const D3DDDIENCRYPTED_BLOCK_INFO& map : maps) {
      const bool no_map = map.NumEncryptedBytesAtBeginning == 0 && map.NumBytesInSkipPattern == 0 &&
                          map.NumBytesInEncryptPattern == 0;
      Iv this_iv = iv;
      this_iv[7] = static_cast<std::uint8_t>(iv_field_value++);  // a new IV for each blt
      ASSERT_EQ(session.decryption_blt(destination.handle(), input, this_iv,
                                       no_map ? nullptr : &map),
                S_OK);
      per_map.push_back(session.download(destination));
      if (no_map) {
        EXPECT_EQ(per_map.back(), ctr(kOtherKey, this_iv, input)) << threads << " threads";
      }
    }
  }
  for (std::size_t t = 1; t < results.size(); ++t) {
    for (std::size_t m = 0; m < std::size(maps); ++m) {
      EXPECT_EQ(results[t][m], results[0][m]) << "thread-count case " << t << ", map " << m;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Threads, AsyncDeviceTest, ::testing::Values(1u, 0u),
                         [](const ::testing::TestParamInfo<UINT>& row) {
                           return row.param == 1 ? std::string("OneThread")
                                                  : std::string("AllCores");
                         });

}  // namespace
}  // namespace cpddi::testing
