#include "limits/fault_support.h"

#include <algorithm>

#include "crypto/openssl_faults.h"
#include "crypto/random.h"

namespace cpddi::testing {

InjectedFailure::InjectedFailure(Source source, int calls_before_failure) {
  if (source == Source::kRandom) {
    crypto::testing::fail_random_after(calls_before_failure);
  } else {
    crypto::testing::fail_openssl_after(calls_before_failure);
  }
}

InjectedFailure::~InjectedFailure() {
  crypto::testing::fail_random_after(-1);
  crypto::testing::fail_openssl_after(-1);
}

void FaultTest::SetUp() {
  ASSERT_NO_FATAL_FAILURE(SharedDeviceTest::SetUp());
  session_.emplace(device());
  surface_ = ScopedSurface::small_protected(device());
}

void FaultTest::upload_frame(std::uint32_t seed) {
  session().fetch_readback_key();
  frame_ = pattern_bytes(session().surface_bytes(surface()), seed);
  ASSERT_EQ(session().upload(surface(), frame_, kTestKey), S_OK);
}

HRESULT encryption_blt(const KeyedSession& session, HANDLE source, HANDLE destination,
                       UINT destination_size, Iv* iv) {
  return session.encryption_blt(conform::BltArgs{
      .source = source, .destination = destination, .size = destination_size, .iv = iv->data()});
}

HANDLE create_readback_surface(const conform::Device& device, std::size_t len) {
  const UINT rows = static_cast<UINT>((len + 255) / 256);
  return device.create_surface(D3DDDIFMT_X8R8G8B8, 64, rows == 0 ? 1 : rows, D3DDDIPOOL_SYSTEMMEM,
                               false);
}

bool all_bytes_are(std::span<const std::uint8_t> bytes, std::uint8_t value) {
  return std::all_of(bytes.begin(), bytes.end(), [&](std::uint8_t b) { return b == value; });
}

void expect_get_encryption_blt_key_fails_cleanly(KeyedSession& session,
                                                 InjectedFailure::Source source) {
  session.fetch_readback_key();
  const Key before = *session.readback_key();
  Key wrapped;
  wrapped.fill(0x77);
  {
    InjectedFailure failure(source, 0);
    EXPECT_EQ(session.get_encryption_blt_key(&wrapped), E_FAIL);
  }
  EXPECT_TRUE(all_bytes_are(wrapped, 0x77)) << "a failed GetEncryptionBltKey wrote pKey";
  EXPECT_EQ(*session.readback_key(), before);
}

void expect_encryption_blt_fails_cleanly(const KeyedSession& session,
                                         const ScopedSurface& surface, std::size_t len,
                                         InjectedFailure::Source source) {
  const conform::Device& device = session.device();
  HANDLE destination = create_readback_surface(device, len);
  ASSERT_NE(destination, nullptr);
  const Bytes untouched = pattern_bytes(len, 99);
  device.write_surface(destination, untouched);
  Iv iv;
  iv.fill(0xCD);
  {
    InjectedFailure failure(source, 0);
    EXPECT_EQ(encryption_blt(session, surface.handle(), destination, static_cast<UINT>(len), &iv),
              E_FAIL);
  }
  EXPECT_TRUE(all_bytes_are(iv, 0xCD)) << "a failed EncryptionBlt wrote pIV";
  EXPECT_EQ(device.read_surface(destination, len), untouched);
  EXPECT_EQ(device.destroy_surface(destination), S_OK);
}

}  // namespace cpddi::testing
