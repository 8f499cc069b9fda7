#pragma once

// A test runtime for the D3D11.1 video DDI (issue 12 item 4): it plays the part the Direct3D 11
// runtime plays for a user-mode driver, so the driver is tested the way a real runtime drives
// it. It opens an adapter through a given open function (cpddi's own, or one found in a
// `--driver` module), allocates every piece of driver-private memory with the size the driver's
// CalcPrivate*Size returned — followed by poisoned guard bytes that are checked when the block is
// freed — supplies pfnSetErrorCb and records every (entry, HRESULT) it receives, and fetches the
// video tables through RetrieveSubObject (ID 2, and ID 3 for the WDDM 2.0 entries).
//
// Every entry method returns "the HRESULT the entry returned, or the one error it reported
// through pfnSetErrorCb during the call, or S_OK"; errors() holds the raw record, so a test can
// also see an HRESULT entry that reported, a void entry that reported twice, or a report of S_OK.
//
// C ABI only (cpddi.h); no GoogleTest. Threading: one D3d11Device is used by one thread at a time
// (the record is not locked); separate devices may be used from separate threads.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cpddi/cpddi.h"

namespace cpddi::conform {

// One call of pfnSetErrorCb: the entry that was running (or "(no call)") and the code.
struct ReportedError {
  std::string entry;
  HRESULT hr = S_OK;
};

// Driver-private memory blocks, each followed by kGuardSize poisoned bytes. A block lives from
// the Create call that names it until the matching Destroy succeeded (or the allocator dies).
class PrivateMemory {
 public:
  static constexpr std::size_t kGuardSize = 32;
  static constexpr std::uint8_t kPoison = 0xA5;

  PrivateMemory() = default;
  PrivateMemory(const PrivateMemory&) = delete;
  PrivateMemory& operator=(const PrivateMemory&) = delete;
  ~PrivateMemory();

  // `size` bytes (zeroed, 16-byte aligned) plus the guard; never null (a size of 0 still gets
  // a distinct address).
  void* allocate(std::size_t size);
  // Checks the block's guard and frees it; false for an address this allocator does not own.
  bool release(void* block);
  // The size asked for `block`, or nullopt.
  std::optional<std::size_t> size_of(const void* block) const;
  // Blocks whose guard bytes were found changed (at release, or by check_all).
  std::size_t guard_violations() const { return guard_violations_; }
  // Checks every live block's guard now; returns guard_violations().
  std::size_t check_all();
  std::size_t live_blocks() const { return blocks_.size(); }

 private:
  struct Block {
    std::unique_ptr<std::uint8_t[]> storage;
    std::size_t size = 0;
  };
  bool guard_intact(const void* block, const Block& b) const;

  std::map<const void*, Block> blocks_;
  std::size_t guard_violations_ = 0;
};

class D3d11Device;

// How an argument-checking case's CreateDevice departs from a runtime's (D3d11Runtime).
struct CreateDeviceFaults {
  std::optional<D3D10DDI_HADAPTER> as_adapter;  // instead of the runtime's hAdapter
  bool null_device_funcs = false;               // pDeviceFuncs = NULL
};

// One adapter opened through a D3D11.1 open function. Closes the adapter when it dies.
class D3d11Runtime {
 public:
  // `options` may be null. On failure *out is untouched and the open function's HRESULT returned.
  static HRESULT open(PFNCPDDI_D3D11_1_OPENADAPTER open_fn, const CPDDI_ADAPTER_OPTIONS* options,
                      std::unique_ptr<D3d11Runtime>* out);
  D3d11Runtime(const D3d11Runtime&) = delete;
  D3d11Runtime& operator=(const D3d11Runtime&) = delete;
  ~D3d11Runtime();

  const CPDDI_D3D11_1_ADAPTERFUNCS& adapter_funcs() const { return funcs_; }
  D3D10DDI_HADAPTER adapter() const { return adapter_; }

  // Asks CalcPrivateDeviceSize, allocates the device's private memory, calls CreateDevice with
  // this runtime's pfnSetErrorCb, then RetrieveSubObject(2) and (3). A failing step's HRESULT is
  // returned and nothing is kept. `flags`: CPDDI_D3D11_1_CREATEDEVICE.Flags; `faults`: how an
  // argument-checking case's call departs from a runtime's.
  HRESULT create_device(CPDDI_D3D11_1_ERROR_MODE mode, std::unique_ptr<D3d11Device>* out,
                        UINT flags = 0, const CreateDeviceFaults& faults = {});

 private:
  D3d11Runtime() = default;

  CPDDI_D3D11_1_ADAPTERFUNCS funcs_{};
  D3D10DDI_HADAPTER adapter_{};
};

// One device and the runtime's side of it: its private memory, its video tables and its record
// of reported errors. DestroyDevice is called when it dies unless destroy_device() ran.
class D3d11Device {
 public:
  D3d11Device(const D3d11Device&) = delete;
  D3d11Device& operator=(const D3d11Device&) = delete;
  ~D3d11Device();

  D3D10DDI_HDEVICE handle() const { return handle_; }
  const CPDDI_D3D11_1_DEVICEFUNCS& device_funcs() const { return device_funcs_; }
  // The tables exactly as RetrieveSubObject filled them.
  const D3D11_1DDI_VIDEODEVICEFUNCS& video() const { return video_; }
  const D3DWDDM2_0DDI_VIDEODEVICEFUNCS& video_wddm2_0() const { return video2_; }
  PFND3D10DDI_RETRIEVESUBOBJECT retrieve_sub_object_fn() const { return retrieve_; }
  PrivateMemory& memory() { return memory_; }

  // ---- The record of pfnSetErrorCb ----
  const std::vector<ReportedError>& errors() const { return errors_; }
  void clear_errors() { errors_.clear(); }

  // Every call below goes to `handle_` unless calling_as() changed the device handle passed (the
  // errors the driver reports still land in this record, if it reports them here at all).
  void calling_as(std::optional<D3D10DDI_HDEVICE> other) { calling_as_ = other; }

  // ---- RetrieveSubObject, raw ----
  HRESULT retrieve_sub_object(UINT32 id, SIZE_T param_size, void* params, SIZE_T output_size,
                              void* output);

  // ---- The compact device table (resources, flush, destroy) ----
  SIZE_T calc_private_resource_size(const CPDDI_D3D11_1_CREATERESOURCE* args);
  // Allocates the private memory and creates; *resource is written only on success.
  HRESULT create_resource(const CPDDI_D3D11_1_CREATERESOURCE* args, D3D10DDI_HRESOURCE* resource);
  // Frees the private memory once the driver accepted the destroy.
  HRESULT destroy_resource(D3D10DDI_HRESOURCE resource);
  HRESULT map(D3D10DDI_HRESOURCE resource, UINT subresource, UINT flags,
              D3D10DDI_MAPPED_SUBRESOURCE* mapped);
  HRESULT unmap(D3D10DDI_HRESOURCE resource, UINT subresource);
  HRESULT flush();
  HRESULT destroy_device();

  // ---- The video table: one method per cpddi slot (spec §8.2, §8.3) ----
  HRESULT get_content_protection_caps(const GUID* crypto_type, const GUID* decode_profile,
                                      D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS* caps);
  HRESULT get_crypto_key_exchange_type(const GUID* crypto_type, const GUID* decode_profile,
                                       UINT index, GUID* key_exchange_type);
  SIZE_T calc_private_crypto_session_size(const D3D11_1DDIARG_CREATECRYPTOSESSION* args);
  HRESULT create_crypto_session(const D3D11_1DDIARG_CREATECRYPTOSESSION* args,
                                D3D11_1DDI_HCRYPTOSESSION* session);
  HRESULT destroy_crypto_session(D3D11_1DDI_HCRYPTOSESSION session);
  HRESULT get_certificate_size(const D3D11_1DDI_CERTIFICATE_INFO* info, UINT* size);
  HRESULT get_certificate(const D3D11_1DDI_CERTIFICATE_INFO* info, UINT size, BYTE* certificate);
  HRESULT negotiate_crypto_session_key_exchange(D3D11_1DDI_HCRYPTOSESSION session, UINT size,
                                                BYTE* data);
  HRESULT encryption_blt(D3D11_1DDI_HCRYPTOSESSION session, D3D10DDI_HRESOURCE source,
                         D3D10DDI_HRESOURCE destination, UINT iv_size, void* iv);
  HRESULT decryption_blt(D3D11_1DDI_HCRYPTOSESSION session, D3D10DDI_HRESOURCE source,
                         D3D10DDI_HRESOURCE destination,
                         const D3D11_1DDI_ENCRYPTED_BLOCK_INFO* block_info, UINT key_size,
                         const void* content_key, UINT iv_size, const void* iv);
  HRESULT start_session_key_refresh(D3D11_1DDI_HCRYPTOSESSION session, UINT size, void* random);
  HRESULT finish_session_key_refresh(D3D11_1DDI_HCRYPTOSESSION session);
  HRESULT get_encryption_blt_key(D3D11_1DDI_HCRYPTOSESSION session, UINT size, void* key);
  SIZE_T calc_private_authenticated_channel_size(
      const D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL* args);
  // Allocates the private memory and creates; *channel is written only on success. args->hChannel
  // holds what the driver wrote.
  HRESULT create_authenticated_channel(D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL* args,
                                       D3D11_1DDI_HAUTHCHANNEL* channel);
  HRESULT destroy_authenticated_channel(D3D11_1DDI_HAUTHCHANNEL channel);
  HRESULT negotiate_authenticated_channel_key_exchange(D3D11_1DDI_HAUTHCHANNEL channel, UINT size,
                                                       void* data);
  HRESULT query_authenticated_channel(D3D11_1DDI_HAUTHCHANNEL channel, UINT input_size,
                                      const void* input, UINT output_size, void* output);
  HRESULT configure_authenticated_channel(D3D11_1DDI_HAUTHCHANNEL channel, UINT input_size,
                                          const void* input,
                                          D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT* output);
  HRESULT video_decoder_get_handle(D3D11_1DDI_HDECODE decoder, HANDLE* handle);
  HRESULT crypto_session_get_handle(D3D11_1DDI_HCRYPTOSESSION session, HANDLE* handle);
  // WDDM 2.0 table (ID 3).
  HRESULT get_data_for_new_hardware_key(D3D11_1DDI_HCRYPTOSESSION session, UINT input_size,
                                        const void* input, UINT64* output);
  HRESULT check_crypto_session_status(D3D11_1DDI_HCRYPTOSESSION session,
                                      D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS* status);
  HRESULT get_crypto_session_private_data_size(const GUID* crypto_type,
                                               const GUID* decoder_profile,
                                               const GUID* key_exchange_type, UINT* input_size,
                                               UINT* output_size);

 private:
  friend class D3d11Runtime;
  D3d11Device() = default;

  static void APIENTRY set_error(D3D10DDI_HRTCORELAYER core_layer, HRESULT hr);
  D3D10DDI_HDEVICE target() const { return calling_as_.value_or(handle_); }
  // Runs `call` as entry `name`: HRESULT-returning calls give theirs, void ones the first error
  // recorded during the call (or S_OK).
  template <class Call>
  HRESULT run(const char* name, Call&& call);
  // Allocates `size` bytes of private memory and runs create(handle to them); keeps the block
  // and writes *out (if given) only when the create succeeded.
  template <class DriverHandle, class Create>
  HRESULT create_object(SIZE_T size, DriverHandle* out, Create&& create) {
    const DriverHandle handle{memory_.allocate(size)};
    const HRESULT hr = create(handle);
    if (FAILED(hr)) {
      memory_.release(handle.pDrvPrivate);
      return hr;
    }
    if (out != nullptr) {
      *out = handle;
    }
    return hr;
  }
  // Frees the object's block once the driver accepted its destroy (`hr`); a refused one stays.
  template <class DriverHandle>
  HRESULT destroy_object(DriverHandle handle, HRESULT hr) {
    if (SUCCEEDED(hr)) {
      memory_.release(handle.pDrvPrivate);
    }
    return hr;
  }

  PrivateMemory memory_;
  D3D10DDI_HDEVICE handle_{};
  std::optional<D3D10DDI_HDEVICE> calling_as_;
  D3D10DDI_CORELAYER_DEVICECALLBACKS callbacks_{};
  CPDDI_D3D11_1_DEVICEFUNCS device_funcs_{};
  D3D11_1DDI_VIDEODEVICEFUNCS video_{};
  D3DWDDM2_0DDI_VIDEODEVICEFUNCS video2_{};
  PFND3D10DDI_RETRIEVESUBOBJECT retrieve_ = nullptr;
  std::vector<ReportedError> errors_;
  const char* running_ = nullptr;
  bool destroyed_ = false;
};

}  // namespace cpddi::conform
