// This module's own definition of everything src/crypto/aes.cpp defines (CtrKeystream,
// aes128_ctr_xor, wrap_key, unwrap_key), for the faults in the CTR counter arithmetic
// (faulty_ctr.h). As with forced_random.cpp, the linker then never pulls aes.o out of
// libcpddi_crypto.a — a duplicate-symbol error would say so — and the driver's DecryptionBlt
// and EncryptionBlt run on this CTR. The key wrap is the real one (one AES-128-ECB block).
#include "faulty_ctr.h"

#include <algorithm>
#include <memory>

#include <openssl/evp.h>

#include "base/big_endian.h"
#include "crypto/aes.h"

namespace cpddi::crypto {
namespace {

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

Result<void> cipher(const EVP_CIPHER* type, const Aes128Key& key, const std::uint8_t* iv,
                    bool encrypt, Ctx* out) {
  Ctx ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_CipherInit_ex(ctx.get(), type, nullptr, key.expose().data(), iv,
                                encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
    return Error{Errc::kInternal, "AES-128 initialisation failed"};
  }
  *out = std::move(ctx);
  return {};
}

Result<void> update(EVP_CIPHER_CTX* ctx, const std::uint8_t* in, std::uint8_t* out,
                    std::size_t len) {
  constexpr std::size_t kChunk = std::size_t{1} << 30;  // EVP takes int lengths
  while (len > 0) {
    const std::size_t n = std::min(len, kChunk);
    int written = 0;
    if (EVP_CipherUpdate(ctx, out, &written, in, static_cast<int>(n)) != 1 ||
        static_cast<std::size_t>(written) != n) {
      return Error{Errc::kInternal, "AES-128 failed"};
    }
    in += n;
    out += n;
    len -= n;
  }
  return {};
}

Result<void> ecb_block(const Aes128Key& kek, bool encrypt, const std::uint8_t* in,
                       std::uint8_t* out) {
  Ctx ctx;
  if (Result<void> r = cipher(EVP_aes_128_ecb(), kek, nullptr, encrypt, &ctx); !r) {
    return r;
  }
  return update(ctx.get(), in, out, kAesBlockLen);
}

}  // namespace

struct CtrKeystream::State {
  Ctx ctx;
  Aes128Key key;
  CounterBlock first_block{};
  // Keystream bytes consumed so far, and where Count wraps to 0 (UINT64_MAX: never re-keyed).
  std::uint64_t position = 0;
  std::uint64_t wrap_position = UINT64_MAX;
};

CtrKeystream::CtrKeystream(std::unique_ptr<State> state) : state_(std::move(state)) {}
CtrKeystream::CtrKeystream(CtrKeystream&&) noexcept = default;
CtrKeystream& CtrKeystream::operator=(CtrKeystream&&) noexcept = default;
CtrKeystream::~CtrKeystream() = default;

// A stream from `counter_block`. With CtrCarry::kEverywhere OpenSSL increments all 16 bytes as one
// number (the carry runs into IV); otherwise the stream re-keys at the Count wrap as A10 says.
Result<CtrKeystream> CtrKeystream::create(const Aes128Key& key,
                                          const CounterBlock& counter_block) {
  auto state = std::make_unique<State>();
  state->key = key.clone();
  state->first_block = counter_block;
  const std::uint64_t count = load_be64(counter_block.data() + 8);
  const std::uint64_t blocks_until_wrap = 0 - count;  // 2^64 - count, 0 meaning 2^64
  if (faulty::kCtrCarry != faulty::CtrCarry::kEverywhere && blocks_until_wrap != 0 &&
      blocks_until_wrap < (std::uint64_t{1} << 59)) {
    state->wrap_position = blocks_until_wrap * kAesBlockLen;
  }
  if (Result<void> r = cipher(EVP_aes_128_ctr(), key, counter_block.data(), true, &state->ctx);
      !r) {
    return r.error();
  }
  return CtrKeystream(std::move(state));
}

// Both faults: a stream that starts `offset` bytes in (a piece of a large buffer) starts at
// counter_block + offset/16 as one 128-bit number, so past the wrap its IV is one too high.
Result<CtrKeystream> CtrKeystream::create(const Aes128Key& key, const CounterBlock& counter_block,
                                          std::uint64_t offset) {
  CounterBlock start = counter_block;
  std::uint64_t add = offset / kAesBlockLen;
  for (int i = static_cast<int>(kAesBlockLen) - 1; i >= 0 && add != 0; --i) {
    const std::uint64_t sum = start[static_cast<std::size_t>(i)] + (add & 0xFF);
    start[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(sum);
    add = (add >> 8) + (sum >> 8);
  }
  Result<CtrKeystream> stream = create(key, start);
  const std::size_t into_block = static_cast<std::size_t>(offset % kAesBlockLen);
  if (stream && into_block != 0) {
    std::array<std::uint8_t, kAesBlockLen> discarded{};
    if (Result<void> r = stream->apply(discarded.data(), discarded.data(), into_block); !r) {
      return r.error();
    }
  }
  return stream;
}

Result<void> CtrKeystream::apply(const std::uint8_t* in, std::uint8_t* out, std::size_t len) {
  State& s = *state_;
  if (s.position < s.wrap_position && len >= s.wrap_position - s.position) {
    // The blocks before the wrap, then IV || 0 (A10), as the real driver does.
    const std::size_t before = static_cast<std::size_t>(s.wrap_position - s.position);
    if (Result<void> r = update(s.ctx.get(), in, out, before); !r) {
      return r;
    }
    CounterBlock wrapped = s.first_block;
    std::fill(wrapped.begin() + 8, wrapped.end(), std::uint8_t{0});
    if (Result<void> r = cipher(EVP_aes_128_ctr(), s.key, wrapped.data(), true, &s.ctx); !r) {
      return r;
    }
    s.position += before;
    in += before;
    out += before;
    len -= before;
  }
  if (Result<void> r = update(s.ctx.get(), in, out, len); !r) {
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
