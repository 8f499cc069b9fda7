#pragma once

// How a front end names the runtime's objects (spec §8, §8.7, A29). Every object gets a handle
// from the runtime's one generation-tagged space, shared by every front end of the process, so a
// handle one front end gave out never names an object of another by accident. A front end that
// cannot store a handle in its DDI's handle type (D3D11.1: the handle *is* runtime-allocated
// private memory) also registers a key of its own when it creates the object, and names the
// object by that key afterwards. Component overview: runtime.h.

#include <cstdint>
#include <variant>

namespace cpddi::runtime {

// A handle value the runtime handed out: kind tag, generation and slot in 64 bits, never 0. The
// D3D9 front end passes it through its HANDLEs unchanged.
struct Handle {
  std::uint64_t value = 0;
  friend bool operator==(Handle, Handle) = default;
};

// A name a front end chose for an object, unique among the live objects of the process and never
// 0: for the D3D11.1 front end, the address of the private memory standing for the object.
struct FrontEndKey {
  std::uintptr_t value = 0;
  friend bool operator==(FrontEndKey, FrontEndKey) = default;
};

// How one argument of a runtime call names an object: by handle, or by registered key. The
// default names nothing (a null handle), so a lookup fails as for any unknown handle.
class ObjectName {
 public:
  ObjectName() = default;
  // Implicit on purpose: a Handle or a FrontEndKey is passed wherever a name is expected.
  ObjectName(Handle handle) : name_(handle) {}  // NOLINT(google-explicit-constructor)
  ObjectName(FrontEndKey key) : name_(key) {}   // NOLINT(google-explicit-constructor)

  const Handle* handle() const { return std::get_if<Handle>(&name_); }
  const FrontEndKey* key() const { return std::get_if<FrontEndKey>(&name_); }

 private:
  std::variant<Handle, FrontEndKey> name_;
};

// One subresource of a resource. cpddi's surfaces have only subresource 0.
struct SubresourceName {
  ObjectName resource;
  std::uint32_t index = 0;
};

}  // namespace cpddi::runtime
