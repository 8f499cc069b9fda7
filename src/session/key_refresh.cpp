// StartSessionKeyRefresh / FinishSessionKeyRefresh, spec §4.8–§4.9, §7.3 and §9 A1–A8.
#include <algorithm>

#include "crypto/random.h"
#include "session/crypto_session.h"

namespace cpddi::session {

Result<void> CryptoSession::start_key_refresh(std::span<std::uint8_t> out) {
  if (!features_.key_refresh) {
    return Error{Errc::kNotAvailable, "key refresh is disabled on this device"};  // A5
  }
  if (out.data() == nullptr) {
    return Error{Errc::kInvalidArgument, "pRandomNumber is null"};
  }
  if (out.size() != kSessionKeyLen) {
    return Error{Errc::kInvalidArgument, "RandomNumberSize must equal the session key size (16)"};  // A2
  }
  if (!key_) {
    return Error{Errc::kWrongState, "no session key yet: key exchange first"};  // A4
  }
  Aes128Key number;
  if (Result<void> r = crypto::random_bytes(number.expose_mut()); !r) {
    return r;  // nothing stored, caller's buffer untouched
  }
  // Commit. A1: a number already pending is wiped (by the move) and replaced.
  std::copy(number.expose().begin(), number.expose().end(), out.begin());
  pending_ = std::move(number);
  return {};
}

Result<void> CryptoSession::finish_key_refresh() {
  if (!features_.key_refresh) {
    return Error{Errc::kNotAvailable, "key refresh is disabled on this device"};  // A5
  }
  if (!key_) {
    return Error{Errc::kWrongState, "no session key yet: key exchange first"};  // A4
  }
  if (!pending_) {
    return Error{Errc::kWrongState, "no StartSessionKeyRefresh is pending on this session"};  // A3
  }
  // Work already submitted carries its own key snapshot, so the cut-over is exactly this call (A6).
  key_->xor_in(*pending_);
  pending_.reset();
  reset_iv_bookkeeping();  // A11: a new key starts a new IV history
  return {};
}

}  // namespace cpddi::session
