#include "threads/stress_support.h"

namespace cpddi::testing {

ThreadSurfaces::ThreadSurfaces(const OpenedDevice& d) : device(d) {
  target = device.create_surface(D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_VIDEOMEMORY, true);
  source = device.create_surface(D3DDDIFMT_X8R8G8B8, 64, 1, D3DDDIPOOL_SYSTEMMEM, false);
  readback = device.create_surface(D3DDDIFMT_X8R8G8B8, 64, 1, D3DDDIPOOL_SYSTEMMEM, false);
}

ThreadSurfaces::~ThreadSurfaces() {
  for (HANDLE h : {target, source, readback}) {
    if (h != nullptr) {
      EXPECT_EQ(device.destroy_surface(h), S_OK);
    }
  }
}

HRESULT decrypt_into(const ThreadSurfaces& s, HANDLE session,
                     std::span<const std::uint8_t> ciphertext, const Iv& iv) {
  s.device.write_surface(s.source, ciphertext);
  Iv iv_copy = iv;
  D3DDDIARG_DECRYPTIONBLT args{};
  args.hCryptoSession = session;
  args.hSrcResource = s.source;
  args.hDstResource = s.target;
  args.SrcResourceSize = ThreadSurfaces::kLen;
  args.pIV = iv_copy.data();
  return s.device.funcs().pfnDecryptionBlt(s.device.device(), &args);
}

HRESULT encrypt_out(const ThreadSurfaces& s, HANDLE session, Bytes* ciphertext, Iv* iv) {
  D3DDDIARG_ENCRYPTIONBLT args{};
  args.hCryptoSession = session;
  args.hSrcResource = s.target;
  args.hDstResource = s.readback;
  args.DstResourceSize = ThreadSurfaces::kLen;
  args.pIV = iv->data();
  const HRESULT hr = s.device.funcs().pfnEncryptionBlt(s.device.device(), &args);
  if (hr == S_OK) {
    *ciphertext = s.device.read_surface(s.readback, ThreadSurfaces::kLen);
  }
  return hr;
}

HRESULT start_refresh(const OpenedDevice& device, HANDLE session, Key* number) {
  D3DDDIARG_STARTSESSIONKEYREFRESH args{session, number->data(), 16};
  return device.funcs().pfnStartSessionKeyRefresh(device.device(), &args);
}

HRESULT finish_refresh(const OpenedDevice& device, HANDLE session) {
  D3DDDIARG_FINISHSESSIONKEYREFRESH args{session};
  return device.funcs().pfnFinishSessionKeyRefresh(device.device(), &args);
}

HRESULT get_readback_key(const OpenedDevice& device, HANDLE session, Key* wrapped) {
  D3DDDIARG_GETENCRYPTIONBLTKEY args{session, wrapped->data(), 16};
  return device.funcs().pfnGetEncryptionBltKey(device.device(), &args);
}

Bytes frame_for(int thread, int iteration) {
  return pattern_bytes(ThreadSurfaces::kLen,
                       static_cast<std::uint32_t>(thread * 100000 + iteration));
}

}  // namespace cpddi::testing
