#pragma once

// The D3D11.1 front end's devices: which runtime device a D3D10DDI_HDEVICE names, and how that
// device reports the failures of void entries (spec §8.5, A30). A device is registered in one
// function, register_device, whether cpddi's CreateDevice made it or a host driver attaches its
// own device's private memory; the context lives here, in the front end, because reporting is
// the front end's business. Component overview: d3d11_1.h.
//
// Threading: the contexts have their own lock, never held while a callback runs.

#include <cstdint>

#include "base/result.h"
#include "cpddi/cpddi.h"
#include "runtime/names.h"

namespace cpddi::ddi::d3d11_1 {

// How one device reports the errors of its void entries.
struct ErrorReporting {
  PFND3D10DDI_SETERROR_CB set_error = nullptr;
  D3D10DDI_HRTCORELAYER core_layer{};
  // The caller's CPDDI_D3D11_1_ERROR_MODE as read with enum_value: a C caller may store any
  // number there, and register_device refuses the unknown ones.
  std::uint32_t mode = CPDDI_D3D11_1_ERROR_MODE_STRICT;
  UINT flags = 0;  // CPDDI_D3D11_1_DEVICE_FLAG_* bits
};

// Which void entries an app can see fail (spec A30).
enum class VoidEntryKind {
  // GetCertificateSize, GetCertificate, GetEncryptionBltKey, CheckCryptoSessionStatus,
  // GetCryptoSessionPrivateDataSize: their API twins return an HRESULT — always reported.
  kApiVisible,
  // EncryptionBlt, DecryptionBlt, Start/FinishSessionKeyRefresh, the destroys: void at the API
  // too — in runtime-safe mode only E_OUTOFMEMORY and D3DDDIERR_DEVICEREMOVED are reported.
  kNoAppPath,
};

// Makes a runtime device on `adapter`, named by the private memory at `device` (non-null, not
// naming a live object), that reports through `reporting` (set_error non-null, a known mode).
// kInvalidArgument otherwise, and nothing is registered.
Result<void> register_device(const runtime::ObjectName& adapter, D3D10DDI_HDEVICE device,
                             const ErrorReporting& reporting);
// Destroys the runtime device (its sessions, channels and resources) and forgets its context.
Result<void> unregister_device(D3D10DDI_HDEVICE device);

// Reports `hr` from void entry `entry` through `device`'s pfnSetErrorCb, if it is a failure and
// `kind` and the device's mode allow it; otherwise, or when `device` names no device (there is
// no callback to report to), only logs it. At most one callback per call.
void report_failure(const char* entry, D3D10DDI_HDEVICE device, VoidEntryKind kind,
                    HRESULT hr) noexcept;

// Whether `device` asked for DecryptionBlt's failures in the block map too
// (CPDDI_D3D11_1_DEVICE_FLAG_BLOCK_INFO_ERRORS); false for an unknown device.
bool reports_in_block_info(D3D10DDI_HDEVICE device) noexcept;

}  // namespace cpddi::ddi::d3d11_1
