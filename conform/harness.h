#pragma once

// The conform harness: adapters, devices and surfaces driven through a front end's calls objects
// (conform/driver_api.h; crypto sessions are conform/session.h). An unexpected driver answer throws Failure (the case fails), a missing
// capability throws Skipped; Runner::run turns both into the case's verdict. Every output the
// driver fills is guarded (null pointers, absurd sizes) so a bad driver cannot crash the run.

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "conform/app_side.h"
#include "conform/check.h"
#include "conform/conform.h"
#include "conform/driver_api.h"

namespace cpddi::crypto {
class RsaPublicKey;
}  // namespace cpddi::crypto

namespace cpddi::conform {

using namespace app_side;  // Bytes, Key, Iv and the application-side arithmetic

// The OAEP parameters a key-exchange blob is built with: kSpec is spec §7.5 (SHA-512, MGF1-SHA-512,
// no label); the others are what a driver must reject.
enum class OaepVariant { kSpec, kSha1, kSha256, kMgf1Sha1, kLabel };

// "CreateCryptoSession", … for messages.
const char* device_entry_name(DeviceEntry entry);

// The RSA key of the first (leaf) certificate of a certificate container (spec §7.7); fails the
// case when the container or the key cannot be read.
std::unique_ptr<crypto::RsaPublicKey> leaf_key_of(std::span<const std::uint8_t> container);
// The key-exchange blob for `key` under `leaf` with OAEP `variant` (spec §7.5).
Bytes oaep_wrap(const crypto::RsaPublicKey& leaf, std::span<const std::uint8_t> key,
                OaepVariant variant = OaepVariant::kSpec);

class Adapter {
 public:
  // Opens through the driver's front end, with `options` when given (which the caller has
  // checked the driver can take: Driver::can_open_with_options).
  explicit Adapter(const Driver& driver, const CPDDI_ADAPTER_OPTIONS* options = nullptr);
  ~Adapter();
  Adapter(const Adapter&) = delete;
  Adapter& operator=(const Adapter&) = delete;

  HANDLE handle() const { return calls_->handle(); }
  AdapterCalls& calls() const { return *calls_; }
  const FrontEnd& front_end() const { return *front_end_; }
  // How the front end spells `refusal` (FrontEnd::code).
  HRESULT code(Refusal refusal) const { return front_end_->code(refusal); }
  // The D3D9 function table (fails the case on another front end), for the D3D9-specific tests
  // outside conform/; defined in d3d9_front_end.cpp.
  const D3DDDI_ADAPTERFUNCS& funcs() const;
  HRESULT get_caps(D3DCONTENTPROTECTIONCAPS* out) const;
  // GetCaps for AES-128-CTR (cached); fails the case if the call fails.
  const D3DCONTENTPROTECTIONCAPS& caps();
  // The crypto-session certificate bytes; fails the case if either call fails.
  Bytes certificate() const;
  // The certificate `info` names (GETCERTIFICATESIZE then GETCERTIFICATE); fails the case if
  // either call fails.
  Bytes certificate(const CapsInfo& info) const;
  // The key-exchange blob for `key` under the certificate's leaf key (parsed once).
  Bytes wrap_session_key(std::span<const std::uint8_t> key);

  // ---- Raw calls for the argument- and handle-checking cases ----
  // The driver's OpenAdapter; `adapter` is in/out. An adapter it opens is closed at once.
  // `null_arguments` passes no argument struct (only on a front end with argument structs:
  // has_argument_structs), `null_funcs` a null pAdapterFuncs.
  static HRESULT open_raw(const Driver& driver, HANDLE* adapter, bool null_arguments,
                          bool null_funcs);
  // An Adapter that calls this one's functions with `handle` as hAdapter (null, garbage, closed,
  // another object's handle). It never closes that handle.
  std::unique_ptr<Adapter> calling_as(HANDLE handle) const;
  // GetCaps(type) with `info` as pInfo and (data, data_size) as pData / DataSize.
  HRESULT get_caps_raw(UINT type, const CapsInfo& info, void* data, UINT data_size) const;
  HRESULT get_caps_null_arguments() const;  // GetCaps(hAdapter, NULL)
  // CreateDevice; `device` is in/out (the driver's write, if any, is what it holds afterwards).
  // A device it creates is destroyed at once. `null_arguments` passes no argument struct (only
  // on a front end with argument structs), `null_funcs` a null pDeviceFuncs.
  HRESULT create_device_raw(HANDLE* device, bool null_arguments = false,
                            bool null_funcs = false) const;
  // CloseAdapter. The handle stays recorded (later calls use the dead handle) and is not closed
  // again by the destructor.
  HRESULT close();
  // The key-exchange blob for `key` under the leaf key with OAEP `variant`.
  Bytes wrap_session_key(std::span<const std::uint8_t> key, OaepVariant variant);
  // Whether the front end's calls take argument structs a case can pass as null; the rows that
  // do so are skipped (not failed) without them.
  bool has_argument_structs() const;

 private:
  // calling_as: not owned
  Adapter(std::shared_ptr<const FrontEnd> front_end, std::unique_ptr<AdapterCalls> calls);
  const crypto::RsaPublicKey& leaf_key();

  std::shared_ptr<const FrontEnd> front_end_;
  std::unique_ptr<AdapterCalls> calls_;
  bool owned_ = true;  // false after close() and for calling_as views
  // Filled on first use. Threads may share one Adapter (each with its own Device, as the UMD
  // threading model allows), so the first fill is serialised.
  std::mutex lazy_mutex_;
  std::optional<D3DCONTENTPROTECTIONCAPS> caps_;
  std::unique_ptr<crypto::RsaPublicKey> leaf_key_;
};

class Device {
 public:
  explicit Device(Adapter& adapter);
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  Adapter& adapter() const { return adapter_; }
  HANDLE handle() const { return calls_->handle(); }
  DeviceCalls& calls() const { return *calls_; }
  // False once destroy() ran, and for calling_as views: the destructor leaves the handle alone.
  bool owns_handle() const { return owned_; }
  // The D3D9 function table (fails the case on another front end), for the D3D9-specific tests
  // and benchmarks outside conform/; defined in d3d9_front_end.cpp.
  const D3DDDI_DEVICEFUNCS& funcs() const;
  DWORD caps_bits() const { return adapter_.caps().Caps; }
  // How the front end spells `refusal` (FrontEnd::code).
  HRESULT code(Refusal refusal) const { return adapter_.code(refusal); }

  HANDLE create_surface(D3DDDIFORMAT format, UINT width, UINT height, D3DDDI_POOL pool,
                        bool restricted_content, HRESULT* hr = nullptr) const;
  HRESULT destroy_surface(HANDLE resource) const;
  // Lock/copy/Unlock of an unprotected surface; fails the case on any error.
  void write_surface(HANDLE resource, std::span<const std::uint8_t> bytes) const;
  Bytes read_surface(HANDLE resource, std::size_t len) const;

  HANDLE create_session(HRESULT* hr = nullptr) const;
  HRESULT destroy_session(HANDLE session) const;

  // ---- Raw calls for the argument- and handle-checking cases ----
  // Every output argument is in/out: the caller presets a sentinel and sees what the driver
  // wrote. Handles are passed as given, so a case can name dead, foreign or garbage objects.
  // A Device that calls this one's functions with `handle` as hDevice; it never destroys it.
  std::unique_ptr<Device> calling_as(HANDLE handle) const;
  // DestroyDevice. The handle stays recorded (later calls use the dead handle) and is not
  // destroyed again by the destructor.
  HRESULT destroy();
  HRESULT create_session_raw(const GUID& crypto_type, const GUID& decode_profile,
                             HANDLE* session) const;
  HRESULT exchange_key(HANDLE session, std::span<const std::uint8_t> blob,
                       bool null_data = false) const;
  HRESULT get_pitch(HANDLE session, HANDLE resource, UINT subresource, UINT* pitch) const;
  HRESULT start_refresh(HANDLE session, void* buffer, UINT size) const;
  HRESULT finish_refresh(HANDLE session) const;
  HRESULT get_encryption_blt_key(HANDLE session, void* buffer, UINT size) const;
  HRESULT create_resource(const SurfaceDesc& desc, HANDLE* resource) const;
  // `slice_pitch` (optional) is in/out like `pitch`; `area_valid` sets Flags.AreaValid.
  HRESULT lock(HANDLE resource, UINT subresource, void** data, UINT* pitch,
               UINT* slice_pitch = nullptr, bool area_valid = false) const;
  HRESULT unlock(HANDLE resource, UINT subresource = 0) const;
  // `entry` with null arguments (DeviceCalls::call_with_null_argument_struct: which entries have a
  // null form without argument structs); a front end without one skips the case.
  HRESULT call_with_null_arguments(DeviceEntry entry) const;
  bool has_argument_structs() const { return adapter_.has_argument_structs(); }
  // A system-memory surface that lives in the caller's `memory` (pSysMem) with `pitch`.
  HANDLE create_surface_in(void* memory, UINT pitch, D3DDDIFORMAT format, UINT width, UINT height,
                           HRESULT* hr = nullptr) const;
  HRESULT decryption_blt(HANDLE session, const BltArgs& blt) const;
  HRESULT encryption_blt(HANDLE session, const BltArgs& blt) const;
  // One authenticated-channel call: `input` is KeyExchange's blob or Query's/Configure's input
  // (64 output bytes offered), `channel` the handle KeyExchange and Destroy name; Create makes
  // a software channel. For callers that pick an entry by number (the stateful fuzzer); the
  // channel client is conform/channel.h.
  HRESULT channel_call(ChannelEntry entry, std::span<const std::uint8_t> input,
                       HANDLE channel = nullptr) const;

 private:
  Device(Adapter& adapter, std::unique_ptr<DeviceCalls> calls);  // calling_as: not owned
  // CreateResource of `desc`: the handle, or null with the HRESULT in `hr` (if given).
  HANDLE create_or_null(const SurfaceDesc& desc, HRESULT* hr) const;

  Adapter& adapter_;
  std::unique_ptr<DeviceCalls> calls_;
  bool owned_ = true;  // false after destroy() and for calling_as views
};

// A surface destroyed when it goes out of scope.
class Surface {
 public:
  Surface(const Device& device, D3DDDIFORMAT format, UINT width, UINT height, D3DDDI_POOL pool,
          bool restricted_content);
  ~Surface();
  Surface(const Surface&) = delete;
  Surface& operator=(const Surface&) = delete;

  // X8R8G8B8 16×4 RestrictedContent in video memory: L = 256 bytes.
  static std::unique_ptr<Surface> small_protected(const Device& device);
  // X8R8G8B8 rows of 64 pixels in system memory, at least `bytes` long.
  static std::unique_ptr<Surface> system_memory(const Device& device, UINT bytes);

  HANDLE handle() const { return handle_; }
  D3DDDIFORMAT format() const { return format_; }
  UINT height() const { return height_; }

 private:
  const Device& device_;
  HANDLE handle_ = nullptr;
  D3DDDIFORMAT format_;
  UINT height_;
};

// Skips unless the caps hold `bits`; `names` spells them for the reason.
void require_caps(const Device& device, DWORD bits, const char* names);
// Skips, with the front end's reason, unless its DDI has `row` (spec §8.4): for the cases and
// rows that only one DDI has (null argument structs, GetPitch, Lock's D3D9 fields, caps Types).
void require_row(const FrontEnd& front_end, DdiRow row);
void require_row(const Device& device, DdiRow row);
// Whether the DDI has `row`, for a case that leaves out one row rather than skipping.
bool has_row(const FrontEnd& front_end, DdiRow row);
bool has_row(const Device& device, DdiRow row);

// Per-run state: the driver and one lazily opened adapter and device shared by the cases.
class Env {
 public:
  explicit Env(Driver driver);
  ~Env();
  const Driver& driver() const { return driver_; }
  Adapter& adapter();
  Device& device();

 private:
  Driver driver_;
  std::unique_ptr<Adapter> adapter_;
  std::unique_ptr<Device> device_;
};

// A device whose caps lack `bit` (one optional cap), for the rules of a cap switched off: the
// run's shared device when its caps lack the bit already, else a device on an adapter opened
// with DisabledCaps = `bit` through cpddi_open_adapter_with_options. Skips when the caps hold the
// bit and the driver exports no such function; fails unless the option really clears the bit.
class DeviceWithout {
 public:
  DeviceWithout(Env& env, DWORD bit, const char* name);
  Device& device() const { return *device_; }

 private:
  std::unique_ptr<Adapter> adapter_;
  std::unique_ptr<Device> own_;
  Device* device_ = nullptr;
};

// Five places for one session each, for the cases that prove a random value is fresh per object
// rather than a sequence restarted per session, device or adapter (readback.random-across-objects,
// refresh.start-random-across-objects): three sessions on the run's device, one on a second
// device of its adapter, one on a device of a second adapter. All the objects live as long as
// this, so each session is distinct from the others while the case runs.
class ObjectsAcrossDevices {
 public:
  struct Object {
    Device& device;
    const char* name;
  };
  explicit ObjectsAcrossDevices(Env& env);
  ObjectsAcrossDevices(const ObjectsAcrossDevices&) = delete;
  ObjectsAcrossDevices& operator=(const ObjectsAcrossDevices&) = delete;

  // The device of the second adapter, for a case's caps check (its caps may differ).
  Device& other_adapter_device() { return other_adapter_device_; }
  std::span<const Object> objects() const { return objects_; }

 private:
  Device second_device_;
  Adapter second_adapter_;
  Device other_adapter_device_;
  std::array<Object, 5> objects_;
};

}  // namespace cpddi::conform
