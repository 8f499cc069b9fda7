// Crypto-session life cycle, key exchange, GetPitch and key refresh (spec §4.1–§4.4, §4.8–§4.9):
// admission under the device's session limit, and a destroy that waits for the session's blts.
#include "runtime/locked_device.h"
#include "runtime/runtime.h"

namespace cpddi::runtime {

Result<Handle> Runtime::create_crypto_session(const ObjectName& device,
                                              const CryptoSessionDesc& desc,
                                              std::optional<FrontEndKey> key) {
  Result<LockedDevice> locked = LockedDevice::acquire(registry_, device);
  if (!locked) {
    return locked.error();
  }
  if (desc.crypto_type != caps::CryptoType::kAes128Ctr) {
    return Error{Errc::kNotAvailable, "CryptoType must be D3DCRYPTOTYPE_AES128_CTR"};
  }
  if (desc.has_decode_profile) {
    return Error{Errc::kUnsupportedCrypto, "cpddi has no decoder: DecodeProfile must be zero"};
  }
  DeviceRecord& record = locked->record();
  const AdapterRecord& adapter = locked->adapter();
  if (record.sessions.size() >= adapter.max_sessions_per_device) {
    return Error{Errc::kOutOfMemory, "the device's crypto-session limit is reached"};
  }
  auto session = std::make_shared<CryptoSessionRecord>();
  session->owner = &record;
  session->session = std::make_unique<session::CryptoSession>(
      adapter.session_features, adapter.caps.identity->private_key(), locked->device());
  return add_owned(registry_, record.sessions, std::move(session), key);
}

Result<void> Runtime::destroy_crypto_session(const ObjectName& device, const ObjectName& session) {
  auto destroy = [&](LockedDevice& locked, session::CryptoSession& cs) -> Result<void> {
    // Queued blts carry their own key copies: wait until they have run (and wiped them), so no
    // key of the session outlives this call. An execution error stays for the next Flush.
    locked.device().queue().wait(cs.last_fence());
    // Bindings made through a channel's CONFIGURE_CRYPTOSESSION end with the session.
    locked.record().channel_state->forget_session(
        registry_.resolve<CryptoSessionRecord>(session)->value);
    remove_owned<CryptoSessionRecord>(registry_, locked.record().sessions, session);
    return {};
  };
  return with_session(registry_, device, session, destroy);
}

Result<void> Runtime::crypto_session_key_exchange(const ObjectName& device,
                                                  const ObjectName& session,
                                                  std::span<const std::uint8_t> oaep_ciphertext) {
  return with_session(registry_, device, session, [&](LockedDevice&, session::CryptoSession& cs) {
    return cs.key_exchange(oaep_ciphertext);
  });
}

Result<std::uint32_t> Runtime::get_pitch(const ObjectName& device, const ObjectName& session,
                                         const SubresourceName& surface) {
  auto pitch = [&](LockedDevice& locked, session::CryptoSession&) -> Result<std::uint32_t> {
    Result<std::shared_ptr<device::Resource>> found = locked.resource(surface);
    if (!found) {
      return found.error();
    }
    return (*found)->layout().pitch;
  };
  return with_session(registry_, device, session, pitch);
}

Result<void> Runtime::start_session_key_refresh(const ObjectName& device, const ObjectName& session,
                                                std::span<std::uint8_t> random_number) {
  return with_session(registry_, device, session, [&](LockedDevice&, session::CryptoSession& cs) {
    return cs.start_key_refresh(random_number);
  });
}

Result<void> Runtime::finish_session_key_refresh(const ObjectName& device,
                                                 const ObjectName& session) {
  return with_session(registry_, device, session, [&](LockedDevice&, session::CryptoSession& cs) {
    return cs.finish_key_refresh();
  });
}

}  // namespace cpddi::runtime
