// OpenAdapter's body: translate CPDDI_ADAPTER_OPTIONS into the runtime's AdapterConfig (every
// zero field = the default), open the adapter, then publish its handle and function table.
#include "cpddi/cpddi.h"
#include "ddi/d3d9/d3d9.h"
#include "ddi/d3d9/handles.h"
#include "ddi/enum_value.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d9 {
namespace {

static_assert(CPDDI_SWITCHABLE_CAPS == caps::kSwitchableCaps, "caps/ repeats the D3DCPCAPS_* bits");

Result<runtime::AdapterConfig> translate(const CPDDI_ADAPTER_OPTIONS& o) {
  if (o.StructSize != sizeof(CPDDI_ADAPTER_OPTIONS)) {
    return Error{Errc::kInvalidArgument, "CPDDI_ADAPTER_OPTIONS.StructSize is wrong"};
  }
  runtime::AdapterConfig config;
  switch (enum_value(o.CertificateContainer)) {
    case CPDDI_CERTIFICATE_PKCS7: config.container = caps::CertificateContainer::kPkcs7; break;
    case CPDDI_CERTIFICATE_X509_LEAF:
      config.container = caps::CertificateContainer::kX509Leaf;
      break;
    default: return Error{Errc::kInvalidArgument, "unknown CertificateContainer"};
  }
  switch (enum_value(o.IvCheck)) {
    case CPDDI_IV_CHECK_MONOTONIC: config.iv_check = session::IvCheck::kMonotonic; break;
    case CPDDI_IV_CHECK_OFF: config.iv_check = session::IvCheck::kOff; break;
    default: return Error{Errc::kInvalidArgument, "unknown IvCheck"};
  }
  // The D3DCPCAPS_* bits are caps::kCap* by value; the runtime rejects unswitchable ones.
  config.caps.disabled_caps = o.DisabledCaps;
  if (o.ProtectedMemorySize != 0) {
    config.caps.protected_memory_size = o.ProtectedMemorySize;
  }
  if (o.MaxSessionsPerDevice != 0) {
    config.max_sessions_per_device = o.MaxSessionsPerDevice;
  }
  if (o.MaxResourcesPerDevice != 0) {
    config.max_resources_per_device = o.MaxResourcesPerDevice;
  }
  config.blt_threads_per_device = o.BltThreadsPerDevice;
  if (o.IdentityKeyPemPath != nullptr) {
    config.identity_key_pem_path = o.IdentityKeyPemPath;
  }
  if (o.IdentityCertPemPath != nullptr) {
    config.identity_cert_pem_path = o.IdentityCertPemPath;
  }
  return config;
}

}  // namespace

Result<void> open_adapter(D3DDDIARG_OPENADAPTER* pOpenData, const CPDDI_ADAPTER_OPTIONS* options) {
  if (pOpenData == nullptr || pOpenData->pAdapterFuncs == nullptr) {
    return Error{Errc::kInvalidArgument, "null D3DDDIARG_OPENADAPTER or pAdapterFuncs"};
  }
  CPDDI_ADAPTER_OPTIONS defaults{};
  defaults.StructSize = sizeof defaults;
  Result<runtime::AdapterConfig> config = translate(options != nullptr ? *options : defaults);
  if (!config) {
    return config.error();
  }
  Result<runtime::Handle> adapter = runtime::process_runtime().open_adapter(*config);
  if (!adapter) {
    return adapter.error();
  }
  // Commit: publish the handle and the table only now that the adapter exists.
  fill_adapter_funcs(*pOpenData->pAdapterFuncs);
  pOpenData->hAdapter = to_handle(*adapter);
  pOpenData->DriverVersion =
      (CPDDI_VERSION_MAJOR << 16) | (CPDDI_VERSION_MINOR << 8) | CPDDI_VERSION_PATCH;
  return {};
}

}  // namespace cpddi::ddi::d3d9
