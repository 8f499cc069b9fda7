// The D3D11.1 front end (d3d11_front_end.h): conform's driver interface on the
// D3D11.1 video DDI through the test runtime. Every D3D11.1 argument conform
// builds for a case is built here.
#include "conform/d3d11_front_end.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "conform/channel_catalogue.h"
#include "conform/check.h"
#include "conform/d3d11_runtime.h"
#include "conform/harness.h"
#include "wire/surface_layout.h"

namespace cpddi::conform {

// HANDLE → the private memory of a live object, per kind. One per front end: a
// case may name a session of one device through another (that is a rule under
// test), and threads share it.
class D3d11Handles {
 public:
  enum class Kind { kSession, kResource, kChannel };

  void* find(Kind kind, HANDLE handle) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto& map = maps_[static_cast<int>(kind)];
    const auto it = map.find(handle);
    // Unknown: the value itself, which names no live private memory
    // (d3d11_front_end.h).
    return it != map.end() ? it->second : handle;
  }
  void add(Kind kind, HANDLE handle, void* memory) {
    const std::lock_guard<std::mutex> lock(mutex_);
    maps_[static_cast<int>(kind)][handle] = memory;
  }
  void erase(Kind kind, HANDLE handle) {
    const std::lock_guard<std::mutex> lock(mutex_);
    maps_[static_cast<int>(kind)].erase(handle);
  }
  // The description a resource was created with (for get_pitch's staging twin).
  void add_shape(HANDLE resource, const SurfaceDesc& desc) {
    const std::lock_guard<std::mutex> lock(mutex_);
    shapes_[resource] = desc;
  }
  std::optional<SurfaceDesc> shape(HANDLE resource) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = shapes_.find(resource);
    return it != shapes_.end() ? std::optional<SurfaceDesc>(it->second) : std::nullopt;
  }
  // A resource handle of this front end's own: never a pointer conform or the
  // driver made.
  HANDLE next_resource_handle() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return reinterpret_cast<HANDLE>(kResourceHandleBase + 16 * ++resources_made_);
  }

 private:
  static constexpr std::uintptr_t kResourceHandleBase = 0x7E000000u;
  std::mutex mutex_;
  std::array<std::map<HANDLE, void*>, 3> maps_;
  std::map<HANDLE, SurfaceDesc> shapes_;
  std::uintptr_t resources_made_ = 0;
};

namespace {

using Kind = D3d11Handles::Kind;

// A void entry's answer (the first report, or S_OK), after judging what it reported against
// spec §8.5 and A30: at most one report per call, never S_OK, and only E_INVALIDARG (misuse),
// E_OUTOFMEMORY or D3DDDIERR_DEVICEREMOVED (the AllowOutOfMemory category) — the D3D9-only
// codes never (A41). A breach fails whatever case made the call.
template <class Call>
HRESULT judged_void_call(D3d11Device& device, const std::string& entry, Call&& body) {
  const std::size_t before = device.errors().size();
  const HRESULT hr = body();
  const std::vector<ReportedError>& record = device.errors();
  std::string reports;
  for (std::size_t i = before; i < record.size(); ++i) {
    reports += (reports.empty() ? "" : ", ") + hr_text(record[i].hr);
  }
  require(record.size() - before <= 1,
          entry + " reports through pfnSetErrorCb at most once per call (spec §8.5, A30)",
          std::to_string(record.size() - before) + " reports: " + reports);
  if (record.size() > before) {
    const HRESULT reported = record[before].hr;
    require(reported != S_OK, entry + " never reports S_OK through pfnSetErrorCb (spec §8.5)",
            "a report of S_OK");
    require(reported == E_INVALIDARG || reported == E_OUTOFMEMORY ||
                reported == D3DDDIERR_DEVICEREMOVED,
            entry + " reports only E_INVALIDARG, E_OUTOFMEMORY or D3DDDIERR_DEVICEREMOVED "
                    "(spec §8.5, A30, A41)",
            hr_text(reported));
  }
  return hr;
}

constexpr GUID kNoGuid{};

[[noreturn]] void not_in_d3d11(const std::string& what) {
  throw DdiLacksRow("the d3d11 front end: " + what);
}

// conform's D3D9-flavoured surface description as the compact D3D11.1
// CreateResource (spec §8.2 item 2): the D3D9 fields with no D3D11 counterpart
// are skipped, never guessed.
CPDDI_D3D11_1_CREATERESOURCE resource_arguments(const SurfaceDesc& desc) {
  if (desc.system_memory != nullptr || desc.system_memory_pitch != 0) {
    not_in_d3d11(
        "a resource in the caller's memory (pSysMem) is a D3D9 "
        "CreateResource argument");
  }
  if (desc.null_surface_list || desc.surface_count != 1 || desc.mip_levels != 0 ||
      desc.depth != 0) {
    not_in_d3d11(
        "surface lists, mip levels and depth are D3D9 CreateResource "
        "arguments");
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
      // Pool 0 would read as D3D11_USAGE_DEFAULT: an invalid D3D9 pool has no
      // D3D11 spelling.
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
  // `target` is the device handle passed (the device's own, or another for
  // calling_as).
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
    // The session's HANDLE is what CryptoSessionGetHandle gives (spec §8.6):
    // the one payloads use.
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

  // D3D11.1 has no GetPitch (spec §8.4). The pitch a case needs to size its
  // data is the one the driver gives a CPU-visible resource of the same shape
  // when it maps it.
  HRESULT get_pitch(HANDLE, HANDLE resource, UINT subresource, UINT* pitch) override {
    const std::optional<SurfaceDesc> shape = handles_->shape(resource);
    if (!shape || subresource != 0) {
      not_in_d3d11(
          "GetPitch of this resource: the D3D11.1 DDI has no GetPitch "
          "(spec §8.4)");
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

  // Lock is the D3D11 ResourceMap: the caller's sentinels go in, whatever the
  // driver wrote comes back.
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
    require_reporting_device();
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
    require_reporting_device();
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

  // D3D11.1 names the channel twice (spec §8.7): hCAuthChannel is the channel
  // whose handle the payload carries, as a runtime passes the object the
  // payload was built for.
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

  HRESULT call_with_null_argument_struct(DeviceEntry entry) override {
    not_in_d3d11(std::string("no argument struct to pass as null to ") + device_entry_name(entry));
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

  // A void entry: its answer is what pfnSetErrorCb received. Called with a
  // device that is not a live one of the runtime's, the driver has no callback
  // to report through (spec §8.5), so no answer can be observed.
  template <class Call>
  HRESULT void_call(const char* entry, Call&& body) {
    require_reporting_device();
    return judged_void_call(*device_, entry, [&] { return call(std::forward<Call>(body)); });
  }

  void require_reporting_device() const {
    if (!own_device() || *destroyed_) {
      not_in_d3d11(
          "a void entry called with an unknown or destroyed device has no pfnSetErrorCb to report "
          "through (spec §8.5)");
    }
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

  // The bytes of a live resource of this front end (spec A16: pitch × rows), or nullopt.
  std::optional<std::uint64_t> resource_bytes(HANDLE resource) {
    const std::optional<SurfaceDesc> shape = handles_->shape(resource);
    UINT pitch = 0;
    if (!shape || get_pitch(nullptr, resource, 0, &pitch) != S_OK) {
      return std::nullopt;  // a dead or foreign handle: the driver judges it
    }
    return wire::surface_bytes(pitch, wire::surface_rows(shape->format, shape->height));
  }

  // D3D11.1 blts name whole resources: no size and no subresource arguments (spec §8.3). A D3D9
  // size the whole resources cannot stand for — below `protected_surface`'s L aligned to 16, not
  // a multiple of 16 (spec A16), or beyond `sized`, the buffer the size describes — is a D3D9 row.
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

// D3D11.1 caps are a device's (GetContentProtectionCaps is a video-table
// entry): the adapter asks a device of its own, made on first use.
class D3d11AdapterCalls final : public AdapterCalls {
 public:
  D3d11AdapterCalls(std::shared_ptr<D3d11Runtime> runtime, std::shared_ptr<D3d11Handles> handles,
                    HANDLE target)
      : runtime_(std::move(runtime)), handles_(std::move(handles)), target_(target) {}

  HANDLE handle() const override { return target_; }
  std::unique_ptr<AdapterCalls> calling_as(HANDLE handle) const override {
    return std::make_unique<D3d11AdapterCalls>(runtime_, handles_, handle);
  }

  HRESULT get_caps(UINT type, const CapsInfo& info, void* data, UINT data_size) override {
    if (target_ != runtime_->adapter().pDrvPrivate || closed_) {
      not_in_d3d11(
          "caps are asked of a device, so there is no adapter handle "
          "to vary or close");
    }
    D3d11Device& device = caps_device();
    D3D11_1DDI_CERTIFICATE_INFO cert{};
    switch (type) {
      case D3DDDICAPS_GETCONTENTPROTECTIONCAPS:
        return protection_caps(device, info, data, data_size);
      case D3DDDICAPS_GETCERTIFICATESIZE:
        if (data_size != sizeof(UINT)) {
          not_in_d3d11("GetCertificateSize writes one UINT: there is no DataSize to vary");
        }
        return judged_void_call(device, "GetCertificateSize", [&] {
          return device.get_certificate_size(certificate_info(info, &cert),
                                             static_cast<UINT*>(data));
        });
      case D3DDDICAPS_GETCERTIFICATE:
        return judged_void_call(device, "GetCertificate", [&] {
          return device.get_certificate(certificate_info(info, &cert), data_size,
                                        static_cast<BYTE*>(data));
        });
      default: not_in_d3d11("GetCaps Types are D3D9's");
    }
  }

  HRESULT create_device(std::unique_ptr<DeviceCalls>* device) override {
    std::unique_ptr<D3d11Device> created;
    const HRESULT hr = runtime_->create_device(CPDDI_D3D11_1_ERROR_MODE_STRICT, &created);
    const HANDLE handle = created != nullptr ? created->handle().pDrvPrivate : nullptr;
    *device = std::make_unique<D3d11DeviceCalls>(std::shared_ptr<D3d11Device>(std::move(created)),
                                                 handles_, handle);
    return hr;
  }

  HRESULT create_device_raw(HANDLE*, bool) override {
    not_in_d3d11(
        "CreateDevice's D3D9 output handle and table arguments "
        "(D3D11.1 devices live in "
        "memory the runtime passes in)");
  }

  HRESULT close_adapter() override {
    const HRESULT hr = need(runtime_->adapter_funcs().pfnCloseAdapter,
                            "pfnCloseAdapter")(D3D10DDI_HADAPTER{target_});
    closed_ = closed_ || hr == S_OK;
    return hr;
  }

  HRESULT get_caps_with_null_argument_struct() override {
    not_in_d3d11("GetCaps has no argument struct");
  }
  HRESULT create_device_with_null_argument_struct() override {
    not_in_d3d11("CreateDevice with a null argument struct is a D3D9 row");
  }

  // The runtime closes the adapter when the last user of it dies.
  void release() noexcept override {
    caps_device_.reset();
    runtime_.reset();
  }

 private:
  D3d11Device& caps_device() {
    if (caps_device_ == nullptr) {
      expect_hr(runtime_->create_device(CPDDI_D3D11_1_ERROR_MODE_STRICT, &caps_device_), S_OK,
                "CreateDevice (the device GetContentProtectionCaps is asked "
                "through)");
    }
    return *caps_device_;
  }

  // `info` as D3D11.1's certificate info in `cert` (null for
  // CapsInfo::Kind::kNull); the enum fields are copied as integers: a C caller
  // may store any value.
  static const D3D11_1DDI_CERTIFICATE_INFO* certificate_info(const CapsInfo& info,
                                                             D3D11_1DDI_CERTIFICATE_INFO* cert) {
    if (info.kind == CapsInfo::Kind::kNull) {
      return nullptr;
    }
    std::memcpy(&cert->CertificateType, &info.certificate_type, sizeof info.certificate_type);
    if (info.certificate_type == D3DDDI_CERTTYPE_CRYPTOSESSION) {
      cert->CryptoSessionType = info.crypto_type;
    } else {
      std::memcpy(&cert->ChannelType, &info.channel_type, sizeof info.channel_type);
    }
    return cert;
  }

  // GetContentProtectionCaps and GetCryptoKeyExchangeType(index 0) as one D3D9
  // caps struct: bits 0x1–0x200 mean the same (spec §8.4, A41); DECRYPTION_BLT
  // has no D3D9 bit; D3D11.1 has no BufferAlignmentStart (blts name resources,
  // not pointers), so it reads 1.
  static HRESULT protection_caps(D3d11Device& device, const CapsInfo& info, void* data,
                                 UINT data_size) {
    if (data_size != sizeof(D3DCONTENTPROTECTIONCAPS)) {
      not_in_d3d11(
          "GetContentProtectionCaps writes a typed struct: there is "
          "no DataSize to vary");
    }
    if (info.kind != CapsInfo::Kind::kNull &&
        std::memcmp(&info.crypto_type, &kNoGuid, sizeof kNoGuid) == 0) {
      not_in_d3d11(
          "an all-zero CryptoType asks for the union of the caps, a "
          "D3D9 GetCaps rule "
          "(spec §3); D3D11.1 names one crypto type");
    }
    const GUID* type = info.kind == CapsInfo::Kind::kNull ? nullptr : &info.crypto_type;
    const GUID* profile = info.kind == CapsInfo::Kind::kNull ? nullptr : &info.decode_profile;
    if (data == nullptr) {
      return device.get_content_protection_caps(type, profile, nullptr);
    }
    D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS caps{};
    HRESULT hr = device.get_content_protection_caps(type, profile, &caps);
    if (hr != S_OK) {
      return hr;
    }
    GUID key_exchange{};
    if (caps.KeyExchangeTypeCount > 0) {
      hr = device.get_crypto_key_exchange_type(type, profile, 0, &key_exchange);
      if (hr != S_OK) {
        return hr;
      }
    }
    D3DCONTENTPROTECTIONCAPS out{};
    out.Caps = caps.Caps & ~static_cast<DWORD>(D3D11_1DDI_CONTENT_PROTECTION_CAPS_DECRYPTION_BLT);
    out.KeyExchangeType = key_exchange;
    out.BufferAlignmentStart = 1;
    out.BlockAlignmentSize = caps.BlockAlignmentSize;
    out.ProtectedMemorySize = caps.ProtectedMemorySize;
    std::memcpy(data, &out, sizeof out);
    return hr;
  }

  std::shared_ptr<D3d11Runtime> runtime_;
  std::shared_ptr<D3d11Handles> handles_;
  HANDLE target_;
  std::unique_ptr<D3d11Device> caps_device_;
  bool closed_ = false;
};

}  // namespace

D3d11FrontEnd::D3d11FrontEnd(PFNCPDDI_D3D11_1_OPENADAPTER open_adapter_fn)
    : open_adapter_(open_adapter_fn), handles_(std::make_shared<D3d11Handles>()) {}

D3d11FrontEnd::~D3d11FrontEnd() = default;

// Spec A41: D3D9's INVALIDCALL and NOTAVAILABLE become E_INVALIDARG, except the
// crypto-type answers of caps and CreateCryptoSession (UNSUPPORTEDCRYPTO) and
// query/configure GUIDs (E_FAIL).
HRESULT D3d11FrontEnd::code(Refusal refusal) const {
  switch (refusal) {
    case Refusal::kInvalidArgument: return E_INVALIDARG;
    case Refusal::kWrongState: return E_INVALIDARG;
    case Refusal::kCapOff: return E_INVALIDARG;
    case Refusal::kUnsupportedCryptoType: return D3DDDIERR_UNSUPPORTEDCRYPTO;
    case Refusal::kUnsupportedProfile: return D3DDDIERR_UNSUPPORTEDCRYPTO;
    case Refusal::kUnknownCertificate: return E_INVALIDARG;        // §8.5 slots 63, 64
    case Refusal::kChannelTypeNotAdvertised: return E_INVALIDARG;  // A39
    case Refusal::kUnknownCommand: return E_FAIL;                  // A33
    case Refusal::kOutOfProtectedMemory: return E_OUTOFMEMORY;     // no OUTOFHW… in D3D11.1
    case Refusal::kQueryOutputOver: return S_OK;                   // A27: ≥ the defined size
  }
  return E_FAIL;  // not reached: the switch names every Refusal
}

const char* D3d11FrontEnd::missing(DdiRow row) const {
  switch (row) {
    case DdiRow::kArgumentStructs:
      return "its entries take plain arguments, no argument struct to pass as null (spec §8.3)";
    case DdiRow::kGetPitch: return "the D3D11.1 DDI has no GetPitch (spec §8.4)";
    case DdiRow::kLockArguments:
      return "resources are mapped through ResourceMap, which has no D3D9 Lock fields";
    case DdiRow::kCapsTypes:
      return "caps come from GetContentProtectionCaps, which has no caps Type (spec §8.3)";
    case DdiRow::kErrorCallback: return nullptr;
  }
  return "unknown row";  // not reached: the switch names every DdiRow
}

HRESULT
D3d11FrontEnd::open_adapter(const CPDDI_ADAPTER_OPTIONS* options,
                            std::unique_ptr<AdapterCalls>* adapter) const {
  std::unique_ptr<D3d11Runtime> runtime;
  const HRESULT hr =
      D3d11Runtime::open(need(open_adapter_, "cpddi_d3d11_1_open_adapter"), options, &runtime);
  if (hr != S_OK || runtime == nullptr || runtime->adapter().pDrvPrivate == nullptr) {
    return hr;  // the harness judges the answer (a null handle: *adapter stays
                // empty)
  }
  const HANDLE handle = runtime->adapter().pDrvPrivate;
  *adapter = std::make_unique<D3d11AdapterCalls>(std::shared_ptr<D3d11Runtime>(std::move(runtime)),
                                                 handles_, handle);
  return hr;
}

HRESULT D3d11FrontEnd::open_adapter_raw(HANDLE* adapter, bool null_funcs) const {
  CPDDI_D3D11_1_ADAPTERFUNCS funcs{};
  CPDDI_D3D11_1_OPENADAPTER args{};
  args.hAdapter.pDrvPrivate = *adapter;
  args.pAdapterFuncs = null_funcs ? nullptr : &funcs;
  const HRESULT hr = need(open_adapter_, "cpddi_d3d11_1_open_adapter")(&args, nullptr);
  *adapter = args.hAdapter.pDrvPrivate;
  if (hr == S_OK && !null_funcs && funcs.pfnCloseAdapter != nullptr) {
    funcs.pfnCloseAdapter(args.hAdapter);  // the case only looks at the answer
  }
  return hr;
}

HRESULT D3d11FrontEnd::open_adapter_with_null_argument_struct() const {
  return need(open_adapter_, "cpddi_d3d11_1_open_adapter")(nullptr, nullptr);
}

}  // namespace cpddi::conform
