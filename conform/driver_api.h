#pragma once

// The abstract driver interface conform's harness is written against (issue 9): one virtual per
// operation the harness performs, each taking plain arguments and returning the HRESULT the front
// end reports. A front end (the D3D9 UMD function tables today, conform/d3d9_front_end.h; a
// D3D11.1 video-DDI front end later) implements FrontEnd, AdapterCalls and DeviceCalls once, and
// every case runs on it unchanged: the cases see only Adapter/Device/Session/Surface
// (harness.h, session.h), which hold these calls objects.
//
// A front end whose entry points return void (D3D11: errors go through pfnSetErrorCb) returns
// what the runtime's error callback received during the call, or S_OK. A front end does no
// checking of its own beyond what it needs to make the call (a missing entry point fails the
// case with its name): judging the answer is the harness's and the cases' job.

#include <cstdint>
#include <memory>
#include <span>

#include "cpddi/cpddi.h"

namespace cpddi::conform {

// What a raw GetCaps call passes as pInfo (the front end builds its own struct from it).
struct CapsInfo {
  enum class Kind { kNull, kContentProtection, kCertificate };
  Kind kind = Kind::kContentProtection;
  GUID crypto_type = D3DCRYPTOTYPE_AES128_CTR;                  // both kinds
  GUID decode_profile{};                                        // kContentProtection
  UINT certificate_type = D3DDDI_CERTTYPE_CRYPTOSESSION;        // kCertificate
  UINT channel_type = DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE;  // kCertificate
};

// One CreateResource call in plain terms; the defaults are a 16×4 X8R8G8B8 system-memory surface.
// Format and Pool are integers: a C caller may store any 32-bit value there, which a C++ enum
// cannot hold (the D3D9 front end copies them into its struct as integers).
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

// Device entry points a case calls with a null argument struct.
enum class DeviceEntry {
  kCreateCryptoSession, kDestroyCryptoSession, kCryptoSessionKeyExchange, kCreateResource,
  kLock, kUnlock, kGetPitch, kDecryptionBlt, kEncryptionBlt, kGetEncryptionBltKey,
  kStartSessionKeyRefresh, kCreateAuthenticatedChannel, kAuthenticatedChannelKeyExchange,
  kQueryAuthenticatedChannel, kConfigureAuthenticatedChannel, kDestroyAuthenticatedChannel
};

// What a refusal means, so that a case states its expectation once for every front end: each
// front end spells each kind with its own HRESULT (FrontEnd::code; spec §2.2, §8.5, A41).
enum class Refusal {
  kInvalidArgument,         // a bad argument, size, handle or message: E_INVALIDARG on both
  kWrongState,              // right arguments at the wrong moment (A3, A4, A19, A22)
  kCapOff,                  // an optional cap switched off (A5, §4.6, §4.7)
  kUnsupportedCryptoType,   // caps or CreateCryptoSession of an unknown, all-zero or
                            // proprietary crypto type (§3, §4.1)
  kUnsupportedProfile,      // a DecodeProfile the crypto type cannot be used with (A34)
  kUnknownCertificate,      // a certificate request naming an unknown certificate, channel
                            // or crypto type (§3)
  kChannelTypeNotAdvertised,  // CreateAuthenticatedChannel of a type the caps lack (§5.1, A39)
  kUnknownCommand,          // a query/configure GUID that is unknown or not allowed for the
                            // channel type (A33): the call's HRESULT and the output's ReturnCode
  kOutOfProtectedMemory,    // CreateResource beyond the protected pool
  kQueryOutputOver,         // a query OutputSize above the defined size (A27: D3D9 exact,
                            // D3D11.1 accepts it, so its "refusal" is S_OK)
};

// Rows of cases that only one DDI has (spec §8.4). A case asks before it calls one
// (require_row, harness.h) and is skipped with the front end's reason where it is missing.
enum class DdiRow {
  kArgumentStructs,  // entry points that take an argument struct a case can pass as null
  kGetPitch,         // GetPitch (D3D11 has none: it uses staging resources)
  kLockArguments,    // Lock's D3D9 argument fields (AreaValid, SlicePitch, subresource checks)
  kCapsTypes,        // GetCaps' Type dispatch (D3D11 has one entry per query)
  kCapsDataSize,     // GetCaps' DataSize (D3D11.1's caps entries write typed values)
  kAdapterCaps,      // caps asked of an adapter handle (D3D11.1 asks a device)
  kCapsUnion,        // the all-zero CryptoType asking for the union of the caps (D3D9, §3)
  kErrorCallback,    // void entries that report through the runtime's pfnSetErrorCb (D3D11.1)
};

// The authenticated-channel entry points, for callers that pick one by number (Device::channel_call).
enum class ChannelEntry { kCreate, kKeyExchange, kQuery, kConfigure, kDestroy };

// What a destructor tears down through DeviceCalls::release.
enum class DeviceObject { kDevice, kCryptoSession, kResource, kAuthenticatedChannel };

// The calls on one device handle (the handle a front end's CreateDevice wrote, or any handle a
// case names through calling_as). Every pointer argument is in/out as in the DDI: the caller
// presets a sentinel and sees what the driver wrote.
class DeviceCalls {
 public:
  virtual ~DeviceCalls() = default;

  virtual HANDLE handle() const = 0;
  // The same functions called with `handle` as the device.
  virtual std::unique_ptr<DeviceCalls> calling_as(HANDLE handle) const = 0;

  virtual HRESULT destroy_device() = 0;
  virtual HRESULT create_crypto_session(const GUID& crypto_type, const GUID& decode_profile,
                                        HANDLE* session) = 0;
  virtual HRESULT destroy_crypto_session(HANDLE session) = 0;
  // `null_data` passes the blob's size with a null data pointer.
  virtual HRESULT crypto_session_key_exchange(HANDLE session, std::span<const std::uint8_t> blob,
                                              bool null_data) = 0;
  virtual HRESULT get_pitch(HANDLE session, HANDLE resource, UINT subresource, UINT* pitch) = 0;
  virtual HRESULT start_session_key_refresh(HANDLE session, void* buffer, UINT size) = 0;
  virtual HRESULT finish_session_key_refresh(HANDLE session) = 0;
  virtual HRESULT get_encryption_blt_key(HANDLE session, void* buffer, UINT size) = 0;
  virtual HRESULT create_resource(const SurfaceDesc& desc, HANDLE* resource) = 0;
  virtual HRESULT destroy_resource(HANDLE resource) = 0;
  // `slice_pitch` may be null (not asked for); `area_valid` = the lock names an area.
  virtual HRESULT lock(HANDLE resource, UINT subresource, void** data, UINT* pitch,
                       UINT* slice_pitch, bool area_valid) = 0;
  virtual HRESULT unlock(HANDLE resource, UINT subresource) = 0;
  virtual HRESULT decryption_blt(HANDLE session, const BltArgs& blt) = 0;
  virtual HRESULT encryption_blt(HANDLE session, const BltArgs& blt) = 0;
  // The five channel entry points (spec §5). Buffers are passed as given, null pointers and
  // sizes that do not match the buffer included: the D3D9 query argument carries no channel
  // handle (it is inside the input), and the configure argument no output size (the driver
  // writes one CONFIGURE_OUTPUT into `output`).
  virtual HRESULT create_authenticated_channel(UINT channel_type, HANDLE* channel) = 0;
  virtual HRESULT authenticated_channel_key_exchange(HANDLE channel, const std::uint8_t* blob,
                                                     UINT blob_size) = 0;
  virtual HRESULT query_authenticated_channel(const std::uint8_t* input, UINT input_size,
                                              std::uint8_t* output, UINT output_size) = 0;
  virtual HRESULT configure_authenticated_channel(const std::uint8_t* input, UINT input_size,
                                                  std::uint8_t* output) = 0;
  virtual HRESULT destroy_authenticated_channel(HANDLE channel) = 0;
  // `entry` called with null arguments: no argument struct at all (D3D9). D3D11.1's crypto-session
  // entries (create, destroy, key exchange, the blts, GetEncryptionBltKey) pass their argument
  // struct, handles and data pointers NULL with a valid call's sizes; its other entries are only
  // asked when FrontEnd::has_argument_structs() is true.
  virtual HRESULT call_with_null_argument_struct(DeviceEntry entry) = 0;
  // Teardown from a destructor: never throws, skips a missing entry point, ignores the answer.
  // `object` is the session or resource (unused for kDevice, which is this calls' handle).
  virtual void release(DeviceObject kind, HANDLE object) noexcept = 0;
};

// The calls on one adapter handle.
class AdapterCalls {
 public:
  virtual ~AdapterCalls() = default;

  virtual HANDLE handle() const = 0;
  // The same functions called with `handle` as the adapter.
  virtual std::unique_ptr<AdapterCalls> calling_as(HANDLE handle) const = 0;

  // GetCaps(type) with `info` as pInfo and (data, data_size) as pData / DataSize.
  virtual HRESULT get_caps(UINT type, const CapsInfo& info, void* data, UINT data_size) = 0;
  // CreateDevice: on return `*device` holds the calls on the handle the driver wrote (possibly
  // null), whatever the HRESULT; the caller owns that device.
  virtual HRESULT create_device(std::unique_ptr<DeviceCalls>* device) = 0;
  // CreateDevice for the argument-checking cases: `device` is in/out (the driver's write, if any,
  // is what it holds afterwards); a device it creates is destroyed at once. `null_funcs` passes
  // no table for the driver to fill.
  virtual HRESULT create_device_raw(HANDLE* device, bool null_funcs) = 0;
  virtual HRESULT close_adapter() = 0;
  // Only asked when FrontEnd::has_argument_structs() is true.
  virtual HRESULT get_caps_with_null_argument_struct() = 0;
  virtual HRESULT create_device_with_null_argument_struct() = 0;
  // Teardown from a destructor: never throws, ignores the answer.
  virtual void release() noexcept = 0;
};

// A front end: how a driver is opened and what its calls look like. Shared by every adapter the
// run opens (conform::Driver holds it).
class FrontEnd {
 public:
  virtual ~FrontEnd() = default;

  virtual const char* name() const = 0;  // "d3d9", "d3d11"
  // How this DDI spells `refusal` (its one mapping: spec §2.2 for D3D9, A41 for D3D11.1).
  virtual HRESULT code(Refusal refusal) const = 0;
  // Null when the DDI has `row`; otherwise why not, the reason a skipped case reports.
  virtual const char* missing(DdiRow row) const = 0;
  // Whether its entry points take argument structs a case can pass as null. A front end that
  // answers false has no such rows: the cases skip them (Device::has_argument_structs).
  bool has_argument_structs() const { return missing(DdiRow::kArgumentStructs) == nullptr; }
  // Whether adapters can be opened with CPDDI_ADAPTER_OPTIONS (cpddi_open_adapter_with_options).
  virtual bool can_open_with_options() const = 0;

  // Opens an adapter (`options` non-null: with those options, which the caller has checked
  // can_open_with_options for). On S_OK `*adapter` holds the calls on the handle the driver
  // wrote (possibly null). A missing entry point fails the case with its name.
  virtual HRESULT open_adapter(const CPDDI_ADAPTER_OPTIONS* options,
                               std::unique_ptr<AdapterCalls>* adapter) const = 0;
  // OpenAdapter for the argument-checking cases: `adapter` is in/out; an adapter it opens is
  // closed at once. `null_funcs` passes no table for the driver to fill.
  virtual HRESULT open_adapter_raw(HANDLE* adapter, bool null_funcs) const = 0;
  // Only asked when has_argument_structs() is true.
  virtual HRESULT open_adapter_with_null_argument_struct() const = 0;
};

}  // namespace cpddi::conform
