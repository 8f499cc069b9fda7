// Self-test of the faulty driver modules, independent of `cpddi conform`: each module, loaded
// with dlopen like any driver, shows its one fault — and keeps the neighbouring behaviour right,
// so that a conform case other than the broken rule's failing points at the suite, not the
// module. Module paths arrive as FAULTY_MODULE_<NAME> compile definitions.
#include <dlfcn.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "conform/channel.h"
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

// A read-back of `surface` through `session`; its IV field.
std::uint64_t read_back_iv(KeyedSession& session, const ScopedSurface& surface) {
  HRESULT hr = E_FAIL;
  Iv iv{};
  session.read_back(surface.handle(), 256, &hr, &iv);
  EXPECT_EQ(hr, S_OK);
  return iv_field(iv);
}

TEST(FaultyDriverTest, EncryptionBltRepeatsItsFirstIv) {
  ModuleDevice device(FAULTY_MODULE_ENCRYPTION_BLT_REPEATS_IV);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  KeyedSession session(device);
  ASSERT_EQ(session.upload(*surface, pattern_bytes(256, 3), kTestKey), S_OK);
  const std::uint64_t first = read_back_iv(session, *surface);
  EXPECT_EQ(read_back_iv(session, *surface), first);
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

// The modules that break the run (CPDDI_FAULTY_DRIVERS_VERDICT): the crash and the hang happen in
// a death test's child process ("threadsafe": re-run from the start, as the module may have
// started threads).
TEST(FaultyDriverDeathTest, StartRefreshBadSizeSegfaultsAndAcceptsSize16) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  ModuleDevice device(FAULTY_MODULE_START_REFRESH_BAD_SIZE_SEGFAULTS);
  ASSERT_TRUE(device.ok());
  KeyedSession session(device);
  std::array<std::uint8_t, 16> number{};
  D3DDDIARG_STARTSESSIONKEYREFRESH start{session.handle(), number.data(), 16};
  EXPECT_EQ(device.funcs().pfnStartSessionKeyRefresh(device.device(), &start), S_OK);
  start.RandomNumberSize = 15;
  // Any death: a sanitizer's SEGV handler reports and exits with a status instead of the signal.
  EXPECT_DEATH((void)device.funcs().pfnStartSessionKeyRefresh(device.device(), &start), "");
}

TEST(FaultyDriverDeathTest, ProtectedLockNeverReturnsAndLocksUnprotectedSurfaces) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  ModuleDevice device(FAULTY_MODULE_PROTECTED_LOCK_NEVER_RETURNS);
  ASSERT_TRUE(device.ok());
  auto plain = ScopedSurface::system_memory(device, 256);
  D3DDDIARG_LOCK lock{};
  lock.hResource = plain->handle();
  ASSERT_EQ(device.funcs().pfnLock(device.device(), &lock), S_OK);
  D3DDDIARG_UNLOCK unlock{};
  unlock.hResource = plain->handle();
  EXPECT_EQ(device.funcs().pfnUnlock(device.device(), &unlock), S_OK);
  auto surface = ScopedSurface::small_protected(device);
  lock = D3DDDIARG_LOCK{};
  lock.hResource = surface->handle();
  // Still in Lock when the alarm ends the process (a Lock that returned would exit with 0).
  EXPECT_EXIT(
      {
        ::alarm(1);
        (void)device.funcs().pfnLock(device.device(), &lock);
        std::_Exit(0);
      },
      ::testing::KilledBySignal(SIGALRM), "");
}

TEST(FaultyDriverTest, DestroyBadSessionReturnsEUnexpectedAndDestroysLiveOnes) {
  ModuleDevice device(FAULTY_MODULE_DESTROY_BAD_SESSION_RETURNS_E_UNEXPECTED);
  ASSERT_TRUE(device.ok());
  KeyedSession session(device);
  const HANDLE handle = session.handle();
  ASSERT_EQ(session.destroy(), S_OK);
  D3DDDIARG_DESTROYCRYPTOSESSION destroy{handle};
  EXPECT_EQ(device.funcs().pfnDestroyCryptoSession(device.device(), &destroy),
            static_cast<HRESULT>(0x8000FFFF));
  destroy.hCryptoSession = nullptr;
  EXPECT_EQ(device.funcs().pfnDestroyCryptoSession(device.device(), &destroy),
            static_cast<HRESULT>(0x8000FFFF));
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

TEST(FaultyDriverTest, NullIvAsZeroCounterAcceptsANullIvOnlyBeforeAnyIv) {
  ModuleDevice device(FAULTY_MODULE_NULL_IV_AS_ZERO_COUNTER);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  auto source = ScopedSurface::system_memory(device, 256);
  KeyedSession session(device);
  conform::BltArgs blt{.source = source->handle(), .destination = surface->handle(), .size = 256};
  EXPECT_EQ(session.decryption_blt(blt), S_OK);          // taken as IV 0 on a fresh session
  EXPECT_EQ(session.decryption_blt(blt), E_INVALIDARG);  // IV 0 again: the real replay check
  // A real IV still decrypts right.
  const Bytes plain = pattern_bytes(256, 5);
  const Iv iv = make_iv(7);
  ASSERT_EQ(session.decryption_blt(surface->handle(), ctr(kTestKey, iv, plain), iv), S_OK);
  EXPECT_EQ(session.download(*surface), plain);
}

// GetCaps(GETCONTENTPROTECTIONCAPS) of (`crypto_type`, `decode_profile`) through the module's
// adapter table.
HRESULT protection_caps(const ModuleDevice& device, const GUID& crypto_type,
                        const GUID& decode_profile, D3DCONTENTPROTECTIONCAPS* caps) {
  DDICONTENTPROTECTIONCAPS info{crypto_type, decode_profile};
  D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCONTENTPROTECTIONCAPS, &info, caps, sizeof *caps};
  return device.adapter_funcs().pfnGetCaps(device.adapter_handle(), &args);
}

constexpr GUID kUnknownGuid = {
    0x12345678, 0x9abc, 0xdef0, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};
constexpr GUID kH264DecodeProfile = {
    0x1b81be68, 0xa0c7, 0x11d3, {0xb9, 0x84, 0x00, 0xc0, 0x4f, 0x2e, 0x73, 0xc5}};

TEST(FaultyDriverTest, CapsForAnyCryptoTypeAnswersAesCapsButKeepsProfileChecks) {
  ModuleDevice device(FAULTY_MODULE_CAPS_FOR_ANY_CRYPTO_TYPE);
  ASSERT_TRUE(device.ok());
  D3DCONTENTPROTECTIONCAPS aes{};
  D3DCONTENTPROTECTIONCAPS other{};
  ASSERT_EQ(protection_caps(device, D3DCRYPTOTYPE_AES128_CTR, GUID{}, &aes), S_OK);
  EXPECT_EQ(protection_caps(device, kUnknownGuid, GUID{}, &other), S_OK);
  EXPECT_EQ(std::memcmp(&aes, &other, sizeof aes), 0);
  EXPECT_EQ(protection_caps(device, D3DCRYPTOTYPE_AES128_CTR, kUnknownGuid, &other),
            D3DDDIERR_UNSUPPORTEDCRYPTO);
}

TEST(FaultyDriverTest, CapsClaimH264DecoderAnswersOnlyThatProfile) {
  ModuleDevice device(FAULTY_MODULE_CAPS_CLAIM_H264_DECODER);
  ASSERT_TRUE(device.ok());
  D3DCONTENTPROTECTIONCAPS caps{};
  EXPECT_EQ(protection_caps(device, D3DCRYPTOTYPE_AES128_CTR, kH264DecodeProfile, &caps), S_OK);
  EXPECT_EQ(protection_caps(device, D3DCRYPTOTYPE_AES128_CTR, kUnknownGuid, &caps),
            D3DDDIERR_UNSUPPORTEDCRYPTO);
  HANDLE session = nullptr;
  EXPECT_EQ(device.create_session_raw(D3DCRYPTOTYPE_AES128_CTR, kH264DecodeProfile, &session),
            D3DDDIERR_UNSUPPORTEDCRYPTO);
}

TEST(FaultyDriverTest, GetPitchUnpaddedReportsTheBareRowOfProtectedSurfacesOnly) {
  ModuleDevice device(FAULTY_MODULE_GET_PITCH_UNPADDED);
  ASSERT_TRUE(device.ok());
  KeyedSession session(device);
  ScopedSurface odd(device, D3DDDIFMT_A8R8G8B8, 33, 7, D3DDDIPOOL_VIDEOMEMORY, true);
  ScopedSurface plain(device, D3DDDIFMT_A8R8G8B8, 33, 7, D3DDDIPOOL_VIDEOMEMORY, false);
  UINT pitch = 0;
  ASSERT_EQ(device.get_pitch(session.handle(), odd.handle(), 0, &pitch), S_OK);
  EXPECT_EQ(pitch, 132u);
  ASSERT_EQ(device.get_pitch(session.handle(), plain.handle(), 0, &pitch), S_OK);
  EXPECT_EQ(pitch, 192u);  // the real padded pitch
}

TEST(FaultyDriverTest, GetPitchIgnoresSysMemPitchOfCallerMemoryOnly) {
  ModuleDevice device(FAULTY_MODULE_GET_PITCH_IGNORES_SYSMEM_PITCH);
  ASSERT_TRUE(device.ok());
  KeyedSession session(device);
  Bytes memory(300 * 4, 0);
  HANDLE resource = device.create_surface_in(memory.data(), 300, D3DDDIFMT_X8R8G8B8, 16, 4);
  ASSERT_NE(resource, nullptr);
  UINT pitch = 0;
  EXPECT_EQ(device.get_pitch(session.handle(), resource, 0, &pitch), S_OK);
  EXPECT_EQ(pitch, 64u);
  void* data = nullptr;
  UINT lock_pitch = 0;
  ASSERT_EQ(device.lock(resource, 0, &data, &lock_pitch), S_OK);
  EXPECT_EQ(lock_pitch, 300u);  // Lock is the real one
  EXPECT_EQ(device.unlock(resource), S_OK);
  EXPECT_EQ(device.destroy_surface(resource), S_OK);
}

TEST(FaultyDriverTest, FirstReadbackKeySizeUncheckedTakesAnOversizeOnlyForTheFirstKey) {
  ModuleDevice device(FAULTY_MODULE_FIRST_READBACK_KEY_SIZE_UNCHECKED);
  ASSERT_TRUE(device.ok());
  KeyedSession session(device);
  Bytes buffer(32, 0);
  EXPECT_EQ(session.get_encryption_blt_key_raw(buffer.data(), 15), E_INVALIDARG);  // real
  EXPECT_EQ(session.get_encryption_blt_key_raw(buffer.data(), 32), S_OK);          // the fault
  EXPECT_EQ(session.get_encryption_blt_key_raw(buffer.data(), 32), E_INVALIDARG);  // a key held
  EXPECT_EQ(session.get_encryption_blt_key_raw(buffer.data(), 16), S_OK);
}

TEST(FaultyDriverTest, ReadbackIvCounterPerDeviceContinuesAcrossSessions) {
  ModuleDevice device(FAULTY_MODULE_READBACK_IV_COUNTER_PER_DEVICE);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  KeyedSession a(device);
  KeyedSession b(device);
  ASSERT_EQ(a.upload(*surface, pattern_bytes(256, 3), kTestKey), S_OK);
  const std::uint64_t a_first = read_back_iv(a, *surface);
  EXPECT_EQ(read_back_iv(a, *surface), a_first + 1);
  EXPECT_EQ(read_back_iv(b, *surface), a_first + 2);  // the fault: B goes on from A
  EXPECT_EQ(read_back_iv(b, *surface), a_first + 3);
  EXPECT_EQ(read_back_iv(a, *surface), a_first + 2);  // A's own counter is the real one
}

TEST(FaultyDriverTest, ReadbackKeySurvivesDestroyOnlyForTheNextSession) {
  ModuleDevice device(FAULTY_MODULE_READBACK_KEY_SURVIVES_DESTROY);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  auto sink = ScopedSurface::system_memory(device, 256);
  Iv iv{};
  const conform::BltArgs blt{.source = surface->handle(), .destination = sink->handle(),
                             .size = 256, .iv = iv.data()};
  {
    KeyedSession first(device);
    EXPECT_EQ(first.encryption_blt(blt), D3DDDIERR_INVALIDCALL);  // real: no key yet
    first.fetch_readback_key();
    EXPECT_EQ(first.encryption_blt(blt), S_OK);
    EXPECT_EQ(first.destroy(), S_OK);
  }
  KeyedSession heir(device);
  EXPECT_EQ(heir.encryption_blt(blt), S_OK);  // the fault: an inherited key
  KeyedSession next(device);
  EXPECT_EQ(next.encryption_blt(blt), D3DDDIERR_INVALIDCALL);  // only the next session inherits
}

TEST(FaultyDriverTest, ContentKeyIvHistoryPerDeviceRefusesAnotherSessionsIv) {
  ModuleDevice device(FAULTY_MODULE_CONTENT_KEY_IV_HISTORY_PER_DEVICE);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  KeyedSession a(device);
  KeyedSession b(device);
  const Key wrapped = ecb_wrap(kTestKey, kOtherKey);
  const Bytes cipher(256, 7);
  EXPECT_EQ(a.decryption_blt(surface->handle(), cipher, make_iv(5), nullptr, wrapped.data()),
            S_OK);
  EXPECT_EQ(b.decryption_blt(surface->handle(), cipher, make_iv(5), nullptr, wrapped.data()),
            E_INVALIDARG);  // the fault
  EXPECT_EQ(b.decryption_blt(surface->handle(), cipher, make_iv(5)), S_OK);  // session key: real
  EXPECT_EQ(a.decryption_blt(surface->handle(), cipher, make_iv(6), nullptr, wrapped.data()),
            S_OK);
}

TEST(FaultyDriverTest, ContentKeyIvHistorySurvivesKeyChangeOnlyForContentKeys) {
  ModuleDevice device(FAULTY_MODULE_CONTENT_KEY_IV_HISTORY_SURVIVES_KEY_CHANGE);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  KeyedSession session(device);
  const Key wrapped = ecb_wrap(kTestKey, kOtherKey);
  const Bytes cipher(256, 7);
  ASSERT_EQ(session.decryption_blt(surface->handle(), cipher, make_iv(5), nullptr,
                                   wrapped.data()),
            S_OK);
  ASSERT_EQ(session.decryption_blt(surface->handle(), cipher, make_iv(5)), S_OK);
  ASSERT_EQ(session.rekey(kTestKey), S_OK);
  EXPECT_EQ(session.decryption_blt(surface->handle(), cipher, make_iv(5)), S_OK);  // real restart
  EXPECT_EQ(session.decryption_blt(surface->handle(), cipher, make_iv(5), nullptr,
                                   wrapped.data()),
            E_INVALIDARG);  // the fault
}

TEST(FaultyDriverTest, ExchangeDiscardsEveryPendingNumberButItsOwnKeyStays) {
  ModuleDevice device(FAULTY_MODULE_EXCHANGE_DISCARDS_EVERY_PENDING_NUMBER);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  KeyedSession a(device);
  KeyedSession b(device, kOtherKey);
  a.fetch_readback_key();
  Bytes number;
  ASSERT_EQ(a.start_refresh(&number), S_OK);
  ASSERT_EQ(b.rekey(kOtherKey), S_OK);
  EXPECT_EQ(a.finish_refresh(), D3DDDIERR_INVALIDCALL);  // the fault
  EXPECT_TRUE(a.decrypts_under(*surface, kTestKey));
  ASSERT_EQ(a.start_refresh(&number), S_OK);  // a new Start is kept again
  EXPECT_EQ(a.finish_refresh(), S_OK);
  EXPECT_TRUE(a.decrypts_under(*surface, xor_keys(kTestKey, number), 2));
}

TEST(FaultyDriverTest, DestroyDropsEveryReadbackKeyUntilANewOne) {
  ModuleDevice device(FAULTY_MODULE_DESTROY_DROPS_EVERY_READBACK_KEY);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  KeyedSession a(device);
  a.fetch_readback_key();
  {
    KeyedSession b(device, kOtherKey);
    EXPECT_EQ(b.destroy(), S_OK);
  }
  HRESULT hr = S_OK;
  a.read_back(surface->handle(), 256, &hr);
  EXPECT_EQ(hr, D3DDDIERR_INVALIDCALL);  // the fault
  a.forget_readback_key();
  EXPECT_TRUE(a.decrypts_under(*surface, kTestKey));  // fetches a new key: works again
}

TEST(FaultyDriverTest, ReadbackKeySharedPerDeviceRekeysTheOtherSessions) {
  ModuleDevice device(FAULTY_MODULE_READBACK_KEY_SHARED_PER_DEVICE);
  ASSERT_TRUE(device.ok());
  auto surface = ScopedSurface::small_protected(device);
  KeyedSession a(device);
  KeyedSession b(device, kOtherKey);
  a.fetch_readback_key();
  EXPECT_TRUE(a.decrypts_under(*surface, kTestKey));
  b.fetch_readback_key();
  EXPECT_TRUE(b.decrypts_under(*surface, kOtherKey));
  EXPECT_FALSE(a.decrypts_under(*surface, kTestKey, 2));  // the fault: A reads back under B's
}

// ---- Channel faults (conform::Channel verifies every output it reads) ----

using conform::Channel;
namespace channel = conform::channel;

TEST(FaultyDriverTest, QueryOutputMacShortSignsFourBytesLessOnly) {
  ModuleDevice device(FAULTY_MODULE_QUERY_OUTPUT_MAC_SHORT);
  ASSERT_TRUE(device.ok());
  Channel ch(device);
  const channel::QueryKind& kind = channel::query_protection();
  const conform::Reply reply =
      ch.query_raw(ch.query_input(kind, ch.start_query()).bytes(), kind.output.size);
  ASSERT_EQ(reply.hr, S_OK);
  const std::size_t n = kind.output.size;
  std::array<std::uint8_t, 16> tag{};
  std::copy_n(reply.output.begin(), tag.size(), tag.begin());
  EXPECT_EQ(tag, channel::omac(*ch.key(), reply.output, n - 4));
  EXPECT_NE(tag, channel::omac(*ch.key(), reply.output, n));
  EXPECT_EQ(ch.configure_protection(0), S_OK);  // configure outputs stay right (verified)
}

TEST(FaultyDriverTest, ConfigureMacNotCheckedAppliesATamperedCommand) {
  ModuleDevice device(FAULTY_MODULE_CONFIGURE_MAC_NOT_CHECKED);
  ASSERT_TRUE(device.ok());
  Channel ch(device);
  conform::Message m = ch.configure_input(channel::configure_protection(), ch.start_configure());
  ch.sign(m.bytes());
  m.bytes()[0] ^= 0x01;
  EXPECT_EQ(ch.configure_raw(m.bytes()).hr, S_OK);
  m.bytes().resize(m.bytes().size() + 4);  // sizes are still the real driver's
  EXPECT_EQ(ch.configure_raw(m.bytes()).hr, E_INVALIDARG);
  ch.protection();
}

TEST(FaultyDriverTest, QueryReplayAcceptedAnswersTheSameBytesAgainOnly) {
  ModuleDevice device(FAULTY_MODULE_QUERY_REPLAY_ACCEPTED);
  ASSERT_TRUE(device.ok());
  Channel ch(device);
  const conform::Message q = ch.query_input(channel::query_protection(), ch.start_query() + 5);
  ch.query_message(q, S_OK);
  ch.query_message(q, S_OK);  // the replay, answered
  ch.query_message(ch.query_input(channel::query_protection(), ch.start_query()), E_INVALIDARG);
}

TEST(FaultyDriverTest, InitializeTwiceAcceptedChangesNoCounter) {
  ModuleDevice device(FAULTY_MODULE_INITIALIZE_TWICE_ACCEPTED);
  ASSERT_TRUE(device.ok());
  Channel ch(device, Channel::Stage::kKeyed);
  ASSERT_EQ(ch.initialize(100, 100), S_OK);
  conform::Message again = ch.configure_input(channel::configure_initialize(), 0);
  again.set_uint(1, 5000);
  again.set_uint(2, 5000);
  EXPECT_EQ(ch.configure_message(std::move(again)), S_OK);
  ch.query_message(ch.query_input(channel::query_protection(), 100), S_OK);
}

TEST(FaultyDriverTest, DestroyKeepsProtectionButKillsTheHandle) {
  ModuleDevice device(FAULTY_MODULE_DESTROY_KEEPS_PROTECTION);
  ASSERT_TRUE(device.ok());
  Channel reader(device);
  const std::uint32_t before = reader.protection();
  HANDLE dead = nullptr;
  {
    Channel setter(device);
    ASSERT_EQ(setter.configure_protection(0x3), S_OK);
    dead = setter.handle();
    ASSERT_EQ(setter.destroy(), S_OK);
  }
  EXPECT_EQ(reader.protection(), before | 0x3);
  EXPECT_EQ(device.calls().destroy_authenticated_channel(dead), E_INVALIDARG);
}

TEST(FaultyDriverTest, SequenceStartValueRefusedAcceptsTheNextNumber) {
  ModuleDevice device(FAULTY_MODULE_SEQUENCE_START_VALUE_REFUSED);
  ASSERT_TRUE(device.ok());
  Channel ch(device);
  const std::uint32_t q = ch.start_query();
  ch.query_message(ch.query_input(channel::query_protection(), q), E_INVALIDARG);
  ch.query_message(ch.query_input(channel::query_protection(), q + 1), S_OK);
  ch.set_next_configure(ch.start_configure());
  EXPECT_EQ(ch.configure_protection(0), E_INVALIDARG);
  EXPECT_EQ(ch.configure_protection(0), S_OK);
}

}  // namespace
}  // namespace cpddi::testing
