/* Wine probe (see wine_probe.h): the one translation unit that includes Debian's libwine-dev
 * headers, compiled natively as C11 for the host (x86-64 Linux).
 *
 * What it takes to compile them: the Wine `windows` include dir (as a SYSTEM dir: Wine's own
 * headers are not -Wpedantic-clean), WIN32_LEAN_AND_MEAN (windows.h otherwise pulls winsock.h,
 * whose u_short needs glibc's _DEFAULT_SOURCE, absent in strict C11) and <initguid.h> before the
 * first DEFINE_GUID so the GUIDs are defined here, not only declared. Nothing else.
 *
 * Wine applies pack(4) to d3d9types.h / d3d9caps.h on __i386__ only, like Microsoft (and unlike
 * mingw-w64, which packs on every target; spec §2.1, §10), so on x86-64 its layouts are
 * Microsoft's.
 */
#include "wine_probe.h"

/* clang-format off: <initguid.h> must come before the first header that uses DEFINE_GUID. */
#define WIN32_LEAN_AND_MEAN
#include <initguid.h>

#include <d3d11.h>     /* D3D11_CONTENT_PROTECTION_CAPS_*, D3D11_ENCRYPTED_BLOCK_INFO */
#include <d3d9.h>      /* D3DERR_*, includes windows.h, d3d9types.h and d3d9caps.h */
#include <d3d9caps.h>  /* D3DCPCAPS_*, D3DCONTENTPROTECTIONCAPS, D3DCRYPTOTYPE_*, D3DKEYEXCHANGE_* */
#include <d3d9types.h> /* D3DBOX, D3DFMT_* */
#include <d3dukmdt.h>  /* D3DDDIFORMAT */
#include <dxva2api.h>  /* DXVA2_AES_CTR_IV */
#include <string.h>
#include <windows.h> /* RECT, scalar types, S_OK/E_* (winerror.h), SUCCEEDED/FAILED */
/* clang-format on */

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Constants ---- */

#define SAME(name) {#name, #name, (int64_t)(name)}
#define TWIN(name, wine) {#name, #wine, (int64_t)(wine)}
/* (T)-1 < (T)1 rather than < 0: the latter trips -Wtype-limits for unsigned T. */
#define IS_SIGNED(T) {"is_signed(" #T ")", "is_signed(" #T ")", (int64_t)((T)-1 < (T)1)}

static const WineProbeConstant kConstants[] = {
    /* d3d9caps.h: D3DCONTENTPROTECTIONCAPS.Caps */
    SAME(D3DCPCAPS_SOFTWARE),
    SAME(D3DCPCAPS_HARDWARE),
    SAME(D3DCPCAPS_PROTECTIONALWAYSON),
    SAME(D3DCPCAPS_PARTIALDECRYPTION),
    SAME(D3DCPCAPS_CONTENTKEY),
    SAME(D3DCPCAPS_FRESHENSESSIONKEY),
    SAME(D3DCPCAPS_ENCRYPTEDREADBACK),
    SAME(D3DCPCAPS_ENCRYPTEDREADBACKKEY),
    SAME(D3DCPCAPS_SEQUENTIAL_CTR_IV),
    SAME(D3DCPCAPS_ENCRYPTSLICEDATAONLY),
    /* d3d11.h: the D3D11 twins carry the same bits (spec §2.4) */
    TWIN(D3DCPCAPS_SOFTWARE, D3D11_CONTENT_PROTECTION_CAPS_SOFTWARE),
    TWIN(D3DCPCAPS_HARDWARE, D3D11_CONTENT_PROTECTION_CAPS_HARDWARE),
    TWIN(D3DCPCAPS_PROTECTIONALWAYSON, D3D11_CONTENT_PROTECTION_CAPS_PROTECTION_ALWAYS_ON),
    TWIN(D3DCPCAPS_PARTIALDECRYPTION, D3D11_CONTENT_PROTECTION_CAPS_PARTIAL_DECRYPTION),
    TWIN(D3DCPCAPS_CONTENTKEY, D3D11_CONTENT_PROTECTION_CAPS_CONTENT_KEY),
    TWIN(D3DCPCAPS_FRESHENSESSIONKEY, D3D11_CONTENT_PROTECTION_CAPS_FRESHEN_SESSION_KEY),
    TWIN(D3DCPCAPS_ENCRYPTEDREADBACK, D3D11_CONTENT_PROTECTION_CAPS_ENCRYPTED_READ_BACK),
    TWIN(D3DCPCAPS_ENCRYPTEDREADBACKKEY, D3D11_CONTENT_PROTECTION_CAPS_ENCRYPTED_READ_BACK_KEY),
    TWIN(D3DCPCAPS_SEQUENTIAL_CTR_IV, D3D11_CONTENT_PROTECTION_CAPS_SEQUENTIAL_CTR_IV),
    TWIN(D3DCPCAPS_ENCRYPTSLICEDATAONLY, D3D11_CONTENT_PROTECTION_CAPS_ENCRYPT_SLICEDATA_ONLY),

    /* d3d9.h: each D3DDDIERR_X equals D3DERR_X (spec §2.2). Wine has no OUTOFHWPROTECTEDMEMORY. */
    TWIN(D3DDDIERR_WASSTILLDRAWING, D3DERR_WASSTILLDRAWING),
    TWIN(D3DDDIERR_NOTAVAILABLE, D3DERR_NOTAVAILABLE),
    TWIN(D3DDDIERR_INVALIDCALL, D3DERR_INVALIDCALL),
    TWIN(D3DDDIERR_DEVICEREMOVED, D3DERR_DEVICEREMOVED),
    TWIN(D3DDDIERR_UNSUPPORTEDCRYPTO, D3DERR_UNSUPPORTEDCRYPTO),
    /* cpddi's own D3DERR_* (defined when <d3d9.h> did not define them first) */
    SAME(D3DERR_WASSTILLDRAWING),
    SAME(D3DERR_NOTAVAILABLE),
    SAME(D3DERR_INVALIDCALL),
    SAME(D3DERR_DEVICEREMOVED),
    SAME(D3DERR_CANNOTPROTECTCONTENT),
    SAME(D3DERR_UNSUPPORTEDCRYPTO),
    /* winerror.h */
    SAME(S_OK),
    SAME(E_FAIL),
    SAME(E_NOTIMPL),
    SAME(E_INVALIDARG),
    SAME(E_OUTOFMEMORY),
    {"SUCCEEDED(S_OK)", "SUCCEEDED(S_OK)", SUCCEEDED(S_OK)},
    {"SUCCEEDED(1)", "SUCCEEDED(1)", SUCCEEDED(1)}, /* S_FALSE */
    {"SUCCEEDED(E_FAIL)", "SUCCEEDED(E_FAIL)", SUCCEEDED(E_FAIL)},
    {"FAILED(S_OK)", "FAILED(S_OK)", FAILED(S_OK)},
    {"FAILED(E_FAIL)", "FAILED(E_FAIL)", FAILED(E_FAIL)},
    {"FAILED(D3DDDIERR_INVALIDCALL)", "FAILED(D3DERR_INVALIDCALL)", FAILED(D3DERR_INVALIDCALL)},

    /* d3dukmdt.h: D3DDDIFORMAT (and the D3DFMT_* twins of d3d9types.h) */
    SAME(D3DDDIFMT_UNKNOWN),
    SAME(D3DDDIFMT_A8R8G8B8),
    SAME(D3DDDIFMT_X8R8G8B8),
    TWIN(D3DDDIFMT_UNKNOWN, D3DFMT_UNKNOWN),
    TWIN(D3DDDIFMT_A8R8G8B8, D3DFMT_A8R8G8B8),
    TWIN(D3DDDIFMT_X8R8G8B8, D3DFMT_X8R8G8B8),
    /* Wine names no NV12 format; its MAKEFOURCC gives the FOURCC cpddi spells out. */
    {"D3DDDIFMT_NV12", "MAKEFOURCC('N','V','1','2')", (int64_t)MAKEFOURCC('N', 'V', '1', '2')},

    /* Signedness of the scalar types (SUCCEEDED/FAILED rely on HRESULT being signed). */
    IS_SIGNED(BYTE),
    IS_SIGNED(UINT),
    IS_SIGNED(DWORD),
    IS_SIGNED(BOOL),
    IS_SIGNED(HRESULT),
    IS_SIGNED(UINT64),
    IS_SIGNED(ULONGLONG),
};

const WineProbeConstant* wine_probe_constants(size_t* count) {
  *count = COUNT_OF(kConstants);
  return kConstants;
}

/* ---- GUIDs (d3d9caps.h) ---- */

#define GUID_ROW(name) {#name, #name, {0}}

static WineProbeGuid g_guids[] = {
    GUID_ROW(D3DCRYPTOTYPE_AES128_CTR),
    GUID_ROW(D3DCRYPTOTYPE_PROPRIETARY),
    GUID_ROW(D3DKEYEXCHANGE_RSAES_OAEP),
    GUID_ROW(D3DKEYEXCHANGE_DXVA),
};

const WineProbeGuid* wine_probe_guids(size_t* count) {
  /* Same order as g_guids. Copied at run time: a GUID object is not a constant expression in C. */
  const GUID* const sources[COUNT_OF(g_guids)] = {
      &D3DCRYPTOTYPE_AES128_CTR,
      &D3DCRYPTOTYPE_PROPRIETARY,
      &D3DKEYEXCHANGE_RSAES_OAEP,
      &D3DKEYEXCHANGE_DXVA,
  };
  size_t i;
  for (i = 0; i < COUNT_OF(g_guids); ++i) {
    memcpy(g_guids[i].bytes, sources[i], sizeof(g_guids[i].bytes));
  }
  *count = COUNT_OF(g_guids);
  return g_guids;
}

/* ---- Layouts ---- */

#define TYPE_ROW(T, WT) {#T, "", #WT, 0, sizeof(WT), _Alignof(WT)}
#define FIELD_ROW(T, f, WT, wf) \
  {#T, #f, #WT "." #wf, offsetof(WT, wf), sizeof(((WT*)0)->wf), 0}

static const WineProbeLayout kLayouts[] = {
    /* scalar types (spec §2.1) */
    TYPE_ROW(BYTE, BYTE),
    TYPE_ROW(UINT, UINT),
    TYPE_ROW(DWORD, DWORD),
    TYPE_ROW(BOOL, BOOL),
    TYPE_ROW(HRESULT, HRESULT),
    TYPE_ROW(UINT64, UINT64),
    TYPE_ROW(ULONGLONG, ULONGLONG),
    TYPE_ROW(HANDLE, HANDLE),
    TYPE_ROW(D3DDDIFORMAT, D3DDDIFORMAT),

    TYPE_ROW(GUID, GUID),
    FIELD_ROW(GUID, Data1, GUID, Data1),
    FIELD_ROW(GUID, Data2, GUID, Data2),
    FIELD_ROW(GUID, Data3, GUID, Data3),
    FIELD_ROW(GUID, Data4, GUID, Data4),

    /* d3d9caps.h */
    TYPE_ROW(D3DCONTENTPROTECTIONCAPS, D3DCONTENTPROTECTIONCAPS),
    FIELD_ROW(D3DCONTENTPROTECTIONCAPS, Caps, D3DCONTENTPROTECTIONCAPS, Caps),
    FIELD_ROW(D3DCONTENTPROTECTIONCAPS, KeyExchangeType, D3DCONTENTPROTECTIONCAPS, KeyExchangeType),
    FIELD_ROW(D3DCONTENTPROTECTIONCAPS, BufferAlignmentStart, D3DCONTENTPROTECTIONCAPS,
              BufferAlignmentStart),
    FIELD_ROW(D3DCONTENTPROTECTIONCAPS, BlockAlignmentSize, D3DCONTENTPROTECTIONCAPS,
              BlockAlignmentSize),
    FIELD_ROW(D3DCONTENTPROTECTIONCAPS, ProtectedMemorySize, D3DCONTENTPROTECTIONCAPS,
              ProtectedMemorySize),

    /* D3DAES_CTR_IV ≡ DXVA2_AES_CTR_IV (spec §2.8); Wine's d3d9types.h has no D3DAES_CTR_IV. */
    TYPE_ROW(D3DAES_CTR_IV, DXVA2_AES_CTR_IV),
    FIELD_ROW(D3DAES_CTR_IV, IV, DXVA2_AES_CTR_IV, IV),
    FIELD_ROW(D3DAES_CTR_IV, Count, DXVA2_AES_CTR_IV, Count),

    /* D3DDDIENCRYPTED_BLOCK_INFO ≡ D3D11_ENCRYPTED_BLOCK_INFO (spec §2.7, §2.8); Wine's
     * d3d9types.h has no D3DENCRYPTED_BLOCK_INFO. */
    TYPE_ROW(D3DDDIENCRYPTED_BLOCK_INFO, D3D11_ENCRYPTED_BLOCK_INFO),
    FIELD_ROW(D3DDDIENCRYPTED_BLOCK_INFO, NumEncryptedBytesAtBeginning, D3D11_ENCRYPTED_BLOCK_INFO,
              NumEncryptedBytesAtBeginning),
    FIELD_ROW(D3DDDIENCRYPTED_BLOCK_INFO, NumBytesInSkipPattern, D3D11_ENCRYPTED_BLOCK_INFO,
              NumBytesInSkipPattern),
    FIELD_ROW(D3DDDIENCRYPTED_BLOCK_INFO, NumBytesInEncryptPattern, D3D11_ENCRYPTED_BLOCK_INFO,
              NumBytesInEncryptPattern),

    /* D3DDDIBOX ≡ D3DBOX (d3d9types.h); the DDI lock union holds one. */
    TYPE_ROW(D3DDDIBOX, D3DBOX),
    FIELD_ROW(D3DDDIBOX, Left, D3DBOX, Left),
    FIELD_ROW(D3DDDIBOX, Top, D3DBOX, Top),
    FIELD_ROW(D3DDDIBOX, Right, D3DBOX, Right),
    FIELD_ROW(D3DDDIBOX, Bottom, D3DBOX, Bottom),
    FIELD_ROW(D3DDDIBOX, Front, D3DBOX, Front),
    FIELD_ROW(D3DDDIBOX, Back, D3DBOX, Back),

    /* CPDDI_RECT stands in for RECT (windef.h) in D3DDDIARG_LOCK. */
    TYPE_ROW(CPDDI_RECT, RECT),
    FIELD_ROW(CPDDI_RECT, left, RECT, left),
    FIELD_ROW(CPDDI_RECT, top, RECT, top),
    FIELD_ROW(CPDDI_RECT, right, RECT, right),
    FIELD_ROW(CPDDI_RECT, bottom, RECT, bottom),
};

const WineProbeLayout* wine_probe_layouts(size_t* count) {
  *count = COUNT_OF(kLayouts);
  return kLayouts;
}
