#pragma once

// Crypto sessions — the driver's half of spec §1.2–§1.4 and §4. A CryptoSession owns its session
// key, the pending refresh number, its IV bookkeeping and the read-back key, and runs the state
// machine of spec §1.4: every argument is checked against that state before anything changes,
// and nothing changes on failure. Blt work is queued on the device with a snapshot of the key in
// effect at the call (A6). Also here: the partial-encryption map (block_pattern.h) and the
// counter block (wire/counter_block.h); striped_ctr.h is private.
//
// May depend on device/, crypto/ and base/; never sees a D3DDDIARG_* struct, a handle or the
// runtime (the runtime resolves handles and passes resolved surfaces) and never includes
// OpenSSL. Threading: calls on one session are serialised by the runtime's device lock; queued
// work owns its key copy and runs without it.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "base/result.h"
#include "crypto/aes.h"
#include "crypto/rsa.h"
#include "crypto/secret_bytes.h"
#include "device/device.h"
#include "device/resource.h"
#include "session/block_pattern.h"
#include "wire/counter_block.h"

namespace cpddi::session {

using crypto::CounterBlock;

using crypto::Aes128Key;
using crypto::kSessionKeyLen;

enum class IvCheck : std::uint8_t { kMonotonic, kOff };

// What the device's caps allow (spec §3); every switched-off feature answers kNotAvailable or
// kInvalidArgument exactly as the spec says.
struct SessionFeatures {
  bool key_refresh = true;       // D3DCPCAPS_FRESHENSESSIONKEY
  bool content_key = true;       // D3DCPCAPS_CONTENTKEY
  bool partial_decryption = true;  // D3DCPCAPS_PARTIALDECRYPTION
  bool encrypted_readback = true;  // D3DCPCAPS_ENCRYPTEDREADBACK
  bool readback_key = true;        // D3DCPCAPS_ENCRYPTEDREADBACKKEY
  IvCheck iv_check = IvCheck::kMonotonic;
  std::uint32_t buffer_alignment = 16;  // BufferAlignmentStart
  std::uint32_t block_alignment = 16;   // BlockAlignmentSize
};

struct DecryptionBltArgs {
  std::shared_ptr<device::Resource> source;       // system memory, ciphertext
  std::shared_ptr<device::Resource> destination;  // RestrictedContent
  std::uint64_t source_size = 0;                  // SrcResourceSize
  std::optional<BlockPattern> pattern;            // pEncryptedBlockInfo
  std::optional<std::span<const std::uint8_t, 16>> wrapped_content_key;  // pContentKey
  std::optional<CounterBlock> counter_block;      // *pIV
};

struct EncryptionBltArgs {
  std::shared_ptr<device::Resource> source;       // RestrictedContent
  std::shared_ptr<device::Resource> destination;  // system memory
  std::uint64_t destination_size = 0;             // DstResourceSize
};

class CryptoSession {
 public:
  CryptoSession(SessionFeatures features, std::shared_ptr<const crypto::RsaPrivateKey> identity,
                device::Device& device);

  // ---- Key exchange (spec §4.2, §7.5, A7, A11, A25) ----
  Result<void> key_exchange(std::span<const std::uint8_t> oaep_ciphertext);

  // ---- Key refresh (spec §4.8–§4.9, §7.3, A1–A8) ----
  Result<void> start_key_refresh(std::span<std::uint8_t> out);
  Result<void> finish_key_refresh();

  // ---- Blts (spec §4.5–§4.7, §7.1–§7.4, §7.8) ----
  Result<void> decryption_blt(const DecryptionBltArgs& args);
  Result<CounterBlock> encryption_blt(const EncryptionBltArgs& args);
  Result<void> get_encryption_blt_key(std::span<std::uint8_t> out);

  bool keyed() const { return key_.has_value(); }
  // The fence of this session's newest queued blt: destroying the session waits for it, so no
  // copy of its keys outlives it.
  device::Fence last_fence() const { return last_fence_; }
  bool refresh_pending() const { return pending_.has_value(); }

 private:
  struct ContentKeyIv {
    std::array<std::uint8_t, 16> wrapped{};
    std::uint64_t last_iv = 0;
  };

  Result<void> check_iv(const std::optional<std::span<const std::uint8_t, 16>>& content_key,
                        std::uint64_t iv) const;
  void record_iv(const std::optional<std::span<const std::uint8_t, 16>>& content_key,
                 std::uint64_t iv);
  void reset_iv_bookkeeping();
  Result<void> check_buffer(const device::Resource& buffer, std::uint64_t buffer_size,
                            std::uint64_t needed, const char* which_too_small) const;

  SessionFeatures features_;
  std::shared_ptr<const crypto::RsaPrivateKey> identity_;
  device::Device& device_;

  std::optional<Aes128Key> key_;      // Keyed once set (spec §1.4)
  std::optional<Aes128Key> pending_;  // the refresh number Start handed out
  std::optional<Aes128Key> readback_key_;
  // A11/A12: IV bookkeeping per effective key, restarted when the session key changes.
  std::optional<std::uint64_t> last_session_key_iv_;
  std::vector<ContentKeyIv> content_key_ivs_;  // most recent last, at most kMaxTrackedContentKeys
  // §7.8: EncryptionBlt's IVs rise for the life of the session, across key changes.
  std::optional<std::uint64_t> next_readback_iv_;
  device::Fence last_fence_ = 0;
};

inline constexpr std::size_t kMaxTrackedContentKeys = 64;
using crypto::kOaepCiphertextLen;  // RSA-2048 (spec §7.5)

}  // namespace cpddi::session
