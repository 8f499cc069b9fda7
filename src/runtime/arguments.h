#pragma once

// The arguments and answers of the runtime's calls, in core types: what a front end fills from
// its DDI's structs and reads back to fill them. No D3DDDIARG_* struct, GUID or HRESULT appears
// here. Component overview: runtime.h.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "caps/content_protection_caps.h"
#include "caps/driver_identity.h"
#include "channel/authenticated_channel.h"
#include "device/resource.h"
#include "runtime/names.h"
#include "session/block_pattern.h"
#include "session/crypto_session.h"

namespace cpddi::runtime {

// ---- Adapters (spec §3, §7.7) ----

// BltThreadsPerDevice's ceiling: one blt's stripes never run on more threads than this.
inline constexpr std::size_t kMaxBltThreads = 256;

// Everything an adapter is opened with; the defaults are cpddi's (docs/behaviour.md). It applies
// to every device of the adapter.
struct AdapterConfig {
  caps::CapsConfig caps;  // disabled_caps must be a subset of caps::kSwitchableCaps
  caps::CertificateContainer container = caps::CertificateContainer::kPkcs7;
  session::IvCheck iv_check = session::IvCheck::kMonotonic;
  std::uint32_t max_sessions_per_device = 1024;   // past it: kOutOfMemory
  std::uint32_t max_resources_per_device = 4096;  // past it: kOutOfMemory
  std::uint32_t max_channels_per_device = 1024;   // past it: kOutOfMemory
  // The virtual outputs every device's channels report through OUTPUTIDCOUNT/OUTPUTID (spec A32);
  // empty = a device with no outputs.
  std::vector<std::uint64_t> output_ids{1};
  std::size_t blt_threads_per_device = 0;         // 0 = the number of cores; at most kMaxBltThreads
  // The identity's PEM files. A path not given falls back to the environment
  // (CPDDI_IDENTITY_KEY, CPDDI_IDENTITY_CERT); with neither, a fresh identity is made.
  std::optional<std::string> identity_key_pem_path;
  std::optional<std::string> identity_cert_pem_path;
};

// What an adapter announces through GetCaps: immutable once the adapter is open.
struct AdapterCaps {
  caps::CapsConfig config;
  caps::CertificateContainer container = caps::CertificateContainer::kPkcs7;
  std::shared_ptr<const caps::DriverIdentity> identity;
};

// ---- Resources (spec §4.10, A22) ----

struct LockRequest {
  SubresourceName surface;
  bool part_of_surface = false;  // a rectangle, box or range was asked for: unsupported
  bool do_not_wait = false;      // busy surface → kStillDrawing instead of waiting
};

struct MappedSurface {
  std::uint8_t* data = nullptr;
  std::uint32_t pitch = 0;
  std::uint64_t slice_pitch = 0;  // the whole surface: pitch × rows
};

// ---- Crypto sessions (spec §4) ----

struct CryptoSessionDesc {
  caps::CryptoType crypto_type = caps::CryptoType::kNone;
  bool has_decode_profile = false;
};

// session::DecryptionBltArgs with the surfaces named instead of resolved. The content key and
// the IV point at the caller's bytes, which are read only once every handle has been checked.
struct DecryptionBltRequest {
  SubresourceName source;       // system memory, ciphertext
  SubresourceName destination;  // RestrictedContent
  // SrcResourceSize; nullopt = the whole source surface, rounded down to BlockAlignmentSize
  // (the D3D11.1 DDI passes no size: the resource is the buffer).
  std::optional<std::uint64_t> source_size;
  std::optional<session::BlockPattern> pattern;
  std::optional<std::span<const std::uint8_t, 16>> wrapped_content_key;
  std::optional<std::span<const std::uint8_t, 16>> counter_block;
};

// session::EncryptionBltArgs with the surfaces named instead of resolved.
struct EncryptionBltRequest {
  SubresourceName source;       // RestrictedContent
  SubresourceName destination;  // system memory
  std::optional<std::uint64_t> destination_size;  // DstResourceSize; nullopt as source_size
};

// ---- Introspection (tests, diagnostics; never changes anything) ----

struct DeviceStatus {
  std::size_t live_sessions = 0;
  std::size_t live_resources = 0;
  std::size_t live_channels = 0;
};

struct AuthenticatedChannelStatus {
  channel::ChannelType type = channel::ChannelType::kSoftware;
  channel::ChannelState state = channel::ChannelState::kCreated;
  std::optional<std::uint64_t> next_query_sequence;  // nullopt before INITIALIZE; 2^32 = exhausted
  std::optional<std::uint64_t> next_configure_sequence;
};

struct CryptoSessionStatus {
  bool keyed = false;
  bool refresh_pending = false;
};

struct ResourceStatus {
  bool is_protected = false;
  device::SurfaceLayout layout;
  bool locked = false;
  bool busy = false;  // queued work still reads or writes it
};

}  // namespace cpddi::runtime
