// Surfaces: CreateResource, DestroyResource, Lock/Unlock and GetPitch — spec §4.4, §4.10, A16,
// A22, A29 and the header comments of those entry points.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "conform/cases.h"

namespace cpddi::conform {
namespace {

constexpr UINT kPitchSentinel = 0xA5A5A5A5u;

// A resource made by a raw CreateResource, destroyed when it goes out of scope unless the case
// destroyed it itself (release()).
class CreatedResource {
 public:
  CreatedResource(const Device& device, const SurfaceDesc& desc) : device_(device) {
    hr_ = device_.create_resource(desc, &handle_);
  }
  ~CreatedResource() {
    if (hr_ == S_OK && handle_ != nullptr && handle_ != kSentinelHandle) {
      device_.destroy_surface(handle_);
    }
  }
  CreatedResource(const CreatedResource&) = delete;
  CreatedResource& operator=(const CreatedResource&) = delete;

  HRESULT hr() const { return hr_; }
  HANDLE handle() const { return handle_; }
  // Fails the case unless the create succeeded with a real handle.
  HANDLE require_created(const std::string& what) const {
    expect_hr(hr_, S_OK, what);
    require(handle_ != nullptr && handle_ != kSentinelHandle, what + " writes a handle",
            handle_ == nullptr ? "a null handle" : "the runtime's handle left in place");
    return handle_;
  }
  // DestroyResource now; the destructor then leaves the handle alone.
  HRESULT destroy() {
    const HRESULT hr = device_.destroy_surface(handle_);
    hr_ = E_FAIL;
    return hr;
  }

 private:
  const Device& device_;
  HANDLE handle_ = kSentinelHandle;  // the runtime's handle, replaced by the driver's
  HRESULT hr_ = E_FAIL;
};

SurfaceDesc surface_desc(D3DDDIFORMAT format, D3DDDI_POOL pool, UINT width, UINT height,
                         bool restricted_content) {
  SurfaceDesc desc;
  desc.format = format;
  desc.pool = pool;
  desc.width = width;
  desc.height = height;
  desc.restricted_content = restricted_content;
  return desc;
}

Verdict resource_kinds(Env& env) {
  const struct {
    const char* name;
    D3DDDIFORMAT format;
    D3DDDI_POOL pool;
    bool restricted;
    UINT width;
    UINT height;
  } rows[] = {
      {"X8R8G8B8 in system memory", D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_SYSTEMMEM, false, 34, 10},
      {"A8R8G8B8 in system memory", D3DDDIFMT_A8R8G8B8, D3DDDIPOOL_SYSTEMMEM, false, 34, 10},
      {"NV12 in system memory", D3DDDIFMT_NV12, D3DDDIPOOL_SYSTEMMEM, false, 34, 10},
      {"X8R8G8B8 in video memory", D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_VIDEOMEMORY, false, 34, 10},
      {"protected X8R8G8B8 in video memory", D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_VIDEOMEMORY, true,
       34, 10},
      {"protected A8R8G8B8 in local video memory", D3DDDIFMT_A8R8G8B8, D3DDDIPOOL_LOCALVIDMEM,
       true, 34, 10},
      {"protected NV12 in non-local video memory", D3DDDIFMT_NV12, D3DDDIPOOL_NONLOCALVIDMEM,
       true, 34, 10},
      {"protected NV12 in video memory", D3DDDIFMT_NV12, D3DDDIPOOL_VIDEOMEMORY, true, 34, 10},
      {"X8R8G8B8 of odd width in system memory", D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_SYSTEMMEM, false,
       33, 5},
      {"protected X8R8G8B8 of odd width", D3DDDIFMT_X8R8G8B8, D3DDDIPOOL_VIDEOMEMORY, true, 33,
       5}};
  Device& device = env.device();
  Session session(device, kTestKey, Session::Exchange::kNo);
  for (const auto& row : rows) {
    const std::string name = std::string(row.name) + " (" + std::to_string(row.width) + "×" +
                             std::to_string(row.height) + ")";
    CreatedResource resource(device, surface_desc(row.format, row.pool, row.width, row.height,
                                                  row.restricted));
    resource.require_created("CreateResource of " + name);
    UINT pitch = kPitchSentinel;
    expect_hr(device.get_pitch(session.handle(), resource.handle(), 0, &pitch), S_OK,
              "GetPitch of " + name);
    const UINT row_bytes = row.format == D3DDDIFMT_NV12 ? row.width : row.width * 4;
    require(pitch >= row_bytes, "a pitch of " + name + " covering a row (≥ " +
                                    std::to_string(row_bytes) + " bytes)",
            "pitch " + std::to_string(pitch));
    if (!row.restricted) {
      void* data = nullptr;
      UINT lock_pitch = kPitchSentinel;
      expect_hr(device.lock(resource.handle(), 0, &data, &lock_pitch), S_OK, "Lock of " + name);
      const HRESULT unlocked = device.unlock(resource.handle());
      require(data != nullptr, "Lock of " + name + " maps it", "a null pSurfData");
      require(lock_pitch == pitch, "Lock of " + name + " gives GetPitch's pitch " +
                                       std::to_string(pitch),
              "pitch " + std::to_string(lock_pitch));
      expect_hr(unlocked, S_OK, "Unlock of " + name);
    }
    expect_hr(resource.destroy(), S_OK, "DestroyResource of " + name);
  }
  return pass();
}

Verdict resource_create_rejected(Env& env) {
  Bytes memory(4096);
  const struct {
    const char* name;
    void (*spoil)(SurfaceDesc&, Bytes&);
  } rows[] = {
      {"Format UNKNOWN", [](SurfaceDesc& d, Bytes&) { d.format = D3DDDIFMT_UNKNOWN; }},
      {"Format R8G8B8", [](SurfaceDesc& d, Bytes&) { d.format = static_cast<D3DDDIFORMAT>(20); }},
      {"Pool 0", [](SurfaceDesc& d, Bytes&) { d.pool = static_cast<D3DDDI_POOL>(0); }},
      {"Pool 5", [](SurfaceDesc& d, Bytes&) { d.pool = static_cast<D3DDDI_POOL>(5); }},
      {"Width 0", [](SurfaceDesc& d, Bytes&) { d.width = 0; }},
      {"Height 0", [](SurfaceDesc& d, Bytes&) { d.height = 0; }},
      {"SurfCount 0", [](SurfaceDesc& d, Bytes&) { d.surface_count = 0; }},
      {"SurfCount 2", [](SurfaceDesc& d, Bytes&) { d.surface_count = 2; }},
      {"pSurfList NULL", [](SurfaceDesc& d, Bytes&) { d.null_surface_list = true; }},
      {"MipLevels 2", [](SurfaceDesc& d, Bytes&) { d.mip_levels = 2; }},
      {"SysMemPitch below a row",
       [](SurfaceDesc& d, Bytes& m) {
         d.system_memory = m.data();
         d.system_memory_pitch = 16 * 4 - 1;
       }}};
  for (const auto& row : rows) {
    SurfaceDesc desc;  // 16×4 X8R8G8B8 in system memory
    row.spoil(desc, memory);
    std::optional<CreatedResource> resource;
    // A row the DDI cannot express (D3D9's pools, surface lists, pSysMem) is left out.
    if (!unless_ddi_lacks([&] {
          resource.emplace(env.device(), desc);
          return true;
        })) {
      continue;
    }
    const std::string what = std::string("CreateResource with ") + row.name;
    expect_hr(resource->hr(), E_INVALIDARG, what);
    require(resource->handle() == kSentinelHandle, what + " writes no handle",
            "a handle was written");
  }
  return pass();
}

Verdict resource_create_bad_arguments(Env& env) {
  Device& device = env.device();
  if (device.has_argument_structs()) {
    expect_hr(device.call_with_null_arguments(DeviceEntry::kCreateResource), E_INVALIDARG,
              "CreateResource with a null argument struct");
  }
  const struct {
    const char* name;
    HANDLE handle;
  } rows[] = {{"a null", nullptr},
              {"a garbage", kGarbageHandle},
              {"the adapter handle as", device.adapter().handle()}};
  for (const auto& row : rows) {
    CreatedResource resource(*device.calling_as(row.handle), SurfaceDesc{});
    const std::string what = std::string("CreateResource through ") + row.name + " device handle";
    expect_hr(resource.hr(), E_INVALIDARG, what);
    require(resource.handle() == kSentinelHandle, what + " writes no handle",
            "a handle was written");
  }
  return pass();
}

Verdict resource_caller_memory_in_place(Env& env) {
  Device& device = env.device();
  Bytes memory(300 * 4, 0);
  SurfaceDesc desc;  // 16×4 X8R8G8B8 in system memory
  desc.system_memory = memory.data();
  desc.system_memory_pitch = 300;
  CreatedResource resource(device, desc);
  resource.require_created("CreateResource with pSysMem and SysMemPitch 300");
  void* data = nullptr;
  UINT pitch = kPitchSentinel;
  expect_hr(device.lock(resource.handle(), 0, &data, &pitch), S_OK, "Lock of a pSysMem surface");
  const HRESULT unlocked = device.unlock(resource.handle());
  require(data == memory.data(), "Lock maps the caller's memory itself", "another address");
  require(pitch == 300, "Lock gives the caller's SysMemPitch 300",
          "pitch " + std::to_string(pitch));
  expect_hr(unlocked, S_OK, "Unlock");
  // GetPitch is how an application sizes blt buffers (§4.4): it must give the same padded pitch,
  // not the one the driver would have chosen for a 16-pixel surface of its own.
  Session session(device, kTestKey, Session::Exchange::kNo);
  UINT get_pitch = kPitchSentinel;
  expect_hr(device.get_pitch(session.handle(), resource.handle(), 0, &get_pitch), S_OK,
            "GetPitch of a pSysMem surface");
  require(get_pitch == 300, "GetPitch gives the caller's SysMemPitch 300",
          "pitch " + std::to_string(get_pitch));
  expect_hr(resource.destroy(), S_OK, "DestroyResource");
  return pass();
}

Verdict resource_protected_lock_refused(Env& env) {
  Device& device = env.device();
  for (D3DDDI_POOL pool : {D3DDDIPOOL_VIDEOMEMORY, D3DDDIPOOL_LOCALVIDMEM}) {
    CreatedResource surface(device, surface_desc(D3DDDIFMT_X8R8G8B8, pool, 16, 4, true));
    surface.require_created("CreateResource of a protected surface");
    void* data = reinterpret_cast<void*>(0x5A5A);
    UINT pitch = kPitchSentinel;
    const HRESULT hr = device.lock(surface.handle(), 0, &data, &pitch);
    if (hr == S_OK) {
      device.unlock(surface.handle());
    }
    expect_hr(hr, device.code(Refusal::kWrongState), "Lock of a RestrictedContent surface");
    require(data == reinterpret_cast<void*>(0x5A5A) && pitch == kPitchSentinel,
            "nothing mapped (pSurfData and Pitch untouched)", "Lock wrote pSurfData or Pitch");
    expect_hr(device.unlock(surface.handle()), device.code(Refusal::kWrongState),
              "Unlock of a RestrictedContent surface that was never locked");
    expect_hr(surface.destroy(), S_OK, "DestroyResource of the protected surface");
  }
  return pass();
}

Verdict resource_lock_round_trip(Env& env) {
  Device& device = env.device();
  auto surface = Surface::system_memory(device, 512);
  const Bytes bytes = pattern_bytes(512, 4);
  device.write_surface(surface->handle(), bytes);
  const Bytes back = device.read_surface(surface->handle(), 512);
  require(back == bytes, "a second Lock reads what the first wrote",
          first_difference(back, bytes));
  return pass();
}

Verdict resource_lock_state(Env& env) {
  Device& device = env.device();
  auto surface = Surface::system_memory(device, 256);
  expect_hr(device.unlock(surface->handle()), device.code(Refusal::kWrongState), "Unlock before any Lock");
  void* data = nullptr;
  UINT pitch = 0;
  expect_hr(device.lock(surface->handle(), 0, &data, &pitch), S_OK, "Lock");
  void* second = nullptr;
  UINT second_pitch = 0;
  const HRESULT hr = device.lock(surface->handle(), 0, &second, &second_pitch);
  expect_hr(device.unlock(surface->handle()), S_OK, "Unlock");
  expect_hr(hr, device.code(Refusal::kWrongState), "a second Lock while locked");
  require(second == nullptr, "the second Lock maps nothing", "pSurfData was written");
  expect_hr(device.unlock(surface->handle()), device.code(Refusal::kWrongState), "a second Unlock");
  return pass();
}

Verdict resource_lock_bad_arguments(Env& env) {
  Device& device = env.device();
  auto surface = Surface::system_memory(device, 256);
  Session session(device, kTestKey, Session::Exchange::kNo);
  for (DeviceEntry entry : {DeviceEntry::kLock, DeviceEntry::kUnlock}) {
    if (device.has_argument_structs()) {
      expect_hr(device.call_with_null_arguments(entry), E_INVALIDARG,
                std::string(device_entry_name(entry)) + " with a null argument struct");
    }
  }
  const struct {
    const char* name;
    HANDLE handle;
  } rows[] = {{"a null", nullptr},
              {"a garbage", kGarbageHandle},
              {"a session handle as", session.handle()},
              {"the device handle as", device.handle()}};
  for (const auto& row : rows) {
    void* data = nullptr;
    UINT pitch = 0;
    expect_hr(device.lock(row.handle, 0, &data, &pitch), E_INVALIDARG,
              std::string("Lock of ") + row.name + " resource handle");
    expect_hr(device.unlock(row.handle), E_INVALIDARG,
              std::string("Unlock of ") + row.name + " resource handle");
  }
  void* data = nullptr;
  UINT pitch = 0;
  expect_hr(device.lock(surface->handle(), 1, &data, &pitch), E_INVALIDARG,
            "Lock of subresource 1 of a one-surface resource");
  require(data == nullptr, "Lock of subresource 1 maps nothing", "pSurfData was written");
  expect_hr(device.calling_as(kGarbageHandle)->lock(surface->handle(), 0, &data, &pitch),
            E_INVALIDARG, "Lock through a garbage device handle");
  expect_hr(device.lock(surface->handle(), 0, &data, &pitch), S_OK, "Lock");
  const HRESULT wrong_unlock = device.unlock(surface->handle(), 1);
  expect_hr(device.unlock(surface->handle(), 0), S_OK, "Unlock of subresource 0");
  expect_hr(wrong_unlock, E_INVALIDARG, "Unlock of subresource 1");
  return pass();
}

Verdict resource_destroyed_handle_dead(Env& env) {
  Device& device = env.device();
  CreatedResource resource(device, SurfaceDesc{});
  const HANDLE dead = resource.require_created("CreateResource");
  expect_hr(resource.destroy(), S_OK, "DestroyResource");
  expect_hr(device.destroy_surface(dead), E_INVALIDARG, "a second DestroyResource");
  void* data = nullptr;
  UINT pitch = 0;
  expect_hr(device.lock(dead, 0, &data, &pitch), E_INVALIDARG, "Lock of a destroyed resource");
  Session session(device, kTestKey, Session::Exchange::kNo);
  pitch = kPitchSentinel;
  if (has_row(device, DdiRow::kGetPitch)) {
    expect_hr(device.get_pitch(session.handle(), dead, 0, &pitch), E_INVALIDARG,
              "GetPitch of a destroyed resource");
  }
  // A new resource most likely reuses the slot: it must not answer to the old handle (A29).
  CreatedResource next(device, SurfaceDesc{});
  next.require_created("CreateResource after a destroy");
  require(next.handle() != dead, "a new resource's handle differs from a destroyed one (A29)",
          "the destroyed handle was handed out again");
  expect_hr(device.destroy_surface(dead), E_INVALIDARG,
            "DestroyResource of the stale handle after its slot was reused");
  expect_hr(next.destroy(), S_OK, "DestroyResource of the new resource");
  return pass();
}

Verdict resource_destroy_wrong_kind_or_foreign(Env& env) {
  Device& device = env.device();
  Device other(device.adapter());
  auto foreign = Surface::system_memory(other, 256);
  Session session(device, kTestKey, Session::Exchange::kNo);
  const struct {
    const char* name;
    HANDLE handle;
  } rows[] = {{"a null handle", nullptr},
              {"a garbage handle", kGarbageHandle},
              {"a session handle", session.handle()},
              {"the device handle", device.handle()},
              {"another device's resource", foreign->handle()}};
  for (const auto& row : rows) {
    expect_hr(device.destroy_surface(row.handle), E_INVALIDARG,
              std::string("DestroyResource of ") + row.name);
  }
  other.write_surface(foreign->handle(), Bytes(16, 1));  // still alive on its own device
  return pass();
}

Verdict resource_get_pitch_errors(Env& env) {
  Device& device = env.device();
  require_row(device, DdiRow::kGetPitch);
  Session session(device, kTestKey, Session::Exchange::kNo);
  auto protected_surface = Surface::small_protected(device);
  Device other(device.adapter());
  auto foreign = Surface::system_memory(other, 256);
  const struct {
    const char* name;
    HANDLE handle;
  } rows[] = {{"a null resource handle", nullptr},
              {"a garbage resource handle", kGarbageHandle},
              {"a session handle as resource", session.handle()},
              {"another device's resource", foreign->handle()}};
  for (const auto& row : rows) {
    UINT pitch = kPitchSentinel;
    const std::string what = std::string("GetPitch of ") + row.name;
    expect_hr(device.get_pitch(session.handle(), row.handle, 0, &pitch), E_INVALIDARG, what);
    require(pitch == kPitchSentinel, what + " writes no pitch", "pitch " + std::to_string(pitch));
  }
  UINT pitch = kPitchSentinel;
  expect_hr(device.get_pitch(session.handle(), protected_surface->handle(), 1, &pitch),
            E_INVALIDARG, "GetPitch of subresource 1");
  require(pitch == kPitchSentinel, "GetPitch of subresource 1 writes no pitch",
          "pitch " + std::to_string(pitch));
  if (device.has_argument_structs()) {
    expect_hr(device.call_with_null_arguments(DeviceEntry::kGetPitch), E_INVALIDARG,
              "GetPitch with a null argument struct");
  }
  return pass();
}

Verdict resource_protected_pool_exhaustion(Env& env) {
  const std::unique_ptr<Adapter> adapter = open_small_pool_adapter(env);
  Device device(*adapter);
  const std::vector<PoolSurface> held = fill_protected_pool(device);
  HRESULT hr = S_OK;
  device.create_surface(D3DDDIFMT_X8R8G8B8, 4, 4, D3DDDIPOOL_VIDEOMEMORY, true, &hr);
  expect_hr(hr, device.code(Refusal::kOutOfProtectedMemory),
            "CreateResource of even a 4×4 protected surface while the pool is full");
  const HANDLE plain =
      device.create_surface(D3DDDIFMT_X8R8G8B8, 256, 256, D3DDDIPOOL_VIDEOMEMORY, false, &hr);
  expect_hr(hr, S_OK, "CreateResource of an unprotected surface (not from the pool) meanwhile");
  expect_hr(device.destroy_surface(plain), S_OK, "DestroyResource of the unprotected surface");
  require(!held.empty(), "the pool holds at least one 16×4 protected surface", "none fitted");
  const PoolSurface& freed = held.front();
  expect_hr(device.destroy_surface(freed.handle), S_OK, "DestroyResource of a protected surface");
  const HANDLE again = device.create_surface(D3DDDIFMT_X8R8G8B8, freed.width, freed.height,
                                             D3DDDIPOOL_VIDEOMEMORY, true, &hr);
  if (again != nullptr) {
    device.destroy_surface(again);
  }
  expect_hr(hr, S_OK, "CreateResource of a protected surface of the size just freed");
  return pass();
}

Verdict resource_nv12_length(Env& env) {
  Device& device = env.device();
  Session session(device, kTestKey);
  Surface surface(device, D3DDDIFMT_NV12, 64, 32, D3DDDIPOOL_VIDEOMEMORY, true);
  UINT pitch = 0;
  expect_hr(device.get_pitch(session.handle(), surface.handle(), 0, &pitch), S_OK,
            "GetPitch of a protected NV12 64×32 surface");
  require(pitch >= 64 && pitch <= (1u << 20), "a pitch covering the 64-byte luma row",
          "pitch " + std::to_string(pitch));
  // A16: L = pitch × (32 luma + 16 chroma rows). A blt over exactly L bytes is accepted, one
  // block less is not.
  const std::size_t len = std::size_t{pitch} * 48;
  auto source = Surface::system_memory(device, static_cast<UINT>(len));
  Iv iv = session.next_iv();
  BltArgs blt{.source = source->handle(), .destination = surface.handle(),
              .size = static_cast<UINT>(len - 16), .iv = iv.data()};
  // A size short of the whole resource is a D3D9 argument: D3D11.1 blts name whole resources.
  HRESULT short_hr = S_OK;
  if (unless_ddi_lacks([&] {
        short_hr = session.decryption_blt(blt);
        return true;
      })) {
    expect_hr(short_hr, E_INVALIDARG, "DecryptionBlt of L − 16 bytes into NV12 (L = pitch × 48)");
  }
  blt.size = static_cast<UINT>(len);
  expect_hr(session.decryption_blt(blt), S_OK, "DecryptionBlt of L = pitch × 48 bytes into NV12");
  // And the frame that went in comes back out, before and after a refresh.
  const DWORD caps = device.caps_bits();
  if ((caps & D3DCPCAPS_ENCRYPTEDREADBACK) == 0) {
    return pass();
  }
  session.fetch_readback_key();
  for (std::uint32_t frame = 7; frame <= 8; ++frame) {
    const Bytes plain = pattern_bytes(len, frame);
    expect_hr(session.upload(surface, plain, session.app_key()), S_OK,
              "DecryptionBlt of an NV12 frame");
    const Bytes back = session.download(surface);
    require(back == plain, "the NV12 frame reads back (frame " + std::to_string(frame) + ")",
            first_difference(back, plain));
    if ((caps & D3DCPCAPS_FRESHENSESSIONKEY) == 0) {
      break;
    }
    if (frame == 7) {
      expect_hr(session.refresh(), S_OK, "a session-key refresh between the frames");
    }
  }
  return pass();
}

constexpr Case kCases[] = {
    {"resource.kinds",
     "every format × pool × protection (odd widths, padded rows) is created; GetPitch covers a "
     "row and equals Lock's pitch",
     "§4.4, §4.10", resource_kinds},
    {"resource.create-rejected",
     "CreateResource with a bad format, pool, size, surface list, MipLevels or SysMemPitch → "
     "E_INVALIDARG, no handle",
     "§4.10", resource_create_rejected},
    {"resource.create-bad-arguments",
     "CreateResource with a null struct or through a bad device handle → E_INVALIDARG",
     "§4.10", resource_create_bad_arguments},
    {"resource.caller-memory-in-place",
     "a pSysMem surface is used in place: Lock gives that memory, Lock and GetPitch its "
     "SysMemPitch",
     "§4.4, §4.10", resource_caller_memory_in_place},
    {"resource.protected-lock-refused",
     "Lock of a RestrictedContent surface → D3DDDIERR_INVALIDCALL, nothing mapped",
     "§4.10, A22", resource_protected_lock_refused},
    {"resource.lock-round-trip", "what one Lock writes the next Lock reads", "§4.10",
     resource_lock_round_trip},
    {"resource.lock-state",
     "Unlock without Lock, a double Lock and a double Unlock → D3DDDIERR_INVALIDCALL", "§4.10",
     resource_lock_state},
    {"resource.lock-bad-arguments",
     "Lock/Unlock with a null struct, bad handle or subresource → E_INVALIDARG", "§4.10",
     resource_lock_bad_arguments},
    {"resource.destroyed-handle-dead",
     "a destroyed resource handle → E_INVALIDARG everywhere, even after its slot is reused",
     "§4.10, A29", resource_destroyed_handle_dead},
    {"resource.destroy-wrong-kind-or-foreign",
     "DestroyResource of a non-resource or another device's resource → E_INVALIDARG", "§4.10",
     resource_destroy_wrong_kind_or_foreign},
    {"resource.get-pitch-errors",
     "GetPitch of a bad, foreign or non-resource handle or subresource → E_INVALIDARG, no pitch",
     "§4.4", resource_get_pitch_errors},
    {"resource.protected-pool-exhaustion",
     "past ProtectedMemorySize a protected surface → OUTOFHWPROTECTEDMEMORY until one is freed; "
     "unprotected ones still work",
     "§3, §4.10", resource_protected_pool_exhaustion},
    {"resource.nv12-length",
     "NV12: the pitch covers the luma row, L has the chroma rows; a frame round-trips", "§4.4, A16",
     resource_nv12_length},
};

}  // namespace

std::span<const Case> resource_cases() { return kCases; }

std::unique_ptr<Adapter> open_small_pool_adapter(Env& env) {
  if (!env.driver().can_open_with_options()) {
    skip("the driver exports no cpddi_open_adapter_with_options to make the protected pool "
         "small");
  }
  CPDDI_ADAPTER_OPTIONS options{};
  options.StructSize = sizeof options;
  options.ProtectedMemorySize = 64 * 1024;
  auto adapter = std::make_unique<Adapter>(env.driver(), &options);
  const ULONGLONG pool = adapter->caps().ProtectedMemorySize;
  if (pool == 0 || pool > (16u << 20)) {
    skip("the protected pool is not between 1 byte and 16 MiB with the option");
  }
  return adapter;
}

std::vector<PoolSurface> fill_protected_pool(const Device& device) {
  const ULONGLONG pool = device.adapter().caps().ProtectedMemorySize;
  std::vector<PoolSurface> made;
  for (const auto& [width, height] : {std::pair<UINT, UINT>{64, 64}, {16, 4}}) {
    // Each surface holds at least its pixels, so the pool is full after at most this many.
    const ULONGLONG most = pool / (std::size_t{width} * height * 4) + 1;
    HRESULT hr = S_OK;
    for (ULONGLONG i = 0; i <= most; ++i) {
      const HANDLE surface =
          device.create_surface(D3DDDIFMT_X8R8G8B8, width, height, D3DDDIPOOL_VIDEOMEMORY, true,
                                &hr);
      if (hr != S_OK) {
        break;
      }
      made.push_back({surface, width, height});
    }
    expect_hr(hr, device.code(Refusal::kOutOfProtectedMemory),
              "CreateResource of protected " + std::to_string(width) + "×" +
                  std::to_string(height) + " surfaces past ProtectedMemorySize (" +
                  std::to_string(pool) + " bytes)");
  }
  return made;
}

}  // namespace cpddi::conform
