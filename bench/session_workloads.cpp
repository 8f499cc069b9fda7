// Session-level workloads: key refresh, key exchange, create + destroy, and the heap a live
// session holds.
#include <malloc.h>

#include <memory>
#include <vector>

#include "bench/workloads.h"
#include "conform/session.h"

namespace cpddi::bench {
namespace {

// An adapter, a device and one session keyed with conform::kTestKey.
struct KeyedSession {
  explicit KeyedSession(const Rig& rig)
      : adapter(rig.open_adapter(BltThreads::kOne)),
        device(std::make_unique<conform::Device>(*adapter)),
        session(std::make_unique<conform::Session>(*device)) {}

  std::unique_ptr<conform::Adapter> adapter;
  std::unique_ptr<conform::Device> device;
  std::unique_ptr<conform::Session> session;
};

class KeyRefreshWorkload final : public Workload {
 public:
  explicit KeyRefreshWorkload(const Rig& rig) : keyed_(rig) {}
  // conform::Session::refresh is exactly the round trip: Start, Finish, and the application's
  // XOR into its model of the key.
  void run_once() override {
    conform::expect_hr(keyed_.session->refresh(), S_OK, "Start + Finish SessionKeyRefresh");
  }

 private:
  KeyedSession keyed_;
};

class KeyExchangeWorkload final : public Workload {
 public:
  explicit KeyExchangeWorkload(const Rig& rig)
      : keyed_(rig), blob_(keyed_.adapter->wrap_session_key(conform::kTestKey)) {}
  void run_once() override {
    conform::expect_hr(keyed_.session->exchange_blob(blob_), S_OK,
                       "CryptoSessionKeyExchange on a keyed session (re-key)");
  }

 private:
  KeyedSession keyed_;
  conform::Bytes blob_;
};

class SessionCreateDestroyWorkload final : public Workload {
 public:
  explicit SessionCreateDestroyWorkload(const Rig& rig)
      : adapter_(rig.open_adapter(BltThreads::kOne)),
        device_(std::make_unique<conform::Device>(*adapter_)) {}
  void run_once() override {
    HRESULT created = S_OK;
    HANDLE session = device_->create_session(&created);
    conform::expect_hr(created, S_OK, "CreateCryptoSession");
    conform::expect_hr(device_->destroy_session(session), S_OK, "DestroyCryptoSession");
  }

 private:
  std::unique_ptr<conform::Adapter> adapter_;
  std::unique_ptr<conform::Device> device_;
};

// Heap bytes in use: small blocks (uordblks) plus mmapped large ones (hblkhd), over all arenas.
double heap_in_use() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<double>(info.uordblks + info.hblkhd);
}

}  // namespace

WorkloadPtr make_key_refresh(const Rig& rig) { return std::make_unique<KeyRefreshWorkload>(rig); }

WorkloadPtr make_key_exchange(const Rig& rig) {
  return std::make_unique<KeyExchangeWorkload>(rig);
}

WorkloadPtr make_session_create_destroy(const Rig& rig) {
  return std::make_unique<SessionCreateDestroyWorkload>(rig);
}

SessionMemory measure_session_memory(const Rig& rig, UINT sessions) {
  conform::require(sessions > 0, "at least one session to measure", "0");
  std::unique_ptr<conform::Adapter> adapter = rig.open_adapter(BltThreads::kOne, sessions);
  conform::Device device(*adapter);
  conform::Bytes blob = adapter->wrap_session_key(conform::kTestKey);
  const D3DDDI_DEVICEFUNCS& funcs = device.funcs();
  conform::need(funcs.pfnCryptoSessionKeyExchange, "pfnCryptoSessionKeyExchange");

  // Everything the measurement itself needs is allocated before the first reading, so the
  // deltas hold only what the driver keeps per session.
  std::vector<HANDLE> handles;
  handles.reserve(sessions);
  const double before = heap_in_use();
  for (UINT i = 0; i < sessions; ++i) {
    HRESULT created = S_OK;
    handles.push_back(device.create_session(&created));
    conform::expect_hr(created, S_OK, "CreateCryptoSession below MaxSessionsPerDevice");
  }
  const double created = heap_in_use();
  for (HANDLE session : handles) {
    D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE args{session, static_cast<UINT>(blob.size()),
                                            blob.data()};
    conform::expect_hr(funcs.pfnCryptoSessionKeyExchange(device.handle(), &args), S_OK,
                       "CryptoSessionKeyExchange");
  }
  const double keyed = heap_in_use();
  for (HANDLE session : handles) {
    conform::expect_hr(device.destroy_session(session), S_OK, "DestroyCryptoSession");
  }
  return SessionMemory{sessions, (created - before) / sessions, (keyed - before) / sessions};
}

}  // namespace cpddi::bench
