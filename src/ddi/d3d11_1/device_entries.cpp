// RetrieveSubObject (spec §8.1, A38) and the compact device table: resources (issue 12 item 2),
// Flush and DestroyDevice. Resources are named by their private memory like every D3D11.1
// object; their bytes live in cpddi (or, for staging resources, in cpddi's allocation too: the
// compact CreateResource takes no initial data).
#include "ddi/d3d11_1/d3d11_1.h"
#include "ddi/d3d11_1/handles.h"
#include "ddi/enum_value.h"
#include "runtime/runtime.h"

namespace cpddi::ddi::d3d11_1 {
namespace {

// As CalcPrivateDeviceSize: an address is all cpddi needs.
constexpr SIZE_T kPrivateResourceSize = 16;

Result<device::SurfaceDesc> translate(const CPDDI_D3D11_1_CREATERESOURCE& args) {
  device::SurfaceDesc desc;
  switch (enum_value(args.Format)) {
    case CPDDI_D3D11_1_FORMAT_B8G8R8A8_UNORM: desc.format = wire::SurfaceFormat::kA8R8G8B8; break;
    case CPDDI_D3D11_1_FORMAT_B8G8R8X8_UNORM: desc.format = wire::SurfaceFormat::kX8R8G8B8; break;
    case CPDDI_D3D11_1_FORMAT_NV12: desc.format = wire::SurfaceFormat::kNv12; break;
    default: return Error{Errc::kInvalidArgument, "unsupported format (B8G8R8A8, B8G8R8X8, NV12)"};
  }
  switch (enum_value(args.Usage)) {
    case CPDDI_D3D11_1_USAGE_DEFAULT: desc.pool = device::Pool::kVideoMemory; break;
    case CPDDI_D3D11_1_USAGE_STAGING: desc.pool = device::Pool::kSystemMemory; break;
    default: return Error{Errc::kInvalidArgument, "Usage must be DEFAULT or STAGING"};
  }
  if ((args.MiscFlags & ~UINT{D3D11_1DDI_RESOURCE_MISC_RESTRICTED_CONTENT}) != 0) {
    return Error{Errc::kInvalidArgument, "MiscFlags may hold only RESTRICTED_CONTENT"};
  }
  desc.restricted_content = (args.MiscFlags & D3D11_1DDI_RESOURCE_MISC_RESTRICTED_CONTENT) != 0;
  desc.width = args.Width;
  desc.height = args.Height;
  return desc;
}

// Writes the table `Input` names; the size and NULL checks of spec A38 come first.
template <class Input, class Output, class Table>
Result<void> fill_retrieved(SIZE_T param_size, void* params, SIZE_T output_size, void* output,
                            Table* Input::*table) {
  if (params == nullptr || output == nullptr || param_size != sizeof(Input) ||
      output_size != sizeof(Output)) {
    return Error{Errc::kInvalidArgument,
                 "ParamSize/OutputParamSize differ from the ID's structs, or a pointer is null"};
  }
  Table* funcs = static_cast<Input*>(params)->*table;
  if (funcs == nullptr) {
    return Error{Errc::kInvalidArgument, "the input's table pointer is null"};
  }
  fill_video_funcs(*funcs);  // Relocate is ignored: the table is filled where it is (A38)
  return {};
}

}  // namespace

HRESULT APIENTRY RetrieveSubObject(D3D10DDI_HDEVICE hDevice, UINT32 SubDeviceID,
                                   SIZE_T ParamSize, void* pParams, SIZE_T OutputParamSize,
                                   void* pOutputParamsBuffer) noexcept {
  return run_d3d11_entry("RetrieveSubObject", [&]() -> Result<void> {
    if (Result<std::shared_ptr<const runtime::AdapterCaps>> live =
            runtime::process_runtime().device_caps(named(hDevice));
        !live) {
      return live.error();
    }
    switch (SubDeviceID) {
      case D3D11_1DDI_VIDEO_FUNCTIONS:
        return fill_retrieved<D3D11_1DDI_VIDEO_INPUT, D3D11_1DDI_VIDEO_OUTPUT>(
            ParamSize, pParams, OutputParamSize, pOutputParamsBuffer,
            &D3D11_1DDI_VIDEO_INPUT::p11VideoDeviceFuncs);
      case D3DWDDM2_0DDI_VIDEO_FUNCTIONS:
        return fill_retrieved<D3DWDDM2_0DDI_VIDEO_INPUT, D3DWDDM2_0DDI_VIDEO_OUTPUT>(
            ParamSize, pParams, OutputParamSize, pOutputParamsBuffer,
            &D3DWDDM2_0DDI_VIDEO_INPUT::pWDDM2_0VideoDeviceFuncs);
      default:
        return Error{Errc::kInvalidArgument,
                     "cpddi hands out only the D3D11.1 (2) and WDDM 2.0 (3) video tables"};
    }
  });
}

SIZE_T APIENTRY CalcPrivateResourceSize(D3D10DDI_HDEVICE,
                                        const CPDDI_D3D11_1_CREATERESOURCE*) noexcept {
  return kPrivateResourceSize;
}

HRESULT APIENTRY CreateResource(D3D10DDI_HDEVICE hDevice,
                                const CPDDI_D3D11_1_CREATERESOURCE* pCreate,
                                D3D10DDI_HRESOURCE hResource) noexcept {
  return run_d3d11_entry("CreateResource", [&]() -> Result<void> {
    if (pCreate == nullptr) {
      return Error{Errc::kInvalidArgument, "null CPDDI_D3D11_1_CREATERESOURCE"};
    }
    Result<device::SurfaceDesc> desc = translate(*pCreate);
    if (!desc) {
      return desc.error();
    }
    Result<runtime::Handle> created = runtime::process_runtime().create_resource(
        named(hDevice), *desc, key_of(hResource.pDrvPrivate));
    if (!created) {
      return created.error();
    }
    return {};
  });
}

HRESULT APIENTRY DestroyResource(D3D10DDI_HDEVICE hDevice, D3D10DDI_HRESOURCE hResource) noexcept {
  return run_d3d11_entry("DestroyResource", [&] {
    return runtime::process_runtime().destroy_resource(named(hDevice), named(hResource));
  });
}

HRESULT APIENTRY ResourceMap(D3D10DDI_HDEVICE hDevice, D3D10DDI_HRESOURCE hResource,
                             UINT Subresource, UINT Flags,
                             D3D10DDI_MAPPED_SUBRESOURCE* pMapped) noexcept {
  return run_d3d11_entry("ResourceMap", [&]() -> Result<void> {
    if (pMapped == nullptr) {
      return Error{Errc::kInvalidArgument, "null pMapped"};
    }
    if ((Flags & ~UINT{D3D10_DDI_MAP_FLAG_DONOTWAIT}) != 0) {
      return Error{Errc::kInvalidArgument, "Flags may hold only D3D10_DDI_MAP_FLAG_DONOTWAIT"};
    }
    runtime::LockRequest lock;
    lock.surface = {named(hResource), Subresource};
    lock.do_not_wait = Flags != 0;
    Result<runtime::MappedSurface> mapped = runtime::process_runtime().lock(named(hDevice), lock);
    if (!mapped) {
      return mapped.error();
    }
    pMapped->pData = mapped->data;
    pMapped->RowPitch = mapped->pitch;
    pMapped->DepthPitch = static_cast<UINT>(mapped->slice_pitch);
    return {};
  });
}

HRESULT APIENTRY ResourceUnmap(D3D10DDI_HDEVICE hDevice, D3D10DDI_HRESOURCE hResource,
                               UINT Subresource) noexcept {
  return run_d3d11_entry("ResourceUnmap", [&] {
    return runtime::process_runtime().unlock(named(hDevice), {named(hResource), Subresource});
  });
}

HRESULT APIENTRY Flush(D3D10DDI_HDEVICE hDevice) noexcept {
  return run_d3d11_entry("Flush", [&] { return runtime::process_runtime().flush(named(hDevice)); });
}

HRESULT APIENTRY DestroyDevice(D3D10DDI_HDEVICE hDevice) noexcept {
  return run_d3d11_entry("DestroyDevice", [&] { return unregister_device(hDevice); });
}

}  // namespace cpddi::ddi::d3d11_1
