// cpddi::app — the application's half of the content-protection protocol, in C++, on top of the
// C ABI (any driver's OpenAdapter, cpddi's by default). Misuse-resistant in Tink's manner:
//   * objects exist only if valid: ProtectedSession::open checks the driver's certificate and
//     performs the key exchange, or returns an Error;
//   * the session key never leaves the object, and the session chooses every IV itself, so a
//     caller cannot reuse one under a key;
//   * refresh_key() runs Start, the XOR and Finish, and moves the application's key only after
//     Finish succeeded: both sides move, or neither;
//   * an AuthenticatedChannel checks the channel certificate, exchanges a random key and chooses
//     its own sequence numbers; it signs every configure input and verifies every output (MAC,
//     echoed type, channel handle, sequence number, ReturnCode) before handing a value back;
//   * every object is move-only RAII and calls the matching destroy entry point.
// Thread-safety: an object may be used by one thread at a time; distinct Devices are independent.
#ifndef CPDDI_CPDDI_HPP_
#define CPDDI_CPDDI_HPP_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cpddi/cpddi.h"
#include "cpddi/expected.hpp"

#if defined(__GNUC__) || defined(__clang__)
#define CPDDI_CXX_EXPORT __attribute__((visibility("default")))
#else
#define CPDDI_CXX_EXPORT
#endif

namespace cpddi::app {

// What failed: the driver's HRESULT (or E_FAIL for an application-side check, such as a
// certificate that does not verify) and a sentence that names the step.
struct Error {
  HRESULT hr = E_FAIL;
  std::string message;
};

template <class T>
using Result = Expected<T, Error>;

// The bytes of one AES-128-CTR counter block as D3DAES_CTR_IV stores it (IV then Count, both
// big-endian, spec §7.1).
using CounterBlock = std::array<std::uint8_t, 16>;

// A heap buffer whose start is 64-byte aligned (system-memory surfaces need
// BufferAlignmentStart alignment) and whose bytes are wiped when it dies.
class CPDDI_CXX_EXPORT AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(std::size_t size);
  AlignedBuffer(AlignedBuffer&& other) noexcept;
  AlignedBuffer& operator=(AlignedBuffer&& other) noexcept;
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  ~AlignedBuffer();

  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::span<std::uint8_t> span() { return {data_, size_}; }
  std::span<const std::uint8_t> span() const { return {data_, size_}; }

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// Content encrypted by the application, ready for DecryptionBlt: ciphertext padded to whole AES
// blocks, the counter block it was encrypted from, and (optionally) the content key wrapped under
// the session key current at encryption time.
struct EncryptedBuffer {
  AlignedBuffer bytes;
  CounterBlock iv{};
  std::optional<std::array<std::uint8_t, 16>> wrapped_content_key;
  // Which session key it was made under (counts refreshes); a blt under another key is refused.
  std::uint64_t key_epoch = 0;
};

struct SurfaceDesc {
  D3DDDIFORMAT format = D3DDDIFMT_NV12;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
};

class Device;
class ProtectedSession;
struct AdapterState;  // the opened adapter and its function table (src/app)

// A protected (RestrictedContent, video-memory) surface: the CPU can never read it; only
// DecryptionBlt writes it and EncryptionBlt reads it.
class CPDDI_CXX_EXPORT ProtectedSurface {
 public:
  ProtectedSurface(ProtectedSurface&& other) noexcept;
  ProtectedSurface& operator=(ProtectedSurface&& other) noexcept;
  ProtectedSurface(const ProtectedSurface&) = delete;
  ProtectedSurface& operator=(const ProtectedSurface&) = delete;
  ~ProtectedSurface();

  HANDLE handle() const { return handle_; }
  const SurfaceDesc& desc() const { return desc_; }

 private:
  friend class Device;
  ProtectedSurface(const D3DDDI_DEVICEFUNCS* funcs, HANDLE device, HANDLE handle, SurfaceDesc desc)
      : funcs_(funcs), device_(device), handle_(handle), desc_(desc) {}
  void release() noexcept;

  const D3DDDI_DEVICEFUNCS* funcs_ = nullptr;
  HANDLE device_ = nullptr;
  HANDLE handle_ = nullptr;
  SurfaceDesc desc_;
};

class Adapter;

// A device made on an Adapter. Owns its function table; destroys the device when it dies.
// Surfaces and sessions made from it must not outlive it.
class CPDDI_CXX_EXPORT Device {
 public:
  Device(Device&& other) noexcept;
  Device& operator=(Device&& other) noexcept;
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;
  ~Device();

  Result<ProtectedSurface> create_protected_surface(const SurfaceDesc& desc);
  HANDLE handle() const { return handle_; }
  const D3DDDI_DEVICEFUNCS& funcs() const { return *funcs_; }

 private:
  friend class Adapter;
  friend class ProtectedSession;
  Device(std::shared_ptr<const AdapterState> adapter, HANDLE handle,
         std::unique_ptr<D3DDDI_DEVICEFUNCS> funcs);
  void release() noexcept;

  std::shared_ptr<const AdapterState> adapter_;
  HANDLE handle_ = nullptr;
  std::unique_ptr<D3DDDI_DEVICEFUNCS> funcs_;
};

struct AdapterOptions {
  // Which driver: any OpenAdapter-compatible entry point (default: cpddi's own).
  PFND3DDDI_OPENADAPTER open_adapter = &OpenAdapter;
  // cpddi-only options (used when open_adapter is cpddi's OpenAdapter): null = defaults.
  const CPDDI_ADAPTER_OPTIONS* cpddi_options = nullptr;
};

// An opened adapter: caps and the driver's certificate. Closes the adapter when it dies.
class CPDDI_CXX_EXPORT Adapter {
 public:
  static Result<Adapter> open(const AdapterOptions& options = {});
  Adapter(Adapter&&) noexcept = default;
  Adapter& operator=(Adapter&&) noexcept = default;
  ~Adapter();

  // GetCaps(GETCONTENTPROTECTIONCAPS) for AES-128-CTR without a decode profile.
  Result<D3DCONTENTPROTECTIONCAPS> content_protection_caps() const;
  // GetCaps(GETCERTIFICATESIZE, GETCERTIFICATE) for AES-128-CTR crypto sessions.
  Result<std::vector<std::uint8_t>> certificate() const;
  // The same for authenticated channels of `channel_type` (DDIAUTHENTICATEDCHANNEL_DRIVER_*).
  Result<std::vector<std::uint8_t>> channel_certificate(
      UINT channel_type = DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE) const;
  Result<Device> create_device() const;

 private:
  explicit Adapter(std::shared_ptr<const AdapterState> state) : state_(std::move(state)) {}
  std::shared_ptr<const AdapterState> state_;
};

struct SessionOptions {
  // The DER root the driver's certificate chain must end in. Empty: the chain only has to be
  // internally consistent (each certificate signed by the next), which is what a test or CI
  // setup with cpddi's per-process "cpddi test root" needs; a deployment should pin its root.
  std::vector<std::uint8_t> trusted_root_der;
};

// One crypto session, keyed. Encrypts content for DecryptionBlt, reads protected surfaces back
// through EncryptionBlt, and refreshes its key.
class CPDDI_CXX_EXPORT ProtectedSession {
 public:
  // Creates the session, checks the certificate (container, chain, validity, RSA ≥ 2048), makes a
  // random session key, wraps it with RSAES-OAEP (SHA-512) and performs the key exchange.
  static Result<ProtectedSession> open(Device& device, const Adapter& adapter,
                                       const SessionOptions& options = {});
  ProtectedSession(ProtectedSession&& other) noexcept;
  ProtectedSession& operator=(ProtectedSession&& other) noexcept;
  ProtectedSession(const ProtectedSession&) = delete;
  ProtectedSession& operator=(const ProtectedSession&) = delete;
  ~ProtectedSession();

  // L, the bytes a blt moves for `surface` (GetPitch × rows, spec A16).
  Result<std::size_t> surface_bytes(const ProtectedSurface& surface) const;

  // Encrypts `plaintext` (exactly surface_bytes() long for the target surface) under the session
  // key, with a fresh IV the session chooses. With `use_content_key`, under a fresh random
  // content key sent wrapped by the session key instead (needs caps CONTENTKEY).
  Result<EncryptedBuffer> encrypt(std::span<const std::uint8_t> plaintext,
                                  bool use_content_key = false);
  // DecryptionBlt of `content` into `destination`.
  Result<void> decryption_blt(const EncryptedBuffer& content, const ProtectedSurface& destination);
  // EncryptionBlt of `source`, decrypted by the application: returns its surface_bytes() bytes.
  Result<std::vector<std::uint8_t>> read_back(const ProtectedSurface& source);
  // StartSessionKeyRefresh, new = old XOR r, FinishSessionKeyRefresh (spec §4.8–§4.9).
  Result<void> refresh_key();

  std::uint64_t refreshes() const;
  HANDLE handle() const;
  // The device the session was made on.
  HANDLE device_handle() const;

 private:
  struct State;
  explicit ProtectedSession(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

struct ChannelOptions {
  // DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE or _HARDWARE (spec §5.1).
  UINT type = DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE;
  // As SessionOptions::trusted_root_der, for the channel certificate.
  std::vector<std::uint8_t> trusted_root_der;
};

// CRYPTOSESSION's answer: which session and device a decoder is bound to (spec §5.6).
struct SessionBinding {
  HANDLE decoder = nullptr;
  HANDLE crypto_session = nullptr;
  HANDLE device = nullptr;
};

// One RESTRICTEDSHAREDRESOURCEPROCESS entry: PROCESSIDTYPE_DWM or _HANDLE and the handle.
struct SharedResourceProcess {
  D3DAUTHENTICATEDCHANNEL_PROCESSIDENTIFIERTYPE type = PROCESSIDTYPE_UNKNOWN;
  HANDLE process = nullptr;
};

// ACCESSIBILITYATTRIBUTES' answer.
struct AccessibilityAttributes {
  D3DBUSTYPE bus_type = D3DBUSTYPE_OTHER;
  bool accessible_in_contiguous_blocks = false;
  bool accessible_in_non_contiguous_blocks = false;
};

// An authenticated channel (spec §1.3, §5): the application's verified view of the driver's
// protection state. open() checks the channel certificate like the session's, exchanges a random
// 16-byte key (kept in self-wiping storage, never exposed) and sends INITIALIZE with random start
// values; from then on the object alone numbers the messages.
//
// Every call sends one message with the next sequence number (spent even when the call fails) and
// returns a value only after the output verified: its omac is AES-CMAC(channel key) over bytes
// [16, size) (compared in constant time), it echoes the QueryType/ConfigureType GUID, hChannel and
// SequenceNumber, its ReturnCode is S_OK, and the payload fields the driver repeats (handles,
// indices) equal the input's. Errors: the driver's HRESULT when the call fails ("<call>: <name>");
// E_FAIL when an output does not verify, with a message naming the first field that differs
// ("… output: SequenceNumber is 8, sent 7"), the MAC last ("… output: the omac does not
// verify"); E_FAIL as well when the certificate does not check or the sequence numbers run out.
class CPDDI_CXX_EXPORT AuthenticatedChannel {
 public:
  static Result<AuthenticatedChannel> open(Device& device, const Adapter& adapter,
                                           const ChannelOptions& options = {});
  AuthenticatedChannel(AuthenticatedChannel&& other) noexcept;
  AuthenticatedChannel& operator=(AuthenticatedChannel&& other) noexcept;
  AuthenticatedChannel(const AuthenticatedChannel&) = delete;
  AuthenticatedChannel& operator=(const AuthenticatedChannel&) = delete;
  ~AuthenticatedChannel();

  HANDLE handle() const;
  UINT type() const;
  // How many outputs verified so far (INITIALIZE's included).
  std::uint64_t verified_outputs() const;

  // ---- Queries (spec §5.6) ----
  // The effective D3DAUTHENTICATEDCHANNEL_PROTECTION_FLAGS.Value.
  Result<std::uint32_t> query_protection();
  Result<UINT> query_channel_type();
  Result<HANDLE> query_device_handle();
  // The binding CONFIGURECRYPTOSESSION made for `decoder` (null: the binding made without one).
  Result<SessionBinding> query_crypto_session(HANDLE decoder = nullptr);
  Result<std::uint32_t> query_restricted_shared_resource_process_count();
  Result<SharedResourceProcess> query_restricted_shared_resource_process(std::uint32_t index);
  // Every entry, read one query per index after the count.
  Result<std::vector<SharedResourceProcess>> query_restricted_shared_resource_processes();
  Result<std::uint32_t> query_unrestricted_protected_shared_resource_count();
  // The output IDs of `session`'s device and session.
  Result<std::uint32_t> query_output_id_count(const ProtectedSession& session);
  Result<std::uint64_t> query_output_id(const ProtectedSession& session, std::uint32_t index);
  Result<std::vector<std::uint64_t>> query_output_ids(const ProtectedSession& session);
  Result<AccessibilityAttributes> query_accessibility_attributes();
  Result<std::uint32_t> query_encryption_when_accessible_guid_count();
  Result<GUID> query_encryption_when_accessible_guid(std::uint32_t index);
  Result<std::vector<GUID>> query_encryption_when_accessible_guids();
  Result<GUID> query_current_encryption_when_accessible();

  // ---- Configures (spec §5.7), each input signed with the channel key ----
  // D3DAUTHENTICATEDCHANNEL_PROTECTION_FLAGS.Value (reserved bits must be zero).
  Result<void> configure_protection(std::uint32_t flags);
  // Binds `session` (and its device) to `decoder`; null: content decrypted without a decoder.
  Result<void> configure_crypto_session(const ProtectedSession& session, HANDLE decoder = nullptr);
  // Grants (`allow`) or revokes a process's access to restricted shared resources; `process` is
  // ignored for PROCESSIDTYPE_DWM.
  Result<void> configure_shared_resource(D3DAUTHENTICATEDCHANNEL_PROCESSIDENTIFIERTYPE type,
                                         HANDLE process, bool allow);
  Result<void> configure_encryption_when_accessible(const GUID& encryption);

 private:
  struct State;
  explicit AuthenticatedChannel(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace cpddi::app

#endif  // CPDDI_CPDDI_HPP_
