#pragma once

// Synthetic video for the demo: NV12 frames (a moving gradient with a frame-number stripe), so
// every frame differs and a wrong key or a misplaced byte shows as a mismatch.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cpddi::tool {

// Fills `out` (pitch × height luma rows, then pitch × height/2 interleaved CbCr rows).
void synthesize_nv12(std::vector<std::uint8_t>& out, std::uint32_t width, std::uint32_t height,
                     std::size_t pitch, std::uint32_t frame);

}  // namespace cpddi::tool
