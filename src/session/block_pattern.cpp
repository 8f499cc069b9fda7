#include "session/block_pattern.h"

#include <algorithm>
#include <cstring>

#include "crypto/secret_bytes.h"

namespace cpddi::session {

bool is_uniform(const BlockPattern& p, std::uint64_t len) {
  // All clear: nothing encrypted up front, and no encrypted run is ever reached within `len`.
  const bool all_clear =
      p.encrypted_at_beginning == 0 && (p.encrypt == 0 || p.skip >= len);
  const bool all_encrypted =
      p.encrypted_at_beginning >= len || (p.skip == 0 && p.encrypt > 0);
  return all_clear || all_encrypted || len == 0;
}

namespace {

// The run of the map that holds `position`: encrypted or clear, and where it ends (the runs
// after E0 repeat S clear bytes then E encrypted bytes; E = 0 leaves the rest clear, S = 0 the
// rest encrypted).
struct Run {
  bool encrypted;
  std::uint64_t end;
};

Run run_at(const BlockPattern& p, std::uint64_t position) {
  constexpr std::uint64_t kToTheEnd = UINT64_MAX;
  if (position < p.encrypted_at_beginning) {
    return {true, p.encrypted_at_beginning};
  }
  if (p.encrypt == 0) {
    return {false, kToTheEnd};
  }
  if (p.skip == 0) {
    return {true, kToTheEnd};
  }
  const std::uint64_t period = std::uint64_t{p.skip} + p.encrypt;
  const std::uint64_t into_period = (position - p.encrypted_at_beginning) % period;
  const std::uint64_t period_start = position - into_period;
  return into_period < p.skip ? Run{false, period_start + p.skip}
                              : Run{true, period_start + period};
}

// The run after `previous` (which ends before the end of the buffer). Past E0 the runs alternate
// S clear, E encrypted, so the next one follows without the division run_at costs — one per
// 16-byte run of a CENC map, measurable against the AES itself.
Run next_run(const BlockPattern& p, const Run& previous) {
  if (p.skip == 0 || p.encrypt == 0) {
    return run_at(p, previous.end);  // past E0 a single run goes to the end
  }
  return previous.encrypted ? Run{false, previous.end + p.skip}
                            : Run{true, previous.end + p.encrypt};
}

}  // namespace

std::uint64_t encrypted_bytes_before(const std::optional<BlockPattern>& pattern,
                                     std::uint64_t position) {
  if (!pattern || position <= pattern->encrypted_at_beginning) {
    return position;
  }
  const BlockPattern& p = *pattern;
  const std::uint64_t after_first = position - p.encrypted_at_beginning;
  if (p.encrypt == 0) {
    return p.encrypted_at_beginning;
  }
  if (p.skip == 0) {
    return position;
  }
  const std::uint64_t period = std::uint64_t{p.skip} + p.encrypt;
  const std::uint64_t into_period = after_first % period;
  return p.encrypted_at_beginning + (after_first / period) * p.encrypt +
         (into_period > p.skip ? into_period - p.skip : 0);
}

namespace {

// Encrypted runs of a pattern are short (CENC: 16 bytes in 160), and one keystream call per run
// would cost more than the AES itself. So the runs are gathered into a scratch buffer, XORed by
// the keystream in one call per buffer-full, and scattered back.
class GatheredKeystream {
 public:
  GatheredKeystream(crypto::CtrKeystream& keystream, const std::uint8_t* in, std::uint8_t* out)
      : keystream_(keystream), in_(in), out_(out) {}
  GatheredKeystream(const GatheredKeystream&) = delete;
  GatheredKeystream& operator=(const GatheredKeystream&) = delete;
  ~GatheredKeystream() { crypto::cleanse(scratch_, sizeof scratch_); }  // decrypted content

  Result<void> add(std::size_t position, std::size_t n) {
    while (n > 0) {
      if (filled_ == sizeof scratch_ || pieces_ == kMaxPieces) {
        if (Result<void> r = flush(); !r) {
          return r;
        }
      }
      const std::size_t take = std::min(n, sizeof scratch_ - filled_);
      std::memcpy(scratch_ + filled_, in_ + position, take);
      piece_[pieces_++] = {position, take};
      filled_ += take;
      position += take;
      n -= take;
    }
    return {};
  }

  Result<void> flush() {
    if (Result<void> r = keystream_.apply(scratch_, scratch_, filled_); !r) {
      return r;
    }
    std::size_t from = 0;
    for (std::size_t i = 0; i < pieces_; ++i) {
      std::memcpy(out_ + piece_[i].position, scratch_ + from, piece_[i].len);
      from += piece_[i].len;
    }
    filled_ = 0;
    pieces_ = 0;
    return {};
  }

 private:
  static constexpr std::size_t kMaxPieces = 1024;
  struct Piece {
    std::size_t position;
    std::size_t len;
  };
  crypto::CtrKeystream& keystream_;
  const std::uint8_t* in_;
  std::uint8_t* out_;
  std::uint8_t scratch_[16 << 10];
  std::size_t filled_ = 0;
  Piece piece_[kMaxPieces];
  std::size_t pieces_ = 0;
};

}  // namespace

Result<void> apply_block_pattern(const std::optional<BlockPattern>& pattern,
                                 crypto::CtrKeystream& keystream, const std::uint8_t* in,
                                 std::uint8_t* out, std::size_t begin, std::size_t end) {
  const Run first = pattern ? run_at(*pattern, begin) : Run{true, UINT64_MAX};
  if (first.end >= end) {  // one run: no gathering
    if (first.encrypted) {
      return keystream.apply(in + begin, out + begin, end - begin);
    }
    if (in != out) {
      std::memmove(out + begin, in + begin, end - begin);
    }
    return {};
  }
  GatheredKeystream gathered(keystream, in, out);
  Run run = first;
  for (std::size_t position = begin;;) {
    const std::size_t stop = static_cast<std::size_t>(std::min<std::uint64_t>(run.end, end));
    if (run.encrypted) {
      if (Result<void> r = gathered.add(position, stop - position); !r) {
        return r;
      }
    } else if (in != out) {
      std::memmove(out + position, in + position, stop - position);
    }
    position = stop;
    if (position == end) {
      break;
    }
    run = next_run(*pattern, run);
  }
  return gathered.flush();
}

}  // namespace cpddi::session
