#include "session/striped_ctr.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "base/align.h"

namespace cpddi::session {

StripedCtr::StripedCtr(std::optional<BlockPattern> pattern, std::size_t len,
                       std::size_t stripe_len, std::vector<crypto::CtrKeystream> keystreams)
    : pattern_(pattern), len_(len), stripe_len_(stripe_len), keystreams_(std::move(keystreams)) {}

Result<StripedCtr> StripedCtr::prepare(const crypto::Aes128Key& key,
                                       const crypto::CounterBlock& counter_block,
                                       const std::optional<BlockPattern>& pattern,
                                       std::size_t len, std::size_t threads) {
  constexpr std::size_t kLine = 64;
  const std::size_t most = threads > 1 ? threads * kStripesPerThread : 1;
  const std::size_t wanted = std::clamp<std::size_t>(len / kMinStripeBytes, 1, most);
  const std::size_t stripe_len =
      std::max<std::size_t>(kLine, static_cast<std::size_t>(align_up((len + wanted - 1) / wanted, kLine)));
  const std::size_t stripes = len == 0 ? 1 : (len + stripe_len - 1) / stripe_len;
  std::vector<crypto::CtrKeystream> keystreams;
  keystreams.reserve(stripes);
  for (std::size_t i = 0; i < stripes; ++i) {
    Result<crypto::CtrKeystream> stream = crypto::CtrKeystream::create(
        key, counter_block, encrypted_bytes_before(pattern, i * stripe_len));
    if (!stream) {
      return stream.error();
    }
    keystreams.push_back(std::move(*stream));
  }
  return StripedCtr(pattern, len, stripe_len, std::move(keystreams));
}

std::size_t StripedCtr::end(std::size_t stripe) const {
  return std::min(len_, (stripe + 1) * stripe_len_);
}

Result<void> StripedCtr::apply(std::size_t stripe, const std::uint8_t* in, std::uint8_t* out) {
  return apply(stripe, in, out, begin(stripe), end(stripe));
}

Result<void> StripedCtr::apply(std::size_t stripe, const std::uint8_t* in, std::uint8_t* out,
                               std::size_t from, std::size_t to) {
  return apply_block_pattern(pattern_, keystreams_[stripe], in, out, from, to);
}

device::Placement blt_placement(std::size_t len) {
  return len <= StripedCtr::kMinStripeBytes ? device::Placement::kBesideWhenIndependent
                                            : device::Placement::kQueue;
}

Result<void> run_stripes(device::StripeRunner& runner, std::size_t stripes,
                         const device::StripeFn& stripe_fn, std::uint8_t* destination,
                         std::size_t destination_len) {
  Result<void> result = runner.run(stripes, stripe_fn);
  if (!result) {
    std::memset(destination, 0, destination_len);
  }
  return result;
}

}  // namespace cpddi::session
