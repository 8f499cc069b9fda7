// CryptoSession::decryption_blt (spec §4.5, §9 A11–A17): every rejected argument is
// kInvalidArgument with the destination untouched and the IV not consumed (A13); IV history per
// effective key; content keys; the bytes beyond L ignored.
#include <cstdint>
#include <functional>
#include <ostream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "session/session_harness.h"

namespace cpddi::session {
namespace {

using namespace testing;  // NOLINT: the harness

const Key16 kKey = {0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe,
                    0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d, 0x77, 0x81};
const Key16 kContentA = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
const Key16 kContentB = {16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1};

std::array<std::uint8_t, 16> wrapped(const Key16& content) {
  Result<std::array<std::uint8_t, 16>> w = crypto::wrap_key(key_of(kKey), key_of(content));
  EXPECT_TRUE(w);
  return w ? *w : std::array<std::uint8_t, 16>{};
}

// ---- Rejected arguments: one row per rule ----

struct BadArgs {
  const char* name;
  std::function<void(SessionHarness&, DecryptionBltArgs&)> break_args;
  SessionFeatures features{};
};

alignas(64) std::uint8_t g_misaligned_memory[1024];

SessionFeatures with(std::function<void(SessionFeatures&)> change) {
  SessionFeatures f;
  change(f);
  return f;
}

void PrintTo(const BadArgs& c, std::ostream* os) { *os << c.name; }

class DecryptionBltRejectTest : public ::testing::TestWithParam<BadArgs> {};

TEST_P(DecryptionBltRejectTest, IsInvalidArgumentWritesNothingAndKeepsTheIv) {
  const BadArgs& c = GetParam();
  SessionHarness h(c.features);
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  SessionHarness::Blt blt = h.prepare_blt(key_of(kKey), 20);
  const std::shared_ptr<device::Resource> original_destination = blt.args.destination;
  c.break_args(h, blt.args);
  const Bytes destination_before = contents(*blt.args.destination, blt.args.destination->size());
  const Bytes source_before = contents(*blt.args.source, blt.args.source->size());

  Result<void> r = h.session().decryption_blt(blt.args);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument) << r.error().reason;
  EXPECT_TRUE(all_zero(contents(*original_destination)));
  EXPECT_EQ(contents(*blt.args.destination, blt.args.destination->size()), destination_before);
  EXPECT_EQ(contents(*blt.args.source, blt.args.source->size()), source_before);

  SessionHarness::Blt retry = h.prepare_blt(key_of(kKey), 20);  // the same IV is still unused
  Result<void> ok = h.session().decryption_blt(retry.args);
  ASSERT_TRUE(ok) << ok.error().reason;
  EXPECT_EQ(contents(*retry.args.destination), retry.plaintext);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, DecryptionBltRejectTest,
    ::testing::Values(
        BadArgs{"SourceIsProtected",
                [](SessionHarness& h, DecryptionBltArgs& a) { a.source = h.protected_surface(); }},
        BadArgs{"SourceInVideoMemory",
                [](SessionHarness&, DecryptionBltArgs& a) {
                  device::SurfaceDesc d = a.source->desc();
                  d.pool = device::Pool::kVideoMemory;
                  a.source = *device::Resource::create(d, nullptr);
                }},
        BadArgs{"DestinationNotProtected",
                [](SessionHarness& h, DecryptionBltArgs& a) { a.destination = h.system_surface(); }},
        BadArgs{"DestinationIsTheSource",
                [](SessionHarness&, DecryptionBltArgs& a) { a.destination = a.source; }},
        BadArgs{"NoCounterBlock",
                [](SessionHarness&, DecryptionBltArgs& a) { a.counter_block.reset(); }},
        BadArgs{"ContentKeyWithoutTheCap",
                [](SessionHarness&, DecryptionBltArgs& a) {
                  static const std::array<std::uint8_t, 16> w = wrapped(kContentA);
                  a.wrapped_content_key = std::span<const std::uint8_t, 16>(w);
                },
                with([](SessionFeatures& f) { f.content_key = false; })},
        BadArgs{"SizeZero", [](SessionHarness&, DecryptionBltArgs& a) { a.source_size = 0; }},
        BadArgs{"SizeSmallerThanTheSurface",
                [](SessionHarness&, DecryptionBltArgs& a) { a.source_size = kFrameLen - 16; }},
        BadArgs{"SizeNotABlockMultiple",
                [](SessionHarness& h, DecryptionBltArgs& a) {
                  auto big = h.system_surface(kWidth, kHeight + 1);
                  std::copy(a.source->data(), a.source->data() + kFrameLen, big->data());
                  a.source = big;
                  a.source_size = kFrameLen + 4;
                }},
        BadArgs{"SizeLargerThanTheSourceSurface",
                [](SessionHarness&, DecryptionBltArgs& a) { a.source_size = kFrameLen + 16; }},
        BadArgs{"SourceStartMisaligned",
                [](SessionHarness&, DecryptionBltArgs& a) {
                  device::SurfaceDesc d = a.source->desc();
                  d.caller_memory = g_misaligned_memory + 1;
                  d.caller_pitch = 64;
                  std::copy(a.source->data(), a.source->data() + kFrameLen, d.caller_memory);
                  a.source = *device::Resource::create(d, nullptr);
                }},
        BadArgs{"PartialMapWithoutTheCap",
                [](SessionHarness&, DecryptionBltArgs& a) { a.pattern = BlockPattern{16, 16, 16}; },
                with([](SessionFeatures& f) { f.partial_decryption = false; })}),
    [](const ::testing::TestParamInfo<BadArgs>& p) { return std::string(p.param.name); });

// ---- Accepted shapes ----

TEST(DecryptionBltTest, DecryptsTheFirstLBytesAndIgnoresTheRest) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  SessionHarness::Blt blt = h.prepare_blt(key_of(kKey), 1);
  auto big = h.system_surface(kWidth, kHeight + 1);  // 320 bytes
  std::copy(blt.args.source->data(), blt.args.source->data() + kFrameLen, big->data());
  std::fill(big->data() + kFrameLen, big->data() + big->size(), std::uint8_t{0x99});
  blt.args.source = big;
  blt.args.source_size = kFrameLen + 48;  // over-allocation is allowed (A16)

  ASSERT_TRUE(h.session().decryption_blt(blt.args));
  EXPECT_EQ(contents(*blt.args.destination), blt.plaintext);
  EXPECT_EQ(blt.args.destination->size(), kFrameLen);
}

TEST(DecryptionBltTest, AllClearMapIsAllowedWithoutThePartialCapAndCopies) {
  SessionFeatures f;
  f.partial_decryption = false;
  SessionHarness h(f);
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  SessionHarness::Blt blt = h.prepare_blt(key_of(kKey), 1);
  const Bytes clear = frame(9);
  std::copy(clear.begin(), clear.end(), blt.args.source->data());
  blt.args.pattern = BlockPattern{0, 0, 0};
  ASSERT_TRUE(h.session().decryption_blt(blt.args));
  EXPECT_EQ(contents(*blt.args.destination), clear);
}

TEST(DecryptionBltTest, AllEncryptedMapIsAllowedWithoutThePartialCap) {
  SessionFeatures f;
  f.partial_decryption = false;
  SessionHarness h(f);
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  for (BlockPattern p : {BlockPattern{0, 0, 16}, BlockPattern{300, 5, 5}, BlockPattern{7, 0, 1}}) {
    SessionHarness::Blt blt = h.prepare_blt(key_of(kKey), h.next_iv());
    blt.args.pattern = p;
    Result<void> r = h.session().decryption_blt(blt.args);
    ASSERT_TRUE(r) << p.encrypted_at_beginning << "," << p.skip << "," << p.encrypt;
    EXPECT_EQ(contents(*blt.args.destination), blt.plaintext);
  }
}

TEST(DecryptionBltTest, PartialMapDecryptsOnlyTheEncryptedRuns) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  SessionHarness::Blt blt = h.prepare_blt(key_of(kKey), 1);
  const Bytes plain = frame(3);
  // (32, 16, 16): bytes [0,32) encrypted, then 16 clear / 16 encrypted; the keystream runs on
  // over encrypted bytes only.
  Bytes encrypted_bytes;
  for (std::size_t i = 0; i < kFrameLen; ++i) {
    if (i < 32 || ((i - 32) / 16) % 2 == 1) {
      encrypted_bytes.push_back(plain[i]);
    }
  }
  const Bytes sealed = ctr(key_of(kKey), wire::make_counter_block(1, 0), encrypted_bytes);
  std::size_t k = 0;
  for (std::size_t i = 0; i < kFrameLen; ++i) {
    const bool encrypted = i < 32 || ((i - 32) / 16) % 2 == 1;
    blt.args.source->data()[i] = encrypted ? sealed[k++] : plain[i];
  }
  blt.args.pattern = BlockPattern{32, 16, 16};
  ASSERT_TRUE(h.session().decryption_blt(blt.args));
  EXPECT_EQ(contents(*blt.args.destination), plain);
}

TEST(DecryptionBltTest, PartialMapAcrossTheCountWrapRestartsAtIvZero) {
  // Count = 2^64 − 2 and map (32, 16, 16): the first encrypted run uses exactly the two blocks
  // before the wrap; the next encrypted byte must use IV || 0 (spec §7.1, §9 A10).
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  SessionHarness::Blt blt = h.prepare_blt(key_of(kKey), 1);
  const Bytes plain = frame(4);
  const CounterBlock block = wire::make_counter_block(1, ~std::uint64_t{0} - 1);
  auto encrypted = [](std::size_t i) { return i < 32 || ((i - 32) / 16) % 2 == 1; };
  Bytes encrypted_bytes;
  for (std::size_t i = 0; i < kFrameLen; ++i) {
    if (encrypted(i)) {
      encrypted_bytes.push_back(plain[i]);
    }
  }
  // The app side: one contiguous keystream over the encrypted bytes, built block by block.
  Bytes keystream;
  for (std::uint64_t n = 0; keystream.size() < encrypted_bytes.size(); ++n) {
    const Bytes ks = ctr(key_of(kKey), wire::make_counter_block(1, wire::count_of(block) + n), Bytes(16, 0));
    keystream.insert(keystream.end(), ks.begin(), ks.end());
  }
  std::size_t k = 0;
  for (std::size_t i = 0; i < kFrameLen; ++i) {
    blt.args.source->data()[i] =
        encrypted(i) ? static_cast<std::uint8_t>(plain[i] ^ keystream[k++]) : plain[i];
  }
  blt.args.counter_block = block;
  blt.args.pattern = BlockPattern{32, 16, 16};
  ASSERT_TRUE(h.session().decryption_blt(blt.args));
  EXPECT_EQ(contents(*blt.args.destination), plain);
}

// ---- IVs (A11–A13) ----

TEST(DecryptionBltTest, IvMustRiseForTheSessionKey) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  ASSERT_TRUE(h.session().decryption_blt(h.prepare_blt(key_of(kKey), 10).args));
  for (std::uint64_t iv : {std::uint64_t{10}, std::uint64_t{9}, std::uint64_t{0}}) {
    SessionHarness::Blt replay = h.prepare_blt(key_of(kKey), iv);
    Result<void> r = h.session().decryption_blt(replay.args);
    ASSERT_FALSE(r) << "iv " << iv;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_TRUE(all_zero(contents(*replay.args.destination)));
  }
  ASSERT_TRUE(h.session().decryption_blt(h.prepare_blt(key_of(kKey), 11).args));
}

TEST(DecryptionBltTest, IvComparisonIsOnTheBigEndianValue) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  // 0x0100 > 0x00FF as big-endian; as little-endian loads they would compare the other way.
  ASSERT_TRUE(h.session().decryption_blt(h.prepare_blt(key_of(kKey), 0x00FF).args));
  ASSERT_TRUE(h.session().decryption_blt(h.prepare_blt(key_of(kKey), 0x0100).args));
  EXPECT_FALSE(h.session().decryption_blt(h.prepare_blt(key_of(kKey), 0x00FF).args));
}

TEST(DecryptionBltTest, IvCheckOffAcceptsReplays) {
  SessionFeatures f;
  f.iv_check = IvCheck::kOff;
  SessionHarness h(f);
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  for (int i = 0; i < 3; ++i) {
    SessionHarness::Blt blt = h.prepare_blt(key_of(kKey), 7);
    ASSERT_TRUE(h.session().decryption_blt(blt.args)) << "repeat " << i;
    EXPECT_EQ(contents(*blt.args.destination), blt.plaintext);
  }
}

TEST(DecryptionBltTest, ContentKeyDecryptsWithTheUnwrappedKey) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  const std::array<std::uint8_t, 16> w = wrapped(kContentA);
  SessionHarness::Blt blt = h.prepare_blt(key_of(kContentA), 1);
  blt.args.wrapped_content_key = std::span<const std::uint8_t, 16>(w);
  ASSERT_TRUE(h.session().decryption_blt(blt.args));
  EXPECT_EQ(contents(*blt.args.destination), blt.plaintext);
}

TEST(DecryptionBltTest, EachContentKeyHasItsOwnIvHistory) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  const std::array<std::uint8_t, 16> wa = wrapped(kContentA);
  const std::array<std::uint8_t, 16> wb = wrapped(kContentB);
  auto blt_with = [&](const Key16& content, const std::array<std::uint8_t, 16>& w,
                      std::uint64_t iv) {
    SessionHarness::Blt blt = h.prepare_blt(key_of(content), iv);
    blt.args.wrapped_content_key = std::span<const std::uint8_t, 16>(w);
    return h.session().decryption_blt(blt.args);
  };
  ASSERT_TRUE(h.session().decryption_blt(h.prepare_blt(key_of(kKey), 100).args));
  EXPECT_TRUE(blt_with(kContentA, wa, 5));   // the session key's 100 does not apply
  EXPECT_TRUE(blt_with(kContentB, wb, 5));   // nor content key A's 5
  EXPECT_FALSE(blt_with(kContentA, wa, 5));  // A's own replay
  EXPECT_TRUE(blt_with(kContentA, wa, 6));
  EXPECT_FALSE(h.session().decryption_blt(h.prepare_blt(key_of(kKey), 100).args));
}

TEST(DecryptionBltTest, SixtyFourContentKeysKeepTheirHistories) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  std::vector<std::array<std::uint8_t, 16>> wraps;
  for (std::uint8_t i = 0; i < kMaxTrackedContentKeys; ++i) {
    Key16 content{};
    content.fill(i);
    wraps.push_back(wrapped(content));
  }
  for (const auto& w : wraps) {
    SessionHarness::Blt blt = h.prepare_blt(key_of(kKey), 9);  // content irrelevant here
    blt.args.wrapped_content_key = std::span<const std::uint8_t, 16>(w);
    ASSERT_TRUE(h.session().decryption_blt(blt.args));
  }
  for (const auto& w : wraps) {
    SessionHarness::Blt blt = h.prepare_blt(key_of(kKey), 9);
    blt.args.wrapped_content_key = std::span<const std::uint8_t, 16>(w);
    Result<void> r = h.session().decryption_blt(blt.args);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
  }
}

TEST(DecryptionBltTest, Nv12DestinationProcessesThreeHalvesOfTheRows) {
  SessionHarness h;
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  device::SurfaceDesc d;
  d.format = device::SurfaceFormat::kNv12;
  d.width = 64;
  d.height = 4;
  d.restricted_content = true;
  std::shared_ptr<device::Resource> destination =
      *device::Resource::create(d, std::make_shared<device::ProtectedPool>(1 << 20));
  const std::uint64_t len = destination->layout().linear_size();
  ASSERT_EQ(len, 64u * 6);

  Bytes plain(len);
  for (std::size_t i = 0; i < len; ++i) {
    plain[i] = static_cast<std::uint8_t>(i * 31);
  }
  auto source = h.system_surface(16, 6);  // 384 bytes
  const Bytes sealed = ctr(key_of(kKey), wire::make_counter_block(1, 0), plain);
  std::copy(sealed.begin(), sealed.end(), source->data());
  DecryptionBltArgs args;
  args.source = source;
  args.destination = destination;
  args.source_size = len;
  args.counter_block = wire::make_counter_block(1, 0);
  ASSERT_TRUE(h.session().decryption_blt(args));
  EXPECT_EQ(contents(*destination, len), plain);

  args.source_size = 256;  // 16×4 would be enough for the luma plane only
  args.counter_block = wire::make_counter_block(2, 0);
  Result<void> r = h.session().decryption_blt(args);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
}

}  // namespace
}  // namespace cpddi::session
