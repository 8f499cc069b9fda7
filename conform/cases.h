#pragma once

// What the cases_*.cpp files share: the harness, the session model, and each topic's case table
// (concatenated in report order by all_cases(), conform.cpp).

#include <memory>
#include <span>
#include <vector>

#include "conform/conform.h"
#include "conform/harness.h"
#include "conform/session.h"

namespace cpddi::conform {

// A handle no driver hands out, for the bad-handle rows; and the value an output handle is preset
// to, so a case sees whether the driver wrote it.
inline const HANDLE kGarbageHandle = reinterpret_cast<HANDLE>(0xDEADBEEF);
inline const HANDLE kSentinelHandle = reinterpret_cast<HANDLE>(0x5A5A5A5A);

// The case tables of each topic (cases_*.cpp), concatenated by all_cases().
std::span<const Case> caps_cases();
std::span<const Case> session_cases();
std::span<const Case> resource_cases();
std::span<const Case> blt_cases();
std::span<const Case> refresh_cases();
std::span<const Case> threads_cases();
std::span<const Case> channel_cases();
std::span<const Case> error_callback_cases();

// ---- Shared by the protected-pool cases (cases_resource.cpp) ----

// An adapter whose protected pool is made small through cpddi_open_adapter_with_options; skips
// the case when the driver lacks it or still reports a pool above 16 MiB.
std::unique_ptr<Adapter> open_small_pool_adapter(Env& env);

struct PoolSurface {
  HANDLE handle;
  UINT width;
  UINT height;
};
// Fills the adapter's protected pool from `device` with protected X8R8G8B8 surfaces, 64×64 then
// 16×4, until CreateResource refuses one. Fails the case unless that refusal is
// D3DDDIERR_OUTOFHWPROTECTEDMEMORY and comes within ProtectedMemorySize. Returns what it made
// (the caller's to destroy; DestroyDevice does too).
std::vector<PoolSurface> fill_protected_pool(const Device& device);

}  // namespace cpddi::conform
