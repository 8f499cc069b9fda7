#pragma once

// Surfaces (resources): formats, pitches and layouts (spec A16), the Lock rules (spec §4.10, A22)
// and the adapter's protected-memory pool. Component overview: device.h.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "base/result.h"
#include "crypto/cleansing_allocator.h"
#include "device/work_queue.h"
#include "wire/surface_layout.h"

namespace cpddi::device {

using wire::SurfaceFormat;  // the formats and their row counts are wire/surface_layout.h
enum class Pool : std::uint8_t { kSystemMemory, kVideoMemory };

inline constexpr std::uint32_t kMaxSurfaceDimension = 16384;
inline constexpr std::uint32_t kPitchAlignment = 64;

struct SurfaceDesc {
  SurfaceFormat format = SurfaceFormat::kX8R8G8B8;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  Pool pool = Pool::kVideoMemory;
  bool restricted_content = false;  // may hold protected content: never locked (spec A22)
  // System-memory surfaces may live in the caller's memory (the runtime's pSysMem), which the
  // caller keeps alive until the resource dies; pitch then comes from the caller.
  std::uint8_t* caller_memory = nullptr;
  std::uint32_t caller_pitch = 0;
  // The caller memory belongs to an embedding host (docs/embedding.md) rather than to the D3D9
  // runtime's pSysMem: it may then also hold a protected or video-memory surface, which reserves
  // its bytes from the protected pool like any other.
  bool host_memory = false;
};

// Bytes of protected memory the adapter may hand out (caps' ProtectedMemorySize), shared by all
// its devices. Thread-safe.
class ProtectedPool {
 public:
  explicit ProtectedPool(std::uint64_t capacity) : capacity_(capacity) {}
  std::uint64_t capacity() const { return capacity_; }
  std::uint64_t in_use() const { return in_use_.load(); }
  bool try_reserve(std::uint64_t bytes);
  void release(std::uint64_t bytes);

 private:
  const std::uint64_t capacity_;
  std::atomic<std::uint64_t> in_use_{0};
};

// The bytes-per-row and row count of one surface layout (spec A16).
struct SurfaceLayout {
  std::uint32_t pitch = 0;
  std::uint32_t rows = 0;  // NV12: height luma rows + height/2 chroma rows
  // L: the bytes a blt processes, pitch × rows.
  std::uint64_t linear_size() const { return std::uint64_t{pitch} * rows; }
};

Result<SurfaceLayout> layout_for(const SurfaceDesc& desc);

class Resource {
 public:
  static Result<std::shared_ptr<Resource>> create(const SurfaceDesc& desc,
                                                   std::shared_ptr<ProtectedPool> pool);
  ~Resource();
  Resource(const Resource&) = delete;
  Resource& operator=(const Resource&) = delete;

  const SurfaceDesc& desc() const { return desc_; }
  const SurfaceLayout& layout() const { return layout_; }
  bool is_protected() const { return desc_.restricted_content; }
  bool in_system_memory() const { return desc_.pool == Pool::kSystemMemory; }
  // Bytes addressable at data(): at least layout().linear_size().
  std::size_t size() const { return size_; }
  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }

  // CPU access (spec §4.10): protected surfaces are never mapped.
  Result<std::uint8_t*> lock();
  Result<void> unlock();
  bool locked() const { return locked_; }

  // The fence of the newest queued work that reads or writes this surface (Device::submit).
  Fence last_use() const { return last_use_; }
  void used_by(Fence fence) { last_use_ = std::max(last_use_, fence); }

 private:
  Resource(const SurfaceDesc& desc, const SurfaceLayout& layout);

  SurfaceDesc desc_;
  SurfaceLayout layout_;
  crypto::SecureBuffer owned_;  // wiped when the surface dies
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::shared_ptr<ProtectedPool> pool_;  // set while it holds a reservation
  bool locked_ = false;
  Fence last_use_ = 0;
};

}  // namespace cpddi::device
