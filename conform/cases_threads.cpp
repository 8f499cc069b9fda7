// Threads: the user-mode display driver threading model (public WDK page "Threading model of the
// user-mode display driver"): several threads may run in the driver at once as long as each uses
// a different device, and two threads never use one device at the same time. A driver must
// therefore keep devices (and adapters) independent under concurrency; calls on one device need
// not be thread-safe, so no case here shares a device between threads. A driver with unguarded
// global state shows up as a wrong read-back, a repeated IV or a failed call in some thread.
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "conform/cases.h"

namespace cpddi::conform {
namespace {

constexpr int kThreads = 4;
constexpr const char* kThreadSection = "UMD threading model, §4.5, §4.6, §7.3, §7.8";

// Runs `body(t)` on `count` threads and rethrows the first thread's Failure or Skipped here, so
// the case's verdict names what went wrong in which thread.
void run_threads(int count, const std::function<void(int)>& body) {
  std::mutex mutex;
  std::exception_ptr first;
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(count));
  for (int t = 0; t < count; ++t) {
    threads.emplace_back([&, t] {
      try {
        body(t);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(mutex);
        if (!first) {
          first = std::current_exception();
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  if (first) {
    std::rethrow_exception(first);
  }
}

// One thread's life on its own session of its own `device`: decrypt a frame, read it back under
// the read-back key, refresh every fifth frame and take a new read-back key every seventh. Every
// read-back must equal its frame and the session's read-back IVs must strictly increase.
void own_session_worker(Device& device, int thread, int iterations) {
  Key key = kTestKey;
  key[0] = static_cast<std::uint8_t>(0xA0 + thread);
  Session session(device, key);
  const bool refresh = (device.caps_bits() & D3DCPCAPS_FRESHENSESSIONKEY) != 0;
  auto surface = Surface::small_protected(device);
  session.fetch_readback_key();
  const std::size_t len = session.surface_bytes(*surface);
  std::optional<std::uint64_t> last_iv;
  for (int i = 0; i < iterations; ++i) {
    const std::string where =
        "thread " + std::to_string(thread) + ", frame " + std::to_string(i);
    const Bytes frame = pattern_bytes(len, static_cast<std::uint32_t>(thread * 1000 + i + 1));
    expect_hr(session.upload(*surface, frame, session.app_key()), S_OK,
              where + ": DecryptionBlt");
    HRESULT hr = S_OK;
    Iv iv{};
    const Bytes back = session.read_back(surface->handle(), len, &hr, &iv);
    expect_hr(hr, S_OK, where + ": EncryptionBlt");
    require(back == frame, where + ": the read-back equals the frame decrypted",
            first_difference(back, frame));
    require(!last_iv || iv_field(iv) > *last_iv,
            where + ": read-back IVs strictly increase within the session",
            "IV " + std::to_string(iv_field(iv)) + " after " +
                std::to_string(last_iv.value_or(0)));
    last_iv = iv_field(iv);
    if (refresh && i % 5 == 4) {
      expect_hr(session.refresh(), S_OK, where + ": Start/FinishSessionKeyRefresh");
    }
    if (i % 7 == 6) {
      session.fetch_readback_key();
    }
  }
}

Verdict separate_devices_concurrent(Env& env) {
  Adapter& adapter = env.adapter();  // shared by the threads' devices
  std::vector<std::unique_ptr<Device>> devices;
  for (int t = 0; t < kThreads; ++t) {
    devices.push_back(std::make_unique<Device>(adapter));
  }
  require_caps(*devices.front(), D3DCPCAPS_ENCRYPTEDREADBACK, "ENCRYPTEDREADBACK");
  run_threads(kThreads, [&](int t) {
    own_session_worker(*devices[static_cast<std::size_t>(t)], t, 40);
  });
  return pass();
}

Verdict separate_adapters_concurrent(Env& env) {
  require_caps(env.device(), D3DCPCAPS_ENCRYPTEDREADBACK, "ENCRYPTEDREADBACK");
  // Opening the adapters concurrently is part of the rule: OpenAdapter may race OpenAdapter.
  run_threads(kThreads, [&](int t) {
    Adapter adapter(env.driver());
    Device device(adapter);
    own_session_worker(device, t, 10);
  });
  return pass();
}

const Case kCases[] = {
    {"threads.separate-devices-concurrent",
     "sessions on different devices of one adapter run from different threads at once, each "
     "reading back exactly what it wrote",
     kThreadSection, separate_devices_concurrent},
    {"threads.separate-adapters-concurrent",
     "adapters opened and used from different threads at once stay independent",
     kThreadSection, separate_adapters_concurrent},
};

}  // namespace

std::span<const Case> threads_cases() { return kCases; }

}  // namespace cpddi::conform
