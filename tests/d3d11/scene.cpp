#include "d3d11/scene.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace cpddi::testing {

conform::D3d11Runtime& shared_runtime() {
  // One adapter per test binary (it owns an RSA identity); never destroyed while tests run.
  static conform::D3d11Runtime* const runtime = [] {
    std::unique_ptr<conform::D3d11Runtime> opened;
    const HRESULT hr = conform::D3d11Runtime::open(&cpddi_d3d11_1_open_adapter, nullptr, &opened);
    EXPECT_EQ(hr, S_OK) << hr_name(hr);
    return opened.release();
  }();
  return *runtime;
}

CPDDI_D3D11_1_CREATERESOURCE texture_desc(CPDDI_D3D11_1_USAGE usage, bool restricted) {
  CPDDI_D3D11_1_CREATERESOURCE desc{};
  desc.Format = CPDDI_D3D11_1_FORMAT_B8G8R8X8_UNORM;
  desc.Width = kWidth;
  desc.Height = kHeight;
  desc.Usage = usage;
  desc.MiscFlags = restricted ? D3D11_1DDI_RESOURCE_MISC_RESTRICTED_CONTENT : 0;
  return desc;
}

D3D11_1DDI_CERTIFICATE_INFO session_certificate_info() {
  D3D11_1DDI_CERTIFICATE_INFO info{};
  info.CertificateType = D3D11_1DDI_CERTIFICATE_TYPE_CRYPTO_SESSION;
  info.CryptoSessionType = D3D11_1DDI_CRYPTO_TYPE_AES128_CTR;
  return info;
}

Scene::Scene(CPDDI_D3D11_1_ERROR_MODE mode, UINT flags) {
  const HRESULT hr = shared_runtime().create_device(mode, &device_, flags);
  if (hr != S_OK || device_ == nullptr) {
    ADD_FAILURE() << "CreateDevice: " << hr_name(hr);
    throw std::runtime_error("no device");
  }
  leaf_ = conform::leaf_key_of(certificate(session_certificate_info()));
  session_ = new_session(kTestKey);
  source_ = new_resource(CPDDI_D3D11_1_USAGE_STAGING, false);
  destination_ = new_resource(CPDDI_D3D11_1_USAGE_DEFAULT, true);
  readback_ = new_resource(CPDDI_D3D11_1_USAGE_STAGING, false);
  device_->clear_errors();
}

Scene::~Scene() = default;

D3D11_1DDI_HCRYPTOSESSION Scene::new_session(const Key& key, bool keyed) {
  const D3D11_1DDIARG_CREATECRYPTOSESSION args{D3D11_1DDI_CRYPTO_TYPE_AES128_CTR, GUID{},
                                               D3D11_1DDI_KEY_EXCHANGE_RSAES_OAEP};
  D3D11_1DDI_HCRYPTOSESSION session{};
  EXPECT_EQ(device_->create_crypto_session(&args, &session), S_OK);
  if (keyed) {
    Bytes blob = wrap(key);
    EXPECT_EQ(device_->negotiate_crypto_session_key_exchange(
                  session, static_cast<UINT>(blob.size()), blob.data()),
              S_OK);
  }
  return session;
}

D3D10DDI_HRESOURCE Scene::new_resource(CPDDI_D3D11_1_USAGE usage, bool restricted) {
  const CPDDI_D3D11_1_CREATERESOURCE desc = texture_desc(usage, restricted);
  D3D10DDI_HRESOURCE resource{};
  const HRESULT hr = device_->create_resource(&desc, &resource);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
  return resource;
}

Bytes Scene::certificate(const D3D11_1DDI_CERTIFICATE_INFO& info) {
  UINT size = 0;
  EXPECT_EQ(device_->get_certificate_size(&info, &size), S_OK);
  Bytes cert(size);
  EXPECT_EQ(device_->get_certificate(&info, size, cert.data()), S_OK);
  return cert;
}

Bytes Scene::wrap(const Key& key) { return conform::oaep_wrap(*leaf_, key); }

void Scene::upload(D3D10DDI_HRESOURCE staging, const Bytes& bytes) {
  D3D10DDI_MAPPED_SUBRESOURCE mapped{};
  ASSERT_EQ(device_->map(staging, 0, 0, &mapped), S_OK);
  ASSERT_GE(std::size_t{mapped.DepthPitch}, bytes.size());
  std::memcpy(mapped.pData, bytes.data(), bytes.size());
  ASSERT_EQ(device_->unmap(staging, 0), S_OK);
}

Bytes Scene::download(D3D10DDI_HRESOURCE staging) {
  D3D10DDI_MAPPED_SUBRESOURCE mapped{};
  EXPECT_EQ(device_->map(staging, 0, 0, &mapped), S_OK);
  if (mapped.pData == nullptr) {
    return {};
  }
  const auto* data = static_cast<const std::uint8_t*>(mapped.pData);
  Bytes bytes(data, data + mapped.DepthPitch);
  EXPECT_EQ(device_->unmap(staging, 0), S_OK);
  return bytes;
}

Bytes Scene::decrypt_into_destination(const Key& key, std::uint32_t seed) {
  const Bytes plain = pattern_bytes(kSurfaceBytes, seed);
  const Iv iv = next_iv();
  const std::size_t reported = device_->errors().size();
  upload(source_, ctr(key, iv, plain));
  EXPECT_EQ(device_->decryption_blt(session_, source_, destination_, nullptr, 0, nullptr, 16,
                                    iv.data()),
            S_OK);
  EXPECT_EQ(device_->errors().size(), reported);
  return plain;
}

Bytes Scene::read_back(const Key& key) {
  Key wrapped{};
  EXPECT_EQ(device_->get_encryption_blt_key(session_, 16, wrapped.data()), S_OK);
  Iv iv{};
  EXPECT_EQ(device_->encryption_blt(session_, destination_, readback_, 16, iv.data()), S_OK);
  EXPECT_EQ(device_->flush(), S_OK);
  const Bytes cipher = download(readback_);
  return ctr(ecb_unwrap(key, wrapped), iv, std::span(cipher).first(kSurfaceBytes));
}

}  // namespace cpddi::testing
