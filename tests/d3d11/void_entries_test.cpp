// Every void entry of the video table through its success path and its failure paths, in both
// error modes (spec §8.5, A30): success reports nothing; a failure reports exactly one error, the
// one §8.5 names, inside the slot's allowed set and never S_OK — except that in runtime-safe mode
// the entries no application can see fail (blts, refresh, destroys) report no misuse at all.
// Either way a failure changes nothing: the checks inside each row run in both modes.
#include <cstdint>
#include <cstring>
#include <functional>
#include <ostream>
#include <set>
#include <string>
#include <tuple>

#include <gtest/gtest.h>

#include "d3d11/scene.h"

namespace cpddi::testing {
namespace {

struct VoidCall {
  const char* name;   // test name (CamelCase)
  const char* entry;  // the entry the runtime records
  bool api_visible;   // A30 group (a): its API twin returns an HRESULT
  HRESULT strict;     // S_OK: a success path; else what strict mode reports
  std::function<HRESULT(Scene&)> call;
};

// The session's key is still `key`: content decrypted under it reads back right.
void expect_key(Scene& scene, const Key& key) {
  const std::size_t errors = scene.device().errors().size();
  const Bytes plain = scene.decrypt_into_destination(key, 77);
  EXPECT_EQ(scene.read_back(key), plain) << "the session key changed";
  EXPECT_EQ(scene.device().errors().size(), errors);
}

D3D11_1DDI_HCRYPTOSESSION unkeyed(Scene& scene) { return scene.new_session(kTestKey, false); }

HRESULT decrypt(Scene& scene, D3D11_1DDI_HCRYPTOSESSION session, D3D10DDI_HRESOURCE destination,
                const Iv& iv, UINT iv_size = 16, const void* key = nullptr, UINT key_size = 0) {
  scene.upload(scene.source(), ctr(kTestKey, iv, pattern_bytes(kSurfaceBytes, 5)));
  return scene.device().decryption_blt(session, scene.source(), destination, nullptr, key_size, key,
                                       iv_size, iv.data());
}

HRESULT encrypt(Scene& scene, D3D11_1DDI_HCRYPTOSESSION session, D3D10DDI_HRESOURCE source,
                UINT iv_size = 16, bool null_iv = false) {
  Iv iv{};
  iv.fill(0xEE);
  const Iv before = iv;
  const HRESULT hr = scene.device().encryption_blt(session, source, scene.readback(), iv_size,
                                                   null_iv ? nullptr : iv.data());
  if (hr != S_OK) {
    EXPECT_EQ(iv, before) << "a failed EncryptionBlt writes no IV";
  }
  return hr;
}

HRESULT read_back_key(Scene& scene, D3D11_1DDI_HCRYPTOSESSION session, UINT size, bool null = false) {
  Key key{};
  return scene.device().get_encryption_blt_key(session, size, null ? nullptr : key.data());
}

HRESULT certificate_size(Scene& scene, D3D11_1DDI_CERTIFICATE_INFO info, bool null_size = false) {
  UINT size = 0xFFFF;
  const HRESULT hr = scene.device().get_certificate_size(&info, null_size ? nullptr : &size);
  if (hr != S_OK && !null_size) {
    EXPECT_EQ(size, 0xFFFFu) << "a failed GetCertificateSize writes nothing";
  }
  return hr;
}

D3D11_1DDI_CERTIFICATE_INFO with(void (*change)(D3D11_1DDI_CERTIFICATE_INFO&)) {
  D3D11_1DDI_CERTIFICATE_INFO info = session_certificate_info();
  change(info);
  return info;
}

HRESULT certificate(Scene& scene, UINT shortfall, bool null_buffer = false) {
  const D3D11_1DDI_CERTIFICATE_INFO info = session_certificate_info();
  UINT size = 0;
  EXPECT_EQ(scene.device().get_certificate_size(&info, &size), S_OK);
  Bytes cert(size, 0xCD);
  const HRESULT hr = scene.device().get_certificate(&info, size - shortfall,
                                                    null_buffer ? nullptr : cert.data());
  if (hr != S_OK) {
    EXPECT_EQ(cert, Bytes(size, 0xCD)) << "a failed GetCertificate writes nothing";
  }
  return hr;
}

HRESULT start_refresh(Scene& scene, D3D11_1DDI_HCRYPTOSESSION session, UINT size,
                      bool null = false) {
  Bytes number(32, 0xCD);
  const HRESULT hr = scene.device().start_session_key_refresh(session, size,
                                                             null ? nullptr : number.data());
  if (hr != S_OK) {
    EXPECT_EQ(number, Bytes(32, 0xCD)) << "a failed Start writes no number (A2)";
  }
  return hr;
}

HRESULT status(Scene& scene, D3D11_1DDI_HCRYPTOSESSION session, bool null = false) {
  // A sentinel outside the enum, preset and compared as raw bytes: loading it as the enum type
  // would be undefined behaviour (UBSan -fsanitize=enum).
  constexpr std::uint32_t kSentinel = 7;
  D3DWDDM2_0DDI_CRYPTO_SESSION_STATUS value{};
  std::memcpy(&value, &kSentinel, sizeof value);
  const HRESULT hr =
      scene.device().check_crypto_session_status(session, null ? nullptr : &value);
  if (hr != S_OK) {
    std::uint32_t after = 0;
    std::memcpy(&after, &value, sizeof after);
    EXPECT_EQ(after, kSentinel);
  }
  return hr;
}

HRESULT private_data_size(Scene& scene, const GUID& crypto, const GUID& exchange,
                          bool null = false) {
  UINT in = 9;
  UINT out = 9;
  return scene.device().get_crypto_session_private_data_size(&crypto, nullptr, &exchange,
                                                             null ? nullptr : &in, &out);
}

D3D11_1DDI_HAUTHCHANNEL new_channel(Scene& scene) {
  D3D11_1DDIARG_CREATEAUTHENTICATEDCHANNEL args{D3D11_1DDI_AUTHENTICATED_CHANNEL_DRIVER_SOFTWARE,
                                                nullptr};
  D3D11_1DDI_HAUTHCHANNEL channel{};
  EXPECT_EQ(scene.device().create_authenticated_channel(&args, &channel), S_OK);
  return channel;
}

const VoidCall kCalls[] = {
    // ---- A30 (a): visible to the application ----
    {"CertificateSize", "GetCertificateSize", true, S_OK,
     [](Scene& s) { return certificate_size(s, session_certificate_info()); }},
    {"CertificateSizeNullInfo", "GetCertificateSize", true, E_INVALIDARG,
     [](Scene& s) { return s.device().get_certificate_size(nullptr, nullptr); }},
    {"CertificateSizeUnknownType", "GetCertificateSize", true, E_INVALIDARG,
     [](Scene& s) {
       return certificate_size(s, with([](auto& i) {
                                 i.CertificateType = static_cast<D3D11_1DDI_CERTIFICATE_TYPE>(7);
                               }));
     }},
    {"CertificateSizeHardwareChannel", "GetCertificateSize", true, E_INVALIDARG,
     [](Scene& s) {
       return certificate_size(s, with([](auto& i) {
                                 i.CertificateType = D3D11_1DDI_CERTIFICATE_TYPE_AUTHENTICATED_CHANNEL;
                                 i.ChannelType = D3D11_1DDI_AUTHENTICATED_CHANNEL_DRIVER_HARDWARE;
                               }));
     }},
    {"CertificateSizeProprietaryCrypto", "GetCertificateSize", true, E_INVALIDARG,
     [](Scene& s) {
       return certificate_size(
           s, with([](auto& i) { i.CryptoSessionType = D3DCRYPTOTYPE_PROPRIETARY; }));
     }},
    {"CertificateSizeNullSize", "GetCertificateSize", true, E_INVALIDARG,
     [](Scene& s) { return certificate_size(s, session_certificate_info(), true); }},
    {"Certificate", "GetCertificate", true, S_OK, [](Scene& s) { return certificate(s, 0); }},
    {"CertificateTooSmall", "GetCertificate", true, E_INVALIDARG,
     [](Scene& s) { return certificate(s, 1); }},
    {"CertificateNullBuffer", "GetCertificate", true, E_INVALIDARG,
     [](Scene& s) { return certificate(s, 0, true); }},
    {"EncryptionBltKey", "GetEncryptionBltKey", true, S_OK,
     [](Scene& s) { return read_back_key(s, s.session(), 16); }},
    {"EncryptionBltKeyWrongSize", "GetEncryptionBltKey", true, E_INVALIDARG,
     [](Scene& s) { return read_back_key(s, s.session(), 8); }},
    {"EncryptionBltKeyNullBuffer", "GetEncryptionBltKey", true, E_INVALIDARG,
     [](Scene& s) { return read_back_key(s, s.session(), 16, true); }},
    {"EncryptionBltKeyNoKey", "GetEncryptionBltKey", true, E_INVALIDARG,
     [](Scene& s) { return read_back_key(s, unkeyed(s), 16); }},
    {"SessionStatus", "CheckCryptoSessionStatus", true, S_OK,
     [](Scene& s) { return status(s, s.session()); }},
    {"SessionStatusDeadSession", "CheckCryptoSessionStatus", true, E_INVALIDARG,
     [](Scene& s) { return status(s, s.unused_handle<D3D11_1DDI_HCRYPTOSESSION>()); }},
    {"SessionStatusNullStatus", "CheckCryptoSessionStatus", true, E_INVALIDARG,
     [](Scene& s) { return status(s, s.session(), true); }},
    {"PrivateDataSize", "GetCryptoSessionPrivateDataSize", true, S_OK,
     [](Scene& s) {
       return private_data_size(s, D3D11_1DDI_CRYPTO_TYPE_AES128_CTR,
                                D3D11_1DDI_KEY_EXCHANGE_RSAES_OAEP);
     }},
    {"PrivateDataSizeHwProtection", "GetCryptoSessionPrivateDataSize", true, E_INVALIDARG,
     [](Scene& s) {
       return private_data_size(s, D3D11_1DDI_CRYPTO_TYPE_AES128_CTR,
                                D3DWDDM2_0DDI_KEY_EXCHANGE_HW_PROTECTION);
     }},
    {"PrivateDataSizeProprietaryCrypto", "GetCryptoSessionPrivateDataSize", true, E_INVALIDARG,
     [](Scene& s) {
       return private_data_size(s, D3DCRYPTOTYPE_PROPRIETARY, D3D11_1DDI_KEY_EXCHANGE_RSAES_OAEP);
     }},
    {"PrivateDataSizeNullOutput", "GetCryptoSessionPrivateDataSize", true, E_INVALIDARG,
     [](Scene& s) {
       return private_data_size(s, D3D11_1DDI_CRYPTO_TYPE_AES128_CTR,
                                D3D11_1DDI_KEY_EXCHANGE_RSAES_OAEP, true);
     }},
    // ---- A30 (b): no application can see them fail ----
    {"DecryptionBlt", "DecryptionBlt", false, S_OK,
     [](Scene& s) { return decrypt(s, s.session(), s.destination(), s.next_iv()); }},
    {"DecryptionBltReplayedIv", "DecryptionBlt", false, E_INVALIDARG,
     [](Scene& s) {
       const Iv iv = s.next_iv();
       EXPECT_EQ(decrypt(s, s.session(), s.destination(), iv), S_OK);
       return decrypt(s, s.session(), s.destination(), iv);
     }},
    {"DecryptionBltNullIv", "DecryptionBlt", false, E_INVALIDARG,
     [](Scene& s) {
       return s.device().decryption_blt(s.session(), s.source(), s.destination(), nullptr, 0,
                                        nullptr, 16, nullptr);
     }},
    {"DecryptionBltShortIv", "DecryptionBlt", false, E_INVALIDARG,
     [](Scene& s) { return decrypt(s, s.session(), s.destination(), s.next_iv(), 8); }},
    {"DecryptionBltShortContentKey", "DecryptionBlt", false, E_INVALIDARG,
     [](Scene& s) {
       const Key wrapped = ecb_wrap(kTestKey, kOtherKey);
       return decrypt(s, s.session(), s.destination(), s.next_iv(), 16, wrapped.data(), 8);
     }},
    {"DecryptionBltUnprotectedDestination", "DecryptionBlt", false, E_INVALIDARG,
     [](Scene& s) { return decrypt(s, s.session(), s.readback(), s.next_iv()); }},
    {"DecryptionBltNoKey", "DecryptionBlt", false, E_INVALIDARG,
     [](Scene& s) { return decrypt(s, unkeyed(s), s.destination(), s.next_iv()); }},
    {"DecryptionBltDeadSession", "DecryptionBlt", false, E_INVALIDARG,
     [](Scene& s) {
       return decrypt(s, s.unused_handle<D3D11_1DDI_HCRYPTOSESSION>(), s.destination(),
                      s.next_iv());
     }},
    {"EncryptionBlt", "EncryptionBlt", false, S_OK,
     [](Scene& s) {
       EXPECT_EQ(read_back_key(s, s.session(), 16), S_OK);
       return encrypt(s, s.session(), s.destination());
     }},
    {"EncryptionBltShortIv", "EncryptionBlt", false, E_INVALIDARG,
     [](Scene& s) {
       EXPECT_EQ(read_back_key(s, s.session(), 16), S_OK);
       return encrypt(s, s.session(), s.destination(), 8);
     }},
    {"EncryptionBltNullIv", "EncryptionBlt", false, E_INVALIDARG,
     [](Scene& s) {
       EXPECT_EQ(read_back_key(s, s.session(), 16), S_OK);
       return encrypt(s, s.session(), s.destination(), 16, true);
     }},
    {"EncryptionBltUnprotectedSource", "EncryptionBlt", false, E_INVALIDARG,
     [](Scene& s) {
       EXPECT_EQ(read_back_key(s, s.session(), 16), S_OK);
       return encrypt(s, s.session(), s.source());
     }},
    {"EncryptionBltBeforeReadBackKey", "EncryptionBlt", false, E_INVALIDARG,
     [](Scene& s) { return encrypt(s, s.session(), s.destination()); }},
    {"EncryptionBltNoKey", "EncryptionBlt", false, E_INVALIDARG,
     [](Scene& s) { return encrypt(s, unkeyed(s), s.destination()); }},
    {"StartRefresh", "StartSessionKeyRefresh", false, S_OK,
     [](Scene& s) { return start_refresh(s, s.session(), 16); }},
    {"StartRefreshWrongSize", "StartSessionKeyRefresh", false, E_INVALIDARG,
     [](Scene& s) {
       const HRESULT hr = start_refresh(s, s.session(), 8);
       expect_key(s, kTestKey);
       return hr;
     }},
    {"StartRefreshNullBuffer", "StartSessionKeyRefresh", false, E_INVALIDARG,
     [](Scene& s) { return start_refresh(s, s.session(), 16, true); }},
    {"StartRefreshNoKey", "StartSessionKeyRefresh", false, E_INVALIDARG,
     [](Scene& s) { return start_refresh(s, unkeyed(s), 16); }},
    {"FinishRefresh", "FinishSessionKeyRefresh", false, S_OK,
     [](Scene& s) {
       EXPECT_EQ(start_refresh(s, s.session(), 16), S_OK);
       return s.device().finish_session_key_refresh(s.session());
     }},
    {"FinishRefreshWithoutStart", "FinishSessionKeyRefresh", false, E_INVALIDARG,
     [](Scene& s) {
       const HRESULT hr = s.device().finish_session_key_refresh(s.session());
       expect_key(s, kTestKey);  // A3: the key never changes without a number
       return hr;
     }},
    {"DestroySession", "DestroyCryptoSession", false, S_OK,
     [](Scene& s) { return s.device().destroy_crypto_session(unkeyed(s)); }},
    {"DestroySessionNeverCreated", "DestroyCryptoSession", false, E_INVALIDARG,
     [](Scene& s) {
       return s.device().destroy_crypto_session(s.unused_handle<D3D11_1DDI_HCRYPTOSESSION>());
     }},
    {"DestroyChannel", "DestroyAuthenticatedChannel", false, S_OK,
     [](Scene& s) { return s.device().destroy_authenticated_channel(new_channel(s)); }},
    {"DestroyChannelNeverCreated", "DestroyAuthenticatedChannel", false, E_INVALIDARG,
     [](Scene& s) {
       return s.device().destroy_authenticated_channel(s.unused_handle<D3D11_1DDI_HAUTHCHANNEL>());
     }},
};

// GoogleTest prints a row by its name (in test listings and failure messages).
void PrintTo(const VoidCall& row, std::ostream* os) { *os << row.name; }

using Param = std::tuple<VoidCall, CPDDI_D3D11_1_ERROR_MODE>;

class VoidEntry : public ::testing::TestWithParam<Param> {};

TEST_P(VoidEntry, ReportsExactlyWhatSpec85Allows) {
  const auto& [row, mode] = GetParam();
  Scene scene(mode);
  const HRESULT hr = row.call(scene);
  const auto& errors = scene.device().errors();
  for (const conform::ReportedError& e : errors) {
    EXPECT_NE(e.hr, S_OK) << e.entry << " reported S_OK";
  }
  if (row.strict == S_OK) {
    EXPECT_EQ(hr, S_OK) << hr_name(hr);
    EXPECT_TRUE(errors.empty()) << "success reported " << hr_name(errors.front().hr);
    return;
  }
  const bool reported = row.api_visible || mode == CPDDI_D3D11_1_ERROR_MODE_STRICT;
  if (!reported) {
    EXPECT_TRUE(errors.empty()) << "runtime-safe mode reported misuse: "
                                << hr_name(errors.front().hr);
    return;
  }
  ASSERT_EQ(errors.size(), 1u) << "exactly one report per failing call";
  EXPECT_EQ(errors[0].entry, row.entry);
  EXPECT_EQ(errors[0].hr, row.strict) << hr_name(errors[0].hr);
  const std::set<HRESULT> allowed = {E_INVALIDARG, E_OUTOFMEMORY};
  EXPECT_TRUE(allowed.contains(errors[0].hr)) << hr_name(errors[0].hr);
}

std::string param_name(const ::testing::TestParamInfo<Param>& info) {
  return std::string(std::get<0>(info.param).name) +
         (std::get<1>(info.param) == CPDDI_D3D11_1_ERROR_MODE_STRICT ? "Strict" : "RuntimeSafe");
}

INSTANTIATE_TEST_SUITE_P(AllVoidEntries, VoidEntry,
                         ::testing::Combine(::testing::ValuesIn(kCalls),
                                            ::testing::Values(CPDDI_D3D11_1_ERROR_MODE_STRICT,
                                                              CPDDI_D3D11_1_ERROR_MODE_RUNTIME_SAFE)),
                         param_name);

}  // namespace
}  // namespace cpddi::testing
