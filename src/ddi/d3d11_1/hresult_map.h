#pragma once

// The D3D11.1 front end's one Errc → HRESULT map (spec A41). Component overview: d3d11_1.h.

#include "base/result.h"
#include "cpddi/d3dddi_types.h"

namespace cpddi::ddi::d3d11_1 {

HRESULT to_hresult(Errc code);

}  // namespace cpddi::ddi::d3d11_1
