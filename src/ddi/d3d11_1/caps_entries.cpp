// What a device announces (spec §8.4, A41, A42): caps and key-exchange types (slots 58, 59),
// the certificate (63, 64) and the WDDM 2.0 private-data sizes (93). The D3D11.1 caps are the
// adapter's D3D9 caps bit for bit, plus DECRYPTION_BLT.
#include <algorithm>
#include <cstring>

#include "ddi/d3d11_1/d3d11_1.h"
#include "ddi/d3d11_1/handles.h"
#include "ddi/enum_value.h"
#include "ddi/guid.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d11_1 {
namespace {

static_assert(D3D11_1DDI_CONTENT_PROTECTION_CAPS_SOFTWARE == caps::kCapSoftware &&
                  D3D11_1DDI_CONTENT_PROTECTION_CAPS_ENCRYPTED_READ_BACK_KEY ==
                      caps::kCapEncryptedReadbackKey,
              "bits 0x1-0x200 mean the same in both DDIs (spec §2.4)");

// Spec §8.5 rows 58/59: an unknown or proprietary crypto type, or any decode profile (cpddi has
// no decoder, A34), is D3DDDIERR_UNSUPPORTEDCRYPTO; a NULL crypto type is E_INVALIDARG.
Result<caps::ContentProtectionCaps> device_caps(D3D10DDI_HDEVICE hDevice, const GUID* crypto_type,
                                                const GUID* decode_profile) {
  if (crypto_type == nullptr) {
    return Error{Errc::kInvalidArgument, "null pCryptoType"};
  }
  if (crypto_type_of(*crypto_type) != caps::CryptoType::kAes128Ctr) {
    return Error{Errc::kUnsupportedCrypto, "cpddi supports only D3D11_1DDI_CRYPTO_TYPE_AES128_CTR"};
  }
  Result<std::shared_ptr<const runtime::AdapterCaps>> adapter =
      runtime::process_runtime().device_caps(named(hDevice));
  if (!adapter) {
    return adapter.error();
  }
  return caps::content_protection_caps((*adapter)->config, caps::CryptoType::kAes128Ctr,
                                       decode_profile != nullptr && !guid_is_zero(*decode_profile));
}

// The certificate a D3D11_1DDI_CERTIFICATE_INFO names on this device (spec §7.7, §8.7).
Result<const crypto::Der*> certificate(D3D10DDI_HDEVICE hDevice,
                                       const D3D11_1DDI_CERTIFICATE_INFO* info) {
  if (info == nullptr) {
    return Error{Errc::kInvalidArgument, "null pCertificateInfo"};
  }
  Result<std::shared_ptr<const runtime::AdapterCaps>> adapter =
      runtime::process_runtime().device_caps(named(hDevice));
  if (!adapter) {
    return adapter.error();
  }
  caps::CertificateType type = caps::CertificateType::kUnsupported;
  caps::CryptoType crypto = caps::CryptoType::kNone;
  switch (enum_value(info->CertificateType)) {
    case D3D11_1DDI_CERTIFICATE_TYPE_CRYPTO_SESSION:
      type = caps::CertificateType::kCryptoSession;
      crypto = crypto_type_of(info->CryptoSessionType);
      break;
    case D3D11_1DDI_CERTIFICATE_TYPE_AUTHENTICATED_CHANNEL:
      // The one identity, for the channel type cpddi creates: software (as in D3D9).
      if (enum_value(info->ChannelType) == D3D11_1DDI_AUTHENTICATED_CHANNEL_DRIVER_SOFTWARE) {
        type = caps::CertificateType::kAuthenticatedChannel;
      }
      break;
  }
  return (*adapter)->identity->certificate_for((*adapter)->container, type, crypto);
}

}  // namespace

HRESULT APIENTRY GetContentProtectionCaps(D3D10DDI_HDEVICE hDevice, const GUID* pCryptoType,
                                          const GUID* pDecodeProfile,
                                          D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS* pCaps) noexcept {
  return run_d3d11_entry("GetContentProtectionCaps", [&]() -> Result<void> {
    if (pCaps == nullptr) {
      return Error{Errc::kInvalidArgument, "null pCaps"};
    }
    Result<caps::ContentProtectionCaps> caps = device_caps(hDevice, pCryptoType, pDecodeProfile);
    if (!caps) {
      return caps.error();
    }
    D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS out{};
    // DecryptionBlt is always offered: cpddi cannot switch it off.
    out.Caps = caps->caps | D3D11_1DDI_CONTENT_PROTECTION_CAPS_DECRYPTION_BLT;
    out.KeyExchangeTypeCount = 1;
    out.BlockAlignmentSize = caps->block_alignment_size;
    out.ProtectedMemorySize = caps->protected_memory_size;
    *pCaps = out;
    return {};
  });
}

HRESULT APIENTRY GetCryptoKeyExchangeType(D3D10DDI_HDEVICE hDevice, const GUID* pCryptoType,
                                          const GUID* pDecodeProfile, UINT Index,
                                          GUID* pKeyExchangeType) noexcept {
  return run_d3d11_entry("GetCryptoKeyExchangeType", [&]() -> Result<void> {
    if (pKeyExchangeType == nullptr) {
      return Error{Errc::kInvalidArgument, "null pKeyExchangeType"};
    }
    if (Result<caps::ContentProtectionCaps> caps =
            device_caps(hDevice, pCryptoType, pDecodeProfile);
        !caps) {
      return caps.error();
    }
    if (Index != 0) {
      return Error{Errc::kInvalidArgument, "Index >= KeyExchangeTypeCount (1)"};
    }
    *pKeyExchangeType = D3D11_1DDI_KEY_EXCHANGE_RSAES_OAEP;
    return {};
  });
}

void APIENTRY GetCertificateSize(D3D10DDI_HDEVICE hDevice,
                                 const D3D11_1DDI_CERTIFICATE_INFO* pCertificateInfo,
                                 UINT* pCertificateSize) noexcept {
  run_void_entry("GetCertificateSize", hDevice, VoidEntryKind::kApiVisible, [&]() -> Result<void> {
    Result<const crypto::Der*> cert = certificate(hDevice, pCertificateInfo);
    if (!cert) {
      return cert.error();
    }
    if (pCertificateSize == nullptr) {
      return Error{Errc::kInvalidArgument, "null pCertificateSize"};
    }
    *pCertificateSize = static_cast<UINT>((*cert)->size());
    return {};
  });
}

void APIENTRY GetCertificate(D3D10DDI_HDEVICE hDevice,
                             const D3D11_1DDI_CERTIFICATE_INFO* pCertificateInfo,
                             UINT CertificateSize, BYTE* pCertificate) noexcept {
  run_void_entry("GetCertificate", hDevice, VoidEntryKind::kApiVisible, [&]() -> Result<void> {
    Result<const crypto::Der*> cert = certificate(hDevice, pCertificateInfo);
    if (!cert) {
      return cert.error();
    }
    if (pCertificate == nullptr || CertificateSize < (*cert)->size()) {
      return Error{Errc::kInvalidArgument, "CertificateSize is smaller than the certificate"};
    }
    std::copy((*cert)->begin(), (*cert)->end(), pCertificate);
    return {};
  });
}

void APIENTRY GetCryptoSessionPrivateDataSize(D3D10DDI_HDEVICE hDevice, const GUID* pCryptoType,
                                              const GUID* pDecoderProfile,
                                              const GUID* pKeyExchangeType,
                                              UINT* pPrivateInputSize,
                                              UINT* pPrivateOutputSize) noexcept {
  run_void_entry(
      "GetCryptoSessionPrivateDataSize", hDevice, VoidEntryKind::kApiVisible,
      [&]() -> Result<void> {
        if (pKeyExchangeType == nullptr || pPrivateInputSize == nullptr ||
            pPrivateOutputSize == nullptr) {
          return Error{Errc::kInvalidArgument, "null pKeyExchangeType or output pointer"};
        }
        // Spec A42: every failure here is E_INVALIDARG, an unsupported crypto type included.
        if (Result<caps::ContentProtectionCaps> caps =
                device_caps(hDevice, pCryptoType, pDecoderProfile);
            !caps) {
          return Error{Errc::kInvalidArgument, caps.error().reason};
        }
        if (!guid_equal(*pKeyExchangeType, D3D11_1DDI_KEY_EXCHANGE_RSAES_OAEP)) {
          // HW_PROTECTION needs a hardware handler (spec §7.9); cpddi registers none.
          return Error{Errc::kInvalidArgument, "only RSAES-OAEP is supported (no HW_PROTECTION)"};
        }
        // RSAES-OAEP exchanges no private data.
        *pPrivateInputSize = 0;
        *pPrivateOutputSize = 0;
        return {};
      });
}

}  // namespace cpddi::ddi::d3d11_1
