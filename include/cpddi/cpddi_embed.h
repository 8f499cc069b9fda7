/* cpddi — embedding: for a host user-mode driver (a virtual-GPU or translation-layer UMD) that owns
 * its devices and surfaces and wants cpddi to do only content protection (docs/embedding.md).
 *
 * The host opens a cpddi adapter (OpenAdapter or cpddi_open_adapter_with_options), attaches each
 * of its own devices to it under the host's own device HANDLE, registers the surfaces whose bytes
 * cpddi may decrypt into or encrypt from under the host's own surface HANDLEs, and writes cpddi's
 * content-protection entries into its WDK-layout D3DDDI_DEVICEFUNCS. cpddi's entries, called with
 * the host's handles, then find cpddi's state for them.
 *
 * Host handles (D3D9): any value with 0 < value < 2^56 (every user-space address on x86-64 and
 * AArch64 qualifies; so do small integers). cpddi's own handles — adapters, sessions, channels, devices
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

#include "cpddi/d3dddi_cp11_1.h"
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

/* ---- The D3D11.1 video DDI (d3dddi_cp11_1.h, spec §8) ----
 *
 * A D3D11.1 host names its objects by their private memory (D3D10DDI_HDEVICE.pDrvPrivate,
 * D3D10DDI_HRESOURCE.pDrvPrivate), as the D3D11.1 front end does with the memory its runtime
 * allocates: cpddi uses the address as the object's name and never reads or writes the bytes.
 * The address must be non-NULL and below 2^56 (every user-space address is), so it can never be
 * taken for one of cpddi's handles or a D3D9 host handle; it names one live object at a time. The
 * functions below return their HRESULT (they are not video-table entries: nothing is reported
 * through pfnSetErrorCb), with the D3D11.1 front end's codes (spec A41): no D3D9-only code. */

/* cpddi_fill_d3d11_1_video_funcs writes cpddi's entries into the content-protection slots 58–76
 * and 78 of the host's D3D11_1DDI_VIDEODEVICEFUNCS and touches no other slot — in particular not
 * 77, pfnVideoDecoderGetHandle, which belongs to the host's decoder (spec A38). The entries then
 * serve the host's attached devices. Returns S_OK; E_INVALIDARG for a null pFuncs. */
CPDDI_EXPORT HRESULT cpddi_fill_d3d11_1_video_funcs(D3D11_1DDI_VIDEODEVICEFUNCS* pFuncs);

/* cpddi_fill_wddm2_0_video_funcs does the same for a D3DWDDM2_0DDI_VIDEODEVICEFUNCS, and also
 * writes slots 81 (GetDataForNewHardwareKey), 82 (CheckCryptoSessionStatus) and 93
 * (GetCryptoSessionPrivateDataSize) (spec A42). Returns S_OK; E_INVALIDARG for a null pFuncs. */
CPDDI_EXPORT HRESULT cpddi_fill_wddm2_0_video_funcs(D3DWDDM2_0DDI_VIDEODEVICEFUNCS* pFuncs);

/* cpddi_d3d11_1_attach_host_device makes the host's device hDevice a cpddi device on the adapter
 * hAdapter (from cpddi_d3d11_1_open_adapter), reporting the failures of the filled void entries
 * through pCallbacks->pfnSetErrorCb(hRTCoreLayer, …) under ErrorMode (spec §8.5, A30) — pass
 * your runtime's. It is what cpddi's own pfnCreateDevice does with the private memory it is
 * given, without filling any table. Returns S_OK; E_INVALIDARG for an unknown adapter, a NULL or
 * out-of-range hDevice or one that already names a live object, a null pCallbacks or
 * pfnSetErrorCb, an unknown ErrorMode; E_OUTOFMEMORY. */
CPDDI_EXPORT HRESULT cpddi_d3d11_1_attach_host_device(
    D3D10DDI_HADAPTER hAdapter, D3D10DDI_HDEVICE hDevice, D3D10DDI_HRTCORELAYER hRTCoreLayer,
    const D3D10DDI_CORELAYER_DEVICECALLBACKS* pCallbacks, CPDDI_D3D11_1_ERROR_MODE ErrorMode);

/* cpddi_d3d11_1_detach_host_device is cpddi_detach_host_device for an attached D3D11.1 device.
 * Returns S_OK; E_INVALIDARG for a device that is not attached. */
CPDDI_EXPORT HRESULT cpddi_d3d11_1_detach_host_device(D3D10DDI_HDEVICE hDevice);

/* cpddi_d3d11_1_register_host_surface is cpddi_register_host_surface for a D3D11.1 device, the
 * surface named by the host's hResource in DecryptionBlt's hDstResource, EncryptionBlt's
 * hSrcResource and so on. Format is a D3DDDIFORMAT: D3DDDIFMT_X8R8G8B8 for
 * DXGI_FORMAT_B8G8R8X8_UNORM, D3DDDIFMT_A8R8G8B8 for B8G8R8A8_UNORM, D3DDDIFMT_NV12 for NV12.
 * Returns S_OK; E_INVALIDARG as cpddi_register_host_surface (and for a NULL or out-of-range
 * hResource); E_OUTOFMEMORY past the device's resource limit and also when the protected pool
 * cannot hold a Protected surface (the D3D11.1 front end has no OUTOFHWPROTECTEDMEMORY, A41). */
CPDDI_EXPORT HRESULT cpddi_d3d11_1_register_host_surface(D3D10DDI_HDEVICE hDevice,
                                                         D3D10DDI_HRESOURCE hResource,
                                                         const CPDDI_HOST_SURFACE* pSurface);

/* cpddi_d3d11_1_unregister_host_surface: as cpddi_unregister_host_surface. */
CPDDI_EXPORT HRESULT cpddi_d3d11_1_unregister_host_surface(D3D10DDI_HDEVICE hDevice,
                                                           D3D10DDI_HRESOURCE hResource);

/* cpddi_d3d11_1_wait_host_surface: as cpddi_wait_host_surface (Flags 0 or CPDDI_WAIT_DONOTWAIT),
 * except that a blt that failed while it ran is reported as E_OUTOFMEMORY, the D3D11.1 front end's
 * code for a failure inside cpddi (A41). */
CPDDI_EXPORT HRESULT cpddi_d3d11_1_wait_host_surface(D3D10DDI_HDEVICE hDevice,
                                                     D3D10DDI_HRESOURCE hResource, UINT Flags);

/* cpddi_d3d11_1_map_host_surface is cpddi's ResourceMap (subresource 0) for a host's
 * pfnResourceMap to forward to: refuses a Protected surface with E_INVALIDARG at once (its bytes
 * never reach the CPU, spec §4.10, A22, A41), otherwise waits like cpddi_d3d11_1_wait_host_surface
 * (Flags 0 or D3D10_DDI_MAP_FLAG_DONOTWAIT → D3DDDIERR_WASSTILLDRAWING) and gives the bytes and
 * pitch. Returns S_OK; E_INVALIDARG for a protected or already mapped surface, an unknown device or
 * surface, a null pMapped or another flag; D3DDDIERR_WASSTILLDRAWING; E_OUTOFMEMORY for a failed
 * blt. */
CPDDI_EXPORT HRESULT cpddi_d3d11_1_map_host_surface(D3D10DDI_HDEVICE hDevice,
                                                    D3D10DDI_HRESOURCE hResource, UINT Flags,
                                                    D3D10DDI_MAPPED_SUBRESOURCE* pMapped);
/* cpddi_d3d11_1_unmap_host_surface ends it. Returns S_OK; E_INVALIDARG if not mapped or unknown. */
CPDDI_EXPORT HRESULT cpddi_d3d11_1_unmap_host_surface(D3D10DDI_HDEVICE hDevice,
                                                      D3D10DDI_HRESOURCE hResource);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPDDI_CPDDI_EMBED_H_ */
