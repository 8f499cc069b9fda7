#pragma once

// The stateful fuzzer's harness (CONVENTIONS §9): two devices on one adapter, a few crypto
// sessions and surfaces, and the application's model of each. Every call decodes its arguments
// from the input, predicts the outcome from the model, makes the DDI call and checks it
// (documented codes only, exactly the predicted outcome), then updates the model. After each
// successful Finish and at the end of the sequence the model's key is proven to be the driver's.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

#include "ddi_model.h"
#include "fuzz_support.h"

namespace cpddi::fuzz {

inline constexpr std::size_t kDevices = 2;
inline constexpr std::size_t kSessions = 4;
inline constexpr std::size_t kResources = 6;

struct DeviceSlot {
  std::unique_ptr<FuzzDevice> device;  // null once destroyed
  HANDLE stale = nullptr;                // the handle it had, for calls after DestroyDevice
  std::uint32_t sessions = 0;
  std::uint32_t resources = 0;
};

struct SessionSlot {
  HANDLE handle = nullptr;  // kept after destruction (a stale handle)
  std::size_t device = 0;
  bool live = false;
  SessionModel model;
};

struct ResourceSlot {
  HANDLE handle = nullptr;
  std::size_t device = 0;
  bool live = false;
  bool locked = false;
  SurfaceModel model;
  std::unique_ptr<std::uint8_t[]> memory;
};

// A handle a call passes, and whether the model calls it a live object of the right kind on the
// device the call goes to.
struct Target {
  HANDLE device = nullptr;
  std::size_t device_index = 0;
  bool device_ok = false;
  HANDLE handle = nullptr;
  std::size_t slot = 0;
  bool ok = false;  // device_ok and handle names slot's live object on that device
};

class Harness {
 public:
  explicit Harness(const Adapter& adapter);
  ~Harness();
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  const Adapter& adapter() const { return adapter_; }
  // The harness device calls with `device` as hDevice: a live device's handle, a destroyed
  // one's, or null (the driver's function table is the same for every device).
  std::unique_ptr<conform::Device> calling(HANDLE device) const {
    return caller_->calling_as(device);
  }

  // Decoders: a session / resource slot and the handle and device a call uses for it.
  Target session_target(ByteReader& in);
  Target resource_target(ByteReader& in, std::size_t device_index, bool device_ok,
                         HANDLE device);
  // A device for calls that take no session: usually live, sometimes stale or null.
  Target device_target(ByteReader& in);

  // Proves session `slot`'s key when the harness has room for the proof's surfaces.
  void verify(std::size_t slot, const char* why);
  // Arms an injected random-generator failure for the next call only.
  void arm_rng_failure() { rng_armed_ = true; }
  bool take_rng_failure();

  std::array<DeviceSlot, kDevices> devices;
  std::array<SessionSlot, kSessions> sessions;
  std::array<ResourceSlot, kResources> resources;
  std::uint64_t protected_in_use = 0;  // the adapter's pool, shared by both devices
  std::optional<Bytes> last_valid_blob;
  Key last_valid_key{};

  // Marks everything a destroyed device hosted as dead (and returns its pool bytes).
  void forget_device(std::size_t index);
  void destroy_resource_slot(std::size_t slot);  // bookkeeping after a successful destroy

 private:
  void cleanup();

  const Adapter& adapter_;
  std::unique_ptr<conform::Device> caller_;  // never destroys a device
  bool rng_armed_ = false;
};

using Call = void (*)(Harness&, ByteReader&);
extern const Call kCalls[];
extern const std::size_t kCallCount;

}  // namespace cpddi::fuzz
