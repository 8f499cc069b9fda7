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

/* ---- Authenticated-channel payloads (spec §2.3, §2.8; d3d9types.h names and field order) ----
 *
 * The application builds these and the runtime forwards them unchanged; the driver reads and
 * writes them as bytes at the ABI's own offsets (src/wire/channel_messages.h). Every struct uses
 * natural alignment: on x64 several contain padding that lies inside the OMAC-covered range
 * (spec §5.8) — cpddi writes it as zero in every output and MACs inputs as received. */

#define D3D_OMAC_SIZE 16

typedef struct _D3D_OMAC {
  BYTE Omac[D3D_OMAC_SIZE];
} D3D_OMAC;

/* The API-level channel type (the payload of query CHANNELTYPE). Type 1 is the runtime's own
 * channel and never reaches the driver; the DDI enum DDIAUTHENTICATEDCHANNELTYPE has no 1. */
typedef enum _D3DAUTHENTICATEDCHANNELTYPE {
  D3DAUTHENTICATEDCHANNEL_D3D9 = 1,
  D3DAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE = 2,
  D3DAUTHENTICATEDCHANNEL_DRIVER_HARDWARE = 3
} D3DAUTHENTICATEDCHANNELTYPE;

typedef enum _D3DAUTHENTICATEDCHANNEL_PROCESSIDENTIFIERTYPE {
  PROCESSIDTYPE_UNKNOWN = 0,
  PROCESSIDTYPE_DWM = 1,
  PROCESSIDTYPE_HANDLE = 2
} D3DAUTHENTICATEDCHANNEL_PROCESSIDENTIFIERTYPE;

typedef enum _D3DBUSTYPE {
  D3DBUSTYPE_OTHER = 0x00000000,
  D3DBUSTYPE_PCI = 0x00000001,
  D3DBUSTYPE_PCIX = 0x00000002,
  D3DBUSTYPE_PCIEXPRESS = 0x00000003,
  D3DBUSTYPE_AGP = 0x00000004,
  D3DBUSIMPL_MODIFIER_INSIDE_OF_CHIPSET = 0x00010000,
  D3DBUSIMPL_MODIFIER_TRACKS_ON_MOTHER_BOARD_TO_CHIP = 0x00020000,
  D3DBUSIMPL_MODIFIER_TRACKS_ON_MOTHER_BOARD_TO_SOCKET = 0x00030000,
  D3DBUSIMPL_MODIFIER_DAUGHTER_BOARD_CONNECTOR = 0x00040000,
  D3DBUSIMPL_MODIFIER_DAUGHTER_BOARD_CONNECTOR_INSIDE_OF_NUAE = 0x00050000,
  D3DBUSIMPL_MODIFIER_NON_STANDARD = (int)0x80000000
} D3DBUSTYPE;

/* Query GUIDs (spec §2.3). */
static const GUID D3DAUTHENTICATEDQUERY_PROTECTION CPDDI_MAYBE_UNUSED = {
    0xa84eb584, 0xc495, 0x48aa, {0xb9, 0x4d, 0x8b, 0xd2, 0xd6, 0xfb, 0xce, 0x05}};
static const GUID D3DAUTHENTICATEDQUERY_CHANNELTYPE CPDDI_MAYBE_UNUSED = {
    0xbc1b18a5, 0xb1fb, 0x42ab, {0xbd, 0x94, 0xb5, 0x82, 0x8b, 0x4b, 0xf7, 0xbe}};
static const GUID D3DAUTHENTICATEDQUERY_DEVICEHANDLE CPDDI_MAYBE_UNUSED = {
    0xec1c539d, 0x8cff, 0x4e2a, {0xbc, 0xc4, 0xf5, 0x69, 0x2f, 0x99, 0xf4, 0x80}};
static const GUID D3DAUTHENTICATEDQUERY_CRYPTOSESSION CPDDI_MAYBE_UNUSED = {
    0x2634499e, 0xd018, 0x4d74, {0xac, 0x17, 0x7f, 0x72, 0x40, 0x59, 0x52, 0x8d}};
static const GUID D3DAUTHENTICATEDQUERY_RESTRICTEDSHAREDRESOURCEPROCESSCOUNT CPDDI_MAYBE_UNUSED = {
    0x0db207b3, 0x9450, 0x46a6, {0x82, 0xde, 0x1b, 0x96, 0xd4, 0x4f, 0x9c, 0xf2}};
static const GUID D3DAUTHENTICATEDQUERY_RESTRICTEDSHAREDRESOURCEPROCESS CPDDI_MAYBE_UNUSED = {
    0x649bbadb, 0xf0f4, 0x4639, {0xa1, 0x5b, 0x24, 0x39, 0x3f, 0xc3, 0xab, 0xac}};
static const GUID D3DAUTHENTICATEDQUERY_UNRESTRICTEDPROTECTEDSHAREDRESOURCECOUNT
    CPDDI_MAYBE_UNUSED = {
        0x012f0bd6, 0xe662, 0x4474, {0xbe, 0xfd, 0xaa, 0x53, 0xe5, 0x14, 0x3c, 0x6d}};
static const GUID D3DAUTHENTICATEDQUERY_OUTPUTIDCOUNT CPDDI_MAYBE_UNUSED = {
    0x2c042b5e, 0x8c07, 0x46d5, {0xaa, 0xbe, 0x8f, 0x75, 0xcb, 0xad, 0x4c, 0x31}};
static const GUID D3DAUTHENTICATEDQUERY_OUTPUTID CPDDI_MAYBE_UNUSED = {
    0x839ddca3, 0x9b4e, 0x41e4, {0xb0, 0x53, 0x89, 0x2b, 0xd2, 0xa1, 0x1e, 0xe7}};
static const GUID D3DAUTHENTICATEDQUERY_ACCESSIBILITYATTRIBUTES CPDDI_MAYBE_UNUSED = {
    0x6214d9d2, 0x432c, 0x4abb, {0x9f, 0xce, 0x21, 0x6e, 0xea, 0x26, 0x9e, 0x3b}};
static const GUID D3DAUTHENTICATEDQUERY_ENCRYPTIONWHENACCESSIBLEGUIDCOUNT CPDDI_MAYBE_UNUSED = {
    0xb30f7066, 0x203c, 0x4b07, {0x93, 0xfc, 0xce, 0xaa, 0xfd, 0x61, 0x24, 0x1e}};
static const GUID D3DAUTHENTICATEDQUERY_ENCRYPTIONWHENACCESSIBLEGUID CPDDI_MAYBE_UNUSED = {
    0xf83a5958, 0xe986, 0x4bda, {0xbe, 0xb0, 0x41, 0x1f, 0x6a, 0x7a, 0x01, 0xb7}};
static const GUID D3DAUTHENTICATEDQUERY_CURRENTENCRYPTIONWHENACCESSIBLE CPDDI_MAYBE_UNUSED = {
    0xec1791c7, 0xdad3, 0x4f15, {0x9e, 0xc3, 0xfa, 0xa9, 0x3d, 0x60, 0xd4, 0xf0}};

/* Configure GUIDs (spec §2.3). */
static const GUID D3DAUTHENTICATEDCONFIGURE_INITIALIZE CPDDI_MAYBE_UNUSED = {
    0x06114bdb, 0x3523, 0x470a, {0x8d, 0xca, 0xfb, 0xc2, 0x84, 0x51, 0x54, 0xf0}};
static const GUID D3DAUTHENTICATEDCONFIGURE_PROTECTION CPDDI_MAYBE_UNUSED = {
    0x50455658, 0x3f47, 0x4362, {0xbf, 0x99, 0xbf, 0xdf, 0xcd, 0xe9, 0xed, 0x29}};
static const GUID D3DAUTHENTICATEDCONFIGURE_CRYPTOSESSION CPDDI_MAYBE_UNUSED = {
    0x6346cc54, 0x2cfc, 0x4ad4, {0x82, 0x24, 0xd1, 0x58, 0x37, 0xde, 0x77, 0x00}};
static const GUID D3DAUTHENTICATEDCONFIGURE_SHAREDRESOURCE CPDDI_MAYBE_UNUSED = {
    0x0772d047, 0x1b40, 0x48e8, {0x9c, 0xa6, 0xb5, 0xf5, 0x10, 0xde, 0x9f, 0x01}};
static const GUID D3DAUTHENTICATEDCONFIGURE_ENCRYPTIONWHENACCESSIBLE CPDDI_MAYBE_UNUSED = {
    0x41fff286, 0x6ae0, 0x4d43, {0x9d, 0x55, 0xa4, 0x6e, 0x9e, 0xfd, 0x15, 0x8a}};

/* Query input (no OMAC) and output header. */
typedef struct _D3DAUTHENTICATEDCHANNEL_QUERY_INPUT {
  GUID QueryType;
  HANDLE hChannel; /* the driver's channel handle (D3DDDIARG_CREATEAUTHENTICATEDCHANNEL) */
  UINT SequenceNumber;
} D3DAUTHENTICATEDCHANNEL_QUERY_INPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT {
  D3D_OMAC omac; /* AES-CMAC over the bytes after it (spec §5.8) */
  GUID QueryType;
  HANDLE hChannel;
  UINT SequenceNumber;
  HRESULT ReturnCode;
} D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_PROTECTION_FLAGS {
  CPDDI_ANONYMOUS union {
    CPDDI_ANONYMOUS struct {
      UINT ProtectionEnabled : 1;
      UINT OverlayOrFullscreenRequired : 1;
      UINT Reserved : 30;
    };
    UINT Value;
  };
} D3DAUTHENTICATEDCHANNEL_PROTECTION_FLAGS;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYPROTECTION_OUTPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT Output;
  D3DAUTHENTICATEDCHANNEL_PROTECTION_FLAGS ProtectionFlags;
} D3DAUTHENTICATEDCHANNEL_QUERYPROTECTION_OUTPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYCHANNELTYPE_OUTPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT Output;
  D3DAUTHENTICATEDCHANNELTYPE ChannelType;
} D3DAUTHENTICATEDCHANNEL_QUERYCHANNELTYPE_OUTPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYDEVICEHANDLE_OUTPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT Output;
  HANDLE DeviceHandle;
} D3DAUTHENTICATEDCHANNEL_QUERYDEVICEHANDLE_OUTPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYCRYPTOSESSION_INPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_INPUT Input;
  HANDLE DXVA2DecodeHandle;
} D3DAUTHENTICATEDCHANNEL_QUERYCRYPTOSESSION_INPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYCRYPTOSESSION_OUTPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT Output;
  HANDLE DXVA2DecodeHandle;
  HANDLE CryptoSessionHandle;
  HANDLE DeviceHandle;
} D3DAUTHENTICATEDCHANNEL_QUERYCRYPTOSESSION_OUTPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYRESTRICTEDSHAREDRESOURCEPROCESSCOUNT_OUTPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT Output;
  UINT NumRestrictedSharedResourceProcesses;
} D3DAUTHENTICATEDCHANNEL_QUERYRESTRICTEDSHAREDRESOURCEPROCESSCOUNT_OUTPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYRESTRICTEDSHAREDRESOURCEPROCESS_INPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_INPUT Input;
  UINT ProcessIndex;
} D3DAUTHENTICATEDCHANNEL_QUERYRESTRICTEDSHAREDRESOURCEPROCESS_INPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYRESTRICTEDSHAREDRESOURCEPROCESS_OUTPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT Output;
  UINT ProcessIndex;
  D3DAUTHENTICATEDCHANNEL_PROCESSIDENTIFIERTYPE ProcessIdentifer; /* sic (d3d9types.h) */
  HANDLE ProcessHandle;
} D3DAUTHENTICATEDCHANNEL_QUERYRESTRICTEDSHAREDRESOURCEPROCESS_OUTPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYUNRESTRICTEDPROTECTEDSHAREDRESOURCECOUNT_OUTPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT Output;
  UINT NumUnrestrictedProtectedSharedResources;
} D3DAUTHENTICATEDCHANNEL_QUERYUNRESTRICTEDPROTECTEDSHAREDRESOURCECOUNT_OUTPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYOUTPUTIDCOUNT_INPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_INPUT Input;
  HANDLE DeviceHandle;
  HANDLE CryptoSessionHandle;
} D3DAUTHENTICATEDCHANNEL_QUERYOUTPUTIDCOUNT_INPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYOUTPUTIDCOUNT_OUTPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT Output;
  HANDLE DeviceHandle;
  HANDLE CryptoSessionHandle;
  UINT NumOutputIDs;
} D3DAUTHENTICATEDCHANNEL_QUERYOUTPUTIDCOUNT_OUTPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYOUTPUTID_INPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_INPUT Input;
  HANDLE DeviceHandle;
  HANDLE CryptoSessionHandle;
  UINT OutputIDIndex;
} D3DAUTHENTICATEDCHANNEL_QUERYOUTPUTID_INPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYOUTPUTID_OUTPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT Output;
  HANDLE DeviceHandle;
  HANDLE CryptoSessionHandle;
  UINT OutputIDIndex;
  UINT64 OutputID;
} D3DAUTHENTICATEDCHANNEL_QUERYOUTPUTID_OUTPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYINFOBUSTYPE_OUTPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT Output;
  D3DBUSTYPE BusType;
  BOOL bAccessibleInContiguousBlocks;
  BOOL bAccessibleInNonContiguousBlocks;
} D3DAUTHENTICATEDCHANNEL_QUERYINFOBUSTYPE_OUTPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYEVICTIONENCRYPTIONGUIDCOUNT_OUTPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT Output;
  UINT NumEncryptionGuids;
} D3DAUTHENTICATEDCHANNEL_QUERYEVICTIONENCRYPTIONGUIDCOUNT_OUTPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYEVICTIONENCRYPTIONGUID_INPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_INPUT Input;
  UINT EncryptionGuidIndex;
} D3DAUTHENTICATEDCHANNEL_QUERYEVICTIONENCRYPTIONGUID_INPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYEVICTIONENCRYPTIONGUID_OUTPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT Output;
  UINT EncryptionGuidIndex;
  GUID EncryptionGuid;
} D3DAUTHENTICATEDCHANNEL_QUERYEVICTIONENCRYPTIONGUID_OUTPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_QUERYUNCOMPRESSEDENCRYPTIONLEVEL_OUTPUT {
  D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT Output;
  GUID EncryptionGuid;
} D3DAUTHENTICATEDCHANNEL_QUERYUNCOMPRESSEDENCRYPTIONLEVEL_OUTPUT;

/* Configure input (OMAC-signed by the application) and output header. */
typedef struct _D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT {
  D3D_OMAC omac; /* AES-CMAC over bytes [16, InputSize) (spec §5.8) */
  GUID ConfigureType;
  HANDLE hChannel;
  UINT SequenceNumber;
} D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT {
  D3D_OMAC omac;
  GUID ConfigureType;
  HANDLE hChannel;
  UINT SequenceNumber;
  HRESULT ReturnCode;
} D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT;

typedef struct _D3DAUTHENTICATEDCHANNEL_CONFIGUREINITIALIZE {
  D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT Parameters;
  UINT StartSequenceQuery;
  UINT StartSequenceConfigure;
} D3DAUTHENTICATEDCHANNEL_CONFIGUREINITIALIZE;

typedef struct _D3DAUTHENTICATEDCHANNEL_CONFIGUREPROTECTION {
  D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT Parameters;
  D3DAUTHENTICATEDCHANNEL_PROTECTION_FLAGS Protections;
} D3DAUTHENTICATEDCHANNEL_CONFIGUREPROTECTION;

typedef struct _D3DAUTHENTICATEDCHANNEL_CONFIGURECRYPTOSESSION {
  D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT Parameters;
  HANDLE DXVA2DecodeHandle;
  HANDLE CryptoSessionHandle;
  HANDLE DeviceHandle;
} D3DAUTHENTICATEDCHANNEL_CONFIGURECRYPTOSESSION;

typedef struct _D3DAUTHENTICATEDCHANNEL_CONFIGURESHAREDRESOURCE {
  D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT Parameters;
  D3DAUTHENTICATEDCHANNEL_PROCESSIDENTIFIERTYPE ProcessIdentiferType; /* sic (d3d9types.h) */
  HANDLE ProcessHandle;
  BOOL AllowAccess;
} D3DAUTHENTICATEDCHANNEL_CONFIGURESHAREDRESOURCE;

typedef struct _D3DAUTHENTICATEDCHANNEL_CONFIGUREUNCOMPRESSEDENCRYPTION {
  D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT Parameters;
  GUID EncryptionGuid;
} D3DAUTHENTICATEDCHANNEL_CONFIGUREUNCOMPRESSEDENCRYPTION;

/* ---- Authenticated-channel arguments (spec §2.7) ---- */

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
 * D3DDDIERR_NOTAVAILABLE for an unknown caps type, crypto type, certificate type or channel type
 * (the certificate of a DRIVER_SOFTWARE channel is the crypto session's: one identity);
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

/* PFND3DDDI_DESTROYDEVICE destroys the device and everything made on it (channels and sessions
 * are wiped). Returns S_OK; E_INVALIDARG for an unknown handle. */
typedef HRESULT(APIENTRY* PFND3DDDI_DESTROYDEVICE)(HANDLE hDevice);

/* PFND3DDDI_CREATEAUTHENTICATEDCHANNEL makes an authenticated channel (state Created) on hDevice
 * and writes its handle to hChannel — the value the application puts in every payload's
 * hChannel. Returns S_OK; D3DDDIERR_NOTAVAILABLE for any ChannelType but DRIVER_SOFTWARE (cpddi
 * announces no HARDWARE cap); E_INVALIDARG for a null pData or a bad device; E_OUTOFMEMORY (also
 * past the device's channel limit, 1024). Spec §5.1. */
typedef HRESULT(APIENTRY* PFND3DDDI_CREATEAUTHENTICATEDCHANNEL)(
    HANDLE hDevice, D3DDDIARG_CREATEAUTHENTICATEDCHANNEL* pData);

/* PFND3DDDI_AUTHENTICATEDCHANNELKEYEXCHANGE installs the channel key: pData holds 256 bytes of
 * RSAES-OAEP (SHA-512) ciphertext of a 16-byte key under the channel certificate's public key
 * (GetCaps, D3DDDI_CERTTYPE_AUTHENTICATED_CHANNEL). A repeat before INITIALIZE replaces the key.
 * Returns S_OK; E_INVALIDARG for a bad handle, DataSize ≠ 256, a null buffer, any decryption
 * failure (one code for every cause), or a channel already initialized (A24); E_FAIL if OpenSSL
 * failed. Spec §5.2. */
typedef HRESULT(APIENTRY* PFND3DDDI_AUTHENTICATEDCHANNELKEYEXCHANGE)(
    HANDLE hDevice, D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE* pData);

/* PFND3DDDI_QUERYAUTHENTICATEDCHANNEL answers one query of spec §5.6 for the channel named by the
 * input's D3DAUTHENTICATEDCHANNEL_QUERY_INPUT.hChannel. InputSize and OutputSize must equal the
 * query's defined sizes (A27). The output repeats QueryType, hChannel and SequenceNumber, carries
 * the returned HRESULT in ReturnCode and is AES-CMAC-signed over [16, N), N the defined size
 * (OutputSize if smaller), with padding zero — failures too, once the header fits.
 * SequenceNumber must be at least the start value (INITIALIZE) and greater than the last
 * accepted query's (§5.9, A23). Returns S_OK; E_INVALIDARG
 * for every failed check: null or too-small buffers or an unknown channel (output untouched),
 * no INITIALIZE yet, a replayed number, an unknown GUID, wrong sizes, a bad payload field;
 * E_FAIL if OpenSSL failed (output untouched). */
typedef HRESULT(APIENTRY* PFND3DDDI_QUERYAUTHENTICATEDCHANNEL)(
    HANDLE hDevice, CONST D3DDDIARG_QUERYAUTHENTICATEDCHANNEL* pData);

/* PFND3DDDI_CONFIGUREAUTHENICATEDCHANNEL (sic) applies one command of spec §5.7 for the channel
 * named by D3DAUTHENTICATEDCHANNEL_CONFIGURE_INPUT.hChannel. The input's omac must be the
 * AES-CMAC of bytes [16, InputSize) under the channel key (compared in constant time); InputSize
 * must equal the command's struct size. INITIALIZE is accepted once and ignores its own
 * SequenceNumber; every other command needs a number at least the configure start value and
 * greater than the last accepted one. pOutputData receives one signed
 * D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT (44 / 48 bytes). Returns as the query. */
typedef HRESULT(APIENTRY* PFND3DDDI_CONFIGUREAUTHENICATEDCHANNEL)(
    HANDLE hDevice, CONST D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL* pData);

/* PFND3DDDI_DESTROYAUTHENTICATEDCHANNEL wipes the channel key, withdraws the channel's PROTECTION
 * and ENCRYPTIONWHENACCESSIBLE requests (its SHAREDRESOURCE grants and CRYPTOSESSION bindings
 * stay) and kills its handle. Returns S_OK; E_INVALIDARG for a bad handle. Spec §5.5, A40. */
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
