#include "ddi/d3d11_1/devices.h"

#include <mutex>
#include <optional>
#include <unordered_map>

#include "base/log.h"
#include "ddi/d3d11_1/handles.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d11_1 {
namespace {

// The contexts of the live devices, by private-memory address.
class Contexts {
 public:
  bool add(std::uintptr_t key, const ErrorReporting& reporting) {
    const std::lock_guard lock(mutex_);
    return contexts_.emplace(key, reporting).second;
  }
  void remove(std::uintptr_t key) {
    const std::lock_guard lock(mutex_);
    contexts_.erase(key);
  }
  std::optional<ErrorReporting> find(std::uintptr_t key) const {
    const std::lock_guard lock(mutex_);
    auto it = contexts_.find(key);
    return it == contexts_.end() ? std::nullopt : std::optional(it->second);
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::uintptr_t, ErrorReporting> contexts_;
};

Contexts& contexts() {
  static Contexts* const instance = new Contexts;  // never destroyed: entries may run at exit
  return *instance;
}

bool reported_in_runtime_safe_mode(HRESULT hr) {
  return hr == E_OUTOFMEMORY || hr == D3DDDIERR_DEVICEREMOVED;
}

}  // namespace

Result<void> register_device(const runtime::ObjectName& adapter, D3D10DDI_HDEVICE device,
                             const ErrorReporting& reporting) {
  if (device.pDrvPrivate == nullptr) {
    return Error{Errc::kInvalidArgument, "null hDrvDevice"};
  }
  if (reporting.set_error == nullptr) {
    return Error{Errc::kInvalidArgument, "pfnSetErrorCb is null"};
  }
  switch (reporting.mode) {
    case CPDDI_D3D11_1_ERROR_MODE_STRICT:
    case CPDDI_D3D11_1_ERROR_MODE_RUNTIME_SAFE: break;
    default: return Error{Errc::kInvalidArgument, "unknown ErrorMode"};
  }
  if ((reporting.flags & ~CPDDI_D3D11_1_DEVICE_FLAG_BLOCK_INFO_ERRORS) != 0) {
    return Error{Errc::kInvalidArgument, "unknown Flags bit"};
  }
  const runtime::FrontEndKey key = key_of(device.pDrvPrivate);
  // The context first: the runtime refuses a key that names a live object, and a context left
  // from such a device must not be replaced.
  if (!contexts().add(key.value, reporting)) {
    return Error{Errc::kInvalidArgument, "hDrvDevice already names a live device"};
  }
  Result<runtime::Handle> created = runtime::process_runtime().create_device(adapter, key);
  if (!created) {
    contexts().remove(key.value);
    return created.error();
  }
  return {};
}

Result<void> unregister_device(D3D10DDI_HDEVICE device) {
  Result<void> destroyed = runtime::process_runtime().destroy_device(named(device));
  if (destroyed) {
    contexts().remove(key_of(device.pDrvPrivate).value);
  }
  return destroyed;
}

void report_failure(const char* entry, D3D10DDI_HDEVICE device, VoidEntryKind kind,
                    HRESULT hr) noexcept {
  if (SUCCEEDED(hr)) {
    return;  // success is reported by not calling (spec §8.5)
  }
  const std::optional<ErrorReporting> reporting =
      contexts().find(key_of(device.pDrvPrivate).value);
  if (!reporting) {
    logging::warn(entry, ": failed on an unknown device; there is no pfnSetErrorCb to report to");
    return;
  }
  if (kind == VoidEntryKind::kNoAppPath &&
      reporting->mode == CPDDI_D3D11_1_ERROR_MODE_RUNTIME_SAFE &&
      !reported_in_runtime_safe_mode(hr)) {
    logging::warn(entry, ": misuse not reported (runtime-safe mode); nothing changed");
    return;
  }
  reporting->set_error(reporting->core_layer, hr);
}

bool reports_in_block_info(D3D10DDI_HDEVICE device) noexcept {
  const std::optional<ErrorReporting> reporting =
      contexts().find(key_of(device.pDrvPrivate).value);
  return reporting && (reporting->flags & CPDDI_D3D11_1_DEVICE_FLAG_BLOCK_INFO_ERRORS) != 0;
}

}  // namespace cpddi::ddi::d3d11_1
