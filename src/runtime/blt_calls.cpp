// DecryptionBlt, EncryptionBlt and GetEncryptionBltKey (spec §4.5–§4.7): resolve the surfaces on
// the session's device, then hand the session its core arguments.
#include <algorithm>
#include <utility>

#include "runtime/locked_device.h"
#include "runtime/runtime.h"

namespace cpddi::runtime {
namespace {

using SurfacePair = std::pair<std::shared_ptr<device::Resource>, std::shared_ptr<device::Resource>>;

// The source and destination of a blt: both live on this device, both subresource 0.
Result<SurfacePair> blt_surfaces(const LockedDevice& locked, const SubresourceName& source,
                                 const SubresourceName& destination) {
  Result<std::shared_ptr<device::Resource>> src = locked.resource(source.resource);
  if (!src) {
    return src.error();
  }
  Result<std::shared_ptr<device::Resource>> dst = locked.resource(destination.resource);
  if (!dst) {
    return dst.error();
  }
  if (source.index != 0 || destination.index != 0) {
    return Error{Errc::kInvalidArgument, "cpddi surfaces have only subresource 0"};
  }
  return SurfacePair{std::move(*src), std::move(*dst)};
}

// The size a blt names for its system-memory buffer: the given one, or (D3D11.1, which passes
// none) every whole block of the surface.
std::uint64_t buffer_size(const LockedDevice& locked, std::optional<std::uint64_t> given,
                          const device::Resource& buffer) {
  const std::uint32_t block = locked.adapter().session_features.block_alignment;
  return given.value_or(buffer.size() - buffer.size() % block);
}

}  // namespace

Result<void> Runtime::decryption_blt(const ObjectName& device, const ObjectName& session,
                                     const DecryptionBltRequest& request) {
  return with_session(
      registry_, device, session,
      [&](LockedDevice& locked, session::CryptoSession& cs) -> Result<void> {
        Result<SurfacePair> surfaces = blt_surfaces(locked, request.source, request.destination);
        if (!surfaces) {
          return surfaces.error();
        }
        session::DecryptionBltArgs blt;
        blt.source = std::move(surfaces->first);
        blt.destination = std::move(surfaces->second);
        blt.source_size = buffer_size(locked, request.source_size, *blt.source);
        blt.pattern = request.pattern;
        blt.wrapped_content_key = request.wrapped_content_key;
        if (request.counter_block) {
          // Byte copy: the IV buffer need not be aligned, and its halves are big-endian (§7.1).
          session::CounterBlock block{};
          std::copy(request.counter_block->begin(), request.counter_block->end(), block.begin());
          blt.counter_block = block;
        }
        return cs.decryption_blt(blt);
      });
}

Result<session::CounterBlock> Runtime::encryption_blt(const ObjectName& device,
                                                      const ObjectName& session,
                                                      const EncryptionBltRequest& request) {
  return with_session(
      registry_, device, session,
      [&](LockedDevice& locked, session::CryptoSession& cs) -> Result<session::CounterBlock> {
        Result<SurfacePair> surfaces = blt_surfaces(locked, request.source, request.destination);
        if (!surfaces) {
          return surfaces.error();
        }
        const std::uint64_t size = buffer_size(locked, request.destination_size, *surfaces->second);
        return cs.encryption_blt(session::EncryptionBltArgs{std::move(surfaces->first),
                                                            std::move(surfaces->second), size});
      });
}

Result<void> Runtime::get_encryption_blt_key(const ObjectName& device, const ObjectName& session,
                                             std::span<std::uint8_t> wrapped_key) {
  return with_session(registry_, device, session, [&](LockedDevice&, session::CryptoSession& cs) {
    return cs.get_encryption_blt_key(wrapped_key);
  });
}

}  // namespace cpddi::runtime
