#include "fuzz_support.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include "conform/surface_args.h"
#include "crypto/random.h"
#include "crypto/x509.h"
#include "wire/surface_layout.h"

namespace cpddi::fuzz {
namespace {

void discard_log_line(CPDDI_LOG_LEVEL, const char*, void*) {}

struct OpenedAdapter {
  Adapter adapter;
  std::optional<crypto::RsaPublicKey> leaf_key;
};

CPDDI_ADAPTER_OPTIONS options_for(Profile profile) {
  CPDDI_ADAPTER_OPTIONS o{};
  o.StructSize = sizeof o;
  switch (profile) {
    case Profile::kDefaults: break;
    case Profile::kSessionKeyReadback:
      o.DisabledCaps = D3DCPCAPS_ENCRYPTEDREADBACKKEY;
      o.IvCheck = CPDDI_IV_CHECK_OFF;
      o.CertificateContainer = CPDDI_CERTIFICATE_X509_LEAF;
      break;
    case Profile::kMinimal:
      o.DisabledCaps = CPDDI_SWITCHABLE_CAPS;
      o.MaxSessionsPerDevice = 2;
      o.MaxResourcesPerDevice = 6;
      o.ProtectedMemorySize = 4096;
      break;
  }
  return o;
}

OpenedAdapter* open(Profile profile) {
  // Debug level through a sink that drops the lines: failure reasons are still formatted.
  cpddi_set_log_callback(&discard_log_line, nullptr);
  cpddi_set_log_level(CPDDI_LOG_DEBUG);
  auto* opened = new OpenedAdapter{};
  Adapter& a = opened->adapter;
  a.profile = profile;
  a.options = options_for(profile);
  D3DDDIARG_OPENADAPTER open{};
  open.pAdapterFuncs = &a.funcs;
  if (HRESULT hr = cpddi_open_adapter_with_options(&open, &a.options); hr != S_OK) {
    violation("cannot open adapter profile %d: %s", static_cast<int>(profile),
              cpddi_hresult_name(hr));
  }
  a.handle = open.hAdapter;
  DDICONTENTPROTECTIONCAPS info{D3DCRYPTOTYPE_AES128_CTR, GUID{}};
  D3DCONTENTPROTECTIONCAPS caps{};
  D3DDDIARG_GETCAPS caps_args{D3DDDICAPS_GETCONTENTPROTECTIONCAPS, &info, &caps, sizeof caps};
  if (a.funcs.pfnGetCaps(a.handle, &caps_args) != S_OK) {
    violation("GetCaps(GETCONTENTPROTECTIONCAPS) failed");
  }
  a.caps = caps.Caps;
  DDICERTIFICATEINFO cert_info{D3DDDI_CERTTYPE_CRYPTOSESSION, DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE,
                               D3DCRYPTOTYPE_AES128_CTR};
  D3DDDIARG_GETCAPS size_args{D3DDDICAPS_GETCERTIFICATESIZE, &cert_info, &a.certificate_size,
                              sizeof a.certificate_size};
  if (a.funcs.pfnGetCaps(a.handle, &size_args) != S_OK || a.certificate_size == 0) {
    violation("GetCaps(GETCERTIFICATESIZE) failed");
  }
  Bytes cert(a.certificate_size);
  D3DDDIARG_GETCAPS cert_args{D3DDDICAPS_GETCERTIFICATE, &cert_info, cert.data(),
                              a.certificate_size};
  if (a.funcs.pfnGetCaps(a.handle, &cert_args) != S_OK) {
    violation("GetCaps(GETCERTIFICATE) failed");
  }
  a.certificate = cert;
  Result<std::vector<crypto::Der>> chain = crypto::parse_certificate_container(cert);
  if (!chain || chain->empty()) {
    violation("the certificate container does not parse");
  }
  Result<crypto::RsaPublicKey> pub = crypto::RsaPublicKey::from_certificate_der(chain->front());
  if (!pub) {
    violation("the leaf certificate has no RSA key");
  }
  opened->leaf_key.emplace(std::move(*pub));
  a.leaf_key = &*opened->leaf_key;
  return opened;
}

}  // namespace

std::uint16_t ByteReader::u16() {
  const std::uint16_t lo = u8();
  return static_cast<std::uint16_t>(lo | (u8() << 8));
}

std::uint32_t ByteReader::u32() {
  const std::uint32_t lo = u16();
  return lo | (std::uint32_t{u16()} << 16);
}

std::uint64_t ByteReader::u64() {
  const std::uint64_t lo = u32();
  return lo | (std::uint64_t{u32()} << 32);
}

Bytes ByteReader::bytes(std::size_t n) {
  Bytes out(n);
  for (auto& b : out) {
    b = u8();
  }
  return out;
}

std::span<const std::uint8_t> ByteReader::rest() {
  if (pos_ >= size_) {
    return {};
  }
  std::span<const std::uint8_t> out(data_ + pos_, size_ - pos_);
  pos_ = size_;
  return out;
}

void violation(const char* format, ...) {
  std::fprintf(stderr, "cpddi fuzz invariant violated: ");
  va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  std::fprintf(stderr, "\n");
  std::fflush(stderr);
  __builtin_trap();
}

void Expected::add(HRESULT hr) {
  if (!contains(hr) && count_ < codes_.size()) {
    codes_[count_++] = hr;
  }
}

bool Expected::contains(HRESULT hr) const {
  return std::find(codes_.begin(), codes_.begin() + count_, hr) != codes_.begin() + count_;
}

void check_documented(const char* entry, HRESULT hr, std::span<const HRESULT> allowed) {
  // CPDDI_FUZZ_TRACE=1 prints every checked call, to see where a seed goes.
  static const bool trace = std::getenv("CPDDI_FUZZ_TRACE") != nullptr;
  if (trace) {
    std::fprintf(stderr, "  %s -> %s\n", entry, cpddi_hresult_name(hr));
  }
  if (std::find(allowed.begin(), allowed.end(), hr) == allowed.end()) {
    violation("%s returned %s (0x%08X), which its comment in d3dddi_cp9.h does not list", entry,
              cpddi_hresult_name(hr), static_cast<unsigned>(hr));
  }
}

void check_result(const char* entry, HRESULT hr, std::span<const HRESULT> allowed,
                  const Expected& expected) {
  check_documented(entry, hr, allowed);
  if (expected.must_succeed() && hr != S_OK) {
    violation("%s returned %s where the application's model expects S_OK", entry,
              cpddi_hresult_name(hr));
  }
  if (!expected.must_succeed() && !expected.contains(hr)) {
    violation("%s returned %s where the application's model expects one of its errors", entry,
              cpddi_hresult_name(hr));
  }
}

KeyOutputInput read_key_output_input(ByteReader& in, std::uint32_t num_states,
                                     const std::array<UINT, 8>& sizes) {
  KeyOutputInput input;
  input.adapter = &adapter_from_byte(in.u8());
  input.state = in.below(num_states);
  input.size = sizes[in.below(8)];
  if (in.u8() >= 250) {
    input.size = in.u16();
  }
  input.null_buffer = in.u8() >= 224;
  input.null_struct = in.u8() == 0xFF;
  input.rng_fails = in.u8() >= 224;
  input.session_key = in.array<16>();
  return input;
}

KeyOutput call_key_output(const char* entry, const KeyOutputInput& input,
                          std::span<const HRESULT> allowed, const Expected& expected,
                          const std::function<HRESULT(std::uint8_t* buffer)>& call) {
  constexpr std::uint8_t kSentinel = 0x5A;
  Bytes buffer(static_cast<std::size_t>(input.size) + 32, kSentinel);
  if (input.rng_fails) {
    crypto::testing::fail_random_after(0);
  }
  KeyOutput out;
  out.hr = call(input.null_buffer ? nullptr : buffer.data());
  crypto::testing::fail_random_after(-1);
  check_result(entry, out.hr, allowed, expected);
  const std::size_t written = out.hr == S_OK ? out.value.size() : 0;
  if (std::any_of(buffer.begin() + static_cast<std::ptrdiff_t>(written), buffer.end(),
                  [](std::uint8_t b) { return b != kSentinel; })) {
    violation("%s wrote bytes it does not answer with (hr %s)", entry,
              cpddi_hresult_name(out.hr));
  }
  if (out.hr == S_OK) {
    std::copy(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(written),
              out.value.begin());
  }
  return out;
}

UINT Adapter::max_sessions() const {
  return options.MaxSessionsPerDevice != 0 ? options.MaxSessionsPerDevice : 1024;
}
UINT Adapter::max_resources() const {
  return options.MaxResourcesPerDevice != 0 ? options.MaxResourcesPerDevice : 4096;
}
ULONGLONG Adapter::protected_memory() const {
  return options.ProtectedMemorySize != 0 ? options.ProtectedMemorySize : (256ull << 20);
}

const Adapter& adapter(Profile profile) {
  static OpenedAdapter* opened[kProfileCount] = {};
  const auto index = static_cast<std::size_t>(profile) % kProfileCount;
  if (opened[index] == nullptr) {
    opened[index] = open(static_cast<Profile>(index));
  }
  return opened[index]->adapter;
}

ScopedDevice::ScopedDevice(const Adapter& adapter) : adapter_(adapter) {
  D3DDDIARG_CREATEDEVICE create{};
  create.pDeviceFuncs = &funcs_;
  if (HRESULT hr = adapter_.funcs.pfnCreateDevice(adapter_.handle, &create); hr != S_OK) {
    violation("CreateDevice returned %s", cpddi_hresult_name(hr));
  }
  handle_ = create.hDevice;
}

ScopedDevice::~ScopedDevice() {
  if (handle_ != nullptr) {
    destroy();
  }
}

void ScopedDevice::destroy() {
  if (HRESULT hr = funcs_.pfnDestroyDevice(handle_); hr != S_OK) {
    violation("DestroyDevice of a live device returned %s", cpddi_hresult_name(hr));
  }
  handle_ = nullptr;
}

HANDLE ScopedDevice::create_session() const {
  D3DDDIARG_CREATECRYPTOSESSION args{D3DCRYPTOTYPE_AES128_CTR, GUID{}, nullptr};
  if (HRESULT hr = funcs_.pfnCreateCryptoSession(handle_, &args); hr != S_OK) {
    violation("CreateCryptoSession returned %s", cpddi_hresult_name(hr));
  }
  return args.hCryptoSession;
}

void ScopedDevice::destroy_session(HANDLE session) const {
  D3DDDIARG_DESTROYCRYPTOSESSION args{session};
  if (HRESULT hr = funcs_.pfnDestroyCryptoSession(handle_, &args); hr != S_OK) {
    violation("DestroyCryptoSession of a live session returned %s", cpddi_hresult_name(hr));
  }
}

HANDLE ScopedDevice::create_surface(D3DDDIFORMAT format, UINT width, UINT height,
                                    D3DDDI_POOL pool, bool restricted) const {
  conform::SurfaceArgs create(format, width, height, pool, restricted);
  if (HRESULT hr = funcs_.pfnCreateResource(handle_, &create.args); hr != S_OK) {
    violation("CreateResource(%ux%u) returned %s", width, height, cpddi_hresult_name(hr));
  }
  return create.args.hResource;
}

void ScopedDevice::destroy_surface(HANDLE surface) const {
  if (HRESULT hr = funcs_.pfnDestroyResource(handle_, surface); hr != S_OK) {
    violation("DestroyResource of a live surface returned %s", cpddi_hresult_name(hr));
  }
}

void ScopedDevice::write_surface(HANDLE surface, std::span<const std::uint8_t> bytes) const {
  D3DDDIARG_LOCK lock{};
  lock.hResource = surface;
  if (HRESULT hr = funcs_.pfnLock(handle_, &lock); hr != S_OK) {
    violation("Lock of an unprotected surface returned %s", cpddi_hresult_name(hr));
  }
  std::memcpy(lock.pSurfData, bytes.data(), bytes.size());
  D3DDDIARG_UNLOCK unlock{};
  unlock.hResource = surface;
  if (HRESULT hr = funcs_.pfnUnlock(handle_, &unlock); hr != S_OK) {
    violation("Unlock returned %s", cpddi_hresult_name(hr));
  }
}

Bytes ScopedDevice::read_surface(HANDLE surface, std::size_t len) const {
  D3DDDIARG_LOCK lock{};
  lock.hResource = surface;
  if (HRESULT hr = funcs_.pfnLock(handle_, &lock); hr != S_OK) {
    violation("Lock of an unprotected surface returned %s", cpddi_hresult_name(hr));
  }
  const auto* p = static_cast<const std::uint8_t*>(lock.pSurfData);
  Bytes out(p, p + len);
  D3DDDIARG_UNLOCK unlock{};
  unlock.hResource = surface;
  if (HRESULT hr = funcs_.pfnUnlock(handle_, &unlock); hr != S_OK) {
    violation("Unlock returned %s", cpddi_hresult_name(hr));
  }
  return out;
}

void ScopedDevice::exchange_key(HANDLE session, const Key& key) const {
  Bytes blob = oaep_wrap(adapter_, key);
  D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE args{session, static_cast<UINT>(blob.size()), blob.data()};
  if (HRESULT hr = funcs_.pfnCryptoSessionKeyExchange(handle_, &args); hr != S_OK) {
    violation("CryptoSessionKeyExchange of a valid blob returned %s", cpddi_hresult_name(hr));
  }
}

Bytes oaep_wrap(const Adapter& adapter, std::span<const std::uint8_t> plaintext) {
  Result<std::vector<std::uint8_t>> blob =
      adapter.leaf_key->oaep_encrypt(crypto::kKeyExchangeOaep, plaintext);
  if (!blob) {
    violation("app-side OAEP encryption failed: %s", blob.error().reason);
  }
  return *blob;
}

std::uint64_t row_bytes(D3DDDIFORMAT format, UINT width) {
  const std::optional<wire::SurfaceFormat> known = wire::surface_format_from_d3dddi(format);
  return std::uint64_t{width} * (known ? wire::bytes_per_pixel(*known) : 4);
}

std::uint32_t driver_pitch(D3DDDIFORMAT format, UINT width) {
  const auto row = static_cast<std::uint32_t>(row_bytes(format, width));
  return (row + 63) / 64 * 64;
}

}  // namespace cpddi::fuzz

namespace cpddi::fuzz {
namespace {

constexpr UINT kProofWidth = 16;
constexpr UINT kProofHeight = 2;
constexpr std::size_t kProofBytes = 128;  // pitch 64 × 2 rows

HRESULT decryption_blt(const ScopedDevice& device, HANDLE session, HANDLE source,
                       HANDLE destination, UINT size, const Iv& iv) {
  Iv iv_copy = iv;
  D3DDDIARG_DECRYPTIONBLT args{};
  args.hCryptoSession = session;
  args.hSrcResource = source;
  args.hDstResource = destination;
  args.SrcResourceSize = size;
  args.pIV = iv_copy.data();
  return device.funcs().pfnDecryptionBlt(device.handle(), &args);
}

}  // namespace

KeyProof prove_key(const ScopedDevice& device, HANDLE session, const Key& key, std::uint64_t iv,
                   const char* what) {
  const Adapter& a = device.adapter();
  KeyProof proof;
  HANDLE protected_surface = device.create_surface(D3DDDIFMT_X8R8G8B8, kProofWidth, kProofHeight,
                                                   D3DDDIPOOL_VIDEOMEMORY, true);
  HANDLE source = device.create_surface(D3DDDIFMT_X8R8G8B8, kProofWidth, kProofHeight,
                                        D3DDDIPOOL_SYSTEMMEM, false);
  const Bytes plain = pattern_bytes(kProofBytes, static_cast<std::uint32_t>(iv));
  const Iv counter_block = make_iv(iv);
  device.write_surface(source, ctr(key, counter_block, plain));
  if (HRESULT hr = decryption_blt(device, session, source, protected_surface, kProofBytes,
                                  counter_block);
      hr != S_OK) {
    violation("%s: DecryptionBlt of the key proof returned %s", what, cpddi_hresult_name(hr));
  }
  if (a.has(D3DCPCAPS_ENCRYPTEDREADBACK)) {
    Key readback = key;
    if (a.has(D3DCPCAPS_ENCRYPTEDREADBACKKEY)) {
      Key wrapped{};
      D3DDDIARG_GETENCRYPTIONBLTKEY key_args{session, wrapped.data(), 16};
      if (HRESULT hr = device.funcs().pfnGetEncryptionBltKey(device.handle(), &key_args);
          hr != S_OK) {
        violation("%s: GetEncryptionBltKey returned %s", what, cpddi_hresult_name(hr));
      }
      readback = ecb_unwrap(key, wrapped);
      proof.readback_key = readback;
    }
    HANDLE destination = device.create_surface(D3DDDIFMT_X8R8G8B8, kProofWidth, kProofHeight,
                                               D3DDDIPOOL_SYSTEMMEM, false);
    Iv out_iv{};
    D3DDDIARG_ENCRYPTIONBLT args{};
    args.hCryptoSession = session;
    args.hSrcResource = protected_surface;
    args.hDstResource = destination;
    args.DstResourceSize = kProofBytes;
    args.pIV = out_iv.data();
    if (HRESULT hr = device.funcs().pfnEncryptionBlt(device.handle(), &args); hr != S_OK) {
      violation("%s: EncryptionBlt of the key proof returned %s", what, cpddi_hresult_name(hr));
    }
    proof.readback_iv = out_iv;
    const Bytes back = ctr(readback, out_iv, device.read_surface(destination, kProofBytes));
    if (back != plain) {
      violation("%s: the driver's session key differs from the application's model", what);
    }
    device.destroy_surface(destination);
  }
  device.destroy_surface(source);
  device.destroy_surface(protected_surface);
  return proof;
}

void prove_no_key(const ScopedDevice& device, HANDLE session, const char* what) {
  HANDLE protected_surface = device.create_surface(D3DDDIFMT_X8R8G8B8, kProofWidth, kProofHeight,
                                                   D3DDDIPOOL_VIDEOMEMORY, true);
  HANDLE source = device.create_surface(D3DDDIFMT_X8R8G8B8, kProofWidth, kProofHeight,
                                        D3DDDIPOOL_SYSTEMMEM, false);
  if (HRESULT hr = decryption_blt(device, session, source, protected_surface, kProofBytes,
                                  make_iv(1));
      hr != D3DDDIERR_INVALIDCALL) {
    violation("%s: DecryptionBlt on a session without a key returned %s", what,
              cpddi_hresult_name(hr));
  }
  device.destroy_surface(source);
  device.destroy_surface(protected_surface);
}

}  // namespace cpddi::fuzz
