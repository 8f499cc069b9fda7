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
      : device_(device), refresh_every_(refresh_every), surfaces_(device, shape) {}

  void run_once() override {
    conform::Session& session = *surfaces_.session;
    if (refresh_every_ != 0 && ++frames_ % refresh_every_ == 0) {
      conform::expect_hr(session.refresh(), S_OK, "Start + Finish SessionKeyRefresh");
    }
    conform::Iv iv = session.next_iv();
    conform::BltArgs blt;
    blt.source = surfaces_.system_surface->handle();
    blt.destination = surfaces_.protected_surface->handle();
    blt.size = static_cast<UINT>(surfaces_.len);
    blt.iv = iv.data();
    conform::expect_hr(session.decryption_blt(blt), S_OK, "DecryptionBlt of a stream's frame");
    void* data = nullptr;
    UINT pitch = 0;
    conform::expect_hr(device_.lock(blt.source, 0, &data, &pitch), S_OK,
                       "Lock of the frame's source (waits for its blt)");
    conform::expect_hr(device_.unlock(blt.source), S_OK, "Unlock");
  }

 private:
  const conform::Device& device_;
  unsigned refresh_every_;
  unsigned frames_ = 0;
  SessionSurfaces surfaces_;  // the device outlives the stream
};

}  // namespace

WorkloadPtr make_stream(const conform::Device& device, const SurfaceShape& shape,
                        unsigned refresh_every) {
  return std::make_unique<StreamWorkload>(device, shape, refresh_every);
}

}  // namespace cpddi::bench
