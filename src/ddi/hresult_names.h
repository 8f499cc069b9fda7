#pragma once

#include "cpddi/d3dddi_types.h"

namespace cpddi {

// The name of every HRESULT cpddi's headers define ("S_OK", "D3DDDIERR_INVALIDCALL", …), or null
// for any other value. Shared by cpddi_hresult_name and the conformance cases, which must name
// the codes of drivers other than cpddi without depending on cpddi's driver.
const char* known_hresult_name(HRESULT hr);

}  // namespace cpddi
