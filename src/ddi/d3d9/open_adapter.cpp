// OpenAdapter's body: translate CPDDI_ADAPTER_OPTIONS into the runtime's AdapterConfig
// (adapter_options.h), open the adapter, then publish its handle and function table.
#include "cpddi/cpddi.h"
#include "ddi/d3d9/d3d9.h"
#include "ddi/d3d9/handles.h"
#include "ddi/adapter_options.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d9 {

Result<void> open_adapter(D3DDDIARG_OPENADAPTER* pOpenData, const CPDDI_ADAPTER_OPTIONS* options) {
  if (pOpenData == nullptr || pOpenData->pAdapterFuncs == nullptr) {
    return Error{Errc::kInvalidArgument, "null D3DDDIARG_OPENADAPTER or pAdapterFuncs"};
  }
  Result<runtime::Handle> adapter = open_runtime_adapter(options);
  if (!adapter) {
    return adapter.error();
  }
  // Commit: publish the handle and the table only now that the adapter exists.
  fill_adapter_funcs(*pOpenData->pAdapterFuncs);
  pOpenData->hAdapter = to_handle(*adapter);
  pOpenData->DriverVersion = kDriverVersion;
  return {};
}

}  // namespace cpddi::ddi::d3d9
