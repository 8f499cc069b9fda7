// The D3D9 front end (d3d9_front_end.h): conform's driver interface (driver_api.h) on the D3D9
// UMD function tables. Every D3DDDIARG_* struct conform builds for a call is built here.
#include "conform/d3d9_front_end.h"

#include <array>
#include <cstring>
#include <string>
#include <utility>

#include "conform/check.h"
#include "conform/harness.h"

namespace cpddi::conform {
namespace {

// The fields DecryptionBlt's and EncryptionBlt's argument structs share, from a BltArgs (each
// struct names its size field differently: the caller sets that).
template <class D3d9BltArgs>
D3d9BltArgs blt_arguments(HANDLE session, const BltArgs& blt) {
  D3d9BltArgs args{};
  args.hCryptoSession = session;
  args.hSrcResource = blt.source;
  args.SrcSubResourceIndex = blt.source_subresource;
  args.hDstResource = blt.destination;
  args.DstSubResourceIndex = blt.destination_subresource;
  args.pIV = blt.iv;
  return args;
}

class D3d9DeviceCalls final : public DeviceCalls {
 public:
  D3d9DeviceCalls(HANDLE handle, const D3DDDI_DEVICEFUNCS& funcs)
      : handle_(handle), funcs_(funcs) {}

  const D3DDDI_DEVICEFUNCS& funcs() const { return funcs_; }

  HANDLE handle() const override { return handle_; }
  std::unique_ptr<DeviceCalls> calling_as(HANDLE handle) const override {
    return std::make_unique<D3d9DeviceCalls>(handle, funcs_);
  }

  HRESULT destroy_device() override {
    return need(funcs_.pfnDestroyDevice, "pfnDestroyDevice")(handle_);
  }

  HRESULT create_crypto_session(const GUID& crypto_type, const GUID& decode_profile,
                                HANDLE* session) override {
    D3DDDIARG_CREATECRYPTOSESSION args{crypto_type, decode_profile, *session};
    const HRESULT hr =
        need(funcs_.pfnCreateCryptoSession, "pfnCreateCryptoSession")(handle_, &args);
    *session = args.hCryptoSession;
    return hr;
  }

  HRESULT destroy_crypto_session(HANDLE session) override {
    D3DDDIARG_DESTROYCRYPTOSESSION args{session};
    return need(funcs_.pfnDestroyCryptoSession, "pfnDestroyCryptoSession")(handle_, &args);
  }

  HRESULT crypto_session_key_exchange(HANDLE session, std::span<const std::uint8_t> blob,
                                      bool null_data) override {
    Bytes copy(blob.begin(), blob.end());
    std::uint8_t no_bytes[1] = {};  // DataSize 0 still gets a real pointer: only null_data is
    std::uint8_t* data = null_data ? nullptr : copy.empty() ? no_bytes : copy.data();
    D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE args{session, static_cast<UINT>(copy.size()), data};
    return need(funcs_.pfnCryptoSessionKeyExchange, "pfnCryptoSessionKeyExchange")(handle_,
                                                                                     &args);
  }

  HRESULT get_pitch(HANDLE session, HANDLE resource, UINT subresource, UINT* pitch) override {
    D3DDDIARG_GETPITCH args{session, resource, subresource, *pitch};
    const HRESULT hr = need(funcs_.pfnGetPitch, "pfnGetPitch")(handle_, &args);
    *pitch = args.Pitch;
    return hr;
  }

  HRESULT start_session_key_refresh(HANDLE session, void* buffer, UINT size) override {
    D3DDDIARG_STARTSESSIONKEYREFRESH args{session, buffer, size};
    return need(funcs_.pfnStartSessionKeyRefresh, "pfnStartSessionKeyRefresh")(handle_, &args);
  }

  HRESULT finish_session_key_refresh(HANDLE session) override {
    D3DDDIARG_FINISHSESSIONKEYREFRESH args{session};
    return need(funcs_.pfnFinishSessionKeyRefresh, "pfnFinishSessionKeyRefresh")(handle_,
                                                                                   &args);
  }

  HRESULT get_encryption_blt_key(HANDLE session, void* buffer, UINT size) override {
    D3DDDIARG_GETENCRYPTIONBLTKEY args{session, buffer, size};
    return need(funcs_.pfnGetEncryptionBltKey, "pfnGetEncryptionBltKey")(handle_, &args);
  }

  HRESULT create_resource(const SurfaceDesc& desc, HANDLE* resource) override {
    D3DDDI_SURFACEINFO surfaces[2] = {};
    for (D3DDDI_SURFACEINFO& surface : surfaces) {
      surface.Width = desc.width;
      surface.Height = desc.height;
      surface.Depth = desc.depth;
    }
    surfaces[0].pSysMem = desc.system_memory;
    surfaces[0].SysMemPitch = desc.system_memory_pitch;
    D3DDDIARG_CREATERESOURCE args{};
    std::memcpy(&args.Format, &desc.format, sizeof desc.format);
    std::memcpy(&args.Pool, &desc.pool, sizeof desc.pool);
    args.pSurfList = desc.null_surface_list ? nullptr : surfaces;
    args.SurfCount = desc.surface_count;
    args.MipLevels = desc.mip_levels;
    args.Flags.RestrictedContent = desc.restricted_content ? 1 : 0;
    args.hResource = *resource;
    const HRESULT hr = need(funcs_.pfnCreateResource, "pfnCreateResource")(handle_, &args);
    *resource = args.hResource;
    return hr;
  }

  HRESULT destroy_resource(HANDLE resource) override {
    return need(funcs_.pfnDestroyResource, "pfnDestroyResource")(handle_, resource);
  }

  HRESULT lock(HANDLE resource, UINT subresource, void** data, UINT* pitch, UINT* slice_pitch,
               bool area_valid) override {
    D3DDDIARG_LOCK args{};
    args.hResource = resource;
    args.SubResourceIndex = subresource;
    args.Flags.AreaValid = area_valid ? 1 : 0;
    args.pSurfData = *data;
    args.Pitch = *pitch;
    if (slice_pitch != nullptr) {
      args.SlicePitch = *slice_pitch;
    }
    const HRESULT hr = need(funcs_.pfnLock, "pfnLock")(handle_, &args);
    *data = args.pSurfData;
    *pitch = args.Pitch;
    if (slice_pitch != nullptr) {
      *slice_pitch = args.SlicePitch;
    }
    return hr;
  }

  HRESULT unlock(HANDLE resource, UINT subresource) override {
    D3DDDIARG_UNLOCK args{};
    args.hResource = resource;
    args.SubResourceIndex = subresource;
    return need(funcs_.pfnUnlock, "pfnUnlock")(handle_, &args);
  }

  HRESULT decryption_blt(HANDLE session, const BltArgs& blt) override {
    auto args = blt_arguments<D3DDDIARG_DECRYPTIONBLT>(session, blt);
    args.SrcResourceSize = blt.size;
    // Copies: the driver reads these through non-const pointers.
    D3DDDIENCRYPTED_BLOCK_INFO block_info{};
    if (blt.block_info != nullptr) {
      block_info = *blt.block_info;
      args.pEncryptedBlockInfo = &block_info;
    }
    std::array<std::uint8_t, 16> content_key{};
    if (blt.content_key != nullptr) {
      std::memcpy(content_key.data(), blt.content_key, content_key.size());
      args.pContentKey = content_key.data();
    }
    return need(funcs_.pfnDecryptionBlt, "pfnDecryptionBlt")(handle_, &args);
  }

  HRESULT encryption_blt(HANDLE session, const BltArgs& blt) override {
    auto args = blt_arguments<D3DDDIARG_ENCRYPTIONBLT>(session, blt);
    args.DstResourceSize = blt.size;
    return need(funcs_.pfnEncryptionBlt, "pfnEncryptionBlt")(handle_, &args);
  }

  HRESULT create_authenticated_channel(UINT channel_type, HANDLE* channel) override {
    D3DDDIARG_CREATEAUTHENTICATEDCHANNEL args{};
    // An integer copy: a C caller may store any value, in range or not.
    std::memcpy(&args.ChannelType, &channel_type, sizeof channel_type);
    args.hChannel = *channel;
    const HRESULT hr = need(funcs_.pfnCreateAuthenticatedChannel,
                            "pfnCreateAuthenticatedChannel")(handle_, &args);
    *channel = args.hChannel;
    return hr;
  }

  HRESULT authenticated_channel_key_exchange(HANDLE channel, const std::uint8_t* blob,
                                             UINT blob_size) override {
    // pData is declared in/out: the driver gets a copy, never the caller's buffer.
    Bytes copy(blob != nullptr ? blob : nullptr, blob != nullptr ? blob + blob_size : nullptr);
    std::uint8_t no_bytes[1] = {};
    D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE args{
        channel, blob_size, blob == nullptr ? nullptr : copy.empty() ? no_bytes : copy.data()};
    return need(funcs_.pfnAuthenticatedChannelKeyExchange,
                "pfnAuthenticatedChannelKeyExchange")(handle_, &args);
  }

  HRESULT query_authenticated_channel(const std::uint8_t* input, UINT input_size,
                                      std::uint8_t* output, UINT output_size) override {
    const D3DDDIARG_QUERYAUTHENTICATEDCHANNEL args{input_size, input, output_size, output};
    return need(funcs_.pfnQueryAuthenticatedChannel, "pfnQueryAuthenticatedChannel")(handle_,
                                                                                       &args);
  }

  HRESULT configure_authenticated_channel(const std::uint8_t* input, UINT input_size,
                                          std::uint8_t* output) override {
    const D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL args{input_size, input, output};
    return need(funcs_.pfnConfigureAuthenticatedChannel,
                "pfnConfigureAuthenticatedChannel")(handle_, &args);
  }

  HRESULT destroy_authenticated_channel(HANDLE channel) override {
    const D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL args{channel};
    return need(funcs_.pfnDestroyAuthenticatedChannel, "pfnDestroyAuthenticatedChannel")(
        handle_, &args);
  }

  HRESULT call_with_null_argument_struct(DeviceEntry entry) override {
    switch (entry) {
      case DeviceEntry::kCreateCryptoSession:
        return null_struct(funcs_.pfnCreateCryptoSession, "pfnCreateCryptoSession");
      case DeviceEntry::kDestroyCryptoSession:
        return null_struct(funcs_.pfnDestroyCryptoSession, "pfnDestroyCryptoSession");
      case DeviceEntry::kCryptoSessionKeyExchange:
        return null_struct(funcs_.pfnCryptoSessionKeyExchange, "pfnCryptoSessionKeyExchange");
      case DeviceEntry::kCreateResource:
        return null_struct(funcs_.pfnCreateResource, "pfnCreateResource");
      case DeviceEntry::kLock: return null_struct(funcs_.pfnLock, "pfnLock");
      case DeviceEntry::kUnlock: return null_struct(funcs_.pfnUnlock, "pfnUnlock");
      case DeviceEntry::kGetPitch: return null_struct(funcs_.pfnGetPitch, "pfnGetPitch");
      case DeviceEntry::kDecryptionBlt:
        return null_struct(funcs_.pfnDecryptionBlt, "pfnDecryptionBlt");
      case DeviceEntry::kEncryptionBlt:
        return null_struct(funcs_.pfnEncryptionBlt, "pfnEncryptionBlt");
      case DeviceEntry::kGetEncryptionBltKey:
        return null_struct(funcs_.pfnGetEncryptionBltKey, "pfnGetEncryptionBltKey");
      case DeviceEntry::kStartSessionKeyRefresh:
        return null_struct(funcs_.pfnStartSessionKeyRefresh, "pfnStartSessionKeyRefresh");
      case DeviceEntry::kCreateAuthenticatedChannel:
        return null_struct(funcs_.pfnCreateAuthenticatedChannel,
                           "pfnCreateAuthenticatedChannel");
      case DeviceEntry::kAuthenticatedChannelKeyExchange:
        return null_struct(funcs_.pfnAuthenticatedChannelKeyExchange,
                           "pfnAuthenticatedChannelKeyExchange");
      case DeviceEntry::kQueryAuthenticatedChannel:
        return null_struct(funcs_.pfnQueryAuthenticatedChannel, "pfnQueryAuthenticatedChannel");
      case DeviceEntry::kConfigureAuthenticatedChannel:
        return null_struct(funcs_.pfnConfigureAuthenticatedChannel,
                           "pfnConfigureAuthenticatedChannel");
      case DeviceEntry::kDestroyAuthenticatedChannel:
        return null_struct(funcs_.pfnDestroyAuthenticatedChannel,
                           "pfnDestroyAuthenticatedChannel");
    }
    return E_FAIL;
  }

  void release(DeviceObject kind, HANDLE object) noexcept override {
    switch (kind) {
      case DeviceObject::kDevice:
        if (funcs_.pfnDestroyDevice != nullptr) {
          funcs_.pfnDestroyDevice(handle_);
        }
        break;
      case DeviceObject::kCryptoSession:
        if (funcs_.pfnDestroyCryptoSession != nullptr) {
          D3DDDIARG_DESTROYCRYPTOSESSION args{object};
          funcs_.pfnDestroyCryptoSession(handle_, &args);
        }
        break;
      case DeviceObject::kResource:
        if (funcs_.pfnDestroyResource != nullptr) {
          funcs_.pfnDestroyResource(handle_, object);
        }
        break;
      case DeviceObject::kAuthenticatedChannel:
        if (funcs_.pfnDestroyAuthenticatedChannel != nullptr) {
          const D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL args{object};
          funcs_.pfnDestroyAuthenticatedChannel(handle_, &args);
        }
        break;
    }
  }

 private:
  template <class Fn>
  HRESULT null_struct(Fn fn, const char* name) const {
    return need(fn, name)(handle_, nullptr);
  }

  HANDLE handle_;
  D3DDDI_DEVICEFUNCS funcs_;
};

class D3d9AdapterCalls final : public AdapterCalls {
 public:
  D3d9AdapterCalls(HANDLE handle, const D3DDDI_ADAPTERFUNCS& funcs)
      : handle_(handle), funcs_(funcs) {}

  const D3DDDI_ADAPTERFUNCS& funcs() const { return funcs_; }

  HANDLE handle() const override { return handle_; }
  std::unique_ptr<AdapterCalls> calling_as(HANDLE handle) const override {
    return std::make_unique<D3d9AdapterCalls>(handle, funcs_);
  }

  HRESULT get_caps(UINT type, const CapsInfo& info, void* data, UINT data_size) override {
    DDICONTENTPROTECTIONCAPS caps_info{info.crypto_type, info.decode_profile};
    // Enum fields are copied as integers: a C caller may store any value, in range or not.
    DDICERTIFICATEINFO cert_info{};
    std::memcpy(&cert_info.CertificateType, &info.certificate_type,
                sizeof info.certificate_type);
    std::memcpy(&cert_info.ChannelType, &info.channel_type, sizeof info.channel_type);
    cert_info.CryptoSessionType = info.crypto_type;
    const void* p_info = nullptr;
    switch (info.kind) {
      case CapsInfo::Kind::kNull: break;
      case CapsInfo::Kind::kContentProtection: p_info = &caps_info; break;
      case CapsInfo::Kind::kCertificate: p_info = &cert_info; break;
    }
    D3DDDIARG_GETCAPS args{};
    std::memcpy(&args.Type, &type, sizeof type);
    args.pInfo = const_cast<void*>(p_info);
    args.pData = data;
    args.DataSize = data_size;
    return need(funcs_.pfnGetCaps, "pfnGetCaps")(handle_, &args);
  }

  HRESULT create_device(std::unique_ptr<DeviceCalls>* device) override {
    D3DDDI_DEVICEFUNCS device_funcs{};
    D3DDDIARG_CREATEDEVICE create{};
    create.pDeviceFuncs = &device_funcs;
    const HRESULT hr = need(funcs_.pfnCreateDevice, "pfnCreateDevice")(handle_, &create);
    *device = std::make_unique<D3d9DeviceCalls>(create.hDevice, device_funcs);
    return hr;
  }

  HRESULT create_device_raw(HANDLE* device, bool null_funcs) override {
    D3DDDI_DEVICEFUNCS device_funcs{};
    D3DDDIARG_CREATEDEVICE create{};
    create.hDevice = *device;
    create.pDeviceFuncs = null_funcs ? nullptr : &device_funcs;
    const HRESULT hr = need(funcs_.pfnCreateDevice, "pfnCreateDevice")(handle_, &create);
    *device = create.hDevice;
    if (hr == S_OK && !null_funcs && device_funcs.pfnDestroyDevice != nullptr) {
      device_funcs.pfnDestroyDevice(create.hDevice);  // the case only looks at the answer
    }
    return hr;
  }

  HRESULT close_adapter() override {
    return need(funcs_.pfnCloseAdapter, "pfnCloseAdapter")(handle_);
  }

  HRESULT get_caps_with_null_argument_struct() override {
    return need(funcs_.pfnGetCaps, "pfnGetCaps")(handle_, nullptr);
  }

  HRESULT create_device_with_null_argument_struct() override {
    return need(funcs_.pfnCreateDevice, "pfnCreateDevice")(handle_, nullptr);
  }

  void release() noexcept override {
    if (funcs_.pfnCloseAdapter != nullptr) {
      funcs_.pfnCloseAdapter(handle_);
    }
  }

 private:
  HANDLE handle_;
  D3DDDI_ADAPTERFUNCS funcs_;
};

// The calls object behind a harness object, as the D3D9 one `what` needs.
template <class D3d9Calls, class Calls>
const D3d9Calls& d3d9_calls(const Calls& calls, const char* what) {
  const auto* d3d9 = dynamic_cast<const D3d9Calls*>(&calls);
  require(d3d9 != nullptr, std::string(what) + " on the d3d9 front end", "another front end");
  return *d3d9;
}

}  // namespace

HRESULT D3d9FrontEnd::open_adapter(const CPDDI_ADAPTER_OPTIONS* options,
                                   std::unique_ptr<AdapterCalls>* adapter) const {
  D3DDDI_ADAPTERFUNCS funcs{};
  D3DDDIARG_OPENADAPTER open{};
  open.pAdapterFuncs = &funcs;
  const HRESULT hr =
      options != nullptr
          ? need(open_with_options_, "cpddi_open_adapter_with_options")(&open, options)
          : need(open_adapter_, "OpenAdapter")(&open);
  if (hr != S_OK || open.hAdapter == nullptr) {
    return hr;  // the harness judges the answer (a null handle: *adapter stays empty)
  }
  // An adapter conform cannot use fails here, naming the entry it lacks.
  need(funcs.pfnGetCaps, "pfnGetCaps");
  need(funcs.pfnCreateDevice, "pfnCreateDevice");
  need(funcs.pfnCloseAdapter, "pfnCloseAdapter");
  *adapter = std::make_unique<D3d9AdapterCalls>(open.hAdapter, funcs);
  return hr;
}

HRESULT D3d9FrontEnd::code(Refusal refusal) const {
  switch (refusal) {
    case Refusal::kInvalidArgument: return E_INVALIDARG;
    case Refusal::kWrongState: return D3DDDIERR_INVALIDCALL;  // cpddi [R], A3/A4/A19/A22
    case Refusal::kCapOff: return D3DDDIERR_NOTAVAILABLE;     // A5: the seed's documented code
    case Refusal::kUnsupportedCryptoType: return D3DDDIERR_NOTAVAILABLE;  // §3, §4.1
    case Refusal::kUnsupportedProfile: return D3DDDIERR_UNSUPPORTEDCRYPTO;
    case Refusal::kUnknownCertificate: return D3DDDIERR_NOTAVAILABLE;     // §3
    case Refusal::kChannelTypeNotAdvertised: return D3DDDIERR_NOTAVAILABLE;  // §5.1
    case Refusal::kUnknownCommand: return E_INVALIDARG;                   // A33
    case Refusal::kOutOfProtectedMemory: return D3DDDIERR_OUTOFHWPROTECTEDMEMORY;
    case Refusal::kQueryOutputOver: return E_INVALIDARG;  // A27: sizes must be exact
  }
  return E_FAIL;  // not reached: the switch names every Refusal
}

HRESULT D3d9FrontEnd::open_adapter_raw(HANDLE* adapter, bool null_funcs) const {
  const PFND3DDDI_OPENADAPTER open = need(open_adapter_, "OpenAdapter");
  D3DDDI_ADAPTERFUNCS funcs{};
  D3DDDIARG_OPENADAPTER args{};
  args.hAdapter = *adapter;
  args.pAdapterFuncs = null_funcs ? nullptr : &funcs;
  const HRESULT hr = open(&args);
  *adapter = args.hAdapter;
  if (hr == S_OK && !null_funcs && funcs.pfnCloseAdapter != nullptr) {
    funcs.pfnCloseAdapter(args.hAdapter);  // the case only looks at the answer
  }
  return hr;
}

HRESULT D3d9FrontEnd::open_adapter_with_null_argument_struct() const {
  return need(open_adapter_, "OpenAdapter")(nullptr);
}

// ---- The D3D9 pieces of the harness's public API ----

Driver::Driver(PFND3DDDI_OPENADAPTER open_adapter, OpenWithOptionsFn open_with_options)
    : front_end(std::make_shared<D3d9FrontEnd>(open_adapter, open_with_options)) {}

const D3DDDI_ADAPTERFUNCS& Adapter::funcs() const {
  return d3d9_calls<D3d9AdapterCalls>(calls(), "Adapter::funcs()").funcs();
}

const D3DDDI_DEVICEFUNCS& Device::funcs() const {
  return d3d9_calls<D3d9DeviceCalls>(calls(), "Device::funcs()").funcs();
}

}  // namespace cpddi::conform
