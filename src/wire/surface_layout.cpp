#include "wire/surface_layout.h"

namespace cpddi::wire {
namespace {

constexpr std::uint32_t fourcc(char a, char b, char c, char d) {
  return std::uint32_t{static_cast<std::uint8_t>(a)} |
         (std::uint32_t{static_cast<std::uint8_t>(b)} << 8) |
         (std::uint32_t{static_cast<std::uint8_t>(c)} << 16) |
         (std::uint32_t{static_cast<std::uint8_t>(d)} << 24);
}

// D3DDDIFORMAT values (include/cpddi/d3dddi_cp9.h; wire sees no Direct3D header).
constexpr std::uint32_t kD3dddiA8R8G8B8 = 21;
constexpr std::uint32_t kD3dddiX8R8G8B8 = 22;
constexpr std::uint32_t kD3dddiNv12 = fourcc('N', 'V', '1', '2');

}  // namespace

std::optional<SurfaceFormat> surface_format_from_d3dddi(std::uint32_t d3dddi_format) {
  switch (d3dddi_format) {
    case kD3dddiA8R8G8B8: return SurfaceFormat::kA8R8G8B8;
    case kD3dddiX8R8G8B8: return SurfaceFormat::kX8R8G8B8;
    case kD3dddiNv12: return SurfaceFormat::kNv12;
    default: return std::nullopt;
  }
}

std::uint32_t bytes_per_pixel(SurfaceFormat format) {
  switch (format) {
    case SurfaceFormat::kA8R8G8B8:
    case SurfaceFormat::kX8R8G8B8: return 4;
    case SurfaceFormat::kNv12: return 1;  // luma plane; chroma rows share the pitch
  }
  return 0;
}

std::uint32_t surface_rows(SurfaceFormat format, std::uint32_t height) {
  return format == SurfaceFormat::kNv12 ? height + height / 2 : height;
}

std::uint32_t surface_rows(std::uint32_t d3dddi_format, std::uint32_t height) {
  const std::optional<SurfaceFormat> format = surface_format_from_d3dddi(d3dddi_format);
  return format ? surface_rows(*format, height) : height;
}

}  // namespace cpddi::wire
