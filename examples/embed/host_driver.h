// A small host user-mode driver — a stand-in for a virtual-GPU or translation-layer UMD — that owns
// its devices and surfaces (their bytes are its own memory) and lets cpddi do only content
// protection: each of its devices is attached to a cpddi adapter under the device's own address,
// each surface is registered under its own address, and the content-protection slots of its
// WDK-layout D3DDDI_DEVICEFUNCS come from cpddi (cpddi_fill_d3d9_wdk_device_funcs). Everything
// else in the table is the host's. docs/embedding.md walks through it.
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

  HANDLE handle() { return this; }  // the host names its surfaces by their address
};

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

class Driver {
 public:
  // Opens the cpddi adapter the host's devices use; null on failure.
  static std::unique_ptr<Driver> open();
  ~Driver();
  Driver(const Driver&) = delete;
  Driver& operator=(const Driver&) = delete;

  // cpddi's adapter table: GetCaps answers the application's caps and certificate queries.
  const D3DDDI_ADAPTERFUNCS& cpddi_adapter_funcs() const { return adapter_funcs_; }
  HANDLE cpddi_adapter() const { return adapter_; }

  // A device of the host's, attached to cpddi, with its table filled; null on failure.
  std::unique_ptr<Device> create_device();

 private:
  Driver() = default;
  D3DDDI_ADAPTERFUNCS adapter_funcs_{};
  HANDLE adapter_ = nullptr;
};

}  // namespace host
