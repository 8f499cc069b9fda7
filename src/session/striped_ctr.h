#pragma once

// A blt's AES-128-CTR work, split into stripes that the device's stripe pool runs on several
// threads (CTR allows it: each stripe starts its keystream at its own offset). Prepared on the
// caller's thread, with the key in effect at the call (spec §9 A6), so OpenSSL set-up failures are
// reported by the blt call itself; only the bulk XOR runs later on the queue.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/result.h"
#include "crypto/aes.h"
#include "device/work_queue.h"
#include "session/block_pattern.h"

namespace cpddi::session {

class StripedCtr {
 public:
  // A stripe is at least this long, so small surfaces stay in one piece (threads cost more than
  // they save below ~a quarter MiB of AES).
  static constexpr std::size_t kMinStripeBytes = std::size_t{256} << 10;
  // With several threads, a blt is cut into up to this many stripes per thread, taken one at a
  // time by whichever thread is free: a thread the scheduler delays (two vCPUs shared by the
  // stripe threads and the waiting caller) then just takes fewer, instead of holding up the blt
  // with one half of it. A stripe costs one keystream set-up (~1 µs).
  static constexpr std::size_t kStripesPerThread = 2;

  // Splits [0, len) into stripes of whole 64-byte lines — one for one thread, otherwise at most
  // kStripesPerThread × `threads`, none shorter than kMinStripeBytes — and sets up each stripe's
  // keystream under `key`.
  static Result<StripedCtr> prepare(const crypto::Aes128Key& key,
                                    const crypto::CounterBlock& counter_block,
                                    const std::optional<BlockPattern>& pattern, std::size_t len,
                                    std::size_t threads);

  std::size_t stripes() const { return keystreams_.size(); }
  std::size_t begin(std::size_t stripe) const { return stripe * stripe_len_; }
  std::size_t end(std::size_t stripe) const;

  // out[begin, end) of `stripe` = in[begin, end) with its encrypted runs XORed by the keystream.
  Result<void> apply(std::size_t stripe, const std::uint8_t* in, std::uint8_t* out);
  // The same over [from, to), a part of the stripe that continues where the last call stopped.
  Result<void> apply(std::size_t stripe, const std::uint8_t* in, std::uint8_t* out,
                     std::size_t from, std::size_t to);

 private:
  StripedCtr(std::optional<BlockPattern> pattern, std::size_t len, std::size_t stripe_len,
             std::vector<crypto::CtrKeystream> keystreams);

  std::optional<BlockPattern> pattern_;
  std::size_t len_;
  std::size_t stripe_len_;
  std::vector<crypto::CtrKeystream> keystreams_;
};

// Where a blt of `len` bytes runs. One of at most kMinStripeBytes is never striped, and handing
// it to the queue thread and waking the caller again costs about as much as its AES (~4 µs vs
// ~8 µs at 64 KiB), and queued behind another session's large blt it would wait for it: it runs
// on the caller's thread when its surfaces and session have no pending work, even while the queue
// runs other work; otherwise it is queued behind the work ahead of it (work_queue.h).
device::Placement blt_placement(std::size_t len);

// Runs every stripe with `stripe_fn` on `runner`. If any stripe fails, the whole destination
// [0, destination_len) is zero-filled, so a failed blt leaves no half-written content behind.
Result<void> run_stripes(device::StripeRunner& runner, std::size_t stripes,
                         const device::StripeFn& stripe_fn, std::uint8_t* destination,
                         std::size_t destination_len);

}  // namespace cpddi::session
