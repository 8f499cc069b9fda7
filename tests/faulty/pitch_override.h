#pragma once

// Shared by the GetPitch faults: for the resources a fault picks when they are created, GetPitch
// reports a pitch the fault chose instead of the real one (after the real GetPitch succeeds, so
// every error stays the real driver's); every other call is the real driver's.

#include <optional>

#include "wrapper_common.h"

namespace faulty {

// The pitch GetPitch reports for a resource just created with `args`; nullopt keeps the real one.
using PitchChooser = std::optional<UINT> (*)(const D3DDDIARG_CREATERESOURCE& args);

// Patches CreateResource, DestroyResource and GetPitch of `funcs` to apply `choose`.
void override_get_pitch(D3DDDI_DEVICEFUNCS& funcs, PitchChooser choose);

// Bytes in one row of the first plane, before padding: what a driver must pad up to its pitch.
UINT unpadded_row(const D3DDDIARG_CREATERESOURCE& args);

}  // namespace faulty
