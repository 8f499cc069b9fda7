#pragma once

// The channel state one device shares among its authenticated channels (spec §5.4 rule 5, §5.5,
// A31, A32, A40), and what backs each entry of the catalogues §5.6/§5.7:
//
//   protection flags          each live channel's own PROTECTION request; the device's flags are
//                             their OR, plus ProtectionEnabled when the caps say PROTECTIONALWAYSON
//                             (A31). A channel's "off" withdraws only its own request.
//   encryption when accessible each live channel's own ENCRYPTIONWHENACCESSIBLE choice; a channel
//                             may not choose a GUID other than one another live channel chose; the
//                             current value is the common choice, or all-zero when none is made.
//   restricted-shared-resource the device's list of processes (DWM by type, others by handle)
//   process list              that SHAREDRESOURCE edits; a grant outlives its channel; while the
//                             granting channel lives, only it may revoke the grant.
//   crypto-session bindings   decoder handle → (crypto session, device), set by CRYPTOSESSION;
//                             outlive the channel, die with the session.
//   outputs, accessibility,   the adapter's ChannelFeatures: fixed for the device's life.
//   encryption GUID list
//
// Threading: guarded by the runtime's device lock, like the channels themselves. Component
// overview: authenticated_channel.h.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/result.h"
#include "wire/channel_messages.h"

namespace cpddi::channel {

// D3DAUTHENTICATEDCHANNEL_PROTECTION_FLAGS bits (spec §2.8).
inline constexpr std::uint32_t kProtectionEnabled = 0x1;
inline constexpr std::uint32_t kOverlayOrFullscreenRequired = 0x2;
inline constexpr std::uint32_t kProtectionReservedBits = ~std::uint32_t{0x3};

// D3DAUTHENTICATEDCHANNEL_PROCESSIDENTIFIERTYPE (spec §2.5).
enum class ProcessIdentifierType : std::uint32_t { kUnknown = 0, kDwm = 1, kHandle = 2 };

// D3DBUSTYPE_OTHER (spec §2.5): a software device is on no bus.
inline constexpr std::uint32_t kBusTypeOther = 0;

// D3DCRYPTOTYPE_AES128_CTR (spec §2.3): the encryption EncryptionBlt applies before protected
// content leaves the device — cpddi's one encryption-when-accessible GUID.
inline constexpr wire::GuidBytes kAes128CtrGuid = wire::make_guid(
    0x9b6bd711, 0x4f74, 0x41c9, {0x9e, 0x7b, 0x0b, 0xe2, 0xd7, 0xd9, 0x3b, 0x4f});

// What the adapter gives every device's channels; fixed for the device's life.
struct ChannelFeatures {
  bool protection_always_on = true;  // caps PROTECTIONALWAYSON
  bool hardware_channels = false;    // caps HARDWARE: cpddi is software only
  // The virtual outputs OUTPUTIDCOUNT/OUTPUTID report (A32: default one output, id 1); empty for
  // a device with no outputs.
  // (Count constructors, not braces: GCC 12 at -O3 reports an initializer_list's backing array as
  // maybe-uninitialized where it is copied — a false positive.)
  std::vector<std::uint64_t> output_ids = std::vector<std::uint64_t>(1, 1);
  std::uint32_t bus_type = kBusTypeOther;
  // cpddi never maps protected surfaces (A22): neither kind of block is CPU or bus accessible.
  bool accessible_in_contiguous_blocks = false;
  bool accessible_in_non_contiguous_blocks = false;
  std::vector<wire::GuidBytes> encryption_guids = std::vector<wire::GuidBytes>(1, kAes128CtrGuid);
  std::size_t max_process_grants = 1024;  // past it: kOutOfMemory
  std::size_t max_bindings = 1024;        // past it: kOutOfMemory
};

// A channel's name inside its device's state: never reused, never 0.
using ChannelId = std::uint64_t;

struct ProcessGrant {
  ProcessIdentifierType type = ProcessIdentifierType::kUnknown;
  std::uint64_t process_handle = 0;  // 0 for DWM (named by type)
  friend bool operator==(const ProcessGrant&, const ProcessGrant&) = default;
};

struct SessionBinding {
  std::uint64_t decode_handle = 0;
  std::uint64_t crypto_session = 0;
  std::uint64_t device = 0;
};

class DeviceChannelState {
 public:
  explicit DeviceChannelState(ChannelFeatures features) : features_(std::move(features)) {}

  const ChannelFeatures& features() const { return features_; }

  ChannelId register_channel() { return next_id_++; }
  // DestroyAuthenticatedChannel (§5.5, A40): the channel's protection and encryption requests
  // end; its grants stay, revocable by any channel from now on.
  void withdraw(ChannelId channel);

  // ---- PROTECTION ----
  std::uint32_t effective_protection() const;
  // `flags` has no reserved bit set (checked by the caller). 0 withdraws the request.
  void request_protection(ChannelId channel, std::uint32_t flags);

  // ---- ENCRYPTIONWHENACCESSIBLE ----
  // kInvalidArgument for a GUID not in features().encryption_guids, or one differing from a
  // choice another live channel made; nothing changes then.
  Result<void> request_encryption(ChannelId channel, const wire::GuidBytes& guid);
  // All-zero while no live channel made a choice.
  wire::GuidBytes current_encryption() const;

  // ---- SHAREDRESOURCE ----
  // Adding a listed process again succeeds and changes nothing; kOutOfMemory past the limit.
  Result<void> grant(ChannelId channel, const ProcessGrant& process);
  // kInvalidArgument for a process not listed, or one a different live channel granted.
  Result<void> revoke(ChannelId channel, const ProcessGrant& process);
  std::size_t process_count() const { return grants_.size(); }
  // Index order = grant order. Requires index < process_count().
  const ProcessGrant& process(std::size_t index) const { return grants_[index].process; }

  // ---- CRYPTOSESSION ----
  // Replaces the decoder's previous binding; kOutOfMemory past the limit.
  Result<void> bind(const SessionBinding& binding);
  std::optional<SessionBinding> binding(std::uint64_t decode_handle) const;
  // DestroyCryptoSession: every binding naming the session ends.
  void forget_session(std::uint64_t crypto_session);

 private:
  struct Request {
    ChannelId channel = 0;
    std::uint32_t protection = 0;
    std::optional<wire::GuidBytes> encryption;
  };
  struct Grant {
    ProcessGrant process;
    ChannelId granted_by = 0;  // 0 once that channel is destroyed
  };

  Request* request_of(ChannelId channel);
  Request& request_for(ChannelId channel);
  void drop_empty_requests();

  ChannelFeatures features_;
  ChannelId next_id_ = 1;
  std::vector<Request> requests_;  // live channels with a protection or encryption request
  std::vector<Grant> grants_;
  std::vector<SessionBinding> bindings_;
};

}  // namespace cpddi::channel
