// The symbols the driver module exports (CPDDI_EXPORT, C linkage): OpenAdapter and cpddi's own
// cpddi_* additions. Everything else in the library is hidden.
#include "base/log.h"
#include "cpddi/cpddi.h"
#include "ddi/d3d9/d3d9.h"
#include "ddi/enum_value.h"

extern "C" CPDDI_EXPORT HRESULT APIENTRY OpenAdapter(D3DDDIARG_OPENADAPTER* pOpenData) {
  return cpddi::ddi::d3d9::run_d3d9_entry(
      "OpenAdapter", [&] { return cpddi::ddi::d3d9::open_adapter(pOpenData, nullptr); });
}

extern "C" CPDDI_EXPORT HRESULT cpddi_open_adapter_with_options(
    D3DDDIARG_OPENADAPTER* pOpenData, const CPDDI_ADAPTER_OPTIONS* pOptions) {
  return cpddi::ddi::d3d9::run_d3d9_entry("cpddi_open_adapter_with_options", [&] {
    return cpddi::ddi::d3d9::open_adapter(pOpenData, pOptions);
  });
}

#define CPDDI_STRINGIFY_(x) #x
#define CPDDI_STRINGIFY(x) CPDDI_STRINGIFY_(x)

extern "C" CPDDI_EXPORT const char* cpddi_version(void) {
  return CPDDI_STRINGIFY(CPDDI_VERSION_MAJOR) "." CPDDI_STRINGIFY(
      CPDDI_VERSION_MINOR) "." CPDDI_STRINGIFY(CPDDI_VERSION_PATCH);
}

extern "C" CPDDI_EXPORT const char* cpddi_hresult_name(HRESULT hr) {
  return cpddi::ddi::d3d9::hresult_name(hr);
}

extern "C" CPDDI_EXPORT void cpddi_set_log_callback(CPDDI_LOG_CALLBACK callback, void* user) {
  cpddi::logging::set_callback(callback, user);
}

extern "C" CPDDI_EXPORT void cpddi_set_log_level(CPDDI_LOG_LEVEL level) {
  const std::uint32_t value = cpddi::ddi::enum_value(level);
  cpddi::logging::set_level(value <= CPDDI_LOG_TRACE ? static_cast<cpddi::logging::Level>(value)
                                                     : cpddi::logging::Level::kWarn);
}
