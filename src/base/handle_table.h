#pragma once

// Generation-tagged handles (spec §9 A29). A handle packs a kind tag, a generation and a slot
// index into a pointer-sized value; a destroyed, reused or wrong-kind handle fails the lookup,
// even after its slot holds a new object. Tables are process-wide and thread-safe (own mutex).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace cpddi {

static_assert(sizeof(void*) == 8, "cpddi's handle layout assumes 64-bit pointers");

enum class HandleKind : std::uint8_t { kAdapter = 0xA1, kDevice = 0xD3, kSession = 0xC5,
                                       kResource = 0x5E };

template <class T>
class HandleTable {
 public:
  explicit HandleTable(HandleKind kind) : kind_(kind) {}
  HandleTable(const HandleTable&) = delete;
  HandleTable& operator=(const HandleTable&) = delete;

  // Stores `object` and returns its new handle (never null).
  void* insert(std::shared_ptr<T> object) {
    std::lock_guard lock(mutex_);
    std::uint32_t index;
    if (!free_.empty()) {
      index = free_.back();
      free_.pop_back();
    } else {
      index = static_cast<std::uint32_t>(slots_.size());
      slots_.push_back(Slot{});
    }
    slots_[index].object = std::move(object);
    return encode(index, slots_[index].generation);
  }

  // The live object `handle` names, or null for any handle this table did not hand out or
  // has since removed.
  std::shared_ptr<T> find(const void* handle) const {
    std::lock_guard lock(mutex_);
    const Slot* slot = slot_for(handle);
    return slot != nullptr ? slot->object : nullptr;
  }

  // Removes and returns the object; its handle (and every copy of it) is dead from now on.
  std::shared_ptr<T> remove(const void* handle) {
    std::lock_guard lock(mutex_);
    Slot* slot = const_cast<Slot*>(slot_for(handle));
    if (slot == nullptr) {
      return nullptr;
    }
    std::shared_ptr<T> object = std::move(slot->object);
    slot->object.reset();
    slot->generation = (slot->generation + 1) & kGenerationMask;
    free_.push_back(static_cast<std::uint32_t>(slot - slots_.data()));
    return object;
  }

 private:
  static constexpr std::uint32_t kGenerationMask = 0xFFFFFF;  // 24 bits

  struct Slot {
    std::shared_ptr<T> object;
    std::uint32_t generation = 1;
  };

  void* encode(std::uint32_t index, std::uint32_t generation) const {
    const std::uint64_t value = (std::uint64_t{static_cast<std::uint8_t>(kind_)} << 56) |
                                (std::uint64_t{generation} << 32) | (std::uint64_t{index} + 1);
    return reinterpret_cast<void*>(static_cast<std::uintptr_t>(value));
  }

  const Slot* slot_for(const void* handle) const {
    const auto value = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(handle));
    if ((value >> 56) != static_cast<std::uint8_t>(kind_)) {
      return nullptr;
    }
    const std::uint64_t index_plus_one = value & 0xFFFFFFFFu;
    if (index_plus_one == 0 || index_plus_one > slots_.size()) {
      return nullptr;
    }
    const Slot& slot = slots_[index_plus_one - 1];
    const auto generation = static_cast<std::uint32_t>((value >> 32) & kGenerationMask);
    if (slot.object == nullptr || slot.generation != generation) {
      return nullptr;
    }
    return &slot;
  }

  const HandleKind kind_;
  mutable std::mutex mutex_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
};

}  // namespace cpddi
