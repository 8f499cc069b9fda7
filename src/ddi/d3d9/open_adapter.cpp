// OpenAdapter's body: validate the options, make the identity, publish the adapter handle.
#include <cstdlib>
#include <memory>
#include <string>

#include "cpddi/cpddi.h"
#include "ddi/d3d9/entry.h"
#include "ddi/d3d9/objects.h"
#include "ddi/enum_value.h"

namespace cpddi::ddi::d3d9 {
namespace {

constexpr UINT kMaxBltThreads = 256;

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

}  // namespace

Result<void> open_adapter(D3DDDIARG_OPENADAPTER* pOpenData, const CPDDI_ADAPTER_OPTIONS* options) {
  if (pOpenData == nullptr || pOpenData->pAdapterFuncs == nullptr) {
    return Error{Errc::kInvalidArgument, "null D3DDDIARG_OPENADAPTER or pAdapterFuncs"};
  }
  CPDDI_ADAPTER_OPTIONS defaults{};
  defaults.StructSize = sizeof defaults;
  const CPDDI_ADAPTER_OPTIONS& o = options != nullptr ? *options : defaults;
  if (o.StructSize != sizeof(CPDDI_ADAPTER_OPTIONS)) {
    return Error{Errc::kInvalidArgument, "CPDDI_ADAPTER_OPTIONS.StructSize is wrong"};
  }
  if ((o.DisabledCaps & ~static_cast<DWORD>(CPDDI_SWITCHABLE_CAPS)) != 0) {
    return Error{Errc::kInvalidArgument, "DisabledCaps names a bit that cannot be switched off"};
  }
  const std::uint32_t container = enum_value(o.CertificateContainer);
  const std::uint32_t iv_check = enum_value(o.IvCheck);
  if (container != CPDDI_CERTIFICATE_PKCS7 && container != CPDDI_CERTIFICATE_X509_LEAF) {
    return Error{Errc::kInvalidArgument, "unknown CertificateContainer"};
  }
  if (iv_check != CPDDI_IV_CHECK_MONOTONIC && iv_check != CPDDI_IV_CHECK_OFF) {
    return Error{Errc::kInvalidArgument, "unknown IvCheck"};
  }

  auto adapter = std::make_shared<AdapterObject>();
  adapter->caps_config.disabled_caps = o.DisabledCaps;
  if (o.ProtectedMemorySize != 0) {
    adapter->caps_config.protected_memory_size = o.ProtectedMemorySize;
  }
  adapter->container = container == CPDDI_CERTIFICATE_X509_LEAF
                           ? caps::CertificateContainer::kX509Leaf
                           : caps::CertificateContainer::kPkcs7;
  adapter->iv_check =
      iv_check == CPDDI_IV_CHECK_OFF ? session::IvCheck::kOff : session::IvCheck::kMonotonic;
  if (o.MaxSessionsPerDevice != 0) {
    adapter->limits.max_sessions = o.MaxSessionsPerDevice;
  }
  if (o.MaxResourcesPerDevice != 0) {
    adapter->limits.max_resources = o.MaxResourcesPerDevice;
  }
  if (o.BltThreadsPerDevice > kMaxBltThreads) {
    return Error{Errc::kInvalidArgument, "BltThreadsPerDevice is above 256"};
  }
  adapter->blt_threads = o.BltThreadsPerDevice;
  caps::IdentitySource source;
  source.key_pem_path =
      o.IdentityKeyPemPath != nullptr ? o.IdentityKeyPemPath : environment("CPDDI_IDENTITY_KEY");
  source.certificate_pem_path = o.IdentityCertPemPath != nullptr
                                    ? o.IdentityCertPemPath
                                    : environment("CPDDI_IDENTITY_CERT");
  Result<std::shared_ptr<const caps::DriverIdentity>> identity =
      caps::DriverIdentity::create(source);
  if (!identity) {
    return identity.error();
  }
  adapter->identity = std::move(*identity);
  adapter->pool =
      std::make_shared<device::ProtectedPool>(adapter->caps_config.protected_memory_size);

  // Commit: publish the handle and the table only now that everything exists.
  fill_adapter_funcs(*pOpenData->pAdapterFuncs);
  pOpenData->hAdapter = adapters().insert(std::move(adapter));
  pOpenData->DriverVersion = (CPDDI_VERSION_MAJOR << 16) | (CPDDI_VERSION_MINOR << 8) |
                             CPDDI_VERSION_PATCH;
  return {};
}

}  // namespace cpddi::ddi::d3d9

