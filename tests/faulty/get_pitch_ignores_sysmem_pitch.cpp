// Fault: GetPitch of a system-memory surface the caller supplied (pSysMem, SysMemPitch) reports
// the pitch the driver would have chosen for a surface of its own (the row rounded up to 64
// bytes) instead of the caller's SysMemPitch, which Lock and the blts use.
// Broken rule: resource.caller-memory-in-place (spec §4.4: GetPitch gives the surface's bytes per
// row; §4.10: a pSysMem surface is the caller's memory, laid out with its SysMemPitch).
//
// For every pSysMem surface GetPitch (after the real one succeeds) reports the rounded row
// (pitch_override.h). A caller pitch that equals the rounded row (e.g. 64 pixels of 4 bytes,
// 256) hides the fault.
#include "pitch_override.h"

namespace faulty {
namespace {

std::optional<UINT> own_pitch_if_caller_memory(const D3DDDIARG_CREATERESOURCE& args) {
  if (args.pSurfList[0].pSysMem == nullptr) {
    return std::nullopt;
  }
  return (unpadded_row(args) + 63) / 64 * 64;
}

}  // namespace

void patch_device_funcs(D3DDDI_DEVICEFUNCS& funcs) {
  override_get_pitch(funcs, &own_pitch_if_caller_memory);
}

}  // namespace faulty
