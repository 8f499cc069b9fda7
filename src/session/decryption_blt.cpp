// DecryptionBlt, spec §4.5, §7.1, §7.2, §7.4 and §9 A12–A17: validate everything, snapshot the
// effective key, submit the work to the device (a small one runs at once if the device is idle:
// blt_placement), then record the IV.
#include <memory>

#include "base/align.h"
#include "session/crypto_session.h"
#include "session/striped_ctr.h"

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
  const std::uint64_t iv = wire::iv_of(*args.counter_block);
  if (Result<void> r = check_iv(args.wrapped_content_key, iv); !r) {
    return r;
  }

  // Snapshot the effective key now (A6): the content key is unwrapped under the current key, and
  // every stripe's keystream is set up with it before the call returns.
  std::optional<Aes128Key> content_key;
  if (args.wrapped_content_key) {
    Result<Aes128Key> unwrapped = crypto::unwrap_key(*key_, *args.wrapped_content_key);
    if (!unwrapped) {
      return unwrapped.error();
    }
    content_key = std::move(*unwrapped);
  }
  Result<StripedCtr> striped =
      StripedCtr::prepare(content_key ? *content_key : *key_, *args.counter_block, args.pattern,
                          static_cast<std::size_t>(len), device_.queue().stripe_threads());
  if (!striped) {
    return striped.error();
  }
  auto work = std::make_shared<StripedCtr>(std::move(*striped));
  last_fence_ = device_.submit(
      [work, source = args.source, destination = args.destination,
       len](device::StripeRunner& runner) -> Result<void> {
        return run_stripes(
            runner, work->stripes(),
            [&](std::size_t stripe) { return work->apply(stripe, source->data(), destination->data()); },
            destination->data(), static_cast<std::size_t>(len));
      },
      {args.source.get(), args.destination.get()},
      blt_placement(static_cast<std::size_t>(len)), last_fence_);
  record_iv(args.wrapped_content_key, iv);  // A13: only a blt that went through uses its IV
  return {};
}

}  // namespace cpddi::session
