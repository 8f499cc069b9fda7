#include "surface_decoder.h"

namespace cpddi::fuzz {

FuzzSurface create_fuzz_surface(const FuzzDevice& device, ByteReader& in,
                                std::uint32_t& live_resources, std::uint64_t& protected_in_use) {
  FuzzSurface out;
  constexpr D3DDDIFORMAT kFormats[] = {D3DDDIFMT_X8R8G8B8, D3DDDIFMT_A8R8G8B8, D3DDDIFMT_NV12};
  const std::uint8_t format_choice = in.u8();
  std::uint32_t format = kFormats[format_choice % 3];
  if (format_choice >= 250) {
    format = raw_enum(in.u32(), 30);  // D3DDDIFORMAT's range is 0..2^30-1 (NV12 is a FOURCC)
  }
  const std::uint8_t w = in.u8();
  const std::uint8_t h = in.u8();
  UINT width = w >= 250 ? 16385u - (w - 250) % 2 : w % 48;
  UINT height = h >= 250 ? 16385u - (h - 250) % 2 : h % 24;
  if (width > 64 && height > 2) {
    height = 2;  // keep the largest surface small (16384 × 2 × 4 bytes)
  }
  const std::uint8_t pool_choice = in.u8();
  std::uint32_t pool = pool_choice % 4 + 1;
  if (pool_choice >= 252) {
    pool = pool_choice % 2 == 0 ? 0 : 7;
  }
  const bool restricted = in.flag();
  const std::uint8_t memory_choice = in.u8();
  conform::SurfaceDesc desc;
  desc.format = format;
  desc.pool = pool;
  desc.width = width;
  desc.height = height;
  desc.restricted_content = restricted;
  if (memory_choice >= 240) {
    // Rare malformed descriptions: SurfCount, MipLevels, Depth.
    switch (memory_choice % 4) {
      case 0: desc.surface_count = 2; break;
      case 1: desc.mip_levels = 2; break;
      case 2: desc.depth = 2; break;
      default: desc.null_surface_list = true; break;
    }
  } else if (memory_choice % 2 == 1 && width <= 64) {
    // Caller memory: pitch around the row size, start possibly misaligned.
    const std::uint32_t row = width * (format == D3DDDIFMT_NV12 ? 1u : 4u);
    std::uint32_t pitch = row + in.u8() % 40;
    if (in.flag() && pitch >= 4) {
      pitch -= 4;  // possibly smaller than a row
    }
    const std::uint32_t offset = in.flag() ? in.u8() % 16 : 0;
    const std::size_t bytes = std::size_t{pitch} * (height + height / 2 + 1) + 16;
    out.memory = std::make_unique<std::uint8_t[]>(bytes + 64);
    auto base = reinterpret_cast<std::uintptr_t>(out.memory.get());
    base = (base + 63) / 64 * 64 + offset;
    desc.system_memory = reinterpret_cast<const void*>(base);
    desc.system_memory_pitch = pitch;
  }
  SurfaceModel model;
  const Expected expected =
      expect_create_resource(device.profile(), desc, live_resources, protected_in_use, &model);
  HANDLE handle = nullptr;
  const HRESULT hr = device.create_resource(desc, &handle);
  check_result("CreateResource", hr, documented::kCreateResource, expected);
  if (hr == S_OK) {
    out.handle = handle;
    out.model = model;
    ++live_resources;
    protected_in_use += protected_bytes(model);
  }
  return out;
}

Bytes expected_decryption(const Key& key, const Iv& iv, std::span<const std::uint8_t> source,
                          std::size_t len, const D3DDDIENCRYPTED_BLOCK_INFO* block_info) {
  const Bytes keystream = ctr(key, iv, Bytes(len, 0));
  // No block info: every byte is encrypted.
  const BlockMap map = block_info == nullptr
                           ? BlockMap{static_cast<std::uint32_t>(len), 0, 0}
                           : BlockMap{block_info->NumEncryptedBytesAtBeginning,
                                      block_info->NumBytesInSkipPattern,
                                      block_info->NumBytesInEncryptPattern};
  return apply_block_map(source.first(len), keystream, map);
}

}  // namespace cpddi::fuzz
