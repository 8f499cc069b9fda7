/* cpddi — the Direct3D 11.1 video-DDI slice that content protection needs (spec §8), with the
 * WDK's names, field order and misspellings (d3d10umddi.h), plus cpddi's own compact adapter,
 * device and resource entry points that stand where the WDK's D3D11.1 adapter and device tables
 * would (docs/d3d11.md explains that choice).
 *
 * How a host reaches the crypto slots:
 *   1. cpddi_d3d11_1_open_adapter fills CPDDI_D3D11_1_ADAPTERFUNCS.
 *   2. pfnCalcPrivateDeviceSize says how many bytes of private memory a device needs; the host
 *      allocates them and passes their address as hDrvDevice to pfnCreateDevice, together with
 *      hRTCoreLayer and the core-layer callbacks whose pfnSetErrorCb the void entries report
 *      through (spec §8.5). CreateDevice fills CPDDI_D3D11_1_DEVICEFUNCS (resources, flush,
 *      destroy) and writes RetrieveSubObject through ppfnRetrieveSubObject.
 *   3. RetrieveSubObject(D3D11_1DDI_VIDEO_FUNCTIONS = 2, D3D11_1DDI_VIDEO_INPUT) fills the 81-slot
 *      D3D11_1DDI_VIDEODEVICEFUNCS; ID 3 fills the 94-slot D3DWDDM2_0DDI_VIDEODEVICEFUNCS. Slots
 *      58–76 and 78 (and 81, 82, 93 of the WDDM 2.0 table) hold cpddi's entries; 77
 *      (VideoDecoderGetHandle) answers E_INVALIDARG because cpddi has no decoder; every other
 *      slot is NULL (spec A38).
 *
 * Handles: every D3D10DDI_H* / D3D11_1DDI_H* driver handle is private memory the caller allocated
 * with the size the matching CalcPrivate*Size returned; cpddi names its object by that address
 * and keeps nothing in the bytes, which stay the caller's until the object is destroyed. A
 * destroyed or never-created address names nothing: the entry fails, it never dereferences it.
 *
 * Threading: as the D3D9 DDI (cpddi.h): every device entry takes the device's lock; devices and
 * adapters run in parallel; RetrieveSubObject is free-threaded. pfnSetErrorCb is called on the
 * calling thread, before the entry returns, at most once per call and never with S_OK. */
#ifndef CPDDI_D3DDDI_CP11_1_H_
#define CPDDI_D3DDDI_CP11_1_H_

#include <stddef.h>

#include "cpddi/d3dddi_cp9.h"
#include "cpddi/d3dddi_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef _WINDEF_
typedef size_t SIZE_T;
typedef uint8_t UINT8;
typedef uint32_t UINT32;
#endif

/* ---- Handles (spec §8): one-member structs passed by value ---- */

/* Driver handles: the address of private memory the runtime (the host) allocated. */
typedef struct D3D10DDI_HADAPTER { VOID* pDrvPrivate; } D3D10DDI_HADAPTER;
typedef struct D3D10DDI_HDEVICE { VOID* pDrvPrivate; } D3D10DDI_HDEVICE;
typedef struct D3D10DDI_HRESOURCE { VOID* pDrvPrivate; } D3D10DDI_HRESOURCE;
typedef struct D3D11_1DDI_HCRYPTOSESSION { VOID* pDrvPrivate; } D3D11_1DDI_HCRYPTOSESSION;
typedef struct D3D11_1DDI_HAUTHCHANNEL { VOID* pDrvPrivate; } D3D11_1DDI_HAUTHCHANNEL;
typedef struct D3D11_1DDI_HDECODE { VOID* pDrvPrivate; } D3D11_1DDI_HDECODE;

/* Runtime handles: opaque to the driver, handed back only in callbacks. */
typedef struct D3D11_1DDI_HRTCRYPTOSESSION { VOID* handle; } D3D11_1DDI_HRTCRYPTOSESSION;
typedef struct D3D11_1DDI_HRTAUTHCHANNEL { VOID* handle; } D3D11_1DDI_HRTAUTHCHANNEL;
typedef struct D3D10DDI_HRTCORELAYER { VOID* handle; } D3D10DDI_HRTCORELAYER;

/* ---- GUIDs (spec §2.3): the DDI names of the same 16 bytes the D3D9 DDI uses ---- */

#define D3D11_1DDI_CRYPTO_TYPE_AES128_CTR D3DCRYPTOTYPE_AES128_CTR
#define D3D11_1DDI_KEY_EXCHANGE_RSAES_OAEP D3DKEYEXCHANGE_RSAES_OAEP
static const GUID D3DWDDM2_0DDI_KEY_EXCHANGE_HW_PROTECTION CPDDI_MAYBE_UNUSED = {
    0xb1170d8a, 0x628d, 0x4da3, {0xad, 0x3b, 0x82, 0xdd, 0xb0, 0x8b, 0x49, 0x70}};
static const GUID D3DWDDM2_0DDI_DECODER_ENCRYPTION_HW_CENC CPDDI_MAYBE_UNUSED = {
    0x89d6ac4f, 0x09f2, 0x4229, {0xb2, 0xcd, 0x37, 0x74, 0x0a, 0x6d, 0xfd, 0x81}};

#define D3D11_1DDI_AUTHENTICATED_QUERY_PROTECTION D3DAUTHENTICATEDQUERY_PROTECTION
#define D3D11_1DDI_AUTHENTICATED_QUERY_CHANNEL_TYPE D3DAUTHENTICATEDQUERY_CHANNELTYPE
#define D3D11_1DDI_AUTHENTICATED_QUERY_DEVICE_HANDLE D3DAUTHENTICATEDQUERY_DEVICEHANDLE
#define D3D11_1DDI_AUTHENTICATED_QUERY_CRYPTO_SESSION D3DAUTHENTICATEDQUERY_CRYPTOSESSION
#define D3D11_1DDI_AUTHENTICATED_QUERY_RESTRICTED_SHARED_RESOURCE_PROCESS_COUNT \
  D3DAUTHENTICATEDQUERY_RESTRICTEDSHAREDRESOURCEPROCESSCOUNT
#define D3D11_1DDI_AUTHENTICATED_QUERY_RESTRICTED_SHARED_RESOURCE_PROCESS \
  D3DAUTHENTICATEDQUERY_RESTRICTEDSHAREDRESOURCEPROCESS
#define D3D11_1DDI_AUTHENTICATED_QUERY_UNRESTRICTED_PROTECTED_SHARED_RESOURCE_COUNT \
  D3DAUTHENTICATEDQUERY_UNRESTRICTEDPROTECTEDSHAREDRESOURCECOUNT
#define D3D11_1DDI_AUTHENTICATED_QUERY_OUTPUT_ID_COUNT D3DAUTHENTICATEDQUERY_OUTPUTIDCOUNT
#define D3D11_1DDI_AUTHENTICATED_QUERY_OUTPUT_ID D3DAUTHENTICATEDQUERY_OUTPUTID
#define D3D11_1DDI_AUTHENTICATED_QUERY_ACCESSIBILITY_ATTRIBUTES \
  D3DAUTHENTICATEDQUERY_ACCESSIBILITYATTRIBUTES
#define D3D11_1DDI_AUTHENTICATED_QUERY_ENCRYPTION_WHEN_ACCESSIBLE_GUID_COUNT \
  D3DAUTHENTICATEDQUERY_ENCRYPTIONWHENACCESSIBLEGUIDCOUNT
#define D3D11_1DDI_AUTHENTICATED_QUERY_ENCRYPTION_WHEN_ACCESSIBLE_GUID \
  D3DAUTHENTICATEDQUERY_ENCRYPTIONWHENACCESSIBLEGUID
#define D3D11_1DDI_AUTHENTICATED_QUERY_CURRENT_ENCRYPTION_WHEN_ACCESSIBLE \
  D3DAUTHENTICATEDQUERY_CURRENTENCRYPTIONWHENACCESSIBLE
#define D3D11_1DDI_AUTHENTICATED_CONFIGURE_INITIALIZE_GUID D3DAUTHENTICATEDCONFIGURE_INITIALIZE
#define D3D11_1DDI_AUTHENTICATED_CONFIGURE_PROTECTION_GUID D3DAUTHENTICATEDCONFIGURE_PROTECTION
#define D3D11_1DDI_AUTHENTICATED_CONFIGURE_CRYPTO_SESSION_GUID \
  D3DAUTHENTICATEDCONFIGURE_CRYPTOSESSION
#define D3D11_1DDI_AUTHENTICATED_CONFIGURE_SHARED_RESOURCE_GUID \
  D3DAUTHENTICATEDCONFIGURE_SHAREDRESOURCE
#define D3D11_1DDI_AUTHENTICATED_CONFIGURE_ENCRYPTION_WHEN_ACCESSIBLE_GUID \
  D3DAUTHENTICATEDCONFIGURE_ENCRYPTIONWHENACCESSIBLE

/* ---- Caps, enums, flags (spec §2.4, §2.5, §2.6, §8.4) ---- */

/* D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS.Caps. Bits 0x1–0x200 mean what the D3DCPCAPS_* bits
 * of the same value mean; the DDI values from 0x2000 on differ from the API's (spec §10). */
typedef enum D3D11_1DDI_CONTENT_PROTECTION_CAPS {
  D3D11_1DDI_CONTENT_PROTECTION_CAPS_SOFTWARE = 0x1,
  D3D11_1DDI_CONTENT_PROTECTION_CAPS_HARDWARE = 0x2,
  D3D11_1DDI_CONTENT_PROTECTION_CAPS_PROTECTION_ALWAYS_ON = 0x4,
  D3D11_1DDI_CONTENT_PROTECTION_CAPS_PARTIAL_DECRYPTION = 0x8,
  D3D11_1DDI_CONTENT_PROTECTION_CAPS_CONTENT_KEY = 0x10,
  D3D11_1DDI_CONTENT_PROTECTION_CAPS_FRESHEN_SESSION_KEY = 0x20,
  D3D11_1DDI_CONTENT_PROTECTION_CAPS_ENCRYPTED_READ_BACK = 0x40,
  D3D11_1DDI_CONTENT_PROTECTION_CAPS_ENCRYPTED_READ_BACK_KEY = 0x80,
  D3D11_1DDI_CONTENT_PROTECTION_CAPS_SEQUENTIAL_CTR_IV = 0x100,
  D3D11_1DDI_CONTENT_PROTECTION_CAPS_ENCRYPT_SLICEDATA_ONLY = 0x200,
  D3D11_1DDI_CONTENT_PROTECTION_CAPS_DECRYPTION_BLT = 0x400,
  D3DWDDM2_0DDI_CONTENT_PROTECTION_CAPS_HARDWARE_PROTECT_UNCOMPRESSED = 0x800,
  D3DWDDM2_0DDI_CONTENT_PROTECTION_CAPS_HARDWARE_PROTECTED_MEMORY_PAGEABLE = 0x1000,
  D3DWDDM2_0DDI_CONTENT_PROTECTION_CAPS_HARDWARE_PROTECTED_MEMORY_TRANSITION = 0x2000,
  D3DWDDM2_0DDI_CONTENT_PROTECTION_CAPS_HARDWARE_TEARDOWN = 0x4000,
  D3DWDDM2_0DDI_CONTENT_PROTECTION_CAPS_HARDWARE_DRM_COMMUNICATION = 0x8000
} D3D11_1DDI_CONTENT_PROTECTION_CAPS;

typedef enum D3D11_1DDI_AUTHENTICATED_CHANNEL_TYPE {
  D3D11_1DDI_AUTHENTICATED_CHANNEL_DRIVER_SOFTWARE = 2,
  D3D11_1DDI_AUTHENTICATED_CHANNEL_DRIVER_HARDWARE = 3
} D3D11_1DDI_AUTHENTICATED_CHANNEL_TYPE;

typedef enum D3D11_1DDI_CERTIFICATE_TYPE {
  D3D11_1DDI_CERTIFICATE_TYPE_AUTHENTICATED_CHANNEL = 1,
  D3D11_1DDI_CERTIFICATE_TYPE_CRYPTO_SESSION = 2
} D3D11_1DDI_CERTIFICATE_TYPE;

typedef enum D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS {
  D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS_OK = 0,
  D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS_KEY_LOST = 1,
  D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS_KEY_AND_CONTENT_LOST = 2
} D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS;

/* D3D10_DDI_RESOURCE_MISC_FLAG bits of the DDI (not the API's D3D11_RESOURCE_MISC_* values). */
#define D3D11_1DDI_RESOURCE_MISC_RESTRICTED_CONTENT 0x00000800
#define D3D11_1DDI_RESOURCE_MISC_RESTRICT_SHARED_RESOURCE_DRIVER 0x00001000

/* ---- Argument structs (spec §8.3; sizes x86 / x64) ---- */

/* 48 / 48. The key exchange is chosen at creation. */
typedef struct D3D11_1DDIARG_CREATECRYPTOSESSION {
  GUID CryptoType;
  GUID DecodeProfile;
  GUID KeyExchangeType;
} D3D11_1DDIARG_CREATECRYPTOSESSION;

/* 8 / 16. const for CalcPrivate…Size, non-const for Create: the driver writes hChannel, the
 * handle every query/configure payload must carry for this channel (spec §8.7, A39). */
typedef struct D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL {
  D3D11_1DDI_AUTHENTICATED_CHANNEL_TYPE ChannelType;
  HANDLE hChannel;
} D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL;

/* 20 / 20. */
typedef struct D3D11_1DDI_CERTIFICATE_INFO {
  D3D11_1DDI_CERTIFICATE_TYPE CertificateType;
  CPDDI_ANONYMOUS union {
    D3D11_1DDI_AUTHENTICATED_CHANNEL_TYPE ChannelType;
    GUID CryptoSessionType;
  };
} D3D11_1DDI_CERTIFICATE_INFO;

/* 24 / 24: ProtectedMemorySize at offset 16 on x86 too, where Windows aligns 64-bit members to
 * 8 bytes and i386 System V would not without the explicit alignment. */
#ifdef __cplusplus
#define CPDDI_ALIGN8 alignas(8)
#else
#define CPDDI_ALIGN8 _Alignas(8)
#endif
typedef struct D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS {
  UINT Caps; /* D3D11_1DDI_CONTENT_PROTECTION_CAPS bits */
  UINT KeyExchangeTypeCount;
  UINT BlockAlignmentSize;
  CPDDI_ALIGN8 ULONGLONG ProtectedMemorySize;
} D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS;

/* 12 / 12: the partial-encryption map of DecryptionBlt (spec §7.4). */
typedef struct D3D11_1DDI_ENCRYPTED_BLOCK_INFO {
  UINT NumEncryptedBytesAtBeginning;
  UINT NumBytesInSkipPattern;
  UINT NumBytesInEncryptPattern;
} D3D11_1DDI_ENCRYPTED_BLOCK_INFO;

#define D3D11_1DDI_OMAC_SIZE 16

typedef struct D3D11_1DDI_OMAC {
  BYTE Omac[D3D11_1DDI_OMAC_SIZE];
} D3D11_1DDI_OMAC;

/* 44 / 48: the same bytes as D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT. */
typedef struct D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT {
  D3D11_1DDI_OMAC omac;
  GUID ConfigureType;
  HANDLE hChannel;
  UINT SequenceNumber;
  HRESULT ReturnCode;
} D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT;

/* ---- The video-table entries (spec §8.2, §8.3): all APIENTRY, hDevice first ---- */

typedef HRESULT(APIENTRY* PFND3D11_1DDI_GETCONTENTPROTECTIONCAPS)(
    D3D10DDI_HDEVICE hDevice, CONST GUID* pCryptoType, CONST GUID* pDecodeProfile,
    D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS* pCaps);
typedef HRESULT(APIENTRY* PFND3D11_1DDI_GETCRYPTOKEYEXCHANGETYPE)(D3D10DDI_HDEVICE hDevice,
                                                                 CONST GUID* pCryptoType,
                                                                 CONST GUID* pDecodeProfile,
                                                                 UINT Index,
                                                                 GUID* pKeyExchangeType);
typedef SIZE_T(APIENTRY* PFND3D11_1DDI_CALCPRIVATECRYPTOSESSIONSIZE)(
    D3D10DDI_HDEVICE hDevice, CONST D3D11_1DDIARG_CREATECRYPTOSESSION* pCreateData);
typedef HRESULT(APIENTRY* PFND3D11_1DDI_CREATECRYPTOSESSION)(
    D3D10DDI_HDEVICE hDevice, CONST D3D11_1DDIARG_CREATECRYPTOSESSION* pCreateData,
    D3D11_1DDI_HCRYPTOSESSION hCryptoSession, D3D11_1DDI_HRTCRYPTOSESSION hRTCryptoSession);
typedef VOID(APIENTRY* PFND3D11_1DDI_DESTROYCRYPTOSESSION)(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HCRYPTOSESSION hCryptoSession);
typedef VOID(APIENTRY* PFND3D11_1DDI_GETCERTIFICATESIZE)(
    D3D10DDI_HDEVICE hDevice, CONST D3D11_1DDI_CERTIFICATE_INFO* pCertificateInfo,
    UINT* pCertificateSize);
typedef VOID(APIENTRY* PFND3D11_1DDI_GETCERTIFICATE)(
    D3D10DDI_HDEVICE hDevice, CONST D3D11_1DDI_CERTIFICATE_INFO* pCertificateInfo,
    UINT CertificateSize, BYTE* pCertificate);
/* "ESCHANGE" is the WDK's spelling. */
typedef HRESULT(APIENTRY* PFND3D11_1DDI_NEGOTIATECRYPTOSESSIONKEYESCHANGE)(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HCRYPTOSESSION hCryptoSession, UINT DataSize,
    BYTE* pData);
/* pIV is const in the WDK, yet the driver writes the 16-byte IV it chose there (spec §8.3). */
typedef VOID(APIENTRY* PFND3D11_1DDI_ENCRYPTIONBLT)(D3D10DDI_HDEVICE hDevice,
                                                   D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                                                   D3D10DDI_HRESOURCE hSrcResource,
                                                   D3D10DDI_HRESOURCE hDstResource, UINT IVSize,
                                                   CONST VOID* pIV);
typedef VOID(APIENTRY* PFND3D11_1DDI_DECRYPTIONBLT)(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
    D3D10DDI_HRESOURCE hSrcResource, D3D10DDI_HRESOURCE hDstResource,
    CONST D3D11_1DDI_ENCRYPTED_BLOCK_INFO* pEncryptedBlockInfo, UINT ContentKeySize,
    CONST VOID* pContentKey, UINT IVSize, CONST VOID* pIV);
typedef VOID(APIENTRY* PFND3D11_1DDI_STARTSESSIONKEYREFRESH)(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HCRYPTOSESSION hCryptoSession, UINT RandomNumberSize,
    VOID* pRandomNumber);
typedef VOID(APIENTRY* PFND3D11_1DDI_FINISHSESSIONKEYREFRESH)(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HCRYPTOSESSION hCryptoSession);
typedef VOID(APIENTRY* PFND3D11_1DDI_GETENCRYPTIONBLTKEY)(D3D10DDI_HDEVICE hDevice,
                                                         D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
                                                         UINT KeySize, VOID* pReadbackKey);
typedef SIZE_T(APIENTRY* PFND3D11_1DDI_CALCPRIVATEAUTHENTICATEDCHANNELSIZE)(
    D3D10DDI_HDEVICE hDevice, CONST D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL* pCreateData);
typedef HRESULT(APIENTRY* PFND3D11_1DDI_CREATEAUTHENTICATEDCHANNEL)(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL* pCreateData,
    D3D11_1DDI_HAUTHCHANNEL hAuthChannel, D3D11_1DDI_HRTAUTHCHANNEL hRTAuthChannel);
typedef VOID(APIENTRY* PFND3D11_1DDI_DESTROYAUTHENTICATEDCHANNEL)(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HAUTHCHANNEL hAuthChannel);
typedef HRESULT(APIENTRY* PFND3D11_1DDI_NEGOTIATEAUTHENTICATEDCHANNELKEYEXCHANGE)(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HAUTHCHANNEL hAuthChannel, UINT DataSize, VOID* pData);
typedef HRESULT(APIENTRY* PFND3D11_1DDI_QUERYAUTHENTICATEDCHANNEL)(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HAUTHCHANNEL hAuthChannel, UINT InputDataSize,
    CONST VOID* pInputData, UINT OutputDataSize, VOID* pOutputData);
typedef HRESULT(APIENTRY* PFND3D11_1DDI_CONFIGUREAUTHENTICATEDCHANNEL)(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HAUTHCHANNEL hAuthChannel, UINT InputDataSize,
    CONST VOID* pInputData, D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT* pOutputData);
typedef HRESULT(APIENTRY* PFND3D11_1DDI_VIDEODECODERGETHANDLE)(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HDECODE hDecode, HANDLE* pContentProtectionHandle);
typedef HRESULT(APIENTRY* PFND3D11_1DDI_CRYPTOSESSIONGETHANDLE)(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HCRYPTOSESSION hCryptoSession, HANDLE* pHandle);

/* WDDM 2.0 table (ID 3) additions (spec A42). "pPrivatInputData" is the WDK's spelling. */
typedef HRESULT(APIENTRY* PFND3DWDDM2_0DDI_GETDATAFORNEWHARDWAREKEY)(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HCRYPTOSESSION hCryptoSession, UINT PrivateInputSize,
    CONST VOID* pPrivatInputData, UINT64* pPrivateOutputData);
typedef VOID(APIENTRY* PFND3DWDDM2_0DDI_CHECKCRYPTOSESSIONSTATUS)(
    D3D10DDI_HDEVICE hDevice, D3D11_1DDI_HCRYPTOSESSION hCryptoSession,
    D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS* pStatus);
typedef VOID(APIENTRY* PFND3DWDDM2_0DDI_GETCRYPTOSESSIONPRIVATEDATASIZE)(
    D3D10DDI_HDEVICE hDevice, CONST GUID* pCryptoType, CONST GUID* pDecoderProfile,
    CONST GUID* pKeyExchangeType, UINT* pPrivateInputSize, UINT* pPrivateOutputSize);

/* The slots cpddi never fills (decoder, video processor, views, capture): the WDK's member names
 * with one opaque pointer type, so the layout is the WDK's without declaring their prototypes. A
 * host that owns those slots casts its own entries to this type. */
typedef VOID(APIENTRY* PFNCPDDI_D3D11_1DDI_OPAQUE)(VOID);

/* The first 81 members, shared by both tables (slot index = position, 0-based). */
#define CPDDI_D3D11_1DDI_VIDEODEVICEFUNCS_MEMBERS                                        \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnGetVideoDecoderProfileCount;            /*  0 */          \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnGetVideoDecoderProfile;                                   \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnCheckVideoDecoderFormat;                                  \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnGetVideoDecoderConfigCount;                               \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnGetVideoDecoderConfig;                                    \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnGetVideoDecoderBufferTypeCount;         /*  5 */          \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnGetVideoDecoderBufferInfo;                                \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnCalcPrivateVideoDecoderSize;                              \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnCreateVideoDecoder;                                       \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnDestroyVideoDecoder;                                      \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoDecoderExtension;                  /* 10 */          \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoDecoderBeginFrame;                                   \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoDecoderEndFrame;                                     \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoDecoderSubmitBuffers;                                \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnCalcPrivateVideoProcessorEnumSize;                        \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnCreateVideoProcessorEnum;               /* 15 */          \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnDestroyVideoProcessorEnum;                                \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnCheckVideoProcessorFormat;                                \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnGetVideoProcessorCaps;                                    \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnGetVideoProcessorRateConversionCaps;                      \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnGetVideoProcessorCustomRate;            /* 20 */          \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnGetVideoProcessorFilterRange;                             \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnCalcPrivateVideoProcessorSize;                            \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnCreateVideoProcessor;                                     \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnDestroyVideoProcessor;                                    \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetOutputTargetRect;      /* 25 */          \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetOutputBackgroundColor;                   \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetOutputColorSpace;                        \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetOutputAlphaFillMode;                     \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetOutputConstriction;                      \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetOutputStereoMode;      /* 30 */          \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetOutputExtension;                         \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorGetOutputExtension;                         \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamFrameFormat;                       \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamColorSpace;                        \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamOutputRate;      /* 35 */          \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamSourceRect;                        \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamDestRect;                          \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamAlpha;                             \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamPalette;                           \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamPixelAspectRatio; /* 40 */         \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamLumaKey;                           \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamStereoFormat;                      \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamAutoProcessingMode;                \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamFilter;                            \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamExtension;       /* 45 */          \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorGetStreamExtension;                         \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorBlt;                                        \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnCalcPrivateVideoDecoderOutputViewSize;                    \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnCreateVideoDecoderOutputView;                             \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnDestroyVideoDecoderOutputView;          /* 50 */          \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnCalcPrivateVideoProcessorInputViewSize;                   \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnCreateVideoProcessorInputView;                            \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnDestroyVideoProcessorInputView;                           \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnCalcPrivateVideoProcessorOutputViewSize;                  \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnCreateVideoProcessorOutputView;         /* 55 */          \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnDestroyVideoProcessorOutputView;                          \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorInputViewReadAfterWriteHazard;              \
  PFND3D11_1DDI_GETCONTENTPROTECTIONCAPS pfnGetContentProtectionCaps;   /* 58 */          \
  PFND3D11_1DDI_GETCRYPTOKEYEXCHANGETYPE pfnGetCryptoKeyExchangeType;                     \
  PFND3D11_1DDI_CALCPRIVATECRYPTOSESSIONSIZE pfnCalcPrivateCryptoSessionSize; /* 60 */    \
  PFND3D11_1DDI_CREATECRYPTOSESSION pfnCreateCryptoSession;                               \
  PFND3D11_1DDI_DESTROYCRYPTOSESSION pfnDestroyCryptoSession;                             \
  PFND3D11_1DDI_GETCERTIFICATESIZE pfnGetCertificateSize;                                 \
  PFND3D11_1DDI_GETCERTIFICATE pfnGetCertificate;                                         \
  PFND3D11_1DDI_NEGOTIATECRYPTOSESSIONKEYESCHANGE pfnNegotiateCryptoSessionKeyExchange; /* 65 */ \
  PFND3D11_1DDI_ENCRYPTIONBLT pfnEncryptionBlt;                                           \
  PFND3D11_1DDI_DECRYPTIONBLT pfnDecryptionBlt;                                           \
  PFND3D11_1DDI_STARTSESSIONKEYREFRESH pfnStartSessionKeyRefresh;                         \
  PFND3D11_1DDI_FINISHSESSIONKEYREFRESH pfnFinishSessionKeyRefresh;                       \
  PFND3D11_1DDI_GETENCRYPTIONBLTKEY pfnGetEncryptionBltKey;             /* 70 */          \
  PFND3D11_1DDI_CALCPRIVATEAUTHENTICATEDCHANNELSIZE pfnCalcPrivateAuthenticatedChannelSize; \
  PFND3D11_1DDI_CREATEAUTHENTICATEDCHANNEL pfnCreateAuthenticatedChannel;                 \
  PFND3D11_1DDI_DESTROYAUTHENTICATEDCHANNEL pfnDestroyAuthenticatedChannel;               \
  PFND3D11_1DDI_NEGOTIATEAUTHENTICATEDCHANNELKEYEXCHANGE                                  \
      pfnNegotiateAuthenticatedChannelKeyExchange;                                        \
  PFND3D11_1DDI_QUERYAUTHENTICATEDCHANNEL pfnQueryAuthenticatedChannel; /* 75 */          \
  PFND3D11_1DDI_CONFIGUREAUTHENTICATEDCHANNEL pfnConfigureAuthenticatedChannel;           \
  PFND3D11_1DDI_VIDEODECODERGETHANDLE pfnVideoDecoderGetHandle;                           \
  PFND3D11_1DDI_CRYPTOSESSIONGETHANDLE pfnCryptoSessionGetHandle;                         \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamRotation;                          \
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnGetCaptureHandle; /* 80 */

/* 81 slots: what RetrieveSubObject fills for D3D11_1DDI_VIDEO_FUNCTIONS (2). */
typedef struct D3D11_1DDI_VIDEODEVICEFUNCS {
  CPDDI_D3D11_1DDI_VIDEODEVICEFUNCS_MEMBERS
} D3D11_1DDI_VIDEODEVICEFUNCS;

/* 94 slots: what RetrieveSubObject fills for D3DWDDM2_0DDI_VIDEO_FUNCTIONS (3). */
typedef struct D3DWDDM2_0DDI_VIDEODEVICEFUNCS {
  CPDDI_D3D11_1DDI_VIDEODEVICEFUNCS_MEMBERS
  PFND3DWDDM2_0DDI_GETDATAFORNEWHARDWAREKEY pfnGetDataForNewHardwareKey; /* 81 */
  PFND3DWDDM2_0DDI_CHECKCRYPTOSESSIONSTATUS pfnCheckCryptoSessionStatus; /* 82 */
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoDecoderSubmitBuffers1;
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnQueryVideoCapabilities;
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnCheckVideoProcessorFormatConversion; /* 85 */
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoDecoderEnableDownsampling;
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoDecoderUpdateDownsampling;
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamMirror;
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetOutputColorSpace1;
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetStreamColorSpace1; /* 90 */
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorSetOutputShaderUsage;
  PFNCPDDI_D3D11_1DDI_OPAQUE pfnVideoProcessorGetBehaviorHints;
  PFND3DWDDM2_0DDI_GETCRYPTOSESSIONPRIVATEDATASIZE pfnGetCryptoSessionPrivateDataSize; /* 93 */
} D3DWDDM2_0DDI_VIDEODEVICEFUNCS;

/* ---- Retrieving the video table (spec §8.1, A38) ---- */

#define D3D11_1DDI_VIDEO_FUNCTIONS 2
#define D3DWDDM2_0DDI_VIDEO_FUNCTIONS 3

/* 8 / 16. Relocate TRUE and FALSE are treated alike: the table is filled where it is, and cpddi
 * keeps no pointer to it. */
typedef struct D3D11_1DDI_VIDEO_INPUT {
  BOOL Relocate;
  D3D11_1DDI_VIDEODEVICEFUNCS* p11VideoDeviceFuncs;
} D3D11_1DDI_VIDEO_INPUT;

/* 1: a placeholder (C forbids empty structs); cpddi never writes it. */
typedef struct D3D11_1DDI_VIDEO_OUTPUT {
  UINT8 Reserved;
} D3D11_1DDI_VIDEO_OUTPUT;

typedef struct D3DWDDM2_0DDI_VIDEO_INPUT {
  BOOL Relocate;
  D3DWDDM2_0DDI_VIDEODEVICEFUNCS* pWDDM2_0VideoDeviceFuncs;
} D3DWDDM2_0DDI_VIDEO_INPUT;

typedef struct D3DWDDM2_0DDI_VIDEO_OUTPUT {
  UINT8 Reserved;
} D3DWDDM2_0DDI_VIDEO_OUTPUT;

/* SubDeviceID 2 or 3 only; ParamSize and OutputParamSize must equal that ID's input and output
 * struct sizes and pParams, pOutputParamsBuffer and the table pointer must be non-NULL — else
 * E_INVALIDARG with nothing written (spec A38). */
typedef HRESULT(APIENTRY* PFND3D10DDI_RETRIEVESUBOBJECT)(D3D10DDI_HDEVICE hDevice,
                                                        UINT32 SubDeviceID, SIZE_T ParamSize,
                                                        VOID* pParams, SIZE_T OutputParamSize,
                                                        VOID* pOutputParamsBuffer);

/* ---- The error callback (spec §8.5) ---- */

typedef VOID(APIENTRY* PFND3D10DDI_SETERROR_CB)(D3D10DDI_HRTCORELAYER hRTCoreLayer, HRESULT hr);

/* Only the first member of the WDK's struct is declared: cpddi calls pfnSetErrorCb and nothing
 * else, so a host may pass the runtime's full D3D10DDI_CORELAYER_DEVICECALLBACKS (or its D3D11 /
 * WDDM 2.x successor, which starts the same way) or just this one member. */
typedef struct D3D10DDI_CORELAYER_DEVICECALLBACKS {
  PFND3D10DDI_SETERROR_CB pfnSetErrorCb;
} D3D10DDI_CORELAYER_DEVICECALLBACKS;

/* ---- cpddi's compact adapter, device and resource entries (docs/d3d11.md) ----
 *
 * cpddi cannot render, so it does not hand out the WDK's ~150-slot D3D11_1DDI_DEVICEFUNCS with
 * D3D11DDIARG_CREATERESOURCE (mip chains, bind flags, initial data, …) half filled; it offers
 * the few device entries protected playback needs, under its own names, all returning HRESULT.
 * A host driver that has its own WDK device table embeds cpddi instead (spec A37, A38). */

/* How void entries treat misuse (spec §8.5, A30). */
typedef enum CPDDI_D3D11_1_ERROR_MODE {
  /* Every failure of a void entry is reported through pfnSetErrorCb (default). */
  CPDDI_D3D11_1_ERROR_MODE_STRICT = 0,
  /* For a Windows runtime: EncryptionBlt, DecryptionBlt, Start/FinishSessionKeyRefresh and the
   * destroys report only E_OUTOFMEMORY and D3DDDIERR_DEVICEREMOVED; misuse is logged, reported
   * nowhere, and changes nothing. The other void entries behave as in strict mode. */
  CPDDI_D3D11_1_ERROR_MODE_RUNTIME_SAFE = 1
} CPDDI_D3D11_1_ERROR_MODE;

/* Resource formats: the DXGI_FORMAT values of the three formats cpddi's surfaces have. */
typedef enum CPDDI_D3D11_1_FORMAT {
  CPDDI_D3D11_1_FORMAT_B8G8R8A8_UNORM = 87, /* D3DDDIFMT_A8R8G8B8 in D3D9 */
  CPDDI_D3D11_1_FORMAT_B8G8R8X8_UNORM = 88, /* D3DDDIFMT_X8R8G8B8 */
  CPDDI_D3D11_1_FORMAT_NV12 = 103
} CPDDI_D3D11_1_FORMAT;

/* The D3D11_USAGE values that decide where a resource lives. */
typedef enum CPDDI_D3D11_1_USAGE {
  CPDDI_D3D11_1_USAGE_DEFAULT = 0, /* video memory: DecryptionBlt's destination */
  CPDDI_D3D11_1_USAGE_STAGING = 3  /* system memory: DecryptionBlt's source, EncryptionBlt's dest */
} CPDDI_D3D11_1_USAGE;

/* One 2-D texture (a single subresource, index 0). MiscFlags may hold only
 * D3D11_1DDI_RESOURCE_MISC_RESTRICTED_CONTENT. */
typedef struct CPDDI_D3D11_1_CREATERESOURCE {
  CPDDI_D3D11_1_FORMAT Format;
  UINT Width;
  UINT Height;
  CPDDI_D3D11_1_USAGE Usage;
  UINT MiscFlags;
} CPDDI_D3D11_1_CREATERESOURCE;

/* The WDK's D3D10DDI_MAPPED_SUBRESOURCE. */
typedef struct D3D10DDI_MAPPED_SUBRESOURCE {
  VOID* pData;
  UINT RowPitch;
  UINT DepthPitch;
} D3D10DDI_MAPPED_SUBRESOURCE;

/* ResourceMap flag: answer D3DDDIERR_WASSTILLDRAWING instead of waiting for queued blts. */
#define D3D10_DDI_MAP_FLAG_DONOTWAIT 0x00100000

typedef SIZE_T(APIENTRY* PFNCPDDI_D3D11_1_CALCPRIVATERESOURCESIZE)(
    D3D10DDI_HDEVICE hDevice, CONST CPDDI_D3D11_1_CREATERESOURCE* pCreateResource);
/* E_INVALIDARG for an unsupported format, usage, size or flag, or an hResource that already
 * names a live object; E_OUTOFMEMORY past the device's resource limit or when the protected pool
 * is exhausted (the D3D11.1 codes have no OUTOFHWPROTECTEDMEMORY, spec A41). */
typedef HRESULT(APIENTRY* PFNCPDDI_D3D11_1_CREATERESOURCE)(
    D3D10DDI_HDEVICE hDevice, CONST CPDDI_D3D11_1_CREATERESOURCE* pCreateResource,
    D3D10DDI_HRESOURCE hResource);
/* Waits for the queued blts that use the resource. */
typedef HRESULT(APIENTRY* PFNCPDDI_D3D11_1_DESTROYRESOURCE)(D3D10DDI_HDEVICE hDevice,
                                                           D3D10DDI_HRESOURCE hResource);
/* Refuses protected (restricted-content) resources with E_INVALIDARG: their bytes never reach
 * the CPU (spec §4.10). Subresource must be 0; Flags 0 or D3D10_DDI_MAP_FLAG_DONOTWAIT. */
typedef HRESULT(APIENTRY* PFNCPDDI_D3D11_1_RESOURCEMAP)(D3D10DDI_HDEVICE hDevice,
                                                       D3D10DDI_HRESOURCE hResource,
                                                       UINT Subresource, UINT Flags,
                                                       D3D10DDI_MAPPED_SUBRESOURCE* pMapped);
typedef HRESULT(APIENTRY* PFNCPDDI_D3D11_1_RESOURCEUNMAP)(D3D10DDI_HDEVICE hDevice,
                                                         D3D10DDI_HRESOURCE hResource,
                                                         UINT Subresource);
/* Waits for every queued blt; reports a failed queued blt once. */
typedef HRESULT(APIENTRY* PFNCPDDI_D3D11_1_FLUSH)(D3D10DDI_HDEVICE hDevice);
/* Destroys every session, channel and resource of the device, then the device. */
typedef HRESULT(APIENTRY* PFNCPDDI_D3D11_1_DESTROYDEVICE)(D3D10DDI_HDEVICE hDevice);

typedef struct CPDDI_D3D11_1_DEVICEFUNCS {
  PFNCPDDI_D3D11_1_CALCPRIVATERESOURCESIZE pfnCalcPrivateResourceSize;
  PFNCPDDI_D3D11_1_CREATERESOURCE pfnCreateResource;
  PFNCPDDI_D3D11_1_DESTROYRESOURCE pfnDestroyResource;
  PFNCPDDI_D3D11_1_RESOURCEMAP pfnResourceMap;
  PFNCPDDI_D3D11_1_RESOURCEUNMAP pfnResourceUnmap;
  PFNCPDDI_D3D11_1_FLUSH pfnFlush;
  PFNCPDDI_D3D11_1_DESTROYDEVICE pfnDestroyDevice;
} CPDDI_D3D11_1_DEVICEFUNCS;

/* CPDDI_D3D11_1_CREATEDEVICE.Flags. */
/* DecryptionBlt also writes the HRESULT of a failure into pEncryptedBlockInfo->
 * NumBytesInEncryptPattern when it was given a block map, in either error mode: the side channel
 * Chromium's D3D11 decryptor read because DecryptionBlt returns void (spec §8.4). Off by
 * default: the API marks that struct as input. */
#define CPDDI_D3D11_1_DEVICE_FLAG_BLOCK_INFO_ERRORS 0x1u

typedef struct CPDDI_D3D11_1_CREATEDEVICE {
  D3D10DDI_HDEVICE hDrvDevice;      /* in: CalcPrivateDeviceSize bytes the caller allocated */
  D3D10DDI_HRTCORELAYER hRTCoreLayer; /* in: passed back to pfnSetErrorCb */
  CONST D3D10DDI_CORELAYER_DEVICECALLBACKS* pUMCallbacks; /* in: pfnSetErrorCb must be set */
  CPDDI_D3D11_1_ERROR_MODE ErrorMode;                      /* in */
  CPDDI_D3D11_1_DEVICEFUNCS* pDeviceFuncs;                 /* out: filled by cpddi */
  PFND3D10DDI_RETRIEVESUBOBJECT* ppfnRetrieveSubObject;    /* out: cpddi stores its entry */
  UINT Flags; /* in: CPDDI_D3D11_1_DEVICE_FLAG_* bits, 0 = none */
} CPDDI_D3D11_1_CREATEDEVICE;

typedef SIZE_T(APIENTRY* PFNCPDDI_D3D11_1_CALCPRIVATEDEVICESIZE)(
    D3D10DDI_HADAPTER hAdapter, CONST CPDDI_D3D11_1_CREATEDEVICE* pCreateData);
/* E_INVALIDARG for a null pointer, a null pfnSetErrorCb, an unknown ErrorMode or Flags bit, or
 * an hDrvDevice that already names a live object; nothing is written then. */
typedef HRESULT(APIENTRY* PFNCPDDI_D3D11_1_CREATEDEVICE)(D3D10DDI_HADAPTER hAdapter,
                                                        CPDDI_D3D11_1_CREATEDEVICE* pCreateData);
typedef HRESULT(APIENTRY* PFNCPDDI_D3D11_1_CLOSEADAPTER)(D3D10DDI_HADAPTER hAdapter);

typedef struct CPDDI_D3D11_1_ADAPTERFUNCS {
  PFNCPDDI_D3D11_1_CALCPRIVATEDEVICESIZE pfnCalcPrivateDeviceSize;
  PFNCPDDI_D3D11_1_CREATEDEVICE pfnCreateDevice;
  PFNCPDDI_D3D11_1_CLOSEADAPTER pfnCloseAdapter;
} CPDDI_D3D11_1_ADAPTERFUNCS;

typedef struct CPDDI_D3D11_1_OPENADAPTER {
  D3D10DDI_HADAPTER hAdapter;               /* out: cpddi's adapter (not private memory) */
  CPDDI_D3D11_1_ADAPTERFUNCS* pAdapterFuncs; /* in: the table cpddi fills */
  UINT DriverVersion;                       /* out: as D3DDDIARG_OPENADAPTER.DriverVersion */
} CPDDI_D3D11_1_OPENADAPTER;

/* The entry that fills CPDDI_D3D11_1_OPENADAPTER, cpddi_d3d11_1_open_adapter, is declared in
 * cpddi.h beside the adapter options it takes. */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CPDDI_D3DDDI_CP11_1_H_ */
