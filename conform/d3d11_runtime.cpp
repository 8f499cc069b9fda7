#include "conform/d3d11_runtime.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace cpddi::conform {

// ---- PrivateMemory ----

namespace {

// Blocks start 16-byte aligned, like the runtime's allocations (no driver may assume more).
constexpr std::size_t kAlignment = 16;

}  // namespace

PrivateMemory::~PrivateMemory() { check_all(); }

void* PrivateMemory::allocate(std::size_t size) {
  Block block;
  block.size = size;
  const std::size_t total = kAlignment + size + kGuardSize;
  block.storage = std::make_unique<std::uint8_t[]>(total);  // zeroed
  // The first kAlignment bytes are slack that makes the block aligned whatever new[] returned.
  std::uint8_t* raw = block.storage.get();
  const std::size_t misalignment = reinterpret_cast<std::uintptr_t>(raw) % kAlignment;
  std::uint8_t* start = raw + (misalignment == 0 ? kAlignment : kAlignment - misalignment);
  std::fill_n(start + size, kGuardSize, kPoison);
  blocks_.emplace(start, std::move(block));
  return start;
}

bool PrivateMemory::guard_intact(const void* start, const Block& block) const {
  const auto* guard = static_cast<const std::uint8_t*>(start) + block.size;
  return std::all_of(guard, guard + kGuardSize, [](std::uint8_t b) { return b == kPoison; });
}

bool PrivateMemory::release(void* start) {
  auto it = blocks_.find(start);
  if (it == blocks_.end()) {
    return false;
  }
  if (!guard_intact(start, it->second)) {
    ++guard_violations_;
  }
  blocks_.erase(it);
  return true;
}

std::optional<std::size_t> PrivateMemory::size_of(const void* start) const {
  auto it = blocks_.find(start);
  return it == blocks_.end() ? std::nullopt : std::optional(it->second.size);
}

std::size_t PrivateMemory::check_all() {
  for (auto& [start, block] : blocks_) {
    if (!guard_intact(start, block)) {
      ++guard_violations_;
      // Re-poisoned, so one overrun counts once.
      std::fill_n(static_cast<std::uint8_t*>(const_cast<void*>(start)) + block.size, kGuardSize,
                  kPoison);
    }
  }
  return guard_violations_;
}

// ---- D3d11Runtime ----

HRESULT D3d11Runtime::open(PFNCPDDI_D3D11_1_OPENADAPTER open_fn,
                           const CPDDI_ADAPTER_OPTIONS* options,
                           std::unique_ptr<D3d11Runtime>* out) {
  std::unique_ptr<D3d11Runtime> runtime(new D3d11Runtime);
  CPDDI_D3D11_1_OPENADAPTER open_data{};
  open_data.pAdapterFuncs = &runtime->funcs_;
  const HRESULT hr = open_fn(&open_data, options);
  if (FAILED(hr)) {
    return hr;
  }
  runtime->adapter_ = open_data.hAdapter;
  *out = std::move(runtime);
  return hr;
}

D3d11Runtime::~D3d11Runtime() {
  if (funcs_.pfnCloseAdapter != nullptr) {
    funcs_.pfnCloseAdapter(adapter_);
  }
}

HRESULT D3d11Runtime::create_device(CPDDI_D3D11_1_ERROR_MODE mode,
                                    std::unique_ptr<D3d11Device>* out, UINT flags,
                                    const CreateDeviceFaults& faults) {
  const D3D10DDI_HADAPTER adapter = faults.as_adapter.value_or(adapter_);
  std::unique_ptr<D3d11Device> device(new D3d11Device);
  device->callbacks_.pfnSetErrorCb = &D3d11Device::set_error;
  CPDDI_D3D11_1_CREATEDEVICE create{};
  create.hRTCoreLayer.handle = device.get();
  create.pUMCallbacks = &device->callbacks_;
  create.ErrorMode = mode;
  create.Flags = flags;
  create.pDeviceFuncs = faults.null_device_funcs ? nullptr : &device->device_funcs_;
  create.ppfnRetrieveSubObject = &device->retrieve_;
  const SIZE_T size = funcs_.pfnCalcPrivateDeviceSize(adapter, &create);
  create.hDrvDevice.pDrvPrivate = device->memory_.allocate(size);
  HRESULT hr = funcs_.pfnCreateDevice(adapter, &create);
  if (FAILED(hr)) {
    device->destroyed_ = true;  // nothing to destroy
    return hr;
  }
  device->handle_ = create.hDrvDevice;
  D3D11_1DDI_VIDEO_INPUT input{0, &device->video_};
  D3D11_1DDI_VIDEO_OUTPUT output{};
  hr = device->retrieve_sub_object(D3D11_1DDI_VIDEO_FUNCTIONS, sizeof input, &input,
                                   sizeof output, &output);
  if (FAILED(hr)) {
    return hr;  // the device dies with `device`
  }
  D3DWDDM2_0DDI_VIDEO_INPUT input2{0, &device->video2_};
  D3DWDDM2_0DDI_VIDEO_OUTPUT output2{};
  hr = device->retrieve_sub_object(D3DWDDM2_0DDI_VIDEO_FUNCTIONS, sizeof input2, &input2,
                                   sizeof output2, &output2);
  if (FAILED(hr)) {
    return hr;
  }
  *out = std::move(device);
  return S_OK;
}

// ---- D3d11Device ----

D3d11Device::~D3d11Device() {
  if (!destroyed_) {
    destroy_device();
  }
}

void APIENTRY D3d11Device::set_error(D3D10DDI_HRTCORELAYER core_layer, HRESULT hr) {
  auto* device = static_cast<D3d11Device*>(core_layer.handle);
  device->errors_.push_back({device->running_ != nullptr ? device->running_ : "(no call)", hr});
}

template <class Call>
HRESULT D3d11Device::run(const char* name, Call&& call) {
  running_ = name;
  const std::size_t before = errors_.size();
  HRESULT hr = S_OK;
  if constexpr (std::is_void_v<decltype(call())>) {
    call();
    if (errors_.size() > before) {
      hr = errors_[before].hr;
    }
  } else {
    hr = call();
  }
  running_ = nullptr;
  return hr;
}

HRESULT D3d11Device::retrieve_sub_object(UINT32 id, SIZE_T param_size, void* params,
                                         SIZE_T output_size, void* output) {
  return run("RetrieveSubObject",
             [&] { return retrieve_(target(), id, param_size, params, output_size, output); });
}

SIZE_T D3d11Device::calc_private_resource_size(const CPDDI_D3D11_1_CREATERESOURCE* args) {
  return device_funcs_.pfnCalcPrivateResourceSize(target(), args);
}

HRESULT D3d11Device::create_resource(const CPDDI_D3D11_1_CREATERESOURCE* args,
                                     D3D10DDI_HRESOURCE* resource) {
  return create_object(calc_private_resource_size(args), resource, [&](D3D10DDI_HRESOURCE h) {
    return run("CreateResource",
               [&] { return device_funcs_.pfnCreateResource(target(), args, h); });
  });
}

HRESULT D3d11Device::destroy_resource(D3D10DDI_HRESOURCE resource) {
  return destroy_object(resource, run("DestroyResource", [&] {
                          return device_funcs_.pfnDestroyResource(target(), resource);
                        }));
}

HRESULT D3d11Device::map(D3D10DDI_HRESOURCE resource, UINT subresource, UINT flags,
                         D3D10DDI_MAPPED_SUBRESOURCE* mapped) {
  return run("ResourceMap", [&] {
    return device_funcs_.pfnResourceMap(target(), resource, subresource, flags, mapped);
  });
}

HRESULT D3d11Device::unmap(D3D10DDI_HRESOURCE resource, UINT subresource) {
  return run("ResourceUnmap",
             [&] { return device_funcs_.pfnResourceUnmap(target(), resource, subresource); });
}

HRESULT D3d11Device::flush() {
  return run("Flush", [&] { return device_funcs_.pfnFlush(target()); });
}

HRESULT D3d11Device::destroy_device() {
  const HRESULT hr = run("DestroyDevice", [&] { return device_funcs_.pfnDestroyDevice(target()); });
  if (SUCCEEDED(hr) && !calling_as_) {
    destroyed_ = true;
    // Every object of the device died with it (its private memory is the runtime's again).
    memory_.check_all();
  }
  return hr;
}

HRESULT D3d11Device::get_content_protection_caps(const GUID* crypto_type,
                                                 const GUID* decode_profile,
                                                 D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS* caps) {
  return run("GetContentProtectionCaps", [&] {
    return video_.pfnGetContentProtectionCaps(target(), crypto_type, decode_profile, caps);
  });
}

HRESULT D3d11Device::get_crypto_key_exchange_type(const GUID* crypto_type,
                                                  const GUID* decode_profile, UINT index,
                                                  GUID* key_exchange_type) {
  return run("GetCryptoKeyExchangeType", [&] {
    return video_.pfnGetCryptoKeyExchangeType(target(), crypto_type, decode_profile, index,
                                              key_exchange_type);
  });
}

SIZE_T D3d11Device::calc_private_crypto_session_size(
    const D3D11_1DDIARG_CREATECRYPTOSESSION* args) {
  return video_.pfnCalcPrivateCryptoSessionSize(target(), args);
}

HRESULT D3d11Device::create_crypto_session(const D3D11_1DDIARG_CREATECRYPTOSESSION* args,
                                           D3D11_1DDI_HCRYPTOSESSION* session) {
  return create_object(calc_private_crypto_session_size(args), session,
                       [&](D3D11_1DDI_HCRYPTOSESSION h) {
                         return run("CreateCryptoSession", [&] {
                           return video_.pfnCreateCryptoSession(target(), args, h,
                                                                D3D11_1DDI_HRTCRYPTOSESSION{});
                         });
                       });
}

HRESULT D3d11Device::destroy_crypto_session(D3D11_1DDI_HCRYPTOSESSION session) {
  return destroy_object(session, run("DestroyCryptoSession", [&] {
                          video_.pfnDestroyCryptoSession(target(), session);
                        }));
}

HRESULT D3d11Device::get_certificate_size(const D3D11_1DDI_CERTIFICATE_INFO* info, UINT* size) {
  return run("GetCertificateSize",
             [&] { video_.pfnGetCertificateSize(target(), info, size); });
}

HRESULT D3d11Device::get_certificate(const D3D11_1DDI_CERTIFICATE_INFO* info, UINT size,
                                     BYTE* certificate) {
  return run("GetCertificate",
             [&] { video_.pfnGetCertificate(target(), info, size, certificate); });
}

HRESULT D3d11Device::negotiate_crypto_session_key_exchange(D3D11_1DDI_HCRYPTOSESSION session,
                                                           UINT size, BYTE* data) {
  return run("NegotiateCryptoSessionKeyExchange", [&] {
    return video_.pfnNegotiateCryptoSessionKeyExchange(target(), session, size, data);
  });
}

HRESULT D3d11Device::encryption_blt(D3D11_1DDI_HCRYPTOSESSION session, D3D10DDI_HRESOURCE source,
                                    D3D10DDI_HRESOURCE destination, UINT iv_size, void* iv) {
  return run("EncryptionBlt", [&] {
    video_.pfnEncryptionBlt(target(), session, source, destination, iv_size, iv);
  });
}

HRESULT D3d11Device::decryption_blt(D3D11_1DDI_HCRYPTOSESSION session, D3D10DDI_HRESOURCE source,
                                    D3D10DDI_HRESOURCE destination,
                                    const D3D11_1DDI_ENCRYPTED_BLOCK_INFO* block_info,
                                    UINT key_size, const void* content_key, UINT iv_size,
                                    const void* iv) {
  return run("DecryptionBlt", [&] {
    video_.pfnDecryptionBlt(target(), session, source, destination, block_info, key_size,
                            content_key, iv_size, iv);
  });
}

HRESULT D3d11Device::start_session_key_refresh(D3D11_1DDI_HCRYPTOSESSION session, UINT size,
                                               void* random) {
  return run("StartSessionKeyRefresh",
             [&] { video_.pfnStartSessionKeyRefresh(target(), session, size, random); });
}

HRESULT D3d11Device::finish_session_key_refresh(D3D11_1DDI_HCRYPTOSESSION session) {
  return run("FinishSessionKeyRefresh",
             [&] { video_.pfnFinishSessionKeyRefresh(target(), session); });
}

HRESULT D3d11Device::get_encryption_blt_key(D3D11_1DDI_HCRYPTOSESSION session, UINT size,
                                            void* key) {
  return run("GetEncryptionBltKey",
             [&] { video_.pfnGetEncryptionBltKey(target(), session, size, key); });
}

SIZE_T D3d11Device::calc_private_authenticated_channel_size(
    const D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL* args) {
  return video_.pfnCalcPrivateAuthenticatedChannelSize(target(), args);
}

HRESULT D3d11Device::create_authenticated_channel(D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL* args,
                                                  D3D11_1DDI_HAUTHCHANNEL* channel) {
  return create_object(calc_private_authenticated_channel_size(args), channel,
                       [&](D3D11_1DDI_HAUTHCHANNEL h) {
                         return run("CreateAuthenticatedChannel", [&] {
                           return video_.pfnCreateAuthenticatedChannel(
                               target(), args, h, D3D11_1DDI_HRTAUTHCHANNEL{});
                         });
                       });
}

HRESULT D3d11Device::destroy_authenticated_channel(D3D11_1DDI_HAUTHCHANNEL channel) {
  return destroy_object(channel, run("DestroyAuthenticatedChannel", [&] {
                          video_.pfnDestroyAuthenticatedChannel(target(), channel);
                        }));
}

HRESULT D3d11Device::negotiate_authenticated_channel_key_exchange(D3D11_1DDI_HAUTHCHANNEL channel,
                                                                  UINT size, void* data) {
  return run("NegotiateAuthenticatedChannelKeyExchange", [&] {
    return video_.pfnNegotiateAuthenticatedChannelKeyExchange(target(), channel, size, data);
  });
}

HRESULT D3d11Device::query_authenticated_channel(D3D11_1DDI_HAUTHCHANNEL channel, UINT input_size,
                                                 const void* input, UINT output_size,
                                                 void* output) {
  return run("QueryAuthenticatedChannel", [&] {
    return video_.pfnQueryAuthenticatedChannel(target(), channel, input_size, input, output_size,
                                               output);
  });
}

HRESULT D3d11Device::configure_authenticated_channel(
    D3D11_1DDI_HAUTHCHANNEL channel, UINT input_size, const void* input,
    D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT* output) {
  return run("ConfigureAuthenticatedChannel", [&] {
    return video_.pfnConfigureAuthenticatedChannel(target(), channel, input_size, input, output);
  });
}

HRESULT D3d11Device::video_decoder_get_handle(D3D11_1DDI_HDECODE decoder, HANDLE* handle) {
  return run("VideoDecoderGetHandle",
             [&] { return video_.pfnVideoDecoderGetHandle(target(), decoder, handle); });
}

HRESULT D3d11Device::crypto_session_get_handle(D3D11_1DDI_HCRYPTOSESSION session,
                                               HANDLE* handle) {
  return run("CryptoSessionGetHandle",
             [&] { return video_.pfnCryptoSessionGetHandle(target(), session, handle); });
}

HRESULT D3d11Device::get_data_for_new_hardware_key(D3D11_1DDI_HCRYPTOSESSION session,
                                                   UINT input_size, const void* input,
                                                   UINT64* output) {
  return run("GetDataForNewHardwareKey", [&] {
    return video2_.pfnGetDataForNewHardwareKey(target(), session, input_size, input, output);
  });
}

HRESULT D3d11Device::check_crypto_session_status(D3D11_1DDI_HCRYPTOSESSION session,
                                                 D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS* status) {
  return run("CheckCryptoSessionStatus",
             [&] { video2_.pfnCheckCryptoSessionStatus(target(), session, status); });
}

HRESULT D3d11Device::get_crypto_session_private_data_size(const GUID* crypto_type,
                                                          const GUID* decoder_profile,
                                                          const GUID* key_exchange_type,
                                                          UINT* input_size, UINT* output_size) {
  return run("GetCryptoSessionPrivateDataSize", [&] {
    video2_.pfnGetCryptoSessionPrivateDataSize(target(), crypto_type, decoder_profile,
                                               key_exchange_type, input_size, output_size);
  });
}

}  // namespace cpddi::conform
