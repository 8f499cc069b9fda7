#include "ddi/adapter_options.h"

#include "ddi/enum_value.h"
#include "runtime/runtime.h"

namespace cpddi::ddi {
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

Result<runtime::AdapterConfig> adapter_config(const CPDDI_ADAPTER_OPTIONS* options) {
  CPDDI_ADAPTER_OPTIONS defaults{};
  defaults.StructSize = sizeof defaults;
  return translate(options != nullptr ? *options : defaults);
}

Result<runtime::Handle> open_runtime_adapter(const CPDDI_ADAPTER_OPTIONS* options) {
  Result<runtime::AdapterConfig> config = adapter_config(options);
  if (!config) {
    return config.error();
  }
  return runtime::process_runtime().open_adapter(*config);
}

}  // namespace cpddi::ddi
