#include "wire/counter_block.h"

#include <algorithm>

#include "base/big_endian.h"

namespace cpddi::wire {

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

}  // namespace cpddi::wire
