// Microsoft's application-side procedure for OPM and authenticated channels, transcribed step by
// step onto cpddi's authenticated channel: C ABI only (OpenAdapter → D3DDDI_DEVICEFUNCS), OpenSSL
// in place of the Windows crypto API (CNG), the procedure's own order and its own arithmetic
// (struct sizes minus the 16-byte omac, a sequence number incremented once per message). It
// shares no code with conform::Channel or tests/support on purpose: an independent reading of
// the same published procedure must agree with the driver.
//
// Source: "OPM Example Code" (MicrosoftDocs/win32, desktop-src/medfound/opm-example-code.md,
// MIT licence) and the "GPU-based content protection" / "Using the authenticated channel" pages
// of the same repository. The code below is our own; nothing is copied from those pages.
//
// Steps of the procedure and where each lands on a D3D9 driver channel (spec §1.3, §5):
//   Handshake
//   H1 StartInitialization returns the certificate chain → GetCaps(GETCERTIFICATESIZE,
//      GETCERTIFICATE) with CertificateType AUTHENTICATED_CHANNEL, ChannelType DRIVER_SOFTWARE.
//      Its driver random number does NOT map: a channel's driver sends no nonce.
//   H2 validate the X.509 chain (the example leaves it out; done here: the PKCS#7 container is
//      parsed, every certificate is inside its validity period and signed by the next one, the
//      last by itself).
//   H3 take the public key from the leaf certificate → EVP_PKEY of the first certificate.
//   H4 random 128-bit session key, random status and command start numbers (BCryptGenRandom →
//      RAND_bytes). The procedure packs nonce ‖ key ‖ status start ‖ command start into one
//      encrypted block; a channel's blob holds the 16-byte key alone (spec §5.2) and the two
//      start numbers travel in INITIALIZE (H6) instead: partly maps.
//   H5 RSAES-OAEP with SHA-512 under that key (BCryptEncrypt, BCRYPT_PAD_OAEP, SHA-512 for hash
//      and MGF1 → EVP_PKEY_encrypt with the same parameters, empty label).
//   H6 FinishInitialization → AuthenticatedChannelKeyExchange with the 256-byte blob, then
//      CONFIGURE_INITIALIZE signed with the key carrying the two start numbers (the channel's
//      second half of the handshake). Its own SequenceNumber is the command start number and,
//      as in OPM, the handshake consumes no number: the first command carries the start itself.
//   Status request
//   S1 fill the request with a random 128-bit nonce, the request GUID and the status number, and
//      sign it → QUERY_INPUT {QueryType, hChannel, SequenceNumber}. The nonce and the request
//      signature do NOT map: a channel query input has neither (spec §5.3, §5.8).
//   S2 GetInformation → QueryAuthenticatedChannel (PROTECTION, then DEVICEHANDLE).
//   S3 recompute the OMAC over the reply after its omac, sizeof(reply) − 16 bytes, compare; on
//      mismatch the reply is refused with E_FAIL. Then increment the status number.
//   S4 check the echoed nonce and the status → the channel echoes QueryType, hChannel and
//      SequenceNumber in place of the nonce, and ReturnCode carries the status.
//   Command
//   C1 fill OPM_CONFIGURE_PARAMETERS (GUID, command number, parameters) → CONFIGUREPROTECTION
//      {ConfigureType, hChannel, SequenceNumber, Protections}.
//   C2 sign it over sizeof(command) − 16 bytes after the omac.
//   C3 Configure, then increment the command number. OPM's Configure returns no reply; a
//      channel returns a signed CONFIGURE_OUTPUT, which is checked as S3/S4 check a status reply
//      (an addition: the procedure's pages ask for it, the OPM example has nothing to check).
//   C4 confirm with a status request (the example's "not shown" GET_VIRTUAL_PROTECTION_LEVEL
//      → QUERY_PROTECTION reports the flags the command asked for).
//   OMAC: the example's ComputeOMAC builds OMAC1 from AES-CBC by hand; OMAC1 is AES-CMAC, so
//   EVP_MAC "CMAC" with AES-128-CBC computes it (cpddi's rules forbid hand-rolled crypto).
//   Error handling (the procedure's "goto done" paths): a reply whose OMAC does not verify is
//   refused (tampered copies of real replies); a reply echoing another number is refused. On
//   the driver's side of the same rules: a command whose signature is wrong and a status request
//   reusing a spent number are refused.
//   Not applicable: OPM's output enumeration, certificate types other than the channel's, the
//   nonce echo (no nonce), and OPM's "sequence must equal" rule (a channel accepts any larger
//   number, spec §5.9; the procedure's +1 arithmetic satisfies both).
//
// The start numbers are full 32-bit random values as the procedure draws them, so a start within
// a few messages of 2^32 would wrap the procedure's UINT arithmetic; the chance is ~2^-29 a run.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "cpddi/cpddi.h"

namespace {

using Bytes = std::vector<unsigned char>;

// The 128-bit session key (the example's OPM_RANDOM_NUMBER AesKey), wiped when it dies.
struct SessionKey {
  unsigned char bytes[16] = {};
  ~SessionKey() { OPENSSL_cleanse(bytes, sizeof bytes); }
};

// ComputeOMAC's shape: the OMAC1 tag of `size` bytes at `data` under `key`, into *tag.
HRESULT compute_omac(const SessionKey& key, const void* data, std::size_t size, D3D_OMAC* tag) {
  std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "CMAC", nullptr),
                                                        &EVP_MAC_free);
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(
      mac ? EVP_MAC_CTX_new(mac.get()) : nullptr, &EVP_MAC_CTX_free);
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER,
                                                          const_cast<char*>("AES-128-CBC"), 0),
                         OSSL_PARAM_construct_end()};
  std::size_t tag_size = 0;
  if (!ctx || EVP_MAC_init(ctx.get(), key.bytes, sizeof key.bytes, params) != 1 ||
      EVP_MAC_update(ctx.get(), static_cast<const unsigned char*>(data), size) != 1 ||
      EVP_MAC_final(ctx.get(), tag->Omac, &tag_size, sizeof tag->Omac) != 1 ||
      tag_size != sizeof tag->Omac) {
    return E_FAIL;
  }
  return S_OK;
}

// S3's check, with the procedure's arithmetic: the OMAC of the size − 16 bytes after the omac
// (the reply's first 16 bytes) must equal the omac, compared in constant time. E_FAIL otherwise.
HRESULT verify_omac_of_reply(const SessionKey& key, const void* reply, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(reply);
  D3D_OMAC ours{};
  if (compute_omac(key, bytes + D3D_OMAC_SIZE, size - D3D_OMAC_SIZE, &ours) != S_OK) {
    return E_FAIL;
  }
  const bool same = CRYPTO_memcmp(ours.Omac, bytes, D3D_OMAC_SIZE) == 0;
  OPENSSL_cleanse(&ours, sizeof ours);
  return same ? S_OK : E_FAIL;
}

// A status reply: its QUERY_OUTPUT header, whose omac comes first, opens the struct.
template <class Reply>
HRESULT verify_reply_omac(const SessionKey& key, const Reply& reply) {
  static_assert(offsetof(Reply, Output) == 0);
  return verify_omac_of_reply(key, &reply, sizeof reply);
}

HRESULT verify_command_reply_omac(const SessionKey& key,
                                  const D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT& reply) {
  return verify_omac_of_reply(key, &reply, sizeof reply);
}

// C2: sign a command over the sizeof(command) − 16 bytes after its omac.
template <class Command>
HRESULT sign_command(const SessionKey& key, Command* command) {
  static_assert(offsetof(Command, Parameters) == 0);
  const auto* bytes = reinterpret_cast<const unsigned char*>(command);
  return compute_omac(key, bytes + D3D_OMAC_SIZE, sizeof(Command) - D3D_OMAC_SIZE,
                      &command->Parameters.omac);
}

// S4: the header the channel echoes in place of OPM's nonce.
template <class Header>
bool echoes(const Header& header, const GUID& type, HANDLE channel, UINT sequence) {
  return std::memcmp(&header.QueryType, &type, sizeof type) == 0 && header.hChannel == channel &&
         header.SequenceNumber == sequence && header.ReturnCode == S_OK;
}

bool echoes_command(const D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT& out, const GUID& type,
                    HANDLE channel, UINT sequence) {
  return std::memcmp(&out.ConfigureType, &type, sizeof type) == 0 && out.hChannel == channel &&
         out.SequenceNumber == sequence && out.ReturnCode == S_OK;
}

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// H2 + H3: the container is a DER PKCS#7 certs-only bundle, leaf first (docs/behaviour.md).
// Every certificate must be inside its validity period and verify under the next one's key,
// the last under its own. Returns the leaf's public key, or null.
PkeyPtr validate_chain_and_take_leaf_key(const Bytes& container) {
  PkeyPtr none(nullptr, &EVP_PKEY_free);
  const unsigned char* p = container.data();
  std::unique_ptr<PKCS7, decltype(&PKCS7_free)> p7(
      d2i_PKCS7(nullptr, &p, static_cast<long>(container.size())), &PKCS7_free);
  if (!p7 || !PKCS7_type_is_signed(p7.get()) || p7->d.sign == nullptr) {
    return none;
  }
  STACK_OF(X509)* certs = p7->d.sign->cert;
  const int count = certs ? sk_X509_num(certs) : 0;
  if (count < 1) {
    return none;
  }
  for (int i = 0; i < count; ++i) {
    X509* cert = sk_X509_value(certs, i);
    X509* issuer = sk_X509_value(certs, i + 1 < count ? i + 1 : i);
    if (X509_cmp_current_time(X509_get0_notBefore(cert)) >= 0 ||
        X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0 ||
        X509_verify(cert, X509_get0_pubkey(issuer)) != 1) {
      return none;
    }
  }
  return PkeyPtr(X509_get_pubkey(sk_X509_value(certs, 0)), &EVP_PKEY_free);
}

// H5: RSAES-OAEP, SHA-512 for the hash and MGF1, empty label.
Bytes oaep_encrypt(EVP_PKEY* public_key, const SessionKey& key) {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_pkey(nullptr, public_key, nullptr), &EVP_PKEY_CTX_free);
  std::size_t size = 0;
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), EVP_sha512()) != 1 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha512()) != 1 ||
      EVP_PKEY_encrypt(ctx.get(), nullptr, &size, key.bytes, sizeof key.bytes) != 1) {
    return {};
  }
  Bytes blob(size);
  if (EVP_PKEY_encrypt(ctx.get(), blob.data(), &size, key.bytes, sizeof key.bytes) != 1) {
    return {};
  }
  blob.resize(size);
  return blob;
}

// PROTECTION_FLAGS with ProtectionEnabled and OverlayOrFullscreenRequired.
constexpr UINT kProtectedOverlay = 0x3;

UINT random_uint() {
  UINT value = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&value), sizeof value) != 1) {
    ADD_FAILURE() << "RAND_bytes failed";
  }
  return value;
}

class OpmProcedureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    D3DDDIARG_OPENADAPTER open{};
    open.pAdapterFuncs = &adapter_funcs_;
    ASSERT_EQ(OpenAdapter(&open), S_OK);
    adapter_ = open.hAdapter;
    D3DDDIARG_CREATEDEVICE create{};
    create.pDeviceFuncs = &funcs_;
    ASSERT_EQ(adapter_funcs_.pfnCreateDevice(adapter_, &create), S_OK);
    device_ = create.hDevice;
    D3DDDIARG_CREATEAUTHENTICATEDCHANNEL channel{DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE,
                                                 nullptr};
    ASSERT_EQ(funcs_.pfnCreateAuthenticatedChannel(device_, &channel), S_OK);
    channel_ = channel.hChannel;
    ASSERT_NE(channel_, nullptr);
  }

  void TearDown() override {
    if (channel_ != nullptr) {
      const D3DDDIARG_DESTROYAUTHENTICATEDCHANNEL destroy{channel_};
      EXPECT_EQ(funcs_.pfnDestroyAuthenticatedChannel(device_, &destroy), S_OK);
    }
    if (device_ != nullptr) {
      EXPECT_EQ(funcs_.pfnDestroyDevice(device_), S_OK);
    }
    if (adapter_ != nullptr) {
      EXPECT_EQ(adapter_funcs_.pfnCloseAdapter(adapter_), S_OK);
    }
  }

  // H1: the channel's certificate chain.
  Bytes certificate() {
    DDICERTIFICATEINFO info{};
    info.CertificateType = D3DDDI_CERTTYPE_AUTHENTICATED_CHANNEL;
    info.ChannelType = DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE;
    UINT size = 0;
    const D3DDDIARG_GETCAPS size_args{D3DDDICAPS_GETCERTIFICATESIZE, &info, &size, sizeof size};
    EXPECT_EQ(adapter_funcs_.pfnGetCaps(adapter_, &size_args), S_OK);
    Bytes chain(size);
    const D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCERTIFICATE, &info, chain.data(), size};
    EXPECT_EQ(adapter_funcs_.pfnGetCaps(adapter_, &args), S_OK);
    return chain;
  }

  // H1–H6: the handshake. Leaves key_, status_seq_ and command_seq_ as the procedure has them.
  void handshake() {
    const Bytes chain = certificate();                                            // H1
    const PkeyPtr leaf_key = validate_chain_and_take_leaf_key(chain);             // H2, H3
    ASSERT_NE(leaf_key, nullptr) << "the channel certificate chain does not validate";
    status_seq_ = random_uint();                                                  // H4
    command_seq_ = random_uint();
    ASSERT_EQ(RAND_bytes(key_.bytes, sizeof key_.bytes), 1);
    Bytes blob = oaep_encrypt(leaf_key.get(), key_);                              // H5
    ASSERT_EQ(blob.size(), 256u);
    D3DDDIARG_AUTHENTICATEDCHANNELKEYEXCHANGE exchange{channel_, static_cast<UINT>(blob.size()),
                                                       blob.data()};
    ASSERT_EQ(funcs_.pfnAuthenticatedChannelKeyExchange(device_, &exchange), S_OK);  // H6
    D3DAUTHENTICATEDCHANNEL_CONFIGUREINITIALIZE init;
    std::memset(&init, 0, sizeof init);
    init.Parameters.ConfigureType = D3DAUTHENTICATEDCONFIGURE_INITIALIZE;
    init.Parameters.hChannel = channel_;
    init.Parameters.SequenceNumber = command_seq_;
    init.StartSequenceQuery = status_seq_;
    init.StartSequenceConfigure = command_seq_;
    ASSERT_EQ(sign_command(key_, &init), S_OK);
    D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT out;
    ASSERT_EQ(send_command(init, &out), S_OK);
    ASSERT_EQ(verify_command_reply_omac(key_, out), S_OK);
    ASSERT_TRUE(echoes_command(out, D3DAUTHENTICATEDCONFIGURE_INITIALIZE, channel_, command_seq_));
  }

  // S1–S2: a status request of `type` with the current status number; *reply zeroed first.
  template <class Reply>
  HRESULT send_status_request(const GUID& type, UINT sequence, Reply* reply) {
    D3DAUTHENTICATEDCHANNEL_QUERY_INPUT request;
    std::memset(&request, 0, sizeof request);
    request.QueryType = type;
    request.hChannel = channel_;
    request.SequenceNumber = sequence;
    std::memset(reply, 0, sizeof *reply);
    const D3DDDIARG_QUERYAUTHENTICATEDCHANNEL args{sizeof request, &request, sizeof *reply, reply};
    return funcs_.pfnQueryAuthenticatedChannel(device_, &args);
  }

  // C3's call (the command already signed); *out zeroed first.
  template <class Command>
  HRESULT send_command(const Command& command, D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT* out) {
    std::memset(out, 0, sizeof *out);
    const D3DDDIARG_CONFIGUREAUTHENTICATEDCHANNEL args{sizeof command, &command, out};
    return funcs_.pfnConfigureAuthenticatedChannel(device_, &args);
  }

  // C1 + C2: CONFIGUREPROTECTION with `flags` and the current command number, signed.
  D3DAUTHENTICATEDCHANNEL_CONFIGUREPROTECTION protection_command(UINT flags) {
    D3DAUTHENTICATEDCHANNEL_CONFIGUREPROTECTION command;
    std::memset(&command, 0, sizeof command);
    command.Parameters.ConfigureType = D3DAUTHENTICATEDCONFIGURE_PROTECTION;
    command.Parameters.hChannel = channel_;
    command.Parameters.SequenceNumber = command_seq_;
    command.Protections.Value = flags;
    EXPECT_EQ(sign_command(key_, &command), S_OK);
    return command;
  }

  D3DDDI_ADAPTERFUNCS adapter_funcs_{};
  D3DDDI_DEVICEFUNCS funcs_{};
  HANDLE adapter_ = nullptr;
  HANDLE device_ = nullptr;
  HANDLE channel_ = nullptr;
  SessionKey key_;
  UINT status_seq_ = 0;
  UINT command_seq_ = 0;
};

TEST_F(OpmProcedureTest, HandshakeStatusCommandAndStatusAgainFollowTheProcedure) {
  ASSERT_NO_FATAL_FAILURE(handshake());

  // S1–S4: the protection status: ProtectionEnabled alone (cpddi advertises PROTECTIONALWAYSON,
  // docs/behaviour.md), OverlayOrFullscreenRequired clear.
  D3DAUTHENTICATEDCHANNEL_QUERYPROTECTION_OUTPUT status;
  ASSERT_EQ(send_status_request(D3DAUTHENTICATEDQUERY_PROTECTION, status_seq_, &status), S_OK);
  ASSERT_EQ(verify_reply_omac(key_, status), S_OK);
  ASSERT_TRUE(echoes(status.Output, D3DAUTHENTICATEDQUERY_PROTECTION, channel_, status_seq_));
  ++status_seq_;
  EXPECT_EQ(status.ProtectionFlags.Value, 1u);

  // A second status request of another kind, with the incremented number.
  D3DAUTHENTICATEDCHANNEL_QUERYDEVICEHANDLE_OUTPUT device;
  ASSERT_EQ(send_status_request(D3DAUTHENTICATEDQUERY_DEVICEHANDLE, status_seq_, &device), S_OK);
  ASSERT_EQ(verify_reply_omac(key_, device), S_OK);
  ASSERT_TRUE(echoes(device.Output, D3DAUTHENTICATEDQUERY_DEVICEHANDLE, channel_, status_seq_));
  ++status_seq_;
  EXPECT_NE(device.DeviceHandle, nullptr);

  // C1–C3: ask for protection with OverlayOrFullscreenRequired, with the first command number
  // (the start value itself).
  const D3DAUTHENTICATEDCHANNEL_CONFIGUREPROTECTION on = protection_command(kProtectedOverlay);
  D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT out;
  ASSERT_EQ(send_command(on, &out), S_OK);
  ASSERT_EQ(verify_command_reply_omac(key_, out), S_OK);
  ASSERT_TRUE(echoes_command(out, D3DAUTHENTICATEDCONFIGURE_PROTECTION, channel_, command_seq_));
  ++command_seq_;

  // C4: a status request confirms it.
  ASSERT_EQ(send_status_request(D3DAUTHENTICATEDQUERY_PROTECTION, status_seq_, &status), S_OK);
  ASSERT_EQ(verify_reply_omac(key_, status), S_OK);
  ASSERT_TRUE(echoes(status.Output, D3DAUTHENTICATEDQUERY_PROTECTION, channel_, status_seq_));
  ++status_seq_;
  EXPECT_EQ(status.ProtectionFlags.Value, kProtectedOverlay);

  // And a second command with the incremented number switches it off again.
  const D3DAUTHENTICATEDCHANNEL_CONFIGUREPROTECTION off = protection_command(0);
  ASSERT_EQ(send_command(off, &out), S_OK);
  ASSERT_EQ(verify_command_reply_omac(key_, out), S_OK);
  ASSERT_TRUE(echoes_command(out, D3DAUTHENTICATEDCONFIGURE_PROTECTION, channel_, command_seq_));
  ++command_seq_;
}

TEST_F(OpmProcedureTest, AReplyWithABadOmacOrAnotherNumberIsRefused) {
  ASSERT_NO_FATAL_FAILURE(handshake());
  D3DAUTHENTICATEDCHANNEL_QUERYPROTECTION_OUTPUT status;
  ASSERT_EQ(send_status_request(D3DAUTHENTICATEDQUERY_PROTECTION, status_seq_, &status), S_OK);
  ASSERT_EQ(verify_reply_omac(key_, status), S_OK);

  // Every single-bit change of the reply, in its omac or in the bytes it covers, is refused.
  for (std::size_t at = 0; at < sizeof status; ++at) {
    D3DAUTHENTICATEDCHANNEL_QUERYPROTECTION_OUTPUT copy = status;
    reinterpret_cast<unsigned char*>(&copy)[at] ^= 0x01;
    EXPECT_EQ(verify_reply_omac(key_, copy), E_FAIL) << "bit 0 of byte " << at << " flipped";
  }
  // A reply signed for the right key but echoing a number other than the one sent.
  EXPECT_FALSE(echoes(status.Output, D3DAUTHENTICATEDQUERY_PROTECTION, channel_, status_seq_ + 1));
  // A reply checked under another key.
  SessionKey other;
  std::memcpy(other.bytes, key_.bytes, sizeof other.bytes);
  other.bytes[0] ^= 0x80;
  EXPECT_EQ(verify_reply_omac(other, status), E_FAIL);

  // The same for a command's reply.
  const D3DAUTHENTICATEDCHANNEL_CONFIGUREPROTECTION on = protection_command(1);
  D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT out;
  ASSERT_EQ(send_command(on, &out), S_OK);
  ASSERT_EQ(verify_command_reply_omac(key_, out), S_OK);
  for (std::size_t at = 0; at < sizeof out; ++at) {
    D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT copy = out;
    reinterpret_cast<unsigned char*>(&copy)[at] ^= 0x01;
    EXPECT_EQ(verify_command_reply_omac(key_, copy), E_FAIL) << "bit 0 of byte " << at;
  }
}

TEST_F(OpmProcedureTest, TheDriverRefusesABadSignatureAndASpentNumber) {
  ASSERT_NO_FATAL_FAILURE(handshake());

  // A command whose signature does not match its bytes: refused, its number not consumed.
  D3DAUTHENTICATEDCHANNEL_CONFIGUREPROTECTION forged = protection_command(kProtectedOverlay);
  forged.Parameters.omac.Omac[0] ^= 0x01;
  D3DAUTHENTICATEDCHANNEL_CONFIGURE_OUTPUT out;
  EXPECT_EQ(send_command(forged, &out), E_INVALIDARG);
  const D3DAUTHENTICATEDCHANNEL_CONFIGUREPROTECTION on = protection_command(kProtectedOverlay);
  ASSERT_EQ(send_command(on, &out), S_OK);
  ASSERT_EQ(verify_command_reply_omac(key_, out), S_OK);
  ++command_seq_;

  // A status request reusing the number just spent: refused; the next number works.
  D3DAUTHENTICATEDCHANNEL_QUERYPROTECTION_OUTPUT status;
  ASSERT_EQ(send_status_request(D3DAUTHENTICATEDQUERY_PROTECTION, status_seq_, &status), S_OK);
  ASSERT_EQ(verify_reply_omac(key_, status), S_OK);
  EXPECT_EQ(send_status_request(D3DAUTHENTICATEDQUERY_PROTECTION, status_seq_, &status),
            E_INVALIDARG);
  ++status_seq_;
  ASSERT_EQ(send_status_request(D3DAUTHENTICATEDQUERY_PROTECTION, status_seq_, &status), S_OK);
  ASSERT_EQ(verify_reply_omac(key_, status), S_OK);
  EXPECT_TRUE(echoes(status.Output, D3DAUTHENTICATEDQUERY_PROTECTION, channel_, status_seq_));
  EXPECT_EQ(status.ProtectionFlags.Value, kProtectedOverlay);
}

}  // namespace
