// The D3D11.1 front end's device calls (d3d11_calls.h): conform's DeviceCalls on the D3D11.1
// video table and cpddi's compact device table, through the test runtime. Every D3D11.1
// argument a case's device call needs is built here.
#include <cstring>
#include <utility>

#include "conform/channel_catalogue.h"
#include "conform/d3d11_calls.h"
#include "conform/harness.h"
#include "wire/surface_layout.h"

namespace cpddi::conform {

[[noreturn]] void not_in_d3d11(const std::string& what) {
  throw DdiLacksRow("the d3d11 front end: " + what);
}

namespace {

using Kind = D3d11Handles::Kind;

// conform's D3D9-flavoured surface description as the compact D3D11.1 CreateResource (spec §8.2
// item 2): the D3D9 fields with no D3D11 counterpart are skipped, never guessed.
CPDDI_D3D11_1_CREATERESOURCE resource_arguments(const SurfaceDesc& desc) {
  if (desc.system_memory != nullptr || desc.system_memory_pitch != 0) {
    not_in_d3d11("a resource in the caller's memory (pSysMem) is a D3D9 CreateResource argument");
  }
  if (desc.null_surface_list || desc.surface_count != 1 || desc.mip_levels != 0 ||
      desc.depth != 0) {
    not_in_d3d11("surface lists, mip levels and depth are D3D9 CreateResource arguments");
  }
  CPDDI_D3D11_1_CREATERESOURCE args{};
  std::uint32_t format = desc.format;  // an unknown value goes through as given
  switch (desc.format) {
    case D3DDDIFMT_X8R8G8B8: format = CPDDI_D3D11_1_FORMAT_B8G8R8X8_UNORM; break;
    case D3DDDIFMT_A8R8G8B8: format = CPDDI_D3D11_1_FORMAT_B8G8R8A8_UNORM; break;
    case D3DDDIFMT_NV12: format = CPDDI_D3D11_1_FORMAT_NV12; break;
    default: break;
  }
  std::uint32_t usage = 0;
  switch (desc.pool) {
    case D3DDDIPOOL_SYSTEMMEM: usage = CPDDI_D3D11_1_USAGE_STAGING; break;
    case D3DDDIPOOL_VIDEOMEMORY:
    case D3DDDIPOOL_LOCALVIDMEM:
    case D3DDDIPOOL_NONLOCALVIDMEM: usage = CPDDI_D3D11_1_USAGE_DEFAULT; break;
    default:
      // Pool 0 would read as D3D11_USAGE_DEFAULT: an invalid D3D9 pool has no D3D11 spelling.
      not_in_d3d11("D3D9 Pool " + std::to_string(desc.pool) + " has no D3D11 usage");
  }
  std::memcpy(&args.Format, &format, sizeof format);
  std::memcpy(&args.Usage, &usage, sizeof usage);
  args.Width = desc.width;
  args.Height = desc.height;
  args.MiscFlags = desc.restricted_content ? D3D11_1DDI_RESOURCE_MISC_RESTRICTED_CONTENT : 0;
  return args;
}

class D3d11DeviceCalls final : public DeviceCalls {
 public:
  // `target` is the device handle passed (the device's own, or another for calling_as).
  D3d11DeviceCalls(std::shared_ptr<D3d11Device> device, std::shared_ptr<D3d11Handles> handles,
                   HANDLE target, std::shared_ptr<bool> destroyed = std::make_shared<bool>(false))
      : device_(std::move(device)),
        handles_(std::move(handles)),
        target_(target),
        destroyed_(std::move(destroyed)) {}

  HANDLE handle() const override { return target_; }
  std::unique_ptr<DeviceCalls> calling_as(HANDLE handle) const override {
    return std::make_unique<D3d11DeviceCalls>(device_, handles_, handle, destroyed_);
  }

  HRESULT destroy_device() override {
    const HRESULT hr = call([&](D3d11Device& d) { return d.destroy_device(); });
    if (hr == S_OK && own_device()) {
      *destroyed_ = true;
    }
    return hr;
  }

  HRESULT create_crypto_session(const GUID& crypto_type, const GUID& decode_profile,
                                HANDLE* session) override {
    const D3D11_1DDIARG_CREATECRYPTOSESSION args{crypto_type, decode_profile,
                                                 D3D11_1DDI_KEY_EXCHANGE_RSAES_OAEP};
    D3D11_1DDI_HCRYPTOSESSION created{};
    const HRESULT hr =
        call([&](D3d11Device& d) { return d.create_crypto_session(&args, &created); });
    if (hr != S_OK) {
      return hr;  // D3D11.1 creates have no output handle: the caller's stays as
                  // it was
    }
    // The session's HANDLE is what CryptoSessionGetHandle gives (spec §8.6): the one payloads use.
    HANDLE value = nullptr;
    expect_hr(call([&](D3d11Device& d) { return d.crypto_session_get_handle(created, &value); }),
              S_OK, "CryptoSessionGetHandle of a session just created");
    require(value != nullptr, "CryptoSessionGetHandle writes a non-null handle", "null");
    handles_->add(Kind::kSession, value, created.pDrvPrivate);
    *session = value;
    return hr;
  }

  HRESULT destroy_crypto_session(HANDLE session) override {
    const HRESULT hr =
        void_call("DestroyCryptoSession", [&](D3d11Device& d) { return d.destroy_crypto_session(session_of(session)); });
    if (hr == S_OK) {
      handles_->erase(Kind::kSession, session);
    }
    return hr;
  }

  HRESULT crypto_session_key_exchange(HANDLE session, std::span<const std::uint8_t> blob,
                                      bool null_data) override {
    Bytes copy(blob.begin(), blob.end());
    std::uint8_t no_bytes[1] = {};
    BYTE* data = null_data ? nullptr : copy.empty() ? no_bytes : copy.data();
    return call([&](D3d11Device& d) {
      return d.negotiate_crypto_session_key_exchange(session_of(session),
                                                     static_cast<UINT>(copy.size()), data);
    });
  }

  // D3D11.1 has no GetPitch (spec §8.4). The pitch a case needs to size its data is the one the
  // driver gives a CPU-visible resource of the same shape when it maps it.
  HRESULT get_pitch(HANDLE, HANDLE resource, UINT subresource, UINT* pitch) override {
    const std::optional<SurfaceDesc> shape = handles_->shape(resource);
    if (!shape || subresource != 0) {
      not_in_d3d11("GetPitch of this resource: the D3D11.1 DDI has no GetPitch (spec §8.4)");
    }
    SurfaceDesc staging = *shape;
    staging.pool = D3DDDIPOOL_SYSTEMMEM;
    staging.restricted_content = false;
    HANDLE twin = nullptr;
    expect_hr(create_resource(staging, &twin), S_OK, "CreateResource of a staging twin (pitch)");
    void* data = nullptr;
    const HRESULT hr = lock(twin, 0, &data, pitch, nullptr, false);
    if (hr == S_OK) {
      unlock(twin, 0);
    }
    destroy_resource(twin);
    return hr;
  }

  HRESULT start_session_key_refresh(HANDLE session, void* buffer, UINT size) override {
    return void_call("StartSessionKeyRefresh", [&](D3d11Device& d) {
      return d.start_session_key_refresh(session_of(session), size, buffer);
    });
  }

  HRESULT finish_session_key_refresh(HANDLE session) override {
    return void_call(
        "FinishSessionKeyRefresh",
        [&](D3d11Device& d) { return d.finish_session_key_refresh(session_of(session)); });
  }

  HRESULT get_encryption_blt_key(HANDLE session, void* buffer, UINT size) override {
    return void_call("GetEncryptionBltKey", [&](D3d11Device& d) {
      return d.get_encryption_blt_key(session_of(session), size, buffer);
    });
  }

  HRESULT create_resource(const SurfaceDesc& desc, HANDLE* resource) override {
    const CPDDI_D3D11_1_CREATERESOURCE args = resource_arguments(desc);
    D3D10DDI_HRESOURCE created{};
    const HRESULT hr = call([&](D3d11Device& d) { return d.create_resource(&args, &created); });
    if (hr != S_OK) {
      return hr;
    }
    const HANDLE value = handles_->next_resource_handle();
    handles_->add(Kind::kResource, value, created.pDrvPrivate);
    handles_->add_shape(value, desc);
    *resource = value;
    return hr;
  }

  HRESULT destroy_resource(HANDLE resource) override {
    const HRESULT hr =
        call([&](D3d11Device& d) { return d.destroy_resource(resource_of(resource)); });
    if (hr == S_OK) {
      handles_->erase(Kind::kResource, resource);
    }
    return hr;
  }

  // Lock is the D3D11 ResourceMap: the caller's sentinels go in, whatever the driver wrote comes
  // back.
  HRESULT lock(HANDLE resource, UINT subresource, void** data, UINT* pitch, UINT* slice_pitch,
               bool area_valid) override {
    if (area_valid) {
      not_in_d3d11("Lock's AreaValid is a D3D9 argument");
    }
    D3D10DDI_MAPPED_SUBRESOURCE mapped{*data, *pitch, slice_pitch != nullptr ? *slice_pitch : 0};
    const HRESULT hr =
        call([&](D3d11Device& d) { return d.map(resource_of(resource), subresource, 0, &mapped); });
    *data = mapped.pData;
    *pitch = mapped.RowPitch;
    if (slice_pitch != nullptr) {
      *slice_pitch = mapped.DepthPitch;
    }
    return hr;
  }

  HRESULT unlock(HANDLE resource, UINT subresource) override {
    return call([&](D3d11Device& d) { return d.unmap(resource_of(resource), subresource); });
  }

  HRESULT decryption_blt(HANDLE session, const BltArgs& blt) override {
    require_whole_resources(blt, blt.destination, blt.source);
    D3D11_1DDI_ENCRYPTED_BLOCK_INFO block_info{};
    if (blt.block_info != nullptr) {
      block_info = {blt.block_info->NumEncryptedBytesAtBeginning,
                    blt.block_info->NumBytesInSkipPattern,
                    blt.block_info->NumBytesInEncryptPattern};
    }
    return void_call("DecryptionBlt", [&](D3d11Device& d) {
      return d.decryption_blt(
          session_of(session), resource_of(blt.source), resource_of(blt.destination),
          blt.block_info != nullptr ? &block_info : nullptr, blt.content_key != nullptr ? 16u : 0u,
          blt.content_key, blt.iv != nullptr ? 16u : 0u, blt.iv);
    });
  }

  HRESULT encryption_blt(HANDLE session, const BltArgs& blt) override {
    require_whole_resources(blt, blt.source, blt.destination);
    return void_call("EncryptionBlt", [&](D3d11Device& d) {
      return d.encryption_blt(session_of(session), resource_of(blt.source),
                              resource_of(blt.destination), blt.iv != nullptr ? 16u : 0u, blt.iv);
    });
  }

  HRESULT create_authenticated_channel(UINT channel_type, HANDLE* channel) override {
    D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL args{};
    std::memcpy(&args.ChannelType, &channel_type, sizeof channel_type);
    args.hChannel = *channel;
    D3D11_1DDI_HAUTHCHANNEL created{};
    const HRESULT hr =
        call([&](D3d11Device& d) { return d.create_authenticated_channel(&args, &created); });
    *channel = args.hChannel;  // what the driver wrote, on failure too
    if (hr == S_OK) {
      handles_->add(Kind::kChannel, args.hChannel, created.pDrvPrivate);
    }
    return hr;
  }

  HRESULT authenticated_channel_key_exchange(HANDLE channel, const std::uint8_t* blob,
                                             UINT blob_size) override {
    Bytes copy(blob != nullptr ? blob : nullptr, blob != nullptr ? blob + blob_size : nullptr);
    std::uint8_t no_bytes[1] = {};
    void* data = blob == nullptr ? nullptr : copy.empty() ? no_bytes : copy.data();
    return call([&](D3d11Device& d) {
      return d.negotiate_authenticated_channel_key_exchange(channel_of(channel), blob_size, data);
    });
  }

  // D3D11.1 names the channel twice (spec §8.7): hCAuthChannel is the channel whose handle the
  // payload carries, as a runtime passes the object the payload was built for.
  HRESULT query_authenticated_channel(const std::uint8_t* input, UINT input_size,
                                      std::uint8_t* output, UINT output_size) override {
    const HANDLE named = payload_channel(input, input_size, channel::kQueryInputChannelOffset);
    return call([&](D3d11Device& d) {
      return d.query_authenticated_channel(channel_of(named), input_size, input, output_size,
                                           output);
    });
  }

  HRESULT configure_authenticated_channel(const std::uint8_t* input, UINT input_size,
                                          std::uint8_t* output) override {
    const HANDLE named = payload_channel(input, input_size, channel::kConfigureInputChannelOffset);
    return call([&](D3d11Device& d) {
      return d.configure_authenticated_channel(
          channel_of(named), input_size, input,
          reinterpret_cast<D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT*>(output));
    });
  }

  HRESULT destroy_authenticated_channel(HANDLE channel) override {
    const HRESULT hr = void_call(
        "DestroyAuthenticatedChannel",
        [&](D3d11Device& d) { return d.destroy_authenticated_channel(channel_of(channel)); });
    if (hr == S_OK) {
      handles_->erase(Kind::kChannel, channel);
    }
    return hr;
  }

  // D3D11.1's crypto-session entries take no argument struct but the create's: their null form
  // passes every handle and data pointer NULL (a handle is a pointer to driver memory) with the
  // sizes a valid call gives, so only the pointers are missing.
  HRESULT call_with_null_argument_struct(DeviceEntry entry) override {
    constexpr D3D11_1DDI_HCRYPTOSESSION kNoSession{};
    constexpr D3D10DDI_HRESOURCE kNoResource{};
    constexpr UINT kKeySize = 16;  // the IV, content key and read-back key sizes
    switch (entry) {
      case DeviceEntry::kCreateCryptoSession: {
        D3D11_1DDI_HCRYPTOSESSION created{};
        return call([&](D3d11Device& d) { return d.create_crypto_session(nullptr, &created); });
      }
      case DeviceEntry::kDestroyCryptoSession:
        return void_call("DestroyCryptoSession",
                         [&](D3d11Device& d) { return d.destroy_crypto_session(kNoSession); });
      case DeviceEntry::kCryptoSessionKeyExchange:
        return call([&](D3d11Device& d) {
          return d.negotiate_crypto_session_key_exchange(kNoSession, 256, nullptr);
        });
      case DeviceEntry::kDecryptionBlt:
        return void_call("DecryptionBlt", [&](D3d11Device& d) {
          return d.decryption_blt(kNoSession, kNoResource, kNoResource, nullptr, kKeySize,
                                  nullptr, kKeySize, nullptr);
        });
      case DeviceEntry::kEncryptionBlt:
        return void_call("EncryptionBlt", [&](D3d11Device& d) {
          return d.encryption_blt(kNoSession, kNoResource, kNoResource, kKeySize, nullptr);
        });
      case DeviceEntry::kGetEncryptionBltKey:
        return void_call("GetEncryptionBltKey", [&](D3d11Device& d) {
          return d.get_encryption_blt_key(kNoSession, kKeySize, nullptr);
        });
      default:
        not_in_d3d11(std::string("no argument struct to pass as null to ") +
                     device_entry_name(entry));
    }
  }

  void release(DeviceObject kind, HANDLE object) noexcept override {
    if (device_ == nullptr) {
      return;
    }
    device_->calling_as(std::nullopt);
    switch (kind) {
      case DeviceObject::kDevice: device_->destroy_device(); break;
      case DeviceObject::kCryptoSession:
        if (device_->destroy_crypto_session(session_of(object)) == S_OK) {
          handles_->erase(Kind::kSession, object);
        }
        break;
      case DeviceObject::kResource:
        if (device_->destroy_resource(resource_of(object)) == S_OK) {
          handles_->erase(Kind::kResource, object);
        }
        break;
      case DeviceObject::kAuthenticatedChannel:
        if (device_->destroy_authenticated_channel(channel_of(object)) == S_OK) {
          handles_->erase(Kind::kChannel, object);
        }
        break;
    }
  }

 private:
  // Runs one runtime call with this view's device handle.
  template <class Call>
  HRESULT call(Call&& body) {
    require(device_ != nullptr, "a D3D11.1 device", "CreateDevice failed");
    if (target_ == device_->handle().pDrvPrivate) {
      device_->calling_as(std::nullopt);
    } else {
      device_->calling_as(D3D10DDI_HDEVICE{target_});
    }
    const HRESULT hr = body(*device_);
    device_->calling_as(std::nullopt);
    return hr;
  }

  // A void entry: its answer is what pfnSetErrorCb received. A device handle the driver does not
  // know (garbage, another object's, or destroyed) has no pfnSetErrorCb behind it (spec §8.5):
  // the only right answer is to do nothing, so such a call must report nothing, and it then
  // reads as the refusal the D3D9 entry returns, E_INVALIDARG. That it did nothing else (wrote
  // no output, changed no session) is the case's to check, as it is on D3D9.
  template <class Call>
  HRESULT void_call(const char* entry, Call&& body) {
    const HRESULT hr =
        judged_void_call(*device_, entry, [&] { return call(std::forward<Call>(body)); });
    if (own_device() && !*destroyed_) {
      return hr;
    }
    require(hr == S_OK,
            std::string(entry) + " through a device handle the driver does not know reports "
                                 "nothing: no pfnSetErrorCb belongs to it (spec §8.5)",
            "a report of " + hr_text(hr));
    return E_INVALIDARG;
  }

  bool own_device() const { return device_ != nullptr && target_ == device_->handle().pDrvPrivate; }

  D3D11_1DDI_HCRYPTOSESSION session_of(HANDLE h) const {
    return {handles_->find(Kind::kSession, h)};
  }
  D3D10DDI_HRESOURCE resource_of(HANDLE h) const { return {handles_->find(Kind::kResource, h)}; }
  D3D11_1DDI_HAUTHCHANNEL channel_of(HANDLE h) const { return {handles_->find(Kind::kChannel, h)}; }

  static HANDLE payload_channel(const std::uint8_t* input, UINT input_size, std::size_t at) {
    HANDLE named = nullptr;
    if (input != nullptr && input_size >= at + sizeof named) {
      std::memcpy(&named, input + at, sizeof named);
    }
    return named;
  }

  // The bytes of a live resource of this front end (spec A16: pitch × rows), or nullopt. The
  // pitch is asked through the device's own handle: it is bookkeeping, not the call under test.
  std::optional<std::uint64_t> resource_bytes(HANDLE resource) {
    const std::optional<SurfaceDesc> shape = handles_->shape(resource);
    if (!shape || device_ == nullptr || *destroyed_) {
      return std::nullopt;
    }
    D3d11DeviceCalls own(device_, handles_, device_->handle().pDrvPrivate, destroyed_);
    UINT pitch = 0;
    if (own.get_pitch(nullptr, resource, 0, &pitch) != S_OK) {
      return std::nullopt;  // a dead or foreign handle: the driver judges it
    }
    return wire::surface_bytes(pitch, wire::surface_rows(shape->format, shape->height));
  }

  // D3D11.1 blts name whole resources: no size and no subresource arguments (spec §8.3). A D3D9
  // size the whole resources cannot stand for — below `protected_surface`'s L aligned to 16, not a
  // multiple of 16 (spec A16), or beyond `sized`, the buffer the size describes — is a D3D9 row.
  void require_whole_resources(const BltArgs& blt, HANDLE protected_surface, HANDLE sized) {
    if (blt.source_subresource != 0 || blt.destination_subresource != 0) {
      not_in_d3d11("blt subresource indices are D3D9 arguments");
    }
    const std::optional<std::uint64_t> len = resource_bytes(protected_surface);
    const std::optional<std::uint64_t> buffer = resource_bytes(sized);
    if ((len && (blt.size % 16 != 0 || blt.size < (*len + 15) / 16 * 16)) ||
        (buffer && blt.size > *buffer)) {
      not_in_d3d11("a blt size of " + std::to_string(blt.size) +
                   " bytes is a D3D9 argument; a D3D11.1 blt uses whole resources");
    }
  }

  std::shared_ptr<D3d11Device> device_;
  std::shared_ptr<D3d11Handles> handles_;
  HANDLE target_;
  std::shared_ptr<bool> destroyed_;  // DestroyDevice of the device succeeded (shared by views)
};

}  // namespace

std::unique_ptr<DeviceCalls> make_d3d11_device_calls(std::shared_ptr<D3d11Device> device,
                                                     std::shared_ptr<D3d11Handles> handles,
                                                     HANDLE target) {
  return std::make_unique<D3d11DeviceCalls>(std::move(device), std::move(handles), target);
}

}  // namespace cpddi::conform
