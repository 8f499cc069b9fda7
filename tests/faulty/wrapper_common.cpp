// The exported OpenAdapter and cpddi_open_adapter_with_options of every faulty driver module,
// the CreateDevice that patches the device table, and the probes into the real driver's state
// (wrapper_common.h).
//
// Why the module links cpddi::ddi_d3d9 and calls cpddi::ddi::d3d9::open_adapter directly: the
// real driver's exported C symbols (OpenAdapter, cpddi_open_adapter_with_options, …) are all
// defined in one object, src/ddi/d3d9/exports.cpp (the static target cpddi::driver). Linking it
// would give the module two definitions of OpenAdapter (its and ours) — a duplicate-symbol
// error, or with archive tricks an export that silently is the real driver's. cpddi::ddi_d3d9 is
// the same driver without exports.cpp, so this file's two exports are the only ones there are,
// and they open the adapter exactly as the real ones do (same body, same HRESULT mapping). The
// module's version script (faulty_driver.map) exports these two alone. The second is there so
// that the conform cases that switch a cap off (Driver::open_with_options) run against faults
// too instead of skipping.
#include "wrapper_common.h"

#include <memory>
#include <mutex>

#include "caps/driver_identity.h"
#include "ddi/d3d9/d3d9.h"
#include "ddi/d3d9/handles.h"
#include "ddi/enum_value.h"
#include "runtime/runtime.h"

namespace faulty {
namespace {

// The real tables never change (every real CreateDevice fills the same function pointers), so
// they are captured once.
std::once_flag g_adapter_once;
D3DDDI_ADAPTERFUNCS g_real_adapter{};
std::once_flag g_device_once;
D3DDDI_DEVICEFUNCS g_real_device{};

// The adapters opened with the IV check off, and their devices (for iv_check_on): handles as
// keys, the value unused.
StateMap<bool> g_iv_check_off_adapters;
StateMap<bool> g_iv_check_off_devices;
// Each device's adapter identity key (identity_key()).
StateMap<std::shared_ptr<const cpddi::crypto::RsaPrivateKey>> g_identity_keys;

HRESULT APIENTRY WrappedCreateDevice(HANDLE hAdapter, D3DDDIARG_CREATEDEVICE* pData) {
  const HRESULT hr = g_real_adapter.pfnCreateDevice(hAdapter, pData);
  if (hr != S_OK) {
    return hr;
  }
  using cpddi::ddi::d3d9::named;
  if (auto caps = cpddi::runtime::process_runtime().adapter_caps(named(hAdapter));
      caps && (*caps)->identity != nullptr) {
    g_identity_keys.with([&](auto& map) { map[pData->hDevice] = (*caps)->identity->private_key(); });
  }
  std::call_once(g_device_once, [&] { g_real_device = *pData->pDeviceFuncs; });
  if (g_iv_check_off_adapters.with([&](auto& map) { return map.contains(hAdapter); })) {
    g_iv_check_off_devices.with([&](auto& map) { map[pData->hDevice] = true; });
  }
  patch_device_funcs(*pData->pDeviceFuncs);
  return hr;
}

}  // namespace

const D3DDDI_DEVICEFUNCS& real() { return g_real_device; }
const D3DDDI_ADAPTERFUNCS& real_adapter() { return g_real_adapter; }

HRESULT get_caps_rewritten(HANDLE hAdapter, const D3DDDIARG_GETCAPS* pData,
                           const std::function<bool(DDICONTENTPROTECTIONCAPS&)>& rewrite) {
  // The Type field is read as an integer: a caller may store any value (ddi/enum_value.h).
  if (pData == nullptr ||
      cpddi::ddi::enum_value(pData->Type) != D3DDDICAPS_GETCONTENTPROTECTIONCAPS ||
      pData->pInfo == nullptr) {
    return g_real_adapter.pfnGetCaps(hAdapter, pData);
  }
  DDICONTENTPROTECTIONCAPS info = *static_cast<const DDICONTENTPROTECTIONCAPS*>(pData->pInfo);
  if (!rewrite(info)) {
    return g_real_adapter.pfnGetCaps(hAdapter, pData);
  }
  D3DDDIARG_GETCAPS rewritten = *pData;
  rewritten.pInfo = &info;
  return g_real_adapter.pfnGetCaps(hAdapter, &rewritten);
}

// The probes ask the real driver's runtime directly, through its introspection calls.
bool session_live(HANDLE hDevice, HANDLE hSession) {
  using cpddi::ddi::d3d9::named;
  return cpddi::runtime::process_runtime()
      .crypto_session_status(named(hDevice), named(hSession))
      .has_value();
}

bool refresh_pending(HANDLE hDevice, HANDLE hSession) {
  using cpddi::ddi::d3d9::named;
  cpddi::Result<cpddi::runtime::CryptoSessionStatus> status =
      cpddi::runtime::process_runtime().crypto_session_status(named(hDevice), named(hSession));
  return status && status->refresh_pending;
}

bool iv_check_on(HANDLE hDevice) {
  return !g_iv_check_off_devices.with([&](auto& map) { return map.contains(hDevice); });
}

std::optional<ProtectedSurface> protected_surface(HANDLE hDevice, HANDLE hResource) {
  using cpddi::ddi::d3d9::named;
  cpddi::Result<cpddi::runtime::ResourceStatus> status =
      cpddi::runtime::process_runtime().resource_status(named(hDevice), named(hResource));
  if (!status || !status->is_protected) {
    return std::nullopt;
  }
  return ProtectedSurface{status->layout.pitch, status->layout.rows};
}

std::shared_ptr<const cpddi::crypto::RsaPrivateKey> identity_key(HANDLE hDevice) {
  return g_identity_keys.with(
      [&](auto& map) -> std::shared_ptr<const cpddi::crypto::RsaPrivateKey> {
        auto it = map.find(hDevice);
        return it == map.end() ? nullptr : it->second;
      });
}

}  // namespace faulty

namespace faulty {
namespace {

// What both exports do once the real adapter is open: keep its table, substitute CreateDevice,
// and let the faulty driver patch adapter slots.
HRESULT wrap_opened_adapter(D3DDDIARG_OPENADAPTER* pOpenData, HRESULT hr) {
  if (hr != S_OK) {
    return hr;
  }
  std::call_once(g_adapter_once, [&] { g_real_adapter = *pOpenData->pAdapterFuncs; });
  pOpenData->pAdapterFuncs->pfnCreateDevice = &WrappedCreateDevice;
  if (&patch_adapter_funcs != nullptr) {
    patch_adapter_funcs(*pOpenData->pAdapterFuncs);
  }
  return hr;
}

}  // namespace
}  // namespace faulty

// The module's two exports (see the comment at the top), each the real one's body wrapped the
// same way. With options (DisabledCaps, a small protected pool, …) the adapter's table holds the
// same function pointers, so the one captured real table serves adapters opened either way.
extern "C" CPDDI_EXPORT HRESULT APIENTRY OpenAdapter(D3DDDIARG_OPENADAPTER* pOpenData) {
  return faulty::wrap_opened_adapter(
      pOpenData, cpddi::ddi::d3d9::run_d3d9_entry("OpenAdapter", [&] {
        return cpddi::ddi::d3d9::open_adapter(pOpenData, nullptr);
      }));
}

extern "C" CPDDI_EXPORT HRESULT cpddi_open_adapter_with_options(
    D3DDDIARG_OPENADAPTER* pOpenData, const CPDDI_ADAPTER_OPTIONS* pOptions) {
  const HRESULT hr = faulty::wrap_opened_adapter(
      pOpenData, cpddi::ddi::d3d9::run_d3d9_entry("cpddi_open_adapter_with_options", [&] {
        return cpddi::ddi::d3d9::open_adapter(pOpenData, pOptions);
      }));
  if (hr == S_OK && pOptions != nullptr && pOptions->IvCheck == CPDDI_IV_CHECK_OFF) {
    faulty::g_iv_check_off_adapters.with([&](auto& map) { map[pOpenData->hAdapter] = true; });
  }
  return hr;
}
