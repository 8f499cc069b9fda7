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
#include <vector>

#include "conform/channel.h"
#include "ddi_model.h"
#include "fuzz_support.h"

namespace cpddi::fuzz {

inline constexpr std::size_t kDevices = 2;
inline constexpr std::size_t kSessions = 4;
inline constexpr std::size_t kResources = 6;
inline constexpr std::size_t kChannels = 3;

// The channel state a device shares among its authenticated channels, as the app predicts it
// (spec §5.4 rule 5, §5.5, A31, A32): each live channel's PROTECTION request, the
// restricted-shared-resource process list SHAREDRESOURCE edits, and the CRYPTOSESSION bindings.
struct ProcessGrant {
  std::uint32_t type = 0;     // 1 DWM (process 0), 2 a process handle
  std::uint64_t process = 0;
  std::uint64_t granted_by = 0;  // the granting channel's id, 0 once that channel is destroyed
};
struct SessionBinding {
  HANDLE decoder = nullptr;
  HANDLE session = nullptr;
};
struct ChannelDeviceModel {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> protection;  // channel id → its flags ≠ 0
  std::vector<ProcessGrant> grants;                                   // in grant order
  std::vector<SessionBinding> bindings;                               // one per decoder
};

struct DeviceSlot {
  std::unique_ptr<FuzzDevice> device;  // null once destroyed
  HANDLE stale = nullptr;                // the handle it had, for calls after DestroyDevice
  std::uint32_t sessions = 0;
  std::uint32_t resources = 0;
  ChannelDeviceModel channels;
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

// One authenticated channel (spec §5, A23, A24, A28). The client is conform::Channel on a view of
// the channel's device (so it outlives a destroyed FuzzDevice): it holds the key the app believes
// the driver has, wraps keys under the channel certificate and makes the raw calls.
struct ChannelSlot {
  std::unique_ptr<conform::Device> caller;    // hDevice = the channel's device
  std::unique_ptr<conform::Channel> channel;  // null until the slot's first channel
  HANDLE handle = nullptr;                    // kept after destruction (a stale handle)
  std::size_t device = 0;
  bool live = false;
  std::uint64_t id = 0;  // never reused: names the channel in its device's grants
  bool initialized = false;
  std::uint32_t start_query = 0;
  std::uint32_t start_configure = 0;
  // The lowest number the next query / configure may carry; 2^32 once exhausted (§5.9).
  std::uint64_t next_query = 0;
  std::uint64_t next_configure = 0;
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
  Target channel_target(ByteReader& in);
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
  std::array<ChannelSlot, kChannels> channels;
  std::uint64_t channels_made = 0;
  std::uint64_t protected_in_use = 0;  // the adapter's pool, shared by both devices
  std::optional<Bytes> last_valid_blob;
  Key last_valid_key{};

  // Marks everything a destroyed device hosted as dead (and returns its pool bytes).
  void forget_device(std::size_t index);
  void destroy_resource_slot(std::size_t slot);  // bookkeeping after a successful destroy
  // Bookkeeping after a successful DestroyAuthenticatedChannel (§5.5, A31): its protection
  // request ends, its grants stay (revocable by any channel).
  void forget_channel(std::size_t slot);
  // DestroyCryptoSession: the bindings naming the session end (A32).
  void forget_session(std::size_t slot);

 private:
  void cleanup();
  // The decoder behind session_target / channel_target: slot `slot` (its handle, device and
  // liveness) named rightly or, as `choice` (the byte that chose the slot) says, by a wrong-kind,
  // null or garbage handle; through its own device, the other one, or a null / destroyed one.
  Target object_target(ByteReader& in, std::uint8_t choice, std::size_t slot, HANDLE handle,
                       std::size_t device, bool live, HANDLE wrong_kind);

  const Adapter& adapter_;
  std::unique_ptr<conform::Device> caller_;  // never destroys a device
  bool rng_armed_ = false;
};

using Call = void (*)(Harness&, ByteReader&);
// The modelled authenticated-channel calls (ddi_sequence_channels.cpp).
void create_channel(Harness& h, ByteReader& in);
void channel_key_exchange(Harness& h, ByteReader& in);
void channel_configure(Harness& h, ByteReader& in);
void channel_query(Harness& h, ByteReader& in);
void destroy_channel(Harness& h, ByteReader& in);
void open_channel(Harness& h, ByteReader& in);
extern const Call kCalls[];
extern const std::size_t kCallCount;

}  // namespace cpddi::fuzz
