// Embedding through the D3D11.1 front end (include/cpddi/cpddi_embed.h): cpddi's entries in the
// content-protection slots of a host-owned video table and no other slot, a host device attached
// with the host's own private memory and error callback, and host surfaces named by theirs. The
// entries are called through the host's filled table, as the host's runtime would call them.
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "conform/harness.h"
#include "crypto/rsa.h"
#include "embed/host_surface.h"
#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

// What pfnSetErrorCb received (the host passes its runtime's callback; here, a recorder).
std::vector<HRESULT>& reported() {
  static std::vector<HRESULT> errors;
  return errors;
}
void APIENTRY record_error(D3D10DDI_HRTCORELAYER, HRESULT hr) { reported().push_back(hr); }
constexpr D3D10DDI_CORELAYER_DEVICECALLBACKS kCallbacks{&record_error};

// A video table seen as its slots, for the poison checks.
template <class VideoFuncs, std::size_t kSlots>
std::array<CPDDI_TABLE_SLOT, kSlots> slots_of(const VideoFuncs& funcs) {
  static_assert(sizeof(VideoFuncs) == kSlots * sizeof(CPDDI_TABLE_SLOT));
  return std::bit_cast<std::array<CPDDI_TABLE_SLOT, kSlots>>(funcs);
}

void poison_slot() {}
const CPDDI_TABLE_SLOT kPoison = &poison_slot;

template <class VideoFuncs, std::size_t kSlots>
VideoFuncs poisoned() {
  std::array<CPDDI_TABLE_SLOT, kSlots> slots;
  slots.fill(kPoison);
  return std::bit_cast<VideoFuncs>(slots);
}

class EmbedD3d11Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    CPDDI_D3D11_1_OPENADAPTER open{};
    open.pAdapterFuncs = &adapter_funcs_;
    ASSERT_EQ(cpddi_d3d11_1_open_adapter(&open, nullptr), S_OK);
    adapter_ = open.hAdapter;
  }
  static void TearDownTestSuite() { EXPECT_EQ(adapter_funcs_.pfnCloseAdapter(adapter_), S_OK); }

  void SetUp() override {
    reported().clear();
    ASSERT_EQ(cpddi_d3d11_1_attach_host_device(adapter_, device(), {}, &kCallbacks,
                                               CPDDI_D3D11_1_ERROR_MODE_STRICT),
              S_OK);
    funcs_ = poisoned<D3D11_1DDI_VIDEODEVICEFUNCS, 81>();
    ASSERT_EQ(cpddi_fill_d3d11_1_video_funcs(&funcs_), S_OK);
  }
  void TearDown() override {
    if (attached_) {
      EXPECT_EQ(cpddi_d3d11_1_detach_host_device(device()), S_OK);
    }
    EXPECT_TRUE(reported().empty()) << "a void entry reported " << reported().size() << " errors";
  }

  D3D10DDI_HDEVICE device() { return {&host_device_object_}; }
  HRESULT add(HostSurface& surface, bool is_protected) {
    const CPDDI_HOST_SURFACE d = surface.desc(is_protected);
    return cpddi_d3d11_1_register_host_surface(device(), surface.resource(), &d);
  }

  // A keyed session in `memory` (the host allocates it, sized by cpddi's CalcPrivate…Size).
  D3D11_1DDI_HCRYPTOSESSION open_session(std::vector<std::uint8_t>& memory, const Key& key) {
    D3D11_1DDIARG_CREATECRYPTOSESSION create{};
    create.CryptoType = D3DCRYPTOTYPE_AES128_CTR;
    create.KeyExchangeType = D3D11_1DDI_KEY_EXCHANGE_RSAES_OAEP;
    memory.resize(
        std::max<std::size_t>(funcs_.pfnCalcPrivateCryptoSessionSize(device(), &create), 1));
    const D3D11_1DDI_HCRYPTOSESSION session{memory.data()};
    EXPECT_EQ(funcs_.pfnCreateCryptoSession(device(), &create, session, {}), S_OK);
    D3D11_1DDI_CERTIFICATE_INFO info{};
    info.CertificateType = D3D11_1DDI_CERTIFICATE_TYPE_CRYPTO_SESSION;
    info.CryptoSessionType = D3DCRYPTOTYPE_AES128_CTR;
    UINT size = 0;
    funcs_.pfnGetCertificateSize(device(), &info, &size);
    Bytes certificate(size);
    funcs_.pfnGetCertificate(device(), &info, size, certificate.data());
    Bytes blob = conform::oaep_wrap(*conform::leaf_key_of(certificate), key);
    EXPECT_EQ(funcs_.pfnNegotiateCryptoSessionKeyExchange(device(), session,
                                                          static_cast<UINT>(blob.size()),
                                                          blob.data()),
              S_OK);
    return session;
  }

  static inline CPDDI_D3D11_1_ADAPTERFUNCS adapter_funcs_{};
  static inline D3D10DDI_HADAPTER adapter_{};
  D3D11_1DDI_VIDEODEVICEFUNCS funcs_{};
  int host_device_object_ = 0;
  bool attached_ = true;
};

TEST_F(EmbedD3d11Test, DecryptionBltIntoHostMemoryReadsBackRightThroughTheHostsTable) {
  std::vector<std::uint8_t> session_memory;
  const Key key = kTestKey;
  const D3D11_1DDI_HCRYPTOSESSION session = open_session(session_memory, key);
  HostSurface source, destination, readback;
  ASSERT_EQ(add(source, false), S_OK);
  ASSERT_EQ(add(destination, true), S_OK);
  ASSERT_EQ(add(readback, false), S_OK);
  const Bytes plain = pattern_bytes(kHostLen, 21);
  Iv iv = make_iv(1);
  const Bytes sealed = ctr(key, iv, plain);
  std::copy(sealed.begin(), sealed.end(), source.bytes.begin());

  funcs_.pfnDecryptionBlt(device(), session, source.resource(), destination.resource(), nullptr, 0,
                          nullptr, 16, iv.data());
  ASSERT_EQ(cpddi_d3d11_1_wait_host_surface(device(), destination.resource(), 0), S_OK);
  EXPECT_EQ(destination.contents(), plain);

  Key wrapped{};
  funcs_.pfnGetEncryptionBltKey(device(), session, 16, wrapped.data());
  Iv readback_iv{};
  funcs_.pfnEncryptionBlt(device(), session, destination.resource(), readback.resource(), 16,
                          readback_iv.data());
  D3D10DDI_MAPPED_SUBRESOURCE mapped{};
  ASSERT_EQ(cpddi_d3d11_1_map_host_surface(device(), readback.resource(), 0, &mapped), S_OK);
  EXPECT_EQ(mapped.pData, readback.bytes.data());
  EXPECT_EQ(mapped.RowPitch, kHostPitch);
  EXPECT_EQ(ctr(ecb_unwrap(key, wrapped), readback_iv, readback.contents()), plain);
  EXPECT_EQ(cpddi_d3d11_1_unmap_host_surface(device(), readback.resource()), S_OK);
  funcs_.pfnDestroyCryptoSession(device(), session);
}

TEST_F(EmbedD3d11Test, ProtectedHostSurfaceIsNeverMapped) {
  HostSurface shielded;
  ASSERT_EQ(add(shielded, true), S_OK);
  D3D10DDI_MAPPED_SUBRESOURCE mapped{&shielded, 7, 7};
  EXPECT_EQ(cpddi_d3d11_1_map_host_surface(device(), shielded.resource(), 0, &mapped),
            E_INVALIDARG);
  EXPECT_EQ(mapped.pData, &shielded) << "nothing written";
  EXPECT_EQ(cpddi_d3d11_1_wait_host_surface(device(), shielded.resource(), CPDDI_WAIT_DONOTWAIT),
            S_OK)
      << "the wait maps nothing, so it serves protected surfaces too";
  EXPECT_EQ(cpddi_d3d11_1_wait_host_surface(device(), shielded.resource(), 4), E_INVALIDARG);
}

TEST_F(EmbedD3d11Test, UnregisterAndDetachLeaveTheHostsHandlesNamingNothing) {
  HostSurface surface;
  ASSERT_EQ(add(surface, true), S_OK);
  EXPECT_EQ(add(surface, true), E_INVALIDARG) << "already registered";
  ASSERT_EQ(cpddi_d3d11_1_unregister_host_surface(device(), surface.resource()), S_OK);
  EXPECT_EQ(cpddi_d3d11_1_wait_host_surface(device(), surface.resource(), 0), E_INVALIDARG);
  ASSERT_EQ(add(surface, true), S_OK);
  attached_ = false;
  ASSERT_EQ(cpddi_d3d11_1_detach_host_device(device()), S_OK);
  EXPECT_EQ(cpddi_d3d11_1_wait_host_surface(device(), surface.resource(), 0), E_INVALIDARG);
  EXPECT_EQ(cpddi_d3d11_1_detach_host_device(device()), E_INVALIDARG);
}

TEST_F(EmbedD3d11Test, AttachAndRegisterRefuseHandlesThatCouldCollide) {
  int other = 0;
  const auto high = reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(&other) |
                                            (std::uintptr_t{0x48} << 56));
  EXPECT_EQ(cpddi_d3d11_1_attach_host_device(adapter_, device(), {}, &kCallbacks,
                                             CPDDI_D3D11_1_ERROR_MODE_STRICT),
            E_INVALIDARG)
      << "already attached";
  EXPECT_EQ(cpddi_d3d11_1_attach_host_device(adapter_, {high}, {}, &kCallbacks,
                                             CPDDI_D3D11_1_ERROR_MODE_STRICT),
            E_INVALIDARG);
  EXPECT_EQ(cpddi_d3d11_1_attach_host_device(adapter_, {nullptr}, {}, &kCallbacks,
                                             CPDDI_D3D11_1_ERROR_MODE_STRICT),
            E_INVALIDARG);
  EXPECT_EQ(cpddi_d3d11_1_attach_host_device(adapter_, {&other}, {}, nullptr,
                                             CPDDI_D3D11_1_ERROR_MODE_STRICT),
            E_INVALIDARG);
  HostSurface surface;
  const CPDDI_HOST_SURFACE d = surface.desc(false);
  EXPECT_EQ(cpddi_d3d11_1_register_host_surface(device(), {high}, &d), E_INVALIDARG);
  EXPECT_EQ(cpddi_d3d11_1_register_host_surface(device(), {nullptr}, &d), E_INVALIDARG);
  EXPECT_EQ(cpddi_d3d11_1_register_host_surface(device(), surface.resource(), nullptr),
            E_INVALIDARG);
  EXPECT_EQ(cpddi_d3d11_1_register_host_surface(device(), {&host_device_object_}, &d),
            E_INVALIDARG)
      << "the device's own memory already names a live object";
}

TEST_F(EmbedD3d11Test, ProtectedPoolExhaustionIsOutOfMemory) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.ProtectedMemorySize = kHostLen;
  CPDDI_D3D11_1_ADAPTERFUNCS funcs{};
  CPDDI_D3D11_1_OPENADAPTER open{};
  open.pAdapterFuncs = &funcs;
  ASSERT_EQ(cpddi_d3d11_1_open_adapter(&open, &options), S_OK);
  int other = 0;
  ASSERT_EQ(cpddi_d3d11_1_attach_host_device(open.hAdapter, {&other}, {}, &kCallbacks,
                                             CPDDI_D3D11_1_ERROR_MODE_STRICT),
            S_OK);
  HostSurface first, second;
  const CPDDI_HOST_SURFACE a = first.desc(true);
  const CPDDI_HOST_SURFACE b = second.desc(true);
  EXPECT_EQ(cpddi_d3d11_1_register_host_surface({&other}, first.resource(), &a), S_OK);
  EXPECT_EQ(cpddi_d3d11_1_register_host_surface({&other}, second.resource(), &b), E_OUTOFMEMORY)
      << "the D3D11.1 spelling of OUTOFHWPROTECTEDMEMORY (A41)";
  EXPECT_EQ(cpddi_d3d11_1_detach_host_device({&other}), S_OK);
  EXPECT_EQ(funcs.pfnCloseAdapter(open.hAdapter), S_OK);
}

// ---- The video-table fills (spec §8.2, A38) ----

// cpddi's own whole table for SubDeviceID `id`, from a device cpddi created the runtime's way.
template <class VideoFuncs, class Input, class Output>
VideoFuncs cpddis_own_table(D3D10DDI_HADAPTER adapter, CPDDI_D3D11_1_ADAPTERFUNCS& adapter_funcs,
                            UINT32 id) {
  int device_memory = 0;
  CPDDI_D3D11_1_DEVICEFUNCS device_funcs{};
  PFND3D10DDI_RETRIEVESUBOBJECT retrieve = nullptr;
  CPDDI_D3D11_1_CREATEDEVICE create{};
  create.hDrvDevice = {&device_memory};
  create.pUMCallbacks = &kCallbacks;
  create.pDeviceFuncs = &device_funcs;
  create.ppfnRetrieveSubObject = &retrieve;
  EXPECT_EQ(adapter_funcs.pfnCreateDevice(adapter, &create), S_OK);
  VideoFuncs table{};
  Input input{0, &table};
  Output output{};
  EXPECT_EQ(retrieve(create.hDrvDevice, id, sizeof input, &input, sizeof output, &output), S_OK);
  EXPECT_EQ(device_funcs.pfnDestroyDevice(create.hDrvDevice), S_OK);
  return table;
}

TEST_F(EmbedD3d11Test, FillWritesSlots58To76And78AndTouchesNoOtherSlot) {
  const auto own = slots_of<D3D11_1DDI_VIDEODEVICEFUNCS, 81>(
      cpddis_own_table<D3D11_1DDI_VIDEODEVICEFUNCS, D3D11_1DDI_VIDEO_INPUT,
                       D3D11_1DDI_VIDEO_OUTPUT>(adapter_, adapter_funcs_, 2));
  const auto filled = slots_of<D3D11_1DDI_VIDEODEVICEFUNCS, 81>(funcs_);
  for (std::size_t i = 0; i < filled.size(); ++i) {
    SCOPED_TRACE(::testing::Message() << "slot " << i);
    if ((i >= 58 && i <= 76) || i == 78) {
      EXPECT_EQ(filled[i], own[i]);
      EXPECT_NE(filled[i], nullptr);
    } else {
      EXPECT_EQ(filled[i], kPoison) << "the host's slot (77 is its decoder's)";
    }
  }
}

TEST_F(EmbedD3d11Test, Wddm20FillAlsoWrites81And82And93AndNothingElse) {
  auto table = poisoned<D3DWDDM2_0DDI_VIDEODEVICEFUNCS, 94>();
  ASSERT_EQ(cpddi_fill_wddm2_0_video_funcs(&table), S_OK);
  const auto own = slots_of<D3DWDDM2_0DDI_VIDEODEVICEFUNCS, 94>(
      cpddis_own_table<D3DWDDM2_0DDI_VIDEODEVICEFUNCS, D3DWDDM2_0DDI_VIDEO_INPUT,
                       D3DWDDM2_0DDI_VIDEO_OUTPUT>(adapter_, adapter_funcs_, 3));
  const auto filled = slots_of<D3DWDDM2_0DDI_VIDEODEVICEFUNCS, 94>(table);
  for (std::size_t i = 0; i < filled.size(); ++i) {
    SCOPED_TRACE(::testing::Message() << "slot " << i);
    if ((i >= 58 && i <= 76) || i == 78 || i == 81 || i == 82 || i == 93) {
      EXPECT_EQ(filled[i], own[i]);
      EXPECT_NE(filled[i], nullptr);
    } else {
      EXPECT_EQ(filled[i], kPoison);
    }
  }
  EXPECT_EQ(cpddi_fill_wddm2_0_video_funcs(nullptr), E_INVALIDARG);
  EXPECT_EQ(cpddi_fill_d3d11_1_video_funcs(nullptr), E_INVALIDARG);
}

}  // namespace
}  // namespace cpddi::testing
