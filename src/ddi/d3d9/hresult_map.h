#pragma once

#include "base/result.h"
#include "cpddi/d3dddi_types.h"

namespace cpddi::ddi::d3d9 {

// The D3D9 DDI's spelling of each failure (spec §2.2; a wrong-state call is INVALIDCALL here).
HRESULT to_hresult(Errc code);

// "S_OK", "D3DDDIERR_INVALIDCALL", … or "unknown HRESULT" (cpddi_hresult_name).
const char* hresult_name(HRESULT hr);

}  // namespace cpddi::ddi::d3d9
