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

}  // namespace

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
  return driver;
}

Driver::~Driver() {
  if (adapter_ != nullptr) {
    adapter_funcs_.pfnCloseAdapter(adapter_);
  }
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
  auto surface = std::make_unique<Surface>();
  surface->format = format;
  surface->width = width;
  surface->height = height;
  // The host's own layout: rows padded to 256 bytes (cpddi's own surfaces use 64).
  surface->pitch = (width * bytes_per_pixel(format) + 255) / 256 * 256;
  surface->is_protected = is_protected;
  surface->bytes.assign(std::size_t{surface->pitch} * rows(format, height), 0);

  CPDDI_HOST_SURFACE desc{};
  desc.StructSize = sizeof desc;
  desc.Format = format;
  desc.Width = width;
  desc.Height = height;
  desc.Pitch = surface->pitch;
  desc.pMemory = surface->bytes.data();
  desc.MemorySize = surface->bytes.size();
  desc.Protected = is_protected ? 1 : 0;
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

}  // namespace host
