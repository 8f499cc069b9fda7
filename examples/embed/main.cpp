// cpddi embedded in a host driver (host_driver.h): an application plays one protected frame
// through the host's own D3D9 table and again through its own D3D11.1 video table — whose
// content-protection slots cpddi filled — into a protected surface in the host's memory, reads
// it back through EncryptionBlt and the read-back key, and compares. Prints one line per front end and exits 0 only if every frame came back
// right and every call returned what the spec says.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include "app_side.h"
#include "host_driver.h"

namespace {

int failures = 0;

bool check(HRESULT hr, HRESULT expected, const char* what) {
  if (hr != expected) {
    std::fprintf(stderr, "%s: %s, expected %s\n", what, cpddi_hresult_name(hr),
                 cpddi_hresult_name(expected));
    ++failures;
    return false;
  }
  return true;
}

// The driver's crypto-session certificate, through cpddi's GetCaps (the adapter is cpddi's).
app::Bytes certificate(const host::Driver& driver) {
  DDICERTIFICATEINFO info{};
  info.CertificateType = D3DDDI_CERTTYPE_CRYPTOSESSION;
  info.CryptoSessionType = D3DCRYPTOTYPE_AES128_CTR;
  UINT size = 0;
  D3DDDIARG_GETCAPS caps{D3DDDICAPS_GETCERTIFICATESIZE, &info, &size, sizeof size};
  if (!check(driver.cpddi_adapter_funcs().pfnGetCaps(driver.cpddi_adapter(), &caps), S_OK,
             "GetCaps(GETCERTIFICATESIZE)")) {
    return {};
  }
  app::Bytes der(size);
  caps = D3DDDIARG_GETCAPS{D3DDDICAPS_GETCERTIFICATE, &info, der.data(), size};
  check(driver.cpddi_adapter_funcs().pfnGetCaps(driver.cpddi_adapter(), &caps), S_OK,
        "GetCaps(GETCERTIFICATE)");
  return der;
}

// The host surfaces of one playback — the protected frame, the application's encrypted upload,
// the read-back — 64×64 NV12 in the host's memory; null members if registering failed.
struct Playback {
  host::Surface* frame = nullptr;
  host::Surface* upload = nullptr;
  host::Surface* readback = nullptr;
  app::Iv iv{};       // of the upload: IV 1, Count 0 (big-endian halves, spec §7.1)
  app::Bytes plain;   // what the frame must hold
};

template <class Device>
Playback make_surfaces(Device& device, const char* ddi) {
  Playback p;
  p.frame = device.create_surface(D3DDDIFMT_NV12, 64, 64, true);
  p.upload = device.create_surface(D3DDDIFMT_NV12, 64, 64, false);
  p.readback = device.create_surface(D3DDDIFMT_NV12, 64, 64, false);
  if (p.frame == nullptr || p.upload == nullptr || p.readback == nullptr) {
    std::fprintf(stderr, "%s: registering the host's surfaces failed\n", ddi);
    ++failures;
    p.frame = nullptr;
  }
  return p;
}

// The application encrypts a frame of `len` bytes under `key` into the upload (the host's memory).
void upload_frame(Playback& p, const app::Key& key, std::size_t len) {
  p.plain = app::test_frame(len);
  p.iv[7] = 1;
  const app::Bytes sealed = app::aes_ctr(key, p.iv, p.plain);
  std::memcpy(p.upload->bytes.data(), sealed.data(), len);
}

// One NV12 frame through the host's D3D9 table: key exchange, DecryptionBlt into the host's
// protected surface, EncryptionBlt out of it, and the application's decryption of what came back.
void play_d3d9(host::Driver& driver) {
  std::unique_ptr<host::Device> device = driver.create_device();
  if (!device) {
    std::fprintf(stderr, "d3d9: the host device could not be attached\n");
    ++failures;
    return;
  }
  if (!device->slot_is_hosts(host::kFlush)) {
    std::fprintf(stderr, "d3d9: cpddi's fill overwrote the host's Flush slot\n");
    ++failures;
  }
  HANDLE hDevice = device->handle();

  // The application's session: created and keyed through slots 111 and 112.
  D3DDDIARG_CREATECRYPTOSESSION create{};
  create.CryptoType = D3DCRYPTOTYPE_AES128_CTR;
  if (!check(device->entry<PFND3DDDI_CREATECRYPTOSESSION>(host::kCreateCryptoSession)(hDevice,
                                                                                      &create),
             S_OK, "CreateCryptoSession")) {
    return;
  }
  const app::Key session_key = app::random_key();
  app::Bytes blob = app::wrap_for_certificate(certificate(driver), session_key);
  D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE exchange{create.hCryptoSession,
                                              static_cast<UINT>(blob.size()), blob.data()};
  check(device->entry<PFND3DDDI_CRYPTOSESSIONKEYEXCHANGE>(host::kCryptoSessionKeyExchange)(
            hDevice, &exchange),
        S_OK, "CryptoSessionKeyExchange");

  Playback p = make_surfaces(*device, "d3d9");
  if (p.frame == nullptr) {
    return;
  }
  host::Surface* frame = p.frame;
  host::Surface* readback = p.readback;
  // The application learns the layout from GetPitch, as it would from any driver.
  D3DDDIARG_GETPITCH pitch{create.hCryptoSession, frame->handle(), 0, 0};
  check(device->entry<PFND3DDDI_GETPITCH>(host::kGetPitch)(hDevice, &pitch), S_OK, "GetPitch");
  const std::size_t len = std::size_t{pitch.Pitch} * (64 + 32);  // NV12: 3/2 × height rows
  upload_frame(p, session_key, len);
  const app::Bytes& plain = p.plain;
  app::Iv iv = p.iv;
  host::Surface* upload = p.upload;

  D3DDDIARG_DECRYPTIONBLT decrypt{};
  decrypt.hCryptoSession = create.hCryptoSession;
  decrypt.hSrcResource = upload->handle();
  decrypt.hDstResource = frame->handle();
  decrypt.SrcResourceSize = static_cast<UINT>(len);
  decrypt.pIV = iv.data();
  check(device->entry<PFND3DDDI_DECRYPTIONBLT>(host::kDecryptionBlt)(hDevice, &decrypt), S_OK,
        "DecryptionBlt");

  const std::uint8_t* bytes = nullptr;
  UINT row_pitch = 0;
  check(device->lock(frame, &bytes, &row_pitch), D3DDDIERR_INVALIDCALL,
        "Lock of the protected frame (never mapped, A22)");

  app::Key wrapped{};
  D3DDDIARG_GETENCRYPTIONBLTKEY key{create.hCryptoSession, wrapped.data(), 16};
  check(device->entry<PFND3DDDI_GETENCRYPTIONBLTKEY>(host::kGetEncryptionBltKey)(hDevice, &key),
        S_OK, "GetEncryptionBltKey");
  app::Iv readback_iv{};
  D3DDDIARG_ENCRYPTIONBLT encrypt{};
  encrypt.hCryptoSession = create.hCryptoSession;
  encrypt.hSrcResource = frame->handle();
  encrypt.hDstResource = readback->handle();
  encrypt.DstResourceSize = static_cast<UINT>(len);
  encrypt.pIV = readback_iv.data();
  check(device->entry<PFND3DDDI_ENCRYPTIONBLT>(host::kEncryptionBlt)(hDevice, &encrypt), S_OK,
        "EncryptionBlt");
  check(device->entry<PFND3DDDI_FLUSH>(host::kFlush)(hDevice), S_OK, "the host's Flush");

  // The host's Lock of the read-back surface waits for the EncryptionBlt that writes it.
  if (check(device->lock(readback, &bytes, &row_pitch), S_OK, "Lock of the read-back surface")) {
    const app::Bytes back =
        app::aes_ctr(app::unwrap(session_key, wrapped), readback_iv, {bytes, len});
    check(device->unlock(readback), S_OK, "Unlock");
    const bool same = back == plain;
    std::printf("d3d9: host-owned NV12 frame decrypted and read back: %s\n",
                same ? "OK" : "MISMATCH");
    failures += same ? 0 : 1;
  }

  D3DDDIARG_DESTROYCRYPTOSESSION destroy{create.hCryptoSession};
  check(device->entry<PFND3DDDI_DESTROYCRYPTOSESSION>(host::kDestroyCryptoSession)(hDevice,
                                                                                    &destroy),
        S_OK, "DestroyCryptoSession");
  check(device->destroy_surface(upload), S_OK, "unregister the upload surface");
}

// The same frame through the host's D3D11.1 video table: the session lives in private memory the
// host allocates (sized by cpddi's CalcPrivateCryptoSessionSize), void entries report failures
// through the host's pfnSetErrorCb — so success is "nothing reported".
void play_d3d11(host::Driver& driver) {
  std::unique_ptr<host::D3d11Device> device = driver.create_d3d11_device();
  if (!device) {
    std::fprintf(stderr, "d3d11: the host device could not be attached\n");
    ++failures;
    return;
  }
  if (!device->decoder_slot_is_hosts()) {
    std::fprintf(stderr, "d3d11: cpddi's fill overwrote the host's decoder slot 77\n");
    ++failures;
  }
  const D3D11_1DDI_VIDEODEVICEFUNCS& video = device->video_funcs();
  const D3D10DDI_HDEVICE hDevice = device->handle();

  D3D11_1DDIARG_CREATECRYPTOSESSION create{};
  create.CryptoType = D3DCRYPTOTYPE_AES128_CTR;
  create.KeyExchangeType = D3D11_1DDI_KEY_EXCHANGE_RSAES_OAEP;
  // At least one byte, so that the handle is a distinct non-NULL address whatever the size.
  std::vector<std::uint8_t> session_memory(
      std::max<SIZE_T>(video.pfnCalcPrivateCryptoSessionSize(hDevice, &create), 1));
  const D3D11_1DDI_HCRYPTOSESSION session{session_memory.data()};
  if (!check(video.pfnCreateCryptoSession(hDevice, &create, session, {}), S_OK,
             "CreateCryptoSession (D3D11.1)")) {
    return;
  }
  D3D11_1DDI_CERTIFICATE_INFO info{};
  info.CertificateType = D3D11_1DDI_CERTIFICATE_TYPE_CRYPTO_SESSION;
  info.CryptoSessionType = D3DCRYPTOTYPE_AES128_CTR;
  UINT size = 0;
  video.pfnGetCertificateSize(hDevice, &info, &size);
  app::Bytes certificate(size);
  video.pfnGetCertificate(hDevice, &info, size, certificate.data());
  const app::Key session_key = app::random_key();
  app::Bytes blob = app::wrap_for_certificate(certificate, session_key);
  check(video.pfnNegotiateCryptoSessionKeyExchange(hDevice, session,
                                                   static_cast<UINT>(blob.size()), blob.data()),
        S_OK, "NegotiateCryptoSessionKeyExchange");

  Playback p = make_surfaces(*device, "d3d11");
  if (p.frame == nullptr) {
    return;
  }
  host::Surface* frame = p.frame;
  host::Surface* readback = p.readback;
  host::Surface* upload = p.upload;
  const std::size_t len = std::size_t{frame->pitch} * (64 + 32);  // the host knows its pitch
  upload_frame(p, session_key, len);
  const app::Bytes& plain = p.plain;
  app::Iv iv = p.iv;

  video.pfnDecryptionBlt(hDevice, session, upload->resource(), frame->resource(), nullptr, 0,
                         nullptr, static_cast<UINT>(iv.size()), iv.data());
  const std::uint8_t* bytes = nullptr;
  UINT row_pitch = 0;
  check(device->map(frame, &bytes, &row_pitch), E_INVALIDARG,
        "Map of the protected frame (never mapped, A22)");
  app::Key wrapped{};
  video.pfnGetEncryptionBltKey(hDevice, session, 16, wrapped.data());
  app::Iv readback_iv{};
  video.pfnEncryptionBlt(hDevice, session, frame->resource(), readback->resource(), 16,
                         readback_iv.data());
  if (check(device->map(readback, &bytes, &row_pitch), S_OK, "Map of the read-back surface")) {
    const app::Bytes back =
        app::aes_ctr(app::unwrap(session_key, wrapped), readback_iv, {bytes, len});
    check(device->unmap(readback), S_OK, "Unmap");
    const bool same = back == plain && device->reported_errors().empty();
    std::printf("d3d11: host-owned NV12 frame decrypted and read back: %s\n",
                same ? "OK" : "MISMATCH");
    failures += same ? 0 : 1;
  }
  video.pfnDestroyCryptoSession(hDevice, session);
  for (HRESULT hr : device->reported_errors()) {
    std::fprintf(stderr, "d3d11: pfnSetErrorCb received %s\n", cpddi_hresult_name(hr));
  }
}

}  // namespace

int main() {
  std::unique_ptr<host::Driver> driver = host::Driver::open();
  if (!driver) {
    std::fprintf(stderr, "opening cpddi's adapter failed\n");
    return 1;
  }
  play_d3d9(*driver);
  play_d3d11(*driver);
  if (failures != 0) {
    std::printf("%d failures\n", failures);
    return 1;
  }
  std::printf("embedded cpddi: OK\n");
  return 0;
}
