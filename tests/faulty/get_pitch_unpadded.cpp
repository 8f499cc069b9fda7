// Fault: GetPitch of a protected surface reports the unpadded row (width × bytes per pixel) while
// the blts use the real padded pitch, so L = GetPitch × rows is short for any width whose row
// needs padding.
// Broken rule: decrypt.formats-round-trip (spec §4.4, A16: L = GetPitch(subresource) × rows).
//
// For a RestrictedContent surface GetPitch (after the real one succeeds) reports the row without
// padding (pitch_override.h). Widths whose row is already a multiple of the real alignment are
// unaffected, as are unprotected surfaces (where Lock's pitch would give the fault away).
#include "pitch_override.h"

namespace faulty {
namespace {

std::optional<UINT> unpadded_if_protected(const D3DDDIARG_CREATERESOURCE& args) {
  if (!args.Flags.RestrictedContent) {
    return std::nullopt;
  }
  return unpadded_row(args);
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  override_get_pitch(funcs, &unpadded_if_protected);
}

}  // namespace faulty
