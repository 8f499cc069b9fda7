#pragma once

// Reading a caller's WDK enum field without undefined behaviour. Component overview: ddi.h.

#include <cstdint>
#include <cstring>

namespace cpddi::ddi {

// The raw 32-bit value of a caller-supplied WDK enum field. A C caller may store any number in
// one; loading it as the C++ enum type would be undefined behaviour when the number is outside
// the enum's range (UBSan: "load of value … not a valid value"), so fields from the caller are
// read as integers before they are compared or switched on.
template <class Enum>
std::uint32_t enum_value(const Enum& field) {
  static_assert(sizeof(Enum) == sizeof(std::uint32_t), "DDI enums are 32-bit");
  std::uint32_t value = 0;
  std::memcpy(&value, &field, sizeof value);
  return value;
}

}  // namespace cpddi::ddi
