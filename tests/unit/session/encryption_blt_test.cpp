// CryptoSession::encryption_blt and get_encryption_blt_key (spec §4.6–§4.7, §7.2, §7.8,
// §9 A18–A21): the read-back key must be minted first, the output decrypts with it, IVs start
// 63-bit random and rise by one, and every error leaves the destination and the IV sequence alone.
#include <algorithm>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/random.h"
#include "session/session_harness.h"

namespace cpddi::session {
namespace {

using namespace testing;  // NOLINT: the harness

const Key16 kKey = {0x8e, 0x73, 0xb0, 0xf7, 0xda, 0x0e, 0x64, 0x52,
                    0xc8, 0x10, 0xf3, 0x2b, 0x80, 0x90, 0x79, 0xe5};

std::shared_ptr<device::Resource> video_surface() {
  device::SurfaceDesc d;
  d.width = kWidth;
  d.height = kHeight + 1;
  d.pool = device::Pool::kVideoMemory;
  Result<std::shared_ptr<device::Resource>> r = device::Resource::create(d, nullptr);
  EXPECT_TRUE(r);
  return r ? *r : nullptr;
}

class EncryptionBltTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto::testing::fail_random_after(-1);
    ASSERT_TRUE(h_.exchange(key_of(kKey)));
    source_ = h_.protected_surface();
    std::copy(plain_.begin(), plain_.end(), source_->data());
    destination_ = h_.system_surface();
  }
  void TearDown() override { crypto::testing::fail_random_after(-1); }

  Aes128Key mint_readback_key(const Aes128Key& session_key) {
    Key16 w{};
    Result<void> r = h_.session().get_encryption_blt_key(w);
    EXPECT_TRUE(r);
    Result<Aes128Key> k = crypto::unwrap_key(session_key, std::span<const std::uint8_t, 16>(w));
    EXPECT_TRUE(k);
    return k ? std::move(*k) : Aes128Key{};
  }

  SessionHarness h_;
  const Bytes plain_ = frame(42);
  std::shared_ptr<device::Resource> source_;
  std::shared_ptr<device::Resource> destination_;
};

TEST_F(EncryptionBltTest, WithoutAReadBackKeyIsWrongState) {
  std::fill(destination_->data(), destination_->data() + kFrameLen, std::uint8_t{0xEE});
  Result<CounterBlock> r = h_.session().encryption_blt({source_, destination_, kFrameLen});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kWrongState);  // A19
  EXPECT_EQ(contents(*destination_), Bytes(kFrameLen, 0xEE));
}

TEST_F(EncryptionBltTest, OutputDecryptsWithTheReadBackKey) {
  const Aes128Key readback = mint_readback_key(key_of(kKey));
  Result<CounterBlock> block = h_.session().encryption_blt({source_, destination_, kFrameLen});
  ASSERT_TRUE(block);
  EXPECT_EQ(wire::count_of(*block), 0u);
  EXPECT_EQ(wire::iv_of(*block) >> 63, 0u);  // A18: top bit clear
  EXPECT_NE(contents(*destination_), plain_);
  EXPECT_EQ(ctr(readback, *block, contents(*destination_)), plain_);
}

TEST_F(EncryptionBltTest, IvRisesByOneAcrossBltsAndKeyChanges) {
  mint_readback_key(key_of(kKey));
  Result<CounterBlock> first = h_.session().encryption_blt({source_, destination_, kFrameLen});
  ASSERT_TRUE(first);
  Result<CounterBlock> second = h_.session().encryption_blt({source_, destination_, kFrameLen});
  ASSERT_TRUE(second);
  EXPECT_EQ(wire::iv_of(*second), wire::iv_of(*first) + 1);

  Key16 number{};
  ASSERT_TRUE(h_.session().start_key_refresh(number));
  ASSERT_TRUE(h_.session().finish_key_refresh());
  mint_readback_key(xor_of(key_of(kKey), number));
  Result<CounterBlock> third = h_.session().encryption_blt({source_, destination_, kFrameLen});
  ASSERT_TRUE(third);
  EXPECT_EQ(wire::iv_of(*third), wire::iv_of(*first) + 2);  // §7.8: never resets for the session's life
}

TEST_F(EncryptionBltTest, PaddingIsEncryptedZerosAndBytesBeyondTheSizeAreUntouched) {
  SessionFeatures f;
  f.block_alignment = 128;  // L = 192 pads to 256
  SessionHarness h(f);
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  Key16 w{};
  ASSERT_TRUE(h.session().get_encryption_blt_key(w));
  Result<Aes128Key> readback = crypto::unwrap_key(key_of(kKey), std::span<const std::uint8_t, 16>(w));
  ASSERT_TRUE(readback);

  device::SurfaceDesc d;
  d.format = device::SurfaceFormat::kNv12;  // 16×2 NV12: pitch 64, 3 rows, L = 192
  d.width = 16;
  d.height = 2;
  d.restricted_content = true;
  std::shared_ptr<device::Resource> nv12 =
      *device::Resource::create(d, std::make_shared<device::ProtectedPool>(1 << 20));
  ASSERT_EQ(nv12->layout().linear_size(), 192u);
  std::copy(plain_.begin(), plain_.begin() + 192, nv12->data());
  auto big = h.system_surface(kWidth, kHeight + 1);  // 320 bytes
  std::fill(big->data(), big->data() + big->size(), std::uint8_t{0xEE});

  Result<CounterBlock> small = h.session().encryption_blt({nv12, big, 128});
  ASSERT_FALSE(small);  // 128 < AlignUp(192, 128)
  EXPECT_EQ(small.error().code, Errc::kInvalidArgument);

  Result<CounterBlock> block = h.session().encryption_blt({nv12, big, 256});
  ASSERT_TRUE(block);
  const Bytes decrypted = ctr(*readback, *block, contents(*big, 256));
  EXPECT_EQ(Bytes(decrypted.begin(), decrypted.begin() + 192),
            Bytes(plain_.begin(), plain_.begin() + 192));
  EXPECT_EQ(Bytes(decrypted.begin() + 192, decrypted.end()), Bytes(64, 0));
  EXPECT_EQ(Bytes(big->data() + 256, big->data() + 320), Bytes(64, 0xEE));
}

TEST_F(EncryptionBltTest, DisabledIsNotAvailable) {
  SessionFeatures f;
  f.encrypted_readback = false;
  SessionHarness h(f);
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  Result<CounterBlock> r = h.session().encryption_blt({source_, destination_, kFrameLen});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kNotAvailable);
}

TEST_F(EncryptionBltTest, WithoutTheReadBackKeyCapUsesTheSessionKey) {
  SessionFeatures f;
  f.readback_key = false;
  SessionHarness h(f);
  ASSERT_TRUE(h.exchange(key_of(kKey)));
  Result<CounterBlock> block = h.session().encryption_blt({source_, destination_, kFrameLen});
  ASSERT_TRUE(block);
  EXPECT_EQ(ctr(key_of(kKey), *block, contents(*destination_)), plain_);

  Key16 w{};
  Result<void> get = h.session().get_encryption_blt_key(w);
  ASSERT_FALSE(get);
  EXPECT_EQ(get.error().code, Errc::kNotAvailable);
}

TEST_F(EncryptionBltTest, RejectedArgumentsWriteNothingAndKeepTheIvSequence) {
  mint_readback_key(key_of(kKey));
  Result<CounterBlock> first = h_.session().encryption_blt({source_, destination_, kFrameLen});
  ASSERT_TRUE(first);

  auto big = h_.system_surface(kWidth, kHeight + 1);  // 320 bytes
  struct Case {
    const char* name;
    EncryptionBltArgs args;
  };
  const std::vector<Case> cases = {
      {"source not protected", {h_.system_surface(), big, kFrameLen}},
      {"destination protected", {source_, h_.protected_surface(), kFrameLen}},
      {"destination in video memory", {source_, video_surface(), kFrameLen}},
      {"size smaller than the surface", {source_, big, kFrameLen - 16}},
      {"size not a block multiple", {source_, big, kFrameLen + 8}},
      {"size larger than the destination", {source_, big, 336}},
      {"size zero", {source_, big, 0}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::fill(c.args.destination->data(), c.args.destination->data() + c.args.destination->size(),
              std::uint8_t{0xEE});
    Result<CounterBlock> r = h_.session().encryption_blt(c.args);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(contents(*c.args.destination, c.args.destination->size()),
              Bytes(c.args.destination->size(), 0xEE));
  }
  Result<CounterBlock> next = h_.session().encryption_blt({source_, destination_, kFrameLen});
  ASSERT_TRUE(next);
  EXPECT_EQ(wire::iv_of(*next), wire::iv_of(*first) + 1);
}

TEST_F(EncryptionBltTest, RngFailureOnTheFirstIvIsInternalAndWritesNothing) {
  mint_readback_key(key_of(kKey));
  std::fill(destination_->data(), destination_->data() + kFrameLen, std::uint8_t{0xEE});
  crypto::testing::fail_random_after(0);
  Result<CounterBlock> r = h_.session().encryption_blt({source_, destination_, kFrameLen});
  crypto::testing::fail_random_after(-1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInternal);
  EXPECT_EQ(contents(*destination_), Bytes(kFrameLen, 0xEE));
}

// ---- GetEncryptionBltKey ----

TEST_F(EncryptionBltTest, EveryGetMintsANewKeyAndLaterBltsUseIt) {
  const Aes128Key first = mint_readback_key(key_of(kKey));
  const Aes128Key second = mint_readback_key(key_of(kKey));
  EXPECT_FALSE(first.constant_time_equals(second));
  Result<CounterBlock> block = h_.session().encryption_blt({source_, destination_, kFrameLen});
  ASSERT_TRUE(block);
  EXPECT_EQ(ctr(second, *block, contents(*destination_)), plain_);
}

TEST_F(EncryptionBltTest, ReadBackKeyIsWrappedUnderTheCurrentSessionKey) {
  Key16 number{};
  ASSERT_TRUE(h_.session().start_key_refresh(number));
  ASSERT_TRUE(h_.session().finish_key_refresh());
  const Aes128Key readback = mint_readback_key(xor_of(key_of(kKey), number));  // A21
  Result<CounterBlock> block = h_.session().encryption_blt({source_, destination_, kFrameLen});
  ASSERT_TRUE(block);
  EXPECT_EQ(ctr(readback, *block, contents(*destination_)), plain_);
}

TEST_F(EncryptionBltTest, GetWithWrongSizeOrNullIsInvalidArgumentAndWritesNothing) {
  const Aes128Key readback = mint_readback_key(key_of(kKey));
  std::array<std::uint8_t, 32> buffer;
  for (std::size_t size : {std::size_t{0}, std::size_t{8}, std::size_t{15}, std::size_t{17},
                           std::size_t{32}}) {
    buffer.fill(0xEE);
    Result<void> r = h_.session().get_encryption_blt_key(std::span(buffer.data(), size));
    ASSERT_FALSE(r) << "size " << size;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_TRUE(std::all_of(buffer.begin(), buffer.end(), [](std::uint8_t b) { return b == 0xEE; }));
  }
  Result<void> null = h_.session().get_encryption_blt_key(
      std::span<std::uint8_t>(static_cast<std::uint8_t*>(nullptr), std::size_t{16}));
  ASSERT_FALSE(null);
  EXPECT_EQ(null.error().code, Errc::kInvalidArgument);

  // The earlier read-back key is still the one in force.
  Result<CounterBlock> block = h_.session().encryption_blt({source_, destination_, kFrameLen});
  ASSERT_TRUE(block);
  EXPECT_EQ(ctr(readback, *block, contents(*destination_)), plain_);
}

TEST_F(EncryptionBltTest, GetRngFailureIsInternalAndKeepsTheOldReadBackKey) {
  const Aes128Key readback = mint_readback_key(key_of(kKey));
  Key16 out;
  out.fill(0xEE);
  crypto::testing::fail_random_after(0);
  Result<void> r = h_.session().get_encryption_blt_key(out);
  crypto::testing::fail_random_after(-1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kInternal);
  Key16 untouched;
  untouched.fill(0xEE);
  EXPECT_EQ(out, untouched);

  Result<CounterBlock> block = h_.session().encryption_blt({source_, destination_, kFrameLen});
  ASSERT_TRUE(block);
  EXPECT_EQ(ctr(readback, *block, contents(*destination_)), plain_);
}

}  // namespace
}  // namespace cpddi::session
