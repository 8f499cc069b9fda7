// EncryptionBlt, DecryptionBlt and GetEncryptionBltKey (spec §4.5–§4.7 through §8.3): the sizes
// that travel with the pointers are checked here (16-byte content key and IV, §8.4), the rest is
// the runtime's. The D3D11.1 DDI passes no buffer size: the system-memory resource is the buffer.
#include <cstring>

#include "ddi/d3d11_1/d3d11_1.h"
#include "ddi/d3d11_1/handles.h"
#include "ddi/spans.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d11_1 {
namespace {

// Content keys and IVs of AES-128-CTR are one block each.
constexpr UINT kBlockSize = 16;

}  // namespace

void APIENTRY EncryptionBlt(D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                            D3D10DDI_HRESOURCE hSrcResource, D3D10DDI_HRESOURCE hDstResource,
                            UINT IVSize, const void* pIV) noexcept {
  run_void_entry("EncryptionBlt", hDevice, VoidEntryKind::kNoAppPath, [&]() -> Result<void> {
    if (pIV == nullptr || IVSize != kBlockSize) {
      return Error{Errc::kInvalidArgument, "pIV must be a 16-byte buffer for the driver's IV"};
    }
    runtime::EncryptionBltRequest blt;
    blt.source = {named(hSrcResource), 0};
    blt.destination = {named(hDstResource), 0};
    Result<session::CounterBlock> iv =
        runtime::process_runtime().encryption_blt(named(hDevice), named(hCryptoSession), blt);
    if (!iv) {
      return iv.error();
    }
    // Declared const by the WDK, yet the IV the driver chose goes there (spec §8.3).
    std::memcpy(const_cast<void*>(pIV), iv->data(), iv->size());
    return {};
  });
}

void APIENTRY DecryptionBlt(D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                            D3D10DDI_HRESOURCE hSrcResource, D3D10DDI_HRESOURCE hDstResource,
                            const D3D11_1DDI_ENCRYPTED_BLOCK_INFO* pEncryptedBlockInfo,
                            UINT ContentKeySize, const void* pContentKey, UINT IVSize,
                            const void* pIV) noexcept {
  const HRESULT hr = run_d3d11_entry("DecryptionBlt", [&]() -> Result<void> {
    if ((pContentKey != nullptr && ContentKeySize != kBlockSize) ||
        (pIV != nullptr && IVSize != kBlockSize)) {
      return Error{Errc::kInvalidArgument, "ContentKeySize and IVSize must be 16 (AES-128-CTR)"};
    }
    runtime::DecryptionBltRequest blt;
    blt.source = {named(hSrcResource), 0};
    blt.destination = {named(hDstResource), 0};
    if (pEncryptedBlockInfo != nullptr) {
      blt.pattern = session::BlockPattern{pEncryptedBlockInfo->NumEncryptedBytesAtBeginning,
                                          pEncryptedBlockInfo->NumBytesInSkipPattern,
                                          pEncryptedBlockInfo->NumBytesInEncryptPattern};
    }
    if (pContentKey != nullptr) {
      blt.wrapped_content_key = sixteen_bytes(pContentKey);
    }
    if (pIV != nullptr) {
      blt.counter_block = sixteen_bytes(pIV);  // D3DAES_CTR_IV as stored (spec §7.1)
    }
    return runtime::process_runtime().decryption_blt(named(hDevice), named(hCryptoSession), blt);
  });
  report_failure("DecryptionBlt", hDevice, VoidEntryKind::kNoAppPath, hr);
  if (FAILED(hr) && pEncryptedBlockInfo != nullptr && reports_in_block_info(hDevice)) {
    // The opt-in side channel (spec §8.4): the WDK declares the map const, the API does not.
    const_cast<D3D11_1DDI_ENCRYPTED_BLOCK_INFO*>(pEncryptedBlockInfo)->NumBytesInEncryptPattern =
        static_cast<UINT>(hr);
  }
}

void APIENTRY GetEncryptionBltKey(D3D10DDI_HDEVICE hDevice,
                                  D3D11_1DDI_HCRYPTOSESSION hCryptoSession, UINT KeySize,
                                  void* pReadbackKey) noexcept {
  run_void_entry("GetEncryptionBltKey", hDevice, VoidEntryKind::kApiVisible, [&] {
    return runtime::process_runtime().get_encryption_blt_key(
        named(hDevice), named(hCryptoSession), out_bytes(pReadbackKey, KeySize));
  });
}

}  // namespace cpddi::ddi::d3d11_1
