// cpddi::app::AuthenticatedChannel through the public C++ API only (cpddi.hpp), against cpddi's
// driver: what the typed configures set, the typed queries read back; and every output check
// fails loudly. The driver is reached through a wrapper OpenAdapter whose device table is the real
// one with QueryAuthenticatedChannel / ConfigureAuthenticatedChannel replaced by functions that
// call the real ones and then change one field of the output — the MAC, the echoed sequence
// number, hChannel, the GUID, ReturnCode, a repeated payload field — or replay an older, validly
// signed output. Each must turn into an Error naming that field. A wrapper GetCaps corrupts the
// channel certificate for the bad-certificate case.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cpddi/cpddi.hpp"

namespace {

using cpddi::app::Adapter;
using cpddi::app::AdapterOptions;
using cpddi::app::AuthenticatedChannel;
using cpddi::app::ChannelOptions;
using cpddi::app::Device;
using cpddi::app::ProtectedSession;

enum class Tamper {
  kNone,
  kFlipMac,
  kSequenceNumber,
  kChannelHandle,
  kQueryType,
  kReturnCode,
  kEchoedDecoder,
  kReplay,
  kCertificate,
};

// The wrapper's state: one test at a time in this binary (GoogleTest runs tests sequentially).
Tamper g_tamper = Tamper::kNone;
D3DDDI_ADAPTERFUNCS g_real_adapter{};
D3DDDI_DEVICEFUNCS g_real_device{};
std::vector<std::uint8_t> g_last_output;  // the previous query output, for kReplay

// Offsets of D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT's fields under this ABI.
constexpr std::size_t kOmacAt = offsetof(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT, omac);
constexpr std::size_t kTypeAt = offsetof(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT, QueryType);
constexpr std::size_t kChannelAt = offsetof(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT, hChannel);
constexpr std::size_t kSequenceAt = offsetof(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT, SequenceNumber);
constexpr std::size_t kReturnCodeAt = offsetof(D3DAUTHENTICATEDCHANNEL_QUERY_OUTPUT, ReturnCode);
constexpr std::size_t kDecoderAt =
    offsetof(D3DAUTHENTICATEDCHANNEL_QUERYCRYPTOSESSION_OUTPUT, DXVA2DecodeHandle);

void tamper_output(std::uint8_t* out, UINT size) {
  switch (g_tamper) {
    case Tamper::kFlipMac:
      out[kOmacAt + 5] ^= 0x01;
      break;
    case Tamper::kSequenceNumber: {
      UINT n;
      std::memcpy(&n, out + kSequenceAt, sizeof n);
      ++n;
      std::memcpy(out + kSequenceAt, &n, sizeof n);
      break;
    }
    case Tamper::kChannelHandle:
      out[kChannelAt] ^= 0x40;
      break;
    case Tamper::kQueryType:
      out[kTypeAt + 3] ^= 0x01;
      break;
    case Tamper::kReturnCode: {
      const HRESULT failed = E_INVALIDARG;
      std::memcpy(out + kReturnCodeAt, &failed, sizeof failed);
      break;
    }
    case Tamper::kEchoedDecoder:
      if (size >= kDecoderAt + sizeof(HANDLE)) {
        out[kDecoderAt] ^= 0x10;
      }
      break;
    case Tamper::kReplay:
      if (g_last_output.size() == size) {
        std::memcpy(out, g_last_output.data(), size);
      }
      break;
    case Tamper::kNone:
    case Tamper::kCertificate:
      break;
  }
}

HRESULT APIENTRY tampering_query(HANDLE device, const D3DDDIARG_QUERYAUTHENTICATEDCHANNEL* args) {
  const HRESULT hr = g_real_device.pfnQueryAuthenticatedChannel(device, args);
  if (hr == S_OK) {
    auto* out = static_cast<std::uint8_t*>(args->pOutputData);
    std::vector<std::uint8_t> genuine(out, out + args->OutputSize);
    tamper_output(out, args->OutputSize);
    g_last_output = std::move(genuine);
  }
  return hr;
}

HRESULT APIENTRY tampering_configure(HANDLE device,
                                     const D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL* args) {
  const HRESULT hr = g_real_device.pfnConfigureAuthenticatedChannel(device, args);
  if (hr == S_OK && g_tamper == Tamper::kFlipMac) {
    static_cast<std::uint8_t*>(args->pOutputData)[kOmacAt] ^= 0x80;
  }
  return hr;
}

HRESULT APIENTRY wrapping_create_device(HANDLE adapter, D3DDDIARG_CREATEDEVICE* args) {
  const HRESULT hr = g_real_adapter.pfnCreateDevice(adapter, args);
  if (hr == S_OK) {
    g_real_device = *args->pDeviceFuncs;
    args->pDeviceFuncs->pfnQueryAuthenticatedChannel = &tampering_query;
    args->pDeviceFuncs->pfnConfigureAuthenticatedChannel = &tampering_configure;
  }
  return hr;
}

HRESULT APIENTRY wrapping_get_caps(HANDLE adapter, const D3DDDIARG_GETCAPS* args) {
  const HRESULT hr = g_real_adapter.pfnGetCaps(adapter, args);
  if (hr == S_OK && g_tamper == Tamper::kCertificate &&
      args->Type == D3DDDICAPS_GETCERTIFICATE &&
      static_cast<const DDICERTIFICATEINFO*>(args->pInfo)->CertificateType ==
          D3DDDI_CERTTYPE_AUTHENTICATED_CHANNEL) {
    std::memset(args->pData, 0x5A, args->DataSize);
  }
  return hr;
}

HRESULT APIENTRY wrapping_open_adapter(D3DDDIARG_OPENADAPTER* args) {
  const HRESULT hr = OpenAdapter(args);
  if (hr == S_OK) {
    g_real_adapter = *args->pAdapterFuncs;
    args->pAdapterFuncs->pfnCreateDevice = &wrapping_create_device;
    args->pAdapterFuncs->pfnGetCaps = &wrapping_get_caps;
  }
  return hr;
}

class AuthenticatedChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_tamper = Tamper::kNone;
    g_last_output.clear();
    AdapterOptions options;
    options.open_adapter = &wrapping_open_adapter;
    auto adapter = Adapter::open(options);
    ASSERT_TRUE(adapter) << adapter.error().message;
    adapter_.emplace(std::move(*adapter));
    auto device = adapter_->create_device();
    ASSERT_TRUE(device) << device.error().message;
    device_.emplace(std::move(*device));
    auto session = ProtectedSession::open(*device_, *adapter_);
    ASSERT_TRUE(session) << session.error().message;
    session_.emplace(std::move(*session));
  }
  void TearDown() override { g_tamper = Tamper::kNone; }

  AuthenticatedChannel open_channel() {
    auto channel = AuthenticatedChannel::open(*device_, *adapter_);
    EXPECT_TRUE(channel) << channel.error().message;
    return std::move(*channel);
  }

  // A query made while `tamper` rewrites outputs must fail with E_FAIL naming `field`.
  template <class Call>
  void expect_caught(Tamper tamper, const std::string& field, Call call) {
    g_tamper = tamper;
    auto result = call();
    g_tamper = Tamper::kNone;
    ASSERT_FALSE(result) << "a tampered " << field << " was accepted";
    EXPECT_EQ(result.error().hr, E_FAIL);
    EXPECT_NE(result.error().message.find(field), std::string::npos) << result.error().message;
  }

  std::optional<Adapter> adapter_;
  std::optional<Device> device_;
  std::optional<ProtectedSession> session_;
};

TEST_F(AuthenticatedChannelTest, ProtectionReadsBackWhatWasConfigured) {
  AuthenticatedChannel channel = open_channel();
  EXPECT_NE(channel.handle(), nullptr);
  EXPECT_EQ(channel.verified_outputs(), 1u) << "INITIALIZE's output";
  D3DAUTHENTICATEDCHANNEL_PROTECTION_FLAGS flags{};
  flags.ProtectionEnabled = 1;
  flags.OverlayOrFullscreenRequired = 1;
  ASSERT_TRUE(channel.configure_protection(flags.Value));
  auto read = channel.query_protection();
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(*read, flags.Value);
  auto type = channel.query_channel_type();
  ASSERT_TRUE(type);
  EXPECT_EQ(*type, UINT{D3DAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE});
  auto device = channel.query_device_handle();
  ASSERT_TRUE(device);
  EXPECT_EQ(*device, device_->handle());
  EXPECT_EQ(channel.verified_outputs(), 5u);
}

TEST_F(AuthenticatedChannelTest, BindingReadsBackTheSessionAndDevice) {
  AuthenticatedChannel channel = open_channel();
  ASSERT_TRUE(channel.configure_crypto_session(*session_));
  auto binding = channel.query_crypto_session();
  ASSERT_TRUE(binding) << binding.error().message;
  EXPECT_EQ(binding->decoder, nullptr);
  EXPECT_EQ(binding->crypto_session, session_->handle());
  EXPECT_EQ(binding->device, device_->handle());
  // A decoder handle is taken as given (cpddi has no decoders) and keys its own binding.
  HANDLE decoder = reinterpret_cast<HANDLE>(std::uintptr_t{0x7700});
  ASSERT_TRUE(channel.configure_crypto_session(*session_, decoder));
  auto by_decoder = channel.query_crypto_session(decoder);
  ASSERT_TRUE(by_decoder) << by_decoder.error().message;
  EXPECT_EQ(by_decoder->decoder, decoder);
  EXPECT_EQ(by_decoder->crypto_session, session_->handle());
}

TEST_F(AuthenticatedChannelTest, CatalogueQueriesAnswer) {
  AuthenticatedChannel channel = open_channel();
  auto ids = channel.query_output_ids(*session_);
  ASSERT_TRUE(ids) << ids.error().message;
  EXPECT_EQ(*ids, std::vector<std::uint64_t>{1}) << "one virtual output (docs/behaviour.md)";
  auto attributes = channel.query_accessibility_attributes();
  ASSERT_TRUE(attributes) << attributes.error().message;
  EXPECT_FALSE(attributes->accessible_in_contiguous_blocks);
  EXPECT_FALSE(attributes->accessible_in_non_contiguous_blocks);
  auto guids = channel.query_encryption_when_accessible_guids();
  ASSERT_TRUE(guids) << guids.error().message;
  ASSERT_EQ(guids->size(), 1u);
  ASSERT_TRUE(channel.configure_encryption_when_accessible(guids->front()));
  auto current = channel.query_current_encryption_when_accessible();
  ASSERT_TRUE(current) << current.error().message;
  EXPECT_EQ(std::memcmp(&*current, &guids->front(), sizeof(GUID)), 0);

  ASSERT_TRUE(channel.configure_shared_resource(PROCESSIDTYPE_DWM, nullptr, true));
  auto processes = channel.query_restricted_shared_resource_processes();
  ASSERT_TRUE(processes) << processes.error().message;
  ASSERT_EQ(processes->size(), 1u);
  EXPECT_EQ(processes->front().type, PROCESSIDTYPE_DWM);
  ASSERT_TRUE(channel.configure_shared_resource(PROCESSIDTYPE_DWM, nullptr, false));
  auto count = channel.query_restricted_shared_resource_process_count();
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 0u);
  auto unrestricted = channel.query_unrestricted_protected_shared_resource_count();
  ASSERT_TRUE(unrestricted) << unrestricted.error().message;
}

TEST_F(AuthenticatedChannelTest, DriverRefusalIsItsHresult) {
  AuthenticatedChannel channel = open_channel();
  auto missing = channel.query_crypto_session(reinterpret_cast<HANDLE>(std::uintptr_t{0x1234}));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().hr, E_INVALIDARG);
  EXPECT_NE(missing.error().message.find("QueryAuthenticatedChannel(CRYPTOSESSION)"),
            std::string::npos)
      << missing.error().message;
  // The refused query spent its number; the next one still verifies.
  EXPECT_TRUE(channel.query_protection());
}

TEST_F(AuthenticatedChannelTest, FlippedMacIsCaught) {
  AuthenticatedChannel channel = open_channel();
  expect_caught(Tamper::kFlipMac, "omac", [&] { return channel.query_protection(); });
}

TEST_F(AuthenticatedChannelTest, ChangedSequenceNumberIsCaught) {
  AuthenticatedChannel channel = open_channel();
  expect_caught(Tamper::kSequenceNumber, "SequenceNumber",
                [&] { return channel.query_device_handle(); });
}

TEST_F(AuthenticatedChannelTest, ChangedChannelHandleIsCaught) {
  AuthenticatedChannel channel = open_channel();
  expect_caught(Tamper::kChannelHandle, "hChannel", [&] { return channel.query_channel_type(); });
}

TEST_F(AuthenticatedChannelTest, ChangedQueryTypeIsCaught) {
  AuthenticatedChannel channel = open_channel();
  expect_caught(Tamper::kQueryType, "type GUID", [&] { return channel.query_protection(); });
}

TEST_F(AuthenticatedChannelTest, ChangedReturnCodeIsCaught) {
  AuthenticatedChannel channel = open_channel();
  expect_caught(Tamper::kReturnCode, "ReturnCode", [&] { return channel.query_protection(); });
}

TEST_F(AuthenticatedChannelTest, ChangedEchoedDecoderIsCaught) {
  AuthenticatedChannel channel = open_channel();
  ASSERT_TRUE(channel.configure_crypto_session(*session_));
  expect_caught(Tamper::kEchoedDecoder, "DXVA2DecodeHandle",
                [&] { return channel.query_crypto_session(); });
}

// A replayed output is validly signed by the driver; only its SequenceNumber gives it away.
TEST_F(AuthenticatedChannelTest, ReplayedSignedOutputIsCaught) {
  AuthenticatedChannel channel = open_channel();
  ASSERT_TRUE(channel.query_protection());
  expect_caught(Tamper::kReplay, "SequenceNumber", [&] { return channel.query_protection(); });
}

TEST_F(AuthenticatedChannelTest, FlippedConfigureMacIsCaught) {
  AuthenticatedChannel channel = open_channel();
  expect_caught(Tamper::kFlipMac, "ConfigureAuthenticatedChannel(PROTECTION) output: the omac",
                [&] { return channel.configure_protection(1); });
}

TEST_F(AuthenticatedChannelTest, CorruptCertificateFailsOpen) {
  g_tamper = Tamper::kCertificate;
  auto channel = AuthenticatedChannel::open(*device_, *adapter_);
  g_tamper = Tamper::kNone;
  ASSERT_FALSE(channel);
  EXPECT_EQ(channel.error().hr, E_FAIL);
  EXPECT_EQ(channel.error().message.rfind("certificate", 0), 0u) << channel.error().message;
}

TEST_F(AuthenticatedChannelTest, CertificateOutsideTheTrustedRootFailsOpen) {
  ChannelOptions options;
  options.trusted_root_der.assign(64, 0x30);  // no certificate signed this chain
  auto channel = AuthenticatedChannel::open(*device_, *adapter_, options);
  ASSERT_FALSE(channel);
  EXPECT_EQ(channel.error().hr, E_FAIL);
  EXPECT_NE(channel.error().message.find("trusted root"), std::string::npos)
      << channel.error().message;
}

TEST_F(AuthenticatedChannelTest, HardwareChannelIsRefusedByASoftwareDriver) {
  ChannelOptions options;
  options.type = DDIAUTHENTICATEDCHANNEL_DRIVER_HARDWARE;
  auto channel = AuthenticatedChannel::open(*device_, *adapter_, options);
  ASSERT_FALSE(channel);
  EXPECT_EQ(channel.error().hr, D3DDDIERR_NOTAVAILABLE);
}

TEST_F(AuthenticatedChannelTest, MovedChannelKeepsWorking) {
  AuthenticatedChannel first = open_channel();
  AuthenticatedChannel second = std::move(first);
  EXPECT_TRUE(second.query_protection());
  AuthenticatedChannel third = open_channel();
  third = std::move(second);  // the channel third held is destroyed here
  EXPECT_TRUE(third.query_protection());
}

}  // namespace
