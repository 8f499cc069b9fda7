#include "host_driver.h"

#include <algorithm>
#include <bit>

namespace host {
namespace {

// The host's own Flush (slot 41). This host has no GPU of its own, so flushing means waiting for
// what cpddi queued on its surfaces — and hearing about a blt that failed while it ran.
HRESULT APIENTRY HostFlush(HANDLE hDevice) noexcept {
  return static_cast<Device*>(hDevice)->flush();
}

CPDDI_TABLE_SLOT host_flush_slot() { return std::bit_cast<CPDDI_TABLE_SLOT>(&HostFlush); }

UINT bytes_per_pixel(D3DDDIFORMAT format) { return format == D3DDDIFMT_NV12 ? 1 : 4; }
UINT rows(D3DDDIFORMAT format, UINT height) {
  return format == D3DDDIFMT_NV12 ? height + height / 2 : height;
}

// The host's own decoder entry (slot 77 of its video table): this host has no decoder.
HRESULT APIENTRY HostVideoDecoderGetHandle(D3D10DDI_HDEVICE, D3D11_1DDI_HDECODE,
                                           HANDLE*) noexcept {
  return E_INVALIDARG;
}

}  // namespace

std::unique_ptr<Surface> make_surface(D3DDDIFORMAT format, UINT width, UINT height,
                                      bool is_protected) {
  auto surface = std::make_unique<Surface>();
  surface->format = format;
  surface->width = width;
  surface->height = height;
  surface->pitch = (width * bytes_per_pixel(format) + 255) / 256 * 256;
  surface->is_protected = is_protected;
  surface->bytes.assign(std::size_t{surface->pitch} * rows(format, height), 0);
  return surface;
}

CPDDI_HOST_SURFACE describe(Surface& surface) {
  CPDDI_HOST_SURFACE desc{};
  desc.StructSize = sizeof desc;
  desc.Format = surface.format;
  desc.Width = surface.width;
  desc.Height = surface.height;
  desc.Pitch = surface.pitch;
  desc.pMemory = surface.bytes.data();
  desc.MemorySize = surface.bytes.size();
  desc.Protected = surface.is_protected ? 1 : 0;
  return desc;
}

std::unique_ptr<Driver> Driver::open() {
  std::unique_ptr<Driver> driver(new Driver());
  CPDDI_ADAPTER_OPTIONS options{};
  options.StructSize = sizeof options;
  // A bare X.509 leaf keeps the example's certificate handling short; the default is PKCS#7.
  options.CertificateContainer = CPDDI_CERTIFICATE_X509_LEAF;
  D3DDDIARG_OPENADAPTER open{};
  open.pAdapterFuncs = &driver->adapter_funcs_;
  if (cpddi_open_adapter_with_options(&open, &options) != S_OK) {
    return nullptr;
  }
  driver->adapter_ = open.hAdapter;
  CPDDI_D3D11_1_OPENADAPTER open11{};
  open11.pAdapterFuncs = &driver->d3d11_adapter_funcs_;
  if (cpddi_d3d11_1_open_adapter(&open11, &options) != S_OK) {
    return nullptr;
  }
  driver->d3d11_adapter_ = open11.hAdapter;
  return driver;
}

Driver::~Driver() {
  if (adapter_ != nullptr) {
    adapter_funcs_.pfnCloseAdapter(adapter_);
  }
  if (d3d11_adapter_.pDrvPrivate != nullptr) {
    d3d11_adapter_funcs_.pfnCloseAdapter(d3d11_adapter_);
  }
}

std::unique_ptr<D3d11Device> Driver::create_d3d11_device() {
  std::unique_ptr<D3d11Device> device(new D3d11Device());
  if (device->attach(d3d11_adapter_) != S_OK) {
    return nullptr;
  }
  return device;
}

std::unique_ptr<Device> Driver::create_device() {
  std::unique_ptr<Device> device(new Device());
  if (device->attach(adapter_) != S_OK) {
    return nullptr;
  }
  return device;
}

HRESULT Device::attach(HANDLE cpddi_adapter) {
  // The host fills its own slots first (here only Flush); cpddi then writes slots 106–119 and
  // touches nothing else.
  std::fill(funcs_.begin(), funcs_.end(), nullptr);
  funcs_[kFlush] = host_flush_slot();
  HRESULT hr = cpddi_fill_d3d9_wdk_device_funcs(funcs_.data(), kDeviceFuncsSlots);
  if (hr != S_OK) {
    return hr;
  }
  hr = cpddi_attach_host_device(cpddi_adapter, handle());
  attached_ = hr == S_OK;
  return hr;
}

bool Device::slot_is_hosts(Slot slot) const {
  return funcs_[slot] == host_flush_slot();
}

HRESULT Device::flush() {
  for (const std::unique_ptr<Surface>& surface : surfaces_) {
    if (const HRESULT hr = cpddi_wait_host_surface(handle(), surface->handle(), 0); hr != S_OK) {
      return hr;
    }
  }
  return S_OK;
}

Device::~Device() {
  // Detach waits for every queued blt, then drops cpddi's sessions, channels and its view of the
  // surfaces; only then is the host's memory freed (by surfaces_).
  if (attached_) {
    cpddi_detach_host_device(handle());
  }
}

Surface* Device::create_surface(D3DDDIFORMAT format, UINT width, UINT height, bool is_protected) {
  std::unique_ptr<Surface> surface = make_surface(format, width, height, is_protected);
  const CPDDI_HOST_SURFACE desc = describe(*surface);
  if (cpddi_register_host_surface(handle(), surface->handle(), &desc) != S_OK) {
    return nullptr;
  }
  surfaces_.push_back(std::move(surface));
  return surfaces_.back().get();
}

HRESULT Device::destroy_surface(Surface* surface) {
  const HRESULT hr = cpddi_unregister_host_surface(handle(), surface->handle());
  if (hr == S_OK) {
    std::erase_if(surfaces_, [&](const auto& owned) { return owned.get() == surface; });
  }
  return hr;
}

HRESULT Device::lock(Surface* surface, const std::uint8_t** data, UINT* pitch) {
  VOID* mapped = nullptr;
  const HRESULT hr = cpddi_lock_host_surface(handle(), surface->handle(), 0, &mapped, pitch);
  if (hr == S_OK) {
    *data = static_cast<const std::uint8_t*>(mapped);
  }
  return hr;
}

HRESULT Device::unlock(Surface* surface) {
  return cpddi_unlock_host_surface(handle(), surface->handle());
}

// ---- The D3D11.1 device ----

HRESULT D3d11Device::attach(D3D10DDI_HADAPTER cpddi_adapter) {
  // The host's decoder entry first; cpddi then writes 58–76 and 78 and leaves 77 alone.
  video_funcs_.pfnVideoDecoderGetHandle = HostVideoDecoderGetHandle;
  HRESULT hr = cpddi_fill_d3d11_1_video_funcs(&video_funcs_);
  if (hr != S_OK) {
    return hr;
  }
  // A real host passes its runtime's hRTCoreLayer and callbacks; this one records the errors.
  static const D3D10DDI_CORELAYER_DEVICECALLBACKS callbacks{&D3d11Device::record_error};
  hr = cpddi_d3d11_1_attach_host_device(cpddi_adapter, handle(), D3D10DDI_HRTCORELAYER{this},
                                        &callbacks, CPDDI_D3D11_1_ERROR_MODE_STRICT);
  attached_ = hr == S_OK;
  return hr;
}

void APIENTRY D3d11Device::record_error(D3D10DDI_HRTCORELAYER core_layer, HRESULT hr) {
  static_cast<D3d11Device*>(core_layer.handle)->errors_.push_back(hr);
}

bool D3d11Device::decoder_slot_is_hosts() const {
  return video_funcs_.pfnVideoDecoderGetHandle == HostVideoDecoderGetHandle;
}

D3d11Device::~D3d11Device() {
  if (attached_) {
    cpddi_d3d11_1_detach_host_device(handle());
  }
}

Surface* D3d11Device::create_surface(D3DDDIFORMAT format, UINT width, UINT height,
                                     bool is_protected) {
  std::unique_ptr<Surface> surface = make_surface(format, width, height, is_protected);
  const CPDDI_HOST_SURFACE desc = describe(*surface);
  if (cpddi_d3d11_1_register_host_surface(handle(), surface->resource(), &desc) != S_OK) {
    return nullptr;
  }
  surfaces_.push_back(std::move(surface));
  return surfaces_.back().get();
}

HRESULT D3d11Device::map(Surface* surface, const std::uint8_t** data, UINT* pitch) {
  D3D10DDI_MAPPED_SUBRESOURCE mapped{};
  const HRESULT hr = cpddi_d3d11_1_map_host_surface(handle(), surface->resource(), 0, &mapped);
  if (hr == S_OK) {
    *data = static_cast<const std::uint8_t*>(mapped.pData);
    *pitch = mapped.RowPitch;
  }
  return hr;
}

HRESULT D3d11Device::unmap(Surface* surface) {
  return cpddi_d3d11_1_unmap_host_surface(handle(), surface->resource());
}

}  // namespace host
