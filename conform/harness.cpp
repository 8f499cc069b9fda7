#include "conform/harness.h"

#include "conform/surface_args.h"

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

Adapter::~Adapter() {
  if (handle_ != nullptr && funcs_.pfnCloseAdapter != nullptr) {
    funcs_.pfnCloseAdapter(handle_);
  }
}

HRESULT Adapter::get_caps(D3DCONTENTPROTECTIONCAPS* out) const {
  DDICONTENTPROTECTIONCAPS info{D3DCRYPTOTYPE_AES128_CTR, GUID{}};
  D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCONTENTPROTECTIONCAPS, &info, out, sizeof *out};
  return funcs_.pfnGetCaps(handle_, &args);
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
  DDICERTIFICATEINFO info{D3DDDI_CERTTYPE_CRYPTOSESSION, DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE,
                          D3DCRYPTOTYPE_AES128_CTR};
  UINT size = 0;
  D3DDDIARG_GETCAPS size_args{D3DDDICAPS_GETCERTIFICATESIZE, &info, &size, sizeof size};
  expect_hr(funcs_.pfnGetCaps(handle_, &size_args), S_OK, "GetCaps(GETCERTIFICATESIZE)");
  require(size > 0 && size <= kMaxCertificateLen, "a certificate size of 1 byte to 1 MiB",
          std::to_string(size) + " bytes");
  Bytes cert(size);
  D3DDDIARG_GETCAPS cert_args{D3DDDICAPS_GETCERTIFICATE, &info, cert.data(), size};
  expect_hr(funcs_.pfnGetCaps(handle_, &cert_args), S_OK, "GetCaps(GETCERTIFICATE)");
  return cert;
}

Bytes Adapter::wrap_session_key(std::span<const std::uint8_t> key) {
  if (!leaf_key_) {
    Result<std::vector<crypto::Der>> chain = crypto::parse_certificate_container(certificate());
    require(chain.has_value() && !chain->empty(), "a PKCS#7 or X.509 certificate",
            chain ? "an empty container" : chain.error().reason);
    Result<crypto::RsaPublicKey> pub = crypto::RsaPublicKey::from_certificate_der(chain->front());
    require(pub.has_value(), "an RSA leaf key", pub ? "" : pub.error().reason);
    leaf_key_ = std::make_unique<crypto::RsaPublicKey>(std::move(*pub));
  }
  Result<std::vector<std::uint8_t>> blob = leaf_key_->oaep_encrypt(crypto::kKeyExchangeOaep, key);
  require(blob.has_value(), "OAEP encryption under the leaf key works",
          blob ? "" : blob.error().reason);
  return *blob;
}

// ---- Device ----

Device::Device(Adapter& adapter) : adapter_(adapter) {
  D3DDDIARG_CREATEDEVICE create{};
  create.pDeviceFuncs = &funcs_;
  expect_hr(adapter_.funcs().pfnCreateDevice(adapter_.handle(), &create), S_OK, "CreateDevice");
  require(create.hDevice != nullptr, "CreateDevice writes a device handle", "null handle");
  handle_ = create.hDevice;
}

Device::~Device() {
  if (handle_ != nullptr && funcs_.pfnDestroyDevice != nullptr) {
    funcs_.pfnDestroyDevice(handle_);
  }
}

HANDLE Device::create_surface(D3DDDIFORMAT format, UINT width, UINT height, D3DDDI_POOL pool,
                              bool restricted_content, HRESULT* hr) const {
  SurfaceArgs create(format, width, height, pool, restricted_content);
  const HRESULT result =
      need(funcs_.pfnCreateResource, "pfnCreateResource")(handle_, &create.args);
  if (hr != nullptr) {
    *hr = result;
  }
  return result == S_OK ? create.args.hResource : nullptr;
}

HRESULT Device::destroy_surface(HANDLE resource) const {
  return need(funcs_.pfnDestroyResource, "pfnDestroyResource")(handle_, resource);
}

void Device::write_surface(HANDLE resource, std::span<const std::uint8_t> bytes) const {
  D3DDDIARG_LOCK lock{};
  lock.hResource = resource;
  expect_hr(need(funcs_.pfnLock, "pfnLock")(handle_, &lock), S_OK, "Lock of a system surface");
  if (lock.pSurfData != nullptr) {
    std::memcpy(lock.pSurfData, bytes.data(), bytes.size());
  }
  D3DDDIARG_UNLOCK unlock{};
  unlock.hResource = resource;
  expect_hr(need(funcs_.pfnUnlock, "pfnUnlock")(handle_, &unlock), S_OK, "Unlock");
  require(lock.pSurfData != nullptr, "Lock maps the surface", "a null pSurfData");
}

Bytes Device::read_surface(HANDLE resource, std::size_t len) const {
  D3DDDIARG_LOCK lock{};
  lock.hResource = resource;
  expect_hr(need(funcs_.pfnLock, "pfnLock")(handle_, &lock), S_OK, "Lock of a system surface");
  Bytes out;
  if (lock.pSurfData != nullptr) {
    const auto* p = static_cast<const std::uint8_t*>(lock.pSurfData);
    out.assign(p, p + len);
  }
  D3DDDIARG_UNLOCK unlock{};
  unlock.hResource = resource;
  expect_hr(need(funcs_.pfnUnlock, "pfnUnlock")(handle_, &unlock), S_OK, "Unlock");
  require(lock.pSurfData != nullptr, "Lock maps the surface", "a null pSurfData");
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

HANDLE Device::create_surface_in(void* memory, UINT pitch, D3DDDIFORMAT format, UINT width,
                                 UINT height, HRESULT* hr) const {
  SurfaceArgs create(format, width, height, D3DDDIPOOL_SYSTEMMEM, false);
  create.place_in(memory, pitch);
  const HRESULT result =
      need(funcs_.pfnCreateResource, "pfnCreateResource")(handle_, &create.args);
  if (hr != nullptr) {
    *hr = result;
  }
  return result == S_OK ? create.args.hResource : nullptr;
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

HRESULT Device::get_encryption_blt_key(HANDLE session, void* buffer, UINT size) const {
  D3DDDIARG_GETENCRYPTIONBLTKEY args{session, buffer, size};
  return need(funcs_.pfnGetEncryptionBltKey, "pfnGetEncryptionBltKey")(handle_, &args);
}

HRESULT Device::start_refresh(HANDLE session, void* buffer, UINT size) const {
  D3DDDIARG_STARTSESSIONKEYREFRESH args{session, buffer, size};
  return need(funcs_.pfnStartSessionKeyRefresh, "pfnStartSessionKeyRefresh")(handle_, &args);
}

HRESULT Device::finish_refresh(HANDLE session) const {
  D3DDDIARG_FINISHSESSIONKEYREFRESH args{session};
  return need(funcs_.pfnFinishSessionKeyRefresh, "pfnFinishSessionKeyRefresh")(handle_, &args);
}

HRESULT Device::decryption_blt_null_args() const {
  return need(funcs_.pfnDecryptionBlt, "pfnDecryptionBlt")(handle_, nullptr);
}

HRESULT Device::encryption_blt_null_args() const {
  return need(funcs_.pfnEncryptionBlt, "pfnEncryptionBlt")(handle_, nullptr);
}

HRESULT Device::get_encryption_blt_key_null_args() const {
  return need(funcs_.pfnGetEncryptionBltKey, "pfnGetEncryptionBltKey")(handle_, nullptr);
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
