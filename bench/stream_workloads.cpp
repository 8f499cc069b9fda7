// A player's stream as a workload: the frames one session decrypts on a device that other
// streams share (the latency and many-streams figures, concurrency.cpp).
#include <memory>
#include <string>

#include "bench/workloads.h"
#include "conform/session.h"

namespace cpddi::bench {
namespace {

class StreamWorkload final : public Workload {
 public:
  StreamWorkload(const conform::Device& device, const SurfaceShape& shape, unsigned refresh_every)
      : device_(device),
        refresh_every_(refresh_every),
        session_(std::make_unique<conform::Session>(device)),
        protected_surface_(std::make_unique<conform::Surface>(
            device, shape.format, shape.width, shape.height, D3DDDIPOOL_VIDEOMEMORY, true)),
        system_surface_(std::make_unique<conform::Surface>(
            device, shape.format, shape.width, shape.height, D3DDDIPOOL_SYSTEMMEM, false)),
        len_(session_->surface_bytes(*protected_surface_)) {
    conform::require(len_ == shape.bytes(), std::string(shape.name) + " stream surface",
                     std::to_string(len_) + " bytes");
    device.write_surface(system_surface_->handle(), conform::pattern_bytes(len_, 4));
  }

  void run_once() override {
    if (refresh_every_ != 0 && ++frames_ % refresh_every_ == 0) {
      conform::expect_hr(session_->refresh(), S_OK, "Start + Finish SessionKeyRefresh");
    }
    conform::Iv iv = session_->next_iv();
    conform::BltArgs blt;
    blt.source = system_surface_->handle();
    blt.destination = protected_surface_->handle();
    blt.size = static_cast<UINT>(len_);
    blt.iv = iv.data();
    conform::expect_hr(session_->decryption_blt(blt), S_OK, "DecryptionBlt of a stream's frame");
    void* data = nullptr;
    UINT pitch = 0;
    conform::expect_hr(device_.lock(system_surface_->handle(), 0, &data, &pitch), S_OK,
                       "Lock of the frame's source (waits for its blt)");
    conform::expect_hr(device_.unlock(system_surface_->handle()), S_OK, "Unlock");
  }

 private:
  const conform::Device& device_;
  unsigned refresh_every_;
  unsigned frames_ = 0;
  // Destroyed in reverse: the surfaces before the session; the device outlives the stream.
  std::unique_ptr<conform::Session> session_;
  std::unique_ptr<conform::Surface> protected_surface_;
  std::unique_ptr<conform::Surface> system_surface_;
  std::size_t len_;
};

}  // namespace

WorkloadPtr make_stream(const conform::Device& device, const SurfaceShape& shape,
                        unsigned refresh_every) {
  return std::make_unique<StreamWorkload>(device, shape, refresh_every);
}

}  // namespace cpddi::bench
