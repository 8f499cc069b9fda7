// Crypto-session life cycle, key exchange, GetPitch and key refresh (spec §4.1–§4.4, §4.8–§4.9).
#include "ddi/d3d9/entry.h"
#include "ddi/d3d9/guid.h"
#include "ddi/d3d9/objects.h"

namespace cpddi::ddi::d3d9 {

HRESULT APIENTRY CreateCryptoSession(HANDLE hDevice, D3DDDIARG_CREATECRYPTOSESSION* pData) noexcept {
  return run_d3d9_entry("CreateCryptoSession", [&]() -> Result<void> {
    Result<LockedDevice> device = LockedDevice::acquire(hDevice);
    if (!device) {
      return device.error();
    }
    if (pData == nullptr) {
      return Error{Errc::kInvalidArgument, "null D3DDDIARG_CREATECRYPTOSESSION"};
    }
    if (crypto_type_of(pData->CryptoType) != caps::CryptoType::kAes128Ctr) {
      return Error{Errc::kNotAvailable, "CryptoType must be D3DCRYPTOTYPE_AES128_CTR"};
    }
    if (!guid_is_zero(pData->DecodeProfile)) {
      return Error{Errc::kUnsupportedCrypto, "cpddi has no decoder: DecodeProfile must be zero"};
    }
    if (Result<void> r = device->device().admit_session(); !r) {
      return r;
    }
    auto object = std::make_shared<SessionObject>();
    object->device = device->handle();
    object->session = std::make_unique<session::CryptoSession>(
        device->adapter().session_features(), device->adapter().identity->private_key(),
        device->device());
    device->object().sessions.reserve(device->object().sessions.size() + 1);
    HANDLE handle = sessions().insert(std::move(object));
    device->object().sessions.push_back(handle);
    pData->hCryptoSession = handle;
    return {};
  });
}

HRESULT APIENTRY CryptoSessionKeyExchange(HANDLE hDevice,
                                          D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE* pData) noexcept {
  return run_d3d9_entry("CryptoSessionKeyExchange", [&] {
    return with_session(hDevice, pData, [](LockedDevice&, session::CryptoSession& cs,
                                           const D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE& ddi) {
      return cs.key_exchange(out_bytes(ddi.pData, ddi.DataSize));
    });
  });
}

HRESULT APIENTRY DestroyCryptoSession(HANDLE hDevice,
                                      const D3DDDIARG_DESTROYCRYPTOSESSION* pData) noexcept {
  return run_d3d9_entry("DestroyCryptoSession", [&] {
    return with_session(hDevice, pData, [](LockedDevice& device, session::CryptoSession& session,
                                           const D3DDDIARG_DESTROYCRYPTOSESSION& ddi) {
      // Queued blts carry their own key copies: wait until they have run (and wiped them), so no
      // key of the session outlives this call. An execution error stays for the next Flush.
      device.device().queue().wait(session.last_fence());
      sessions().remove(ddi.hCryptoSession);
      forget(device.object().sessions, ddi.hCryptoSession);
      device.device().session_destroyed();
      return Result<void>{};
    });
  });
}

HRESULT APIENTRY GetPitch(HANDLE hDevice, D3DDDIARG_GETPITCH* pData) noexcept {
  return run_d3d9_entry("GetPitch", [&] {
    // Spec §4.4 [R]: the session must be live on this device; the resource need not be protected.
    return with_session(hDevice, pData, [](LockedDevice& device, session::CryptoSession&,
                                           D3DDDIARG_GETPITCH& ddi) -> Result<void> {
      Result<std::shared_ptr<device::Resource>> resource = device.resource(ddi.hResource);
      if (!resource) {
        return resource.error();
      }
      if (ddi.SubResourceIndex != 0) {
        return Error{Errc::kInvalidArgument, "cpddi surfaces have only subresource 0"};
      }
      ddi.Pitch = (*resource)->layout().pitch;
      return {};
    });
  });
}

HRESULT APIENTRY StartSessionKeyRefresh(HANDLE hDevice,
                                        const D3DDDIARG_STARTSESSIONKEYREFRESH* pData) noexcept {
  return run_d3d9_entry("StartSessionKeyRefresh", [&] {
    return with_session(hDevice, pData, [](LockedDevice&, session::CryptoSession& cs,
                                           const D3DDDIARG_STARTSESSIONKEYREFRESH& ddi) {
      // A null pRandomNumber becomes an empty span, which the session rejects (spec §9 A2).
      return cs.start_key_refresh(out_bytes(ddi.pRandomNumber, ddi.RandomNumberSize));
    });
  });
}

HRESULT APIENTRY FinishSessionKeyRefresh(HANDLE hDevice,
                                         const D3DDDIARG_FINISHSESSIONKEYREFRESH* pData) noexcept {
  return run_d3d9_entry("FinishSessionKeyRefresh", [&] {
    return with_session(hDevice, pData, [](LockedDevice&, session::CryptoSession& cs,
                                           const D3DDDIARG_FINISHSESSIONKEYREFRESH&) {
      return cs.finish_key_refresh();
    });
  });
}

}  // namespace cpddi::ddi::d3d9
