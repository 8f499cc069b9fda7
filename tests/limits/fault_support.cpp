#include "limits/fault_support.h"

#include "crypto/openssl_faults.h"
#include "crypto/random.h"

namespace cpddi::testing {

InjectedFailure::InjectedFailure(Source source, int calls_before_failure) {
  if (source == Source::kRandom) {
    crypto::testing::fail_random_after(calls_before_failure);
  } else {
    crypto::testing::fail_openssl_after(calls_before_failure);
  }
}

InjectedFailure::~InjectedFailure() {
  crypto::testing::fail_random_after(-1);
  crypto::testing::fail_openssl_after(-1);
}

HRESULT encryption_blt(const KeyedSession& session, HANDLE source, HANDLE destination,
                       UINT destination_size, Iv* iv) {
  D3DDDIARG_ENCRYPTIONBLT args{};
  args.hCryptoSession = session.handle();
  args.hSrcResource = source;
  args.hDstResource = destination;
  args.DstResourceSize = destination_size;
  args.pIV = iv->data();
  return session.device().funcs().pfnEncryptionBlt(session.device().device(), &args);
}

HANDLE create_readback_surface(const OpenedDevice& device, std::size_t len) {
  const UINT rows = static_cast<UINT>((len + 255) / 256);
  return device.create_surface(D3DDDIFMT_X8R8G8B8, 64, rows == 0 ? 1 : rows, D3DDDIPOOL_SYSTEMMEM,
                               false);
}

}  // namespace cpddi::testing
