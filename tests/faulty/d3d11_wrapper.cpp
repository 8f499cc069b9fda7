// The exported cpddi_d3d11_1_open_adapter of every faulty D3D11.1 driver module: the real
// adapter, whose CreateDevice is wrapped so that the real driver reports through this module's
// callback (which counts, may rewrite, and forwards to the runtime's) and its RetrieveSubObject
// hands out a patched video table (d3d11_wrapper.h). Like wrapper_common.cpp it links the
// driver's static library without src/ddi/d3d11_1/exports.cpp, so this export is the only one.
#include "d3d11_wrapper.h"

#include <map>
#include <memory>
#include <mutex>

#include "ddi/d3d11_1/d3d11_1.h"

namespace faulty11 {
namespace {

// One device's runtime callback; the real driver gets this record as its hRTCoreLayer.
struct Callback {
  PFND3D10DDI_SETERROR_CB runtime_cb = nullptr;
  D3D10DDI_HRTCORELAYER runtime_layer{};
  std::size_t reports = 0;
};

std::mutex g_mutex;
std::map<void*, std::unique_ptr<Callback>> g_callbacks;  // by device private memory
PFNCPDDI_D3D11_1_CREATEDEVICE g_real_create_device = nullptr;
PFNCPDDI_D3D11_1_DESTROYDEVICE g_real_destroy_device = nullptr;
PFND3D10DDI_RETRIEVESUBOBJECT g_real_retrieve = nullptr;
D3D11_1DDI_VIDEODEVICEFUNCS g_real_video{};
thread_local HRESULT (*t_rewrite)(HRESULT) = nullptr;

Callback* callback_of(D3D10DDI_HDEVICE hDevice) {
  const std::lock_guard<std::mutex> lock(g_mutex);
  const auto it = g_callbacks.find(hDevice.pDrvPrivate);
  return it != g_callbacks.end() ? it->second.get() : nullptr;
}

void forward(Callback& cb, HRESULT hr) {
  ++cb.reports;
  cb.runtime_cb(cb.runtime_layer, hr);
}

void APIENTRY ProxySetError(D3D10DDI_HRTCORELAYER layer, HRESULT hr) {
  forward(*static_cast<Callback*>(layer.handle), t_rewrite != nullptr ? t_rewrite(hr) : hr);
}

HRESULT APIENTRY RetrieveSubObject(D3D10DDI_HDEVICE hDevice, UINT32 SubDeviceID, SIZE_T ParamSize,
                                   void* pParams, SIZE_T OutputParamSize,
                                   void* pOutputParamsBuffer) {
  const HRESULT hr =
      g_real_retrieve(hDevice, SubDeviceID, ParamSize, pParams, OutputParamSize, pOutputParamsBuffer);
  if (hr == S_OK && SubDeviceID == D3D11_1DDI_VIDEO_FUNCTIONS) {
    D3D11_1DDI_VIDEODEVICEFUNCS& funcs = *static_cast<D3D11_1DDI_VIDEO_INPUT*>(pParams)->p11VideoDeviceFuncs;
    {
      const std::lock_guard<std::mutex> lock(g_mutex);
      g_real_video = funcs;  // every real device fills the same pointers
    }
    patch_video_funcs(funcs);
  }
  return hr;
}

HRESULT APIENTRY DestroyDevice(D3D10DDI_HDEVICE hDevice) {
  const HRESULT hr = g_real_destroy_device(hDevice);
  if (hr == S_OK) {
    const std::lock_guard<std::mutex> lock(g_mutex);
    g_callbacks.erase(hDevice.pDrvPrivate);
  }
  return hr;
}

HRESULT APIENTRY CreateDevice(D3D10DDI_HADAPTER hAdapter, CPDDI_D3D11_1_CREATEDEVICE* pCreate) {
  if (pCreate == nullptr || pCreate->pUMCallbacks == nullptr) {
    return g_real_create_device(hAdapter, pCreate);  // the real driver refuses these
  }
  auto cb = std::make_unique<Callback>();
  cb->runtime_cb = pCreate->pUMCallbacks->pfnSetErrorCb;
  cb->runtime_layer = pCreate->hRTCoreLayer;
  const D3D10DDI_CORELAYER_DEVICECALLBACKS proxy{&ProxySetError};
  CPDDI_D3D11_1_CREATEDEVICE create = *pCreate;
  create.pUMCallbacks = &proxy;
  create.hRTCoreLayer.handle = cb.get();
  const HRESULT hr = g_real_create_device(hAdapter, &create);
  if (hr != S_OK) {
    return hr;
  }
  {
    const std::lock_guard<std::mutex> lock(g_mutex);
    g_callbacks[pCreate->hDrvDevice.pDrvPrivate] = std::move(cb);
    g_real_retrieve = *pCreate->ppfnRetrieveSubObject;
    g_real_destroy_device = pCreate->pDeviceFuncs->pfnDestroyDevice;
  }
  *pCreate->ppfnRetrieveSubObject = &RetrieveSubObject;
  pCreate->pDeviceFuncs->pfnDestroyDevice = &DestroyDevice;
  return hr;
}

}  // namespace

const D3D11_1DDI_VIDEODEVICEFUNCS& real_video() { return g_real_video; }

std::size_t reports(D3D10DDI_HDEVICE hDevice) {
  const Callback* cb = callback_of(hDevice);
  return cb != nullptr ? cb->reports : 0;
}

void report(D3D10DDI_HDEVICE hDevice, HRESULT hr) {
  if (Callback* cb = callback_of(hDevice); cb != nullptr) {
    forward(*cb, hr);
  }
}

ReportRewrite::ReportRewrite(HRESULT (*rewrite)(HRESULT)) { t_rewrite = rewrite; }
ReportRewrite::~ReportRewrite() { t_rewrite = nullptr; }

}  // namespace faulty11

extern "C" CPDDI_EXPORT HRESULT cpddi_d3d11_1_open_adapter(CPDDI_D3D11_1_OPENADAPTER* pOpenData,
                                                           const CPDDI_ADAPTER_OPTIONS* pOptions) {
  const HRESULT hr = cpddi::ddi::d3d11_1::run_d3d11_entry("cpddi_d3d11_1_open_adapter", [&] {
    return cpddi::ddi::d3d11_1::open_adapter(pOpenData, pOptions);
  });
  if (hr == S_OK && pOpenData->pAdapterFuncs != nullptr) {
    faulty11::g_real_create_device = pOpenData->pAdapterFuncs->pfnCreateDevice;
    pOpenData->pAdapterFuncs->pfnCreateDevice = &faulty11::CreateDevice;
  }
  return hr;
}
