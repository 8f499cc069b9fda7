// EncryptionBlt and GetEncryptionBltKey, spec §4.6–§4.7, §7.2, §7.8 and §9 A18–A21.
#include <algorithm>
#include <cstring>
#include <memory>

#include "base/align.h"
#include "base/big_endian.h"
#include "crypto/random.h"
#include "session/crypto_session.h"
#include "session/striped_ctr.h"

namespace cpddi::session {

Result<CounterBlock> CryptoSession::encryption_blt(const EncryptionBltArgs& args) {
  if (!features_.encrypted_readback) {
    return Error{Errc::kNotAvailable, "EncryptionBlt is disabled on this device"};
  }
  if (!key_) {
    return Error{Errc::kWrongState, "no session key yet: key exchange first"};
  }
  if (features_.readback_key && !readback_key_) {
    return Error{Errc::kWrongState,
                 "ENCRYPTEDREADBACKKEY is in caps: call GetEncryptionBltKey first (A19)"};
  }
  if (!args.source->is_protected()) {
    return Error{Errc::kInvalidArgument, "the source must be a RestrictedContent surface"};
  }
  if (!args.destination->in_system_memory() || args.destination->is_protected()) {
    return Error{Errc::kInvalidArgument,
                 "the destination must be an unprotected system-memory surface"};
  }
  const std::uint64_t len = args.source->layout().linear_size();
  const std::uint64_t padded = align_up(len, features_.block_alignment);
  if (Result<void> r = check_buffer(*args.destination, args.destination_size, padded,
                                    "DstResourceSize is smaller than the source surface");
      !r) {
    return r.error();
  }

  // §7.8: a 63-bit random first IV, then +1 per blt for the life of the session.
  std::uint64_t iv = 0;
  if (next_readback_iv_) {
    iv = *next_readback_iv_;
  } else {
    std::uint8_t random[8];
    if (Result<void> r = crypto::random_bytes(random); !r) {
      return r.error();
    }
    iv = load_be64(random) & ~(std::uint64_t{1} << 63);
  }
  const CounterBlock counter_block = wire::make_counter_block(iv, 0);

  // The key snapshot (A6) lives in the stripes' keystreams, set up now.
  Result<StripedCtr> striped = StripedCtr::prepare(
      features_.readback_key ? *readback_key_ : *key_, counter_block, std::nullopt,
      static_cast<std::size_t>(padded), device_.queue().stripe_threads());
  if (!striped) {
    return striped.error();
  }
  auto work = std::make_shared<StripedCtr>(std::move(*striped));
  last_fence_ = device_.submit(
      [work, source = args.source, destination = args.destination, len,
       padded](device::StripeRunner& runner) -> Result<void> {
        std::uint8_t* out = destination->data();
        return run_stripes(
            runner, work->stripes(),
            [&](std::size_t stripe) -> Result<void> {
              // Encrypt this stripe's share of the surface straight into the destination (one
              // pass); its share of the zero padding is zeroed, then encrypted in place.
              const std::size_t begin = work->begin(stripe);
              const std::size_t end = work->end(stripe);
              const std::size_t surface_end = std::clamp<std::size_t>(len, begin, end);
              if (Result<void> r = work->apply(stripe, source->data(), out, begin, surface_end);
                  !r) {
                return r;
              }
              std::memset(out + surface_end, 0, end - surface_end);
              return work->apply(stripe, out, out, surface_end, end);
            },
            out, static_cast<std::size_t>(padded));
      },
      {args.source.get(), args.destination.get()},
      blt_placement(static_cast<std::size_t>(padded)), last_fence_);
  next_readback_iv_ = iv + 1;
  return counter_block;
}

Result<void> CryptoSession::get_encryption_blt_key(std::span<std::uint8_t> out) {
  if (!features_.readback_key) {
    return Error{Errc::kNotAvailable, "ENCRYPTEDREADBACKKEY is not in caps"};
  }
  if (out.data() == nullptr) {
    return Error{Errc::kInvalidArgument, "pReadBackKey is null"};
  }
  if (out.size() != kSessionKeyLen) {
    return Error{Errc::kInvalidArgument, "KeySize must equal the session key size (16)"};
  }
  if (!key_) {
    return Error{Errc::kWrongState, "no session key yet: key exchange first"};
  }
  Aes128Key readback_key;
  if (Result<void> r = crypto::random_bytes(readback_key.expose_mut()); !r) {
    return r;
  }
  // A21: wrapped under the session key current at this call.
  Result<std::array<std::uint8_t, 16>> wrapped = crypto::wrap_key(*key_, readback_key);
  if (!wrapped) {
    return wrapped.error();
  }
  std::copy(wrapped->begin(), wrapped->end(), out.begin());
  readback_key_ = std::move(readback_key);  // the previous one is wiped by the move
  return {};
}

}  // namespace cpddi::session
