#include "session/counter_block.h"

#include <algorithm>

namespace cpddi::session {
namespace {

std::uint64_t load_be64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v = (v << 8) | p[i];
  }
  return v;
}

void store_be64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    p[i] = static_cast<std::uint8_t>(v);
    v >>= 8;
  }
}

}  // namespace

CounterBlock counter_block_from_bytes(std::span<const std::uint8_t, 16> bytes) {
  CounterBlock block{};
  std::copy(bytes.begin(), bytes.end(), block.begin());
  return block;
}

std::uint64_t iv_of(const CounterBlock& block) { return load_be64(block.data()); }
std::uint64_t count_of(const CounterBlock& block) { return load_be64(block.data() + 8); }

CounterBlock make_counter_block(std::uint64_t iv, std::uint64_t count) {
  CounterBlock block{};
  store_be64(block.data(), iv);
  store_be64(block.data() + 8, count);
  return block;
}

}  // namespace cpddi::session
