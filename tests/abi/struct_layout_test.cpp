// Struct sizes and offsets of cpddi's d3dddi_cp9.h pinned to spec §2.7 (the "size x86/x64"
// column; D3DAES_CTR_IV and D3DCONTENTPROTECTIONCAPS from §2.8), and the resource-flag bit
// positions of §2.6. The sizes are static_asserts: a wrong layout does not compile. The x86 column
// is asserted under __i386__ (i386 System V lays these structs out as Windows x86 does: they hold
// only 4-byte scalars, pointers and GUIDs, and D3DCONTENTPROTECTIONCAPS is pack(4) there).
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <gtest/gtest.h>

#include "cpddi/d3dddi_cp9.h"

namespace {

#if defined(__x86_64__) || defined(_M_X64)
#define CPDDI_SPEC_SIZE(x86, x64) (x64)
#elif defined(__i386__) || defined(_M_IX86)
#define CPDDI_SPEC_SIZE(x86, x64) (x86)
#else
#error "spec §2.7 gives sizes for x86 and x64 only"
#endif

// ---- spec §2.7, one row per struct cpddi defines ----

static_assert(sizeof(D3DDDIARG_GETCAPS) == CPDDI_SPEC_SIZE(16, 32));
static_assert(sizeof(DDICONTENTPROTECTIONCAPS) == 32);
static_assert(sizeof(DDICERTIFICATEINFO) == 24);
static_assert(sizeof(D3DDDIARG_CREATECRYPTOSESSION) == CPDDI_SPEC_SIZE(36, 40));
static_assert(sizeof(D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE) == CPDDI_SPEC_SIZE(12, 24));
static_assert(sizeof(D3DDDIARG_DESTROYCRYPTOSESSION) == CPDDI_SPEC_SIZE(4, 8));
static_assert(sizeof(D3DDDIARG_ENCRYPTIONBLT) == CPDDI_SPEC_SIZE(28, 48));
static_assert(sizeof(D3DDDIENCRYPTED_BLOCK_INFO) == 12);
static_assert(sizeof(D3DDDIARG_DECRYPTIONBLT) == CPDDI_SPEC_SIZE(36, 64));
static_assert(sizeof(D3DDDIARG_GETPITCH) == CPDDI_SPEC_SIZE(16, 24));
static_assert(sizeof(D3DDDIARG_STARTSESSIONKEYREFRESH) == CPDDI_SPEC_SIZE(12, 24));
static_assert(sizeof(D3DDDIARG_FINISHSESSIONKEYREFRESH) == CPDDI_SPEC_SIZE(4, 8));
static_assert(sizeof(D3DDDIARG_GETENCRYPTIONBLTKEY) == CPDDI_SPEC_SIZE(12, 24));
static_assert(sizeof(D3DDDIARG_CREATEAUTHENTICATEDCHANNEL) == CPDDI_SPEC_SIZE(8, 16));
static_assert(sizeof(D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE) == CPDDI_SPEC_SIZE(12, 24));
static_assert(sizeof(D3DDDIARG_QUERYAUTHENTICATEDCHANNEL) == CPDDI_SPEC_SIZE(16, 32));
static_assert(sizeof(D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL) == CPDDI_SPEC_SIZE(12, 24));
static_assert(sizeof(D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL) == CPDDI_SPEC_SIZE(4, 8));

// ---- spec §2.8, the shared structs cpddi also defines ----

static_assert(sizeof(D3DAES_CTR_IV) == 16);
static_assert(sizeof(D3DCONTENTPROTECTIONCAPS) == CPDDI_SPEC_SIZE(36, 40));  // Microsoft, §10

// ---- spec §2.1 scalars ----

static_assert(sizeof(GUID) == 16);
static_assert(sizeof(DWORD) == 4 && sizeof(UINT) == 4 && sizeof(BOOL) == 4);
static_assert(sizeof(HRESULT) == 4 && sizeof(D3DDDICAPS_TYPE) == 4);
static_assert(sizeof(UINT64) == 8 && sizeof(ULONGLONG) == 8);
static_assert(sizeof(HANDLE) == CPDDI_SPEC_SIZE(4, 8));

// ---- field offsets of the structs the DDI passes most (field order of spec §2.7) ----

// HANDLE hCryptoSession; HANDLE hSrcResource; UINT SrcSubResourceIndex; HANDLE hDstResource;
// UINT DstSubResourceIndex; UINT SrcResourceSize; D3DDDIENCRYPTED_BLOCK_INFO* pEncryptedBlockInfo;
// VOID* pContentKey; VOID* pIV;
static_assert(offsetof(D3DDDIARG_DECRYPTIONBLT, hCryptoSession) == 0);
static_assert(offsetof(D3DDDIARG_DECRYPTIONBLT, hSrcResource) == CPDDI_SPEC_SIZE(4, 8));
static_assert(offsetof(D3DDDIARG_DECRYPTIONBLT, SrcSubResourceIndex) == CPDDI_SPEC_SIZE(8, 16));
static_assert(offsetof(D3DDDIARG_DECRYPTIONBLT, hDstResource) == CPDDI_SPEC_SIZE(12, 24));
static_assert(offsetof(D3DDDIARG_DECRYPTIONBLT, DstSubResourceIndex) == CPDDI_SPEC_SIZE(16, 32));
static_assert(offsetof(D3DDDIARG_DECRYPTIONBLT, SrcResourceSize) == CPDDI_SPEC_SIZE(20, 36));
static_assert(offsetof(D3DDDIARG_DECRYPTIONBLT, pEncryptedBlockInfo) == CPDDI_SPEC_SIZE(24, 40));
static_assert(offsetof(D3DDDIARG_DECRYPTIONBLT, pContentKey) == CPDDI_SPEC_SIZE(28, 48));
static_assert(offsetof(D3DDDIARG_DECRYPTIONBLT, pIV) == CPDDI_SPEC_SIZE(32, 56));

// HANDLE hCryptoSession; VOID* pRandomNumber; UINT RandomNumberSize;
static_assert(offsetof(D3DDDIARG_STARTSESSIONKEYREFRESH, hCryptoSession) == 0);
static_assert(offsetof(D3DDDIARG_STARTSESSIONKEYREFRESH, pRandomNumber) == CPDDI_SPEC_SIZE(4, 8));
static_assert(offsetof(D3DDDIARG_STARTSESSIONKEYREFRESH, RandomNumberSize) ==
              CPDDI_SPEC_SIZE(8, 16));

// HANDLE hCryptoSession; VOID* pReadBackKey; UINT KeySize;
static_assert(offsetof(D3DDDIARG_GETENCRYPTIONBLTKEY, hCryptoSession) == 0);
static_assert(offsetof(D3DDDIARG_GETENCRYPTIONBLTKEY, pReadBackKey) == CPDDI_SPEC_SIZE(4, 8));
static_assert(offsetof(D3DDDIARG_GETENCRYPTIONBLTKEY, KeySize) == CPDDI_SPEC_SIZE(8, 16));

// HANDLE hCryptoSession; HANDLE hSrcResource; UINT SrcSubResourceIndex; HANDLE hDstResource;
// UINT DstSubResourceIndex; UINT DstResourceSize; VOID* pIV;
static_assert(offsetof(D3DDDIARG_ENCRYPTIONBLT, hSrcResource) == CPDDI_SPEC_SIZE(4, 8));
static_assert(offsetof(D3DDDIARG_ENCRYPTIONBLT, SrcSubResourceIndex) == CPDDI_SPEC_SIZE(8, 16));
static_assert(offsetof(D3DDDIARG_ENCRYPTIONBLT, hDstResource) == CPDDI_SPEC_SIZE(12, 24));
static_assert(offsetof(D3DDDIARG_ENCRYPTIONBLT, DstSubResourceIndex) == CPDDI_SPEC_SIZE(16, 32));
static_assert(offsetof(D3DDDIARG_ENCRYPTIONBLT, DstResourceSize) == CPDDI_SPEC_SIZE(20, 36));
static_assert(offsetof(D3DDDIARG_ENCRYPTIONBLT, pIV) == CPDDI_SPEC_SIZE(24, 40));

// GUID CryptoType; GUID DecodeProfile; HANDLE hCryptoSession;
static_assert(offsetof(D3DDDIARG_CREATECRYPTOSESSION, DecodeProfile) == 16);
static_assert(offsetof(D3DDDIARG_CREATECRYPTOSESSION, hCryptoSession) == 32);

// HANDLE hCryptoSession; UINT DataSize; VOID* pData;
static_assert(offsetof(D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE, DataSize) == CPDDI_SPEC_SIZE(4, 8));
static_assert(offsetof(D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE, pData) == CPDDI_SPEC_SIZE(8, 16));

// D3DDDICAPS_TYPE Type; VOID* pInfo; VOID* pData; UINT DataSize;
static_assert(offsetof(D3DDDIARG_GETCAPS, pInfo) == CPDDI_SPEC_SIZE(4, 8));
static_assert(offsetof(D3DDDIARG_GETCAPS, pData) == CPDDI_SPEC_SIZE(8, 16));
static_assert(offsetof(D3DDDIARG_GETCAPS, DataSize) == CPDDI_SPEC_SIZE(12, 24));

// D3DDDI_CERTIFICATETYPE CertificateType; DDIAUTHENTICATEDCHANNELTYPE ChannelType;
// GUID CryptoSessionType;
static_assert(offsetof(DDICERTIFICATEINFO, ChannelType) == 4);
static_assert(offsetof(DDICERTIFICATEINFO, CryptoSessionType) == 8);

// DWORD Caps; GUID KeyExchangeType; UINT BufferAlignmentStart; UINT BlockAlignmentSize;
// ULONGLONG ProtectedMemorySize; (natural alignment on x64, pack(4) on x86: spec §2.1, §10)
static_assert(offsetof(D3DCONTENTPROTECTIONCAPS, KeyExchangeType) == 4);
static_assert(offsetof(D3DCONTENTPROTECTIONCAPS, BufferAlignmentStart) == 20);
static_assert(offsetof(D3DCONTENTPROTECTIONCAPS, BlockAlignmentSize) == 24);
static_assert(offsetof(D3DCONTENTPROTECTIONCAPS, ProtectedMemorySize) == CPDDI_SPEC_SIZE(28, 32));

// UINT64 IV; UINT64 Count; (both big-endian in memory, spec §7.1)
static_assert(offsetof(D3DAES_CTR_IV, Count) == 8);

// ---- the same pins as run-time cases, so CTest lists what this file guards ----

TEST(StructLayoutTest, DecryptionBltMatchesSpecTable) {
  EXPECT_EQ(sizeof(D3DDDIARG_DECRYPTIONBLT), std::size_t{CPDDI_SPEC_SIZE(36, 64)});
  EXPECT_EQ(offsetof(D3DDDIARG_DECRYPTIONBLT, pIV), std::size_t{CPDDI_SPEC_SIZE(32, 56)});
}

TEST(StructLayoutTest, StartSessionKeyRefreshMatchesSpecTable) {
  EXPECT_EQ(sizeof(D3DDDIARG_STARTSESSIONKEYREFRESH), std::size_t{CPDDI_SPEC_SIZE(12, 24)});
  EXPECT_EQ(offsetof(D3DDDIARG_STARTSESSIONKEYREFRESH, RandomNumberSize),
            std::size_t{CPDDI_SPEC_SIZE(8, 16)});
}

TEST(StructLayoutTest, GetEncryptionBltKeyMatchesSpecTable) {
  EXPECT_EQ(sizeof(D3DDDIARG_GETENCRYPTIONBLTKEY), std::size_t{CPDDI_SPEC_SIZE(12, 24)});
  EXPECT_EQ(offsetof(D3DDDIARG_GETENCRYPTIONBLTKEY, KeySize), std::size_t{CPDDI_SPEC_SIZE(8, 16)});
}

TEST(StructLayoutTest, ContentProtectionCapsFollowsMicrosoftNotMingw) {
  EXPECT_EQ(sizeof(D3DCONTENTPROTECTIONCAPS), std::size_t{CPDDI_SPEC_SIZE(36, 40)});
}

// ---- spec §2.6: bit positions inside D3DDDI_RESOURCEFLAGS (bit-field order is the compiler's
// choice, so the bits are read back through the object's bytes, not assumed) ----

static_assert(sizeof(D3DDDI_RESOURCEFLAGS) == 4);
static_assert(sizeof(D3DDDI_LOCKFLAGS) == 4 && sizeof(D3DDDI_UNLOCKFLAGS) == 4);

std::uint32_t bits_of(const D3DDDI_RESOURCEFLAGS& flags) {
  std::uint32_t bits = 0;
  std::memcpy(&bits, &flags, sizeof(bits));
  return bits;
}

TEST(ResourceFlagsTest, RestrictedContentIsBit30) {
  D3DDDI_RESOURCEFLAGS flags{};
  ASSERT_EQ(bits_of(flags), 0u);
  flags.RestrictedContent = 1;
  EXPECT_EQ(bits_of(flags), 0x40000000u);
  EXPECT_EQ(flags.Value, 0x40000000u);
}

TEST(ResourceFlagsTest, RestrictSharedAccessIsBit31) {
  D3DDDI_RESOURCEFLAGS flags{};
  ASSERT_EQ(bits_of(flags), 0u);
  flags.RestrictSharedAccess = 1;
  EXPECT_EQ(bits_of(flags), 0x80000000u);
  EXPECT_EQ(flags.Value, 0x80000000u);
}

}  // namespace
