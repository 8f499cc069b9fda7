/* cpddi C example: the D3D9 content-protection DDI driven through its C ABI, as a runtime would.
 *
 * It opens the adapter, prints the content-protection caps and the certificate size, and walks a
 * crypto session through the part of its state machine (spec §1.4) that needs no cryptography on
 * the application side: before a key exchange the session has no key, so Start/Finish
 * SessionKeyRefresh are refused with D3DDDIERR_INVALIDCALL, and a key-exchange blob the driver
 * cannot decrypt is refused with E_INVALIDARG and changes nothing. A real key exchange needs
 * RSAES-OAEP (SHA-512) under the certificate's key; examples/cpp does the whole flow through the
 * C++ API, which does that for you.
 *
 * Every call is checked against the code the spec gives it; the exit status is 0 only if all of
 * them returned exactly that.
 */
#include <stdio.h>
#include <string.h>

#include <cpddi/cpddi.h>

static int g_failures = 0;

/* Prints one call and its result; counts it as a failure unless it returned `want`. */
static void expect(const char* call, HRESULT got, HRESULT want) {
  const int ok = got == want;
  printf("  %-44s %-24s %s\n", call, cpddi_hresult_name(got), ok ? "ok" : "UNEXPECTED");
  if (!ok) {
    printf("    expected %s\n", cpddi_hresult_name(want));
    ++g_failures;
  }
}

/* Counts a failed check of a value the spec fixes. */
static void check(int ok, const char* what) {
  if (!ok) {
    printf("    UNEXPECTED: %s\n", what);
    ++g_failures;
  }
}

static void print_caps(const D3DCONTENTPROTECTIONCAPS* caps) {
  static const struct {
    DWORD bit;
    const char* name;
  } kBits[] = {
      {D3DCPCAPS_SOFTWARE, "SOFTWARE"},
      {D3DCPCAPS_HARDWARE, "HARDWARE"},
      {D3DCPCAPS_PROTECTIONALWAYSON, "PROTECTIONALWAYSON"},
      {D3DCPCAPS_PARTIALDECRYPTION, "PARTIALDECRYPTION"},
      {D3DCPCAPS_CONTENTKEY, "CONTENTKEY"},
      {D3DCPCAPS_FRESHENSESSIONKEY, "FRESHENSESSIONKEY"},
      {D3DCPCAPS_ENCRYPTEDREADBACK, "ENCRYPTEDREADBACK"},
      {D3DCPCAPS_ENCRYPTEDREADBACKKEY, "ENCRYPTEDREADBACKKEY"},
      {D3DCPCAPS_SEQUENTIAL_CTR_IV, "SEQUENTIAL_CTR_IV"},
      {D3DCPCAPS_ENCRYPTSLICEDATAONLY, "ENCRYPTSLICEDATAONLY"},
  };
  printf("  Caps 0x%08X:", (unsigned)caps->Caps);
  for (size_t i = 0; i < sizeof kBits / sizeof kBits[0]; ++i) {
    if (caps->Caps & kBits[i].bit) {
      printf(" %s", kBits[i].name);
    }
  }
  printf("\n  KeyExchangeType %s\n",
         memcmp(&caps->KeyExchangeType, &D3DKEYEXCHANGE_RSAES_OAEP, sizeof(GUID)) == 0
             ? "RSAES-OAEP"
             : "other");
  printf("  BufferAlignmentStart %u, BlockAlignmentSize %u, ProtectedMemorySize %llu bytes\n",
         caps->BufferAlignmentStart, caps->BlockAlignmentSize,
         (unsigned long long)caps->ProtectedMemorySize);
}

int main(void) {
  printf("cpddi %s\n", cpddi_version());

  /* The adapter: OpenAdapter fills the adapter function table. */
  D3DDDI_ADAPTERFUNCS adapter_funcs;
  D3DDDIARG_OPENADAPTER open = {.pAdapterFuncs = &adapter_funcs};
  expect("OpenAdapter", OpenAdapter(&open), S_OK);
  if (g_failures != 0) {
    return 1;
  }
  HANDLE adapter = open.hAdapter;

  /* Caps for AES-128-CTR without a decode profile (spec §3). */
  DDICONTENTPROTECTIONCAPS caps_query = {.CryptoType = D3DCRYPTOTYPE_AES128_CTR};
  D3DCONTENTPROTECTIONCAPS caps = {0};
  D3DDDIARG_GETCAPS get_caps = {.Type = D3DDDICAPS_GETCONTENTPROTECTIONCAPS,
                                .pInfo = &caps_query, .pData = &caps, .DataSize = sizeof caps};
  expect("GetCaps(GETCONTENTPROTECTIONCAPS)", adapter_funcs.pfnGetCaps(adapter, &get_caps), S_OK);
  print_caps(&caps);
  check((caps.Caps & D3DCPCAPS_FRESHENSESSIONKEY) != 0, "cpddi's default caps refresh keys");
  check(memcmp(&caps.KeyExchangeType, &D3DKEYEXCHANGE_RSAES_OAEP, sizeof(GUID)) == 0,
        "the AES-128-CTR key exchange is RSAES-OAEP");

  /* The certificate whose RSA key wraps the session key in CryptoSessionKeyExchange. */
  DDICERTIFICATEINFO cert_query = {.CertificateType = D3DDDI_CERTTYPE_CRYPTOSESSION,
                                   .ChannelType = DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE,
                                   .CryptoSessionType = D3DCRYPTOTYPE_AES128_CTR};
  UINT cert_size = 0;
  D3DDDIARG_GETCAPS get_size = {.Type = D3DDDICAPS_GETCERTIFICATESIZE, .pInfo = &cert_query,
                                .pData = &cert_size, .DataSize = sizeof cert_size};
  expect("GetCaps(GETCERTIFICATESIZE)", adapter_funcs.pfnGetCaps(adapter, &get_size), S_OK);
  printf("  certificate: %u bytes (DER)\n", cert_size);
  check(cert_size > 0, "the crypto-session certificate is not empty");

  /* A device: CreateDevice fills the device function table. */
  D3DDDI_DEVICEFUNCS dev;
  D3DDDIARG_CREATEDEVICE create_device = {.pDeviceFuncs = &dev};
  expect("CreateDevice", adapter_funcs.pfnCreateDevice(adapter, &create_device), S_OK);
  HANDLE device = create_device.hDevice;

  /* A crypto session starts without a key (state NoKey). */
  D3DDDIARG_CREATECRYPTOSESSION create_session = {.CryptoType = D3DCRYPTOTYPE_AES128_CTR};
  expect("CreateCryptoSession(AES128_CTR)", dev.pfnCreateCryptoSession(device, &create_session),
         S_OK);
  HANDLE session = create_session.hCryptoSession;

  /* Key refresh XORs a number into the session key, so it needs a key first (A4). */
  unsigned char random_number[16] = {0};
  D3DDDIARG_STARTSESSIONKEYREFRESH start = {.hCryptoSession = session,
                                            .pRandomNumber = random_number,
                                            .RandomNumberSize = sizeof random_number};
  D3DDDIARG_FINISHSESSIONKEYREFRESH finish = {.hCryptoSession = session};
  expect("StartSessionKeyRefresh (no key yet)", dev.pfnStartSessionKeyRefresh(device, &start),
         D3DDDIERR_INVALIDCALL);
  expect("FinishSessionKeyRefresh (no key yet)", dev.pfnFinishSessionKeyRefresh(device, &finish),
         D3DDDIERR_INVALIDCALL);

  /* A 256-byte blob that is not RSAES-OAEP under the certificate's key is refused (A7)... */
  unsigned char not_oaep[256];
  memset(not_oaep, 0xA5, sizeof not_oaep);
  D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE exchange = {.hCryptoSession = session,
                                                .DataSize = sizeof not_oaep, .pData = not_oaep};
  expect("CryptoSessionKeyExchange (not OAEP)", dev.pfnCryptoSessionKeyExchange(device, &exchange),
         E_INVALIDARG);
  /* ...and leaves the session without a key. */
  expect("StartSessionKeyRefresh (still no key)", dev.pfnStartSessionKeyRefresh(device, &start),
         D3DDDIERR_INVALIDCALL);

  /* A protected (RestrictedContent) NV12 surface: the CPU may never map it (spec §4.10, A22). */
  D3DDDI_SURFACEINFO surface_info = {.Width = 640, .Height = 360};
  D3DDDIARG_CREATERESOURCE create_surface = {.Format = D3DDDIFMT_NV12,
                                             .Pool = D3DDDIPOOL_VIDEOMEMORY,
                                             .pSurfList = &surface_info,
                                             .SurfCount = 1};
  create_surface.Flags.RestrictedContent = 1;
  expect("CreateResource(NV12 640x360, protected)", dev.pfnCreateResource(device, &create_surface),
         S_OK);
  HANDLE surface = create_surface.hResource;
  D3DDDIARG_LOCK lock = {.hResource = surface};
  expect("Lock(protected surface)", dev.pfnLock(device, &lock), D3DDDIERR_INVALIDCALL);
  check(lock.pSurfData == NULL, "a refused Lock maps nothing");

  /* Tear down in reverse order. */
  expect("DestroyResource", dev.pfnDestroyResource(device, surface), S_OK);
  D3DDDIARG_DESTROYCRYPTOSESSION destroy_session = {.hCryptoSession = session};
  expect("DestroyCryptoSession", dev.pfnDestroyCryptoSession(device, &destroy_session), S_OK);
  expect("DestroyDevice", dev.pfnDestroyDevice(device), S_OK);
  expect("CloseAdapter", adapter_funcs.pfnCloseAdapter(adapter), S_OK);

  if (g_failures != 0) {
    printf("FAILED: %d call(s) returned something other than the spec says\n", g_failures);
    return 1;
  }
  printf("OK: every call returned what the spec says\n");
  return 0;
}
