// DecryptionBlt, EncryptionBlt and GetEncryptionBltKey (spec §4.5–§4.7): translate the WDK
// structs into runtime::DecryptionBltRequest / EncryptionBltRequest and call the runtime.
#include <cstring>

#include "ddi/d3d9/d3d9.h"
#include "ddi/d3d9/handles.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d9 {

HRESULT APIENTRY DecryptionBlt(HANDLE hDevice, const D3DDDIARG_DECRYPTIONBLT* pData) noexcept {
  return run_d3d9_entry("DecryptionBlt", pData, [&](auto& args) -> Result<void> {
    runtime::DecryptionBltRequest blt;
    blt.source = {named(args.hSrcResource), args.SrcSubResourceIndex};
    blt.destination = {named(args.hDstResource), args.DstSubResourceIndex};
    blt.source_size = args.SrcResourceSize;
    if (args.pEncryptedBlockInfo != nullptr) {
      const D3DDDIENCRYPTED_BLOCK_INFO& info = *args.pEncryptedBlockInfo;
      blt.pattern =
          session::BlockPattern{info.NumEncryptedBytesAtBeginning, info.NumBytesInSkipPattern,
                                info.NumBytesInEncryptPattern};
    }
    if (args.pContentKey != nullptr) {
      // D3D9 gives no size: AES-128-CTR content keys are one wrapped block (spec §4.5).
      blt.wrapped_content_key = sixteen_bytes(args.pContentKey);
    }
    if (args.pIV != nullptr) {
      blt.counter_block = sixteen_bytes(args.pIV);  // D3DAES_CTR_IV as stored (spec §7.1)
    }
    return runtime::process_runtime().decryption_blt(named(hDevice), named(args.hCryptoSession),
                                                     blt);
  });
}

HRESULT APIENTRY EncryptionBlt(HANDLE hDevice, const D3DDDIARG_ENCRYPTIONBLT* pData) noexcept {
  return run_d3d9_entry("EncryptionBlt", pData, [&](auto& args) -> Result<void> {
    if (args.pIV == nullptr) {
      return Error{Errc::kInvalidArgument, "pIV is null: the driver must return the IV it chose"};
    }
    const runtime::EncryptionBltRequest blt{{named(args.hSrcResource), args.SrcSubResourceIndex},
                                            {named(args.hDstResource), args.DstSubResourceIndex},
                                            args.DstResourceSize};
    Result<session::CounterBlock> iv =
        runtime::process_runtime().encryption_blt(named(hDevice), named(args.hCryptoSession), blt);
    if (!iv) {
      return iv.error();
    }
    std::memcpy(args.pIV, iv->data(), iv->size());
    return {};
  });
}

HRESULT APIENTRY GetEncryptionBltKey(HANDLE hDevice,
                                     const D3DDDIARG_GETENCRYPTIONBLTKEY* pData) noexcept {
  return run_d3d9_entry("GetEncryptionBltKey", pData, [&](auto& args) -> Result<void> {
    return runtime::process_runtime().get_encryption_blt_key(
        named(hDevice), named(args.hCryptoSession), out_bytes(args.pReadBackKey, args.KeySize));
  });
}

}  // namespace cpddi::ddi::d3d9
