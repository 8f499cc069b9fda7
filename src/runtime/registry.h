#pragma once

// The object registry: the one generation-tagged handle space of the process (spec §9 A29,
// §8.7). Every adapter, device, crypto session, authenticated channel and resource of every
// front end lives in one slot table; a handle packs the object's kind tag, the slot's generation
// and the slot index, so a destroyed, reused, wrong-kind or forged handle fails the lookup — even
// after its slot holds a new object. An object may also be registered under a front end's own key
// (names.h), which dies with the object. Thread-safe: one mutex guards the table; objects are
// shared_ptrs, so a lookup stays valid after the object is removed.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "runtime/names.h"

namespace cpddi::runtime {

static_assert(sizeof(void*) == 8, "cpddi's handle layout assumes 64-bit pointers");

// The top byte of every handle. A record type names its kind as `static constexpr ObjectKind
// kKind`.
enum class ObjectKind : std::uint8_t {
  kAdapter = 0xA1,
  kDevice = 0xD3,
  kCryptoSession = 0xC5,
  kResource = 0x5E,
  kAuthenticatedChannel = 0xAC,
};

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Stores `record` and returns its new handle (never 0). With `key`, the record is also named by
  // that key until it is removed; a null key or one that already names a live object is
  // kInvalidArgument, and nothing is stored.
  template <class Record>
  Result<Handle> insert(std::shared_ptr<Record> record, std::optional<FrontEndKey> key = {}) {
    return insert_object(Record::kKind, std::move(record), key);
  }

  // The live record `name` names, or null for any handle or key this registry did not hand out
  // for a `Record`, or has since removed.
  template <class Record>
  std::shared_ptr<Record> find(const ObjectName& name) const {
    return std::static_pointer_cast<Record>(find_object(Record::kKind, name));
  }

  // The handle `name` names, if it names a live `Record`: how a call that got a key learns the
  // object's handle.
  template <class Record>
  std::optional<Handle> resolve(const ObjectName& name) const {
    return resolve_object(Record::kKind, name);
  }

  // Removes and returns the record; its handle and key (and every copy of them) are dead from now
  // on. Null, and nothing changes, when `name` names no live `Record`.
  template <class Record>
  std::shared_ptr<Record> remove(const ObjectName& name) {
    return std::static_pointer_cast<Record>(remove_object(Record::kKind, name));
  }

  std::size_t live_objects() const;

 private:
  struct Slot {
    std::shared_ptr<void> object;  // of the type whose kKind is `kind`
    ObjectKind kind = ObjectKind::kAdapter;
    std::uint32_t generation = 1;
    std::optional<FrontEndKey> key;
  };

  Result<Handle> insert_object(ObjectKind kind, std::shared_ptr<void> object,
                               std::optional<FrontEndKey> key);
  std::shared_ptr<void> find_object(ObjectKind kind, const ObjectName& name) const;
  std::optional<Handle> resolve_object(ObjectKind kind, const ObjectName& name) const;
  std::shared_ptr<void> remove_object(ObjectKind kind, const ObjectName& name);
  // The handle `name` stands for (a key's handle, or the handle itself); not checked. Requires
  // mutex_.
  std::optional<Handle> handle_for(const ObjectName& name) const;
  // The live slot of `kind` that `name` names, or null. Requires mutex_.
  const Slot* slot_for(ObjectKind kind, const ObjectName& name) const;

  mutable std::mutex mutex_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
  std::unordered_map<std::uintptr_t, Handle> keys_;
};

}  // namespace cpddi::runtime
