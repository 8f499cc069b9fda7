// EncryptionBlt and GetEncryptionBltKey: spec §4.6, §4.7, §7.2, §7.8, A18–A21, and the common
// rule that a failed call writes nothing and consumes no IV.
#include <cstring>
#include <memory>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

const HANDLE kGarbageHandle = reinterpret_cast<HANDLE>(0xDEADBEEF);
constexpr std::uint8_t kSinkFill = 0xEE;

// A keyed session, a protected 16×4 source holding `frame`, a 512-byte system-memory sink
// filled with 0xEE, and (unless told otherwise) a read-back key fetched and unwrapped.
struct ReadBackSetup {
  explicit ReadBackSetup(const OpenedDevice& d, bool fetch_key = true)
      : device(d),
        session(d, kTestKey),
        source(ScopedSurface::small_protected(d)),
        sink(ScopedSurface::system_memory(d, 512)) {
    len = session.surface_bytes(*source);
    frame = pattern_bytes(len, 3);
    EXPECT_EQ(session.upload(*source, frame, kTestKey), S_OK);
    EXPECT_EQ(d.write_surface(sink->handle(), Bytes(512, kSinkFill)), S_OK);
    if (fetch_key) {
      fetch_readback_key();
    }
  }

  void fetch_readback_key() {
    Key wrapped{};
    const HRESULT hr = session.get_encryption_blt_key(&wrapped);
    EXPECT_EQ(hr, S_OK) << hr_name(hr);
    readback_key = ecb_unwrap(session.app_key(), wrapped);
  }

  D3DDDIARG_ENCRYPTIONBLT good_args(Iv* iv) {
    D3DDDIARG_ENCRYPTIONBLT args{};
    args.hCryptoSession = session.handle();
    args.hSrcResource = source->handle();
    args.hDstResource = sink->handle();
    args.DstResourceSize = static_cast<UINT>(len);
    args.pIV = iv->data();
    return args;
  }

  HRESULT call(const D3DDDIARG_ENCRYPTIONBLT& args) {
    return device.funcs().pfnEncryptionBlt(device.device(), &args);
  }

  // A good EncryptionBlt; returns the plaintext under `key` and the IV through `iv`.
  Bytes encrypt(const Key& key, Iv* iv) {
    iv->fill(0);
    const HRESULT hr = call(good_args(iv));
    EXPECT_EQ(hr, S_OK) << hr_name(hr);
    return ctr(key, *iv, device.read_surface(sink->handle(), len));
  }

  const OpenedDevice& device;
  KeyedSession session;
  std::unique_ptr<ScopedSurface> source;
  std::unique_ptr<ScopedSurface> sink;
  std::size_t len = 0;
  Bytes frame;
  Key readback_key{};
};

using EncryptionBltTest = SharedDeviceTest;

TEST_F(EncryptionBltTest, ReadBackDecryptsToWhatWasWritten) {
  ReadBackSetup setup(device());
  Iv iv{};
  EXPECT_EQ(setup.encrypt(setup.readback_key, &iv), setup.frame);
  // The bytes in system memory are ciphertext, not the frame.
  EXPECT_NE(device().read_surface(setup.sink->handle(), setup.len), setup.frame);
}

TEST_F(EncryptionBltTest, ReadBackUsesTheReadBackKeyNotTheSessionKey) {
  ReadBackSetup setup(device());
  Iv iv{};
  EXPECT_NE(setup.encrypt(kTestKey, &iv), setup.frame);
}

TEST_F(EncryptionBltTest, FirstIvHasTopBitClearAndCountZero) {
  ReadBackSetup setup(device());
  Iv iv{};
  iv.fill(0xFF);
  ASSERT_EQ(setup.call(setup.good_args(&iv)), S_OK);
  EXPECT_EQ(iv[0] & 0x80, 0) << "A18: the first IV leaves 2^63 increments of headroom";
  EXPECT_EQ(count_field(iv), 0u);
}

TEST_F(EncryptionBltTest, IvsIncreaseByOneAndNeverRepeat) {
  ReadBackSetup setup(device());
  std::set<std::uint64_t> seen;
  Iv previous{};
  for (int i = 0; i < 200; ++i) {
    Iv iv{};
    ASSERT_EQ(setup.encrypt(setup.readback_key, &iv), setup.frame) << "blt " << i;
    EXPECT_EQ(count_field(iv), 0u);
    if (i > 0) {
      EXPECT_EQ(iv_field(iv), iv_field(previous) + 1) << "blt " << i;
    }
    EXPECT_TRUE(seen.insert(iv_field(iv)).second) << "IV repeated at blt " << i;
    previous = iv;
  }
}

TEST_F(EncryptionBltTest, IvsKeepRisingAcrossKeyChanges) {
  // §7.8: the counter never resets for the life of the session.
  ReadBackSetup setup(device());
  Iv iv{};
  ASSERT_EQ(setup.encrypt(setup.readback_key, &iv), setup.frame);
  std::uint64_t last = iv_field(iv);
  for (int round = 0; round < 5; ++round) {
    ASSERT_EQ(setup.session.refresh(), S_OK);
    ASSERT_EQ(setup.encrypt(setup.readback_key, &iv), setup.frame) << "after refresh " << round;
    EXPECT_EQ(iv_field(iv), ++last);
    setup.fetch_readback_key();
    ASSERT_EQ(setup.encrypt(setup.readback_key, &iv), setup.frame) << "after new key " << round;
    EXPECT_EQ(iv_field(iv), ++last);
  }
  ASSERT_EQ(setup.session.rekey(kOtherKey), S_OK);
  setup.fetch_readback_key();
  ASSERT_EQ(setup.encrypt(setup.readback_key, &iv), setup.frame) << "after a new key exchange";
  EXPECT_EQ(iv_field(iv), ++last);
}

TEST_F(EncryptionBltTest, ReadBackBeforeGetEncryptionBltKeyIsInvalidCall) {
  // A19: with ENCRYPTEDREADBACKKEY the app cannot know any key until it asked for one.
  ReadBackSetup setup(device(), /*fetch_key=*/false);
  Iv iv{};
  iv.fill(0xAB);
  const Iv untouched = iv;
  const HRESULT hr = setup.call(setup.good_args(&iv));
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << hr_name(hr);
  EXPECT_EQ(iv, untouched);
  EXPECT_EQ(device().read_surface(setup.sink->handle(), 512), Bytes(512, kSinkFill));
  setup.fetch_readback_key();
  Iv good{};
  EXPECT_EQ(setup.encrypt(setup.readback_key, &good), setup.frame);
}

TEST_F(EncryptionBltTest, GetEncryptionBltKeyMintsANewKeyEachCall) {
  ReadBackSetup setup(device(), /*fetch_key=*/false);
  Key first{};
  Key second{};
  ASSERT_EQ(setup.session.get_encryption_blt_key(&first), S_OK);
  ASSERT_EQ(setup.session.get_encryption_blt_key(&second), S_OK);
  EXPECT_NE(first, second);
  const Key k1 = ecb_unwrap(kTestKey, first);
  const Key k2 = ecb_unwrap(kTestKey, second);
  Iv iv{};
  const Bytes plain_under_k2 = setup.encrypt(k2, &iv);
  EXPECT_EQ(plain_under_k2, setup.frame) << "later read-backs use the latest key";
  EXPECT_NE(ctr(k1, iv, device().read_surface(setup.sink->handle(), setup.len)), setup.frame);
}

TEST_F(EncryptionBltTest, ReadBackKeyIsWrappedUnderTheCurrentSessionKey) {
  // A21 / §7.2: after a refresh the wrap uses the refreshed session key.
  ReadBackSetup setup(device(), /*fetch_key=*/false);
  ASSERT_EQ(setup.session.refresh(), S_OK);
  ASSERT_NE(setup.session.app_key(), kTestKey);
  setup.fetch_readback_key();  // unwraps with the app's refreshed key
  Iv iv{};
  EXPECT_EQ(setup.encrypt(setup.readback_key, &iv), setup.frame);
}

TEST_F(EncryptionBltTest, DestinationBeyondThePaddedSurfaceIsUntouched) {
  ReadBackSetup setup(device());
  Iv iv{};
  D3DDDIARG_ENCRYPTIONBLT args = setup.good_args(&iv);
  args.DstResourceSize = 512;
  ASSERT_EQ(setup.call(args), S_OK);
  const Bytes sink = device().read_surface(setup.sink->handle(), 512);
  EXPECT_EQ(Bytes(sink.begin() + static_cast<std::ptrdiff_t>(setup.len), sink.end()),
            Bytes(512 - setup.len, kSinkFill));
  EXPECT_EQ(ctr(setup.readback_key, iv, Bytes(sink.begin(),
                                             sink.begin() + static_cast<std::ptrdiff_t>(setup.len))),
            setup.frame);
}

TEST_F(EncryptionBltTest, NullArgumentStructIsInvalidArgument) {
  HRESULT hr = device().funcs().pfnEncryptionBlt(device().device(), nullptr);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  hr = device().funcs().pfnGetEncryptionBltKey(device().device(), nullptr);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
}

// ---- Rejected EncryptionBlt arguments: exact code, nothing written, no IV consumed ----

enum class Fault {
  kNullIv, kDstSizeZero, kDstSizeBelowSurface, kDstSizeNotBlockMultiple, kDstSizeBeyondSink,
  kDestinationProtected, kDestinationVideoMemory, kSourceUnprotectedVideo, kSourceSystemMemory,
  kMisalignedDestination, kSrcSubResource, kDstSubResource, kUnknownSource, kUnknownDestination,
  kDestinationOfOtherDevice
};

struct FaultRow {
  const char* name;
  Fault fault;
};

class EncryptionBltRejectTest : public SharedDeviceTest,
                                public ::testing::WithParamInterface<FaultRow> {};

TEST_P(EncryptionBltRejectTest, InvalidArgumentAndNothingChanges) {
  ReadBackSetup setup(device());
  Iv first{};
  ASSERT_EQ(setup.encrypt(setup.readback_key, &first), setup.frame);
  ASSERT_EQ(device().write_surface(setup.sink->handle(), Bytes(512, kSinkFill)), S_OK);

  Iv iv{};
  iv.fill(0xAB);
  const Iv untouched = iv;
  D3DDDIARG_ENCRYPTIONBLT args = setup.good_args(&iv);
  std::unique_ptr<OpenedDevice> other;  // outlives `extra`, which may live on it
  std::unique_ptr<ScopedSurface> extra;
  Bytes memory(512 + 64, kSinkFill);
  HANDLE caller_sink = nullptr;
  switch (GetParam().fault) {
    case Fault::kNullIv: args.pIV = nullptr; break;
    case Fault::kDstSizeZero: args.DstResourceSize = 0; break;
    case Fault::kDstSizeBelowSurface: args.DstResourceSize -= 16; break;
    case Fault::kDstSizeNotBlockMultiple: args.DstResourceSize += 8; break;
    case Fault::kDstSizeBeyondSink: args.DstResourceSize = 512 + 16; break;
    case Fault::kDestinationProtected:
      extra = std::make_unique<ScopedSurface>(device(), D3DDDIFMT_X8R8G8B8, 64, 2,
                                              D3DDDIPOOL_VIDEOMEMORY, true);
      args.hDstResource = extra->handle();
      break;
    case Fault::kDestinationVideoMemory:
      extra = std::make_unique<ScopedSurface>(device(), D3DDDIFMT_X8R8G8B8, 64, 2,
                                              D3DDDIPOOL_VIDEOMEMORY, false);
      args.hDstResource = extra->handle();
      break;
    case Fault::kSourceUnprotectedVideo:
      extra = std::make_unique<ScopedSurface>(device(), D3DDDIFMT_X8R8G8B8, 16, 4,
                                              D3DDDIPOOL_VIDEOMEMORY, false);
      args.hSrcResource = extra->handle();
      break;
    case Fault::kSourceSystemMemory:
      extra = ScopedSurface::system_memory(device(), 256);
      args.hSrcResource = extra->handle();
      break;
    case Fault::kMisalignedDestination: {
      auto* aligned = reinterpret_cast<std::uint8_t*>(
          (reinterpret_cast<std::uintptr_t>(memory.data()) + 63) & ~std::uintptr_t{63});
      HRESULT hr = S_OK;
      caller_sink = device().create_surface_in(aligned + 4, 256, D3DDDIFMT_X8R8G8B8, 64, 1, &hr);
      ASSERT_EQ(hr, S_OK) << hr_name(hr);
      args.hDstResource = caller_sink;
      break;
    }
    case Fault::kSrcSubResource: args.SrcSubResourceIndex = 1; break;
    case Fault::kDstSubResource: args.DstSubResourceIndex = 1; break;
    case Fault::kUnknownSource: args.hSrcResource = kGarbageHandle; break;
    case Fault::kUnknownDestination: args.hDstResource = kGarbageHandle; break;
    case Fault::kDestinationOfOtherDevice:
      other = OpenedDevice::another_device(device());
      extra = ScopedSurface::system_memory(*other, 512);
      args.hDstResource = extra->handle();
      break;
  }

  const HRESULT hr = setup.call(args);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  EXPECT_EQ(iv, untouched) << "pIV was written";
  EXPECT_EQ(device().read_surface(setup.sink->handle(), 512), Bytes(512, kSinkFill));
  EXPECT_EQ(memory, Bytes(512 + 64, kSinkFill));

  Iv next{};
  EXPECT_EQ(setup.encrypt(setup.readback_key, &next), setup.frame);
  EXPECT_EQ(iv_field(next), iv_field(first) + 1) << "the rejected call consumed an IV";
  if (caller_sink != nullptr) {
    EXPECT_EQ(device().destroy_surface(caller_sink), S_OK);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Faults, EncryptionBltRejectTest,
    ::testing::Values(FaultRow{"NullIv", Fault::kNullIv},
                      FaultRow{"DstResourceSizeZero", Fault::kDstSizeZero},
                      FaultRow{"DstResourceSizeBelowSurface", Fault::kDstSizeBelowSurface},
                      FaultRow{"DstResourceSizeNotBlockMultiple", Fault::kDstSizeNotBlockMultiple},
                      FaultRow{"DstResourceSizeBeyondDestination", Fault::kDstSizeBeyondSink},
                      FaultRow{"DestinationProtected", Fault::kDestinationProtected},
                      FaultRow{"DestinationInVideoMemory", Fault::kDestinationVideoMemory},
                      FaultRow{"SourceUnprotected", Fault::kSourceUnprotectedVideo},
                      FaultRow{"SourceInSystemMemory", Fault::kSourceSystemMemory},
                      FaultRow{"MisalignedDestinationStart", Fault::kMisalignedDestination},
                      FaultRow{"SrcSubResourceOne", Fault::kSrcSubResource},
                      FaultRow{"DstSubResourceOne", Fault::kDstSubResource},
                      FaultRow{"UnknownSource", Fault::kUnknownSource},
                      FaultRow{"UnknownDestination", Fault::kUnknownDestination},
                      FaultRow{"DestinationOfAnotherDevice", Fault::kDestinationOfOtherDevice}),
    RowName());

// ---- Rejected GetEncryptionBltKey arguments: buffer untouched, previous key in force ----

struct KeySizeRow {
  const char* name;
  UINT size;
  bool null_buffer;
};

class GetEncryptionBltKeyRejectTest : public SharedDeviceTest,
                                      public ::testing::WithParamInterface<KeySizeRow> {};

TEST_P(GetEncryptionBltKeyRejectTest, InvalidArgumentAndThePreviousKeyStays) {
  ReadBackSetup setup(device());
  Bytes buffer(64, 0xAB);
  D3DDDIARG_GETENCRYPTIONBLTKEY args{setup.session.handle(),
                                     GetParam().null_buffer ? nullptr : buffer.data(),
                                     GetParam().size};
  const HRESULT hr = device().funcs().pfnGetEncryptionBltKey(device().device(), &args);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  EXPECT_EQ(buffer, Bytes(64, 0xAB));
  Iv iv{};
  EXPECT_EQ(setup.encrypt(setup.readback_key, &iv), setup.frame);
}

INSTANTIATE_TEST_SUITE_P(Sizes, GetEncryptionBltKeyRejectTest,
                         ::testing::Values(KeySizeRow{"SizeZero", 0, false},
                                           KeySizeRow{"SizeFifteen", 15, false},
                                           KeySizeRow{"SizeSeventeen", 17, false},
                                           KeySizeRow{"SizeThirtyTwo", 32, false},
                                           KeySizeRow{"NullBuffer", 16, true}),
                         RowName());

// ---- Caps switched off ----

TEST(EncryptionBltCapsTest, WithoutEncryptedReadbackEncryptionBltIsNotAvailable) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.DisabledCaps = D3DCPCAPS_ENCRYPTEDREADBACK;
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  ASSERT_EQ(device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACK, 0u);
  ReadBackSetup setup(device, /*fetch_key=*/false);
  Key ignored{};
  (void)setup.session.get_encryption_blt_key(&ignored);  // rule out A19 as the reason
  Iv iv{};
  iv.fill(0xAB);
  const Iv untouched = iv;
  const HRESULT hr = setup.call(setup.good_args(&iv));
  EXPECT_EQ(hr, D3DDDIERR_NOTAVAILABLE) << hr_name(hr);
  EXPECT_EQ(iv, untouched);
  EXPECT_EQ(device.read_surface(setup.sink->handle(), 512), Bytes(512, kSinkFill));
}

TEST(EncryptionBltCapsTest, WithoutReadbackKeyTheSessionKeyIsUsed) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.DisabledCaps = D3DCPCAPS_ENCRYPTEDREADBACKKEY;
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  ASSERT_EQ(device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACKKEY, 0u);
  ReadBackSetup setup(device, /*fetch_key=*/false);

  Bytes buffer(16, 0xAB);
  D3DDDIARG_GETENCRYPTIONBLTKEY args{setup.session.handle(), buffer.data(), 16};
  HRESULT hr = device.funcs().pfnGetEncryptionBltKey(device.device(), &args);
  EXPECT_EQ(hr, D3DDDIERR_NOTAVAILABLE) << hr_name(hr);
  EXPECT_EQ(buffer, Bytes(16, 0xAB));

  Iv iv{};
  EXPECT_EQ(setup.encrypt(kTestKey, &iv), setup.frame) << "no GetEncryptionBltKey needed";
  // After a refresh the read-back follows the new session key (A6).
  ASSERT_EQ(setup.session.refresh(), S_OK);
  EXPECT_EQ(setup.encrypt(setup.session.app_key(), &iv), setup.frame);
  EXPECT_NE(ctr(kTestKey, iv, device.read_surface(setup.sink->handle(), setup.len)),
            setup.frame);
}

// ---- Formats ----

struct FormatRow {
  const char* name;
  D3DDDIFORMAT format;
  UINT width;
  UINT height;
};

class EncryptionBltFormatTest : public SharedDeviceTest,
                                public ::testing::WithParamInterface<FormatRow> {};

TEST_P(EncryptionBltFormatTest, ReadBackOfTheWholeSurface) {
  KeyedSession session(device());
  ScopedSurface surface(device(), GetParam().format, GetParam().width, GetParam().height,
                        D3DDDIPOOL_VIDEOMEMORY, true);
  const Bytes plain = pattern_bytes(session.surface_bytes(surface), 12);
  ASSERT_EQ(session.upload(surface, plain, session.app_key()), S_OK);
  HRESULT hr = S_OK;
  EXPECT_EQ(session.download(surface, &hr), plain);
  EXPECT_EQ(hr, S_OK) << hr_name(hr);
}

INSTANTIATE_TEST_SUITE_P(
    Formats, EncryptionBltFormatTest,
    ::testing::Values(FormatRow{"A8R8G8B8OddSize", D3DDDIFMT_A8R8G8B8, 33, 7},
                      FormatRow{"Nv12", D3DDDIFMT_NV12, 64, 32},
                      FormatRow{"Nv12Tiny", D3DDDIFMT_NV12, 2, 2}),
    RowName());

}  // namespace
}  // namespace cpddi::testing
