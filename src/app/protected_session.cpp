// ProtectedSession: the application's half of a crypto session (spec §1.2, §4, §7).
#include <algorithm>
#include <cstring>

#include "app/app_internal.h"
#include "base/align.h"
#include "base/big_endian.h"
#include "crypto/aes.h"
#include "crypto/random.h"
#include "crypto/secret_bytes.h"
#include "wire/counter_block.h"
#include "wire/surface_layout.h"

namespace cpddi::app {

struct ProtectedSession::State {
  const D3DDDI_DEVICEFUNCS* funcs = nullptr;
  HANDLE device = nullptr;
  HANDLE session = nullptr;
  DWORD caps = 0;
  crypto::Aes128Key key;
  std::optional<crypto::Aes128Key> readback_key;
  std::uint64_t next_iv = 0;        // spec §4.5: random start, +1 per buffer
  std::uint64_t key_epoch = 0;      // completed refreshes
  std::optional<std::uint64_t> last_readback_iv;

  ~State() {
    if (session != nullptr) {
      D3DDDIARG_DESTROYCRYPTOSESSION args{session};
      funcs->pfnDestroyCryptoSession(device, &args);
    }
  }
};

namespace {

Result<crypto::Aes128Key> random_key(const char* step) {
  crypto::Aes128Key key;
  if (auto r = crypto::random_bytes(key.expose_mut()); !r) {
    return local_error(step, r.error());
  }
  return key;
}

// A system-memory surface of `desc`'s format and size whose bytes are `memory` (the runtime's
// pSysMem), for the duration of one blt.
class StagingSurface {
 public:
  static Result<StagingSurface> create(const D3DDDI_DEVICEFUNCS* funcs, HANDLE device,
                                       const SurfaceDesc& desc, UINT pitch, std::uint8_t* memory) {
    D3DDDI_SURFACEINFO surface{};
    surface.Width = desc.width;
    surface.Height = desc.height;
    surface.pSysMem = memory;
    surface.SysMemPitch = pitch;
    D3DDDIARG_CREATERESOURCE args{};
    args.Format = desc.format;
    args.Pool = D3DDDIPOOL_SYSTEMMEM;
    args.pSurfList = &surface;
    args.SurfCount = 1;
    if (HRESULT hr = funcs->pfnCreateResource(device, &args); hr != S_OK) {
      return driver_error("CreateResource(system memory)", hr);
    }
    return StagingSurface(funcs, device, args.hResource);
  }
  StagingSurface(StagingSurface&& other) noexcept
      : funcs_(other.funcs_), device_(other.device_), handle_(std::exchange(other.handle_, nullptr)) {}
  StagingSurface& operator=(StagingSurface&&) = delete;
  ~StagingSurface() {
    if (handle_ != nullptr) {
      funcs_->pfnDestroyResource(device_, handle_);
    }
  }
  HANDLE handle() const { return handle_; }

  // Waits until the blts queued on the surface have run, the way an application does: Lock
  // (which waits, and reports a blt that failed while running) and Unlock.
  Result<void> wait_for_blts() const {
    D3DDDIARG_LOCK lock{};
    lock.hResource = handle_;
    if (HRESULT hr = funcs_->pfnLock(device_, &lock); hr != S_OK) {
      return driver_error("Lock(system memory)", hr);
    }
    D3DDDIARG_UNLOCK unlock{};
    unlock.hResource = handle_;
    if (HRESULT hr = funcs_->pfnUnlock(device_, &unlock); hr != S_OK) {
      return driver_error("Unlock(system memory)", hr);
    }
    return {};
  }

 private:
  StagingSurface(const D3DDDI_DEVICEFUNCS* funcs, HANDLE device, HANDLE handle)
      : funcs_(funcs), device_(device), handle_(handle) {}
  const D3DDDI_DEVICEFUNCS* funcs_;
  HANDLE device_;
  HANDLE handle_;
};

}  // namespace

ProtectedSession::ProtectedSession(std::unique_ptr<State> state) : state_(std::move(state)) {}
ProtectedSession::ProtectedSession(ProtectedSession&&) noexcept = default;
ProtectedSession& ProtectedSession::operator=(ProtectedSession&&) noexcept = default;
ProtectedSession::~ProtectedSession() = default;

std::uint64_t ProtectedSession::refreshes() const { return state_->key_epoch; }
HANDLE ProtectedSession::handle() const { return state_->session; }
HANDLE ProtectedSession::device_handle() const { return state_->device; }

Result<ProtectedSession> ProtectedSession::open(Device& device, const Adapter& adapter,
                                                const SessionOptions& options) {
  Result<D3DCONTENTPROTECTIONCAPS> caps = adapter.content_protection_caps();
  if (!caps) {
    return caps.error();
  }
  if (std::memcmp(&caps->KeyExchangeType, &D3DKEYEXCHANGE_RSAES_OAEP, sizeof(GUID)) != 0) {
    return Error{E_FAIL, "caps: the driver's key exchange is not RSAES-OAEP"};
  }
  auto state = std::make_unique<State>();
  state->funcs = &device.funcs();
  state->device = device.handle();
  state->caps = caps->Caps;
  Result<crypto::Aes128Key> key = random_key("session key");
  if (!key) {
    return key.error();
  }
  state->key = std::move(*key);
  Result<std::vector<std::uint8_t>> blob =
      key_exchange_blob(adapter.certificate(), options.trusted_root_der, state->key);
  if (!blob) {
    return blob.error();
  }
  std::uint8_t iv_seed[8];
  if (auto r = crypto::random_bytes(iv_seed); !r) {
    return local_error("IV", r.error());
  }
  state->next_iv = load_be64(iv_seed) >> 2;  // headroom: 2^62 increments before overflow

  D3DDDIARG_CREATECRYPTOSESSION create{D3DCRYPTOTYPE_AES128_CTR, GUID{}, nullptr};
  if (HRESULT hr = state->funcs->pfnCreateCryptoSession(state->device, &create); hr != S_OK) {
    return driver_error("CreateCryptoSession", hr);
  }
  state->session = create.hCryptoSession;

  D3DDDIARG_CRYPTOSESSIONKEYEXCHANGE exchange{state->session, static_cast<UINT>(blob->size()),
                                              blob->data()};
  if (HRESULT hr = state->funcs->pfnCryptoSessionKeyExchange(state->device, &exchange);
      hr != S_OK) {
    return driver_error("CryptoSessionKeyExchange", hr);
  }
  return ProtectedSession(std::move(state));
}

Result<std::size_t> ProtectedSession::surface_bytes(const ProtectedSurface& surface) const {
  D3DDDIARG_GETPITCH args{state_->session, surface.handle(), 0, 0};
  if (HRESULT hr = state_->funcs->pfnGetPitch(state_->device, &args); hr != S_OK) {
    return driver_error("GetPitch", hr);
  }
  return std::size_t{args.Pitch} * wire::surface_rows(surface.desc().format, surface.desc().height);
}

Result<EncryptedBuffer> ProtectedSession::encrypt(std::span<const std::uint8_t> plaintext,
                                                  bool use_content_key) {
  if (use_content_key && (state_->caps & D3DCPCAPS_CONTENTKEY) == 0) {
    return Error{D3DDDIERR_NOTAVAILABLE, "encrypt: the driver's caps lack CONTENTKEY"};
  }
  EncryptedBuffer out;
  out.bytes = AlignedBuffer(static_cast<std::size_t>(align_up(plaintext.size(), 16)));
  std::copy(plaintext.begin(), plaintext.end(), out.bytes.data());
  out.iv = wire::make_counter_block(state_->next_iv, 0);
  out.key_epoch = state_->key_epoch;

  std::optional<crypto::Aes128Key> content_key;
  if (use_content_key) {
    Result<crypto::Aes128Key> fresh = random_key("content key");
    if (!fresh) {
      return fresh.error();
    }
    auto wrapped = crypto::wrap_key(state_->key, *fresh);
    if (!wrapped) {
      return local_error("content key wrap", wrapped.error());
    }
    out.wrapped_content_key = *wrapped;
    content_key = std::move(*fresh);
  }
  auto encrypted = crypto::aes128_ctr_xor(content_key ? *content_key : state_->key,
                                                  out.iv, out.bytes.span(), out.bytes.span());
  if (!encrypted) {
    return local_error("AES-128-CTR", encrypted.error());
  }
  ++state_->next_iv;  // this IV is spent, whatever happens to the buffer
  return out;
}

Result<void> ProtectedSession::decryption_blt(const EncryptedBuffer& content,
                                              const ProtectedSurface& destination) {
  if (content.key_epoch != state_->key_epoch) {
    return Error{E_INVALIDARG,
                 "decryption_blt: the content was encrypted before a key refresh; encrypt again"};
  }
  Result<std::size_t> len = surface_bytes(destination);
  if (!len) {
    return len.error();
  }
  const std::size_t padded = static_cast<std::size_t>(align_up(*len, 16));
  if (content.bytes.size() != padded) {
    return Error{E_INVALIDARG, "decryption_blt: the content is not the surface's size"};
  }
  D3DDDIARG_GETPITCH pitch{state_->session, destination.handle(), 0, 0};
  if (HRESULT hr = state_->funcs->pfnGetPitch(state_->device, &pitch); hr != S_OK) {
    return driver_error("GetPitch", hr);
  }
  // The runtime hands the driver the application's system memory in place (pSysMem).
  Result<StagingSurface> source =
      StagingSurface::create(state_->funcs, state_->device, destination.desc(), pitch.Pitch,
                             const_cast<std::uint8_t*>(content.bytes.data()));
  if (!source) {
    return source.error();
  }
  CounterBlock iv = content.iv;
  std::array<std::uint8_t, 16> wrapped{};
  if (content.wrapped_content_key) {
    wrapped = *content.wrapped_content_key;
  }
  D3DDDIARG_DECRYPTIONBLT args{};
  args.hCryptoSession = state_->session;
  args.hSrcResource = source->handle();
  args.hDstResource = destination.handle();
  args.SrcResourceSize = static_cast<UINT>(padded);
  args.pContentKey = content.wrapped_content_key ? wrapped.data() : nullptr;
  args.pIV = iv.data();
  if (HRESULT hr = state_->funcs->pfnDecryptionBlt(state_->device, &args); hr != S_OK) {
    return driver_error("DecryptionBlt", hr);
  }
  return {};
}

Result<std::vector<std::uint8_t>> ProtectedSession::read_back(const ProtectedSurface& source) {
  if ((state_->caps & D3DCPCAPS_ENCRYPTEDREADBACK) == 0) {
    return Error{D3DDDIERR_NOTAVAILABLE, "read_back: the driver's caps lack ENCRYPTEDREADBACK"};
  }
  const bool separate_key = (state_->caps & D3DCPCAPS_ENCRYPTEDREADBACKKEY) != 0;
  if (separate_key && !state_->readback_key) {
    std::array<std::uint8_t, 16> wrapped{};
    D3DDDIARG_GETENCRYPTIONBLTKEY args{state_->session, wrapped.data(), 16};
    if (HRESULT hr = state_->funcs->pfnGetEncryptionBltKey(state_->device, &args); hr != S_OK) {
      return driver_error("GetEncryptionBltKey", hr);
    }
    auto key = crypto::unwrap_key(state_->key, wrapped);
    if (!key) {
      return local_error("read-back key unwrap", key.error());
    }
    state_->readback_key = std::move(*key);
  }
  Result<std::size_t> len = surface_bytes(source);
  if (!len) {
    return len.error();
  }
  D3DDDIARG_GETPITCH pitch{state_->session, source.handle(), 0, 0};
  if (HRESULT hr = state_->funcs->pfnGetPitch(state_->device, &pitch); hr != S_OK) {
    return driver_error("GetPitch", hr);
  }
  AlignedBuffer encrypted(static_cast<std::size_t>(align_up(*len, 16)));
  Result<StagingSurface> destination = StagingSurface::create(
      state_->funcs, state_->device, source.desc(), pitch.Pitch, encrypted.data());
  if (!destination) {
    return destination.error();
  }
  CounterBlock iv{};
  D3DDDIARG_ENCRYPTIONBLT args{};
  args.hCryptoSession = state_->session;
  args.hSrcResource = source.handle();
  args.hDstResource = destination->handle();
  args.DstResourceSize = static_cast<UINT>(encrypted.size());
  args.pIV = iv.data();
  if (HRESULT hr = state_->funcs->pfnEncryptionBlt(state_->device, &args); hr != S_OK) {
    return driver_error("EncryptionBlt", hr);
  }
  if (Result<void> written = destination->wait_for_blts(); !written) {
    return written.error();
  }
  // Spec §4.6: the driver's IVs strictly increase, so the application can see a repeat.
  const std::uint64_t iv_value = wire::iv_of(iv);
  if (state_->last_readback_iv && iv_value <= *state_->last_readback_iv) {
    return Error{E_FAIL, "read_back: the driver repeated an EncryptionBlt IV"};
  }
  state_->last_readback_iv = iv_value;
  auto decrypted = crypto::aes128_ctr_xor(
      separate_key ? *state_->readback_key : state_->key, iv, encrypted.span(), encrypted.span());
  if (!decrypted) {
    return local_error("AES-128-CTR", decrypted.error());
  }
  return std::vector<std::uint8_t>(encrypted.data(), encrypted.data() + *len);
}

Result<void> ProtectedSession::refresh_key() {
  crypto::Aes128Key number;
  D3DDDIARG_STARTSESSIONKEYREFRESH start{state_->session, number.expose_mut().data(), 16};
  if (HRESULT hr = state_->funcs->pfnStartSessionKeyRefresh(state_->device, &start); hr != S_OK) {
    return driver_error("StartSessionKeyRefresh", hr);
  }
  D3DDDIARG_FINISHSESSIONKEYREFRESH finish{state_->session};
  if (HRESULT hr = state_->funcs->pfnFinishSessionKeyRefresh(state_->device, &finish); hr != S_OK) {
    return driver_error("FinishSessionKeyRefresh", hr);
  }
  state_->key.xor_in(number);  // only now: both sides moved (spec §7.3)
  ++state_->key_epoch;
  return {};
}

}  // namespace cpddi::app
