// The D3D11.1 front end's exported symbol (CPDDI_EXPORT, C linkage).
#include "cpddi/cpddi.h"
#include "ddi/d3d11_1/d3d11_1.h"

extern "C" CPDDI_EXPORT HRESULT cpddi_d3d11_1_open_adapter(CPDDI_D3D11_1_OPENADAPTER* pOpenData,
                                                           const CPDDI_ADAPTER_OPTIONS* pOptions) {
  return cpddi::ddi::d3d11_1::run_d3d11_entry("cpddi_d3d11_1_open_adapter", [&] {
    return cpddi::ddi::d3d11_1::open_adapter(pOpenData, pOptions);
  });
}
