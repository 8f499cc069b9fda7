// DecryptionBlt and EncryptionBlt as benchmark workloads: the surfaces, the keyed session and the
// read-back key are made once; an iteration is one blt plus pfnFlush, so an asynchronous device
// is measured up to the moment the bytes are really written.
#include <memory>
#include <string>

#include "bench/workloads.h"
#include "conform/session.h"

namespace cpddi::bench {

SessionSurfaces::SessionSurfaces(const conform::Device& device, const SurfaceShape& shape)
    : session(std::make_unique<conform::Session>(device)),
      protected_surface(std::make_unique<conform::Surface>(
          device, shape.format, shape.width, shape.height, D3DDDIPOOL_VIDEOMEMORY, true)),
      system_surface(std::make_unique<conform::Surface>(
          device, shape.format, shape.width, shape.height, D3DDDIPOOL_SYSTEMMEM, false)),
      len(session->surface_bytes(*protected_surface)) {
  conform::require(len == shape.bytes(),
                   std::string(shape.name) + " surface of " + std::to_string(shape.bytes()) +
                       " bytes (pitch " + std::to_string(shape.pitch) + ")",
                   std::to_string(len) + " bytes");
  device.write_surface(system_surface->handle(), conform::pattern_bytes(len, 4));
}

namespace {

// D3DDDIENCRYPTED_BLOCK_INFO for Pattern::kCenc1To9 (CENC's 1:9 pattern of 16-byte blocks).
constexpr D3DDDIENCRYPTED_BLOCK_INFO kCenc1To9{0, 144, 16};

class BltWorkload final : public Workload {
 public:
  BltWorkload(const Rig& rig, BltKind kind, const SurfaceShape& shape, Pattern pattern,
              BltThreads threads)
      : kind_(kind),
        pattern_(pattern),
        adapter_(rig.open_adapter(threads)),
        device_(std::make_unique<conform::Device>(*adapter_)),
        surfaces_(std::make_unique<SessionSurfaces>(*device_, shape)) {
    conform::require(kind == BltKind::kDecryption || pattern == Pattern::kFull,
                     "a block map only on DecryptionBlt", "EncryptionBlt with a block map");
    const D3DDDI_DEVICEFUNCS& funcs = device_->funcs();
    conform::need(funcs.pfnFlush, "pfnFlush");
    if (kind == BltKind::kDecryption) {
      conform::need(funcs.pfnDecryptionBlt, "pfnDecryptionBlt");
    } else {
      conform::need(funcs.pfnEncryptionBlt, "pfnEncryptionBlt");
      surfaces_->session->fetch_readback_key();
    }
  }

  void run_once() override {
    const D3DDDI_DEVICEFUNCS& funcs = device_->funcs();
    const SessionSurfaces& s = *surfaces_;
    if (kind_ == BltKind::kDecryption) {
      conform::Iv iv = s.session->next_iv();
      D3DDDIENCRYPTED_BLOCK_INFO block_info = kCenc1To9;
      D3DDDIARG_DECRYPTIONBLT args{};
      args.hCryptoSession = s.session->handle();
      args.hSrcResource = s.system_surface->handle();
      args.hDstResource = s.protected_surface->handle();
      args.SrcResourceSize = static_cast<UINT>(s.len);
      args.pEncryptedBlockInfo = pattern_ == Pattern::kCenc1To9 ? &block_info : nullptr;
      args.pIV = iv.data();
      conform::expect_hr(funcs.pfnDecryptionBlt(device_->handle(), &args), S_OK,
                         "DecryptionBlt with a fresh IV");
    } else {
      conform::Iv iv{};
      D3DDDIARG_ENCRYPTIONBLT args{};
      args.hCryptoSession = s.session->handle();
      args.hSrcResource = s.protected_surface->handle();
      args.hDstResource = s.system_surface->handle();
      args.DstResourceSize = static_cast<UINT>(s.len);
      args.pIV = iv.data();
      conform::expect_hr(funcs.pfnEncryptionBlt(device_->handle(), &args), S_OK,
                         "EncryptionBlt");
    }
    conform::expect_hr(funcs.pfnFlush(device_->handle()), S_OK, "Flush");
  }

 private:
  BltKind kind_;
  Pattern pattern_;
  // Destroyed in reverse: surfaces and session before the device, the device before the adapter.
  std::unique_ptr<conform::Adapter> adapter_;
  std::unique_ptr<conform::Device> device_;
  std::unique_ptr<SessionSurfaces> surfaces_;
};

}  // namespace

WorkloadPtr make_blt(const Rig& rig, BltKind kind, const SurfaceShape& shape, Pattern pattern,
                     BltThreads threads) {
  return std::make_unique<BltWorkload>(rig, kind, shape, pattern, threads);
}

}  // namespace cpddi::bench
