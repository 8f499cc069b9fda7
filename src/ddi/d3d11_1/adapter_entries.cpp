// cpddi_d3d11_1_open_adapter's body and the compact adapter table: CalcPrivateDeviceSize,
// CreateDevice, CloseAdapter (docs/d3d11.md).
#include "ddi/adapter_options.h"
#include "ddi/enum_value.h"
#include "ddi/d3d11_1/d3d11_1.h"
#include "ddi/d3d11_1/handles.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d11_1 {
namespace {

// cpddi keeps nothing in a device's private memory; it only needs an address no other live object
// has, which any allocation of at least one byte gives. 16 keeps the block naturally aligned.
constexpr SIZE_T kPrivateDeviceSize = 16;

}  // namespace

Result<void> open_adapter(CPDDI_D3D11_1_OPENADAPTER* pOpenData,
                          const CPDDI_ADAPTER_OPTIONS* options) {
  if (pOpenData == nullptr || pOpenData->pAdapterFuncs == nullptr) {
    return Error{Errc::kInvalidArgument, "null CPDDI_D3D11_1_OPENADAPTER or pAdapterFuncs"};
  }
  Result<runtime::Handle> adapter = open_runtime_adapter(options);
  if (!adapter) {
    return adapter.error();
  }
  // Commit: publish the handle and the table only now that the adapter exists.
  pOpenData->pAdapterFuncs->pfnCalcPrivateDeviceSize = CalcPrivateDeviceSize;
  pOpenData->pAdapterFuncs->pfnCreateDevice = CreateDevice;
  pOpenData->pAdapterFuncs->pfnCloseAdapter = CloseAdapter;
  pOpenData->hAdapter.pDrvPrivate = to_handle(*adapter);
  pOpenData->DriverVersion = kDriverVersion;
  return {};
}

SIZE_T APIENTRY CalcPrivateDeviceSize(D3D10DDI_HADAPTER,
                                      const CPDDI_D3D11_1_CREATEDEVICE*) noexcept {
  return kPrivateDeviceSize;
}

HRESULT APIENTRY CreateDevice(D3D10DDI_HADAPTER hAdapter,
                              CPDDI_D3D11_1_CREATEDEVICE* pCreateData) noexcept {
  return run_d3d11_entry("CreateDevice", [&]() -> Result<void> {
    if (pCreateData == nullptr || pCreateData->pUMCallbacks == nullptr ||
        pCreateData->pDeviceFuncs == nullptr || pCreateData->ppfnRetrieveSubObject == nullptr) {
      return Error{Errc::kInvalidArgument,
                   "null CPDDI_D3D11_1_CREATEDEVICE, pUMCallbacks, pDeviceFuncs or "
                   "ppfnRetrieveSubObject"};
    }
    const ErrorReporting reporting{pCreateData->pUMCallbacks->pfnSetErrorCb,
                                   pCreateData->hRTCoreLayer, enum_value(pCreateData->ErrorMode),
                                   pCreateData->Flags};
    if (Result<void> registered = register_device(named(hAdapter), pCreateData->hDrvDevice,
                                                  reporting);
        !registered) {
      return registered;
    }
    CPDDI_D3D11_1_DEVICEFUNCS& funcs = *pCreateData->pDeviceFuncs;
    funcs.pfnCalcPrivateResourceSize = CalcPrivateResourceSize;
    funcs.pfnCreateResource = CreateResource;
    funcs.pfnDestroyResource = DestroyResource;
    funcs.pfnResourceMap = ResourceMap;
    funcs.pfnResourceUnmap = ResourceUnmap;
    funcs.pfnFlush = Flush;
    funcs.pfnDestroyDevice = DestroyDevice;
    *pCreateData->ppfnRetrieveSubObject = RetrieveSubObject;
    return {};
  });
}

HRESULT APIENTRY CloseAdapter(D3D10DDI_HADAPTER hAdapter) noexcept {
  return run_d3d11_entry("CloseAdapter",
                         [&] { return runtime::process_runtime().close_adapter(named(hAdapter)); });
}

}  // namespace cpddi::ddi::d3d11_1
