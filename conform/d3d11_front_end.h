#pragma once

// The D3D11.1 front end (spec §8): conform's driver interface (driver_api.h) on the D3D11.1 video
// DDI, driven through the test runtime (d3d11_runtime.h) exactly as the D3D11 runtime drives a
// driver — private memory sized by CalcPrivate*Size, errors of void entries taken from what the
// runtime's pfnSetErrorCb received during the call. The one place in conform/ where the D3D11.1
// tables are called for the cases.
//
// Handles: the cases name objects by HANDLE, as in D3D9. A crypto session's HANDLE is the value
// CryptoSessionGetHandle returns (the one channel payloads carry, spec §8.7), a channel's the
// hChannel CreateAuthenticatedChannel wrote (A39), a resource's a value of this front end's own;
// each maps to the runtime's private memory while the object lives. A HANDLE that maps to nothing
// (destroyed, foreign, garbage) is passed as the private-memory address itself, which names nothing
// live, so the driver sees a dead handle as a real runtime would pass one.
//
// What the D3D11.1 DDI cannot express (argument structs passed as null, GetPitch, Lock's D3D9
// fields, caps Types, D3D9 DataSize and pSysMem arguments) is skipped with its reason, never
// answered by the front end.

#include <memory>

#include "conform/driver_api.h"
#include "cpddi/cpddi.h"

namespace cpddi::conform {

class D3d11Handles;  // the HANDLE ↔ private-memory maps, shared by every adapter
                     // of a run

class D3d11FrontEnd final : public FrontEnd {
 public:
  explicit D3d11FrontEnd(PFNCPDDI_D3D11_1_OPENADAPTER open_adapter_fn);
  ~D3d11FrontEnd() override;

  const char* name() const override { return "d3d11"; }
  HRESULT code(Refusal refusal) const override;
  const char* missing(DdiRow row) const override;
  bool can_open_with_options() const override { return true; }
  HRESULT open_adapter(const CPDDI_ADAPTER_OPTIONS* options,
                       std::unique_ptr<AdapterCalls>* adapter) const override;
  HRESULT open_adapter_raw(HANDLE* adapter, bool null_funcs) const override;
  HRESULT open_adapter_with_null_argument_struct() const override;

 private:
  PFNCPDDI_D3D11_1_OPENADAPTER open_adapter_;
  std::shared_ptr<D3d11Handles> handles_;
};

}  // namespace cpddi::conform
