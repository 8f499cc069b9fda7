// cpddi's certificate containers (spec §7.7, A35: PKCS#7 by default, a single X.509 leaf as an
// option) and its one identity for sessions and software channels. The certificate rules every
// driver follows are
// conform cases cert.*. The certificate is parsed on the application side only
// (cpddi::crypto).
#include <cstring>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "crypto/rsa.h"
#include "crypto/x509.h"
#include "support/driver_fixture.h"

namespace cpddi::testing {
namespace {

// The OID 1.2.840.113549.1.7.2 (pkcs7-signedData) as DER content bytes.
constexpr std::uint8_t kSignedDataOid[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02};

UINT certificate_size(const OpenedDevice& device, DDICERTIFICATEINFO info, HRESULT* hr) {
  UINT size = 0xA5A5A5A5u;
  D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCERTIFICATESIZE, &info, &size, sizeof size};
  *hr = device.adapter_funcs().pfnGetCaps(device.adapter_handle(), &args);
  return size;
}

using CertificateTest = SharedDeviceTest;

TEST_F(CertificateTest, DefaultContainerIsPkcs7SignedData) {
  const Bytes cert = device().certificate();
  std::optional<DerElement> content_info = read_der(cert);
  ASSERT_TRUE(content_info.has_value());
  ASSERT_EQ(content_info->tag, 0x30);
  std::optional<DerElement> content_type = read_der(content_info->content);
  ASSERT_TRUE(content_type.has_value());
  EXPECT_EQ(content_type->tag, 0x06) << "ContentInfo must start with its contentType OID";
  EXPECT_TRUE(std::equal(content_type->content.begin(), content_type->content.end(),
                         std::begin(kSignedDataOid), std::end(kSignedDataOid)))
      << "contentType must be pkcs7-signedData";
}

TEST(CertificateContainerTest, X509LeafOptionGivesOneDerCertificateWithAnRsa2048Key) {
  CPDDI_ADAPTER_OPTIONS options = default_options();
  options.CertificateContainer = CPDDI_CERTIFICATE_X509_LEAF;
  OpenedDevice device(&options);
  ASSERT_TRUE(device.ok());
  const Bytes cert = device.certificate();
  std::optional<DerElement> outer = read_der(cert);
  ASSERT_TRUE(outer.has_value());
  EXPECT_EQ(outer->tag, 0x30);
  EXPECT_EQ(outer->total_len, cert.size());
  std::optional<DerElement> tbs = read_der(outer->content);
  ASSERT_TRUE(tbs.has_value());
  EXPECT_EQ(tbs->tag, 0x30) << "a certificate starts with its tbsCertificate SEQUENCE";
  Result<crypto::RsaPublicKey> leaf = crypto::RsaPublicKey::from_certificate_der(cert);
  ASSERT_TRUE(leaf.has_value()) << leaf.error().reason;
  EXPECT_EQ(leaf->bits(), 2048);
  // And the key exchange works against it.
  KeyedSession session(device);
  auto surface = ScopedSurface::small_protected(device);
  EXPECT_TRUE(session.decrypts_under(*surface, session.app_key()));
}

// ---- Channels: the same identity for software channels; none for hardware ones ----
// (spec §7.7: a channel's certificate is the driver's OPM certificate; cpddi has one identity,
// so the software channel's certificate is byte for byte the crypto session's. cpddi creates no
// hardware channel — no cap HARDWARE — and offers no certificate for one.)

TEST_F(CertificateTest, SoftwareChannelCertificateIsTheCryptoSessionCertificate) {
  DDICERTIFICATEINFO info{D3DDDI_CERTTYPE_AUTHENTICATED_CHANNEL,
                          DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE, GUID{}};
  HRESULT hr = E_FAIL;
  const UINT size = certificate_size(device(), info, &hr);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  const Bytes session_certificate = device().certificate();
  ASSERT_EQ(size, session_certificate.size());
  Bytes channel_certificate(size, 0xEE);
  D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCERTIFICATE, &info, channel_certificate.data(), size};
  hr = device().adapter_funcs().pfnGetCaps(device().adapter_handle(), &args);
  ASSERT_EQ(hr, S_OK) << hr_name(hr);
  EXPECT_EQ(channel_certificate, session_certificate);
}

struct CertRow {
  const char* name;
  unsigned certificate_type;
  unsigned channel_type;
  GUID crypto_type;
};

class CertificateNotAvailableTest : public SharedDeviceTest,
                                    public ::testing::WithParamInterface<CertRow> {};

TEST_P(CertificateNotAvailableTest, SizeAndBytesAreNotAvailableAndNothingIsWritten) {
  DDICERTIFICATEINFO info{static_cast<D3DDDI_CERTIFICATETYPE>(GetParam().certificate_type),
                          static_cast<DDIAUTHENTICATEDCHANNELTYPE>(GetParam().channel_type),
                          GetParam().crypto_type};
  HRESULT hr = S_OK;
  const UINT size = certificate_size(device(), info, &hr);
  EXPECT_EQ(hr, D3DDDIERR_NOTAVAILABLE) << "GETCERTIFICATESIZE: " << hr_name(hr);
  EXPECT_EQ(size, 0xA5A5A5A5u);
  Bytes buffer(8192, 0xEE);
  D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCERTIFICATE, &info, buffer.data(),
                         static_cast<UINT>(buffer.size())};
  hr = device().adapter_funcs().pfnGetCaps(device().adapter_handle(), &args);
  EXPECT_EQ(hr, D3DDDIERR_NOTAVAILABLE) << "GETCERTIFICATE: " << hr_name(hr);
  EXPECT_EQ(buffer, Bytes(8192, 0xEE));
}

INSTANTIATE_TEST_SUITE_P(
    Infos, CertificateNotAvailableTest,
    ::testing::Values(
        CertRow{"ChannelHardware", D3DDDI_CERTTYPE_AUTHENTICATED_CHANNEL,
                DDIAUTHENTICATEDCHANNEL_DRIVER_HARDWARE, GUID{}}),
    RowName());

}  // namespace
}  // namespace cpddi::testing
