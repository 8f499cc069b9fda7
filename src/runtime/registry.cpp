#include "runtime/registry.h"

namespace cpddi::runtime {
namespace {

constexpr std::uint32_t kGenerationMask = 0xFFFFFF;  // 24 bits

Handle encode(ObjectKind kind, std::uint32_t generation, std::uint32_t index) {
  return Handle{(std::uint64_t{static_cast<std::uint8_t>(kind)} << 56) |
                (std::uint64_t{generation} << 32) | (std::uint64_t{index} + 1)};
}

}  // namespace

Result<Handle> Registry::insert_object(ObjectKind kind, std::shared_ptr<void> object,
                                       std::optional<FrontEndKey> key) {
  std::lock_guard lock(mutex_);
  if (key && key->value == 0) {
    return Error{Errc::kInvalidArgument, "a front end's key must not be null"};
  }
  if (key && keys_.contains(key->value)) {
    return Error{Errc::kInvalidArgument, "the front end's key already names a live object"};
  }
  // Everything that can throw (allocation) runs before the first change a caller could see: a
  // new slot is added as a free one, so an exception below leaves a consistent table.
  if (free_.empty()) {
    free_.reserve(free_.size() + 1);
    slots_.emplace_back();
    free_.push_back(static_cast<std::uint32_t>(slots_.size() - 1));
  }
  const std::uint32_t index = free_.back();
  const Handle handle = encode(kind, slots_[index].generation, index);
  if (key) {
    keys_.emplace(key->value, handle);
  }

  // Commit — nothing below can fail.
  free_.pop_back();
  Slot& slot = slots_[index];
  slot.object = std::move(object);
  slot.kind = kind;
  slot.key = key;
  return handle;
}

std::optional<Handle> Registry::handle_for(const ObjectName& name) const {
  if (const FrontEndKey* key = name.key()) {
    auto it = keys_.find(key->value);
    if (it == keys_.end()) {
      return std::nullopt;
    }
    return it->second;
  }
  return *name.handle();
}

const Registry::Slot* Registry::slot_for(ObjectKind kind, const ObjectName& name) const {
  const std::optional<Handle> named = handle_for(name);
  if (!named) {
    return nullptr;
  }
  const Handle handle = *named;
  if ((handle.value >> 56) != static_cast<std::uint8_t>(kind)) {
    return nullptr;
  }
  const std::uint64_t index_plus_one = handle.value & 0xFFFFFFFFu;
  if (index_plus_one == 0 || index_plus_one > slots_.size()) {
    return nullptr;
  }
  const Slot& slot = slots_[index_plus_one - 1];
  const auto generation = static_cast<std::uint32_t>((handle.value >> 32) & kGenerationMask);
  if (slot.object == nullptr || slot.kind != kind || slot.generation != generation) {
    return nullptr;
  }
  return &slot;
}

std::shared_ptr<void> Registry::find_object(ObjectKind kind, const ObjectName& name) const {
  std::lock_guard lock(mutex_);
  const Slot* slot = slot_for(kind, name);
  return slot != nullptr ? slot->object : nullptr;
}

std::optional<Handle> Registry::resolve_object(ObjectKind kind, const ObjectName& name) const {
  std::lock_guard lock(mutex_);
  if (slot_for(kind, name) == nullptr) {
    return std::nullopt;
  }
  return handle_for(name);
}

std::shared_ptr<void> Registry::remove_object(ObjectKind kind, const ObjectName& name) {
  std::lock_guard lock(mutex_);
  Slot* slot = const_cast<Slot*>(slot_for(kind, name));
  if (slot == nullptr) {
    return nullptr;
  }
  // The free list has room for every slot, so this cannot throw after the slot changed.
  free_.reserve(slots_.size());
  std::shared_ptr<void> object = std::move(slot->object);
  slot->object.reset();
  slot->generation = (slot->generation + 1) & kGenerationMask;
  if (slot->key) {
    keys_.erase(slot->key->value);
    slot->key.reset();
  }
  free_.push_back(static_cast<std::uint32_t>(slot - slots_.data()));
  return object;
}

std::size_t Registry::live_objects() const {
  std::lock_guard lock(mutex_);
  return slots_.size() - free_.size();
}

}  // namespace cpddi::runtime
