// A small host user-mode driver — a stand-in for a virtual-GPU or translation-layer UMD — that owns
// its devices and surfaces (their bytes are its own memory) and lets cpddi do only content
// protection: each of its devices is attached to a cpddi adapter under the device's own address,
// each surface is registered under its own address, and the content-protection slots of its
// WDK-layout D3D9 D3DDDI_DEVICEFUNCS and of its D3D11.1 video table come from cpddi
// (cpddi_fill_d3d9_wdk_device_funcs, cpddi_fill_d3d11_1_video_funcs). Everything else in the
// tables is the host's. docs/embedding.md walks through it.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <memory>
#include <vector>

#include <cpddi/cpddi.h>

namespace host {

// The host's D3DDDI_DEVICEFUNCS, WDK layout with the Windows 7 block: 121 slots (spec §2.10). A
// real host declares it from d3dumddi.h; this example names the slots it uses.
constexpr std::size_t kDeviceFuncsSlots = 121;
enum Slot : std::size_t {
  kFlush = 41,
  kCreateCryptoSession = 111,
  kCryptoSessionKeyExchange = 112,
  kDestroyCryptoSession = 113,
  kEncryptionBlt = 114,
  kGetPitch = 115,
  kGetEncryptionBltKey = 118,
  kDecryptionBlt = 119,
};

// One surface: the host's memory, with the host's own pitch.
struct Surface {
  D3DDDIFORMAT format = D3DDDIFMT_X8R8G8B8;
  UINT width = 0;
  UINT height = 0;
  UINT pitch = 0;
  bool is_protected = false;
  std::vector<std::uint8_t> bytes;

  HANDLE handle() { return this; }  // the host names its surfaces by their address ...
  D3D10DDI_HRESOURCE resource() { return {this}; }  // ... in both DDIs
};

// A surface in the host's memory with the host's own layout (rows padded to 256 bytes; cpddi's
// own surfaces use 64), and how it is described to cpddi.
std::unique_ptr<Surface> make_surface(D3DDDIFORMAT format, UINT width, UINT height,
                                      bool is_protected);
CPDDI_HOST_SURFACE describe(Surface& surface);

class Device {
 public:
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  HANDLE handle() { return this; }  // the host names its devices by their address
  // The entry in `slot` of the host's table, typed.
  template <class Pfn>
  Pfn entry(Slot slot) const {
    return std::bit_cast<Pfn>(funcs_[slot]);
  }
  bool slot_is_hosts(Slot slot) const;

  // A surface in the host's memory, registered with cpddi; null on failure.
  Surface* create_surface(D3DDDIFORMAT format, UINT width, UINT height, bool is_protected);
  // Unregisters (cpddi waits for the blts that use it), then frees the memory.
  HRESULT destroy_surface(Surface* surface);
  // What the host's pfnLock does for a surface cpddi knows: cpddi refuses protected surfaces and
  // waits for queued blts. Then the bytes are the host's to read.
  HRESULT lock(Surface* surface, const std::uint8_t** data, UINT* pitch);
  HRESULT unlock(Surface* surface);
  // The host's Flush: returns once no blt cpddi queued uses any of the device's surfaces.
  HRESULT flush();

 private:
  friend class Driver;
  Device() = default;
  HRESULT attach(HANDLE cpddi_adapter);

  std::array<CPDDI_TABLE_SLOT, kDeviceFuncsSlots> funcs_{};
  std::vector<std::unique_ptr<Surface>> surfaces_;
  bool attached_ = false;
};

// The host's D3D11.1 device. Its handle is its private memory (this object); its video table
// (the 81-slot D3D11_1DDI_VIDEODEVICEFUNCS) is the host's, with cpddi's entries in slots 58–76 and
// 78 and the host's own decoder entry in 77.
class D3d11Device {
 public:
  ~D3d11Device();
  D3d11Device(const D3d11Device&) = delete;
  D3d11Device& operator=(const D3d11Device&) = delete;

  D3D10DDI_HDEVICE handle() { return {this}; }
  const D3D11_1DDI_VIDEODEVICEFUNCS& video_funcs() const { return video_funcs_; }
  bool decoder_slot_is_hosts() const;
  // What pfnSetErrorCb received: the host's runtime would turn these into the app's HRESULTs.
  const std::vector<HRESULT>& reported_errors() const { return errors_; }

  Surface* create_surface(D3DDDIFORMAT format, UINT width, UINT height, bool is_protected);
  // The host's pfnResourceMap for a surface cpddi knows: cpddi refuses protected ones.
  HRESULT map(Surface* surface, const std::uint8_t** data, UINT* pitch);
  HRESULT unmap(Surface* surface);

 private:
  friend class Driver;
  D3d11Device() = default;
  HRESULT attach(D3D10DDI_HADAPTER cpddi_adapter);
  static void APIENTRY record_error(D3D10DDI_HRTCORELAYER core_layer, HRESULT hr);

  D3D11_1DDI_VIDEODEVICEFUNCS video_funcs_{};
  std::vector<HRESULT> errors_;
  std::vector<std::unique_ptr<Surface>> surfaces_;
  bool attached_ = false;
};

class Driver {
 public:
  // Opens the cpddi adapters (one per DDI) the host's devices use; null on failure.
  static std::unique_ptr<Driver> open();
  ~Driver();
  Driver(const Driver&) = delete;
  Driver& operator=(const Driver&) = delete;

  // cpddi's adapter table: GetCaps answers the application's caps and certificate queries.
  const D3DDDI_ADAPTERFUNCS& cpddi_adapter_funcs() const { return adapter_funcs_; }
  HANDLE cpddi_adapter() const { return adapter_; }

  // A device of the host's, attached to cpddi, with its table filled; null on failure.
  std::unique_ptr<Device> create_device();
  std::unique_ptr<D3d11Device> create_d3d11_device();

 private:
  Driver() = default;
  D3DDDI_ADAPTERFUNCS adapter_funcs_{};
  HANDLE adapter_ = nullptr;
  CPDDI_D3D11_1_ADAPTERFUNCS d3d11_adapter_funcs_{};
  D3D10DDI_HADAPTER d3d11_adapter_{};
};

}  // namespace host
