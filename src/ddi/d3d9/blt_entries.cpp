// DecryptionBlt, EncryptionBlt and GetEncryptionBltKey (spec §4.5–§4.7): translate the WDK
// structs into session::DecryptionBltArgs / EncryptionBltArgs and call the session.
#include <cstring>

#include "ddi/d3d9/entry.h"
#include "ddi/d3d9/objects.h"

namespace cpddi::ddi::d3d9 {
namespace {

using ResourcePair =
    std::pair<std::shared_ptr<device::Resource>, std::shared_ptr<device::Resource>>;

// The source and destination of a blt: both live on this device, both subresource 0.
Result<ResourcePair> blt_resources(const LockedDevice& device, HANDLE source, UINT source_index,
                                   HANDLE destination, UINT destination_index) {
  Result<std::shared_ptr<device::Resource>> src = device.resource(source);
  if (!src) {
    return src.error();
  }
  Result<std::shared_ptr<device::Resource>> dst = device.resource(destination);
  if (!dst) {
    return dst.error();
  }
  if (source_index != 0 || destination_index != 0) {
    return Error{Errc::kInvalidArgument, "cpddi surfaces have only subresource 0"};
  }
  return ResourcePair{std::move(*src), std::move(*dst)};
}

}  // namespace

HRESULT APIENTRY DecryptionBlt(HANDLE hDevice, const D3DDDIARG_DECRYPTIONBLT* pData) noexcept {
  return run_d3d9_entry("DecryptionBlt", [&] {
    return with_session(hDevice, pData, [](LockedDevice& device, session::CryptoSession& cs,
                                           const D3DDDIARG_DECRYPTIONBLT& ddi) -> Result<void> {
      Result<ResourcePair> resources = blt_resources(device, ddi.hSrcResource,
                                                     ddi.SrcSubResourceIndex, ddi.hDstResource,
                                                     ddi.DstSubResourceIndex);
      if (!resources) {
        return resources.error();
      }
      session::DecryptionBltArgs blt;
      blt.source = std::move(resources->first);
      blt.destination = std::move(resources->second);
      blt.source_size = ddi.SrcResourceSize;
      if (ddi.pEncryptedBlockInfo != nullptr) {
        const D3DDDIENCRYPTED_BLOCK_INFO& info = *ddi.pEncryptedBlockInfo;
        blt.pattern = session::BlockPattern{info.NumEncryptedBytesAtBeginning,
                                            info.NumBytesInSkipPattern,
                                            info.NumBytesInEncryptPattern};
      }
      if (ddi.pContentKey != nullptr) {
        // D3D9 gives no size: AES-128-CTR content keys are one wrapped block (spec §4.5).
        blt.wrapped_content_key.emplace(static_cast<const std::uint8_t*>(ddi.pContentKey),
                                        session::kSessionKeyLen);
      }
      if (ddi.pIV != nullptr) {
        // Byte copy: the IV buffer need not be aligned, and its halves are big-endian (§7.1).
        session::CounterBlock block{};
        std::memcpy(block.data(), ddi.pIV, block.size());
        blt.counter_block = block;
      }
      return cs.decryption_blt(blt);
    });
  });
}

HRESULT APIENTRY EncryptionBlt(HANDLE hDevice, const D3DDDIARG_ENCRYPTIONBLT* pData) noexcept {
  return run_d3d9_entry("EncryptionBlt", [&] {
    return with_session(hDevice, pData, [](LockedDevice& device, session::CryptoSession& cs,
                                           const D3DDDIARG_ENCRYPTIONBLT& ddi) -> Result<void> {
      Result<ResourcePair> resources = blt_resources(device, ddi.hSrcResource,
                                                     ddi.SrcSubResourceIndex, ddi.hDstResource,
                                                     ddi.DstSubResourceIndex);
      if (!resources) {
        return resources.error();
      }
      if (ddi.pIV == nullptr) {
        return Error{Errc::kInvalidArgument, "pIV is null: the driver must return the IV it chose"};
      }
      Result<session::CounterBlock> iv = cs.encryption_blt(session::EncryptionBltArgs{
          std::move(resources->first), std::move(resources->second), ddi.DstResourceSize});
      if (!iv) {
        return iv.error();
      }
      std::memcpy(ddi.pIV, iv->data(), iv->size());
      return {};
    });
  });
}

HRESULT APIENTRY GetEncryptionBltKey(HANDLE hDevice,
                                     const D3DDDIARG_GETENCRYPTIONBLTKEY* pData) noexcept {
  return run_d3d9_entry("GetEncryptionBltKey", [&] {
    return with_session(hDevice, pData, [](LockedDevice&, session::CryptoSession& cs,
                                           const D3DDDIARG_GETENCRYPTIONBLTKEY& ddi) {
      return cs.get_encryption_blt_key(out_bytes(ddi.pReadBackKey, ddi.KeySize));
    });
  });
}

}  // namespace cpddi::ddi::d3d9
