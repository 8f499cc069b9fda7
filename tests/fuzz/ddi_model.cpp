#include "ddi_model.h"

#include <algorithm>

namespace cpddi::fuzz {
namespace {

constexpr UINT kMaxDimension = 16384;
constexpr std::size_t kTrackedContentKeys = 64;

bool supported_format(std::uint32_t f) {
  return f == D3DDDIFMT_A8R8G8B8 || f == D3DDDIFMT_X8R8G8B8 || f == D3DDDIFMT_NV12;
}

}  // namespace

std::uint64_t protected_bytes(const SurfaceModel& surface) {
  return surface.restricted ? align16(surface.linear()) : 0;
}

Expected expect_create_resource(const Adapter& adapter, const conform::SurfaceDesc& desc,
                                std::uint32_t live_resources, std::uint64_t protected_in_use,
                                SurfaceModel* model) {
  Expected e;
  const bool at_cap = live_resources >= adapter.max_resources();
  bool invalid = desc.null_surface_list || desc.surface_count != 1 || desc.mip_levels > 1;
  invalid = invalid || !supported_format(desc.format) || desc.pool < 1 || desc.pool > 4;
  SurfaceModel s;
  if (!invalid) {
    s.format = static_cast<D3DDDIFORMAT>(desc.format);  // a supported value
    s.width = desc.width;
    s.height = desc.height;
    s.system_memory = desc.pool == D3DDDIPOOL_SYSTEMMEM;
    s.restricted = desc.restricted_content;
    s.caller_memory =
        s.system_memory ? static_cast<const std::uint8_t*>(desc.system_memory) : nullptr;
    invalid = desc.depth > 1 || s.width == 0 || s.height == 0 || s.width > kMaxDimension ||
              s.height > kMaxDimension;
    if (s.format == D3DDDIFMT_NV12 && (s.width % 2 != 0 || s.height % 2 != 0)) {
      invalid = true;
    }
    const std::uint64_t row = row_bytes(s.format, s.width);
    if (s.caller_memory != nullptr) {
      invalid = invalid || desc.system_memory_pitch < row || s.restricted;
      s.pitch = desc.system_memory_pitch;
    } else if (!invalid) {
      s.pitch = driver_pitch(s.format, s.width);
    }
  }
  if (invalid) {
    e.add(E_INVALIDARG);
    e.add_if(at_cap, E_OUTOFMEMORY);
    return e;
  }
  if (at_cap) {
    e.add(E_OUTOFMEMORY);
    return e;
  }
  if (s.restricted && protected_bytes(s) > adapter.protected_memory() - protected_in_use) {
    e.add(D3DDDIERR_OUTOFHWPROTECTEDMEMORY);
    return e;
  }
  *model = s;
  return e;
}

void SessionModel::new_key(const Key& k) {
  keyed = true;
  key = k;
  pending.reset();
  readback_key.reset();
  driver_has_readback_key = false;
  last_session_key_iv.reset();
  content_key_ivs.clear();
}

void SessionModel::finish_refresh() {
  key = xor_keys(key, *pending);
  pending.reset();
  last_session_key_iv.reset();
  content_key_ivs.clear();
}

std::optional<std::uint64_t> SessionModel::last_iv(const std::optional<Key>& wrapped) const {
  if (!wrapped) {
    return last_session_key_iv;
  }
  for (const ContentKeyIv& entry : content_key_ivs) {
    if (entry.wrapped == *wrapped) {
      return entry.last_iv;
    }
  }
  return std::nullopt;
}

void SessionModel::record_iv(const std::optional<Key>& wrapped, std::uint64_t iv) {
  if (!wrapped) {
    last_session_key_iv = iv;
    return;
  }
  auto it = std::find_if(content_key_ivs.begin(), content_key_ivs.end(),
                         [&](const ContentKeyIv& e) { return e.wrapped == *wrapped; });
  if (it != content_key_ivs.end()) {
    content_key_ivs.erase(it);
  } else if (content_key_ivs.size() == kTrackedContentKeys) {
    content_key_ivs.erase(content_key_ivs.begin());
  }
  content_key_ivs.push_back(ContentKeyIv{*wrapped, iv});
}

bool block_map_is_uniform(const D3DDDIENCRYPTED_BLOCK_INFO& info, std::uint64_t len) {
  if (len == 0) {
    return true;
  }
  const std::uint64_t e0 = info.NumEncryptedBytesAtBeginning;
  const std::uint64_t skip = info.NumBytesInSkipPattern;
  const std::uint64_t encrypt = info.NumBytesInEncryptPattern;
  const bool all_encrypted = e0 >= len || (skip == 0 && encrypt > 0);
  const bool all_clear = e0 == 0 && (encrypt == 0 || skip >= len);
  return all_encrypted || all_clear;
}

Expected expect_decryption_blt(const Adapter& adapter, const SessionModel& session,
                               const DecryptCall& call) {
  Expected e;
  bool invalid = call.source == nullptr || call.destination == nullptr || !call.subresources_zero;
  e.add_if(!session.keyed, D3DDDIERR_INVALIDCALL);
  if (call.source != nullptr && call.destination != nullptr) {
    const SurfaceModel& src = *call.source;
    const SurfaceModel& dst = *call.destination;
    const std::uint64_t len = dst.linear();
    invalid = invalid || !src.system_memory || src.restricted || !dst.restricted ||
              call.same_surface || !call.iv ||
              (call.content_key && !adapter.has(D3DCPCAPS_CONTENTKEY)) || !src.aligned() ||
              call.source_size % 16 != 0 || call.source_size < align16(len) ||
              call.source_size > src.capacity() ||
              (call.block_info && !adapter.has(D3DCPCAPS_PARTIALDECRYPTION) &&
               !block_map_is_uniform(*call.block_info, len));
    if (!invalid && session.keyed && adapter.iv_check()) {
      const std::optional<std::uint64_t> last = session.last_iv(call.content_key);
      invalid = last && iv_field(*call.iv) <= *last;
    }
  }
  e.add_if(invalid, E_INVALIDARG);
  return e;
}

}  // namespace cpddi::fuzz
