#include "conform/harness.h"

#include <array>
#include <cstring>
#include <utility>

#include "crypto/rsa.h"
#include "crypto/x509.h"

namespace cpddi::conform {
namespace {

// Upper bound for a certificate (guards GETCERTIFICATESIZE of a broken driver).
constexpr UINT kMaxCertificateLen = 1u << 20;

// A null-argument-struct call only exists on a front end with argument structs; a case asking
// another front end for one has not checked has_argument_structs (a case bug, so a failure).
void require_argument_structs_for(const FrontEnd& front_end, const std::string& call) {
  require(front_end.has_argument_structs(),
          call + " with a null argument struct on a front end with argument structs",
          std::string("the ") + front_end.name() + " front end, which has none");
}

}  // namespace

// ---- Adapter ----

Adapter::Adapter(const Driver& driver, const CPDDI_ADAPTER_OPTIONS* options)
    : front_end_(driver.front_end) {
  require(front_end_ != nullptr, "a driver front end", "none");
  std::unique_ptr<AdapterCalls> calls;
  expect_hr(front_end_->open_adapter(options, &calls), S_OK, "OpenAdapter");
  require(calls != nullptr && calls->handle() != nullptr, "OpenAdapter writes an adapter handle",
          "null handle");
  calls_ = std::move(calls);
}

Adapter::Adapter(std::shared_ptr<const FrontEnd> front_end, std::unique_ptr<AdapterCalls> calls)
    : front_end_(std::move(front_end)), calls_(std::move(calls)), owned_(false) {}

Adapter::~Adapter() {
  if (owned_ && calls_ != nullptr && calls_->handle() != nullptr) {
    calls_->release();
  }
}

HRESULT Adapter::get_caps(D3DCONTENTPROTECTIONCAPS* out) const {
  return get_caps_raw(D3DDDICAPS_GETCONTENTPROTECTIONCAPS, CapsInfo{}, out, sizeof *out);
}

const D3DCONTENTPROTECTIONCAPS& Adapter::caps() {
  const std::lock_guard<std::mutex> lock(lazy_mutex_);
  if (!caps_) {
    D3DCONTENTPROTECTIONCAPS caps{};
    expect_hr(get_caps(&caps), S_OK, "GetCaps(GETCONTENTPROTECTIONCAPS, AES128_CTR)");
    caps_ = caps;
  }
  return *caps_;
}

Bytes Adapter::certificate() const {
  CapsInfo info;  // the AES-128-CTR crypto-session certificate
  info.kind = CapsInfo::Kind::kCertificate;
  return certificate(info);
}

Bytes Adapter::certificate(const CapsInfo& info) const {
  UINT size = 0;
  expect_hr(get_caps_raw(D3DDDICAPS_GETCERTIFICATESIZE, info, &size, sizeof size), S_OK,
            "GetCaps(GETCERTIFICATESIZE)");
  require(size > 0 && size <= kMaxCertificateLen, "a certificate size of 1 byte to 1 MiB",
          std::to_string(size) + " bytes");
  Bytes cert(size);
  expect_hr(get_caps_raw(D3DDDICAPS_GETCERTIFICATE, info, cert.data(), size), S_OK,
            "GetCaps(GETCERTIFICATE)");
  return cert;
}

Bytes Adapter::wrap_session_key(std::span<const std::uint8_t> key) {
  return wrap_session_key(key, OaepVariant::kSpec);
}

const crypto::RsaPublicKey& Adapter::leaf_key() {
  const std::lock_guard<std::mutex> lock(lazy_mutex_);
  if (!leaf_key_) {
    leaf_key_ = leaf_key_of(certificate());
  }
  return *leaf_key_;
}

Bytes Adapter::wrap_session_key(std::span<const std::uint8_t> key, OaepVariant variant) {
  return oaep_wrap(leaf_key(), key, variant);
}

std::unique_ptr<crypto::RsaPublicKey> leaf_key_of(std::span<const std::uint8_t> container) {
  Result<std::vector<crypto::Der>> chain = crypto::parse_certificate_container(container);
  require(chain.has_value() && !chain->empty(), "a PKCS#7 or X.509 certificate",
          chain ? "an empty container" : chain.error().reason);
  Result<crypto::RsaPublicKey> pub = crypto::RsaPublicKey::from_certificate_der(chain->front());
  require(pub.has_value(), "an RSA leaf key", pub ? "" : pub.error().reason);
  return std::make_unique<crypto::RsaPublicKey>(std::move(*pub));
}

Bytes oaep_wrap(const crypto::RsaPublicKey& leaf, std::span<const std::uint8_t> key,
                OaepVariant variant) {
  static constexpr std::uint8_t kLabel[] = {'c', 'p', 'd', 'd', 'i'};
  using crypto::HashAlgorithm;
  crypto::OaepParams params = crypto::kKeyExchangeOaep;
  switch (variant) {
    case OaepVariant::kSpec: break;
    case OaepVariant::kSha1: params = {HashAlgorithm::kSha1, HashAlgorithm::kSha1, {}}; break;
    case OaepVariant::kSha256:
      params = {HashAlgorithm::kSha256, HashAlgorithm::kSha256, {}};
      break;
    case OaepVariant::kMgf1Sha1:
      params = {HashAlgorithm::kSha512, HashAlgorithm::kSha1, {}};
      break;
    case OaepVariant::kLabel:
      params = {HashAlgorithm::kSha512, HashAlgorithm::kSha512,
                std::span<const std::uint8_t>(kLabel)};
      break;
  }
  Result<std::vector<std::uint8_t>> blob = leaf.oaep_encrypt(params, key);
  require(blob.has_value(), "OAEP encryption under the leaf key works",
          blob ? "" : blob.error().reason);
  return *blob;
}

HRESULT Adapter::open_raw(const Driver& driver, HANDLE* adapter, bool null_arguments,
                          bool null_funcs) {
  require(driver.front_end != nullptr, "a driver front end", "none");
  if (null_arguments) {
    require_argument_structs_for(*driver.front_end, "OpenAdapter");
    return driver.front_end->open_adapter_with_null_argument_struct();
  }
  return driver.front_end->open_adapter_raw(adapter, null_funcs);
}

std::unique_ptr<Adapter> Adapter::calling_as(HANDLE handle) const {
  return std::unique_ptr<Adapter>(new Adapter(front_end_, calls_->calling_as(handle)));
}

HRESULT Adapter::get_caps_raw(UINT type, const CapsInfo& info, void* data,
                              UINT data_size) const {
  return calls_->get_caps(type, info, data, data_size);
}

HRESULT Adapter::get_caps_null_arguments() const {
  require_argument_structs_for(*front_end_, "GetCaps");
  return calls_->get_caps_with_null_argument_struct();
}

HRESULT Adapter::create_device_raw(HANDLE* device, bool null_arguments, bool null_funcs) const {
  if (null_arguments) {
    require_argument_structs_for(*front_end_, "CreateDevice");
    return calls_->create_device_with_null_argument_struct();
  }
  return calls_->create_device_raw(device, null_funcs);
}

HRESULT Adapter::close() {
  owned_ = false;
  return calls_->close_adapter();
}

bool Adapter::has_argument_structs() const { return front_end_->has_argument_structs(); }

bool Driver::can_open_with_options() const {
  return front_end != nullptr && front_end->can_open_with_options();
}

bool Driver::has_argument_structs() const {
  return front_end != nullptr && front_end->has_argument_structs();
}

// ---- Device ----

Device::Device(Adapter& adapter) : adapter_(adapter) {
  std::unique_ptr<DeviceCalls> calls;
  const HRESULT hr = adapter_.calls().create_device(&calls);
  expect_hr(hr, S_OK, "CreateDevice");
  require(calls != nullptr && calls->handle() != nullptr, "CreateDevice writes a device handle",
          "null handle");
  calls_ = std::move(calls);
}

Device::Device(Adapter& adapter, std::unique_ptr<DeviceCalls> calls)
    : adapter_(adapter), calls_(std::move(calls)), owned_(false) {}

Device::~Device() {
  if (owned_ && calls_ != nullptr && calls_->handle() != nullptr) {
    calls_->release(DeviceObject::kDevice, nullptr);
  }
}

HANDLE Device::create_surface(D3DDDIFORMAT format, UINT width, UINT height, D3DDDI_POOL pool,
                              bool restricted_content, HRESULT* hr) const {
  SurfaceDesc desc;
  desc.format = format;
  desc.pool = pool;
  desc.width = width;
  desc.height = height;
  desc.restricted_content = restricted_content;
  return create_or_null(desc, hr);
}

HRESULT Device::destroy_surface(HANDLE resource) const {
  return calls_->destroy_resource(resource);
}

void Device::write_surface(HANDLE resource, std::span<const std::uint8_t> bytes) const {
  void* data = nullptr;
  UINT pitch = 0;
  expect_hr(lock(resource, 0, &data, &pitch), S_OK, "Lock of a system surface");
  if (data != nullptr) {
    std::memcpy(data, bytes.data(), bytes.size());
  }
  expect_hr(unlock(resource), S_OK, "Unlock");
  require(data != nullptr, "Lock maps the surface", "a null pSurfData");
}

Bytes Device::read_surface(HANDLE resource, std::size_t len) const {
  void* data = nullptr;
  UINT pitch = 0;
  expect_hr(lock(resource, 0, &data, &pitch), S_OK, "Lock of a system surface");
  Bytes out;
  if (data != nullptr) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    out.assign(p, p + len);
  }
  expect_hr(unlock(resource), S_OK, "Unlock");
  require(data != nullptr, "Lock maps the surface", "a null pSurfData");
  return out;
}

HANDLE Device::create_session(HRESULT* hr) const {
  HANDLE session = nullptr;
  const HRESULT result = create_session_raw(D3DCRYPTOTYPE_AES128_CTR, GUID{}, &session);
  if (hr != nullptr) {
    *hr = result;
  }
  return result == S_OK ? session : nullptr;
}

HRESULT Device::destroy_session(HANDLE session) const {
  return calls_->destroy_crypto_session(session);
}

std::unique_ptr<Device> Device::calling_as(HANDLE handle) const {
  return std::unique_ptr<Device>(new Device(adapter_, calls_->calling_as(handle)));
}

HRESULT Device::destroy() {
  owned_ = false;
  return calls_->destroy_device();
}

HRESULT Device::create_session_raw(const GUID& crypto_type, const GUID& decode_profile,
                                   HANDLE* session) const {
  return calls_->create_crypto_session(crypto_type, decode_profile, session);
}

HRESULT Device::exchange_key(HANDLE session, std::span<const std::uint8_t> blob,
                             bool null_data) const {
  return calls_->crypto_session_key_exchange(session, blob, null_data);
}

HRESULT Device::get_pitch(HANDLE session, HANDLE resource, UINT subresource, UINT* pitch) const {
  return calls_->get_pitch(session, resource, subresource, pitch);
}

HANDLE Device::create_surface_in(void* memory, UINT pitch, D3DDDIFORMAT format, UINT width,
                                 UINT height, HRESULT* hr) const {
  SurfaceDesc desc;
  desc.format = format;
  desc.width = width;
  desc.height = height;
  desc.system_memory = memory;
  desc.system_memory_pitch = pitch;
  return create_or_null(desc, hr);
}

HANDLE Device::create_or_null(const SurfaceDesc& desc, HRESULT* hr) const {
  HANDLE resource = nullptr;
  const HRESULT result = create_resource(desc, &resource);
  if (hr != nullptr) {
    *hr = result;
  }
  return result == S_OK ? resource : nullptr;
}

HRESULT Device::decryption_blt(HANDLE session, const BltArgs& blt) const {
  return calls_->decryption_blt(session, blt);
}

HRESULT Device::encryption_blt(HANDLE session, const BltArgs& blt) const {
  return calls_->encryption_blt(session, blt);
}

HRESULT Device::start_refresh(HANDLE session, void* buffer, UINT size) const {
  return calls_->start_session_key_refresh(session, buffer, size);
}

HRESULT Device::finish_refresh(HANDLE session) const {
  return calls_->finish_session_key_refresh(session);
}

HRESULT Device::get_encryption_blt_key(HANDLE session, void* buffer, UINT size) const {
  return calls_->get_encryption_blt_key(session, buffer, size);
}

HRESULT Device::create_resource(const SurfaceDesc& desc, HANDLE* resource) const {
  return calls_->create_resource(desc, resource);
}

HRESULT Device::lock(HANDLE resource, UINT subresource, void** data, UINT* pitch,
                     UINT* slice_pitch, bool area_valid) const {
  return calls_->lock(resource, subresource, data, pitch, slice_pitch, area_valid);
}

HRESULT Device::unlock(HANDLE resource, UINT subresource) const {
  return calls_->unlock(resource, subresource);
}

HRESULT Device::channel_call(ChannelEntry entry, std::span<const std::uint8_t> input,
                             HANDLE channel) const {
  Bytes in(input.begin(), input.end());
  Bytes out(64, 0);
  const auto in_size = static_cast<UINT>(in.size());
  switch (entry) {
    case ChannelEntry::kCreate: {
      HANDLE created = nullptr;
      return calls_->create_authenticated_channel(DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE,
                                                  &created);
    }
    case ChannelEntry::kKeyExchange:
      return calls_->authenticated_channel_key_exchange(channel, in.data(), in_size);
    case ChannelEntry::kQuery:
      return calls_->query_authenticated_channel(in.data(), in_size, out.data(),
                                                 static_cast<UINT>(out.size()));
    case ChannelEntry::kConfigure:
      return calls_->configure_authenticated_channel(in.data(), in_size, out.data());
    case ChannelEntry::kDestroy: return calls_->destroy_authenticated_channel(channel);
  }
  return E_FAIL;
}

HRESULT Device::call_with_null_arguments(DeviceEntry entry) const {
  return calls_->call_with_null_argument_struct(entry);
}

const char* device_entry_name(DeviceEntry entry) {
  switch (entry) {
    case DeviceEntry::kCreateCryptoSession: return "CreateCryptoSession";
    case DeviceEntry::kDestroyCryptoSession: return "DestroyCryptoSession";
    case DeviceEntry::kCryptoSessionKeyExchange: return "CryptoSessionKeyExchange";
    case DeviceEntry::kCreateResource: return "CreateResource";
    case DeviceEntry::kLock: return "Lock";
    case DeviceEntry::kUnlock: return "Unlock";
    case DeviceEntry::kGetPitch: return "GetPitch";
    case DeviceEntry::kDecryptionBlt: return "DecryptionBlt";
    case DeviceEntry::kEncryptionBlt: return "EncryptionBlt";
    case DeviceEntry::kGetEncryptionBltKey: return "GetEncryptionBltKey";
    case DeviceEntry::kStartSessionKeyRefresh: return "StartSessionKeyRefresh";
    case DeviceEntry::kCreateAuthenticatedChannel: return "CreateAuthenticatedChannel";
    case DeviceEntry::kAuthenticatedChannelKeyExchange: return "AuthenticatedChannelKeyExchange";
    case DeviceEntry::kQueryAuthenticatedChannel: return "QueryAuthenticatedChannel";
    case DeviceEntry::kConfigureAuthenticatedChannel: return "ConfigureAuthenticatedChannel";
    case DeviceEntry::kDestroyAuthenticatedChannel: return "DestroyAuthenticatedChannel";
  }
  return "?";
}

// ---- Surface ----

Surface::Surface(const Device& device, D3DDDIFORMAT format, UINT width, UINT height,
                 D3DDDI_POOL pool, bool restricted_content)
    : device_(device), format_(format), height_(height) {
  HRESULT hr = S_OK;
  handle_ = device_.create_surface(format, width, height, pool, restricted_content, &hr);
  expect_hr(hr, S_OK, restricted_content ? "CreateResource of a protected surface"
                                         : "CreateResource of a system-memory surface");
  require(handle_ != nullptr, "CreateResource writes a handle", "null handle");
}

Surface::~Surface() {
  if (handle_ != nullptr) {
    device_.calls().release(DeviceObject::kResource, handle_);
  }
}

std::unique_ptr<Surface> Surface::small_protected(const Device& device) {
  return std::make_unique<Surface>(device, D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_VIDEOMEMORY,
                                   true);
}

std::unique_ptr<Surface> Surface::system_memory(const Device& device, UINT bytes) {
  const UINT rows = (bytes + 255) / 256;
  return std::make_unique<Surface>(device, D3DDDIFMT_X8R8G8B8, 64, rows == 0 ? 1 : rows,
                                   D3DDDIPOOL_SYSTEMMEM, false);
}

// ---- Env ----

Env::Env(Driver driver) : driver_(driver) {}
Env::~Env() {
  device_.reset();
  adapter_.reset();
}

Adapter& Env::adapter() {
  if (!adapter_) {
    adapter_ = std::make_unique<Adapter>(driver_);
  }
  return *adapter_;
}

Device& Env::device() {
  if (!device_) {
    device_ = std::make_unique<Device>(adapter());
  }
  return *device_;
}

DeviceWithout::DeviceWithout(Env& env, DWORD bit, const char* name) {
  if ((env.device().caps_bits() & bit) == 0) {
    device_ = &env.device();
    return;
  }
  if (!env.driver().can_open_with_options()) {
    skip(std::string("caps advertise ") + name +
         " and the driver exports no cpddi_open_adapter_with_options to switch it off");
  }
  CPDDI_ADAPTER_OPTIONS options{};
  options.StructSize = sizeof options;
  options.DisabledCaps = bit;
  adapter_ = std::make_unique<Adapter>(env.driver(), &options);
  own_ = std::make_unique<Device>(*adapter_);
  require((own_->caps_bits() & bit) == 0,
          std::string("caps without ") + name + " when DisabledCaps switches it off",
          "the bit is set");
  device_ = own_.get();
}

void require_caps(const Device& device, DWORD bits, const char* names) {
  if ((device.caps_bits() & bits) != bits) {
    skip(std::string("caps lack ") + names);
  }
}

void require_row(const FrontEnd& front_end, DdiRow row) {
  if (const char* why = front_end.missing(row); why != nullptr) {
    skip(std::string("the ") + front_end.name() + " front end: " + why);
  }
}

void require_row(const Device& device, DdiRow row) {
  require_row(device.adapter().front_end(), row);
}

bool has_row(const FrontEnd& front_end, DdiRow row) { return front_end.missing(row) == nullptr; }

bool has_row(const Device& device, DdiRow row) { return has_row(device.adapter().front_end(), row); }

ObjectsAcrossDevices::ObjectsAcrossDevices(Env& env)
    : second_device_(env.device().adapter()),
      second_adapter_(env.driver()),
      other_adapter_device_(second_adapter_),
      objects_{{{env.device(), "session 1 on device 1"},
                {env.device(), "session 2 on device 1"},
                {env.device(), "session 3 on device 1"},
                {second_device_, "a session on device 2 (same adapter)"},
                {other_adapter_device_, "a session on a device of adapter 2"}}} {}

}  // namespace cpddi::conform
