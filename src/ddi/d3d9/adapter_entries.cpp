// GetCaps, CreateDevice and CloseAdapter (spec §3).
#include <algorithm>
#include <cstring>

#include "ddi/d3d9/d3d9.h"
#include "ddi/guid.h"
#include "ddi/d3d9/handles.h"
#include "ddi/enum_value.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d9 {
namespace {

Result<void> content_protection_caps(const runtime::AdapterCaps& adapter,
                                     const D3DDDIARG_GETCAPS& args) {
  if (args.pInfo == nullptr || args.pData == nullptr) {
    return Error{Errc::kInvalidArgument, "null pInfo or pData"};
  }
  if (args.DataSize < sizeof(D3DCONTENTPROTECTIONCAPS)) {
    return Error{Errc::kInvalidArgument, "DataSize is smaller than D3DCONTENTPROTECTIONCAPS"};
  }
  const auto& info = *static_cast<const DDICONTENTPROTECTIONCAPS*>(args.pInfo);
  Result<caps::ContentProtectionCaps> caps = caps::content_protection_caps(
      adapter.config, crypto_type_of(info.CryptoType), !guid_is_zero(info.DecodeProfile));
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
Result<const crypto::Der*> certificate_for(const runtime::AdapterCaps& adapter, const void* pInfo) {
  if (pInfo == nullptr) {
    return Error{Errc::kInvalidArgument, "null pInfo"};
  }
  const auto& info = *static_cast<const DDICERTIFICATEINFO*>(pInfo);
  caps::CertificateType type = caps::CertificateType::kUnsupported;
  switch (enum_value(info.CertificateType)) {
    case D3DDDI_CERTTYPE_CRYPTOSESSION: type = caps::CertificateType::kCryptoSession; break;
    case D3DDDI_CERTTYPE_AUTHENTICATED_CHANNEL:
      // The channel certificate is the driver's one identity (spec §7.7), for the channel type
      // cpddi creates: software. Hardware channels (no cap HARDWARE) have none.
      if (enum_value(info.ChannelType) == DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE) {
        type = caps::CertificateType::kAuthenticatedChannel;
      }
      break;
  }
  return adapter.identity->certificate_for(adapter.container, type,
                                           crypto_type_of(info.CryptoSessionType));
}

}  // namespace

HRESULT APIENTRY GetCaps(HANDLE hAdapter, const D3DDDIARG_GETCAPS* pData) noexcept {
  return run_d3d9_entry("GetCaps", [&]() -> Result<void> {
    Result<std::shared_ptr<const runtime::AdapterCaps>> adapter =
        runtime::process_runtime().adapter_caps(named(hAdapter));
    if (!adapter) {
      return adapter.error();
    }
    if (pData == nullptr) {
      return Error{Errc::kInvalidArgument, "null D3DDDIARG_GETCAPS"};
    }
    switch (enum_value(pData->Type)) {
      case D3DDDICAPS_GETCONTENTPROTECTIONCAPS: return content_protection_caps(**adapter, *pData);
      case D3DDDICAPS_GETCERTIFICATESIZE: {
        Result<const crypto::Der*> cert = certificate_for(**adapter, pData->pInfo);
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
        Result<const crypto::Der*> cert = certificate_for(**adapter, pData->pInfo);
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
    if (pData == nullptr || pData->pDeviceFuncs == nullptr) {
      return Error{Errc::kInvalidArgument, "null D3DDDIARG_CREATEDEVICE or pDeviceFuncs"};
    }
    Result<runtime::Handle> device = runtime::process_runtime().create_device(named(hAdapter));
    if (!device) {
      return device.error();
    }
    fill_device_funcs(*pData->pDeviceFuncs);
    pData->hDevice = to_handle(*device);
    return {};
  });
}

HRESULT APIENTRY CloseAdapter(HANDLE hAdapter) noexcept {
  return run_d3d9_entry("CloseAdapter",
                        [&] { return runtime::process_runtime().close_adapter(named(hAdapter)); });
}

}  // namespace cpddi::ddi::d3d9
