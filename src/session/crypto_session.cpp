#include "session/crypto_session.h"

#include <algorithm>

namespace cpddi::session {

CryptoSession::CryptoSession(SessionFeatures features,
                             std::shared_ptr<const crypto::RsaPrivateKey> identity,
                             device::Device& device)
    : features_(features), identity_(std::move(identity)), device_(device) {}

Result<void> CryptoSession::key_exchange(std::span<const std::uint8_t> oaep_ciphertext) {
  Result<Aes128Key> key = crypto::unwrap_exchanged_key(*identity_, oaep_ciphertext);
  if (!key) {
    return key.error();
  }
  // Commit: the new key, no pending refresh (A7), fresh IV bookkeeping (A11). A read-back key
  // minted under the old session belongs to the old key holder, so it is dropped too.
  key_.emplace(std::move(*key));
  pending_.reset();
  readback_key_.reset();
  reset_iv_bookkeeping();
  return {};
}

void CryptoSession::reset_iv_bookkeeping() {
  last_session_key_iv_.reset();
  content_key_ivs_.clear();
}

Result<void> CryptoSession::check_iv(
    const std::optional<std::span<const std::uint8_t, 16>>& content_key, std::uint64_t iv) const {
  if (features_.iv_check == IvCheck::kOff) {
    return {};
  }
  // The last IV used with the same effective key: the session key, or this wrapped content key.
  const std::uint64_t* last = last_session_key_iv_ ? &*last_session_key_iv_ : nullptr;
  if (content_key) {
    last = nullptr;
    for (const ContentKeyIv& entry : content_key_ivs_) {
      if (std::equal(entry.wrapped.begin(), entry.wrapped.end(), content_key->begin())) {
        last = &entry.last_iv;
      }
    }
  }
  if (last != nullptr && iv <= *last) {
    return Error{Errc::kInvalidArgument,
                 "IV not greater than the last one used with this key (replay, spec A12)"};
  }
  return {};
}

void CryptoSession::record_iv(const std::optional<std::span<const std::uint8_t, 16>>& content_key,
                              std::uint64_t iv) {
  if (!content_key) {
    last_session_key_iv_ = iv;
    return;
  }
  auto it = std::find_if(content_key_ivs_.begin(), content_key_ivs_.end(), [&](const auto& e) {
    return std::equal(e.wrapped.begin(), e.wrapped.end(), content_key->begin());
  });
  ContentKeyIv entry;
  std::copy(content_key->begin(), content_key->end(), entry.wrapped.begin());
  entry.last_iv = iv;
  if (it != content_key_ivs_.end()) {
    content_key_ivs_.erase(it);
  } else if (content_key_ivs_.size() == kMaxTrackedContentKeys) {
    content_key_ivs_.erase(content_key_ivs_.begin());  // least recently used
  }
  content_key_ivs_.push_back(entry);
}

Result<void> CryptoSession::check_buffer(const device::Resource& buffer,
                                         std::uint64_t buffer_size, std::uint64_t needed,
                                         const char* which_too_small) const {
  const std::uint32_t block = features_.block_alignment;
  if (reinterpret_cast<std::uintptr_t>(buffer.data()) % features_.buffer_alignment != 0) {
    return Error{Errc::kInvalidArgument,
                 "system-memory buffer start is not BufferAlignmentStart-aligned"};
  }
  if (buffer_size % block != 0) {
    return Error{Errc::kInvalidArgument, "buffer size is not a multiple of BlockAlignmentSize"};
  }
  if (buffer_size < needed) {
    return Error{Errc::kInvalidArgument, which_too_small};
  }
  if (buffer_size > buffer.size()) {
    return Error{Errc::kInvalidArgument, "buffer size is larger than the system-memory surface"};
  }
  return {};
}

}  // namespace cpddi::session
