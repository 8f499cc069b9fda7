#include "surface_decoder.h"

#include <algorithm>
#include <cstring>

namespace cpddi::fuzz {

FuzzSurface create_fuzz_surface(const ScopedDevice& device, ByteReader& in,
                                std::uint32_t& live_resources, std::uint64_t& protected_in_use) {
  FuzzSurface out;
  constexpr D3DDDIFORMAT kFormats[] = {D3DDDIFMT_X8R8G8B8, D3DDDIFMT_A8R8G8B8, D3DDDIFMT_NV12};
  const std::uint8_t format_choice = in.u8();
  std::uint32_t format = kFormats[format_choice % 3];
  if (format_choice >= 250) {
    format = raw_enum(in.u32(), 30);  // D3DDDIFORMAT's range is 0..2^30-1 (NV12 is a FOURCC)
  }
  D3DDDI_SURFACEINFO info{};
  const std::uint8_t w = in.u8();
  const std::uint8_t h = in.u8();
  info.Width = w >= 250 ? 16385u - (w - 250) % 2 : w % 48;
  info.Height = h >= 250 ? 16385u - (h - 250) % 2 : h % 24;
  if (info.Width > 64 && info.Height > 2) {
    info.Height = 2;  // keep the largest surface small (16384 × 2 × 4 bytes)
  }
  const std::uint8_t pool_choice = in.u8();
  std::uint32_t pool = pool_choice % 4 + 1;
  if (pool_choice >= 252) {
    pool = pool_choice % 2 == 0 ? 0 : 7;
  }
  const bool restricted = in.flag();
  const std::uint8_t memory_choice = in.u8();
  D3DDDIARG_CREATERESOURCE args{};
  std::memcpy(&args.Format, &format, sizeof format);  // a C caller's raw value
  std::memcpy(&args.Pool, &pool, sizeof pool);
  args.pSurfList = &info;
  args.SurfCount = 1;
  args.Flags.RestrictedContent = restricted ? 1 : 0;
  if (memory_choice >= 240) {
    // Rare malformed descriptions: SurfCount, MipLevels, Depth.
    switch (memory_choice % 4) {
      case 0: args.SurfCount = 2; break;
      case 1: args.MipLevels = 2; break;
      case 2: info.Depth = 2; break;
      default: args.pSurfList = nullptr; break;
    }
  } else if (memory_choice % 2 == 1 && info.Width <= 64) {
    // Caller memory: pitch around the row size, start possibly misaligned.
    const std::uint32_t row = info.Width * (format == D3DDDIFMT_NV12 ? 1u : 4u);
    std::uint32_t pitch = row + in.u8() % 40;
    if (in.flag() && pitch >= 4) {
      pitch -= 4;  // possibly smaller than a row
    }
    const std::uint32_t offset = in.flag() ? in.u8() % 16 : 0;
    const std::size_t bytes = std::size_t{pitch} * (info.Height + info.Height / 2 + 1) + 16;
    out.memory = std::make_unique<std::uint8_t[]>(bytes + 64);
    auto base = reinterpret_cast<std::uintptr_t>(out.memory.get());
    base = (base + 63) / 64 * 64 + offset;
    info.pSysMem = reinterpret_cast<const void*>(base);
    info.SysMemPitch = pitch;
  }
  SurfaceModel model;
  const Expected expected =
      expect_create_resource(device.adapter(), args, live_resources, protected_in_use, &model);
  const HRESULT hr = device.funcs().pfnCreateResource(device.handle(), &args);
  check_result("CreateResource", hr, documented::kCreateResource, expected);
  if (hr == S_OK) {
    out.handle = args.hResource;
    out.model = model;
    ++live_resources;
    protected_in_use += protected_bytes(model);
  }
  return out;
}

Bytes expected_decryption(const Key& key, const Iv& iv, std::span<const std::uint8_t> source,
                          std::size_t len, const D3DDDIENCRYPTED_BLOCK_INFO* block_info) {
  const Bytes zeros(len, 0);
  const Bytes keystream = ctr(key, iv, zeros);
  Bytes out(source.begin(), source.begin() + static_cast<std::ptrdiff_t>(len));
  std::size_t pos = 0;
  std::size_t used = 0;  // keystream bytes consumed: it runs on across clear gaps (§7.4)
  auto encrypted = [&](std::uint64_t n) {
    for (std::uint64_t i = 0; i < n && pos < len; ++i) {
      out[pos++] ^= keystream[used++];
    }
  };
  auto clear = [&](std::uint64_t n) { pos += static_cast<std::size_t>(std::min<std::uint64_t>(n, len - pos)); };
  if (block_info == nullptr) {
    encrypted(len);
    return out;
  }
  encrypted(block_info->NumEncryptedBytesAtBeginning);
  if (block_info->NumBytesInEncryptPattern == 0) {
    return out;  // the rest is clear
  }
  if (block_info->NumBytesInSkipPattern == 0) {
    encrypted(len);
    return out;
  }
  while (pos < len) {
    clear(block_info->NumBytesInSkipPattern);
    encrypted(block_info->NumBytesInEncryptPattern);
  }
  return out;
}

Bytes read_back(const ScopedDevice& device, HANDLE session, const Key& session_key,
                HANDLE surface, std::size_t len, const Key* readback_key) {
  const Adapter& a = device.adapter();
  Key key = readback_key != nullptr ? *readback_key : session_key;
  if (readback_key == nullptr && a.has(D3DCPCAPS_ENCRYPTEDREADBACKKEY)) {
    Key wrapped{};
    D3DDDIARG_GETENCRYPTIONBLTKEY key_args{session, wrapped.data(), 16};
    if (HRESULT hr = device.funcs().pfnGetEncryptionBltKey(device.handle(), &key_args);
        hr != S_OK) {
      violation("read-back: GetEncryptionBltKey returned %s", cpddi_hresult_name(hr));
    }
    key = ecb_unwrap(session_key, wrapped);
  }
  const std::size_t padded = static_cast<std::size_t>(align16(len));
  const UINT rows = static_cast<UINT>((padded + 255) / 256);
  HANDLE destination = device.create_surface(D3DDDIFMT_X8R8G8B8, 64, rows == 0 ? 1 : rows,
                                             D3DDDIPOOL_SYSTEMMEM, false);
  Iv iv{};
  D3DDDIARG_ENCRYPTIONBLT args{};
  args.hCryptoSession = session;
  args.hSrcResource = surface;
  args.hDstResource = destination;
  args.DstResourceSize = static_cast<UINT>(padded);
  args.pIV = iv.data();
  if (HRESULT hr = device.funcs().pfnEncryptionBlt(device.handle(), &args); hr != S_OK) {
    violation("read-back: EncryptionBlt returned %s", cpddi_hresult_name(hr));
  }
  Bytes plain = ctr(key, iv, device.read_surface(destination, padded));
  plain.resize(len);
  device.destroy_surface(destination);
  return plain;
}

HANDLE upload(const ScopedDevice& device, HANDLE session, const Key& key, std::uint64_t iv,
              std::span<const std::uint8_t> plain) {
  HANDLE destination =
      device.create_surface(D3DDDIFMT_X8R8G8B8, 16, 2, D3DDDIPOOL_VIDEOMEMORY, true);
  HANDLE source = device.create_surface(D3DDDIFMT_X8R8G8B8, 16, 2, D3DDDIPOOL_SYSTEMMEM, false);
  Iv counter_block = make_iv(iv);
  device.write_surface(source, ctr(key, counter_block, plain));
  D3DDDIARG_DECRYPTIONBLT args{};
  args.hCryptoSession = session;
  args.hSrcResource = source;
  args.hDstResource = destination;
  args.SrcResourceSize = kUploadBytes;
  args.pIV = counter_block.data();
  if (HRESULT hr = device.funcs().pfnDecryptionBlt(device.handle(), &args); hr != S_OK) {
    violation("upload: DecryptionBlt returned %s", cpddi_hresult_name(hr));
  }
  device.destroy_surface(source);
  return destination;
}

}  // namespace cpddi::fuzz
