#pragma once

// The surface formats cpddi supports and how many bytes a blt processes on each (spec A16):
// L = pitch × rows, rows = height for single-plane formats and height + height/2 for NV12 (the
// interleaved chroma plane shares the luma pitch). Component overview: wire.h.

#include <cstdint>
#include <optional>

namespace cpddi::wire {

enum class SurfaceFormat : std::uint8_t { kA8R8G8B8, kX8R8G8B8, kNv12 };

// The format a D3DDDIFORMAT value names (A8R8G8B8 = 21, X8R8G8B8 = 22, NV12 = FOURCC 'NV12');
// nullopt for every format cpddi does not support.
std::optional<SurfaceFormat> surface_format_from_d3dddi(std::uint32_t d3dddi_format);

// Bytes per pixel of the first (NV12: luma) plane: what one row needs before pitch padding.
std::uint32_t bytes_per_pixel(SurfaceFormat format);

// Rows a blt processes: height, plus height/2 chroma rows for NV12.
std::uint32_t surface_rows(SurfaceFormat format, std::uint32_t height);
// The same for a D3DDDIFORMAT value, for clients that speak the C ABI (an unsupported format
// counts as single-plane: the driver rejects it anyway).
std::uint32_t surface_rows(std::uint32_t d3dddi_format, std::uint32_t height);

// L: the bytes a blt processes on a surface with this pitch (GetPitch) and height.
inline std::uint64_t surface_bytes(std::uint32_t pitch, std::uint32_t rows) {
  return std::uint64_t{pitch} * rows;
}

}  // namespace cpddi::wire
