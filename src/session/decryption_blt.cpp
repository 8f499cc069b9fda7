// DecryptionBlt, spec §4.5, §7.1, §7.2, §7.4 and §9 A12–A17: validate everything, snapshot the
// effective key, hand the work to the executor, then record the IV.
#include <memory>

#include "base/align.h"
#include "session/crypto_session.h"

namespace cpddi::session {
Result<void> CryptoSession::decryption_blt(const DecryptionBltArgs& args) {
  if (!key_) {
    return Error{Errc::kWrongState, "no session key yet: key exchange first"};
  }
  if (!args.source->in_system_memory() || args.source->is_protected()) {
    return Error{Errc::kInvalidArgument, "the source must be an unprotected system-memory surface"};
  }
  if (!args.destination->is_protected()) {
    return Error{Errc::kInvalidArgument, "the destination must be a RestrictedContent surface"};
  }
  if (args.source == args.destination) {
    return Error{Errc::kInvalidArgument, "source and destination are the same surface"};
  }
  if (!args.counter_block) {
    return Error{Errc::kInvalidArgument, "pIV is required for AES-128-CTR (spec A14)"};
  }
  if (args.wrapped_content_key && !features_.content_key) {
    return Error{Errc::kInvalidArgument, "pContentKey given but CONTENTKEY is not in caps (A15)"};
  }
  const std::uint64_t len = args.destination->layout().linear_size();
  if (Result<void> r = check_buffer(*args.source, args.source_size,
                                    align_up(len, features_.block_alignment),
                                    "SrcResourceSize is smaller than the destination surface");
      !r) {
    return r;
  }
  if (args.pattern && !features_.partial_decryption && !is_uniform(*args.pattern, len)) {
    return Error{Errc::kInvalidArgument,
                 "partial encryption map given but PARTIALDECRYPTION is not in caps (A17)"};
  }
  const std::uint64_t iv = iv_of(*args.counter_block);
  if (Result<void> r = check_iv(args.wrapped_content_key, iv); !r) {
    return r;
  }

  // Snapshot the effective key now (A6): the content key is unwrapped under the current key.
  Aes128Key effective_key;
  if (args.wrapped_content_key) {
    Result<Aes128Key> content_key = crypto::unwrap_key(*key_, *args.wrapped_content_key);
    if (!content_key) {
      return content_key.error();
    }
    effective_key = std::move(*content_key);
  } else {
    effective_key = key_->clone();
  }

  auto key_snapshot = std::make_shared<Aes128Key>(std::move(effective_key));
  Result<void> executed = device_.executor().submit(
      [key_snapshot, source = args.source, destination = args.destination,
       pattern = args.pattern, counter_block = *args.counter_block, len]() -> Result<void> {
        Result<crypto::CtrKeystream> stream =
            crypto::CtrKeystream::create(*key_snapshot, counter_block);
        if (!stream) {
          return stream.error();
        }
        return apply_block_pattern(pattern, *stream, source->data(), destination->data(),
                                   static_cast<std::size_t>(len));
      });
  if (!executed) {
    return executed;
  }
  record_iv(args.wrapped_content_key, iv);  // A13: only a blt that went through uses its IV
  return {};
}

}  // namespace cpddi::session
