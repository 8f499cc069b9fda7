// Embedding (include/cpddi/cpddi_embed.h, docs/embedding.md): host devices and host surfaces named
// by the host's own HANDLEs (handles.h has the one lookup rule), and the fill of a WDK-layout
// D3DDDI_DEVICEFUNCS (spec §2.10, A37). Exported with C linkage like exports.cpp; each function
// translates and makes one runtime call.
#include <cstddef>
#include <cstring>

#include "cpddi/cpddi.h"
#include "ddi/d3d9/d3d9.h"
#include "ddi/d3d9/handles.h"
#include "ddi/host_surface.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d9 {
namespace {

constexpr Error kNotAHostHandle{
    Errc::kInvalidArgument, "not a host handle: it must be non-zero and below 2^56 (A29)"};

Result<runtime::FrontEndKey> require_host_key(HANDLE handle) {
  std::optional<runtime::FrontEndKey> key = host_key(handle);
  if (!key) {
    return kNotAHostHandle;
  }
  return *key;
}

}  // namespace
}  // namespace cpddi::ddi::d3d9

using cpddi::Error;
using cpddi::Errc;
using cpddi::Result;
using cpddi::ddi::d3d9::named;
using cpddi::ddi::d3d9::require_host_key;
using cpddi::ddi::d3d9::run_d3d9_entry;
using cpddi::runtime::process_runtime;

extern "C" CPDDI_EXPORT HRESULT cpddi_attach_host_device(HANDLE hAdapter, HANDLE hHostDevice) {
  return run_d3d9_entry("cpddi_attach_host_device", [&]() -> Result<void> {
    Result<cpddi::runtime::FrontEndKey> key = require_host_key(hHostDevice);
    if (!key) {
      return key.error();
    }
    Result<cpddi::runtime::Handle> device = process_runtime().create_device(named(hAdapter), *key);
    if (!device) {
      return device.error();
    }
    return {};
  });
}

extern "C" CPDDI_EXPORT HRESULT cpddi_detach_host_device(HANDLE hHostDevice) {
  return run_d3d9_entry("cpddi_detach_host_device", [&]() -> Result<void> {
    Result<cpddi::runtime::FrontEndKey> key = require_host_key(hHostDevice);
    if (!key) {
      return key.error();
    }
    return process_runtime().destroy_device(*key);
  });
}

extern "C" CPDDI_EXPORT HRESULT cpddi_register_host_surface(HANDLE hDevice, HANDLE hHostSurface,
                                                            const CPDDI_HOST_SURFACE* pSurface) {
  return run_d3d9_entry("cpddi_register_host_surface", [&]() -> Result<void> {
    Result<cpddi::runtime::FrontEndKey> key = require_host_key(hHostSurface);
    if (!key) {
      return key.error();
    }
    return cpddi::ddi::register_host_surface(named(hDevice), *key, pSurface);
  });
}

extern "C" CPDDI_EXPORT HRESULT cpddi_unregister_host_surface(HANDLE hDevice,
                                                              HANDLE hHostSurface) {
  return run_d3d9_entry("cpddi_unregister_host_surface", [&]() -> Result<void> {
    Result<cpddi::runtime::FrontEndKey> key = require_host_key(hHostSurface);
    if (!key) {
      return key.error();
    }
    return process_runtime().destroy_resource(named(hDevice), *key);
  });
}

extern "C" CPDDI_EXPORT HRESULT cpddi_wait_host_surface(HANDLE hDevice, HANDLE hSurface,
                                                        UINT Flags) {
  return run_d3d9_entry("cpddi_wait_host_surface", [&] {
    return cpddi::ddi::wait_for_host_surface(named(hDevice), named(hSurface), Flags);
  });
}

extern "C" CPDDI_EXPORT HRESULT cpddi_lock_host_surface(HANDLE hDevice, HANDLE hSurface,
                                                        UINT Flags, VOID** ppData, UINT* pPitch) {
  return run_d3d9_entry("cpddi_lock_host_surface", [&]() -> Result<void> {
    if (ppData == nullptr || pPitch == nullptr) {
      return Error{Errc::kInvalidArgument, "null ppData or pPitch"};
    }
    if ((Flags & ~UINT{CPDDI_WAIT_DONOTWAIT}) != 0) {
      return Error{Errc::kInvalidArgument, "unknown Flags bit (only CPDDI_WAIT_DONOTWAIT)"};
    }
    cpddi::runtime::LockRequest lock;
    lock.surface = {named(hSurface), 0};
    lock.do_not_wait = Flags != 0;
    Result<cpddi::runtime::MappedSurface> mapped = process_runtime().lock(named(hDevice), lock);
    if (!mapped) {
      return mapped.error();
    }
    *ppData = mapped->data;
    *pPitch = mapped->pitch;
    return {};
  });
}

extern "C" CPDDI_EXPORT HRESULT cpddi_unlock_host_surface(HANDLE hDevice, HANDLE hSurface) {
  return run_d3d9_entry("cpddi_unlock_host_surface", [&] {
    return process_runtime().unlock(named(hDevice), {named(hSurface), 0});
  });
}

// cpddi's compact D3DDDI_DEVICEFUNCS ends with the 14 content-protection slots in the WDK's
// relative order (spec §2.10), so they are copied from a filled compact table as one run:
// fill_device_funcs stays the one place that says which entry serves which slot.
static_assert(offsetof(D3DDDI_DEVICEFUNCS, pfnDecryptionBlt) -
                      offsetof(D3DDDI_DEVICEFUNCS, pfnCreateAuthenticatedChannel) ==
                  (CPDDI_WDK_DEVICEFUNCS_CP_SLOTS - 1) * sizeof(CPDDI_TABLE_SLOT),
              "the compact table's content-protection slots must be contiguous, in WDK order");
static_assert(CPDDI_WDK_DEVICEFUNCS_FIRST_CP_SLOT + CPDDI_WDK_DEVICEFUNCS_CP_SLOTS <=
                  CPDDI_WDK_DEVICEFUNCS_MIN_SLOTS,
              "the content-protection slots fit every accepted table");

extern "C" CPDDI_EXPORT HRESULT cpddi_fill_d3d9_wdk_device_funcs(CPDDI_TABLE_SLOT* pSlots,
                                                                 UINT SlotCount) {
  return run_d3d9_entry("cpddi_fill_d3d9_wdk_device_funcs", [&]() -> Result<void> {
    if (pSlots == nullptr || SlotCount < CPDDI_WDK_DEVICEFUNCS_MIN_SLOTS) {
      return Error{Errc::kInvalidArgument,
                   "a WDK-layout D3DDDI_DEVICEFUNCS needs at least 120 slots (spec §2.10)"};
    }
    D3DDDI_DEVICEFUNCS compact{};
    cpddi::ddi::d3d9::fill_device_funcs(compact);
    std::memcpy(pSlots + CPDDI_WDK_DEVICEFUNCS_FIRST_CP_SLOT,
                reinterpret_cast<const unsigned char*>(&compact) +
                    offsetof(D3DDDI_DEVICEFUNCS, pfnCreateAuthenticatedChannel),
                CPDDI_WDK_DEVICEFUNCS_CP_SLOTS * sizeof(CPDDI_TABLE_SLOT));
    return {};
  });
}
