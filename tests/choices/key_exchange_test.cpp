// CryptoSessionKeyExchange as cpddi chose it where the spec is silent (docs/behaviour.md). The
// rules every driver follows (spec §4.2, §7.5, A11, A25) are conform cases exchange.*.
#include <gtest/gtest.h>

#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

using KeyExchangeTest = SharedDeviceTest;

TEST_F(KeyExchangeTest, RepeatExchangeDropsTheReadBackKey) {
  // cpddi's choice (docs/behaviour.md): the read-back key belonged to the old key holder, so
  // after a new exchange EncryptionBlt needs a new GetEncryptionBltKey (A19's code until then).
  KeyedSession session(device(), kTestKey);
  auto surface = ScopedSurface::small_protected(device());
  const std::size_t len = session.surface_bytes(*surface);
  session.fetch_readback_key();
  ASSERT_TRUE(session.readback_key().has_value());
  const Key old_readback_key = *session.readback_key();
  ASSERT_EQ(session.rekey(kOtherKey), S_OK);
  session.set_readback_key(old_readback_key);  // so read_back goes straight to EncryptionBlt
  HRESULT hr = S_OK;
  EXPECT_TRUE(session.read_back(surface->handle(), len, &hr).empty());
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL) << hr_name(hr);
  session.forget_readback_key();
  EXPECT_TRUE(session.decrypts_under(*surface, kOtherKey, 4));  // a fresh read-back key works
}

}  // namespace
}  // namespace cpddi::testing
