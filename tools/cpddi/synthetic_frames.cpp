#include "synthetic_frames.h"

namespace cpddi::tool {

void synthesize_nv12(std::vector<std::uint8_t>& out, std::uint32_t width, std::uint32_t height,
                     std::size_t pitch, std::uint32_t frame) {
  out.assign(pitch * (height + height / 2), 0);
  for (std::uint32_t y = 0; y < height; ++y) {
    std::uint8_t* row = out.data() + y * pitch;
    const bool stripe = (y / 16) % 64 == frame % 64;
    for (std::uint32_t x = 0; x < width; ++x) {
      row[x] = stripe ? 235 : static_cast<std::uint8_t>(16 + ((x + y + 3 * frame) % 220));
    }
  }
  for (std::uint32_t y = 0; y < height / 2; ++y) {
    std::uint8_t* row = out.data() + (height + y) * pitch;
    for (std::uint32_t x = 0; x + 1 < width; x += 2) {
      row[x] = static_cast<std::uint8_t>(128 + ((x / 2 + frame) % 64) - 32);  // Cb
      row[x + 1] = static_cast<std::uint8_t>(128 + ((y + 2 * frame) % 64) - 32);  // Cr
    }
  }
}

}  // namespace cpddi::tool
