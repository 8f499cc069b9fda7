/* cpddi — embedding: for a host user-mode driver (a virtual-GPU or translation-layer UMD) that owns
 * its devices and surfaces and wants cpddi to do only content protection (docs/embedding.md).
 *
 * The host opens a cpddi adapter (OpenAdapter or cpddi_open_adapter_with_options), attaches each
 * of its own devices to it under the host's own device HANDLE, registers the surfaces whose bytes
 * cpddi may decrypt into or encrypt from under the host's own surface HANDLEs, and writes cpddi's
 * content-protection entries into its WDK-layout D3DDDI_DEVICEFUNCS. cpddi's entries, called with
 * the host's handles, then find cpddi's state for them.
 *
 * Host handles: any value with 0 < value < 2^56 (every user-space address on x86-64 and AArch64
 * qualifies; so do small integers). cpddi's own handles — adapters, sessions, channels, devices
 * and resources it created — always have a non-zero top byte, so the two can never be mistaken
 * for each other (spec §9 A29); a value with a non-zero top byte is refused as a host handle. A
 * host handle names one live object of its kind at a time, and names nothing once detached or
 * unregistered.
 *
 * Threading: like every device entry, each call holds the device's lock; calls on different
 * devices run in parallel. Nothing here is called by cpddi: there are no callbacks.
 */
#ifndef CPDDI_CPDDI_EMBED_H_
#define CPDDI_CPDDI_EMBED_H_

#include "cpddi/d3dddi_cp9.h"
#include "cpddi/d3dddi_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Host devices ---- */

/* cpddi_attach_host_device makes the host's device handle hHostDevice a cpddi device on the
 * adapter hAdapter (the handle cpddi's OpenAdapter returned): from now on cpddi's entries called
 * with hHostDevice act on it, with the adapter's caps, options, limits and protected pool. Returns
 * S_OK; E_INVALIDARG for an unknown adapter, a value that cannot be a host handle, or one that
 * already names a live attached device or registered surface; E_OUTOFMEMORY. */
CPDDI_EXPORT HRESULT cpddi_attach_host_device(HANDLE hAdapter, HANDLE hHostDevice);

/* cpddi_detach_host_device does what DestroyDevice does for a cpddi device: waits for every blt
 * queued on the device, then destroys the device's authenticated channels and crypto sessions
 * (keys wiped) and forgets its registered surfaces; the host handle then names nothing. The host
 * may free every registered surface's bytes once it returns. Returns S_OK; E_INVALIDARG for a value
 * that is not an attached host device. */
CPDDI_EXPORT HRESULT cpddi_detach_host_device(HANDLE hHostDevice);

/* ---- Host surfaces ---- */

/* Where a host surface's bytes are and how they are laid out. Zero-initialise and set every
 * field. */
typedef struct _CPDDI_HOST_SURFACE {
  UINT StructSize;      /* sizeof(CPDDI_HOST_SURFACE) */
  D3DDDIFORMAT Format;  /* D3DDDIFMT_X8R8G8B8, D3DDDIFMT_A8R8G8B8 or D3DDDIFMT_NV12 */
  UINT Width;           /* 1–16384; NV12: even */
  UINT Height;          /* 1–16384; NV12: even */
  UINT Pitch;           /* bytes per row, ≥ Width × bytes per pixel (NV12: 1) */
  VOID* pMemory;        /* the host's bytes: Pitch × rows (NV12: 3/2 × Height rows) */
  ULONGLONG MemorySize; /* bytes at pMemory; must be ≥ Pitch × rows */
  BOOL Protected;       /* holds protected content: a RestrictedContent surface (spec §4.10) */
} CPDDI_HOST_SURFACE;

/* cpddi_register_host_surface lets cpddi use the host's bytes as a surface of device hDevice (an
 * attached host device or a cpddi device), named by the host's handle hHostSurface in every later
 * call (DecryptionBlt's hDstResource, EncryptionBlt's hSrcResource, GetPitch, …). A Protected
 * surface is a RestrictedContent surface: a DecryptionBlt destination and EncryptionBlt source,
 * never locked (A22), and its Pitch × rows bytes count against the adapter's ProtectedMemorySize
 * like any protected surface's. An unprotected one is a system-memory surface: a DecryptionBlt
 * source or EncryptionBlt destination. cpddi never frees or clears the bytes, and writes them only
 * from blts the host submitted; the host keeps them alive until unregister or detach returns.
 * Returns S_OK; E_INVALIDARG for null pointers, a wrong StructSize, an unsupported format or size,
 * a Pitch below one row or MemorySize below Pitch × rows, an unknown device, a value that cannot be
 * a host handle or that already names a live object; E_OUTOFMEMORY (also past the device's
 * resource limit); D3DDDIERR_OUTOFHWPROTECTEDMEMORY when the protected pool cannot hold a Protected
 * surface. */
CPDDI_EXPORT HRESULT cpddi_register_host_surface(HANDLE hDevice, HANDLE hHostSurface,
                                                 const CPDDI_HOST_SURFACE* pSurface);

/* cpddi_unregister_host_surface waits until no queued blt reads or writes the surface, then
 * forgets it (its protected-pool bytes are returned); the host may reuse or free the bytes once
 * it returns. A failed blt stays latched for the device's next Flush. Returns S_OK; E_INVALIDARG
 * for an unknown device, or a surface that is not a registered host surface of that device. */
CPDDI_EXPORT HRESULT cpddi_unregister_host_surface(HANDLE hDevice, HANDLE hHostSurface);

/* Flags of cpddi_wait_host_surface and cpddi_lock_host_surface. */
#define CPDDI_WAIT_DONOTWAIT 0x1u /* do not block: D3DDDIERR_WASSTILLDRAWING while work is queued */

/* cpddi_wait_host_surface returns when no blt queued so far reads or writes the surface, so the
 * host may read or write its bytes (for a Protected surface: hand them to its own display or
 * decode engine — cpddi maps nothing). Blts queued later are not waited for. hSurface is any
 * surface of the device: a registered host surface or one cpddi created. Returns S_OK;
 * D3DDDIERR_WASSTILLDRAWING with CPDDI_WAIT_DONOTWAIT while a blt on it is queued; E_FAIL when a
 * queued blt on it (or earlier on the device) failed while executing — reported once, the surface
 * is then idle; E_INVALIDARG for an unknown device or surface or a Flags bit other than
 * CPDDI_WAIT_DONOTWAIT. */
CPDDI_EXPORT HRESULT cpddi_wait_host_surface(HANDLE hDevice, HANDLE hSurface, UINT Flags);

/* cpddi_lock_host_surface is cpddi's Lock for a host's pfnLock to forward to: it refuses a
 * Protected surface at once, waits like cpddi_wait_host_surface, then gives the surface's bytes and
 * pitch and marks it locked until cpddi_unlock_host_surface. Returns S_OK;
 * D3DDDIERR_INVALIDCALL for a Protected surface (never mapped, spec §4.10, A22) or one already
 * locked; D3DDDIERR_WASSTILLDRAWING, E_FAIL and E_INVALIDARG as cpddi_wait_host_surface, and
 * E_INVALIDARG for a null ppData or pPitch. Nothing is written on failure. */
CPDDI_EXPORT HRESULT cpddi_lock_host_surface(HANDLE hDevice, HANDLE hSurface, UINT Flags,
                                             VOID** ppData, UINT* pPitch);

/* cpddi_unlock_host_surface ends a cpddi_lock_host_surface. Returns S_OK; D3DDDIERR_INVALIDCALL if
 * the surface is not locked; E_INVALIDARG for an unknown device or surface. */
CPDDI_EXPORT HRESULT cpddi_unlock_host_surface(HANDLE hDevice, HANDLE hSurface);

/* ---- Table fills (spec §2.10, A37) ---- */

/* One slot of a WDK-layout function table, whatever its prototype. */
typedef VOID(APIENTRY* CPDDI_TABLE_SLOT)(VOID);

/* The slots a WDK-layout D3DDDI_DEVICEFUNCS must have for slot 119 to exist (a Windows 7 or later
 * table has 121 or more). */
#define CPDDI_WDK_DEVICEFUNCS_MIN_SLOTS 120u
/* The 14 content-protection slots of the WDK D3DDDI_DEVICEFUNCS: 106–119 (spec §2.10). */
#define CPDDI_WDK_DEVICEFUNCS_FIRST_CP_SLOT 106u
#define CPDDI_WDK_DEVICEFUNCS_CP_SLOTS 14u

/* cpddi_fill_d3d9_wdk_device_funcs writes cpddi's 14 content-protection entries into slots
 * 106–119 of the caller's WDK-layout D3DDDI_DEVICEFUNCS (from d3dumddi.h), given as its array of
 * SlotCount function pointers: pfnCreateAuthenticatedChannel, …, pfnDecryptionBlt in the WDK's
 * order. No other slot is read or written. The 14 argument structs of these entries are the WDK's
 * (§2.7), so the host may call them, or let the D3D9 runtime call them, with the host's device
 * HANDLE once it is attached. Pass (CPDDI_TABLE_SLOT*)&funcs and
 * sizeof(funcs) / sizeof(CPDDI_TABLE_SLOT). Returns S_OK; E_INVALIDARG for a null pSlots or a
 * SlotCount below CPDDI_WDK_DEVICEFUNCS_MIN_SLOTS (a table from before the Windows 7 block has
 * no content-protection slots), nothing written. */
CPDDI_EXPORT HRESULT cpddi_fill_d3d9_wdk_device_funcs(CPDDI_TABLE_SLOT* pSlots, UINT SlotCount);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPDDI_CPDDI_EMBED_H_ */
