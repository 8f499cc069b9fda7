#pragma once

// Runtime — the API-neutral core between the DDI front ends and the components that do the work.
// Owns every object a front end can name: adapters (identity, caps, protected pool, limits),
// devices, crypto sessions and resources, in one generation-tagged handle space shared by all
// front ends (spec §8.7, A29; names.h, registry.h); per-device locking (locked_device.h); the
// admission limits; the waiting policy of Lock, Flush and the destroys (DoNotWait, waiting for
// fences, latched execution errors); and the teardown order of DestroyDevice. Each front end
// (src/ddi/d3d9/ today, src/ddi/d3d11_1/ next) translates its structs into the core types of
// arguments.h, makes one call here per entry point, and reports the Error in its own way.
//
// May depend on channel/, session/, caps/, device/, crypto/ and base/; authenticated channels are
// owned per device exactly like sessions, and their shared state lives with the device. Never
// sees a D3DDDIARG_* struct, a GUID or an HRESULT — the build gives it no DDI header — and never
// includes OpenSSL. Threading: every call is thread-safe. Calls on one device are serialised by
// that device's lock, held for the whole call, including while it waits for the device's queue;
// calls on different devices run in parallel.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "base/result.h"
#include "runtime/arguments.h"
#include "runtime/names.h"
#include "runtime/registry.h"
#include "wire/counter_block.h"

namespace cpddi::runtime {

class Runtime {
 public:
  Runtime() = default;
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // ---- Adapters (adapter_calls.cpp; spec §3, §7.7) ----

  // Makes the adapter's identity (pinned from PEM files or fresh) and its protected pool.
  // kInvalidArgument for a config the runtime rejects or unreadable identity files.
  Result<Handle> open_adapter(const AdapterConfig& config);
  // Devices made on the adapter stay usable.
  Result<void> close_adapter(const ObjectName& adapter);
  // What GetCaps answers from; kept alive by the returned pointer.
  Result<std::shared_ptr<const AdapterCaps>> adapter_caps(const ObjectName& adapter) const;
  Result<Handle> create_device(const ObjectName& adapter, std::optional<FrontEndKey> key = {});
  // The caps of the adapter a device was made on (alive even after CloseAdapter): what the
  // D3D11.1 front end, whose caps entries take a device, answers from.
  Result<std::shared_ptr<const AdapterCaps>> device_caps(const ObjectName& device) const;

  // ---- Devices: synchronisation and teardown (device_calls.cpp) ----

  // Waits for everything queued on the device; reports a latched execution error once.
  Result<void> flush(const ObjectName& device);
  // Drains the queue, then destroys every channel and session (keys wiped) and resource the
  // device hosts, then the device. Never fails on a live device.
  Result<void> destroy_device(const ObjectName& device);

  // ---- Resources (resource_calls.cpp; spec §4.10, A22) ----

  Result<Handle> create_resource(const ObjectName& device, const device::SurfaceDesc& desc,
                                 std::optional<FrontEndKey> key = {});
  // Waits for the queued work that uses the surface (its memory may be the caller's).
  Result<void> destroy_resource(const ObjectName& device, const ObjectName& resource);
  // Protected or already-locked surfaces are refused at once; otherwise waits for the queued
  // work that uses the surface (or, with do_not_wait, kStillDrawing while there is any).
  Result<MappedSurface> lock(const ObjectName& device, const LockRequest& request);
  Result<void> unlock(const ObjectName& device, const SubresourceName& surface);

  // ---- Crypto sessions (crypto_session_calls.cpp; spec §4.1–§4.4, §4.8–§4.9) ----

  Result<Handle> create_crypto_session(const ObjectName& device, const CryptoSessionDesc& desc,
                                       std::optional<FrontEndKey> key = {});
  // Waits for the session's queued blts, so no copy of its keys outlives the call.
  Result<void> destroy_crypto_session(const ObjectName& device, const ObjectName& session);
  Result<void> crypto_session_key_exchange(const ObjectName& device, const ObjectName& session,
                                           std::span<const std::uint8_t> oaep_ciphertext);
  // Spec §4.4 [R]: the session must be live on the device; the resource need not be protected.
  Result<std::uint32_t> get_pitch(const ObjectName& device, const ObjectName& session,
                                  const SubresourceName& surface);
  Result<void> start_session_key_refresh(const ObjectName& device, const ObjectName& session,
                                         std::span<std::uint8_t> random_number);
  Result<void> finish_session_key_refresh(const ObjectName& device, const ObjectName& session);

  // ---- Authenticated channels (channel_calls.cpp; spec §5) ----

  // kNotAvailable for a type the caps do not announce (cpddi: anything but software, §5.1).
  Result<Handle> create_authenticated_channel(const ObjectName& device, channel::ChannelType type,
                                              std::optional<FrontEndKey> key = {});
  Result<void> authenticated_channel_key_exchange(const ObjectName& device,
                                                  const ObjectName& channel,
                                                  std::span<const std::uint8_t> oaep_ciphertext);
  // The channel is the one the payload's hChannel names, which must live on `device` (§5.9 steps
  // 1–2: else kInvalidArgument, output untouched); from there AuthenticatedChannel::query. A
  // front end whose call names the channel itself (D3D11.1) passes that name as `addressed`:
  // the payload's hChannel must then be that channel's handle, else kInvalidArgument with the
  // output untouched and nothing consumed (spec §5.9 step 2, A39).
  Result<void> query_authenticated_channel(const ObjectName& device,
                                           std::span<const std::uint8_t> input,
                                           std::span<std::uint8_t> output,
                                           const channel::MessageRules& rules,
                                           const std::optional<ObjectName>& addressed = {});
  Result<void> configure_authenticated_channel(const ObjectName& device,
                                               std::span<const std::uint8_t> input,
                                               std::span<std::uint8_t> output,
                                               const channel::MessageRules& rules,
                                               const std::optional<ObjectName>& addressed = {});
  // Withdraws the channel's PROTECTION and ENCRYPTIONWHENACCESSIBLE requests, wipes its key and
  // kills its handle (§5.5, A40).
  Result<void> destroy_authenticated_channel(const ObjectName& device, const ObjectName& channel);

  // ---- Blts (blt_calls.cpp; spec §4.5–§4.7) ----

  Result<void> decryption_blt(const ObjectName& device, const ObjectName& session,
                              const DecryptionBltRequest& request);
  // The IV the driver chose for this blt (spec §7.8).
  Result<session::CounterBlock> encryption_blt(const ObjectName& device, const ObjectName& session,
                                               const EncryptionBltRequest& request);
  Result<void> get_encryption_blt_key(const ObjectName& device, const ObjectName& session,
                                      std::span<std::uint8_t> wrapped_key);

  // ---- Introspection (status_calls.cpp; tests and diagnostics, never changes anything) ----

  Result<DeviceStatus> device_status(const ObjectName& device) const;
  Result<CryptoSessionStatus> crypto_session_status(const ObjectName& device,
                                                    const ObjectName& session) const;
  Result<AuthenticatedChannelStatus> authenticated_channel_status(const ObjectName& device,
                                                                  const ObjectName& channel) const;
  Result<ResourceStatus> resource_status(const ObjectName& device,
                                         const ObjectName& resource) const;
  // The handle of a live session or channel on `device` that `name` (typically a front end's key)
  // names: what the D3D11.1 front end hands out as CryptoSessionGetHandle's value and as a
  // channel's hChannel, so payloads name objects by handle in both front ends (spec §8.7, A39).
  Result<Handle> crypto_session_handle(const ObjectName& device, const ObjectName& session) const;
  Result<Handle> authenticated_channel_handle(const ObjectName& device,
                                              const ObjectName& channel) const;
  // Objects of every kind alive in this runtime.
  std::size_t live_objects() const { return registry_.live_objects(); }

 private:
  Registry registry_;
};

// The runtime every front end of this process shares, so that all of them draw their handles from
// one space (spec §8.7, A29). Made on first use; destroyed at exit.
Runtime& process_runtime();

}  // namespace cpddi::runtime
