#include "support/driver_fixture.h"

#include <cstdio>
#include <string>

namespace cpddi::testing {
namespace {

std::unique_ptr<conform::Adapter> open_adapter(const CPDDI_ADAPTER_OPTIONS* options,
                                               PFND3DDDI_OPENADAPTER open_adapter) {
  const conform::Driver driver{open_adapter, &cpddi_open_adapter_with_options};
  return std::make_unique<conform::Adapter>(driver, options);
}

}  // namespace

std::string hr_name(HRESULT hr) {
  std::string name = cpddi_hresult_name(hr);
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08X", static_cast<unsigned>(hr));
  return name + " (" + hex + ")";
}

CPDDI_ADAPTER_OPTIONS default_options() {
  CPDDI_ADAPTER_OPTIONS options{};
  options.StructSize = sizeof options;
  return options;
}

OpenedDevice::OpenedDevice(const CPDDI_ADAPTER_OPTIONS* options,
                           PFND3DDDI_OPENADAPTER open_adapter_fn)
    : detail::OwnedAdapter{open_adapter(options, open_adapter_fn)},
      conform::Device(*owned_adapter) {}

OpenedDevice::OpenedDevice(SameAdapter, const OpenedDevice& first)
    : conform::Device(first.adapter()) {}

std::unique_ptr<OpenedDevice> OpenedDevice::another_device(const OpenedDevice& first) {
  return std::unique_ptr<OpenedDevice>(new OpenedDevice(SameAdapter{}, first));
}

OpenedDevice::~OpenedDevice() {
  // The harness's destructors ignore what teardown returns; a fixture checks it.
  if (owns_handle()) {
    EXPECT_EQ(destroy(), S_OK) << "DestroyDevice";
  }
  if (owned_adapter) {
    EXPECT_EQ(owned_adapter->close(), S_OK) << "CloseAdapter";
  }
}

HRESULT OpenedDevice::content_protection_caps(D3DCONTENTPROTECTIONCAPS* out,
                                              const GUID& crypto_type) const {
  conform::CapsInfo info;
  info.crypto_type = crypto_type;
  return adapter().get_caps_raw(D3DDDICAPS_GETCONTENTPROTECTIONCAPS, info, out, sizeof *out);
}

KeyedSession::KeyedSession(const OpenedDevice& device, std::optional<Key> key,
                           ExchangeKey exchange)
    : conform::Session(device, key.value_or(kTestKey),
                       exchange == ExchangeKey::kYes ? Exchange::kYes : Exchange::kNo) {}

::testing::AssertionResult KeyedSession::decrypts_under(const ScopedSurface& surface,
                                                        const Key& key, std::uint32_t seed) {
  try {
    if (check_key(surface, key, seed) == KeyCheck::kMatches) {
      return ::testing::AssertionSuccess() << "the driver decrypted with the key tested";
    }
    return ::testing::AssertionFailure() << "the surface does not hold the plaintext: the "
                                            "driver's key differs from the one tested";
  } catch (const conform::Failure& failure) {
    return ::testing::AssertionFailure() << failure.what();
  }
}

}  // namespace cpddi::testing
