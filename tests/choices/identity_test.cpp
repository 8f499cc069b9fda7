// The driver identity (spec §7.7, docs/behaviour.md): a fresh RSA-2048 key and certificate per
// adapter by default, or one pinned from PEM files named in the options or in the environment
// (CPDDI_IDENTITY_KEY, CPDDI_IDENTITY_CERT) at OpenAdapter time.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/rsa.h"
#include "crypto/x509.h"
#include "support/driver_fixture.h"
#include "support/pem_files.h"
#include "support/scoped_environment.h"

namespace cpddi::testing {
namespace {

// A self-signed RSA-2048 identity written as PEM files in a temporary directory.
struct PinnedIdentity {
  unit::TempDir dir;
  std::string key_path = dir.file("identity-key.pem");
  std::string cert_path = dir.file("identity-cert.pem");
  crypto::Der certificate;

  PinnedIdentity() {
    Result<crypto::RsaPrivateKey> key = crypto::RsaPrivateKey::generate(2048);
    EXPECT_TRUE(key.has_value());
    Result<crypto::Der> cert = crypto::make_certificate(*key, "pinned", *key, {}, false);
    EXPECT_TRUE(cert.has_value());
    certificate = *cert;
    EXPECT_TRUE(unit::write_private_key_pem(key_path, *key));
    EXPECT_TRUE(unit::write_certificates_pem(cert_path, std::vector<crypto::Der>{certificate}));
  }

  CPDDI_ADAPTER_OPTIONS options() const {
    CPDDI_ADAPTER_OPTIONS o{};
    o.StructSize = sizeof o;
    o.IdentityKeyPemPath = key_path.c_str();
    o.IdentityCertPemPath = cert_path.c_str();
    return o;
  }
};

crypto::Der leaf_of(const Bytes& container) {
  Result<std::vector<crypto::Der>> chain = crypto::parse_certificate_container(container);
  EXPECT_TRUE(chain.has_value());
  return chain ? chain->front() : crypto::Der{};
}

HRESULT open_with(const CPDDI_ADAPTER_OPTIONS* options) {
  D3DDDI_ADAPTERFUNCS funcs{};
  D3DDDIARG_OPENADAPTER open{};
  open.pAdapterFuncs = &funcs;
  const HRESULT hr = options != nullptr ? cpddi_open_adapter_with_options(&open, options)
                                        : OpenAdapter(&open);
  if (hr == S_OK) {
    EXPECT_EQ(funcs.pfnCloseAdapter(open.hAdapter), S_OK);
  }
  return hr;
}

TEST(IdentityTest, EachAdapterMakesItsOwnIdentityByDefault) {
  ScopedGeneratedIdentity generated;
  OpenedDevice a;
  OpenedDevice b;
  EXPECT_NE(leaf_of(a.certificate()), leaf_of(b.certificate()));
}

TEST(IdentityTest, PinnedIdentityFromOptionsIsServedAndUsedForTheKeyExchange) {
  PinnedIdentity identity;
  const CPDDI_ADAPTER_OPTIONS options = identity.options();
  OpenedDevice device(&options);
  EXPECT_EQ(leaf_of(device.certificate()), identity.certificate);
  KeyedSession session(device, kOtherKey);  // wraps under the pinned certificate's key
  auto surface = ScopedSurface::small_protected(device);
  EXPECT_TRUE(session.decrypts_under(*surface, kOtherKey));
}

TEST(IdentityTest, PinnedIdentityFromTheEnvironmentAtOpenAdapter) {
  PinnedIdentity identity;
  ScopedEnvironment env;
  env.set("CPDDI_IDENTITY_KEY", identity.key_path);
  env.set("CPDDI_IDENTITY_CERT", identity.cert_path);
  OpenedDevice first;
  OpenedDevice second;
  EXPECT_EQ(leaf_of(first.certificate()), identity.certificate);
  EXPECT_EQ(leaf_of(second.certificate()), identity.certificate);
}

TEST(IdentityTest, OnlyOneIdentityFileIsInvalidArgument) {
  PinnedIdentity identity;
  ScopedEnvironment env;
  env.set("CPDDI_IDENTITY_KEY", identity.key_path);
  const HRESULT hr = open_with(nullptr);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
}

TEST(IdentityTest, CertificateOfAnotherKeyIsInvalidArgument) {
  PinnedIdentity identity;
  PinnedIdentity other;
  CPDDI_ADAPTER_OPTIONS options = identity.options();
  options.IdentityCertPemPath = other.cert_path.c_str();
  const HRESULT hr = open_with(&options);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
}

TEST(IdentityTest, UnreadableKeyFileIsInvalidArgument) {
  PinnedIdentity identity;
  ASSERT_TRUE(unit::write_file(identity.key_path, "not a key"));
  const CPDDI_ADAPTER_OPTIONS options = identity.options();
  const HRESULT hr = open_with(&options);
  EXPECT_EQ(hr, E_INVALIDARG) << hr_name(hr);
}

TEST(IdentityTest, OptionsTakePrecedenceOverTheEnvironment) {
  PinnedIdentity from_options;
  PinnedIdentity from_environment;
  ScopedEnvironment env;
  env.set("CPDDI_IDENTITY_KEY", from_environment.key_path);
  env.set("CPDDI_IDENTITY_CERT", from_environment.cert_path);
  const CPDDI_ADAPTER_OPTIONS options = from_options.options();
  OpenedDevice device(&options);
  EXPECT_EQ(leaf_of(device.certificate()), from_options.certificate);
}

}  // namespace
}  // namespace cpddi::testing
