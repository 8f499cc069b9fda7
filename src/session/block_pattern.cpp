#include "session/block_pattern.h"

#include <algorithm>
#include <cstring>

namespace cpddi::session {

bool is_uniform(const BlockPattern& p, std::uint64_t len) {
  // All clear: nothing encrypted up front, and no encrypted run is ever reached within `len`.
  const bool all_clear =
      p.encrypted_at_beginning == 0 && (p.encrypt == 0 || p.skip >= len);
  const bool all_encrypted =
      p.encrypted_at_beginning >= len || (p.skip == 0 && p.encrypt > 0);
  return all_clear || all_encrypted || len == 0;
}

Result<void> apply_block_pattern(const std::optional<BlockPattern>& pattern,
                                 crypto::CtrKeystream& keystream, const std::uint8_t* in,
                                 std::uint8_t* out, std::size_t len) {
  if (!pattern) {
    return keystream.apply(in, out, len);
  }
  std::size_t pos = 0;
  auto encrypted_run = [&](std::size_t n) -> Result<void> {
    n = std::min(n, len - pos);
    Result<void> r = keystream.apply(in + pos, out + pos, n);
    pos += n;
    return r;
  };
  auto clear_run = [&](std::size_t n) {
    n = std::min(n, len - pos);
    if (in + pos != out + pos && n > 0) {
      std::memmove(out + pos, in + pos, n);
    }
    pos += n;
  };

  if (Result<void> r = encrypted_run(pattern->encrypted_at_beginning); !r) {
    return r;
  }
  if (pattern->encrypt == 0) {  // (E0, 0, 0) and (E0, S, 0): the rest is clear
    clear_run(len - pos);
    return {};
  }
  if (pattern->skip == 0) {  // (E0, 0, E): the rest is encrypted
    return encrypted_run(len - pos);
  }
  while (pos < len) {
    clear_run(pattern->skip);
    if (Result<void> r = encrypted_run(pattern->encrypt); !r) {
      return r;
    }
  }
  return {};
}

}  // namespace cpddi::session
