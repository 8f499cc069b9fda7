// Admission (spec §4.1 [R], §4.10): per-device caps on sessions and resources answer kOutOfMemory
// with nothing counted or reserved, recover after a destroy, and are counted per device; the
// adapter's config is checked before anything is made.
#include <gtest/gtest.h>

#include "runtime/runtime_harness.h"

namespace cpddi::runtime::testing {
namespace {

AdapterConfig limits(std::uint32_t sessions, std::uint32_t resources) {
  AdapterConfig config;
  config.max_sessions_per_device = sessions;
  config.max_resources_per_device = resources;
  return config;
}

TEST(AdmissionTest, DefaultLimitsAreCpddisDocumentedOnes) {
  const AdapterConfig config;
  EXPECT_EQ(config.max_sessions_per_device, 1024u);
  EXPECT_EQ(config.max_resources_per_device, 4096u);
  EXPECT_EQ(config.caps.protected_memory_size, 256u << 20);
}

TEST(AdmissionTest, SessionLimitIsOutOfMemoryAndRecoversAfterADestroy) {
  RuntimeHarness h(limits(2, 8));
  const Handle device = h.open_device();
  const Handle first = *h.runtime().create_crypto_session(device, kAesCtr);
  ASSERT_TRUE(h.runtime().create_crypto_session(device, kAesCtr));

  Result<Handle> over = h.runtime().create_crypto_session(device, kAesCtr);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, Errc::kOutOfMemory);
  EXPECT_EQ(h.runtime().device_status(device)->live_sessions, 2u);

  ASSERT_TRUE(h.runtime().destroy_crypto_session(device, first));
  EXPECT_EQ(h.runtime().device_status(device)->live_sessions, 1u);
  EXPECT_TRUE(h.runtime().create_crypto_session(device, kAesCtr));
  EXPECT_EQ(h.runtime().device_status(device)->live_sessions, 2u);
}

TEST(AdmissionTest, ResourceLimitIsCheckedBeforeTheSurfaceAndReservesNothing) {
  AdapterConfig config = limits(8, 2);
  config.caps.protected_memory_size = 256;  // exactly one 16×4 protected surface
  RuntimeHarness h(config);
  const Handle device = h.open_device();
  const Handle plain = *h.runtime().create_resource(device, surface_desc(false));
  ASSERT_TRUE(h.runtime().create_resource(device, surface_desc(false)));

  device::SurfaceDesc invalid = surface_desc(true);
  invalid.width = 0;
  Result<Handle> over = h.runtime().create_resource(device, invalid);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, Errc::kOutOfMemory) << "the limit comes before the surface";

  ASSERT_TRUE(h.runtime().destroy_resource(device, plain));
  // The refused call reserved no protected memory: the whole pool is still there.
  EXPECT_TRUE(h.runtime().create_resource(device, surface_desc(true)));
  EXPECT_EQ(h.runtime().device_status(device)->live_resources, 2u);
}

TEST(AdmissionTest, FailedResourceCreationIsNotCounted) {
  AdapterConfig config = limits(8, 2);
  config.caps.protected_memory_size = 16;
  RuntimeHarness h(config);
  const Handle device = h.open_device();

  Result<Handle> no_room = h.runtime().create_resource(device, surface_desc(true));
  ASSERT_FALSE(no_room);
  EXPECT_EQ(no_room.error().code, Errc::kOutOfProtectedMemory);
  EXPECT_EQ(h.runtime().device_status(device)->live_resources, 0u);
  EXPECT_TRUE(h.runtime().create_resource(device, surface_desc(false)));
  EXPECT_TRUE(h.runtime().create_resource(device, surface_desc(false)));
}

TEST(AdmissionTest, ZeroLimitsRefuseEverything) {
  RuntimeHarness h(limits(0, 0));
  const Handle device = h.open_device();
  EXPECT_EQ(h.runtime().create_crypto_session(device, kAesCtr).error().code, Errc::kOutOfMemory);
  EXPECT_EQ(h.runtime().create_resource(device, surface_desc(false)).error().code,
            Errc::kOutOfMemory);
  EXPECT_EQ(h.runtime().device_status(device)->live_sessions, 0u);
  EXPECT_EQ(h.runtime().device_status(device)->live_resources, 0u);
}

TEST(AdmissionTest, LimitsCountPerDeviceAndPerKind) {
  RuntimeHarness h(limits(1, 1));
  const Handle one = h.open_device();
  const Handle two = h.open_device();
  EXPECT_TRUE(h.runtime().create_crypto_session(one, kAesCtr));
  EXPECT_TRUE(h.runtime().create_resource(one, surface_desc(false)));
  EXPECT_FALSE(h.runtime().create_crypto_session(one, kAesCtr));
  EXPECT_FALSE(h.runtime().create_resource(one, surface_desc(false)));
  EXPECT_TRUE(h.runtime().create_crypto_session(two, kAesCtr));
  EXPECT_TRUE(h.runtime().create_resource(two, surface_desc(false)));
}

TEST(AdmissionTest, ProtectedMemoryIsOnePoolForAllTheAdaptersDevices) {
  AdapterConfig config;
  config.caps.protected_memory_size = 256;
  RuntimeHarness h(config);
  const Handle one = h.open_device();
  const Handle two = h.open_device();
  const Handle taken = *h.runtime().create_resource(one, surface_desc(true));

  EXPECT_EQ(h.runtime().create_resource(two, surface_desc(true)).error().code,
            Errc::kOutOfProtectedMemory);
  ASSERT_TRUE(h.runtime().destroy_resource(one, taken));
  EXPECT_TRUE(h.runtime().create_resource(two, surface_desc(true)));
}

TEST(AdmissionTest, AdapterConfigOutsideTheRulesOpensNothing) {
  Runtime runtime;
  AdapterConfig unswitchable;
  unswitchable.caps.disabled_caps = caps::kCapSoftware;
  AdapterConfig threads;
  threads.blt_threads_per_device = kMaxBltThreads + 1;
  AdapterConfig missing_identity;
  missing_identity.identity_key_pem_path = "/nonexistent/cpddi-key.pem";
  missing_identity.identity_cert_pem_path = "/nonexistent/cpddi-cert.pem";

  for (const AdapterConfig* config : {&unswitchable, &threads, &missing_identity}) {
    Result<Handle> adapter = runtime.open_adapter(*config);
    ASSERT_FALSE(adapter);
    EXPECT_EQ(adapter.error().code, Errc::kInvalidArgument);
  }
  EXPECT_EQ(runtime.live_objects(), 0u);
  threads.blt_threads_per_device = kMaxBltThreads;
  EXPECT_TRUE(runtime.open_adapter(threads));
}

TEST(AdmissionTest, AdapterAnnouncesWhatItWasOpenedWith) {
  AdapterConfig config;
  config.caps.disabled_caps = caps::kCapFreshenSessionKey;
  config.caps.protected_memory_size = 4096;
  config.container = caps::CertificateContainer::kX509Leaf;
  RuntimeHarness h(config);
  const Handle device = h.open_device();

  Result<std::shared_ptr<const AdapterCaps>> announced = h.runtime().adapter_caps(h.adapter());
  ASSERT_TRUE(announced);
  EXPECT_EQ((*announced)->config.disabled_caps, caps::kCapFreshenSessionKey);
  EXPECT_EQ((*announced)->config.protected_memory_size, 4096u);
  EXPECT_EQ((*announced)->container, caps::CertificateContainer::kX509Leaf);
  ASSERT_NE((*announced)->identity, nullptr);
  // The answer outlives the adapter's handle.
  ASSERT_TRUE(h.runtime().close_adapter(h.adapter()));
  EXPECT_FALSE((*announced)->identity->chain().empty());
  // The devices' sessions run with those caps: refresh is switched off (A5).
  const Handle session = h.keyed_session(device);
  Key16 number{};
  EXPECT_EQ(h.runtime().start_session_key_refresh(device, session, number).error().code,
            Errc::kNotAvailable);
  EXPECT_EQ(number, Key16{});
}

}  // namespace
}  // namespace cpddi::runtime::testing
