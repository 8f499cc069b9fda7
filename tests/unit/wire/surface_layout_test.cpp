// The surface layout both sides of the DDI compute (src/wire/surface_layout.h, spec A16): which
// D3DDDIFORMAT values name a supported format, bytes per pixel, and rows (NV12: ×3/2).
#include "wire/surface_layout.h"

#include <cstdint>

#include <gtest/gtest.h>

namespace cpddi::wire {
namespace {

constexpr std::uint32_t kNv12FourCc = 0x3231564E;  // MAKEFOURCC('N','V','1','2')

TEST(SurfaceLayoutTest, D3dddiFormatValuesMapToTheSupportedFormats) {
  EXPECT_EQ(surface_format_from_d3dddi(21), SurfaceFormat::kA8R8G8B8);
  EXPECT_EQ(surface_format_from_d3dddi(22), SurfaceFormat::kX8R8G8B8);
  EXPECT_EQ(surface_format_from_d3dddi(kNv12FourCc), SurfaceFormat::kNv12);
  for (std::uint32_t unsupported : {0u, 20u, 23u, 0x32315659u /* YV12 */, 0xFFFFFFFFu}) {
    EXPECT_EQ(surface_format_from_d3dddi(unsupported), std::nullopt) << unsupported;
  }
}

TEST(SurfaceLayoutTest, BytesPerPixelOfTheFirstPlane) {
  EXPECT_EQ(bytes_per_pixel(SurfaceFormat::kA8R8G8B8), 4u);
  EXPECT_EQ(bytes_per_pixel(SurfaceFormat::kX8R8G8B8), 4u);
  EXPECT_EQ(bytes_per_pixel(SurfaceFormat::kNv12), 1u);
}

TEST(SurfaceLayoutTest, Nv12AddsHalfTheHeightOfChromaRows) {
  EXPECT_EQ(surface_rows(SurfaceFormat::kNv12, 1080), 1620u);
  EXPECT_EQ(surface_rows(SurfaceFormat::kNv12, 2), 3u);
  EXPECT_EQ(surface_rows(SurfaceFormat::kX8R8G8B8, 1080), 1080u);
  EXPECT_EQ(surface_rows(kNv12FourCc, 2160), 3240u);
  EXPECT_EQ(surface_rows(22u, 7), 7u);
  EXPECT_EQ(surface_rows(0u, 7), 7u) << "an unsupported format counts as single-plane";
}

TEST(SurfaceLayoutTest, SurfaceBytesIsPitchTimesRowsWithoutOverflow) {
  EXPECT_EQ(surface_bytes(1920, 1620), 1920u * 1620u);
  EXPECT_EQ(surface_bytes(0xFFFFFFFFu, 0xFFFFFFFFu), 0xFFFFFFFFull * 0xFFFFFFFFull);
}

}  // namespace
}  // namespace cpddi::wire
