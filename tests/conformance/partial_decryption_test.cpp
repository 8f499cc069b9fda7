// Partial-encryption maps (D3DDDIENCRYPTED_BLOCK_INFO): spec §7.4 and A17. The expected bytes come
// from a straightforward implementation of the §7.4 algorithm written here, over a keystream
// generated independently with ctr(key, iv, zeros).
#include <algorithm>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

struct Map {
  UINT e0;  // NumEncryptedBytesAtBeginning
  UINT s;   // NumBytesInSkipPattern
  UINT e;   // NumBytesInEncryptPattern
};

// Spec §7.4, literally: the keystream position counts encrypted bytes only, runs are truncated at
// L, and the keystream continues across clear gaps (mid-block when a run is not a multiple of 16).
Bytes apply_map(const Bytes& in, const Bytes& keystream_bytes, const std::optional<Map>& map) {
  const std::size_t len = in.size();
  Bytes out = in;
  std::size_t pos = 0;
  std::size_t ks = 0;
  auto encrypted = [&](std::uint64_t n) {
    const std::size_t run = static_cast<std::size_t>(std::min<std::uint64_t>(n, len - pos));
    for (std::size_t i = 0; i < run; ++i) {
      out[pos + i] = in[pos + i] ^ keystream_bytes.at(ks + i);
    }
    pos += run;
    ks += run;
  };
  auto clear = [&](std::uint64_t n) {
    pos += static_cast<std::size_t>(std::min<std::uint64_t>(n, len - pos));
  };
  if (!map) {
    encrypted(len);
    return out;
  }
  encrypted(map->e0);
  if (map->s == 0 && map->e == 0) {
    clear(len - pos);
  } else if (map->e == 0) {
    clear(len - pos);
  } else if (map->s == 0) {
    encrypted(len - pos);
  } else {
    while (pos < len) {
      clear(map->s);
      encrypted(map->e);
    }
  }
  return out;
}

struct MapRow {
  const char* name;
  std::optional<Map> map;
  D3DDDIFORMAT format = D3DDDIFMT_X8R8G8B8;  // 16×4 → L = 256; NV12 64×32 → L = 3072
};

UINT width_of(D3DDDIFORMAT f) { return f == D3DDDIFMT_NV12 ? 64 : 16; }
UINT height_of(D3DDDIFORMAT f) { return f == D3DDDIFMT_NV12 ? 32 : 4; }

// Uploads `plain` encrypted per `map` and returns the DecryptionBlt HRESULT.
HRESULT upload_with_map(KeyedSession& session, const ScopedSurface& surface, const Bytes& plain,
                        const std::optional<Map>& map, const Iv& iv) {
  const Bytes ks = ctr(session.app_key(), iv, Bytes(plain.size(), 0));
  const Bytes cipher = apply_map(plain, ks, map);
  D3DDDIENCRYPTED_BLOCK_INFO info{};
  if (map) {
    info = {map->e0, map->s, map->e};
  }
  return session.decryption_blt(surface.handle(), cipher, iv, map ? &info : nullptr);
}

TEST(PartialDecryptionReferenceTest, ReferenceMatchesTheDocExampleByHand) {
  // (100, 20, 2) over 130 bytes: 100 encrypted, 20 clear, 2 encrypted, 8 clear.
  const Bytes in(130, 0x00);
  Bytes ks(130);
  for (std::size_t i = 0; i < ks.size(); ++i) {
    ks[i] = static_cast<std::uint8_t>(i + 1);
  }
  const Bytes out = apply_map(in, ks, Map{100, 20, 2});
  for (std::size_t i = 0; i < 100; ++i) {
    EXPECT_EQ(out[i], ks[i]) << i;
  }
  for (std::size_t i = 100; i < 120; ++i) {
    EXPECT_EQ(out[i], 0) << i;
  }
  EXPECT_EQ(out[120], ks[100]);  // the keystream continues where the first run stopped
  EXPECT_EQ(out[121], ks[101]);
  for (std::size_t i = 122; i < 130; ++i) {
    EXPECT_EQ(out[i], 0) << i;
  }
}

class PartialDecryptionTest : public SharedDeviceTest,
                              public ::testing::WithParamInterface<MapRow> {};

TEST_P(PartialDecryptionTest, DriverDecryptsExactlyTheMappedRuns) {
  KeyedSession session(device(), kTestKey);
  const D3DDDIFORMAT format = GetParam().format;
  ScopedSurface surface(device(), format, width_of(format), height_of(format),
                        D3DDDIPOOL_VIDEOMEMORY, true);
  const std::size_t len = session.surface_bytes(surface);
  const Bytes plain = pattern_bytes(len, 50);
  const Iv iv = session.next_iv();
  const HRESULT hr = upload_with_map(session, surface, plain, GetParam().map, iv);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_EQ(session.read_back(surface.handle(), len), plain);
}

INSTANTIATE_TEST_SUITE_P(
    Maps, PartialDecryptionTest,
    ::testing::Values(
        MapRow{"NullMapIsAllEncrypted", std::nullopt},
        MapRow{"DocFirstHundredEncryptedRestClear", Map{100, 0, 0}},
        MapRow{"DocHundredThenTwentyClearTwoEncrypted", Map{100, 20, 2}},
        MapRow{"DocHundredTwentyTwoOnNv12", Map{100, 20, 2}, D3DDDIFMT_NV12},
        MapRow{"ChromiumSubsampleWholeBlocks", Map{64, 192, 0}},
        MapRow{"ChromiumSubsampleOddSplit", Map{37, 219, 0}},
        MapRow{"ChromiumSubsampleOnNv12", Map{1000, 2072, 0}, D3DDDIFMT_NV12},
        MapRow{"ZeroSkipMeansRestEncrypted", Map{0, 0, 16}},
        MapRow{"ZeroSkipAfterOddBeginning", Map{20, 0, 3}},
        MapRow{"AllClear", Map{0, 0, 0}},
        MapRow{"SkipOnlyIsAllClear", Map{0, 48, 0}},
        MapRow{"StartsClear", Map{0, 16, 16}},
        MapRow{"CbcsStyleOneInTen", Map{0, 144, 16}, D3DDDIFMT_NV12},
        MapRow{"BeginningLongerThanSurface", Map{1000, 0, 0}},
        MapRow{"BeginningLongerThanSurfaceWithPattern", Map{300, 16, 16}},
        MapRow{"BeginningEqualsSurface", Map{256, 7, 9}},
        MapRow{"OddRuns", Map{7, 13, 5}},
        MapRow{"OneClearOneEncrypted", Map{0, 3, 1}},
        MapRow{"OddRunsCrossingBlocks", Map{17, 1, 31}},
        MapRow{"SingleBytes", Map{1, 1, 1}},
        MapRow{"SkipLongerThanSurface", Map{0, 1000, 16}},
        MapRow{"SkipLongerThanRest", Map{10, 1000, 16}},
        MapRow{"ClearRunEndsAtSurfaceEnd", Map{16, 240, 16}},
        MapRow{"LastEncryptedRunTruncated", Map{0, 250, 10}},
        MapRow{"OddRunsOnNv12", Map{5, 11, 23}, D3DDDIFMT_NV12}),
    RowName());

// ---- Without PARTIALDECRYPTION: only maps that describe all-encrypted or all-clear (A17) ----

struct NoCapRow {
  const char* name;
  Map map;
  bool uniform;
};

class PartialDecryptionWithoutCapTest : public ::testing::TestWithParam<NoCapRow> {
 protected:
  static void SetUpTestSuite() {
    CPDDI_ADAPTER_OPTIONS options = default_options();
    options.DisabledCaps = D3DCPCAPS_PARTIALDECRYPTION;
    device_ = new OpenedDevice(&options);
  }
  static void TearDownTestSuite() {
    delete device_;
    device_ = nullptr;
  }
  static inline OpenedDevice* device_ = nullptr;
};

TEST_P(PartialDecryptionWithoutCapTest, UniformMapsWorkOthersAreInvalidArgument) {
  ASSERT_TRUE(device_ != nullptr && device_->ok());
  ASSERT_EQ(device_->caps_bits() & D3DCPCAPS_PARTIALDECRYPTION, 0u);
  KeyedSession session(*device_, kTestKey);
  auto surface = ScopedSurface::small_protected(*device_);
  const std::size_t len = session.surface_bytes(*surface);
  const Bytes before = pattern_bytes(len, 60);
  ASSERT_EQ(session.upload(*surface, before, kTestKey), S_OK);

  const Bytes plain = pattern_bytes(len, 61);
  const Iv iv = session.next_iv();
  const HRESULT hr = upload_with_map(session, *surface, plain, GetParam().map, iv);
  if (GetParam().uniform) {
    ASSERT_EQ(hr, S_OK) << hr_name(hr);
    EXPECT_EQ(session.read_back(surface->handle(), len), plain);
    return;
  }
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
  EXPECT_EQ(session.read_back(surface->handle(), len), before);
  // The IV was not consumed.
  const HRESULT retry = upload_with_map(session, *surface, plain, std::nullopt, iv);
  EXPECT_EQ(retry, S_OK) << hr_name(retry);
  EXPECT_EQ(session.read_back(surface->handle(), len), plain);
}

INSTANTIATE_TEST_SUITE_P(
    Maps, PartialDecryptionWithoutCapTest,
    ::testing::Values(NoCapRow{"AllClear", Map{0, 0, 0}, true},
                      NoCapRow{"SkipOnlyIsAllClear", Map{0, 32, 0}, true},
                      NoCapRow{"ZeroSkipIsAllEncrypted", Map{0, 0, 16}, true},
                      NoCapRow{"ZeroSkipOddIsAllEncrypted", Map{5, 0, 7}, true},
                      NoCapRow{"BeginningCoversSurface", Map{256, 0, 0}, true},
                      NoCapRow{"BeginningBeyondSurface", Map{1000, 16, 16}, true},
                      NoCapRow{"DocFirstHundred", Map{100, 0, 0}, false},
                      NoCapRow{"DocHundredTwentyTwo", Map{100, 20, 2}, false},
                      NoCapRow{"ChromiumSubsample", Map{64, 192, 0}, false},
                      NoCapRow{"StartsClear", Map{0, 16, 16}, false},
                      NoCapRow{"AllButLastByte", Map{255, 0, 0}, false},
                      NoCapRow{"OneClearByteFirst", Map{0, 1, 255}, false}),
    RowName());

TEST(PartialDecryptionWithoutCapNullTest, NullMapStillWorks) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.DisabledCaps = D3DCPCAPS_PARTIALDECRYPTION;
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  KeyedSession session(device, kTestKey);
  auto surface = ScopedSurface::small_protected(device);
  EXPECT_TRUE(session.decrypts_under(*surface, kTestKey));
}

}  // namespace
}  // namespace cpddi::testing
