#include "conform/app_side.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "crypto/aes.h"
#include "crypto/secret_bytes.h"
#include "wire/counter_block.h"

namespace cpddi::conform::app_side {
namespace {

crypto::Aes128Key to_secret(const Key& key) { return crypto::Aes128Key(std::span(key)); }

[[noreturn]] void app_side_failed(const char* what) {
  throw std::runtime_error(std::string("application-side ") + what + " failed in OpenSSL");
}

}  // namespace

Bytes ctr(const Key& key, const Iv& iv, std::span<const std::uint8_t> data) {
  Bytes out(data.size());
  crypto::CounterBlock block{};
  std::memcpy(block.data(), iv.data(), block.size());
  if (!crypto::aes128_ctr_xor(to_secret(key), block, data, out)) {
    app_side_failed("AES-128-CTR");
  }
  return out;
}

Key ecb_wrap(const Key& kek, const Key& key) {
  auto wrapped = crypto::wrap_key(to_secret(kek), to_secret(key));
  if (!wrapped) {
    app_side_failed("AES-128-ECB wrap");
  }
  return *wrapped;
}

Key ecb_unwrap(const Key& kek, const Key& wrapped) {
  auto key = crypto::unwrap_key(to_secret(kek), std::span<const std::uint8_t, 16>(wrapped));
  if (!key) {
    app_side_failed("AES-128-ECB unwrap");
  }
  Key out{};
  std::memcpy(out.data(), key->expose().data(), out.size());
  return out;
}

Iv make_iv(std::uint64_t iv, std::uint64_t count) { return wire::make_counter_block(iv, count); }

std::uint64_t iv_field(const Iv& iv) { return wire::iv_of(iv); }

std::uint64_t count_field(const Iv& iv) { return wire::count_of(iv); }

Key xor_keys(const Key& a, std::span<const std::uint8_t> b) {
  // The refresh XOR the driver applies (crypto::SecretBytes::xor_in), on the model's plain key.
  Key number{};
  std::memcpy(number.data(), b.data(), std::min(number.size(), b.size()));
  crypto::Aes128Key key = to_secret(a);
  key.xor_in(to_secret(number));
  Key out{};
  std::memcpy(out.data(), key.expose().data(), out.size());
  return out;
}

Key key_from(std::span<const std::uint8_t> bytes) {
  return xor_keys(Key{}, bytes);
}

Bytes apply_block_map(std::span<const std::uint8_t> in, std::span<const std::uint8_t> keystream,
                      const BlockMap& map) {
  const std::size_t len = in.size();
  Bytes out(in.begin(), in.end());
  std::size_t pos = 0;
  std::size_t ks = 0;
  auto encrypted = [&](std::uint64_t n) {
    const auto run = static_cast<std::size_t>(std::min<std::uint64_t>(n, len - pos));
    for (std::size_t i = 0; i < run; ++i) {
      out[pos + i] = in[pos + i] ^ keystream[ks + i];
    }
    pos += run;
    ks += run;
  };
  auto clear = [&](std::uint64_t n) {
    pos += static_cast<std::size_t>(std::min<std::uint64_t>(n, len - pos));
  };
  if (keystream.size() < len) {
    throw std::invalid_argument("apply_block_map: keystream shorter than the input");
  }
  encrypted(map.encrypted_at_beginning);
  if (map.encrypt == 0) {
    clear(len - pos);  // both doc example 1 and Chromium's (n, L−n, 0)
  } else if (map.skip == 0) {
    encrypted(len - pos);
  } else {
    while (pos < len) {
      clear(map.skip);
      encrypted(map.encrypt);
    }
  }
  return out;
}

std::optional<DerElement> read_der(std::span<const std::uint8_t> in) {
  if (in.size() < 2) {
    return std::nullopt;
  }
  std::size_t pos = 2;
  std::size_t len = in[1];
  if ((len & 0x80) != 0) {
    const std::size_t n = len & 0x7F;
    if (n == 0 || n > 4 || in.size() < 2 + n) {
      return std::nullopt;
    }
    len = 0;
    for (std::size_t i = 0; i < n; ++i) {
      len = (len << 8) | in[2 + i];
    }
    pos += n;
  }
  if (in.size() - pos < len) {
    return std::nullopt;
  }
  return DerElement{in[0], in.subspan(pos, len), pos + len};
}

Bytes pattern_bytes(std::size_t len, std::uint32_t seed) {
  Bytes out(len);
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& b : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = static_cast<std::uint8_t>(x);
  }
  return out;
}

}  // namespace cpddi::conform::app_side
