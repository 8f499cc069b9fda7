#pragma once

// The D3D9 front end (spec §2): the driver's OpenAdapter / D3DDDI_ADAPTERFUNCS /
// D3DDDI_DEVICEFUNCS, with the D3DDDIARG_* structs built from conform's plain arguments. The one
// place in conform/ (besides surface_args.h) where the D3D9 function tables are called.

#include <memory>

#include "conform/conform.h"
#include "conform/driver_api.h"
#include "cpddi/cpddi.h"

namespace cpddi::conform {

class D3d9FrontEnd final : public FrontEnd {
 public:
  // `open_with_options` is optional (a driver other than cpddi need not export it).
  explicit D3d9FrontEnd(PFND3DDDI_OPENADAPTER open_adapter_fn,
                        OpenWithOptionsFn open_with_options_fn = nullptr)
      : open_adapter_(open_adapter_fn), open_with_options_(open_with_options_fn) {}

  const char* name() const override { return "d3d9"; }
  HRESULT code(Refusal refusal) const override;
  // D3D9 has every row but the error callback: the cases were written on it.
  const char* missing(DdiRow row) const override {
    return row == DdiRow::kErrorCallback
               ? "its entries return their HRESULT; there is no pfnSetErrorCb to judge"
               : nullptr;
  }
  bool can_open_with_options() const override { return open_with_options_ != nullptr; }
  HRESULT open_adapter(const CPDDI_ADAPTER_OPTIONS* options,
                       std::unique_ptr<AdapterCalls>* adapter) const override;
  HRESULT open_adapter_raw(HANDLE* adapter, bool null_funcs) const override;
  HRESULT open_adapter_with_null_argument_struct() const override;

 private:
  PFND3DDDI_OPENADAPTER open_adapter_;
  OpenWithOptionsFn open_with_options_;
};

}  // namespace cpddi::conform
