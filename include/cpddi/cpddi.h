/* cpddi — umbrella header of the C ABI: the D3D9 content-protection DDI (d3dddi_cp9.h), the
 * exported OpenAdapter, and cpddi's own additions, all prefixed cpddi_ / CPDDI_.
 *
 * A host opens an adapter with OpenAdapter (or cpddi_open_adapter_with_options), gets
 * D3DDDI_ADAPTERFUNCS, creates a device and drives crypto sessions through D3DDDI_DEVICEFUNCS.
 * Threading: every device entry point holds a per-device lock, so calls on one device run one at
 * a time even from several threads (the D3D runtime serialises them anyway); separate devices run
 * in parallel. cpddi_set_log_callback may be called at any time (docs/behaviour.md, Threading).
 */
#ifndef CPDDI_CPDDI_H_
#define CPDDI_CPDDI_H_

#include "cpddi/cpddi_log.h"
#include "cpddi/d3dddi_cp11_1.h"
#include "cpddi/d3dddi_cp9.h"
#include "cpddi/d3dddi_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CPDDI_VERSION_MAJOR 0
#define CPDDI_VERSION_MINOR 1
#define CPDDI_VERSION_PATCH 0

/* ---- Adapter options (cpddi's addition; spec §3 defaults, §7.7) ---- */

/* Which container GetCaps(GETCERTIFICATE) returns (spec §7.7, A35). */
typedef enum _CPDDI_CERTIFICATE_CONTAINER {
  CPDDI_CERTIFICATE_PKCS7 = 0,    /* DER PKCS#7 SignedData, certs only, leaf first (default) */
  CPDDI_CERTIFICATE_X509_LEAF = 1 /* a single DER X.509 leaf certificate */
} CPDDI_CERTIFICATE_CONTAINER;

/* How DecryptionBlt checks IVs (spec §9 A12). */
typedef enum _CPDDI_IV_CHECK {
  CPDDI_IV_CHECK_MONOTONIC = 0, /* reject an IV not greater than the last one under the same key */
  CPDDI_IV_CHECK_OFF = 1        /* accept any IV (clients that pass per-sample CENC IVs) */
} CPDDI_IV_CHECK;

/* Options for cpddi_open_adapter_with_options. Zero-initialise, set StructSize, change what you
 * need: every zero field means "the default". They apply to every device of the adapter.
 * BltThreadsPerDevice above 256 → E_INVALIDARG. */
typedef struct _CPDDI_ADAPTER_OPTIONS {
  UINT StructSize;       /* sizeof(CPDDI_ADAPTER_OPTIONS) */
  DWORD DisabledCaps;    /* optional D3DCPCAPS_* bits to switch off, e.g. FRESHENSESSIONKEY */
  CPDDI_CERTIFICATE_CONTAINER CertificateContainer;
  const char* IdentityKeyPemPath;  /* pin the driver identity: RSA private key (PEM) ... */
  const char* IdentityCertPemPath; /* ... and its certificate chain, leaf first (PEM) */
  CPDDI_IV_CHECK IvCheck;
  UINT MaxSessionsPerDevice;      /* 0 = 1024; past it CreateCryptoSession → E_OUTOFMEMORY */
  UINT MaxResourcesPerDevice;     /* 0 = 4096; past it CreateResource → E_OUTOFMEMORY */
  ULONGLONG ProtectedMemorySize;  /* 0 = 256 MiB; past it → D3DDDIERR_OUTOFHWPROTECTEDMEMORY */
  UINT BltThreadsPerDevice;       /* 0 = the number of cores: threads that may run one large
                                     blt in stripes at once — the device's queue thread, its
                                     helpers and a caller waiting for the blt (1 = no striping) */
} CPDDI_ADAPTER_OPTIONS;

/* The optional caps bits an adapter may switch off; other bits in DisabledCaps → E_INVALIDARG. */
#define CPDDI_SWITCHABLE_CAPS                                                           \
  (D3DCPCAPS_PARTIALDECRYPTION | D3DCPCAPS_CONTENTKEY | D3DCPCAPS_FRESHENSESSIONKEY | \
   D3DCPCAPS_ENCRYPTEDREADBACK | D3DCPCAPS_ENCRYPTEDREADBACKKEY)

/* OpenAdapter opens an adapter with default options and fills *pAdapterFuncs. If the environment
 * names CPDDI_IDENTITY_KEY and CPDDI_IDENTITY_CERT (PEM paths), that identity is loaded;
 * otherwise a fresh RSA-2048 key and certificate are made for this adapter.
 * Returns S_OK; E_INVALIDARG for null pointers or unreadable/mismatched identity files;
 * E_OUTOFMEMORY; E_FAIL when OpenSSL fails to make the identity. */
CPDDI_EXPORT HRESULT APIENTRY OpenAdapter(D3DDDIARG_OPENADAPTER* pOpenData);

/* cpddi_open_adapter_with_options is OpenAdapter with explicit options (NULL = defaults). Option
 * paths take precedence over the environment. Returns what OpenAdapter returns, and E_INVALIDARG
 * for a wrong StructSize or DisabledCaps outside CPDDI_SWITCHABLE_CAPS. */
CPDDI_EXPORT HRESULT cpddi_open_adapter_with_options(D3DDDIARG_OPENADAPTER* pOpenData,
                                                     const CPDDI_ADAPTER_OPTIONS* pOptions);

/* ---- The D3D11.1 video DDI (d3dddi_cp11_1.h, docs/d3d11.md) ---- */

/* cpddi_d3d11_1_open_adapter opens an adapter for the D3D11.1 front end (options and identity as
 * for cpddi_open_adapter_with_options; NULL = defaults) and fills *pOpenData->pAdapterFuncs with
 * cpddi's compact CalcPrivateDeviceSize / CreateDevice / CloseAdapter. The adapter and its
 * devices share the process's one handle space with the D3D9 front end (spec §8.7, A29).
 * Returns what cpddi_open_adapter_with_options returns; nothing is written on failure. */
CPDDI_EXPORT HRESULT cpddi_d3d11_1_open_adapter(CPDDI_D3D11_1_OPENADAPTER* pOpenData,
                                                const CPDDI_ADAPTER_OPTIONS* pOptions);
typedef HRESULT (*PFNCPDDI_D3D11_1_OPENADAPTER)(CPDDI_D3D11_1_OPENADAPTER* pOpenData,
                                                const CPDDI_ADAPTER_OPTIONS* pOptions);

/* ---- Diagnostics ---- */

/* cpddi_hresult_name returns "S_OK", "D3DDDIERR_INVALIDCALL", … or "unknown HRESULT": a static
 * string, never NULL. */
CPDDI_EXPORT const char* cpddi_hresult_name(HRESULT hr);

/* cpddi_version returns "major.minor.patch" (static storage). */
CPDDI_EXPORT const char* cpddi_version(void);

/* cpddi_set_log_callback routes log lines to `callback` (NULL = back to stderr); the level and
 * callback types are in cpddi_log.h. The level comes from CPDDI_LOG_LEVEL (none, error, warn,
 * info, debug, trace; default warn) unless cpddi_set_log_level sets it. Thread-safe. */
CPDDI_EXPORT void cpddi_set_log_callback(CPDDI_LOG_CALLBACK callback, void* user);
CPDDI_EXPORT void cpddi_set_log_level(CPDDI_LOG_LEVEL level);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPDDI_CPDDI_H_ */
