// AlignedBuffer, Adapter, Device and ProtectedSurface: RAII over the C ABI's handles.
#include <cstring>
#include <new>
#include <utility>

#include "app/app_internal.h"
#include "crypto/secret_bytes.h"

namespace cpddi::app {
namespace {
constexpr std::align_val_t kBufferAlignment{64};
}  // namespace

Error driver_error(const char* step, HRESULT hr) {
  return Error{hr, std::string(step) + ": " + cpddi_hresult_name(hr)};
}

Error local_error(const char* step, const cpddi::Error& error) {
  return Error{E_FAIL, std::string(step) + ": " + error.reason};
}

// ---- AlignedBuffer ----

AlignedBuffer::AlignedBuffer(std::size_t size)
    : data_(static_cast<std::uint8_t*>(::operator new(size == 0 ? 1 : size, kBufferAlignment))),
      size_(size) {
  std::memset(data_, 0, size_);
}

AlignedBuffer::AlignedBuffer(AlignedBuffer&& other) noexcept
    : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

AlignedBuffer& AlignedBuffer::operator=(AlignedBuffer&& other) noexcept {
  // Swap: `other` wipes and frees what this buffer held when it dies.
  std::swap(data_, other.data_);
  std::swap(size_, other.size_);
  return *this;
}

AlignedBuffer::~AlignedBuffer() {
  if (data_ != nullptr) {
    crypto::cleanse(data_, size_);  // it may have held plaintext
    ::operator delete(data_, kBufferAlignment);
    data_ = nullptr;
  }
}

// ---- Adapter ----

AdapterState::~AdapterState() {
  if (handle != nullptr) {
    funcs.pfnCloseAdapter(handle);
  }
}

Result<Adapter> Adapter::open(const AdapterOptions& options) {
  auto state = std::make_shared<AdapterState>();
  D3DDDIARG_OPENADAPTER args{};
  args.pAdapterFuncs = &state->funcs;
  const bool cpddi_driver = options.open_adapter == &OpenAdapter;
  const HRESULT hr = cpddi_driver && options.cpddi_options != nullptr
                         ? cpddi_open_adapter_with_options(&args, options.cpddi_options)
                         : options.open_adapter(&args);
  if (hr != S_OK) {
    return driver_error("OpenAdapter", hr);
  }
  state->handle = args.hAdapter;
  return Adapter(std::move(state));
}

Adapter::~Adapter() = default;

Result<D3DCONTENTPROTECTIONCAPS> Adapter::content_protection_caps() const {
  DDICONTENTPROTECTIONCAPS info{D3DCRYPTOTYPE_AES128_CTR, GUID{}};
  D3DCONTENTPROTECTIONCAPS caps{};
  D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCONTENTPROTECTIONCAPS, &info, &caps, sizeof caps};
  if (HRESULT hr = state_->funcs.pfnGetCaps(state_->handle, &args); hr != S_OK) {
    return driver_error("GetCaps(GETCONTENTPROTECTIONCAPS)", hr);
  }
  return caps;
}

namespace {

// GetCaps(GETCERTIFICATESIZE) then GetCaps(GETCERTIFICATE) for `info`.
Result<std::vector<std::uint8_t>> read_certificate(const AdapterState& adapter,
                                                   DDICERTIFICATEINFO info) {
  UINT size = 0;
  D3DDDIARG_GETCAPS size_args{D3DDDICAPS_GETCERTIFICATESIZE, &info, &size, sizeof size};
  if (HRESULT hr = adapter.funcs.pfnGetCaps(adapter.handle, &size_args); hr != S_OK) {
    return driver_error("GetCaps(GETCERTIFICATESIZE)", hr);
  }
  std::vector<std::uint8_t> bytes(size);
  D3DDDIARG_GETCAPS cert_args{D3DDDICAPS_GETCERTIFICATE, &info, bytes.data(), size};
  if (HRESULT hr = adapter.funcs.pfnGetCaps(adapter.handle, &cert_args); hr != S_OK) {
    return driver_error("GetCaps(GETCERTIFICATE)", hr);
  }
  return bytes;
}

}  // namespace

Result<std::vector<std::uint8_t>> Adapter::certificate() const {
  return read_certificate(*state_, {D3DDDI_CERTTYPE_CRYPTOSESSION,
                                    DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE,
                                    D3DCRYPTOTYPE_AES128_CTR});
}

Result<std::vector<std::uint8_t>> Adapter::channel_certificate(UINT channel_type) const {
  return read_certificate(*state_, {D3DDDI_CERTTYPE_AUTHENTICATED_CHANNEL,
                                    static_cast<DDIAUTHENTICATEDCHANNELTYPE>(channel_type),
                                    GUID{}});
}

Result<Device> Adapter::create_device() const {
  auto funcs = std::make_unique<D3DDDI_DEVICEFUNCS>();
  D3DDDIARG_CREATEDEVICE args{};
  args.pDeviceFuncs = funcs.get();
  if (HRESULT hr = state_->funcs.pfnCreateDevice(state_->handle, &args); hr != S_OK) {
    return driver_error("CreateDevice", hr);
  }
  return Device(state_, args.hDevice, std::move(funcs));
}

// ---- Device ----

Device::Device(std::shared_ptr<const AdapterState> adapter, HANDLE handle,
               std::unique_ptr<D3DDDI_DEVICEFUNCS> funcs)
    : adapter_(std::move(adapter)), handle_(handle), funcs_(std::move(funcs)) {}

Device::Device(Device&& other) noexcept
    : adapter_(std::move(other.adapter_)),
      handle_(std::exchange(other.handle_, nullptr)),
      funcs_(std::move(other.funcs_)) {}

Device& Device::operator=(Device&& other) noexcept {
  if (this != &other) {
    release();
    adapter_ = std::move(other.adapter_);
    handle_ = std::exchange(other.handle_, nullptr);
    funcs_ = std::move(other.funcs_);
  }
  return *this;
}

Device::~Device() { release(); }

void Device::release() noexcept {
  if (handle_ != nullptr) {
    funcs_->pfnDestroyDevice(handle_);
    handle_ = nullptr;
  }
}

Result<ProtectedSurface> Device::create_protected_surface(const SurfaceDesc& desc) {
  D3DDDI_SURFACEINFO surface{};
  surface.Width = desc.width;
  surface.Height = desc.height;
  D3DDDIARG_CREATERESOURCE args{};
  args.Format = desc.format;
  args.Pool = D3DDDIPOOL_VIDEOMEMORY;
  args.pSurfList = &surface;
  args.SurfCount = 1;
  args.Flags.RestrictedContent = 1;
  if (HRESULT hr = funcs_->pfnCreateResource(handle_, &args); hr != S_OK) {
    return driver_error("CreateResource(RestrictedContent)", hr);
  }
  return ProtectedSurface(funcs_.get(), handle_, args.hResource, desc);
}

// ---- ProtectedSurface ----

ProtectedSurface::ProtectedSurface(ProtectedSurface&& other) noexcept
    : funcs_(other.funcs_),
      device_(other.device_),
      handle_(std::exchange(other.handle_, nullptr)),
      desc_(other.desc_) {}

ProtectedSurface& ProtectedSurface::operator=(ProtectedSurface&& other) noexcept {
  if (this != &other) {
    release();
    funcs_ = other.funcs_;
    device_ = other.device_;
    handle_ = std::exchange(other.handle_, nullptr);
    desc_ = other.desc_;
  }
  return *this;
}

ProtectedSurface::~ProtectedSurface() { release(); }

void ProtectedSurface::release() noexcept {
  if (handle_ != nullptr) {
    funcs_->pfnDestroyResource(device_, handle_);
    handle_ = nullptr;
  }
}

}  // namespace cpddi::app
