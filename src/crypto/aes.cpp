#include "crypto/aes.h"

#include <algorithm>
#include <climits>
#include <cstring>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "base/big_endian.h"
#include "crypto/openssl_faults.h"
#include "crypto/ossl_ptr.h"

namespace cpddi::crypto {

struct CtrKeystream::State {
  CipherCtxPtr ctx;
  Aes128Key key;
  CounterBlock first_block{};
  // Keystream bytes consumed so far, and the byte position where Count wraps to 0 (or
  // UINT64_MAX when the wrap is out of reach of any buffer).
  std::uint64_t position = 0;
  std::uint64_t wrap_position = UINT64_MAX;
};

namespace {

// AES-128-CTR fetched once. With EVP_aes_128_ctr() every EVP_EncryptInit_ex fetches the
// provider's implementation again (a name lookup under a lock, about a microsecond in OpenSSL
// 3.0: a tenth of a 16 KiB blt). A fetched EVP_CIPHER is immutable and may be shared by threads.
const EVP_CIPHER* aes_128_ctr() {
  static const CipherPtr cipher(EVP_CIPHER_fetch(nullptr, "AES-128-CTR", nullptr));
  return cipher.get();
}

Result<void> init_ctr(EVP_CIPHER_CTX* ctx, const Aes128Key& key, const std::uint8_t* block) {
  const EVP_CIPHER* cipher = aes_128_ctr();
  if (openssl_failure_injected() || cipher == nullptr ||
      EVP_EncryptInit_ex(ctx, cipher, nullptr, key.expose().data(), block) != 1) {
    return Error{Errc::kInternal, "AES-128-CTR initialisation failed"};
  }
  return {};
}

Result<void> ctr_update(EVP_CIPHER_CTX* ctx, const std::uint8_t* in, std::uint8_t* out,
                        std::size_t len) {
  constexpr std::size_t kChunk = std::size_t{1} << 30;  // EVP takes int lengths
  while (len > 0) {
    const std::size_t n = std::min(len, kChunk);
    int written = 0;
    if (EVP_EncryptUpdate(ctx, out, &written, in, static_cast<int>(n)) != 1 ||
        static_cast<std::size_t>(written) != n) {
      return Error{Errc::kInternal, "AES-128-CTR failed"};
    }
    in += n;
    out += n;
    len -= n;
  }
  return {};
}

Result<CipherCtxPtr> ecb_ctx(const Aes128Key& kek, bool encrypt) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || openssl_failure_injected() ||
      EVP_CipherInit_ex(ctx.get(), EVP_aes_128_ecb(), nullptr, kek.expose().data(), nullptr,
                        encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
    return Error{Errc::kInternal, "AES-128-ECB initialisation failed"};
  }
  return ctx;
}

Result<void> ecb_block(const Aes128Key& kek, bool encrypt, const std::uint8_t* in,
                       std::uint8_t* out) {
  Result<CipherCtxPtr> ctx = ecb_ctx(kek, encrypt);
  if (!ctx) {
    return ctx.error();
  }
  int written = 0;
  if (EVP_CipherUpdate(ctx->get(), out, &written, in, kAesBlockLen) != 1 ||
      written != static_cast<int>(kAesBlockLen)) {
    return Error{Errc::kInternal, "AES-128-ECB failed"};
  }
  return {};
}

}  // namespace

CtrKeystream::CtrKeystream(std::unique_ptr<State> state) : state_(std::move(state)) {}
CtrKeystream::CtrKeystream(CtrKeystream&&) noexcept = default;
CtrKeystream& CtrKeystream::operator=(CtrKeystream&&) noexcept = default;
CtrKeystream::~CtrKeystream() = default;

Result<CtrKeystream> CtrKeystream::create(const Aes128Key& key,
                                          const CounterBlock& counter_block) {
  auto state = std::make_unique<State>();
  state->ctx.reset(EVP_CIPHER_CTX_new());
  if (!state->ctx) {
    return Error{Errc::kOutOfMemory, "EVP_CIPHER_CTX_new failed"};
  }
  state->key = key.clone();
  state->first_block = counter_block;
  const std::uint64_t count = load_be64(counter_block.data() + 8);
  const std::uint64_t blocks_until_wrap = 0 - count;  // 2^64 - count, 0 meaning 2^64
  if (blocks_until_wrap != 0 && blocks_until_wrap < (std::uint64_t{1} << 59)) {
    state->wrap_position = blocks_until_wrap * kAesBlockLen;
  }
  if (Result<void> r = init_ctr(state->ctx.get(), state->key, counter_block.data()); !r) {
    return r.error();
  }
  return CtrKeystream(std::move(state));
}

Result<CtrKeystream> CtrKeystream::create(const Aes128Key& key, const CounterBlock& counter_block,
                                          std::uint64_t offset) {
  Result<CtrKeystream> stream = create(key, ctr_advance(counter_block, offset / kAesBlockLen));
  const std::size_t into_block = static_cast<std::size_t>(offset % kAesBlockLen);
  if (stream && into_block != 0) {
    std::array<std::uint8_t, kAesBlockLen> discarded{};
    Result<void> r = stream->apply(discarded.data(), discarded.data(), into_block);
    OPENSSL_cleanse(discarded.data(), discarded.size());  // keystream bytes
    if (!r) {
      return r.error();
    }
  }
  return stream;
}

Result<void> CtrKeystream::apply(const std::uint8_t* in, std::uint8_t* out, std::size_t len) {
  State& s = *state_;
  if (s.position < s.wrap_position && len >= s.wrap_position - s.position) {
    // Spec §9 A10: finish the blocks before the wrap, then restart at IV || 0 — also when this
    // call ends exactly on the wrap, so the next call does not inherit OpenSSL's 128-bit carry.
    const std::size_t before = static_cast<std::size_t>(s.wrap_position - s.position);
    if (Result<void> r = ctr_update(s.ctx.get(), in, out, before); !r) {
      return r;
    }
    const CounterBlock wrapped = ctr_block_at_wrap(s.first_block);
    if (Result<void> r = init_ctr(s.ctx.get(), s.key, wrapped.data()); !r) {
      return r;
    }
    s.position += before;
    in += before;
    out += before;
    len -= before;
  }
  if (Result<void> r = ctr_update(s.ctx.get(), in, out, len); !r) {
    return r;
  }
  s.position += len;
  return {};
}

Result<void> aes128_ctr_xor(const Aes128Key& key, const CounterBlock& counter_block,
                            std::span<const std::uint8_t> in, std::span<std::uint8_t> out) {
  if (out.size() < in.size()) {
    return Error{Errc::kInvalidArgument, "CTR output shorter than input"};
  }
  Result<CtrKeystream> stream = CtrKeystream::create(key, counter_block);
  if (!stream) {
    return stream.error();
  }
  return stream->apply(in.data(), out.data(), in.size());
}

Result<std::array<std::uint8_t, kAesBlockLen>> wrap_key(const Aes128Key& kek,
                                                        const Aes128Key& key) {
  std::array<std::uint8_t, kAesBlockLen> wrapped{};
  if (Result<void> r = ecb_block(kek, true, key.expose().data(), wrapped.data()); !r) {
    return r.error();
  }
  return wrapped;
}

Result<Aes128Key> unwrap_key(const Aes128Key& kek,
                             std::span<const std::uint8_t, kAesBlockLen> wrapped) {
  Aes128Key key;
  if (Result<void> r = ecb_block(kek, false, wrapped.data(), key.expose_mut().data()); !r) {
    return r.error();
  }
  return key;
}

}  // namespace cpddi::crypto
