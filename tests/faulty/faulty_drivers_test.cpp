// Self-test of the faulty driver modules, independent of `cpddi conform`: each module, loaded
// with dlopen like any driver, shows its one fault — and keeps the neighbouring behaviour right,
// so that a conform case other than the broken rule's failing points at the suite, not the
// module. Module paths arrive as FAULTY_MODULE_<NAME> compile definitions.
#include <dlfcn.h>

#include <array>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

// The module's OpenAdapter (the module stays loaded for the life of the process).
PFND3DDDI_OPENADAPTER load(const char* path) {
  void* module = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (module == nullptr) {
    ADD_FAILURE() << "dlopen(" << path << "): " << dlerror();
    return nullptr;
  }
  void* symbol = dlsym(module, "OpenAdapter");
  if (symbol == nullptr) {
    ADD_FAILURE() << path << " has no OpenAdapter";
    return nullptr;
  }
  PFND3DDDI_OPENADAPTER fn = nullptr;
  std::memcpy(&fn, &symbol, sizeof fn);
  return fn;
}

// A device on an adapter that the module at `path` opened (not ok() if it could not be loaded).
class ModuleDevice : public OpenedDevice {
 public:
  explicit ModuleDevice(const char* path) : OpenedDevice(nullptr, load(path)) {}
};

TEST(FaultyDriverTest, FinishSkipsXorKeepsTheOldKeyButConsumesTheNumber) {
  ModuleDevice device(FAULTY_MODULE_FINISH_SKIPS_XOR);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  KeyedSession session(device);
  session.fetch_readback_key();
  Bytes number;
  ASSERT_EQ(session.start_refresh(&number), S_OK);
  ASSERT_EQ(number.size(), 16u);
  EXPECT_EQ(session.finish_refresh(), S_OK);
  EXPECT_TRUE(session.decrypts_under(*surface, kTestKey));
  EXPECT_FALSE(session.decrypts_under(*surface, xor_keys(kTestKey, number), 2));
  EXPECT_EQ(session.finish_refresh(), D3DDDIERR_INVALIDCALL);  // nothing pending any more
}

TEST(FaultyDriverTest, StartReturnsConstantRepeatsItsNumberAndStaysConsistent) {
  ModuleDevice device(FAULTY_MODULE_START_RETURNS_CONSTANT);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  KeyedSession session(device);
  session.fetch_readback_key();
  Bytes first;
  Bytes second;
  ASSERT_EQ(session.start_refresh(&first), S_OK);
  ASSERT_EQ(session.start_refresh(&second), S_OK);
  EXPECT_EQ(first, second);
  ASSERT_EQ(session.finish_refresh(), S_OK);
  session.app_apply(second);
  EXPECT_TRUE(session.decrypts_under(*surface, session.app_key()));
}

TEST(FaultyDriverTest, StartAcceptsWrongSizeButStoresNothing) {
  ModuleDevice device(FAULTY_MODULE_START_ACCEPTS_WRONG_SIZE);
  ASSERT_TRUE(device.ok());
  KeyedSession session(device);
  std::array<std::uint8_t, 32> buffer{};
  EXPECT_EQ(session.start_refresh_raw(buffer.data(), 15), S_OK);
  EXPECT_EQ(session.start_refresh_raw(buffer.data(), 32), S_OK);
  EXPECT_NE(buffer, (std::array<std::uint8_t, 32>{}));
  EXPECT_EQ(session.finish_refresh(), D3DDDIERR_INVALIDCALL);
  EXPECT_EQ(session.start_refresh_raw(nullptr, 15), E_INVALIDARG);  // null stays the real answer
}

TEST(FaultyDriverTest, FinishWithoutStartSucceedsAndChangesNothing) {
  ModuleDevice device(FAULTY_MODULE_FINISH_WITHOUT_START_SUCCEEDS);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  KeyedSession session(device);
  EXPECT_EQ(session.finish_refresh(), S_OK);
  EXPECT_TRUE(session.decrypts_under(*surface, kTestKey));
  EXPECT_EQ(session.refresh(), S_OK);  // a real refresh still works
  EXPECT_TRUE(session.decrypts_under(*surface, session.app_key(), 2));
}

TEST(FaultyDriverTest, RefreshLeaksAcrossSessionsAppliesAsNumberOnFinishOfB) {
  ModuleDevice device(FAULTY_MODULE_REFRESH_LEAKS_ACROSS_SESSIONS);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  KeyedSession a(device, kTestKey);
  KeyedSession b(device, kOtherKey);
  a.fetch_readback_key();
  b.fetch_readback_key();
  Bytes number;
  ASSERT_EQ(a.start_refresh(&number), S_OK);
  EXPECT_EQ(b.finish_refresh(), S_OK);
  EXPECT_TRUE(b.decrypts_under(*surface, kOtherKey));
  EXPECT_TRUE(a.decrypts_under(*surface, xor_keys(kTestKey, number), 2));
}

TEST(FaultyDriverTest, EncryptionBltRepeatsItsFirstIv) {
  ModuleDevice device(FAULTY_MODULE_ENCRYPTION_BLT_REPEATS_IV);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  KeyedSession session(device);
  ASSERT_EQ(session.upload(*surface, pattern_bytes(256, 3), kTestKey), S_OK);
  HRESULT hr = E_FAIL;
  Iv first{};
  Iv second{};
  session.read_back(surface->handle(), 256, &hr, &first);
  ASSERT_EQ(hr, S_OK);
  session.read_back(surface->handle(), 256, &hr, &second);
  ASSERT_EQ(hr, S_OK);
  EXPECT_EQ(first, second);
}

TEST(FaultyDriverTest, ProtectedLockSucceedsWithAStandInMapping) {
  ModuleDevice device(FAULTY_MODULE_PROTECTED_LOCK_SUCCEEDS);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  D3DDDIARG_LOCK lock{};
  lock.hResource = surface->handle();
  EXPECT_EQ(device.funcs().pfnLock(device.device(), &lock), S_OK);
  EXPECT_NE(lock.pSurfData, nullptr);
  EXPECT_GT(lock.Pitch, 0u);
  D3DDDIARG_UNLOCK unlock{};
  unlock.hResource = surface->handle();
  EXPECT_EQ(device.funcs().pfnUnlock(device.device(), &unlock), S_OK);
  EXPECT_EQ(device.funcs().pfnUnlock(device.device(), &unlock), D3DDDIERR_INVALIDCALL);
}

TEST(FaultyDriverTest, DestroyedHandleStillWorks) {
  ModuleDevice device(FAULTY_MODULE_DESTROYED_HANDLE_STILL_WORKS);
  ASSERT_TRUE(device.ok());
  KeyedSession session(device);
  const HANDLE handle = session.handle();
  ASSERT_EQ(session.destroy(), S_OK);
  D3DDDIARG_FINISHSESSIONKEYREFRESH finish{handle};
  std::array<std::uint8_t, 16> number{};
  D3DDDIARG_STARTSESSIONKEYREFRESH start{handle, number.data(), 16};
  EXPECT_EQ(device.funcs().pfnStartSessionKeyRefresh(device.device(), &start), S_OK);
  EXPECT_EQ(device.funcs().pfnFinishSessionKeyRefresh(device.device(), &finish), S_OK);
  D3DDDIARG_DESTROYCRYPTOSESSION destroy{nullptr};
  EXPECT_EQ(device.funcs().pfnDestroyCryptoSession(device.device(), &destroy), E_INVALIDARG);
}

TEST(FaultyDriverTest, IvReadLittleEndianDecryptsOnlyByteSymmetricIvsRight) {
  ModuleDevice device(FAULTY_MODULE_IV_READ_LITTLE_ENDIAN);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  KeyedSession session(device);
  const Bytes plain = pattern_bytes(256, 4);
  // IV and Count whose bytes read the same either way round decrypt right …
  const Iv symmetric = make_iv(0x0101010101010101ULL, 0);
  ASSERT_EQ(session.decryption_blt(surface->handle(), ctr(kTestKey, symmetric, plain), symmetric),
            S_OK);
  EXPECT_EQ(session.download(*surface), plain);
  // … any other IV decrypts under a different counter block.
  const Iv plain_iv = make_iv(0x0202020202020203ULL, 0);
  ASSERT_EQ(session.decryption_blt(surface->handle(), ctr(kTestKey, plain_iv, plain), plain_iv),
            S_OK);
  EXPECT_NE(session.download(*surface), plain);
}

}  // namespace
}  // namespace cpddi::testing
