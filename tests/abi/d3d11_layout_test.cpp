// Struct sizes and offsets of d3dddi_cp11_1.h pinned to spec §8.1–§8.3 (the "size x86/x64"
// column) and the slot positions of §8.2: slot n of a video table at n × sizeof(void*). They are
// static_asserts: a wrong layout does not compile. The x86 column is asserted under __i386__
// (spec_size.h).
#include <cstddef>

#include <gtest/gtest.h>

#include "cpddi/d3dddi_cp11_1.h"
#include "spec_size.h"

namespace {

constexpr std::size_t kPtr = sizeof(void*);

// ---- handles: one pointer, passed by value ----
static_assert(sizeof(D3D10DDI_HDEVICE) == kPtr && sizeof(D3D10DDI_HRESOURCE) == kPtr);
static_assert(sizeof(D3D11_1DDI_HCRYPTOSESSION) == kPtr && sizeof(D3D11_1DDI_HAUTHCHANNEL) == kPtr);
static_assert(sizeof(D3D11_1DDI_HDECODE) == kPtr && sizeof(D3D10DDI_HRTCORELAYER) == kPtr);
static_assert(sizeof(D3D11_1DDI_HRTCRYPTOSESSION) == kPtr);
static_assert(sizeof(D3D11_1DDI_HRTAUTHCHANNEL) == kPtr);

// ---- spec §8.3 argument structs ----
static_assert(sizeof(D3D11_1DDIARG_CREATECRYPTOSESSION) == 48);
static_assert(offsetof(D3D11_1DDIARG_CREATECRYPTOSESSION, DecodeProfile) == 16);
static_assert(offsetof(D3D11_1DDIARG_CREATECRYPTOSESSION, KeyExchangeType) == 32);
static_assert(sizeof(D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL) == CPDDI_SPEC_SIZE(8, 16));
static_assert(offsetof(D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL, hChannel) == CPDDI_SPEC_SIZE(4, 8));
static_assert(sizeof(D3D11_1DDI_CERTIFICATE_INFO) == 20);
static_assert(offsetof(D3D11_1DDI_CERTIFICATE_INFO, ChannelType) == 4);
static_assert(offsetof(D3D11_1DDI_CERTIFICATE_INFO, CryptoSessionType) == 4);
static_assert(sizeof(D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS) == 24);
static_assert(offsetof(D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS, BlockAlignmentSize) == 8);
static_assert(offsetof(D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS, ProtectedMemorySize) == 16);
static_assert(sizeof(D3D11_1DDI_ENCRYPTED_BLOCK_INFO) == 12);
static_assert(sizeof(D3D11_1DDI_OMAC) == 16);
static_assert(sizeof(D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT) ==
              sizeof(D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT));
static_assert(sizeof(D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT) == CPDDI_SPEC_SIZE(44, 48));
static_assert(offsetof(D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT, ReturnCode) ==
              CPDDI_SPEC_SIZE(40, 44));

// ---- spec §8.1: RetrieveSubObject's input and output structs ----
static_assert(sizeof(D3D11_1DDI_VIDEO_INPUT) == CPDDI_SPEC_SIZE(8, 16));
static_assert(offsetof(D3D11_1DDI_VIDEO_INPUT, p11VideoDeviceFuncs) == CPDDI_SPEC_SIZE(4, 8));
static_assert(sizeof(D3D11_1DDI_VIDEO_OUTPUT) == 1);
static_assert(sizeof(D3DWDDM2_0DDI_VIDEO_INPUT) == CPDDI_SPEC_SIZE(8, 16));
static_assert(offsetof(D3DWDDM2_0DDI_VIDEO_INPUT, pWDDM2_0VideoDeviceFuncs) ==
              CPDDI_SPEC_SIZE(4, 8));
static_assert(sizeof(D3DWDDM2_0DDI_VIDEO_OUTPUT) == 1);
static_assert(offsetof(D3D10DDI_CORELAYER_DEVICECALLBACKS, pfnSetErrorCb) == 0);

// ---- spec §8.2: the video tables, slot by slot ----
static_assert(sizeof(D3D11_1DDI_VIDEODEVICEFUNCS) == 81 * kPtr);
static_assert(sizeof(D3DWDDM2_0DDI_VIDEODEVICEFUNCS) == 94 * kPtr);

#define CPDDI_SLOT(member, index)                                                 \
  static_assert(offsetof(D3D11_1DDI_VIDEODEVICEFUNCS, member) == (index) * kPtr); \
  static_assert(offsetof(D3DWDDM2_0DDI_VIDEODEVICEFUNCS, member) == (index) * kPtr)

CPDDI_SLOT(pfnGetVideoDecoderProfileCount, 0);
CPDDI_SLOT(pfnVideoDecoderSubmitBuffers, 13);
CPDDI_SLOT(pfnCalcPrivateVideoProcessorEnumSize, 14);
CPDDI_SLOT(pfnVideoProcessorBlt, 47);
CPDDI_SLOT(pfnCalcPrivateVideoDecoderOutputViewSize, 48);
CPDDI_SLOT(pfnDestroyVideoProcessorOutputView, 56);
CPDDI_SLOT(pfnVideoProcessorInputViewReadAfterWriteHazard, 57);
CPDDI_SLOT(pfnGetContentProtectionCaps, 58);
CPDDI_SLOT(pfnGetCryptoKeyExchangeType, 59);
CPDDI_SLOT(pfnCalcPrivateCryptoSessionSize, 60);
CPDDI_SLOT(pfnCreateCryptoSession, 61);
CPDDI_SLOT(pfnDestroyCryptoSession, 62);
CPDDI_SLOT(pfnGetCertificateSize, 63);
CPDDI_SLOT(pfnGetCertificate, 64);
CPDDI_SLOT(pfnNegotiateCryptoSessionKeyExchange, 65);
CPDDI_SLOT(pfnEncryptionBlt, 66);
CPDDI_SLOT(pfnDecryptionBlt, 67);
CPDDI_SLOT(pfnStartSessionKeyRefresh, 68);
CPDDI_SLOT(pfnFinishSessionKeyRefresh, 69);
CPDDI_SLOT(pfnGetEncryptionBltKey, 70);
CPDDI_SLOT(pfnCalcPrivateAuthenticatedChannelSize, 71);
CPDDI_SLOT(pfnCreateAuthenticatedChannel, 72);
CPDDI_SLOT(pfnDestroyAuthenticatedChannel, 73);
CPDDI_SLOT(pfnNegotiateAuthenticatedChannelKeyExchange, 74);
CPDDI_SLOT(pfnQueryAuthenticatedChannel, 75);
CPDDI_SLOT(pfnConfigureAuthenticatedChannel, 76);
CPDDI_SLOT(pfnVideoDecoderGetHandle, 77);
CPDDI_SLOT(pfnCryptoSessionGetHandle, 78);
CPDDI_SLOT(pfnVideoProcessorSetStreamRotation, 79);
CPDDI_SLOT(pfnGetCaptureHandle, 80);
#undef CPDDI_SLOT

static_assert(offsetof(D3DWDDM2_0DDI_VIDEODEVICEFUNCS, pfnGetDataForNewHardwareKey) == 81 * kPtr);
static_assert(offsetof(D3DWDDM2_0DDI_VIDEODEVICEFUNCS, pfnCheckCryptoSessionStatus) == 82 * kPtr);
static_assert(offsetof(D3DWDDM2_0DDI_VIDEODEVICEFUNCS, pfnVideoDecoderSubmitBuffers1) ==
              83 * kPtr);
static_assert(offsetof(D3DWDDM2_0DDI_VIDEODEVICEFUNCS, pfnVideoProcessorGetBehaviorHints) ==
              92 * kPtr);
static_assert(offsetof(D3DWDDM2_0DDI_VIDEODEVICEFUNCS, pfnGetCryptoSessionPrivateDataSize) ==
              93 * kPtr);

// The run-time half: the byte offsets spec §8.2 prints for the first and last crypto slot.
TEST(D3d11LayoutTest, CryptoBlockOffsetsMatchSpecTable) {
  EXPECT_EQ(offsetof(D3D11_1DDI_VIDEODEVICEFUNCS, pfnGetContentProtectionCaps),
            std::size_t{CPDDI_SPEC_SIZE(232, 464)});
  EXPECT_EQ(offsetof(D3D11_1DDI_VIDEODEVICEFUNCS, pfnCryptoSessionGetHandle),
            std::size_t{CPDDI_SPEC_SIZE(312, 624)});
}

TEST(D3d11LayoutTest, CapsBitsKeepTheirDdiValues) {
  EXPECT_EQ(D3D11_1DDI_CONTENT_PROTECTION_CAPS_DECRYPTION_BLT, 0x400);
  EXPECT_EQ(D3DWDDM2_0DDI_CONTENT_PROTECTION_CAPS_HARDWARE_PROTECTED_MEMORY_TRANSITION, 0x2000);
  EXPECT_EQ(D3DWDDM2_0DDI_CONTENT_PROTECTION_CAPS_HARDWARE_DRM_COMMUNICATION, 0x8000);
  EXPECT_EQ(D3D11_1DDI_RESOURCE_MISC_RESTRICTED_CONTENT, 0x800);
}

}  // namespace
