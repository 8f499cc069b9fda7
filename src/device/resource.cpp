#include "device/resource.h"

#include <new>

#include "base/align.h"

namespace cpddi::device {
bool ProtectedPool::try_reserve(std::uint64_t bytes) {
  std::uint64_t used = in_use_.load();
  do {
    if (bytes > capacity_ - used) {
      return false;
    }
  } while (!in_use_.compare_exchange_weak(used, used + bytes));
  return true;
}

void ProtectedPool::release(std::uint64_t bytes) { in_use_.fetch_sub(bytes); }

Result<SurfaceLayout> layout_for(const SurfaceDesc& desc) {
  if (desc.width == 0 || desc.height == 0 || desc.width > kMaxSurfaceDimension ||
      desc.height > kMaxSurfaceDimension) {
    return Error{Errc::kInvalidArgument, "surface width and height must be 1 to 16384"};
  }
  SurfaceLayout layout;
  if (desc.format == SurfaceFormat::kNv12 && (desc.width % 2 != 0 || desc.height % 2 != 0)) {
    return Error{Errc::kInvalidArgument, "NV12 surfaces need an even width and height"};
  }
  layout.rows = wire::surface_rows(desc.format, desc.height);
  const std::uint64_t row_bytes = std::uint64_t{desc.width} * wire::bytes_per_pixel(desc.format);
  if (desc.caller_memory != nullptr) {
    if (desc.caller_pitch < row_bytes) {
      return Error{Errc::kInvalidArgument, "SysMemPitch is smaller than one row of the surface"};
    }
    layout.pitch = desc.caller_pitch;
  } else {
    layout.pitch = static_cast<std::uint32_t>(align_up(row_bytes, kPitchAlignment));
  }
  return layout;
}

Resource::Resource(const SurfaceDesc& desc, const SurfaceLayout& layout)
    : desc_(desc), layout_(layout) {}

Resource::~Resource() {
  if (pool_) {
    pool_->release(size_);
  }
}

Result<std::shared_ptr<Resource>> Resource::create(const SurfaceDesc& desc,
                                                   std::shared_ptr<ProtectedPool> pool) {
  Result<SurfaceLayout> layout = layout_for(desc);
  if (!layout) {
    return layout.error();
  }
  if (desc.caller_memory != nullptr && !desc.host_memory &&
      (desc.pool != Pool::kSystemMemory || desc.restricted_content)) {
    return Error{Errc::kInvalidArgument,
                 "caller memory (pSysMem) is only for unprotected system-memory surfaces"};
  }
  // Driver-owned surfaces are rounded up to whole AES blocks so a blt's padding fits (A16).
  const std::uint64_t size = desc.caller_memory != nullptr
                                 ? layout->linear_size()
                                 : align_up(layout->linear_size(), 16);
  std::shared_ptr<Resource> resource(new (std::nothrow) Resource(desc, *layout));
  if (!resource) {
    return Error{Errc::kOutOfMemory, "out of memory for the resource"};
  }
  if (desc.restricted_content) {
    if (pool == nullptr || !pool->try_reserve(size)) {
      return Error{Errc::kOutOfProtectedMemory, "the protected memory pool is exhausted"};
    }
    resource->pool_ = std::move(pool);
  }
  resource->size_ = static_cast<std::size_t>(size);
  if (desc.caller_memory != nullptr) {
    resource->data_ = desc.caller_memory;
    return resource;
  }
  try {
    resource->owned_.assign(resource->size_, 0);
  } catch (const std::bad_alloc&) {
    return Error{Errc::kOutOfMemory, "out of memory for the surface"};  // pool released by dtor
  }
  resource->data_ = resource->owned_.data();
  return resource;
}

Result<std::uint8_t*> Resource::lock() {
  if (is_protected()) {
    return Error{Errc::kWrongState, "a RestrictedContent surface can never be locked"};
  }
  if (locked_) {
    return Error{Errc::kWrongState, "the surface is already locked"};
  }
  locked_ = true;
  return data_;
}

Result<void> Resource::unlock() {
  if (!locked_) {
    return Error{Errc::kWrongState, "the surface is not locked"};
  }
  locked_ = false;
  return {};
}

}  // namespace cpddi::device
