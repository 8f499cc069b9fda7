// DecryptionBlt: spec §4.5, §7.1, §7.2 and A12–A16. Every error path is checked for its exact
// code and for "nothing changed": the destination keeps its content and the IV is not consumed
// (A13). Partial-encryption maps are in partial_decryption_test.cpp; IV rules in
// decryption_iv_test.cpp.
#include <cstring>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

const HANDLE kGarbageHandle = reinterpret_cast<HANDLE>(0xDEADBEEF);

// A keyed session, a protected 16×4 destination holding known content (uploaded with IV 10),
// and a 512-byte system-memory source holding the next frame encrypted with IV 20.
struct BltSetup {
  explicit BltSetup(const OpenedDevice& d)
      : device(d),
        session(d, kTestKey),
        destination(ScopedSurface::small_protected(d)),
        source(ScopedSurface::system_memory(d, 512)) {
    len = session.surface_bytes(*destination);
    before = pattern_bytes(len, 1);
    frame = pattern_bytes(len, 2);
    const Iv first = make_iv(10);
    EXPECT_EQ(session.decryption_blt(destination->handle(), ctr(kTestKey, first, before), first),
              S_OK);
    Bytes staged = ctr(kTestKey, iv, frame);
    staged.resize(512, 0x5C);
    EXPECT_EQ(d.write_surface(source->handle(), staged), S_OK);
  }

  // Valid arguments for decrypting `frame` into `destination`.
  D3DDDIARG_DECRYPTIONBLT good_args() {
    D3DDDIARG_DECRYPTIONBLT args{};
    args.hCryptoSession = session.handle();
    args.hSrcResource = source->handle();
    args.hDstResource = destination->handle();
    args.SrcResourceSize = static_cast<UINT>(len);
    args.pIV = iv.data();
    return args;
  }

  HRESULT call(const D3DDDIARG_DECRYPTIONBLT& args) {
    return device.funcs().pfnDecryptionBlt(device.device(), &args);
  }

  Bytes destination_content() { return session.read_back(destination->handle(), len); }

  const OpenedDevice& device;
  KeyedSession session;
  std::unique_ptr<ScopedSurface> destination;
  std::unique_ptr<ScopedSurface> source;
  std::size_t len = 0;
  Bytes before;
  Bytes frame;
  Iv iv = make_iv(20);
};

using DecryptionBltTest = SharedDeviceTest;

TEST_F(DecryptionBltTest, GoodArgumentsDecryptIntoTheDestination) {
  BltSetup setup(device());
  ASSERT_EQ(setup.destination_content(), setup.before);
  const HRESULT hr = setup.call(setup.good_args());
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_EQ(setup.destination_content(), setup.frame);
}

TEST_F(DecryptionBltTest, SourceBytesBeyondTheSurfaceAreIgnored) {
  // A16: SrcResourceSize may exceed L (aligned, within the source); only L bytes are used.
  BltSetup setup(device());
  D3DDDIARG_DECRYPTIONBLT args = setup.good_args();
  args.SrcResourceSize = 512;
  const HRESULT hr = setup.call(args);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_EQ(setup.destination_content(), setup.frame);
}

TEST_F(DecryptionBltTest, CallerMemorySourceIsUsedInPlace) {
  BltSetup setup(device());
  Bytes memory(512 + 64);
  auto* aligned = reinterpret_cast<std::uint8_t*>(
      (reinterpret_cast<std::uintptr_t>(memory.data()) + 63) & ~std::uintptr_t{63});
  const Bytes cipher = ctr(kTestKey, setup.iv, setup.frame);
  std::memcpy(aligned, cipher.data(), cipher.size());
  HRESULT hr = S_OK;
  HANDLE source = device().create_surface_in(aligned, 256, D3DDDIFMT_X8R8G8B8, 64, 2, &hr);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  D3DDDIARG_DECRYPTIONBLT args = setup.good_args();
  args.hSrcResource = source;
  hr = setup.call(args);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_EQ(setup.destination_content(), setup.frame);
  EXPECT_EQ(device().destroy_surface(source), S_OK);
}

TEST_F(DecryptionBltTest, NullArgumentStructIsInvalidArgument) {
  const HRESULT hr = device().funcs().pfnDecryptionBlt(device().device(), nullptr);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
}

// ---- Every rejected argument: exact code, destination unchanged, IV not consumed ----

enum class Fault {
  kNullIv, kDestinationSystemMemory, kDestinationUnprotectedVideo, kSourceVideoMemory,
  kSourceProtected, kSourceIsDestination, kSrcSizeZero, kSrcSizeNotBlockMultiple,
  kSrcSizeBelowSurface, kSrcSizeBeyondSource, kMisalignedSource, kSrcSubResource,
  kDstSubResource, kUnknownSource, kUnknownDestination, kSessionAsSource, kDestroyedDestination,
  kSourceOfOtherDevice, kReplayedIv, kLowerIv, kSameIvHigherCount
};

struct FaultRow {
  const char* name;
  Fault fault;
  HRESULT expected;
};

class DecryptionBltRejectTest : public SharedDeviceTest,
                                public ::testing::WithParamInterface<FaultRow> {};

TEST_P(DecryptionBltRejectTest, RejectedWithTheSpecCodeAndNothingChanges) {
  BltSetup setup(device());
  ASSERT_EQ(setup.destination_content(), setup.before);
  D3DDDIARG_DECRYPTIONBLT args = setup.good_args();

  // Extra objects some rows need; all die at the end of the test.
  std::unique_ptr<OpenedDevice> other;  // outlives `extra`, which may live on it
  std::unique_ptr<ScopedSurface> extra;
  Bytes memory(512 + 64);
  HANDLE caller_source = nullptr;
  Iv iv = setup.iv;
  switch (GetParam().fault) {
    case Fault::kNullIv: args.pIV = nullptr; break;
    case Fault::kDestinationSystemMemory:
      extra = ScopedSurface::system_memory(device(), 256);
      args.hDstResource = extra->handle();
      break;
    case Fault::kDestinationUnprotectedVideo:
      extra = std::make_unique<ScopedSurface>(device(), D3DDDIFMT_X8R8G8B8, 16, 4,
                                              D3DDDIPOOL_VIDEOMEMORY, false);
      args.hDstResource = extra->handle();
      break;
    case Fault::kSourceVideoMemory:
      extra = std::make_unique<ScopedSurface>(device(), D3DDDIFMT_X8R8G8B8, 64, 2,
                                              D3DDDIPOOL_VIDEOMEMORY, false);
      args.hSrcResource = extra->handle();
      break;
    case Fault::kSourceProtected:
      extra = std::make_unique<ScopedSurface>(device(), D3DDDIFMT_X8R8G8B8, 64, 2,
                                              D3DDDIPOOL_VIDEOMEMORY, true);
      args.hSrcResource = extra->handle();
      break;
    case Fault::kSourceIsDestination: args.hSrcResource = args.hDstResource; break;
    case Fault::kSrcSizeZero: args.SrcResourceSize = 0; break;
    case Fault::kSrcSizeNotBlockMultiple: args.SrcResourceSize += 8; break;
    case Fault::kSrcSizeBelowSurface: args.SrcResourceSize -= 16; break;
    case Fault::kSrcSizeBeyondSource: args.SrcResourceSize = 512 + 16; break;
    case Fault::kMisalignedSource: {
      auto* aligned = reinterpret_cast<std::uint8_t*>(
          (reinterpret_cast<std::uintptr_t>(memory.data()) + 63) & ~std::uintptr_t{63});
      HRESULT hr = S_OK;
      caller_source =
          device().create_surface_in(aligned + 4, 256, D3DDDIFMT_X8R8G8B8, 64, 1, &hr);
      ASSERT_EQ(hr, S_OK) << hr_name(hr);
      args.hSrcResource = caller_source;
      break;
    }
    case Fault::kSrcSubResource: args.SrcSubResourceIndex = 1; break;
    case Fault::kDstSubResource: args.DstSubResourceIndex = 1; break;
    case Fault::kUnknownSource: args.hSrcResource = kGarbageHandle; break;
    case Fault::kUnknownDestination: args.hDstResource = kGarbageHandle; break;
    case Fault::kSessionAsSource: args.hSrcResource = setup.session.handle(); break;
    case Fault::kDestroyedDestination: {
      HANDLE dead = device().create_surface(D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_VIDEOMEMORY,
                                            true);
      ASSERT_EQ(device().destroy_surface(dead), S_OK);
      args.hDstResource = dead;
      break;
    }
    case Fault::kSourceOfOtherDevice:
      other = OpenedDevice::another_device(device());
      extra = ScopedSurface::system_memory(*other, 512);
      args.hSrcResource = extra->handle();
      break;
    case Fault::kReplayedIv: iv = make_iv(10); args.pIV = iv.data(); break;
    case Fault::kLowerIv: iv = make_iv(9); args.pIV = iv.data(); break;
    case Fault::kSameIvHigherCount: iv = make_iv(10, 1000); args.pIV = iv.data(); break;
  }

  const HRESULT hr = setup.call(args);
  EXPECT_EQ(hr, GetParam().expected) << hr_name(hr);
  EXPECT_EQ(setup.destination_content(), setup.before) << "the destination changed";

  // A13: the IV of the rejected call is still unused.
  const HRESULT retry = setup.call(setup.good_args());
  EXPECT_EQ(retry, S_OK) << "the IV was consumed: " << hr_name(retry);
  EXPECT_EQ(setup.destination_content(), setup.frame);
  if (caller_source != nullptr) {
    EXPECT_EQ(device().destroy_surface(caller_source), S_OK);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Faults, DecryptionBltRejectTest,
    ::testing::Values(
        FaultRow{"NullIv", Fault::kNullIv, E_INVALIDARG},
        FaultRow{"DestinationInSystemMemory", Fault::kDestinationSystemMemory, E_INVALIDARG},
        FaultRow{"DestinationUnprotected", Fault::kDestinationUnprotectedVideo, E_INVALIDARG},
        FaultRow{"SourceInVideoMemory", Fault::kSourceVideoMemory, E_INVALIDARG},
        FaultRow{"SourceProtected", Fault::kSourceProtected, E_INVALIDARG},
        FaultRow{"SourceIsDestination", Fault::kSourceIsDestination, E_INVALIDARG},
        FaultRow{"SrcResourceSizeZero", Fault::kSrcSizeZero, E_INVALIDARG},
        FaultRow{"SrcResourceSizeNotBlockMultiple", Fault::kSrcSizeNotBlockMultiple,
                 E_INVALIDARG},
        FaultRow{"SrcResourceSizeBelowSurface", Fault::kSrcSizeBelowSurface, E_INVALIDARG},
        FaultRow{"SrcResourceSizeBeyondSource", Fault::kSrcSizeBeyondSource, E_INVALIDARG},
        FaultRow{"MisalignedSourceStart", Fault::kMisalignedSource, E_INVALIDARG},
        FaultRow{"SrcSubResourceOne", Fault::kSrcSubResource, E_INVALIDARG},
        FaultRow{"DstSubResourceOne", Fault::kDstSubResource, E_INVALIDARG},
        FaultRow{"UnknownSource", Fault::kUnknownSource, E_INVALIDARG},
        FaultRow{"UnknownDestination", Fault::kUnknownDestination, E_INVALIDARG},
        FaultRow{"SessionHandleAsSource", Fault::kSessionAsSource, E_INVALIDARG},
        FaultRow{"DestroyedDestination", Fault::kDestroyedDestination, E_INVALIDARG},
        FaultRow{"SourceOfAnotherDevice", Fault::kSourceOfOtherDevice, E_INVALIDARG},
        FaultRow{"ReplayedIv", Fault::kReplayedIv, E_INVALIDARG},
        FaultRow{"LowerIv", Fault::kLowerIv, E_INVALIDARG},
        FaultRow{"SameIvHigherCount", Fault::kSameIvHigherCount, E_INVALIDARG}),
    RowName());

// ---- Formats (A16: L = pitch × rows, NV12 has height × 3/2 rows) ----

struct FormatRow {
  const char* name;
  D3DDDIFORMAT format;
  UINT width;
  UINT height;
};

class DecryptionBltFormatTest : public SharedDeviceTest,
                                public ::testing::WithParamInterface<FormatRow> {};

TEST_P(DecryptionBltFormatTest, WholeSurfaceRoundTrips) {
  KeyedSession session(device());
  ScopedSurface surface(device(), GetParam().format, GetParam().width, GetParam().height,
                        D3DDDIPOOL_VIDEOMEMORY, true);
  const std::size_t len = session.surface_bytes(surface);
  const std::size_t rows =
      GetParam().format == D3DDDIFMT_NV12 ? GetParam().height * 3 / 2 : GetParam().height;
  const std::size_t bpp = GetParam().format == D3DDDIFMT_NV12 ? 1 : 4;
  ASSERT_EQ(len % rows, 0u);
  EXPECT_GE(len / rows, GetParam().width * bpp) << "pitch below one row of pixels";
  const Bytes plain = pattern_bytes(len, 11);
  const Iv iv = session.next_iv();
  const HRESULT hr = session.decryption_blt(surface.handle(), ctr(kTestKey, iv, plain), iv);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_EQ(session.read_back(surface.handle(), len), plain);
}

INSTANTIATE_TEST_SUITE_P(
    Formats, DecryptionBltFormatTest,
    ::testing::Values(FormatRow{"X8R8G8B8Small", D3DDDIFMT_X8R8G8B8, 16, 4},
                      FormatRow{"A8R8G8B8OddSize", D3DDDIFMT_A8R8G8B8, 33, 7},
                      FormatRow{"X8R8G8B8Wide", D3DDDIFMT_X8R8G8B8, 1000, 3},
                      FormatRow{"Nv12Tiny", D3DDDIFMT_NV12, 2, 2},
                      FormatRow{"Nv12", D3DDDIFMT_NV12, 64, 32},
                      FormatRow{"Nv12Odd", D3DDDIFMT_NV12, 98, 46}),
    RowName());

// ---- Content keys (spec §4.5, §7.2, A15) ----

constexpr Key kContentKey = {0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
                             0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf};

TEST_F(DecryptionBltTest, ContentKeyWrappedBySessionKeyDecrypts) {
  KeyedSession session(device(), kTestKey);
  auto surface = ScopedSurface::small_protected(device());
  const std::size_t len = session.surface_bytes(*surface);
  const Bytes plain = pattern_bytes(len, 21);
  const Iv iv = session.next_iv();
  const Key wrapped = ecb_wrap(kTestKey, kContentKey);
  const HRESULT hr = session.decryption_blt(surface->handle(), ctr(kContentKey, iv, plain), iv,
                                            nullptr, wrapped.data());
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_EQ(session.read_back(surface->handle(), len), plain);
}

TEST_F(DecryptionBltTest, ContentKeyIsUnwrappedWithTheCurrentSessionKey) {
  KeyedSession session(device(), kTestKey);
  ASSERT_EQ(session.refresh(), S_OK);
  auto surface = ScopedSurface::small_protected(device());
  const std::size_t len = session.surface_bytes(*surface);
  const Bytes plain = pattern_bytes(len, 22);
  Iv iv = session.next_iv();
  // Wrapped under the old session key: unwraps to a different key, so the bytes come out wrong.
  Key wrapped = ecb_wrap(kTestKey, kContentKey);
  ASSERT_EQ(session.decryption_blt(surface->handle(), ctr(kContentKey, iv, plain), iv, nullptr,
                                   wrapped.data()),
            S_OK);
  EXPECT_NE(session.read_back(surface->handle(), len), plain);
  iv = session.next_iv();
  wrapped = ecb_wrap(session.app_key(), kContentKey);
  ASSERT_EQ(session.decryption_blt(surface->handle(), ctr(kContentKey, iv, plain), iv, nullptr,
                                   wrapped.data()),
            S_OK);
  EXPECT_EQ(session.read_back(surface->handle(), len), plain);
}

TEST(DecryptionBltContentKeyCapTest, ContentKeyWithoutCapIsInvalidArgumentAndNothingChanges) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.DisabledCaps = D3DCPCAPS_CONTENTKEY;
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  ASSERT_EQ(device.caps_bits() & D3DCPCAPS_CONTENTKEY, 0u);
  KeyedSession session(device, kTestKey);
  auto surface = ScopedSurface::small_protected(device);
  const std::size_t len = session.surface_bytes(*surface);
  const Bytes before = pattern_bytes(len, 30);
  ASSERT_TRUE(session.upload(*surface, before, kTestKey) == S_OK);
  const Bytes plain = pattern_bytes(len, 31);
  const Iv iv = session.next_iv();
  const Key wrapped = ecb_wrap(kTestKey, kContentKey);
  HRESULT hr = session.decryption_blt(surface->handle(), ctr(kContentKey, iv, plain), iv,
                                      nullptr, wrapped.data());
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  EXPECT_EQ(session.read_back(surface->handle(), len), before);
  // The IV was not consumed: the same IV under the session key still works.
  hr = session.decryption_blt(surface->handle(), ctr(kTestKey, iv, plain), iv);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_EQ(session.read_back(surface->handle(), len), plain);
}

// ---- The counter block (spec §7.1, A10) ----

// Keystream of `blocks` blocks for (iv, count), one independent single-block CTR call per block
// so Count's wrap is computed here, not by the helper under test.
Bytes keystream(const Key& key, std::uint64_t iv, std::uint64_t count, std::size_t len) {
  Bytes out;
  for (std::size_t i = 0; out.size() < len; ++i) {
    const Bytes block = ctr(key, make_iv(iv, count + i), Bytes(16, 0));
    out.insert(out.end(), block.begin(), block.end());
  }
  out.resize(len);
  return out;
}

struct CounterRow {
  const char* name;
  std::uint64_t iv;
  std::uint64_t count;
};

class DecryptionBltCounterTest : public SharedDeviceTest,
                                 public ::testing::WithParamInterface<CounterRow> {};

TEST_P(DecryptionBltCounterTest, CounterBlockIsIvThenCountBigEndian) {
  KeyedSession session(device(), kTestKey);
  auto surface = ScopedSurface::small_protected(device());
  const std::size_t len = session.surface_bytes(*surface);
  const Bytes plain = pattern_bytes(len, 40);
  const Bytes ks = keystream(kTestKey, GetParam().iv, GetParam().count, len);
  Bytes cipher(len);
  for (std::size_t i = 0; i < len; ++i) {
    cipher[i] = plain[i] ^ ks[i];
  }
  const Iv iv = make_iv(GetParam().iv, GetParam().count);
  const HRESULT hr = session.decryption_blt(surface->handle(), cipher, iv);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_EQ(session.read_back(surface->handle(), len), plain);
}

INSTANTIATE_TEST_SUITE_P(
    Counters, DecryptionBltCounterTest,
    ::testing::Values(CounterRow{"ZeroZero", 0, 0},
                      CounterRow{"AsymmetricBytes", 0x0102030405060708ull, 0x1112131415161718ull},
                      CounterRow{"CountWrapsWithoutCarryIntoIv", 0x00000000000000FFull,
                                 0xFFFFFFFFFFFFFFFDull},
                      CounterRow{"AllOnesIv", 0x7FFFFFFFFFFFFFFFull, 0xFFFFFFFFFFFFFFF8ull}),
    RowName());

}  // namespace
}  // namespace cpddi::testing
