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

}  // namespace

// ---- Adapter ----

Adapter::Adapter(const Driver& driver, const CPDDI_ADAPTER_OPTIONS* options) {
  D3DDDIARG_OPENADAPTER open{};
  open.pAdapterFuncs = &funcs_;
  HRESULT hr = E_FAIL;
  if (options != nullptr) {
    hr = need(driver.open_with_options, "cpddi_open_adapter_with_options")(&open, options);
  } else {
    hr = need(driver.open_adapter, "OpenAdapter")(&open);
  }
  expect_hr(hr, S_OK, "OpenAdapter");
  require(open.hAdapter != nullptr, "OpenAdapter writes an adapter handle", "null handle");
  need(funcs_.pfnGetCaps, "pfnGetCaps");
  need(funcs_.pfnCreateDevice, "pfnCreateDevice");
  need(funcs_.pfnCloseAdapter, "pfnCloseAdapter");
  handle_ = open.hAdapter;
}

Adapter::Adapter(HANDLE handle, const D3DDDI_ADAPTERFUNCS& funcs)
    : handle_(handle), owned_(false), funcs_(funcs) {}

Adapter::~Adapter() {
  if (owned_ && handle_ != nullptr && funcs_.pfnCloseAdapter != nullptr) {
    funcs_.pfnCloseAdapter(handle_);
  }
}

HRESULT Adapter::get_caps(D3DCONTENTPROTECTIONCAPS* out) const {
  return get_caps_raw(D3DDDICAPS_GETCONTENTPROTECTIONCAPS, CapsInfo{}, out, sizeof *out);
}

const D3DCONTENTPROTECTIONCAPS& Adapter::caps() {
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
  if (!leaf_key_) {
    Result<std::vector<crypto::Der>> chain = crypto::parse_certificate_container(certificate());
    require(chain.has_value() && !chain->empty(), "a PKCS#7 or X.509 certificate",
            chain ? "an empty container" : chain.error().reason);
    Result<crypto::RsaPublicKey> pub = crypto::RsaPublicKey::from_certificate_der(chain->front());
    require(pub.has_value(), "an RSA leaf key", pub ? "" : pub.error().reason);
    leaf_key_ = std::make_unique<crypto::RsaPublicKey>(std::move(*pub));
  }
  return *leaf_key_;
}

Bytes Adapter::wrap_session_key(std::span<const std::uint8_t> key, OaepVariant variant) {
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
  Result<std::vector<std::uint8_t>> blob = leaf_key().oaep_encrypt(params, key);
  require(blob.has_value(), "OAEP encryption under the leaf key works",
          blob ? "" : blob.error().reason);
  return *blob;
}

HRESULT Adapter::open_raw(const Driver& driver, HANDLE* adapter, bool null_arguments,
                          bool null_funcs) {
  const PFND3DDDI_OPENADAPTER open_adapter = need(driver.open_adapter, "OpenAdapter");
  if (null_arguments) {
    return open_adapter(nullptr);
  }
  D3DDDI_ADAPTERFUNCS funcs{};
  D3DDDIARG_OPENADAPTER open{};
  open.hAdapter = *adapter;
  open.pAdapterFuncs = null_funcs ? nullptr : &funcs;
  const HRESULT hr = open_adapter(&open);
  *adapter = open.hAdapter;
  if (hr == S_OK && !null_funcs && funcs.pfnCloseAdapter != nullptr) {
    funcs.pfnCloseAdapter(open.hAdapter);  // the case only looks at the answer
  }
  return hr;
}

std::unique_ptr<Adapter> Adapter::calling_as(HANDLE handle) const {
  return std::unique_ptr<Adapter>(new Adapter(handle, funcs_));
}

HRESULT Adapter::get_caps_raw(UINT type, const CapsInfo& info, void* data,
                              UINT data_size) const {
  DDICONTENTPROTECTIONCAPS caps_info{info.crypto_type, info.decode_profile};
  // Enum fields are copied as integers: a C caller may store any value, in range or not.
  DDICERTIFICATEINFO cert_info{};
  std::memcpy(&cert_info.CertificateType, &info.certificate_type, sizeof info.certificate_type);
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
  return funcs_.pfnGetCaps(handle_, &args);
}

HRESULT Adapter::get_caps_null_arguments() const { return funcs_.pfnGetCaps(handle_, nullptr); }

HRESULT Adapter::create_device_raw(HANDLE* device, bool null_arguments, bool null_funcs) const {
  if (null_arguments) {
    return funcs_.pfnCreateDevice(handle_, nullptr);
  }
  D3DDDI_DEVICEFUNCS funcs{};
  D3DDDIARG_CREATEDEVICE create{};
  create.hDevice = *device;
  create.pDeviceFuncs = null_funcs ? nullptr : &funcs;
  const HRESULT hr = funcs_.pfnCreateDevice(handle_, &create);
  *device = create.hDevice;
  if (hr == S_OK && !null_funcs && funcs.pfnDestroyDevice != nullptr) {
    funcs.pfnDestroyDevice(create.hDevice);  // the case only looks at the answer
  }
  return hr;
}

HRESULT Adapter::close() {
  owned_ = false;
  return funcs_.pfnCloseAdapter(handle_);
}

// ---- Device ----

Device::Device(Adapter& adapter) : adapter_(adapter) {
  D3DDDIARG_CREATEDEVICE create{};
  create.pDeviceFuncs = &funcs_;
  expect_hr(adapter_.funcs().pfnCreateDevice(adapter_.handle(), &create), S_OK, "CreateDevice");
  require(create.hDevice != nullptr, "CreateDevice writes a device handle", "null handle");
  handle_ = create.hDevice;
}

Device::Device(Adapter& adapter, HANDLE handle, const D3DDDI_DEVICEFUNCS& funcs)
    : adapter_(adapter), handle_(handle), owned_(false), funcs_(funcs) {}

Device::~Device() {
  if (owned_ && handle_ != nullptr && funcs_.pfnDestroyDevice != nullptr) {
    funcs_.pfnDestroyDevice(handle_);
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
  HANDLE resource = nullptr;
  const HRESULT result = create_resource(desc, &resource);
  if (hr != nullptr) {
    *hr = result;
  }
  return result == S_OK ? resource : nullptr;
}

HRESULT Device::destroy_surface(HANDLE resource) const {
  return need(funcs_.pfnDestroyResource, "pfnDestroyResource")(handle_, resource);
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
  D3DDDIARG_CREATECRYPTOSESSION args{D3DCRYPTOTYPE_AES128_CTR, GUID{}, nullptr};
  const HRESULT result =
      need(funcs_.pfnCreateCryptoSession, "pfnCreateCryptoSession")(handle_, &args);
  if (hr != nullptr) {
    *hr = result;
  }
  return result == S_OK ? args.hCryptoSession : nullptr;
}

HRESULT Device::destroy_session(HANDLE session) const {
  D3DDDIARG_DESTROYCRYPTOSESSION args{session};
  return need(funcs_.pfnDestroyCryptoSession, "pfnDestroyCryptoSession")(handle_, &args);
}

std::unique_ptr<Device> Device::calling_as(HANDLE handle) const {
  return std::unique_ptr<Device>(new Device(adapter_, handle, funcs_));
}

HRESULT Device::destroy() {
  owned_ = false;
  return need(funcs_.pfnDestroyDevice, "pfnDestroyDevice")(handle_);
}

HRESULT Device::create_session_raw(const GUID& crypto_type, const GUID& decode_profile,
                                   HANDLE* session) const {
  D3DDDIARG_CREATECRYPTOSESSION args{crypto_type, decode_profile, *session};
  const HRESULT hr =
      need(funcs_.pfnCreateCryptoSession, "pfnCreateCryptoSession")(handle_, &args);
  *session = args.hCryptoSession;
  return hr;
}

HRESULT Device::exchange_key(HANDLE session, std::span<const std::uint8_t> blob,
                             bool null_data) const {
  Bytes copy(blob.begin(), blob.end());
  std::uint8_t no_bytes[1] = {};  // DataSize 0 still gets a real pointer: only `null_data` is null
  std::uint8_t* data = null_data ? nullptr : copy.empty() ? no_bytes : copy.data();
  D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE args{session, static_cast<UINT>(copy.size()), data};
  return need(funcs_.pfnCryptoSessionKeyExchange, "pfnCryptoSessionKeyExchange")(handle_,
                                                                                   &args);
}

HRESULT Device::get_pitch(HANDLE session, HANDLE resource, UINT subresource, UINT* pitch) const {
  D3DDDIARG_GETPITCH args{session, resource, subresource, *pitch};
  const HRESULT hr = need(funcs_.pfnGetPitch, "pfnGetPitch")(handle_, &args);
  *pitch = args.Pitch;
  return hr;
}

HANDLE Device::create_surface_in(void* memory, UINT pitch, D3DDDIFORMAT format, UINT width,
                                 UINT height, HRESULT* hr) const {
  SurfaceDesc desc;
  desc.format = format;
  desc.width = width;
  desc.height = height;
  desc.system_memory = memory;
  desc.system_memory_pitch = pitch;
  HANDLE resource = nullptr;
  const HRESULT result = create_resource(desc, &resource);
  if (hr != nullptr) {
    *hr = result;
  }
  return result == S_OK ? resource : nullptr;
}

HRESULT Device::decryption_blt(HANDLE session, const BltArgs& blt) const {
  D3DDDIARG_DECRYPTIONBLT args{};
  args.hCryptoSession = session;
  args.hSrcResource = blt.source;
  args.SrcSubResourceIndex = blt.source_subresource;
  args.hDstResource = blt.destination;
  args.DstSubResourceIndex = blt.destination_subresource;
  args.SrcResourceSize = blt.size;
  args.pIV = blt.iv;
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

HRESULT Device::encryption_blt(HANDLE session, const BltArgs& blt) const {
  D3DDDIARG_ENCRYPTIONBLT args{};
  args.hCryptoSession = session;
  args.hSrcResource = blt.source;
  args.SrcSubResourceIndex = blt.source_subresource;
  args.hDstResource = blt.destination;
  args.DstSubResourceIndex = blt.destination_subresource;
  args.DstResourceSize = blt.size;
  args.pIV = blt.iv;
  return need(funcs_.pfnEncryptionBlt, "pfnEncryptionBlt")(handle_, &args);
}

HRESULT Device::start_refresh(HANDLE session, void* buffer, UINT size) const {
  D3DDDIARG_STARTSESSIONKEYREFRESH args{session, buffer, size};
  return need(funcs_.pfnStartSessionKeyRefresh, "pfnStartSessionKeyRefresh")(handle_, &args);
}

HRESULT Device::finish_refresh(HANDLE session) const {
  D3DDDIARG_FINISHSESSIONKEYREFRESH args{session};
  return need(funcs_.pfnFinishSessionKeyRefresh, "pfnFinishSessionKeyRefresh")(handle_, &args);
}

HRESULT Device::get_encryption_blt_key(HANDLE session, void* buffer, UINT size) const {
  D3DDDIARG_GETENCRYPTIONBLTKEY args{session, buffer, size};
  return need(funcs_.pfnGetEncryptionBltKey, "pfnGetEncryptionBltKey")(handle_, &args);
}

HRESULT Device::create_resource(const SurfaceDesc& desc, HANDLE* resource) const {
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

HRESULT Device::lock(HANDLE resource, UINT subresource, void** data, UINT* pitch,
                     UINT* slice_pitch, bool area_valid) const {
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

HRESULT Device::unlock(HANDLE resource, UINT subresource) const {
  D3DDDIARG_UNLOCK args{};
  args.hResource = resource;
  args.SubResourceIndex = subresource;
  return need(funcs_.pfnUnlock, "pfnUnlock")(handle_, &args);
}

HRESULT Device::channel_call(ChannelEntry entry, std::span<const std::uint8_t> input,
                             HANDLE channel) const {
  Bytes in(input.begin(), input.end());
  Bytes out(64, 0);
  switch (entry) {
    case ChannelEntry::kCreate: {
      D3DDDIARG_CREATEAUTHENTICATEDCHANNEL args{DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE, nullptr};
      return need(funcs_.pfnCreateAuthenticatedChannel, "pfnCreateAuthenticatedChannel")(handle_,
                                                                                       &args);
    }
    case ChannelEntry::kKeyExchange: {
      D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE args{nullptr, static_cast<UINT>(in.size()),
                                                     in.data()};
      return need(funcs_.pfnAuthenticatedChannelKeyExchange,
                  "pfnAuthenticatedChannelKeyExchange")(handle_, &args);
    }
    case ChannelEntry::kQuery: {
      D3DDDIARG_QUERYAUTHENTICATEDCHANNEL args{static_cast<UINT>(in.size()), in.data(),
                                               static_cast<UINT>(out.size()), out.data()};
      return need(funcs_.pfnQueryAuthenticatedChannel, "pfnQueryAuthenticatedChannel")(handle_,
                                                                                     &args);
    }
    case ChannelEntry::kConfigure: {
      D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL args{static_cast<UINT>(in.size()), in.data(),
                                                   out.data()};
      return need(funcs_.pfnConfigureAuthenticatedChannel,
                  "pfnConfigureAuthenticatedChannel")(handle_, &args);
    }
    case ChannelEntry::kDestroy: {
      D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL args{channel};
      return need(funcs_.pfnDestroyAuthenticatedChannel, "pfnDestroyAuthenticatedChannel")(
          handle_, &args);
    }
  }
  return E_FAIL;
}

HRESULT Device::call_with_null_arguments(DeviceEntry entry) const {
  switch (entry) {
    case DeviceEntry::kCreateCryptoSession:
      return need(funcs_.pfnCreateCryptoSession, "pfnCreateCryptoSession")(handle_, nullptr);
    case DeviceEntry::kDestroyCryptoSession:
      return need(funcs_.pfnDestroyCryptoSession, "pfnDestroyCryptoSession")(handle_, nullptr);
    case DeviceEntry::kCryptoSessionKeyExchange:
      return need(funcs_.pfnCryptoSessionKeyExchange, "pfnCryptoSessionKeyExchange")(handle_,
                                                                                       nullptr);
    case DeviceEntry::kCreateResource:
      return need(funcs_.pfnCreateResource, "pfnCreateResource")(handle_, nullptr);
    case DeviceEntry::kLock: return need(funcs_.pfnLock, "pfnLock")(handle_, nullptr);
    case DeviceEntry::kUnlock: return need(funcs_.pfnUnlock, "pfnUnlock")(handle_, nullptr);
    case DeviceEntry::kGetPitch: return need(funcs_.pfnGetPitch, "pfnGetPitch")(handle_, nullptr);
    case DeviceEntry::kDecryptionBlt:
      return need(funcs_.pfnDecryptionBlt, "pfnDecryptionBlt")(handle_, nullptr);
    case DeviceEntry::kEncryptionBlt:
      return need(funcs_.pfnEncryptionBlt, "pfnEncryptionBlt")(handle_, nullptr);
    case DeviceEntry::kGetEncryptionBltKey:
      return need(funcs_.pfnGetEncryptionBltKey, "pfnGetEncryptionBltKey")(handle_, nullptr);
    case DeviceEntry::kStartSessionKeyRefresh:
      return need(funcs_.pfnStartSessionKeyRefresh, "pfnStartSessionKeyRefresh")(handle_,
                                                                                 nullptr);
  }
  return E_FAIL;
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
  if (handle_ != nullptr && device_.funcs().pfnDestroyResource != nullptr) {
    device_.funcs().pfnDestroyResource(device_.handle(), handle_);
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
  if (env.driver().open_with_options == nullptr) {
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

}  // namespace cpddi::conform
