#pragma once

// The CreateResource arguments of one surface, as the conform cases, the GoogleTest fixtures and
// the fuzz targets all build them. It owns the D3DDDI_SURFACEINFO that `args.pSurfList` points
// at, so it is neither copied nor moved; callers change `args` (e.g. a sentinel hResource)
// before the call as they need.

#include "cpddi/cpddi.h"

namespace cpddi::conform {

class SurfaceArgs {
 public:
  SurfaceArgs(D3DDDIFORMAT format, UINT width, UINT height, D3DDDI_POOL pool,
              bool restricted_content) {
    surface_.Width = width;
    surface_.Height = height;
    args.Format = format;
    args.Pool = pool;
    args.pSurfList = &surface_;
    args.SurfCount = 1;
    args.Flags.RestrictedContent = restricted_content ? 1 : 0;
  }
  SurfaceArgs(const SurfaceArgs&) = delete;
  SurfaceArgs& operator=(const SurfaceArgs&) = delete;

  D3DDDIARG_CREATERESOURCE args{};

 private:
  D3DDDI_SURFACEINFO surface_{};
};

}  // namespace cpddi::conform
