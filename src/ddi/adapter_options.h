#pragma once

// CPDDI_ADAPTER_OPTIONS → the runtime's AdapterConfig and an open adapter, for every front end's
// open-adapter entry: every zero field means the default (docs/behaviour.md). Component
// overview: ddi.h.

#include "base/result.h"
#include "cpddi/cpddi.h"
#include "runtime/arguments.h"

namespace cpddi::ddi {

// What every front end's open-adapter entry reports as DriverVersion.
inline constexpr UINT kDriverVersion =
    (CPDDI_VERSION_MAJOR << 16) | (CPDDI_VERSION_MINOR << 8) | CPDDI_VERSION_PATCH;

// Null `options` = all defaults. kInvalidArgument for a wrong StructSize or an unknown enum value;
// the runtime checks the rest (DisabledCaps, BltThreadsPerDevice) when it opens the adapter.
Result<runtime::AdapterConfig> adapter_config(const CPDDI_ADAPTER_OPTIONS* options);

// Opens an adapter of the process runtime with `options` (null = defaults): adapter_config's
// errors, then the runtime's.
Result<runtime::Handle> open_runtime_adapter(const CPDDI_ADAPTER_OPTIONS* options);

}  // namespace cpddi::ddi
