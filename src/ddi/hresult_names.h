#pragma once

// The names of the HRESULTs the C ABI defines: ABI vocabulary shared by every front end and by
// clients of the C ABI (conform/), so it lives with the DDI glue, not in base/.

#include "cpddi/d3dddi_types.h"

namespace cpddi::ddi {

// The name of every HRESULT cpddi's headers define ("S_OK", "D3DDDIERR_INVALIDCALL", …), or null
// for any other value. Shared by cpddi_hresult_name and the conformance cases, which must name
// the codes of drivers other than cpddi without depending on cpddi's driver.
const char* known_hresult_name(HRESULT hr);

}  // namespace cpddi::ddi
