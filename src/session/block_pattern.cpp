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

// out = in XOR keystream over `len` bytes, 16 at a time through fixed-size copies the compiler
// turns into vector loads and stores (a CENC run is one such step; a libc call per run would
// cost more than the XOR).
void xor_run(std::uint8_t* out, const std::uint8_t* in, const std::uint8_t* keystream,
             std::size_t len) {
  std::size_t i = 0;
  for (; i + 16 <= len; i += 16) {
    std::uint64_t data[2];
    std::uint64_t key[2];
    std::memcpy(data, in + i, 16);
    std::memcpy(key, keystream + i, 16);
    data[0] ^= key[0];
    data[1] ^= key[1];
    std::memcpy(out + i, data, 16);
  }
  for (; i < len; ++i) {
    out[i] = in[i] ^ keystream[i];
  }
}

// Keystream bytes for the encrypted runs of one chunk, made in one OpenSSL call and wiped when
// done (keystream XOR ciphertext is the content).
class KeystreamBuffer {
 public:
  static constexpr std::size_t kCapacity = std::size_t{16} << 10;

  explicit KeystreamBuffer(crypto::CtrKeystream& keystream) : keystream_(keystream) {}
  KeystreamBuffer(const KeystreamBuffer&) = delete;
  KeystreamBuffer& operator=(const KeystreamBuffer&) = delete;
  ~KeystreamBuffer() { crypto::cleanse(bytes_, sizeof bytes_); }

  // The next `len` (<= kCapacity) keystream bytes.
  Result<const std::uint8_t*> next(std::size_t len) {
    std::memset(bytes_, 0, len);
    if (Result<void> r = keystream_.apply(bytes_, bytes_, len); !r) {
      return r.error();
    }
    return bytes_;
  }

 private:
  crypto::CtrKeystream& keystream_;
  std::uint8_t bytes_[kCapacity];
};

}  // namespace

Result<void> apply_block_pattern(const std::optional<BlockPattern>& pattern,
                                 crypto::CtrKeystream& keystream, const std::uint8_t* in,
                                 std::uint8_t* out, std::size_t begin, std::size_t end) {
  const Run first = pattern ? run_at(*pattern, begin) : Run{true, UINT64_MAX};
  if (first.end >= end) {  // one run: a single keystream call or copy
    if (first.encrypted) {
      return keystream.apply(in + begin, out + begin, end - begin);
    }
    if (in != out) {
      std::memmove(out + begin, in + begin, end - begin);
    }
    return {};
  }
  // Chunk by chunk (small enough to stay in cache): the whole chunk in one bulk copy, then each
  // encrypted run overwritten with in XOR keystream, the chunk's keystream made in one call. A
  // copy or an OpenSSL call per run would cost several times the AES: CENC's runs are 144 clear
  // and 16 encrypted bytes.
  constexpr std::size_t kMaxChunk = std::size_t{128} << 10;
  KeystreamBuffer keystream_buffer(keystream);
  Run run = first;
  std::size_t position = begin;
  std::uint64_t encrypted_before_chunk = encrypted_bytes_before(pattern, begin);
  while (position < end) {
    std::size_t chunk_end = std::min(end, position + kMaxChunk);
    std::uint64_t encrypted_by_chunk_end = encrypted_bytes_before(pattern, chunk_end);
    if (encrypted_by_chunk_end - encrypted_before_chunk > KeystreamBuffer::kCapacity) {
      chunk_end = position + KeystreamBuffer::kCapacity;  // then it holds at most that many
      encrypted_by_chunk_end = encrypted_bytes_before(pattern, chunk_end);
    }
    Result<const std::uint8_t*> chunk_keystream = keystream_buffer.next(
        static_cast<std::size_t>(encrypted_by_chunk_end - encrypted_before_chunk));
    encrypted_before_chunk = encrypted_by_chunk_end;
    if (!chunk_keystream) {
      return chunk_keystream.error();
    }
    const std::uint8_t* next_keystream = *chunk_keystream;
    if (in != out) {
      std::memcpy(out + position, in + position, chunk_end - position);
    }
    while (position < chunk_end) {
      const std::size_t stop =
          static_cast<std::size_t>(std::min<std::uint64_t>(run.end, chunk_end));
      if (run.encrypted) {
        xor_run(out + position, in + position, next_keystream, stop - position);
        next_keystream += stop - position;
      }
      position = stop;
      if (position == run.end) {
        run = next_run(*pattern, run);
      }
    }
  }
  return {};
}

}  // namespace cpddi::session
