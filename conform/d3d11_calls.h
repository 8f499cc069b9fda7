#pragma once

// What the D3D11.1 front end's two halves share (d3d11_front_end.cpp: the adapter calls and the
// FrontEnd; d3d11_device_calls.cpp: the device calls): the HANDLE maps, the judgement of a void
// entry's pfnSetErrorCb reports, and the refusal of a D3D9-only argument form. Private to
// conform/.

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "conform/check.h"
#include "conform/d3d11_runtime.h"
#include "conform/driver_api.h"

namespace cpddi::conform {

// HANDLE → the private memory of a live object, per kind. One per front end: a case may name a
// session of one device through another (that is a rule under test), and threads share it.
class D3d11Handles {
 public:
  enum class Kind { kSession, kResource, kChannel };

  void* find(Kind kind, HANDLE handle) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto& map = maps_[static_cast<int>(kind)];
    const auto it = map.find(handle);
    // Unknown: the value itself, which names no live private memory (d3d11_front_end.h).
    return it != map.end() ? it->second : handle;
  }
  void add(Kind kind, HANDLE handle, void* memory) {
    const std::lock_guard<std::mutex> lock(mutex_);
    maps_[static_cast<int>(kind)][handle] = memory;
  }
  void erase(Kind kind, HANDLE handle) {
    const std::lock_guard<std::mutex> lock(mutex_);
    maps_[static_cast<int>(kind)].erase(handle);
  }
  // The description a resource was created with (for get_pitch's staging twin).
  void add_shape(HANDLE resource, const SurfaceDesc& desc) {
    const std::lock_guard<std::mutex> lock(mutex_);
    shapes_[resource] = desc;
  }
  std::optional<SurfaceDesc> shape(HANDLE resource) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = shapes_.find(resource);
    return it != shapes_.end() ? std::optional<SurfaceDesc>(it->second) : std::nullopt;
  }
  // A resource handle of this front end's own: never a pointer conform or the driver made.
  HANDLE next_resource_handle() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return reinterpret_cast<HANDLE>(kResourceHandleBase + 16 * ++resources_made_);
  }

 private:
  static constexpr std::uintptr_t kResourceHandleBase = 0x7E000000u;
  std::mutex mutex_;
  std::array<std::map<HANDLE, void*>, 3> maps_;
  std::map<HANDLE, SurfaceDesc> shapes_;
  std::uintptr_t resources_made_ = 0;
};

// A void entry's answer (the first report, or S_OK), after judging what it reported against spec
// §8.5 and A30: at most one report per call, never S_OK, and only E_INVALIDARG (misuse),
// E_OUTOFMEMORY or D3DDDIERR_DEVICEREMOVED (the AllowOutOfMemory category) — the D3D9-only codes
// never (A41). A breach fails whatever case made the call.
template <class Call>
HRESULT judged_void_call(D3d11Device& device, const std::string& entry, Call&& body) {
  const std::size_t before = device.errors().size();
  const HRESULT hr = body();
  const std::vector<ReportedError>& record = device.errors();
  std::string reports;
  for (std::size_t i = before; i < record.size(); ++i) {
    reports += (reports.empty() ? "" : ", ") + hr_text(record[i].hr);
  }
  require(record.size() - before <= 1,
          entry + " reports through pfnSetErrorCb at most once per call (spec §8.5, A30)",
          std::to_string(record.size() - before) + " reports: " + reports);
  if (record.size() > before) {
    const HRESULT reported = record[before].hr;
    require(reported != S_OK, entry + " never reports S_OK through pfnSetErrorCb (spec §8.5)",
            "a report of S_OK");
    require(reported == E_INVALIDARG || reported == E_OUTOFMEMORY ||
                reported == D3DDDIERR_DEVICEREMOVED,
            entry + " reports only E_INVALIDARG, E_OUTOFMEMORY or D3DDDIERR_DEVICEREMOVED "
                    "(spec §8.5, A30, A41)",
            hr_text(reported));
  }
  return hr;
}

// Throws DdiLacksRow "the d3d11 front end: <what>": an argument form D3D11.1 cannot express.
[[noreturn]] void not_in_d3d11(const std::string& what);

// The calls on device handle `target` through `device`'s tables (null `device`: CreateDevice
// failed, and every call fails the case).
std::unique_ptr<DeviceCalls> make_d3d11_device_calls(std::shared_ptr<D3d11Device> device,
                                                     std::shared_ptr<D3d11Handles> handles,
                                                     HANDLE target);

}  // namespace cpddi::conform
