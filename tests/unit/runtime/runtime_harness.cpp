#include "runtime/runtime_harness.h"

#include <algorithm>
#include <cstring>

#include "crypto/aes.h"
#include "crypto/openssl_faults.h"
#include "crypto/rsa.h"
#include "wire/counter_block.h"

namespace cpddi::runtime::testing {
namespace {

crypto::Aes128Key key_of(const Key16& bytes) {
  return crypto::Aes128Key(std::span<const std::uint8_t, 16>(bytes));
}

}  // namespace

Key16 counter_block(std::uint64_t iv, std::uint64_t count) {
  return wire::make_counter_block(iv, count);
}

Bytes frame(std::uint32_t seed) {
  Bytes out(kFrameLen);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(i * 7 + seed * 31 + 1);
  }
  return out;
}

Bytes ctr(const Key16& key, const Key16& block, std::span<const std::uint8_t> data) {
  Bytes out(data.size());
  EXPECT_TRUE(crypto::aes128_ctr_xor(key_of(key), block, data, out));
  return out;
}

device::SurfaceDesc surface_desc(bool restricted) {
  device::SurfaceDesc desc;
  desc.width = kWidth;
  desc.height = kHeight;
  desc.pool = restricted ? device::Pool::kVideoMemory : device::Pool::kSystemMemory;
  desc.restricted_content = restricted;
  return desc;
}

void seal_into(CallerMemory& memory, const Key16& key, const Key16& block, const Bytes& plaintext) {
  const Bytes sealed = ctr(key, block, plaintext);
  std::copy(sealed.begin(), sealed.end(), memory.bytes.begin());
}

FailingBltRun::FailingBltRun() { crypto::testing::fail_openssl_after(1); }
FailingBltRun::~FailingBltRun() { crypto::testing::fail_openssl_after(-1); }

RuntimeHarness::RuntimeHarness(const AdapterConfig& config) {
  Result<Handle> adapter = runtime_.open_adapter(config);
  EXPECT_TRUE(adapter) << (adapter ? "" : adapter.error().reason);
  adapter_ = adapter ? *adapter : Handle{};
  Result<std::shared_ptr<const AdapterCaps>> announced = runtime_.adapter_caps(adapter_);
  EXPECT_TRUE(announced);
  announced_ = announced ? *announced : nullptr;
}

Handle RuntimeHarness::open_device() {
  Result<Handle> device = runtime_.create_device(adapter_);
  EXPECT_TRUE(device);
  return device ? *device : Handle{};
}

Handle RuntimeHarness::keyed_session(Handle device, const Key16& key) {
  Result<Handle> session = runtime_.create_crypto_session(device, kAesCtr);
  EXPECT_TRUE(session);
  if (!session) {
    return Handle{};
  }
  EXPECT_TRUE(runtime_.crypto_session_key_exchange(device, *session, wrap_key(key)));
  return *session;
}

Bytes RuntimeHarness::wrap_key(const Key16& key) const {
  Result<crypto::RsaPublicKey> pub = announced_->identity->private_key()->public_key();
  EXPECT_TRUE(pub);
  Result<std::vector<std::uint8_t>> blob =
      pub ? pub->oaep_encrypt(crypto::kKeyExchangeOaep, key) : Result<std::vector<std::uint8_t>>();
  EXPECT_TRUE(blob);
  return blob ? *blob : Bytes{};
}

Handle RuntimeHarness::system_surface(Handle device, CallerMemory* memory) {
  device::SurfaceDesc desc = surface_desc(false);
  if (memory != nullptr) {
    desc.caller_memory = memory->bytes.data();
    desc.caller_pitch = 64;
  }
  Result<Handle> surface = runtime_.create_resource(device, desc);
  EXPECT_TRUE(surface);
  return surface ? *surface : Handle{};
}

Handle RuntimeHarness::protected_surface(Handle device) {
  Result<Handle> surface = runtime_.create_resource(device, surface_desc(true));
  EXPECT_TRUE(surface);
  return surface ? *surface : Handle{};
}

Result<void> RuntimeHarness::decrypt_into(Handle device, Handle session, const Key16& key,
                                          const Key16& block, const Bytes& plaintext, Handle source,
                                          CallerMemory& memory, Handle destination) {
  seal_into(memory, key, block, plaintext);
  return decryption_blt(device, session, block, source, destination);
}

Result<void> RuntimeHarness::decryption_blt(Handle device, Handle session, const Key16& block,
                                            Handle source, Handle destination) {
  DecryptionBltRequest blt;
  blt.source = {source, 0};
  blt.destination = {destination, 0};
  blt.source_size = kFrameLen;
  blt.counter_block = std::span<const std::uint8_t, 16>(block);
  return runtime_.decryption_blt(device, session, blt);
}

Bytes RuntimeHarness::read_back(Handle device, Handle session, const Key16& key, Handle surface) {
  Key16 wrapped{};
  EXPECT_TRUE(runtime_.get_encryption_blt_key(device, session, wrapped));
  Result<crypto::Aes128Key> readback = crypto::unwrap_key(key_of(key), wrapped);
  EXPECT_TRUE(readback);
  Key16 readback_bytes{};
  std::copy(readback->expose().begin(), readback->expose().end(), readback_bytes.begin());

  const Handle target = system_surface(device);
  Result<session::CounterBlock> iv =
      runtime_.encryption_blt(device, session, {{surface, 0}, {target, 0}, kFrameLen});
  EXPECT_TRUE(iv);
  Result<MappedSurface> mapped = runtime_.lock(device, {{target, 0}, false, false});
  EXPECT_TRUE(mapped);
  Bytes sealed(kFrameLen);
  if (iv && mapped) {
    std::memcpy(sealed.data(), mapped->data, kFrameLen);
  }
  EXPECT_TRUE(runtime_.unlock(device, {target, 0}));
  EXPECT_TRUE(runtime_.destroy_resource(device, target));
  return iv ? ctr(readback_bytes, *iv, sealed) : Bytes{};
}

}  // namespace cpddi::runtime::testing
