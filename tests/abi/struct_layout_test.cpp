// Struct sizes and offsets of cpddi's d3dddi_cp9.h pinned to spec §2.7 (the "size x86/x64"
// column; D3DAES_CTR_IV and D3DCONTENTPROTECTIONCAPS from §2.8), and the resource-flag bit
// positions of §2.6. The sizes are static_asserts: a wrong layout does not compile. The x86 column
// is asserted under __i386__ (spec_size.h; D3DCONTENTPROTECTIONCAPS is pack(4) there).
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <gtest/gtest.h>

#include "cpddi/d3dddi_cp9.h"
#include "spec_size.h"

namespace {

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

// ---- field offsets of the structs the DDI passes most (field order and types of spec §2.7) ----

// Each field of these structs sits at the next offset its type's alignment allows: both Windows
// ABIs lay them out so (they hold only 4-byte scalars and enums, HANDLEs and pointers, and GUIDs).
// first_misplaced() lays a spec field list out by that rule and returns the index of the first
// field whose offsetof differs from it, or the field count when none does: a failing
// static_assert prints that index.
struct FieldType {
  std::size_t size;
  std::size_t alignment;
};
constexpr FieldType kUint{4, 4};  // UINT, DWORD and the DDI's enums
constexpr FieldType kPointer{CPDDI_SPEC_SIZE(4, 8), CPDDI_SPEC_SIZE(4, 8)};  // HANDLE, VOID*, T*
constexpr FieldType kGuid{16, 4};

template <std::size_t N>
constexpr std::size_t first_misplaced(const FieldType (&types)[N],
                                      const std::size_t (&offsets)[N]) {
  std::size_t next = 0;
  for (std::size_t i = 0; i < N; ++i) {
    next = (next + types[i].alignment - 1) / types[i].alignment * types[i].alignment;
    if (offsets[i] != next) {
      return i;
    }
    next += types[i].size;
  }
  return N;
}

// Short names for the structs below, so that each field list fits the page.
using StartRefresh = D3DDDIARG_STARTSESSIONKEYREFRESH;
using DecryptionBlt = D3DDDIARG_DECRYPTIONBLT;
using GetBltKey = D3DDDIARG_GETENCRYPTIONBLTKEY;
using EncryptionBlt = D3DDDIARG_ENCRYPTIONBLT;
using CreateSession = D3DDDIARG_CREATECRYPTOSESSION;
using GetCaps = D3DDDIARG_GETCAPS;
using KeyExchange = D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE;
using CertificateInfo = DDICERTIFICATEINFO;

// HANDLE hCryptoSession; VOID* pRandomNumber; UINT RandomNumberSize;
static_assert(first_misplaced({kPointer, kPointer, kUint},
                              {offsetof(StartRefresh, hCryptoSession),
                               offsetof(StartRefresh, pRandomNumber),
                               offsetof(StartRefresh, RandomNumberSize)}) == 3);

// HANDLE hCryptoSession; HANDLE hSrcResource; UINT SrcSubResourceIndex; HANDLE hDstResource;
// UINT DstSubResourceIndex; UINT SrcResourceSize; D3DDDIENCRYPTED_BLOCK_INFO* pEncryptedBlockInfo;
// VOID* pContentKey; VOID* pIV;
static_assert(
    first_misplaced(
        {kPointer, kPointer, kUint, kPointer, kUint, kUint, kPointer, kPointer, kPointer},
        {offsetof(DecryptionBlt, hCryptoSession), offsetof(DecryptionBlt, hSrcResource),
         offsetof(DecryptionBlt, SrcSubResourceIndex), offsetof(DecryptionBlt, hDstResource),
         offsetof(DecryptionBlt, DstSubResourceIndex), offsetof(DecryptionBlt, SrcResourceSize),
         offsetof(DecryptionBlt, pEncryptedBlockInfo), offsetof(DecryptionBlt, pContentKey),
         offsetof(DecryptionBlt, pIV)}) == 9);

// HANDLE hCryptoSession; VOID* pReadBackKey; UINT KeySize;
static_assert(first_misplaced({kPointer, kPointer, kUint}, {offsetof(GetBltKey, hCryptoSession),
                                                            offsetof(GetBltKey, pReadBackKey),
                                                            offsetof(GetBltKey, KeySize)}) == 3);

// HANDLE hCryptoSession; HANDLE hSrcResource; UINT SrcSubResourceIndex; HANDLE hDstResource;
// UINT DstSubResourceIndex; UINT DstResourceSize; VOID* pIV;
static_assert(
    first_misplaced({kPointer, kPointer, kUint, kPointer, kUint, kUint, kPointer},
                    {offsetof(EncryptionBlt, hCryptoSession), offsetof(EncryptionBlt, hSrcResource),
                     offsetof(EncryptionBlt, SrcSubResourceIndex),
                     offsetof(EncryptionBlt, hDstResource),
                     offsetof(EncryptionBlt, DstSubResourceIndex),
                     offsetof(EncryptionBlt, DstResourceSize), offsetof(EncryptionBlt, pIV)}) == 7);

// GUID CryptoType; GUID DecodeProfile; HANDLE hCryptoSession;
static_assert(first_misplaced({kGuid, kGuid, kPointer},
                              {offsetof(CreateSession, CryptoType),
                               offsetof(CreateSession, DecodeProfile),
                               offsetof(CreateSession, hCryptoSession)}) == 3);

// D3DDDICAPS_TYPE Type; VOID* pInfo; VOID* pData; UINT DataSize;
static_assert(first_misplaced({kUint, kPointer, kPointer, kUint},
                              {offsetof(GetCaps, Type), offsetof(GetCaps, pInfo),
                               offsetof(GetCaps, pData), offsetof(GetCaps, DataSize)}) == 4);

// HANDLE hCryptoSession; UINT DataSize; VOID* pData;
static_assert(first_misplaced({kPointer, kUint, kPointer}, {offsetof(KeyExchange, hCryptoSession),
                                                            offsetof(KeyExchange, DataSize),
                                                            offsetof(KeyExchange, pData)}) == 3);

// D3DDDI_CERTIFICATETYPE CertificateType; DDIAUTHENTICATEDCHANNELTYPE ChannelType;
// GUID CryptoSessionType;
static_assert(first_misplaced({kUint, kUint, kGuid},
                              {offsetof(CertificateInfo, CertificateType),
                               offsetof(CertificateInfo, ChannelType),
                               offsetof(CertificateInfo, CryptoSessionType)}) == 3);

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
