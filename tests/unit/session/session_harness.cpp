#include "session/session_harness.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>

namespace cpddi::session::testing {

std::shared_ptr<const crypto::RsaPrivateKey> identity_key() {
  static std::mutex mutex;
  static std::shared_ptr<const crypto::RsaPrivateKey> key;
  std::lock_guard lock(mutex);
  if (!key) {
    Result<crypto::RsaPrivateKey> generated = crypto::RsaPrivateKey::generate(2048);
    if (!generated) {
      ADD_FAILURE() << "RSA-2048 generation failed: " << generated.error().reason;
      std::abort();
    }
    key = std::make_shared<const crypto::RsaPrivateKey>(std::move(*generated));
  }
  return key;
}

Aes128Key key_of(const Key16& bytes) { return Aes128Key(std::span<const std::uint8_t, 16>(bytes)); }

Key16 bytes_of(const Aes128Key& key) {
  Key16 out{};
  std::copy(key.expose().begin(), key.expose().end(), out.begin());
  return out;
}

Aes128Key xor_of(const Aes128Key& key, const Key16& number) {
  Aes128Key out = key.clone();
  out.xor_in(key_of(number));
  return out;
}

Bytes oaep_blob(std::span<const std::uint8_t> plaintext, const crypto::OaepParams& params) {
  Result<crypto::RsaPublicKey> pub = identity_key()->public_key();
  EXPECT_TRUE(pub);
  if (!pub) {
    return {};
  }
  Result<Bytes> ct = pub->oaep_encrypt(params, plaintext);
  EXPECT_TRUE(ct);
  return ct ? *ct : Bytes{};
}

Bytes frame(std::uint32_t seed) {
  Bytes out(kFrameLen);
  std::uint32_t x = seed * 2654435761u + 1;
  for (std::uint8_t& b : out) {
    x = x * 1664525u + 1013904223u;  // LCG: fixed, reproducible bytes
    b = static_cast<std::uint8_t>(x >> 24);
  }
  return out;
}

Bytes ctr(const Aes128Key& key, const CounterBlock& block, std::span<const std::uint8_t> data) {
  Bytes out(data.size());
  Result<void> r = crypto::aes128_ctr_xor(key, block, data, out);
  EXPECT_TRUE(r);
  return out;
}

bool all_zero(std::span<const std::uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

namespace {
std::vector<SessionHarness*>& live_harnesses() {
  static std::vector<SessionHarness*> live;
  return live;
}
}  // namespace

Bytes contents(const device::Resource& resource, std::size_t len) {
  for (SessionHarness* harness : live_harnesses()) {
    device::WorkQueue& queue = harness->device().queue();
    queue.wait(queue.last_fence());
  }
  return Bytes(resource.data(), resource.data() + len);
}

SessionHarness::SessionHarness(SessionFeatures features)
    : pool_(std::make_shared<device::ProtectedPool>(64u << 20)),
      device_(pool_, 0),
      session_(features, identity_key(), device_) {
  live_harnesses().push_back(this);
}

SessionHarness::~SessionHarness() { std::erase(live_harnesses(), this); }

Result<void> SessionHarness::exchange(const Aes128Key& key) {
  const Bytes blob = oaep_blob(key.expose());
  return session_.key_exchange(blob);
}

std::shared_ptr<device::Resource> SessionHarness::protected_surface(std::uint32_t width,
                                                                    std::uint32_t height) {
  device::SurfaceDesc d;
  d.format = device::SurfaceFormat::kX8R8G8B8;
  d.width = width;
  d.height = height;
  d.pool = device::Pool::kVideoMemory;
  d.restricted_content = true;
  Result<std::shared_ptr<device::Resource>> r = device::Resource::create(d, pool_);
  EXPECT_TRUE(r);
  return r ? *r : nullptr;
}

std::shared_ptr<device::Resource> SessionHarness::system_surface(std::uint32_t width,
                                                                 std::uint32_t height) {
  device::SurfaceDesc d;
  d.format = device::SurfaceFormat::kX8R8G8B8;
  d.width = width;
  d.height = height;
  d.pool = device::Pool::kSystemMemory;
  Result<std::shared_ptr<device::Resource>> r = device::Resource::create(d, pool_);
  EXPECT_TRUE(r);
  return r ? *r : nullptr;
}

SessionHarness::Blt SessionHarness::prepare_blt(const Aes128Key& key, std::uint64_t iv,
                                                std::uint32_t seed) {
  Blt blt;
  blt.plaintext = frame(seed);
  const CounterBlock block = wire::make_counter_block(iv, 0);
  const Bytes ciphertext = ctr(key, block, blt.plaintext);
  blt.args.source = system_surface();
  blt.args.destination = protected_surface();
  std::copy(ciphertext.begin(), ciphertext.end(), blt.args.source->data());
  blt.args.source_size = kFrameLen;
  blt.args.counter_block = block;
  return blt;
}

::testing::AssertionResult SessionHarness::run_probe(const Aes128Key& key, bool expect_plaintext) {
  Blt blt = prepare_blt(key, next_iv(), static_cast<std::uint32_t>(next_iv_));
  Result<void> r = session_.decryption_blt(blt.args);
  if (!r) {
    return ::testing::AssertionFailure() << "the probe DecryptionBlt failed: " << r.error().reason;
  }
  const bool decrypted = contents(*blt.args.destination) == blt.plaintext;
  if (decrypted == expect_plaintext) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << (decrypted ? "the key IS the session key in force"
                       : "the key is not the session key in force");
}

::testing::AssertionResult SessionHarness::key_in_force(const Aes128Key& key) {
  return run_probe(key, true);
}

::testing::AssertionResult SessionHarness::key_not_in_force(const Aes128Key& key) {
  return run_probe(key, false);
}

}  // namespace cpddi::session::testing
