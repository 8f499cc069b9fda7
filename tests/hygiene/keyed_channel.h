#pragma once

// An authenticated channel driven through the C ABI as an application drives it, for the hygiene
// workloads: keyed with a known key (which the test registers as a secret), INITIALIZEd, then
// queried and configured — the driver MACs with the key on every call.

#include <cstdint>

#include "support/driver_fixture.h"

namespace cpddi::hygiene {

class KeyedChannel {
 public:
  KeyedChannel(const testing::OpenedDevice& device, const testing::Key& key);

  // AuthenticatedChannelKeyExchange with `key` (before INITIALIZE it replaces the key, A24).
  void exchange(const testing::Key& key);
  // INITIALIZE, a PROTECTION configure and a PROTECTION query, each expected to succeed; then a
  // configure whose MAC does not verify, expected to fail.
  void initialize_and_use();
  HRESULT destroy();

 private:
  std::uint64_t value() const;
  HRESULT configure(testing::Bytes& input, bool spoil_mac = false);

  const testing::OpenedDevice& device_;
  HANDLE handle_ = nullptr;
  testing::Key key_;
  std::uint32_t sequence_ = 1;
};

}  // namespace cpddi::hygiene
