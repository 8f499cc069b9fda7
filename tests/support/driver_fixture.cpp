#include "support/driver_fixture.h"

#include <cstdio>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "conform/surface_args.h"
#include "crypto/rsa.h"
#include "crypto/x509.h"
#include "wire/surface_layout.h"

namespace cpddi::testing {

std::string hr_name(HRESULT hr) {
  std::string name = cpddi_hresult_name(hr);
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08X", static_cast<unsigned>(hr));
  return name + " (" + hex + ")";
}

CPDDI_ADAPTER_OPTIONS default_options() {
  CPDDI_ADAPTER_OPTIONS options{};
  options.StructSize = sizeof options;
  return options;
}

OpenedDevice::OpenedDevice(const CPDDI_ADAPTER_OPTIONS* options,
                           PFND3DDDI_OPENADAPTER open_adapter) {
  if (options == nullptr && open_adapter == nullptr) {
    ADD_FAILURE() << "no OpenAdapter to call";
    return;
  }
  D3DDDIARG_OPENADAPTER open{};
  open.pAdapterFuncs = &adapter_funcs_;
  const HRESULT hr = options != nullptr ? cpddi_open_adapter_with_options(&open, options)
                                        : open_adapter(&open);
  if (hr != S_OK) {
    ADD_FAILURE() << "OpenAdapter returned " << hr_name(hr);
    return;
  }
  adapter_ = open.hAdapter;
  create_device();
}

OpenedDevice::OpenedDevice(SameAdapter, const OpenedDevice& first)
    : owns_adapter_(false), adapter_(first.adapter_), adapter_funcs_(first.adapter_funcs_) {
  if (adapter_ != nullptr) {
    create_device();
  }
}

std::unique_ptr<OpenedDevice> OpenedDevice::another_device(const OpenedDevice& first) {
  return std::unique_ptr<OpenedDevice>(new OpenedDevice(SameAdapter{}, first));
}

void OpenedDevice::create_device() {
  D3DDDIARG_CREATEDEVICE create{};
  create.pDeviceFuncs = &funcs_;
  const HRESULT created = adapter_funcs_.pfnCreateDevice(adapter_, &create);
  if (created != S_OK) {
    ADD_FAILURE() << "CreateDevice returned " << hr_name(created);
    return;
  }
  device_ = create.hDevice;
}

HRESULT OpenedDevice::destroy_device() {
  const HRESULT hr = funcs_.pfnDestroyDevice(device_);
  device_ = nullptr;
  return hr;
}

OpenedDevice::~OpenedDevice() {
  if (device_ != nullptr) {
    EXPECT_EQ(funcs_.pfnDestroyDevice(device_), S_OK);
  }
  if (adapter_ != nullptr && owns_adapter_) {
    EXPECT_EQ(adapter_funcs_.pfnCloseAdapter(adapter_), S_OK);
  }
}

HRESULT OpenedDevice::content_protection_caps(D3DCONTENTPROTECTIONCAPS* out,
                                              const GUID& crypto_type) const {
  DDICONTENTPROTECTIONCAPS info{crypto_type, GUID{}};
  D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCONTENTPROTECTIONCAPS, &info, out, sizeof *out};
  return adapter_funcs_.pfnGetCaps(adapter_, &args);
}

DWORD OpenedDevice::caps_bits() const {
  D3DCONTENTPROTECTIONCAPS caps{};
  const HRESULT hr = content_protection_caps(&caps);
  if (hr != S_OK) {
    ADD_FAILURE() << "GetCaps(GETCONTENTPROTECTIONCAPS) returned " << hr_name(hr);
    return 0;
  }
  return caps.Caps;
}

Bytes OpenedDevice::certificate() const {
  DDICERTIFICATEINFO info{D3DDDI_CERTTYPE_CRYPTOSESSION, DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE,
                          D3DCRYPTOTYPE_AES128_CTR};
  UINT size = 0;
  D3DDDIARG_GETCAPS size_args{D3DDDICAPS_GETCERTIFICATESIZE, &info, &size, sizeof size};
  if (adapter_funcs_.pfnGetCaps(adapter_, &size_args) != S_OK || size == 0) {
    ADD_FAILURE() << "GETCERTIFICATESIZE failed";
    return {};
  }
  Bytes cert(size);
  D3DDDIARG_GETCAPS cert_args{D3DDDICAPS_GETCERTIFICATE, &info, cert.data(), size};
  if (adapter_funcs_.pfnGetCaps(adapter_, &cert_args) != S_OK) {
    ADD_FAILURE() << "GETCERTIFICATE failed";
    return {};
  }
  return cert;
}

Bytes OpenedDevice::wrap_session_key(std::span<const std::uint8_t> key,
                                     const crypto::OaepParams& params) const {
  Result<std::vector<crypto::Der>> chain = crypto::parse_certificate_container(certificate());
  if (!chain) {
    ADD_FAILURE() << "certificate does not parse: " << chain.error().reason;
    return {};
  }
  Result<crypto::RsaPublicKey> pub = crypto::RsaPublicKey::from_certificate_der(chain->front());
  if (!pub) {
    ADD_FAILURE() << "leaf key: " << pub.error().reason;
    return {};
  }
  Result<std::vector<std::uint8_t>> blob = pub->oaep_encrypt(params, key);
  if (!blob) {
    ADD_FAILURE() << "OAEP: " << blob.error().reason;
    return {};
  }
  return *blob;
}

HANDLE OpenedDevice::create_surface(D3DDDIFORMAT format, UINT width, UINT height,
                                    D3DDDI_POOL pool, bool restricted_content,
                                    HRESULT* hr) const {
  conform::SurfaceArgs create(format, width, height, pool, restricted_content);
  const HRESULT result = funcs_.pfnCreateResource(device_, &create.args);
  if (hr != nullptr) {
    *hr = result;
  }
  return result == S_OK ? create.args.hResource : nullptr;
}

HANDLE OpenedDevice::create_surface_in(void* memory, UINT pitch, D3DDDIFORMAT format, UINT width,
                                       UINT height, HRESULT* hr) const {
  D3DDDI_SURFACEINFO surface{};
  surface.Width = width;
  surface.Height = height;
  surface.pSysMem = memory;
  surface.SysMemPitch = pitch;
  D3DDDIARG_CREATERESOURCE args{};
  args.Format = format;
  args.Pool = D3DDDIPOOL_SYSTEMMEM;
  args.pSurfList = &surface;
  args.SurfCount = 1;
  const HRESULT result = funcs_.pfnCreateResource(device_, &args);
  if (hr != nullptr) {
    *hr = result;
  }
  return result == S_OK ? args.hResource : nullptr;
}

HRESULT OpenedDevice::destroy_surface(HANDLE resource) const {
  return funcs_.pfnDestroyResource(device_, resource);
}

HRESULT OpenedDevice::write_surface(HANDLE resource, std::span<const std::uint8_t> bytes) const {
  D3DDDIARG_LOCK lock{};
  lock.hResource = resource;
  if (HRESULT hr = funcs_.pfnLock(device_, &lock); hr != S_OK) {
    return hr;
  }
  std::memcpy(lock.pSurfData, bytes.data(), bytes.size());
  D3DDDIARG_UNLOCK unlock{};
  unlock.hResource = resource;
  return funcs_.pfnUnlock(device_, &unlock);
}

Bytes OpenedDevice::read_surface(HANDLE resource, std::size_t len) const {
  D3DDDIARG_LOCK lock{};
  lock.hResource = resource;
  if (funcs_.pfnLock(device_, &lock) != S_OK) {
    ADD_FAILURE() << "Lock failed";
    return {};
  }
  const auto* p = static_cast<const std::uint8_t*>(lock.pSurfData);
  Bytes out(p, p + len);
  D3DDDIARG_UNLOCK unlock{};
  unlock.hResource = resource;
  EXPECT_EQ(funcs_.pfnUnlock(device_, &unlock), S_OK);
  return out;
}

HANDLE OpenedDevice::create_session(HRESULT* hr) const {
  D3DDDIARG_CREATECRYPTOSESSION args{D3DCRYPTOTYPE_AES128_CTR, GUID{}, nullptr};
  const HRESULT result = funcs_.pfnCreateCryptoSession(device_, &args);
  if (hr != nullptr) {
    *hr = result;
  }
  return result == S_OK ? args.hCryptoSession : nullptr;
}

HRESULT OpenedDevice::destroy_session(HANDLE session) const {
  D3DDDIARG_DESTROYCRYPTOSESSION args{session};
  return funcs_.pfnDestroyCryptoSession(device_, &args);
}

ScopedSurface::ScopedSurface(const OpenedDevice& device, D3DDDIFORMAT format, UINT width,
                             UINT height, D3DDDI_POOL pool, bool restricted_content)
    : device_(device), format_(format), height_(height) {
  HRESULT hr = S_OK;
  handle_ = device_.create_surface(format, width, height, pool, restricted_content, &hr);
  if (handle_ == nullptr) {
    ADD_FAILURE() << "CreateResource returned " << hr_name(hr);
  }
}

ScopedSurface::~ScopedSurface() {
  if (handle_ != nullptr) {
    EXPECT_EQ(device_.destroy_surface(handle_), S_OK);
  }
}

std::unique_ptr<ScopedSurface> ScopedSurface::small_protected(const OpenedDevice& device) {
  return std::make_unique<ScopedSurface>(device, D3DDDIFMT_X8R8G8B8, 16, 4,
                                         D3DDDIPOOL_VIDEOMEMORY, true);
}

std::unique_ptr<ScopedSurface> ScopedSurface::system_memory(const OpenedDevice& device,
                                                            UINT bytes) {
  // X8R8G8B8 rows of 64 pixels = 256 bytes each.
  const UINT rows = (bytes + 255) / 256;
  return std::make_unique<ScopedSurface>(device, D3DDDIFMT_X8R8G8B8, 64, rows == 0 ? 1 : rows,
                                         D3DDDIPOOL_SYSTEMMEM, false);
}

KeyedSession::KeyedSession(const OpenedDevice& device, std::optional<Key> key,
                           ExchangeKey exchange)
    : device_(device), app_key_(key.value_or(kTestKey)) {
  HRESULT created = S_OK;
  session_ = device_.create_session(&created);
  if (session_ == nullptr) {
    ADD_FAILURE() << "CreateCryptoSession returned " << hr_name(created);
    return;
  }
  if (exchange == ExchangeKey::kNo) {
    return;
  }
  Bytes blob = device_.wrap_session_key(app_key_);
  const HRESULT hr = exchange_blob(blob);
  if (hr != S_OK) {
    ADD_FAILURE() << "CryptoSessionKeyExchange returned " << hr_name(hr);
  }
}

KeyedSession::~KeyedSession() {
  if (session_ != nullptr) {
    EXPECT_EQ(device_.destroy_session(session_), S_OK);
  }
}

HRESULT KeyedSession::exchange_blob(std::span<const std::uint8_t> blob, bool null_data) {
  Bytes copy(blob.begin(), blob.end());
  D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE args{session_, static_cast<UINT>(copy.size()),
                                          null_data ? nullptr : copy.data()};
  return device_.funcs().pfnCryptoSessionKeyExchange(device_.device(), &args);
}

HRESULT KeyedSession::rekey(const Key& key) {
  const HRESULT hr = exchange_blob(device_.wrap_session_key(key));
  if (hr == S_OK) {
    app_key_ = key;
    readback_key_.reset();
  }
  return hr;
}

HRESULT KeyedSession::destroy() {
  const HRESULT hr = device_.destroy_session(session_);
  session_ = nullptr;
  return hr;
}

HRESULT KeyedSession::start_refresh(Bytes* random_number, UINT size) {
  random_number->assign(size, 0);
  D3DDDIARG_STARTSESSIONKEYREFRESH args{session_, random_number->data(), size};
  return device_.funcs().pfnStartSessionKeyRefresh(device_.device(), &args);
}

HRESULT KeyedSession::start_refresh_raw(void* buffer, UINT size) {
  D3DDDIARG_STARTSESSIONKEYREFRESH args{session_, buffer, size};
  return device_.funcs().pfnStartSessionKeyRefresh(device_.device(), &args);
}

HRESULT KeyedSession::finish_refresh() {
  D3DDDIARG_FINISHSESSIONKEYREFRESH args{session_};
  return device_.funcs().pfnFinishSessionKeyRefresh(device_.device(), &args);
}

void KeyedSession::app_apply(std::span<const std::uint8_t> random_number) {
  for (std::size_t i = 0; i < app_key_.size(); ++i) {
    app_key_[i] ^= random_number[i];
  }
}

HRESULT KeyedSession::refresh() {
  Bytes number;
  if (HRESULT hr = start_refresh(&number); hr != S_OK) {
    return hr;
  }
  if (HRESULT hr = finish_refresh(); hr != S_OK) {
    return hr;
  }
  app_apply(number);
  return S_OK;
}

Iv KeyedSession::next_iv() { return make_iv(next_iv_++, 0); }

std::size_t KeyedSession::surface_bytes(const ScopedSurface& surface) const {
  return surface_bytes(surface.handle(), surface.format(), surface.height());
}

HRESULT KeyedSession::get_encryption_blt_key(Key* wrapped) {
  D3DDDIARG_GETENCRYPTIONBLTKEY args{session_, wrapped->data(), 16};
  return device_.funcs().pfnGetEncryptionBltKey(device_.device(), &args);
}

HRESULT KeyedSession::fetch_readback_key() {
  if ((device_.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACKKEY) == 0) {
    return S_OK;
  }
  Key wrapped{};
  const HRESULT hr = get_encryption_blt_key(&wrapped);
  if (hr == S_OK) {
    readback_key_ = ecb_unwrap(app_key_, wrapped);
  }
  return hr;
}

HRESULT KeyedSession::upload(const ScopedSurface& surface, std::span<const std::uint8_t> plain,
                             const Key& key) {
  const Iv iv = next_iv();
  return decryption_blt(surface.handle(), ctr(key, iv, plain), iv);
}

Bytes KeyedSession::download(const ScopedSurface& surface, HRESULT* hr) {
  return read_back(surface.handle(), surface_bytes(surface), hr);
}

::testing::AssertionResult KeyedSession::decrypts_under(const ScopedSurface& surface,
                                                        const Key& key, std::uint32_t seed) {
  const Bytes plain = pattern_bytes(surface_bytes(surface), seed);
  if (const HRESULT hr = upload(surface, plain, key); hr != S_OK) {
    return ::testing::AssertionFailure() << "DecryptionBlt returned " << hr_name(hr);
  }
  HRESULT hr = S_OK;
  const Bytes back = download(surface, &hr);
  if (hr != S_OK) {
    return ::testing::AssertionFailure() << "read-back returned " << hr_name(hr);
  }
  if (back != plain) {
    return ::testing::AssertionFailure() << "the surface does not hold the plaintext: the "
                                            "driver's key differs from the one tested";
  }
  return ::testing::AssertionSuccess() << "the driver decrypted with the key tested";
}

std::size_t KeyedSession::surface_bytes(HANDLE surface, D3DDDIFORMAT format, UINT height) const {
  D3DDDIARG_GETPITCH args{session_, surface, 0, 0};
  EXPECT_EQ(device_.funcs().pfnGetPitch(device_.device(), &args), S_OK);
  return wire::surface_bytes(args.Pitch, wire::surface_rows(format, height));
}

HRESULT KeyedSession::decryption_blt(HANDLE destination, std::span<const std::uint8_t> ciphertext,
                                     const Iv& iv, const D3DDDIENCRYPTED_BLOCK_INFO* block_info,
                                     const std::uint8_t* wrapped_content_key) {
  // A source big enough for the ciphertext: an X8R8G8B8 system-memory surface of whole rows.
  const UINT rows = static_cast<UINT>((ciphertext.size() + 255) / 256);
  HANDLE source = device_.create_surface(D3DDDIFMT_X8R8G8B8, 64, rows == 0 ? 1 : rows,
                                         D3DDDIPOOL_SYSTEMMEM, false);
  if (source == nullptr) {
    ADD_FAILURE() << "cannot create the source surface";
    return E_FAIL;
  }
  EXPECT_EQ(device_.write_surface(source, ciphertext), S_OK);
  Iv iv_copy = iv;
  D3DDDIENCRYPTED_BLOCK_INFO info_copy{};
  if (block_info != nullptr) {
    info_copy = *block_info;
  }
  Key content_key{};
  if (wrapped_content_key != nullptr) {
    std::memcpy(content_key.data(), wrapped_content_key, content_key.size());
  }
  D3DDDIARG_DECRYPTIONBLT args{};
  args.hCryptoSession = session_;
  args.hSrcResource = source;
  args.hDstResource = destination;
  args.SrcResourceSize = static_cast<UINT>((ciphertext.size() + 15) / 16 * 16);
  args.pEncryptedBlockInfo = block_info != nullptr ? &info_copy : nullptr;
  args.pContentKey = wrapped_content_key != nullptr ? content_key.data() : nullptr;
  args.pIV = iv_copy.data();
  const HRESULT hr = device_.funcs().pfnDecryptionBlt(device_.device(), &args);
  EXPECT_EQ(device_.destroy_surface(source), S_OK);
  return hr;
}

Bytes KeyedSession::read_back(HANDLE source, std::size_t len, HRESULT* hr, Iv* iv_out) {
  HRESULT ignored = S_OK;
  HRESULT& result = hr != nullptr ? *hr : ignored;
  D3DCONTENTPROTECTIONCAPS caps{};
  EXPECT_EQ(device_.content_protection_caps(&caps), S_OK);
  const bool separate_key = (caps.Caps & D3DCPCAPS_ENCRYPTEDREADBACKKEY) != 0;
  if (separate_key && !readback_key_) {
    Key wrapped{};
    D3DDDIARG_GETENCRYPTIONBLTKEY key_args{session_, wrapped.data(), 16};
    result = device_.funcs().pfnGetEncryptionBltKey(device_.device(), &key_args);
    if (result != S_OK) {
      return {};
    }
    readback_key_ = ecb_unwrap(app_key_, wrapped);
  }
  const std::size_t padded = (len + 15) / 16 * 16;
  const UINT rows = static_cast<UINT>((padded + 255) / 256);
  HANDLE destination = device_.create_surface(D3DDDIFMT_X8R8G8B8, 64, rows == 0 ? 1 : rows,
                                              D3DDDIPOOL_SYSTEMMEM, false);
  if (destination == nullptr) {
    ADD_FAILURE() << "cannot create the read-back surface";
    result = E_FAIL;
    return {};
  }
  Iv iv{};
  D3DDDIARG_ENCRYPTIONBLT args{};
  args.hCryptoSession = session_;
  args.hSrcResource = source;
  args.hDstResource = destination;
  args.DstResourceSize = static_cast<UINT>(padded);
  args.pIV = iv.data();
  result = device_.funcs().pfnEncryptionBlt(device_.device(), &args);
  Bytes plain;
  if (result == S_OK) {
    const Bytes encrypted = device_.read_surface(destination, padded);
    plain = ctr(separate_key ? *readback_key_ : app_key_, iv, encrypted);
    plain.resize(len);
    if (iv_out != nullptr) {
      *iv_out = iv;
    }
  }
  EXPECT_EQ(device_.destroy_surface(destination), S_OK);
  return plain;
}

}  // namespace cpddi::testing
