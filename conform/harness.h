#pragma once

// The conform harness: adapters, devices and surfaces driven through the C ABI (crypto sessions
// are conform/session.h). An unexpected driver answer throws Failure (the case fails), a missing
// capability throws Skipped; Runner::run turns both into the case's verdict. Every output the
// driver fills is guarded (null pointers, absurd sizes) so a bad driver cannot crash the run.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "conform/app_side.h"
#include "conform/check.h"
#include "conform/conform.h"

namespace cpddi::crypto {
class RsaPublicKey;
}  // namespace cpddi::crypto

namespace cpddi::conform {

using namespace app_side;  // Bytes, Key, Iv and the application-side arithmetic

// What a raw GetCaps call passes as pInfo (harness.cpp builds the D3D9 struct from it).
struct CapsInfo {
  enum class Kind { kNull, kContentProtection, kCertificate };
  Kind kind = Kind::kContentProtection;
  GUID crypto_type = D3DCRYPTOTYPE_AES128_CTR;                  // both kinds
  GUID decode_profile{};                                        // kContentProtection
  UINT certificate_type = D3DDDI_CERTTYPE_CRYPTOSESSION;        // kCertificate
  UINT channel_type = DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE;  // kCertificate
};

// The OAEP parameters a key-exchange blob is built with: kSpec is spec §7.5 (SHA-512, MGF1-SHA-512,
// no label); the others are what a driver must reject.
enum class OaepVariant { kSpec, kSha1, kSha256, kMgf1Sha1, kLabel };

// One CreateResource call in plain terms; the defaults are a 16×4 X8R8G8B8 system-memory surface.
// Format and Pool are integers: a C caller may store any 32-bit value there, which a C++ enum
// cannot hold (harness.cpp copies them into the D3D9 struct as integers).
struct SurfaceDesc {
  std::uint32_t format = D3DDDIFMT_X8R8G8B8;
  std::uint32_t pool = D3DDDIPOOL_SYSTEMMEM;
  UINT width = 16;
  UINT height = 4;
  UINT depth = 0;  // Depth of every surface in the list
  bool restricted_content = false;
  UINT surface_count = 1;  // SurfCount; the list passed always holds two equal surfaces
  bool null_surface_list = false;
  UINT mip_levels = 0;
  const void* system_memory = nullptr;  // pSysMem of the first surface
  UINT system_memory_pitch = 0;
};

// Device entry points a case calls with a null argument struct.
enum class DeviceEntry {
  kCreateCryptoSession, kDestroyCryptoSession, kCryptoSessionKeyExchange, kCreateResource,
  kLock, kUnlock, kGetPitch, kDecryptionBlt, kEncryptionBlt, kGetEncryptionBltKey,
  kStartSessionKeyRefresh
};
const char* device_entry_name(DeviceEntry entry);

// The authenticated-channel entry points, which a crypto-session-only driver answers with
// D3DDDIERR_NOTAVAILABLE.
enum class ChannelEntry { kCreate, kKeyExchange, kQuery, kConfigure, kDestroy };

class Adapter {
 public:
  // Opens through the driver's OpenAdapter, or with `options` through its
  // cpddi_open_adapter_with_options (which the caller has checked exists).
  explicit Adapter(const Driver& driver, const CPDDI_ADAPTER_OPTIONS* options = nullptr);
  ~Adapter();
  Adapter(const Adapter&) = delete;
  Adapter& operator=(const Adapter&) = delete;

  HANDLE handle() const { return handle_; }
  const D3DDDI_ADAPTERFUNCS& funcs() const { return funcs_; }
  HRESULT get_caps(D3DCONTENTPROTECTIONCAPS* out) const;
  // GetCaps for AES-128-CTR (cached); fails the case if the call fails.
  const D3DCONTENTPROTECTIONCAPS& caps();
  // The crypto-session certificate bytes; fails the case if either call fails.
  Bytes certificate() const;
  // The key-exchange blob for `key` under the certificate's leaf key (parsed once).
  Bytes wrap_session_key(std::span<const std::uint8_t> key);

  // ---- Raw calls for the argument- and handle-checking cases ----
  // The driver's OpenAdapter; `adapter` is in/out. An adapter it opens is closed at once.
  // `null_arguments` passes no argument struct, `null_funcs` a null pAdapterFuncs.
  static HRESULT open_raw(const Driver& driver, HANDLE* adapter, bool null_arguments,
                          bool null_funcs);
  // An Adapter that calls this one's functions with `handle` as hAdapter (null, garbage, closed,
  // another object's handle). It never closes that handle.
  std::unique_ptr<Adapter> calling_as(HANDLE handle) const;
  // GetCaps(type) with `info` as pInfo and (data, data_size) as pData / DataSize.
  HRESULT get_caps_raw(UINT type, const CapsInfo& info, void* data, UINT data_size) const;
  HRESULT get_caps_null_arguments() const;  // pfnGetCaps(hAdapter, NULL)
  // CreateDevice; `device` is in/out (the driver's write, if any, is what it holds afterwards).
  // A device it creates is destroyed at once. `null_arguments` passes no argument struct,
  // `null_funcs` a null pDeviceFuncs.
  HRESULT create_device_raw(HANDLE* device, bool null_arguments = false,
                            bool null_funcs = false) const;
  // CloseAdapter. The handle stays recorded (later calls use the dead handle) and is not closed
  // again by the destructor.
  HRESULT close();
  // The key-exchange blob for `key` under the leaf key with OAEP `variant`.
  Bytes wrap_session_key(std::span<const std::uint8_t> key, OaepVariant variant);

 private:
  Adapter(HANDLE handle, const D3DDDI_ADAPTERFUNCS& funcs);  // calling_as: not owned
  const crypto::RsaPublicKey& leaf_key();

  HANDLE handle_ = nullptr;
  bool owned_ = true;  // false after close() and for calling_as views
  D3DDDI_ADAPTERFUNCS funcs_{};
  std::optional<D3DCONTENTPROTECTIONCAPS> caps_;
  std::unique_ptr<crypto::RsaPublicKey> leaf_key_;  // parsed on first use
};

// One DecryptionBlt or EncryptionBlt as plain values, for cases that vary one argument at a time.
struct BltArgs {
  HANDLE source = nullptr;
  HANDLE destination = nullptr;
  UINT size = 0;               // SrcResourceSize (DecryptionBlt), DstResourceSize (EncryptionBlt)
  std::uint8_t* iv = nullptr;  // pIV (16 bytes or null): DecryptionBlt reads, EncryptionBlt writes
  UINT source_subresource = 0;
  UINT destination_subresource = 0;
  // DecryptionBlt only: pEncryptedBlockInfo and pContentKey (16 bytes), null = not given.
  const D3DDDIENCRYPTED_BLOCK_INFO* block_info = nullptr;
  const std::uint8_t* content_key = nullptr;
};

class Device {
 public:
  explicit Device(Adapter& adapter);
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  Adapter& adapter() const { return adapter_; }
  HANDLE handle() const { return handle_; }
  // False once destroy() ran, and for calling_as views: the destructor leaves the handle alone.
  bool owns_handle() const { return owned_; }
  const D3DDDI_DEVICEFUNCS& funcs() const { return funcs_; }
  DWORD caps_bits() const { return adapter_.caps().Caps; }

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
  HRESULT call_with_null_arguments(DeviceEntry entry) const;
  // A system-memory surface that lives in the caller's `memory` (pSysMem) with `pitch`.
  HANDLE create_surface_in(void* memory, UINT pitch, D3DDDIFORMAT format, UINT width, UINT height,
                           HRESULT* hr = nullptr) const;
  HRESULT decryption_blt(HANDLE session, const BltArgs& blt) const;
  HRESULT encryption_blt(HANDLE session, const BltArgs& blt) const;
  // One authenticated-channel call: `input` is KeyExchange's blob or Query's/Configure's input
  // (64 output bytes offered), `channel` the handle Destroy names.
  HRESULT channel_call(ChannelEntry entry, std::span<const std::uint8_t> input,
                       HANDLE channel = nullptr) const;

 private:
  Device(Adapter& adapter, HANDLE handle, const D3DDDI_DEVICEFUNCS& funcs);  // calling_as

  Adapter& adapter_;
  HANDLE handle_ = nullptr;
  bool owned_ = true;  // false after destroy() and for calling_as views
  D3DDDI_DEVICEFUNCS funcs_{};
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

}  // namespace cpddi::conform
