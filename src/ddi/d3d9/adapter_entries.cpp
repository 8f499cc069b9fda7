// GetCaps, CreateDevice and CloseAdapter (spec §3).
#include <algorithm>
#include <cstring>

#include "ddi/d3d9/entry.h"
#include "ddi/d3d9/guid.h"
#include "ddi/d3d9/objects.h"
#include "ddi/enum_value.h"

namespace cpddi::ddi::d3d9 {
namespace {

Result<void> content_protection_caps(const AdapterObject& adapter, const D3DDDIARG_GETCAPS& args) {
  if (args.pInfo == nullptr || args.pData == nullptr) {
    return Error{Errc::kInvalidArgument, "null pInfo or pData"};
  }
  if (args.DataSize < sizeof(D3DCONTENTPROTECTIONCAPS)) {
    return Error{Errc::kInvalidArgument, "DataSize is smaller than D3DCONTENTPROTECTIONCAPS"};
  }
  const auto& info = *static_cast<const DDICONTENTPROTECTIONCAPS*>(args.pInfo);
  Result<caps::ContentProtectionCaps> caps = caps::content_protection_caps(
      adapter.caps_config, crypto_type_of(info.CryptoType), !guid_is_zero(info.DecodeProfile));
  if (!caps) {
    return caps.error();
  }
  D3DCONTENTPROTECTIONCAPS out{};
  out.Caps = caps->caps;
  out.KeyExchangeType = D3DKEYEXCHANGE_RSAES_OAEP;
  out.BufferAlignmentStart = caps->buffer_alignment_start;
  out.BlockAlignmentSize = caps->block_alignment_size;
  out.ProtectedMemorySize = caps->protected_memory_size;
  std::memcpy(args.pData, &out, sizeof out);
  return {};
}

// The certificate GetCaps(43/44) describes, or why there is none.
Result<const crypto::Der*> certificate_for(const AdapterObject& adapter, const void* pInfo) {
  if (pInfo == nullptr) {
    return Error{Errc::kInvalidArgument, "null pInfo"};
  }
  const auto& info = *static_cast<const DDICERTIFICATEINFO*>(pInfo);
  const std::uint32_t certificate_type = enum_value(info.CertificateType);
  if (certificate_type == D3DDDI_CERTTYPE_AUTHENTICATED_CHANNEL) {
    return Error{Errc::kNotAvailable, "authenticated channels are not implemented yet"};
  }
  if (certificate_type != D3DDDI_CERTTYPE_CRYPTOSESSION) {
    return Error{Errc::kNotAvailable, "unknown CertificateType"};
  }
  if (crypto_type_of(info.CryptoSessionType) != caps::CryptoType::kAes128Ctr) {
    return Error{Errc::kNotAvailable, "no certificate for that crypto-session type"};
  }
  return &adapter.identity->certificate(adapter.container);
}

}  // namespace

HRESULT APIENTRY GetCaps(HANDLE hAdapter, const D3DDDIARG_GETCAPS* pData) noexcept {
  return run_d3d9_entry("GetCaps", [&]() -> Result<void> {
    std::shared_ptr<AdapterObject> adapter = adapters().find(hAdapter);
    if (!adapter) {
      return Error{Errc::kInvalidArgument, "unknown or closed adapter handle"};
    }
    if (pData == nullptr) {
      return Error{Errc::kInvalidArgument, "null D3DDDIARG_GETCAPS"};
    }
    switch (enum_value(pData->Type)) {
      case D3DDDICAPS_GETCONTENTPROTECTIONCAPS:
        return content_protection_caps(*adapter, *pData);
      case D3DDDICAPS_GETCERTIFICATESIZE: {
        Result<const crypto::Der*> cert = certificate_for(*adapter, pData->pInfo);
        if (!cert) {
          return cert.error();
        }
        if (pData->pData == nullptr || pData->DataSize < sizeof(UINT)) {
          return Error{Errc::kInvalidArgument, "GETCERTIFICATESIZE needs a UINT in pData"};
        }
        const UINT size = static_cast<UINT>((*cert)->size());
        std::memcpy(pData->pData, &size, sizeof size);
        return {};
      }
      case D3DDDICAPS_GETCERTIFICATE: {
        Result<const crypto::Der*> cert = certificate_for(*adapter, pData->pInfo);
        if (!cert) {
          return cert.error();
        }
        if (pData->pData == nullptr || pData->DataSize < (*cert)->size()) {
          return Error{Errc::kInvalidArgument, "DataSize is smaller than the certificate"};
        }
        std::copy((*cert)->begin(), (*cert)->end(), static_cast<std::uint8_t*>(pData->pData));
        return {};
      }
    }
    return Error{Errc::kNotAvailable, "cpddi answers only the content-protection caps types"};
  });
}

HRESULT APIENTRY CreateDevice(HANDLE hAdapter, D3DDDIARG_CREATEDEVICE* pData) noexcept {
  return run_d3d9_entry("CreateDevice", [&]() -> Result<void> {
    std::shared_ptr<AdapterObject> adapter = adapters().find(hAdapter);
    if (!adapter) {
      return Error{Errc::kInvalidArgument, "unknown or closed adapter handle"};
    }
    if (pData == nullptr || pData->pDeviceFuncs == nullptr) {
      return Error{Errc::kInvalidArgument, "null D3DDDIARG_CREATEDEVICE or pDeviceFuncs"};
    }
    auto object = std::make_shared<DeviceObject>();
    object->adapter = adapter;
    object->device =
        std::make_unique<device::Device>(adapter->limits, adapter->pool, adapter->blt_threads);
    fill_device_funcs(*pData->pDeviceFuncs);
    pData->hDevice = devices().insert(std::move(object));
    return {};
  });
}

HRESULT APIENTRY CloseAdapter(HANDLE hAdapter) noexcept {
  return run_d3d9_entry("CloseAdapter", [&]() -> Result<void> {
    // Devices hold their own reference to the adapter's state and stay usable.
    if (!adapters().remove(hAdapter)) {
      return Error{Errc::kInvalidArgument, "unknown or closed adapter handle"};
    }
    return {};
  });
}

}  // namespace cpddi::ddi::d3d9
