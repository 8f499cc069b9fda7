// DecryptionBlt and EncryptionBlt as benchmark workloads: the surfaces, the keyed session and the
// read-back key are made once; an iteration is one blt plus pfnFlush, so an asynchronous device
// is measured up to the moment the bytes are really written.
#include <memory>
#include <string>

#include "bench/workloads.h"
#include "conform/session.h"

namespace cpddi::bench {
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
        session_(std::make_unique<conform::Session>(*device_)),
        protected_surface_(std::make_unique<conform::Surface>(
            *device_, shape.format, shape.width, shape.height, D3DDDIPOOL_VIDEOMEMORY, true)),
        system_surface_(std::make_unique<conform::Surface>(
            *device_, shape.format, shape.width, shape.height, D3DDDIPOOL_SYSTEMMEM, false)),
        len_(session_->surface_bytes(*protected_surface_)) {
    conform::require(len_ == shape.bytes(),
                     std::string(shape.name) + " surface of " + std::to_string(shape.bytes()) +
                         " bytes (pitch " + std::to_string(shape.pitch) + ")",
                     std::to_string(len_) + " bytes");
    conform::require(kind == BltKind::kDecryption || pattern == Pattern::kFull,
                     "a block map only on DecryptionBlt", "EncryptionBlt with a block map");
    const D3DDDI_DEVICEFUNCS& funcs = device_->funcs();
    conform::need(funcs.pfnFlush, "pfnFlush");
    if (kind == BltKind::kDecryption) {
      conform::need(funcs.pfnDecryptionBlt, "pfnDecryptionBlt");
      // What the bytes are does not change the work; they only have to be the same every run.
      device_->write_surface(system_surface_->handle(), conform::pattern_bytes(len_, 4));
    } else {
      conform::need(funcs.pfnEncryptionBlt, "pfnEncryptionBlt");
      session_->fetch_readback_key();
    }
  }

  void run_once() override {
    const D3DDDI_DEVICEFUNCS& funcs = device_->funcs();
    if (kind_ == BltKind::kDecryption) {
      conform::Iv iv = session_->next_iv();
      D3DDDIENCRYPTED_BLOCK_INFO block_info = kCenc1To9;
      D3DDDIARG_DECRYPTIONBLT args{};
      args.hCryptoSession = session_->handle();
      args.hSrcResource = system_surface_->handle();
      args.hDstResource = protected_surface_->handle();
      args.SrcResourceSize = static_cast<UINT>(len_);
      args.pEncryptedBlockInfo = pattern_ == Pattern::kCenc1To9 ? &block_info : nullptr;
      args.pIV = iv.data();
      conform::expect_hr(funcs.pfnDecryptionBlt(device_->handle(), &args), S_OK,
                         "DecryptionBlt with a fresh IV");
    } else {
      conform::Iv iv{};
      D3DDDIARG_ENCRYPTIONBLT args{};
      args.hCryptoSession = session_->handle();
      args.hSrcResource = protected_surface_->handle();
      args.hDstResource = system_surface_->handle();
      args.DstResourceSize = static_cast<UINT>(len_);
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
  std::unique_ptr<conform::Session> session_;
  std::unique_ptr<conform::Surface> protected_surface_;
  std::unique_ptr<conform::Surface> system_surface_;
  std::size_t len_;
};

}  // namespace

WorkloadPtr make_blt(const Rig& rig, BltKind kind, const SurfaceShape& shape, Pattern pattern,
                     BltThreads threads) {
  return std::make_unique<BltWorkload>(rig, kind, shape, pattern, threads);
}

}  // namespace cpddi::bench
