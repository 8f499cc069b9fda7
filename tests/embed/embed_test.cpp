// Embedding through the C ABI (include/cpddi/cpddi_embed.h, docs/embedding.md): a host device
// attached under the host's own HANDLE, host surfaces whose bytes are the host's, the wait that
// says when the host may touch them again, and the fill of a WDK-layout D3DDDI_DEVICEFUNCS. The
// host's handles are addresses of the test's own objects, as a real host's would be. No test
// bounds a duration: work is kept in flight with the queue-hold seam, and a call that must wait
// is checked by changing its inputs right after it returns (as tests/async does).
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "device/work_queue.h"
#include "embed/host_surface.h"
#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

using device::testing::HeldQueues;

HANDLE host_handle(const void* object) { return const_cast<HANDLE>(object); }

// A host device (its own object, whose address is its handle) attached for the test's life to a
// cpddi adapter the suite shares (opening one makes an RSA-2048 key), and a view that calls
// cpddi's entries with the host's handle.
class EmbedTest : public SharedDeviceTest {
 protected:
  void SetUp() override {
    SharedDeviceTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    ASSERT_EQ(cpddi_attach_host_device(cpddi_.adapter_handle(), host_device()), S_OK);
    host_ = cpddi_.calling_as(host_device());
  }
  void TearDown() override {
    if (attached_) {
      EXPECT_EQ(cpddi_detach_host_device(host_device()), S_OK);
    }
  }

  HANDLE host_device() const { return host_handle(&host_device_object_); }
  HRESULT detach() {
    attached_ = false;
    return cpddi_detach_host_device(host_device());
  }
  HRESULT add(HostSurface& surface, bool is_protected) {
    const CPDDI_HOST_SURFACE desc = surface.desc(is_protected);
    return cpddi_register_host_surface(host_device(), surface.handle(), &desc);
  }
  // The application's frame for `seed`, encrypted under the session's key with its next IV into
  // the host's `source` bytes; returns the plaintext and the IV.
  static std::pair<Bytes, Iv> seal(conform::Session& session, HostSurface& source,
                                   std::uint32_t seed) {
    Bytes plain = pattern_bytes(kHostLen, seed);
    const Iv iv = session.next_iv();
    const Bytes sealed = ctr(session.app_key(), iv, plain);
    std::copy(sealed.begin(), sealed.end(), source.bytes.begin());
    return {std::move(plain), iv};
  }
  // DecryptionBlt of `source`'s bytes (ciphertext) into `destination`, both host surfaces.
  HRESULT decrypt(conform::Session& session, const HostSurface& source,
                  const HostSurface& destination, Iv iv) {
    conform::BltArgs blt;
    blt.source = source.handle();
    blt.destination = destination.handle();
    blt.size = static_cast<UINT>(kHostLen);
    blt.iv = iv.data();
    return session.decryption_blt(blt);
  }

  OpenedDevice& cpddi_ = device();  // cpddi's adapter, and a device of cpddi's own
  std::unique_ptr<conform::Device> host_;
  int host_device_object_ = 0;
  bool attached_ = true;
};

TEST_F(EmbedTest, DecryptionBltIntoHostMemoryReadsBackRight) {
  conform::Session session(*host_);
  HostSurface source, destination, readback;
  ASSERT_EQ(add(source, false), S_OK);
  ASSERT_EQ(add(destination, true), S_OK);
  ASSERT_EQ(add(readback, false), S_OK);
  const auto [plain, iv] = seal(session, source, 11);

  ASSERT_EQ(decrypt(session, source, destination, iv), S_OK);
  ASSERT_EQ(cpddi_wait_host_surface(host_device(), destination.handle(), 0), S_OK);
  EXPECT_EQ(destination.contents(), plain) << "the blt wrote the host's own bytes";

  Key wrapped{};
  ASSERT_EQ(session.get_encryption_blt_key(&wrapped), S_OK);
  Iv readback_iv{};
  conform::BltArgs blt;
  blt.source = destination.handle();
  blt.destination = readback.handle();
  blt.size = static_cast<UINT>(kHostLen);
  blt.iv = readback_iv.data();
  ASSERT_EQ(session.encryption_blt(blt), S_OK);
  ASSERT_EQ(cpddi_wait_host_surface(host_device(), readback.handle(), 0), S_OK);
  EXPECT_EQ(ctr(ecb_unwrap(session.app_key(), wrapped), readback_iv, readback.contents()), plain);
  EXPECT_NE(readback.contents(), plain) << "read back encrypted, never in the clear";
}

TEST_F(EmbedTest, GetPitchOfAHostSurfaceIsTheHostsPitch) {
  conform::Session session(*host_);
  std::vector<std::uint8_t> memory(300 * kHostHeight);
  HostSurface layout;
  CPDDI_HOST_SURFACE desc = layout.desc(false);
  desc.Pitch = 300;
  desc.pMemory = memory.data();
  desc.MemorySize = memory.size();
  ASSERT_EQ(cpddi_register_host_surface(host_device(), host_handle(memory.data()), &desc), S_OK);
  UINT pitch = 0;
  EXPECT_EQ(host_->get_pitch(session.handle(), host_handle(memory.data()), 0, &pitch), S_OK);
  EXPECT_EQ(pitch, 300u);
}

TEST_F(EmbedTest, ProtectedHostSurfaceRefusesLockAndUnprotectedLocksToTheHostsBytes) {
  HostSurface shielded, plain;
  ASSERT_EQ(add(shielded, true), S_OK);
  ASSERT_EQ(add(plain, false), S_OK);
  void* data = &shielded;  // sentinels: a refused lock writes nothing
  UINT pitch = 7;
  EXPECT_EQ(cpddi_lock_host_surface(host_device(), shielded.handle(), 0, &data, &pitch),
            D3DDDIERR_INVALIDCALL);
  EXPECT_EQ(data, &shielded);
  EXPECT_EQ(pitch, 7u);
  EXPECT_EQ(host_->lock(shielded.handle(), 0, &data, &pitch), D3DDDIERR_INVALIDCALL)
      << "cpddi's own Lock refuses it under the host's handle too (A22)";

  ASSERT_EQ(cpddi_lock_host_surface(host_device(), plain.handle(), 0, &data, &pitch), S_OK);
  EXPECT_EQ(data, plain.bytes.data());
  EXPECT_EQ(pitch, kHostPitch);
  EXPECT_EQ(cpddi_lock_host_surface(host_device(), plain.handle(), 0, &data, &pitch),
            D3DDDIERR_INVALIDCALL)
      << "already locked";
  EXPECT_EQ(cpddi_unlock_host_surface(host_device(), plain.handle()), S_OK);
  EXPECT_EQ(cpddi_unlock_host_surface(host_device(), plain.handle()), D3DDDIERR_INVALIDCALL);
  EXPECT_EQ(cpddi_lock_host_surface(host_device(), plain.handle(), 0, nullptr, &pitch),
            E_INVALIDARG);
  EXPECT_EQ(cpddi_lock_host_surface(host_device(), plain.handle(), 2, &data, &pitch),
            E_INVALIDARG)
      << "unknown flag";
}

TEST_F(EmbedTest, WaitReturnsOnlyAfterTheQueuedBltsOnTheSurface) {
  conform::Session session(*host_);
  HostSurface source, destination, idle;
  ASSERT_EQ(add(source, false), S_OK);
  ASSERT_EQ(add(destination, true), S_OK);
  ASSERT_EQ(add(idle, true), S_OK);
  const auto [plain, iv] = seal(session, source, 12);
  HeldQueues held;
  ASSERT_EQ(decrypt(session, source, destination, iv), S_OK);

  EXPECT_EQ(cpddi_wait_host_surface(host_device(), destination.handle(), CPDDI_WAIT_DONOTWAIT),
            D3DDDIERR_WASSTILLDRAWING);
  EXPECT_EQ(cpddi_wait_host_surface(host_device(), source.handle(), CPDDI_WAIT_DONOTWAIT),
            D3DDDIERR_WASSTILLDRAWING)
      << "the blt reads the source too";
  EXPECT_EQ(cpddi_wait_host_surface(host_device(), idle.handle(), CPDDI_WAIT_DONOTWAIT), S_OK)
      << "nothing queued uses this surface";
  EXPECT_EQ(destination.contents(), Bytes(kHostLen, 0)) << "the blt is still queued";

  std::thread releaser([&] { held.release(); });
  EXPECT_EQ(cpddi_wait_host_surface(host_device(), source.handle(), 0), S_OK);
  std::fill(source.bytes.begin(), source.bytes.end(), std::uint8_t{0xAB});  // the host reuses it
  releaser.join();
  EXPECT_EQ(cpddi_wait_host_surface(host_device(), destination.handle(), 0), S_OK);
  EXPECT_EQ(destination.contents(), plain) << "the blt read the source before the wait returned";
}

TEST_F(EmbedTest, UnregisterWaitsForABltReadingTheHostsMemory) {
  conform::Session session(*host_);
  HostSurface source, destination;
  ASSERT_EQ(add(source, false), S_OK);
  ASSERT_EQ(add(destination, true), S_OK);
  const auto [plain, iv] = seal(session, source, 13);
  HeldQueues held;
  ASSERT_EQ(decrypt(session, source, destination, iv), S_OK);

  std::thread releaser([&] { held.release(); });
  EXPECT_EQ(cpddi_unregister_host_surface(host_device(), source.handle()), S_OK);
  std::fill(source.bytes.begin(), source.bytes.end(), std::uint8_t{0xAB});
  releaser.join();
  EXPECT_EQ(cpddi_wait_host_surface(host_device(), destination.handle(), 0), S_OK);
  EXPECT_EQ(destination.contents(), plain);
  EXPECT_EQ(cpddi_wait_host_surface(host_device(), source.handle(), 0), E_INVALIDARG)
      << "an unregistered host handle names nothing";
  EXPECT_EQ(cpddi_unregister_host_surface(host_device(), source.handle()), E_INVALIDARG);
}

TEST_F(EmbedTest, DetachWaitsForABltWritingTheHostsMemory) {
  auto session = std::make_unique<conform::Session>(*host_);
  HostSurface source, destination;
  ASSERT_EQ(add(source, false), S_OK);
  ASSERT_EQ(add(destination, true), S_OK);
  const auto [plain, iv] = seal(*session, source, 14);
  HeldQueues held;
  ASSERT_EQ(decrypt(*session, source, destination, iv), S_OK);

  std::thread releaser([&] { held.release(); });
  EXPECT_EQ(detach(), S_OK);
  const Bytes written = destination.contents();  // the host takes its memory back at once
  releaser.join();
  EXPECT_EQ(written, plain) << "the blt ran before detach returned";
  session.reset();  // its handle died with the device; the harness ignores what Destroy says
}

TEST_F(EmbedTest, ProtectedHostSurfacesCountAgainstTheProtectedPool) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.ProtectedMemorySize = kHostLen;  // room for exactly one surface
  OpenedDevice small(&options);
  int other_device = 0;
  ASSERT_EQ(cpddi_attach_host_device(small.adapter_handle(), host_handle(&other_device)), S_OK);
  HostSurface first, second, unprotected;
  const CPDDI_HOST_SURFACE first_desc = first.desc(true);
  const CPDDI_HOST_SURFACE second_desc = second.desc(true);
  const CPDDI_HOST_SURFACE unprotected_desc = unprotected.desc(false);
  const HANDLE device = host_handle(&other_device);

  EXPECT_EQ(cpddi_register_host_surface(device, first.handle(), &first_desc), S_OK);
  EXPECT_EQ(cpddi_register_host_surface(device, second.handle(), &second_desc),
            D3DDDIERR_OUTOFHWPROTECTEDMEMORY);
  EXPECT_EQ(cpddi_register_host_surface(device, unprotected.handle(), &unprotected_desc), S_OK)
      << "unprotected host memory takes nothing from the pool";
  EXPECT_EQ(cpddi_unregister_host_surface(device, first.handle()), S_OK);
  EXPECT_EQ(cpddi_register_host_surface(device, second.handle(), &second_desc), S_OK)
      << "unregister returned the bytes";
  EXPECT_EQ(cpddi_detach_host_device(device), S_OK);
}

// ---- Registration arguments: each row breaks one thing; nothing is registered ----

struct BadSurfaceRow {
  const char* name;
  void (*spoil)(CPDDI_HOST_SURFACE&);
};

class HostSurfaceArgumentTest : public EmbedTest,
                                public ::testing::WithParamInterface<BadSurfaceRow> {};

TEST_P(HostSurfaceArgumentTest, IsRefusedWithInvalidArgAndRegistersNothing) {
  HostSurface surface;
  CPDDI_HOST_SURFACE desc = surface.desc(true);
  GetParam().spoil(desc);
  EXPECT_EQ(cpddi_register_host_surface(host_device(), surface.handle(), &desc), E_INVALIDARG);
  EXPECT_EQ(cpddi_wait_host_surface(host_device(), surface.handle(), 0), E_INVALIDARG);
  EXPECT_EQ(add(surface, true), S_OK) << "the handle is still free";
}

INSTANTIATE_TEST_SUITE_P(
    Rows, HostSurfaceArgumentTest,
    ::testing::Values(
        BadSurfaceRow{"WrongStructSize", [](CPDDI_HOST_SURFACE& d) { d.StructSize -= 1; }},
        BadSurfaceRow{"NullMemory", [](CPDDI_HOST_SURFACE& d) { d.pMemory = nullptr; }},
        BadSurfaceRow{"UnsupportedFormat",
                      [](CPDDI_HOST_SURFACE& d) { d.Format = D3DDDIFMT_UNKNOWN; }},
        BadSurfaceRow{"ZeroWidth", [](CPDDI_HOST_SURFACE& d) { d.Width = 0; }},
        BadSurfaceRow{"PitchBelowOneRow", [](CPDDI_HOST_SURFACE& d) { d.Pitch = kHostPitch - 1; }},
        BadSurfaceRow{"MemoryBelowPitchTimesRows",
                      [](CPDDI_HOST_SURFACE& d) { d.MemorySize = kHostLen - 1; }},
        BadSurfaceRow{"OddNv12Height",
                      [](CPDDI_HOST_SURFACE& d) {
                        d.Format = D3DDDIFMT_NV12;
                        d.Height = 3;
                      }}),
    RowName{});

TEST_F(EmbedTest, RegisterRefusesANullDescriptionAndHandlesThatCannotBeTheHosts) {
  HostSurface surface;
  const CPDDI_HOST_SURFACE desc = surface.desc(false);
  EXPECT_EQ(cpddi_register_host_surface(host_device(), surface.handle(), nullptr), E_INVALIDARG);
  EXPECT_EQ(cpddi_register_host_surface(host_device(), nullptr, &desc), E_INVALIDARG);
  HANDLE session = nullptr;
  ASSERT_EQ(host_->create_session_raw(D3DCRYPTOTYPE_AES128_CTR, GUID{}, &session), S_OK);
  EXPECT_EQ(cpddi_register_host_surface(host_device(), session, &desc), E_INVALIDARG)
      << "a value in cpddi's handle space (top byte set) is never a host handle";
  EXPECT_EQ(cpddi_register_host_surface(host_device(), host_device(), &desc), E_INVALIDARG)
      << "the value already names the attached device";
  EXPECT_EQ(host_->destroy_session(session), S_OK);
}

// ---- Host devices ----

TEST_F(EmbedTest, DetachDestroysWhatCpddiHeldAndTheHandleThenNamesNothing) {
  HANDLE session = nullptr;
  ASSERT_EQ(host_->create_session_raw(D3DCRYPTOTYPE_AES128_CTR, GUID{}, &session), S_OK);
  HostSurface surface;
  ASSERT_EQ(add(surface, true), S_OK);
  ASSERT_EQ(detach(), S_OK);

  UINT pitch = 0;
  EXPECT_EQ(host_->get_pitch(session, surface.handle(), 0, &pitch), E_INVALIDARG);
  EXPECT_EQ(cpddi_detach_host_device(host_device()), E_INVALIDARG) << "detached already";
  EXPECT_EQ(host_->create_session_raw(D3DCRYPTOTYPE_AES128_CTR, GUID{}, &session), E_INVALIDARG);

  // The same host value attached again is a new device: nothing of the old one comes back.
  ASSERT_EQ(cpddi_attach_host_device(cpddi_.adapter_handle(), host_device()), S_OK);
  attached_ = true;
  EXPECT_EQ(host_->get_pitch(session, surface.handle(), 0, &pitch), E_INVALIDARG);
  EXPECT_EQ(add(surface, false), S_OK) << "the surface handle was freed by the detach";
}

TEST_F(EmbedTest, AttachRefusesWhatCouldCollideOrIsUnknown) {
  int other = 0;
  EXPECT_EQ(cpddi_attach_host_device(cpddi_.adapter_handle(), host_device()), E_INVALIDARG)
      << "already attached";
  EXPECT_EQ(cpddi_attach_host_device(cpddi_.adapter_handle(), nullptr), E_INVALIDARG);
  EXPECT_EQ(cpddi_attach_host_device(cpddi_.adapter_handle(), cpddi_.device()), E_INVALIDARG)
      << "cpddi's own device handle is in cpddi's space";
  const auto tagged = reinterpret_cast<std::uintptr_t>(&other) | (std::uintptr_t{0x48} << 56);
  EXPECT_EQ(cpddi_attach_host_device(cpddi_.adapter_handle(), reinterpret_cast<HANDLE>(tagged)),
            E_INVALIDARG)
      << "any non-zero top byte is refused, including the host-key tag itself";
  EXPECT_EQ(cpddi_attach_host_device(cpddi_.device(), host_handle(&other)), E_INVALIDARG)
      << "a device handle is not an adapter";
  EXPECT_EQ(cpddi_detach_host_device(cpddi_.device()), E_INVALIDARG)
      << "detach never reaches a device cpddi created";
  EXPECT_EQ(cpddi_detach_host_device(host_handle(&other)), E_INVALIDARG) << "never attached";
  HANDLE session = nullptr;
  EXPECT_EQ(cpddi_.create_session_raw(D3DCRYPTOTYPE_AES128_CTR, GUID{}, &session), S_OK)
      << "cpddi's own device is untouched";
  EXPECT_EQ(cpddi_.destroy_session(session), S_OK);
}

TEST_F(EmbedTest, HostSurfaceOfOneDeviceIsUnknownOnAnother) {
  conform::Session on_cpddi_device(cpddi_);
  HostSurface surface;
  ASSERT_EQ(add(surface, true), S_OK);
  UINT pitch = 0;
  EXPECT_EQ(cpddi_.get_pitch(on_cpddi_device.handle(), surface.handle(), 0, &pitch),
            E_INVALIDARG);
  EXPECT_EQ(cpddi_wait_host_surface(cpddi_.device(), surface.handle(), 0), E_INVALIDARG);
}

// ---- The WDK-layout D3DDDI_DEVICEFUNCS fill (spec §2.10, A37) ----

void poison_slot() {}
const CPDDI_TABLE_SLOT kPoison = &poison_slot;

// A typed entry as the table holds it: the same pointer bits, as a host's typed struct would
// hold them.
template <class Pfn>
CPDDI_TABLE_SLOT slot_of(Pfn pfn) {
  return std::bit_cast<CPDDI_TABLE_SLOT>(pfn);
}

TEST_F(EmbedTest, WdkFillWritesSlots106To119AndTouchesNoOtherSlot) {
  std::array<CPDDI_TABLE_SLOT, 143> table;  // a WDDM 2.1.2 table, the longest
  table.fill(kPoison);
  ASSERT_EQ(cpddi_fill_d3d9_wdk_device_funcs(table.data(), static_cast<UINT>(table.size())), S_OK);

  const D3DDDI_DEVICEFUNCS& compact = cpddi_.funcs();
  const std::array<CPDDI_TABLE_SLOT, 14> expected = {
      slot_of(compact.pfnCreateAuthenticatedChannel),
      slot_of(compact.pfnAuthenticatedChannelKeyExchange),
      slot_of(compact.pfnQueryAuthenticatedChannel),
      slot_of(compact.pfnConfigureAuthenticatedChannel),
      slot_of(compact.pfnDestroyAuthenticatedChannel),
      slot_of(compact.pfnCreateCryptoSession),
      slot_of(compact.pfnCryptoSessionKeyExchange),
      slot_of(compact.pfnDestroyCryptoSession),
      slot_of(compact.pfnEncryptionBlt),
      slot_of(compact.pfnGetPitch),
      slot_of(compact.pfnStartSessionKeyRefresh),
      slot_of(compact.pfnFinishSessionKeyRefresh),
      slot_of(compact.pfnGetEncryptionBltKey),
      slot_of(compact.pfnDecryptionBlt)};
  for (std::size_t i = 0; i < table.size(); ++i) {
    SCOPED_TRACE(::testing::Message() << "slot " << i);
    if (i >= 106 && i <= 119) {
      EXPECT_EQ(table[i], expected[i - 106]);
    } else {
      EXPECT_EQ(table[i], kPoison);
    }
  }
}

TEST(WdkDeviceFuncsFillTest, ExactlyOneHundredTwentySlotsIsEnough) {
  std::array<CPDDI_TABLE_SLOT, 120> table;
  table.fill(kPoison);
  ASSERT_EQ(cpddi_fill_d3d9_wdk_device_funcs(table.data(), 120), S_OK);
  EXPECT_NE(table[119], kPoison);
  EXPECT_EQ(table[105], kPoison);
}

TEST(WdkDeviceFuncsFillTest, RefusesAShortTableOrNullAndWritesNothing) {
  std::array<CPDDI_TABLE_SLOT, 143> table;
  table.fill(kPoison);
  EXPECT_EQ(cpddi_fill_d3d9_wdk_device_funcs(table.data(), 119), E_INVALIDARG);
  EXPECT_EQ(cpddi_fill_d3d9_wdk_device_funcs(table.data(), 99), E_INVALIDARG);
  EXPECT_EQ(cpddi_fill_d3d9_wdk_device_funcs(nullptr, 143), E_INVALIDARG);
  EXPECT_TRUE(std::all_of(table.begin(), table.end(), [](auto s) { return s == kPoison; }));
}

TEST_F(EmbedTest, FilledSlotsServeTheHostDeviceUnderItsOwnHandle) {
  std::array<CPDDI_TABLE_SLOT, 121> table{};
  ASSERT_EQ(cpddi_fill_d3d9_wdk_device_funcs(table.data(), 121), S_OK);
  const auto create = std::bit_cast<PFND3DDDI_CREATECRYPTOSESSION>(table[111]);
  const auto destroy = std::bit_cast<PFND3DDDI_DESTROYCRYPTOSESSION>(table[113]);
  D3DDDIARG_CREATECRYPTOSESSION args{};
  args.CryptoType = D3DCRYPTOTYPE_AES128_CTR;
  ASSERT_EQ(create(host_device(), &args), S_OK);
  EXPECT_NE(args.hCryptoSession, nullptr);
  D3DDDIARG_DESTROYCRYPTOSESSION gone{};
  gone.hCryptoSession = args.hCryptoSession;
  EXPECT_EQ(destroy(host_device(), &gone), S_OK);
  EXPECT_EQ(destroy(host_device(), &gone), E_INVALIDARG);
}

}  // namespace
}  // namespace cpddi::testing
