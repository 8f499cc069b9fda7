// The whole D3D11.1 flow through the test runtime (issue 12 item 5): caps, a session keyed by
// RSAES-OAEP, DecryptionBlt into a restricted resource, EncryptionBlt read back and decrypted
// with GetEncryptionBltKey's key, a key refresh followed by a blt under the new key, and an
// authenticated channel (create, key exchange, INITIALIZE, query, configure) whose
// CONFIGURE_CRYPTOSESSION names the session by CryptoSessionGetHandle. No entry may report
// anything on this path, and no private memory may be overrun.
#include <cstring>

#include <gtest/gtest.h>

#include "d3d11/scene.h"
#include "wire/channel_messages.h"

namespace cpddi::testing {
namespace {

TEST(D3d11Flow, CapsAnnounceTheD3d9CapsPlusDecryptionBlt) {
  Scene scene;
  D3D11_1DDI_VIDEO_CONTENT_PROTECTION_CAPS caps{};
  ASSERT_EQ(scene.device().get_content_protection_caps(&D3D11_1DDI_CRYPTO_TYPE_AES128_CTR,
                                                       nullptr, &caps),
            S_OK);
  EXPECT_EQ(caps.Caps, kDefaultD3d11Caps);
  EXPECT_EQ(caps.KeyExchangeTypeCount, 1u);
  EXPECT_EQ(caps.BlockAlignmentSize, 16u);
  EXPECT_EQ(caps.ProtectedMemorySize, 256ull << 20);
  GUID exchange{};
  ASSERT_EQ(scene.device().get_crypto_key_exchange_type(&D3D11_1DDI_CRYPTO_TYPE_AES128_CTR,
                                                        nullptr, 0, &exchange),
            S_OK);
  EXPECT_EQ(std::memcmp(&exchange, &D3D11_1DDI_KEY_EXCHANGE_RSAES_OAEP, sizeof exchange), 0);
  // A decode profile (cpddi has no decoder) and an unknown crypto type: UNSUPPORTEDCRYPTO.
  const GUID profile{1, 2, 3, {4}};
  EXPECT_EQ(scene.device().get_content_protection_caps(&D3D11_1DDI_CRYPTO_TYPE_AES128_CTR,
                                                       &profile, &caps),
            D3DDDIERR_UNSUPPORTEDCRYPTO);
  EXPECT_EQ(scene.device().get_content_protection_caps(&D3DCRYPTOTYPE_PROPRIETARY, nullptr, &caps),
            D3DDDIERR_UNSUPPORTEDCRYPTO);
  EXPECT_EQ(scene.device().get_crypto_key_exchange_type(&D3D11_1DDI_CRYPTO_TYPE_AES128_CTR,
                                                        nullptr, 1, &exchange),
            E_INVALIDARG);
  EXPECT_TRUE(scene.device().errors().empty());
}

TEST(D3d11Flow, DecryptReadBackRefreshAndDecryptAgain) {
  Scene scene;
  // Decrypt into the protected resource; its bytes are only visible encrypted again.
  const Bytes first = scene.decrypt_into_destination(kTestKey, 1);
  EXPECT_EQ(scene.read_back(kTestKey), first);

  // Refresh: the new key is the old one XOR the driver's number (spec §7.3).
  Bytes number(16);
  ASSERT_EQ(scene.device().start_session_key_refresh(scene.session(), 16, number.data()), S_OK);
  ASSERT_EQ(scene.device().finish_session_key_refresh(scene.session()), S_OK);
  const Key refreshed = xor_keys(kTestKey, number);
  ASSERT_NE(refreshed, kTestKey);

  const Bytes second = scene.decrypt_into_destination(refreshed, 2);
  EXPECT_NE(second, first);
  EXPECT_EQ(scene.read_back(refreshed), second);
  EXPECT_TRUE(scene.device().errors().empty());
}

TEST(D3d11Flow, ContentKeyAndPartialEncryptionMap) {
  Scene scene;
  const Key content = kOtherKey;
  const Key wrapped = ecb_wrap(kTestKey, content);
  const Bytes plain = pattern_bytes(kSurfaceBytes, 9);
  const Iv iv = scene.next_iv();
  // 16 encrypted, then 32 clear / 16 encrypted (spec §7.4).
  const BlockMap map{16, 32, 16};
  const Bytes keystream = ctr(content, iv, Bytes(kSurfaceBytes, 0));
  scene.upload(scene.source(), apply_block_map(plain, keystream, map));
  const D3D11_1DDI_ENCRYPTED_BLOCK_INFO info{map.encrypted_at_beginning, map.skip, map.encrypt};
  ASSERT_EQ(scene.device().decryption_blt(scene.session(), scene.source(), scene.destination(),
                                          &info, 16, wrapped.data(), 16, iv.data()),
            S_OK);
  EXPECT_EQ(scene.read_back(kTestKey), plain);
  EXPECT_TRUE(scene.device().errors().empty());
}

// A signed query or configure exchange with one channel (spec §5.8): the application's side.
class AppChannel {
 public:
  AppChannel(Scene& scene, const Key& key) : scene_(scene), key_(key) {
    D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL args{D3D11_1DDI_AUTHENTICATED_CHANNEL_DRIVER_SOFTWARE,
                                                  nullptr};
    EXPECT_EQ(scene.device().create_authenticated_channel(&args, &channel_), S_OK);
    handle_ = args.hChannel;
    D3D11_1DDI_CERTIFICATE_INFO info{};
    info.CertificateType = D3D11_1DDI_CERTIFICATE_TYPE_AUTHENTICATED_CHANNEL;
    info.ChannelType = D3D11_1DDI_AUTHENTICATED_CHANNEL_DRIVER_SOFTWARE;
    Bytes blob = conform::oaep_wrap(*conform::leaf_key_of(scene.certificate(info)), key);
    EXPECT_EQ(scene.device().negotiate_authenticated_channel_key_exchange(
                  channel_, static_cast<UINT>(blob.size()), blob.data()),
              S_OK);
  }

  D3D11_1DDI_HAUTHCHANNEL channel() const { return channel_; }
  HANDLE handle() const { return handle_; }

  // Signs `input` (a CONFIGURE_INPUT-headed struct) and sends it; the output must verify.
  template <class Input>
  HRESULT configure(Input& input, D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT* output) {
    auto bytes = std::span(reinterpret_cast<std::uint8_t*>(&input), sizeof input);
    EXPECT_TRUE(wire::sign_message(key_, bytes, sizeof input).has_value());
    const HRESULT hr = scene_.device().configure_authenticated_channel(
        channel_, sizeof input, &input, output);
    expect_signed(output, sizeof *output);
    return hr;
  }
  template <class Output>
  HRESULT query(const D3DAUTHENTICATEDCHANNEL_QUERY_INPUT& input, Output* output) {
    const HRESULT hr = scene_.device().query_authenticated_channel(channel_, sizeof input, &input,
                                                                   sizeof *output, output);
    expect_signed(output, sizeof *output);
    return hr;
  }

 private:
  void expect_signed(const void* output, std::size_t size) const {
    Result<bool> verified = wire::message_mac_verifies(
        key_, std::span(static_cast<const std::uint8_t*>(output), size), size);
    EXPECT_TRUE(verified.has_value() && *verified) << "the output's omac does not verify";
  }

  Scene& scene_;
  Key key_;
  D3D11_1DDI_HAUTHCHANNEL channel_{};
  HANDLE handle_ = nullptr;
};

TEST(D3d11Flow, ChannelInitializeQueryAndBindTheSession) {
  Scene scene;
  AppChannel channel(scene, kOtherKey);
  ASSERT_NE(channel.handle(), nullptr);
  // A39: the handle is a runtime handle, never the private memory's address.
  EXPECT_NE(channel.handle(), channel.channel().pDrvPrivate);

  D3DAUTHENTICATEDCHANNEL_CONFIGUREINITIALIZE init{};
  init.Parameters.ConfigureType = D3D11_1DDI_AUTHENTICATED_CONFIGURE_INITIALIZE_GUID;
  init.Parameters.hChannel = channel.handle();
  init.StartSequenceQuery = 10;
  init.StartSequenceConfigure = 20;
  D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT out{};
  ASSERT_EQ(channel.configure(init, &out), S_OK);
  EXPECT_EQ(out.ReturnCode, S_OK);

  D3DAUTHENTICATEDCHANNEL_QUERY_INPUT query{D3D11_1DDI_AUTHENTICATED_QUERY_DEVICE_HANDLE,
                                            channel.handle(), 10};
  D3DAUTHENTICATEDCHANNEL_QUERYDEVICEHANDLE_OUTPUT device_handle{};
  ASSERT_EQ(channel.query(query, &device_handle), S_OK);
  EXPECT_EQ(device_handle.Output.ReturnCode, S_OK);
  EXPECT_NE(device_handle.DeviceHandle, nullptr);

  HANDLE session_handle = nullptr;
  ASSERT_EQ(scene.device().crypto_session_get_handle(scene.session(), &session_handle), S_OK);
  EXPECT_NE(session_handle, scene.session().pDrvPrivate);
  D3DAUTHENTICATEDCHANNEL_CONFIGURECRYPTOSESSION bind{};
  bind.Parameters.ConfigureType = D3D11_1DDI_AUTHENTICATED_CONFIGURE_CRYPTO_SESSION_GUID;
  bind.Parameters.hChannel = channel.handle();
  bind.Parameters.SequenceNumber = 20;
  bind.CryptoSessionHandle = session_handle;
  bind.DeviceHandle = device_handle.DeviceHandle;
  ASSERT_EQ(channel.configure(bind, &out), S_OK);
  EXPECT_EQ(out.ReturnCode, S_OK);

  // An unknown query GUID is E_FAIL in D3D11.1 (A33, A41), in the return and the ReturnCode.
  query = {GUID{0xdeadbeef, 1, 2, {3}}, channel.handle(), 11};
  D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT header{};
  EXPECT_EQ(channel.query(query, &header), E_FAIL);
  EXPECT_EQ(header.ReturnCode, E_FAIL);

  scene.device().destroy_authenticated_channel(channel.channel());
  EXPECT_TRUE(scene.device().errors().empty());
}

TEST(D3d11Flow, PayloadNamingAnotherChannelIsRefusedUntouched) {
  Scene scene;
  AppChannel first(scene, kTestKey);
  AppChannel second(scene, kOtherKey);
  // INITIALIZE for `first`, sent through `second`'s DDI handle (spec A39, §5.9 step 2).
  D3DAUTHENTICATEDCHANNEL_CONFIGUREINITIALIZE init{};
  init.Parameters.ConfigureType = D3D11_1DDI_AUTHENTICATED_CONFIGURE_INITIALIZE_GUID;
  init.Parameters.hChannel = first.handle();
  auto bytes = std::span(reinterpret_cast<std::uint8_t*>(&init), sizeof init);
  ASSERT_TRUE(wire::sign_message(kTestKey, bytes, sizeof init).has_value());
  D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT out;
  std::memset(&out, 0xCD, sizeof out);
  const D3D11_1DDI_AUTHENTICATED_CONFIGURE_OUTPUT untouched = out;
  EXPECT_EQ(scene.device().configure_authenticated_channel(second.channel(), sizeof init, &init,
                                                           &out),
            E_INVALIDARG);
  EXPECT_EQ(std::memcmp(&out, &untouched, sizeof out), 0);
  // Nothing was consumed or changed: the same message through the right handle succeeds.
  EXPECT_EQ(first.configure(init, &out), S_OK);
  EXPECT_EQ(out.ReturnCode, S_OK);
  // A query naming `first` through `second` fails the same way.
  D3DAUTHENTICATEDCHANNEL_QUERY_INPUT query{D3D11_1DDI_AUTHENTICATED_QUERY_CHANNEL_TYPE,
                                            first.handle(), 0};
  D3DAUTHENTICATEDCHANNEL_QUERYCHANNELTYPE_OUTPUT answer;
  std::memset(&answer, 0xCD, sizeof answer);
  EXPECT_EQ(scene.device().query_authenticated_channel(second.channel(), sizeof query, &query,
                                                       sizeof answer, &answer),
            E_INVALIDARG);
  EXPECT_EQ(answer.Output.ReturnCode, static_cast<HRESULT>(0xCDCDCDCD));
}

TEST(D3d11Flow, PrivateMemoryIsSizedByTheDriverAndNeverOverrun) {
  Scene scene;
  const D3D11_1DDIARG_CREATECRYPTOSESSION session_args{D3D11_1DDI_CRYPTO_TYPE_AES128_CTR, GUID{},
                                                       D3D11_1DDI_KEY_EXCHANGE_RSAES_OAEP};
  D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL channel_args{
      D3D11_1DDI_AUTHENTICATED_CHANNEL_DRIVER_SOFTWARE, nullptr};
  const CPDDI_D3D11_1_CREATERESOURCE resource_args =
      texture_desc(CPDDI_D3D11_1_USAGE_STAGING, false);
  // Every CalcPrivate*Size answers, even for arguments Create would refuse (spec §8.4).
  D3D11_1DDIARG_CREATECRYPTOSESSION refused = session_args;
  refused.CryptoType = D3DCRYPTOTYPE_PROPRIETARY;
  EXPECT_GT(scene.device().calc_private_crypto_session_size(&refused), 0u);
  const SIZE_T session_size = scene.device().calc_private_crypto_session_size(&session_args);
  const SIZE_T channel_size = scene.device().calc_private_authenticated_channel_size(&channel_args);
  const SIZE_T resource_size = scene.device().calc_private_resource_size(&resource_args);
  EXPECT_GT(session_size, 0u);
  EXPECT_GT(channel_size, 0u);
  EXPECT_GT(resource_size, 0u);

  D3D11_1DDI_HCRYPTOSESSION session = scene.new_session(kOtherKey);
  EXPECT_EQ(scene.device().memory().size_of(session.pDrvPrivate), session_size);
  D3D10DDI_HRESOURCE resource = scene.new_resource(CPDDI_D3D11_1_USAGE_STAGING, false);
  EXPECT_EQ(scene.device().memory().size_of(resource.pDrvPrivate), resource_size);
  D3D11_1DDI_HAUTHCHANNEL channel{};
  ASSERT_EQ(scene.device().create_authenticated_channel(&channel_args, &channel), S_OK);
  EXPECT_EQ(scene.device().memory().size_of(channel.pDrvPrivate), channel_size);
  scene.decrypt_into_destination(kTestKey, 3);

  EXPECT_EQ(scene.device().destroy_crypto_session(session), S_OK);
  EXPECT_EQ(scene.device().destroy_authenticated_channel(channel), S_OK);
  EXPECT_EQ(scene.device().destroy_resource(resource), S_OK);
  EXPECT_FALSE(scene.device().memory().size_of(session.pDrvPrivate).has_value());
  EXPECT_EQ(scene.device().memory().check_all(), 0u);
  EXPECT_TRUE(scene.device().errors().empty());
}

TEST(D3d11Flow, BlockInfoErrorsOnlyWhenAskedFor) {
  for (const CPDDI_D3D11_1_ERROR_MODE mode :
       {CPDDI_D3D11_1_ERROR_MODE_STRICT, CPDDI_D3D11_1_ERROR_MODE_RUNTIME_SAFE}) {
    for (const UINT flags : {0u, CPDDI_D3D11_1_DEVICE_FLAG_BLOCK_INFO_ERRORS}) {
      Scene scene(mode, flags);
      const Iv iv = scene.next_iv();
      D3D11_1DDI_ENCRYPTED_BLOCK_INFO info{16, 32, 16};
      // Success leaves the map alone whatever the flag.
      ASSERT_EQ(scene.device().decryption_blt(scene.session(), scene.source(), scene.destination(),
                                              &info, 0, nullptr, 16, iv.data()),
                S_OK);
      EXPECT_EQ(info.NumBytesInEncryptPattern, 16u);
      // A replayed IV fails: the map carries E_INVALIDARG only with the flag, in both modes.
      scene.device().decryption_blt(scene.session(), scene.source(), scene.destination(), &info, 0,
                                    nullptr, 16, iv.data());
      EXPECT_EQ(info.NumBytesInEncryptPattern,
                flags != 0 ? static_cast<UINT>(E_INVALIDARG) : 16u)
          << "mode " << mode << " flags " << flags;
      EXPECT_EQ(info.NumEncryptedBytesAtBeginning, 16u);
      EXPECT_EQ(info.NumBytesInSkipPattern, 32u);
    }
  }
}

TEST(D3d11Flow, RestrictedResourcesRefuseMapAndStagingOnesMap) {
  Scene scene;
  D3D10DDI_MAPPED_SUBRESOURCE mapped{};
  EXPECT_EQ(scene.device().map(scene.destination(), 0, 0, &mapped), E_INVALIDARG);
  EXPECT_EQ(mapped.pData, nullptr);
  EXPECT_EQ(scene.device().map(scene.source(), 0, 0, &mapped), S_OK);
  EXPECT_EQ(mapped.RowPitch, 64u);
  EXPECT_EQ(mapped.DepthPitch, 256u);
  EXPECT_EQ(scene.device().unmap(scene.source(), 0), S_OK);
  EXPECT_EQ(scene.device().map(scene.source(), 0, 0x1, &mapped), E_INVALIDARG);
  CPDDI_D3D11_1_CREATERESOURCE bad = texture_desc(CPDDI_D3D11_1_USAGE_STAGING, false);
  bad.MiscFlags = D3D11_1DDI_RESOURCE_MISC_RESTRICT_SHARED_RESOURCE_DRIVER;
  D3D10DDI_HRESOURCE resource{};
  EXPECT_EQ(scene.device().create_resource(&bad, &resource), E_INVALIDARG);
  bad = texture_desc(CPDDI_D3D11_1_USAGE_STAGING, false);
  bad.Format = static_cast<CPDDI_D3D11_1_FORMAT>(28);  // R8G8B8A8_UNORM
  EXPECT_EQ(scene.device().create_resource(&bad, &resource), E_INVALIDARG);
}

}  // namespace
}  // namespace cpddi::testing
