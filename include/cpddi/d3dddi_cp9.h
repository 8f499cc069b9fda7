/* cpddi — the Direct3D 9 user-mode DDI slice that content protection needs (spec §2–§4),
 * with the WDK's names, field order and misspellings (d3dumddi.h, d3d9caps.h, d3d9types.h).
 *
 * What is here: caps/certificate types and GUIDs, the crypto-session argument structs, the
 * surface (resource) structs a protected-playback path needs, and the function tables
 * D3DDDI_ADAPTERFUNCS and D3DDDI_DEVICEFUNCS. cpddi's D3DDDI_DEVICEFUNCS holds only the slots
 * cpddi implements, in the WDK's relative order; it is *not* binary-compatible with the full
 * WDK table (which has ~100 rendering slots before these).
 *
 * Threading: the D3D runtime serialises the calls on one device; cpddi also takes a per-device
 * lock in every device entry point, so concurrent calls on one device are safe and run one at a
 * time. Different devices and adapters run in parallel (docs/behaviour.md, "Threading"). Every
 * entry point validates its handles: an unknown, destroyed or wrong-kind handle gives an error,
 * never undefined behaviour. Spec sections are cited as "spec §n"; its resolutions as "A-n".
 */
#ifndef CPDDI_D3DDDI_CP9_H_
#define CPDDI_D3DDDI_CP9_H_

#include "cpddi/d3dddi_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define CPDDI_MAYBE_UNUSED __attribute__((unused))
/* The WDK's flag unions use anonymous members, standard in C11 but an extension in C++. */
#define CPDDI_ANONYMOUS __extension__
#else
#define CPDDI_MAYBE_UNUSED
#define CPDDI_ANONYMOUS
#endif

/* ---- GUIDs (spec §2.3) ---- */

static const GUID D3DCRYPTOTYPE_AES128_CTR CPDDI_MAYBE_UNUSED = {
    0x9b6bd711, 0x4f74, 0x41c9, {0x9e, 0x7b, 0x0b, 0xe2, 0xd7, 0xd9, 0x3b, 0x4f}};
static const GUID D3DCRYPTOTYPE_PROPRIETARY CPDDI_MAYBE_UNUSED = {
    0xab4e9afd, 0x1d1c, 0x46e6, {0xa7, 0x2f, 0x08, 0x69, 0x91, 0x7b, 0x0d, 0xe8}};
static const GUID D3DKEYEXCHANGE_RSAES_OAEP CPDDI_MAYBE_UNUSED = {
    0xc1949895, 0xd72a, 0x4a1d, {0x8e, 0x5d, 0xed, 0x85, 0x7d, 0x17, 0x15, 0x20}};
static const GUID D3DKEYEXCHANGE_DXVA CPDDI_MAYBE_UNUSED = {
    0x43d3775c, 0x38e5, 0x4924, {0x8d, 0x86, 0xd3, 0xfc, 0xcf, 0x15, 0x3e, 0x9b}};

/* ---- Content-protection caps (spec §2.4, §3) ---- */

#define D3DCPCAPS_SOFTWARE 0x00000001
#define D3DCPCAPS_HARDWARE 0x00000002
#define D3DCPCAPS_PROTECTIONALWAYSON 0x00000004
#define D3DCPCAPS_PARTIALDECRYPTION 0x00000008
#define D3DCPCAPS_CONTENTKEY 0x00000010
#define D3DCPCAPS_FRESHENSESSIONKEY 0x00000020
#define D3DCPCAPS_ENCRYPTEDREADBACK 0x00000040
#define D3DCPCAPS_ENCRYPTEDREADBACKKEY 0x00000080
#define D3DCPCAPS_SEQUENTIAL_CTR_IV 0x00000100
#define D3DCPCAPS_ENCRYPTSLICEDATAONLY 0x00000200

/* Microsoft's layout: natural alignment on x64 (40 bytes), pack(4) on x86 (36 bytes). */
#if defined(_M_IX86) || defined(__i386__)
#pragma pack(push, 4)
#endif
typedef struct _D3DCONTENTPROTECTIONCAPS {
  DWORD Caps;
  GUID KeyExchangeType;
  UINT BufferAlignmentStart;
  UINT BlockAlignmentSize;
  ULONGLONG ProtectedMemorySize;
} D3DCONTENTPROTECTIONCAPS;
#if defined(_M_IX86) || defined(__i386__)
#pragma pack(pop)
#endif

typedef enum _D3DDDICAPS_TYPE {
  D3DDDICAPS_GETCONTENTPROTECTIONCAPS = 42,
  D3DDDICAPS_GETCERTIFICATESIZE = 43,
  D3DDDICAPS_GETCERTIFICATE = 44
} D3DDDICAPS_TYPE;

typedef enum _D3DDDI_CERTIFICATETYPE {
  D3DDDI_CERTTYPE_AUTHENTICATED_CHANNEL = 1,
  D3DDDI_CERTTYPE_CRYPTOSESSION = 2
} D3DDDI_CERTIFICATETYPE;

typedef enum _DDIAUTHENTICATEDCHANNELTYPE {
  DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE = 2,
  DDIAUTHENTICATEDCHANNEL_DRIVER_HARDWARE = 3
} DDIAUTHENTICATEDCHANNELTYPE;

typedef struct _D3DDDIARG_GETCAPS {
  D3DDDICAPS_TYPE Type;
  VOID* pInfo;
  VOID* pData;
  UINT DataSize;
} D3DDDIARG_GETCAPS;

typedef struct _DDICONTENTPROTECTIONCAPS {
  GUID CryptoType;
  GUID DecodeProfile;
} DDICONTENTPROTECTIONCAPS;

typedef struct _DDICERTIFICATEINFO {
  D3DDDI_CERTIFICATETYPE CertificateType;
  DDIAUTHENTICATEDCHANNELTYPE ChannelType;
  GUID CryptoSessionType;
} DDICERTIFICATEINFO;

/* ---- Counter block and partial-encryption map (spec §2.8, §7.1, §7.4) ---- */

/* Both members are stored big-endian: the 16 bytes in memory order are the AES-CTR counter block.
 * Read and write them as bytes; never load IV/Count as native integers on a little-endian host. */
typedef struct _D3DAES_CTR_IV {
  UINT64 IV;
  UINT64 Count;
} D3DAES_CTR_IV;

typedef struct _D3DDDIENCRYPTED_BLOCK_INFO {
  UINT NumEncryptedBytesAtBeginning;
  UINT NumBytesInSkipPattern;
  UINT NumBytesInEncryptPattern;
} D3DDDIENCRYPTED_BLOCK_INFO;

/* ---- Resources (the slice of d3dumddi.h a protected surface needs; spec §4.10) ---- */

typedef enum _D3DDDIFORMAT {
  D3DDDIFMT_UNKNOWN = 0,
  D3DDDIFMT_A8R8G8B8 = 21,
  D3DDDIFMT_X8R8G8B8 = 22,
  D3DDDIFMT_NV12 = 0x3231564E /* MAKEFOURCC('N','V','1','2') */
} D3DDDIFORMAT;

typedef enum _D3DDDI_POOL {
  D3DDDIPOOL_SYSTEMMEM = 1,
  D3DDDIPOOL_VIDEOMEMORY = 2,
  D3DDDIPOOL_LOCALVIDMEM = 3,
  D3DDDIPOOL_NONLOCALVIDMEM = 4
} D3DDDI_POOL;

typedef enum _D3DDDIMULTISAMPLE_TYPE { D3DDDIMULTISAMPLE_NONE = 0 } D3DDDIMULTISAMPLE_TYPE;

typedef enum _D3DDDI_ROTATION { D3DDDI_ROTATION_IDENTITY = 1 } D3DDDI_ROTATION;

typedef struct _D3DDDI_RATIONAL {
  UINT Numerator;
  UINT Denominator;
} D3DDDI_RATIONAL;

typedef struct _D3DDDI_SURFACEINFO {
  UINT Width;
  UINT Height;
  UINT Depth;
  CONST VOID* pSysMem;
  UINT SysMemPitch;
  UINT SysMemSlicePitch;
} D3DDDI_SURFACEINFO;

typedef struct _D3DDDI_RESOURCEFLAGS {
  CPDDI_ANONYMOUS union {
    CPDDI_ANONYMOUS struct {
      UINT RenderTarget : 1;
      UINT ZBuffer : 1;
      UINT Dynamic : 1;
      UINT HintStatic : 1;
      UINT AutogenMipmap : 1;
      UINT DMap : 1;
      UINT WriteOnly : 1;
      UINT NotLockable : 1;
      UINT Points : 1;
      UINT RtPatches : 1;
      UINT NPatches : 1;
      UINT SharedResource : 1;
      UINT DiscardRenderTarget : 1;
      UINT Video : 1;
      UINT CaptureBuffer : 1;
      UINT Primary : 1;
      UINT Texture : 1;
      UINT CubeMap : 1;
      UINT Volume : 1;
      UINT VertexBuffer : 1;
      UINT IndexBuffer : 1;
      UINT DecodeRenderTarget : 1;
      UINT DecodeCompressedBuffer : 1;
      UINT VideoProcessRenderTarget : 1;
      UINT CpuOptimized : 1;
      UINT MightDrawFromLocked : 1;
      UINT Overlay : 1;
      UINT MatchGdiPrimary : 1;
      UINT InterlacedRefresh : 1;
      UINT TextApi : 1;
      UINT RestrictedContent : 1;    /* bit 30, 0x40000000: may hold protected content */
      UINT RestrictSharedAccess : 1; /* bit 31, 0x80000000 */
    };
    UINT Value;
  };
} D3DDDI_RESOURCEFLAGS;

/* CreateResource: cpddi supports one 2-D surface (SurfCount 1, MipLevels 0 or 1) of format
 * A8R8G8B8, X8R8G8B8 or NV12. In the SYSTEMMEM pool a non-null pSysMem is used in place: the
 * caller keeps that memory alive until DestroyResource (as the D3D9 runtime does); otherwise
 * cpddi allocates the surface itself. */
typedef struct _D3DDDIARG_CREATERESOURCE {
  D3DDDIFORMAT Format;
  D3DDDI_POOL Pool;
  D3DDDIMULTISAMPLE_TYPE MultisampleType;
  UINT MultisampleQuality;
  CONST D3DDDI_SURFACEINFO* pSurfList;
  UINT SurfCount;
  UINT MipLevels;
  UINT Fvf;
  UINT VidPnSourceId;
  D3DDDI_RATIONAL RefreshRate;
  HANDLE hResource; /* in: the runtime's handle; out: the driver's handle */
  D3DDDI_RESOURCEFLAGS Flags;
  D3DDDI_ROTATION Rotation;
} D3DDDIARG_CREATERESOURCE;

typedef struct _D3DDDI_LOCKFLAGS {
  CPDDI_ANONYMOUS union {
    CPDDI_ANONYMOUS struct {
      UINT ReadOnly : 1;
      UINT WriteOnly : 1;
      UINT NoOverwrite : 1;
      UINT Discard : 1;
      UINT RangeValid : 1;
      UINT AreaValid : 1;
      UINT BoxValid : 1;
      UINT NoSysLock : 1;
      UINT NotifyOnly : 1;
      UINT DoNotWait : 1;
      UINT Reserved : 22;
    };
    UINT Value;
  };
} D3DDDI_LOCKFLAGS;

typedef struct _D3DDDI_UNLOCKFLAGS {
  CPDDI_ANONYMOUS union {
    CPDDI_ANONYMOUS struct {
      UINT NotifyOnly : 1;
      UINT Reserved : 31;
    };
    UINT Value;
  };
} D3DDDI_UNLOCKFLAGS;

typedef struct _CPDDI_RECT {
  int32_t left;
  int32_t top;
  int32_t right;
  int32_t bottom;
} CPDDI_RECT;

typedef struct _D3DDDIBOX {
  UINT Left;
  UINT Top;
  UINT Right;
  UINT Bottom;
  UINT Front;
  UINT Back;
} D3DDDIBOX;

typedef struct _D3DDDIARG_LOCK {
  HANDLE hResource;
  UINT SubResourceIndex;
  CPDDI_ANONYMOUS union {
    CPDDI_RECT Area;
    D3DDDIBOX Box;
    UINT Range;
  };
  VOID* pSurfData; /* out */
  UINT Pitch;      /* out */
  UINT SlicePitch; /* out */
  D3DDDI_LOCKFLAGS Flags;
} D3DDDIARG_LOCK;

typedef struct _D3DDDIARG_UNLOCK {
  HANDLE hResource;
  UINT SubResourceIndex;
  D3DDDI_UNLOCKFLAGS Flags;
} D3DDDIARG_UNLOCK;

/* ---- Crypto-session arguments (spec §2.7) ---- */

typedef struct _D3DDDIARG_CREATECRYPTOSESSION {
  GUID CryptoType;
  GUID DecodeProfile;
  HANDLE hCryptoSession; /* out */
} D3DDDIARG_CREATECRYPTOSESSION;

typedef struct _D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE {
  HANDLE hCryptoSession;
  UINT DataSize;
  VOID* pData;
} D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE;

typedef struct _D3DDDIARG_DESTROYCRYPTOSESSION {
  HANDLE hCryptoSession;
} D3DDDIARG_DESTROYCRYPTOSESSION;

typedef struct _D3DDDIARG_ENCRYPTIONBLT {
  HANDLE hCryptoSession;
  HANDLE hSrcResource;
  UINT SrcSubResourceIndex;
  HANDLE hDstResource;
  UINT DstSubResourceIndex;
  UINT DstResourceSize;
  VOID* pIV; /* out: D3DAES_CTR_IV the driver chose */
} D3DDDIARG_ENCRYPTIONBLT;

typedef struct _D3DDDIARG_DECRYPTIONBLT {
  HANDLE hCryptoSession;
  HANDLE hSrcResource;
  UINT SrcSubResourceIndex;
  HANDLE hDstResource;
  UINT DstSubResourceIndex;
  UINT SrcResourceSize;
  D3DDDIENCRYPTED_BLOCK_INFO* pEncryptedBlockInfo;
  VOID* pContentKey;
  VOID* pIV;
} D3DDDIARG_DECRYPTIONBLT;

typedef struct _D3DDDIARG_GETPITCH {
  HANDLE hCryptoSession;
  HANDLE hResource;
  UINT SubResourceIndex;
  UINT Pitch; /* out */
} D3DDDIARG_GETPITCH;

typedef struct _D3DDDIARG_STARTSESSIONKEYREFRESH {
  HANDLE hCryptoSession;
  VOID* pRandomNumber; /* out buffer, RandomNumberSize bytes */
  UINT RandomNumberSize;
} D3DDDIARG_STARTSESSIONKEYREFRESH;

typedef struct _D3DDDIARG_FINISHSESSIONKEYREFRESH {
  HANDLE hCryptoSession;
} D3DDDIARG_FINISHSESSIONKEYREFRESH;

typedef struct _GETENCRYPTIONBLTKEY {
  HANDLE hCryptoSession;
  VOID* pReadBackKey; /* out buffer, KeySize bytes */
  UINT KeySize;
} D3DDDIARG_GETENCRYPTIONBLTKEY;

/* ---- Authenticated-channel arguments (spec §2.7; not implemented yet, see below) ---- */

typedef struct _D3DDDIARG_CREATEAUTHENICATEDCHANNEL {
  DDIAUTHENTICATEDCHANNELTYPE ChannelType;
  HANDLE hChannel; /* out */
} D3DDDIARG_CREATEAUTHENTICATEDCHANNEL;

typedef struct _D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE {
  HANDLE hChannel;
  UINT DataSize;
  VOID* pData;
} D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE;

typedef struct _D3DDDIARG_QUERYAUTHENICATEDCHANNEL {
  UINT InputSize;
  CONST VOID* pInputData;
  UINT OutputSize;
  VOID* pOutputData;
} D3DDDIARG_QUERYAUTHENTICATEDCHANNEL;

typedef struct _D3DDDIARG_CONFIGUREAUTHENICATEDCHANNEL {
  UINT InputSize;
  CONST VOID* pInputData;
  VOID* pOutputData;
} D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL;

typedef struct _D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL {
  HANDLE hChannel;
} D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL;

/* ---- Adapter and device creation ---- */

struct _D3DDDI_DEVICEFUNCS;

typedef struct _D3DDDIARG_CREATEDEVICE {
  HANDLE hDevice; /* in: the runtime's handle; out: the driver's handle */
  UINT Interface;
  UINT Version;
  CONST VOID* pCallbacks;
  VOID* pCommandBuffer;
  UINT CommandBufferSize;
  VOID* pAllocationList;
  UINT AllocationListSize;
  VOID* pPatchLocationList;
  UINT PatchLocationListSize;
  struct _D3DDDI_DEVICEFUNCS* pDeviceFuncs; /* out: filled by the driver */
  UINT Flags;
} D3DDDIARG_CREATEDEVICE;

/* ---- Entry points ---- */

/* PFND3DDDI_GETCAPS answers three content-protection queries (spec §3).
 * D3DDDICAPS_GETCONTENTPROTECTIONCAPS: pInfo → DDICONTENTPROTECTIONCAPS, pData →
 *   D3DCONTENTPROTECTIONCAPS. All-zero CryptoType gives the union of all crypto types.
 * D3DDDICAPS_GETCERTIFICATESIZE: pInfo → DDICERTIFICATEINFO, pData → UINT.
 * D3DDDICAPS_GETCERTIFICATE: pInfo → DDICERTIFICATEINFO, pData → DataSize bytes (at least the size).
 * Returns S_OK; E_INVALIDARG for null pointers or a DataSize too small (nothing written);
 * D3DDDIERR_NOTAVAILABLE for an unknown caps type, crypto type, certificate type or channel type;
 * D3DDDIERR_UNSUPPORTEDCRYPTO for a non-zero DecodeProfile (cpddi has no decoder, A34). */
typedef HRESULT(APIENTRY* PFND3DDDI_GETCAPS)(HANDLE hAdapter, CONST D3DDDIARG_GETCAPS* pData);

/* PFND3DDDI_CREATEDEVICE makes a device on the adapter and fills *pDeviceFuncs.
 * Returns S_OK; E_INVALIDARG for a bad adapter handle or null pointers; E_OUTOFMEMORY. */
typedef HRESULT(APIENTRY* PFND3DDDI_CREATEDEVICE)(HANDLE hAdapter, D3DDDIARG_CREATEDEVICE* pData);

/* PFND3DDDI_CLOSEADAPTER releases the adapter handle; devices made on it stay usable until
 * destroyed. Returns S_OK; E_INVALIDARG for an unknown handle. */
typedef HRESULT(APIENTRY* PFND3DDDI_CLOSEADAPTER)(HANDLE hAdapter);

/* PFND3DDDI_CREATERESOURCE makes a 2-D surface (see D3DDDIARG_CREATERESOURCE). RestrictedContent
 * surfaces count against ProtectedMemorySize. Returns S_OK; E_INVALIDARG for an unsupported
 * format, pool, size, SurfCount ≠ 1, MipLevels > 1 or a too-small SysMemPitch; E_OUTOFMEMORY
 * (also past the device's resource cap); D3DDDIERR_OUTOFHWPROTECTEDMEMORY when the protected pool
 * is exhausted. */
typedef HRESULT(APIENTRY* PFND3DDDI_CREATERESOURCE)(HANDLE hDevice,
                                                   D3DDDIARG_CREATERESOURCE* pResource);

/* PFND3DDDI_DESTROYRESOURCE frees a surface after the queued blts that use it have executed;
 * protected bytes are wiped first. Returns S_OK; E_INVALIDARG for an unknown handle or one of
 * another device. */
typedef HRESULT(APIENTRY* PFND3DDDI_DESTROYRESOURCE)(HANDLE hDevice, HANDLE hResource);

/* PFND3DDDI_LOCK maps subresource 0 of an unprotected surface for CPU access: pSurfData, Pitch,
 * SlicePitch are written. Blts run on the device's queue after their call returns: Lock first
 * waits for every queued blt that reads or writes the surface — or, with Flags.DoNotWait, returns
 * D3DDDIERR_WASSTILLDRAWING at once while one is still queued. Returns S_OK;
 * D3DDDIERR_INVALIDCALL for a RestrictedContent surface (never mapped, A22) or one already
 * locked; E_INVALIDARG for a bad handle or subresource; D3DDDIERR_WASSTILLDRAWING as above;
 * E_FAIL when a queued blt failed while executing and was not reported yet — nothing is mapped
 * then; the failed blt's destination was zero-filled (docs/behaviour.md, "Asynchronous device"). */
typedef HRESULT(APIENTRY* PFND3DDDI_LOCK)(HANDLE hDevice, D3DDDIARG_LOCK* pData);

/* PFND3DDDI_UNLOCK ends a Lock. Returns S_OK; D3DDDIERR_INVALIDCALL if not locked;
 * E_INVALIDARG for a bad handle or subresource. */
typedef HRESULT(APIENTRY* PFND3DDDI_UNLOCK)(HANDLE hDevice, CONST D3DDDIARG_UNLOCK* pData);

/* PFND3DDDI_FLUSH waits until every blt queued on the device has executed (the WDK's pfnFlush
 * submits; cpddi's software queue also waits, so Flush is the explicit synchronisation point).
 * Returns S_OK; E_INVALIDARG for an unknown handle; E_FAIL when a blt failed while executing since
 * the last report — its destination was zero-filled (docs/behaviour.md, "Asynchronous device"). */
typedef HRESULT(APIENTRY* PFND3DDDI_FLUSH)(HANDLE hDevice);

/* PFND3DDDI_DESTROYDEVICE destroys the device and everything made on it (sessions are wiped).
 * Returns S_OK; E_INVALIDARG for an unknown handle. */
typedef HRESULT(APIENTRY* PFND3DDDI_DESTROYDEVICE)(HANDLE hDevice);

/* PFND3DDDI_CREATEAUTHENTICATEDCHANNEL and the four channel functions below: authenticated
 * channels are not implemented yet. Each returns D3DDDIERR_NOTAVAILABLE and changes nothing. */
typedef HRESULT(APIENTRY* PFND3DDDI_CREATEAUTHENTICATEDCHANNEL)(
    HANDLE hDevice, D3DDDIARG_CREATEAUTHENTICATEDCHANNEL* pData);
typedef HRESULT(APIENTRY* PFND3DDDI_AUTHENTICATEDCHANNELKEYEXCHANGE)(
    HANDLE hDevice, D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE* pData);
typedef HRESULT(APIENTRY* PFND3DDDI_QUERYAUTHENTICATEDCHANNEL)(
    HANDLE hDevice, CONST D3DDDIARG_QUERYAUTHENTICATEDCHANNEL* pData);
typedef HRESULT(APIENTRY* PFND3DDDI_CONFIGUREAUTHENICATEDCHANNEL)(
    HANDLE hDevice, CONST D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL* pData);
typedef HRESULT(APIENTRY* PFND3DDDI_DESTROYAUTHENTICATEDCHANNEL)(
    HANDLE hDevice, CONST D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL* pData);

/* PFND3DDDI_CREATECRYPTOSESSION makes a crypto session (state NoKey) bound to hDevice; its handle
 * is written to hCryptoSession. Returns S_OK; E_INVALIDARG for null pointers or a bad device;
 * D3DDDIERR_NOTAVAILABLE for an unsupported or all-zero CryptoType; D3DDDIERR_UNSUPPORTEDCRYPTO for
 * a non-zero DecodeProfile; E_OUTOFMEMORY (also past the device's session cap). Spec §4.1. */
typedef HRESULT(APIENTRY* PFND3DDDI_CREATECRYPTOSESSION)(HANDLE hDevice,
                                                        D3DDDIARG_CREATECRYPTOSESSION* pData);

/* PFND3DDDI_CRYPTOSESSIONKEYEXCHANGE installs the session key: pData holds 256 bytes of
 * RSAES-OAEP (SHA-512, MGF1-SHA-512, empty label) ciphertext of a 16-byte key under the
 * certificate's public key. A repeat exchange replaces the key and discards a pending refresh.
 * Returns S_OK; E_INVALIDARG for DataSize ≠ 256, a null buffer, a bad handle, or any decryption
 * failure (one code and message for every cause); E_OUTOFMEMORY; E_FAIL if OpenSSL failed (key
 * unchanged). Spec §4.2, §7.5, A7, A25. */
typedef HRESULT(APIENTRY* PFND3DDDI_CRYPTOSESSIONKEYEXCHANGE)(
    HANDLE hDevice, D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE* pData);

/* PFND3DDDI_DESTROYCRYPTOSESSION wipes every key of the session and kills its handle.
 * Returns S_OK; E_INVALIDARG for a bad handle. Spec §4.3. */
typedef HRESULT(APIENTRY* PFND3DDDI_DESTROYCRYPTOSESSION)(
    HANDLE hDevice, CONST D3DDDIARG_DESTROYCRYPTOSESSION* pData);

/* PFND3DDDI_ENCRYPTIONBLT AES-128-CTR-encrypts a protected surface into a system-memory surface
 * under the read-back key (cap ENCRYPTEDREADBACKKEY) or the session key, and writes the IV it
 * chose to *pIV (strictly increasing per session, §7.8). Returns S_OK; D3DDDIERR_NOTAVAILABLE
 * without cap ENCRYPTEDREADBACK; D3DDDIERR_INVALIDCALL before a key exchange or before the first
 * GetEncryptionBltKey (A19); E_INVALIDARG for bad handles, subresource ≠ 0, a null pIV, an
 * unprotected source, a destination not in system memory, or DstResourceSize too small, not a
 * multiple of 16 or larger than the destination; E_FAIL if the random generator (first IV) or
 * OpenSSL failed (nothing written, no IV consumed). Spec §4.6. */
typedef HRESULT(APIENTRY* PFND3DDDI_ENCRYPTIONBLT)(HANDLE hDevice,
                                                  CONST D3DDDIARG_ENCRYPTIONBLT* pData);

/* PFND3DDDI_GETPITCH writes the bytes per row of a surface (first plane) to Pitch.
 * Returns S_OK; E_INVALIDARG for bad handles or subresource ≠ 0. Spec §4.4. */
typedef HRESULT(APIENTRY* PFND3DDDI_GETPITCH)(HANDLE hDevice, D3DDDIARG_GETPITCH* pData);

/* PFND3DDDI_STARTSESSIONKEYREFRESH writes RandomNumberSize fresh random bytes to pRandomNumber
 * and keeps them for the next FinishSessionKeyRefresh on the same session; the session key does
 * not change yet, and a number already pending is replaced (A1). Returns S_OK; E_INVALIDARG if
 * the size is not 16, the buffer is null or the handle is bad (nothing stored, A2);
 * D3DDDIERR_INVALIDCALL before any key exchange (A4); D3DDDIERR_NOTAVAILABLE when refresh is
 * disabled (caps lack D3DCPCAPS_FRESHENSESSIONKEY, A5); E_FAIL if the random generator failed
 * (nothing stored). Spec §4.8. */
typedef HRESULT(APIENTRY* PFND3DDDI_STARTSESSIONKEYREFRESH)(
    HANDLE hDevice, CONST D3DDDIARG_STARTSESSIONKEYREFRESH* pData);

/* PFND3DDDI_FINISHSESSIONKEYREFRESH XORs the pending number into the session key and wipes it;
 * every blt called afterwards uses the new key (A6). Returns S_OK; D3DDDIERR_INVALIDCALL when no
 * number is pending or before any key exchange (key unchanged, A3, A4); D3DDDIERR_NOTAVAILABLE
 * when refresh is disabled (A5); E_INVALIDARG for a bad handle. Spec §4.9. */
typedef HRESULT(APIENTRY* PFND3DDDI_FINISHSESSIONKEYREFRESH)(
    HANDLE hDevice, CONST D3DDDIARG_FINISHSESSIONKEYREFRESH* pData);

/* PFND3DDDI_GETENCRYPTIONBLTKEY mints a new random read-back key, writes it wrapped with
 * AES-128-ECB under the current session key, and uses it for later EncryptionBlts. Returns S_OK;
 * D3DDDIERR_NOTAVAILABLE without cap ENCRYPTEDREADBACKKEY; D3DDDIERR_INVALIDCALL before a key
 * exchange; E_INVALIDARG for KeySize ≠ 16, a null buffer or a bad handle; E_FAIL if the random
 * generator or OpenSSL failed (the previous read-back key stays). Spec §4.7, §7.2. */
typedef HRESULT(APIENTRY* PFND3DDDI_GETENCRYPTIONBLTKEY)(
    HANDLE hDevice, CONST D3DDDIARG_GETENCRYPTIONBLTKEY* pData);

/* PFND3DDDI_DECRYPTIONBLT AES-128-CTR-decrypts a system-memory surface into a protected surface,
 * under the session key or, with pContentKey, a content key wrapped (AES-128-ECB) by it. pIV
 * points to a 16-byte D3DAES_CTR_IV; pEncryptedBlockInfo (optional) maps clear/encrypted runs.
 * Returns S_OK; D3DDDIERR_INVALIDCALL before a key exchange; E_INVALIDARG for bad handles,
 * subresource ≠ 0, a null pIV, a source not in system memory, an unprotected destination,
 * SrcResourceSize smaller than the surface (rounded up to 16), not a multiple of 16 or larger
 * than the source, a content key without cap CONTENTKEY, a block map the caps do not allow, or
 * an IV not greater than the last one used with the same key (A12); E_FAIL if OpenSSL failed
 * (destination untouched, IV not consumed). Spec §4.5, §7.1–§7.4. */
typedef HRESULT(APIENTRY* PFND3DDDI_DECRYPTIONBLT)(HANDLE hDevice,
                                                  CONST D3DDDIARG_DECRYPTIONBLT* pData);

typedef struct _D3DDDI_ADAPTERFUNCS {
  PFND3DDDI_GETCAPS pfnGetCaps;
  PFND3DDDI_CREATEDEVICE pfnCreateDevice;
  PFND3DDDI_CLOSEADAPTER pfnCloseAdapter;
} D3DDDI_ADAPTERFUNCS;

typedef struct _D3DDDI_DEVICEFUNCS {
  /* surfaces */
  PFND3DDDI_LOCK pfnLock;
  PFND3DDDI_UNLOCK pfnUnlock;
  PFND3DDDI_CREATERESOURCE pfnCreateResource;
  PFND3DDDI_DESTROYRESOURCE pfnDestroyResource;
  PFND3DDDI_FLUSH pfnFlush;
  PFND3DDDI_DESTROYDEVICE pfnDestroyDevice;
  /* authenticated channels (spec §5) */
  PFND3DDDI_CREATEAUTHENTICATEDCHANNEL pfnCreateAuthenticatedChannel;
  PFND3DDDI_AUTHENTICATEDCHANNELKEYEXCHANGE pfnAuthenticatedChannelKeyExchange;
  PFND3DDDI_QUERYAUTHENTICATEDCHANNEL pfnQueryAuthenticatedChannel;
  PFND3DDDI_CONFIGUREAUTHENICATEDCHANNEL pfnConfigureAuthenticatedChannel;
  PFND3DDDI_DESTROYAUTHENTICATEDCHANNEL pfnDestroyAuthenticatedChannel;
  /* crypto sessions (spec §4) */
  PFND3DDDI_CREATECRYPTOSESSION pfnCreateCryptoSession;
  PFND3DDDI_CRYPTOSESSIONKEYEXCHANGE pfnCryptoSessionKeyExchange;
  PFND3DDDI_DESTROYCRYPTOSESSION pfnDestroyCryptoSession;
  PFND3DDDI_ENCRYPTIONBLT pfnEncryptionBlt;
  PFND3DDDI_GETPITCH pfnGetPitch;
  PFND3DDDI_STARTSESSIONKEYREFRESH pfnStartSessionKeyRefresh;
  PFND3DDDI_FINISHSESSIONKEYREFRESH pfnFinishSessionKeyRefresh;
  PFND3DDDI_GETENCRYPTIONBLTKEY pfnGetEncryptionBltKey;
  PFND3DDDI_DECRYPTIONBLT pfnDecryptionBlt;
} D3DDDI_DEVICEFUNCS;

typedef struct _D3DDDIARG_OPENADAPTER {
  HANDLE hAdapter; /* in: the runtime's handle; out: the driver's handle */
  UINT Interface;
  UINT Version;
  CONST VOID* pAdapterCallbacks;
  D3DDDI_ADAPTERFUNCS* pAdapterFuncs; /* out: filled by the driver */
  UINT DriverVersion;
} D3DDDIARG_OPENADAPTER;

typedef HRESULT(APIENTRY* PFND3DDDI_OPENADAPTER)(D3DDDIARG_OPENADAPTER* pOpenData);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPDDI_D3DDDI_CP9_H_ */
