#pragma once

// Faulty D3D11.1 drivers — the shared half (issue 12 item 5). Each libfaulty_d3d11_<rule>.so is
// the real cpddi driver seen through its D3D11.1 entry, cpddi_d3d11_1_open_adapter (its only
// export), with ONE front-end-specific behaviour broken: how a void entry reports through the
// runtime's pfnSetErrorCb. The wrapper stands between the real driver and the runtime's
// callback, so a fault sees every report the real entry makes and may add or rewrite one; the
// video table the real RetrieveSubObject(2) fills gets the slots the fault's own source
// replaces in patch_video_funcs(). (The WDDM 2.0 table, ID 3, is left as the real driver fills
// it: the faults are in slots both tables share, and conform calls them through ID 2.)

#include <cstddef>

#include "cpddi/cpddi.h"

namespace faulty11 {

// The real driver's video table, as its RetrieveSubObject(2) filled it.
const D3D11_1DDI_VIDEODEVICEFUNCS& real_video();

// Supplied by each fault: replace slots of a table the real RetrieveSubObject(2) just filled.
void patch_video_funcs(D3D11_1DDI_VIDEODEVICEFUNCS& funcs);

// How many reports the device has passed to the runtime's pfnSetErrorCb so far.
std::size_t reports(D3D10DDI_HDEVICE hDevice);
// Passes `hr` to the runtime's pfnSetErrorCb of `hDevice`, as a driver's report.
void report(D3D10DDI_HDEVICE hDevice, HRESULT hr);

// While one lives (on this thread), every report the real driver makes goes through `rewrite`.
class ReportRewrite {
 public:
  explicit ReportRewrite(HRESULT (*rewrite)(HRESULT));
  ~ReportRewrite();
  ReportRewrite(const ReportRewrite&) = delete;
  ReportRewrite& operator=(const ReportRewrite&) = delete;
};

}  // namespace faulty11
