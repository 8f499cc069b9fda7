// Caps, the crypto-session certificate and the key exchange: spec §3, §4.2, §7.5, §7.7, A11,
// A25, A34.
#include <cstring>
#include <optional>
#include <string>

#include "conform/cases.h"
#include "crypto/rsa.h"
#include "crypto/x509.h"

namespace cpddi::conform {
namespace {

// A crypto type and a decode profile no driver knows.
constexpr GUID kUnknownGuid = {
    0x12345678, 0x9abc, 0xdef0, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};
// A real DXVA decode profile (DXVA2_ModeH264_E, H.264 VLD): whatever a driver decodes, it is no
// use with an unsupported crypto type.
constexpr GUID kH264DecodeProfile = {
    0x1b81be68, 0xa0c7, 0x11d3, {0xb9, 0x84, 0x00, 0xc0, 0x4f, 0x2e, 0x73, 0xc5}};
constexpr GUID kZeroGuid{};
constexpr UINT kSizeSentinel = 0xA5A5A5A5u;

bool is_power_of_two(UINT v) { return v != 0 && (v & (v - 1)) == 0; }

std::string guid_name(const GUID& guid) {
  if (std::memcmp(&guid, &D3DCRYPTOTYPE_AES128_CTR, sizeof guid) == 0) return "AES128_CTR";
  if (std::memcmp(&guid, &D3DCRYPTOTYPE_PROPRIETARY, sizeof guid) == 0) return "PROPRIETARY";
  if (std::memcmp(&guid, &kUnknownGuid, sizeof guid) == 0) return "an unknown GUID";
  if (std::memcmp(&guid, &kZeroGuid, sizeof guid) == 0) return "the all-zero GUID";
  if (std::memcmp(&guid, &kH264DecodeProfile, sizeof guid) == 0) return "the H.264 VLD profile";
  return "a GUID";
}

// ---- GETCONTENTPROTECTIONCAPS ----

// A D3DCONTENTPROTECTIONCAPS whose every byte is 0xAB, to prove nothing was written.
struct CapsBuffer {
  CapsBuffer() { std::memset(&caps, 0xAB, sizeof caps); }
  bool untouched() const {
    const CapsBuffer sentinel;
    return std::memcmp(&caps, &sentinel.caps, sizeof caps) == 0;
  }
  D3DCONTENTPROTECTIONCAPS caps;
};

CapsInfo protection_info(const GUID& crypto_type, const GUID& decode_profile = GUID{}) {
  CapsInfo info;
  info.crypto_type = crypto_type;
  info.decode_profile = decode_profile;
  return info;
}

HRESULT get_protection_caps(const Adapter& adapter, const CapsInfo& info, CapsBuffer* out,
                            UINT data_size = sizeof(D3DCONTENTPROTECTIONCAPS)) {
  return adapter.get_caps_raw(D3DDDICAPS_GETCONTENTPROTECTIONCAPS, info, &out->caps, data_size);
}

void require_untouched(const CapsBuffer& buffer, const std::string& what) {
  require(buffer.untouched(), what + " writes nothing", "the caps buffer was written");
}

Verdict caps_get_caps(Env& env) {
  Adapter& adapter = env.adapter();
  D3DCONTENTPROTECTIONCAPS caps{};
  expect_hr(adapter.get_caps(&caps), S_OK, "GetCaps(GETCONTENTPROTECTIONCAPS, AES128_CTR)");
  require(std::memcmp(&caps.KeyExchangeType, &D3DKEYEXCHANGE_RSAES_OAEP, sizeof(GUID)) == 0,
          "KeyExchangeType = D3DKEYEXCHANGE_RSAES_OAEP", "another key-exchange GUID");
  require((caps.Caps & (D3DCPCAPS_SOFTWARE | D3DCPCAPS_HARDWARE)) != 0,
          "Caps holds SOFTWARE or HARDWARE", "Caps = " + std::to_string(caps.Caps));
  require((caps.Caps & ~0x3FFu) == 0, "no Caps bit beyond the D3D9 set (0x1…0x200)",
          "Caps = " + std::to_string(caps.Caps));
  require(is_power_of_two(caps.BufferAlignmentStart) && is_power_of_two(caps.BlockAlignmentSize),
          "BufferAlignmentStart and BlockAlignmentSize are powers of two",
          std::to_string(caps.BufferAlignmentStart) + " and " +
              std::to_string(caps.BlockAlignmentSize));
  require(caps.BlockAlignmentSize <= 16, "BlockAlignmentSize ≤ 16 (one AES block)",
          std::to_string(caps.BlockAlignmentSize));
  return pass();
}

Verdict caps_all_zero_crypto_type(Env& env) {
  require_row(env.adapter().front_end(), DdiRow::kCapsUnion);
  const D3DCONTENTPROTECTIONCAPS& aes = env.adapter().caps();
  CapsBuffer any;
  expect_hr(get_protection_caps(env.adapter(), protection_info(GUID{}), &any), S_OK,
            "GetCaps(GETCONTENTPROTECTIONCAPS) with the all-zero CryptoType");
  require((any.caps.Caps & aes.Caps) == aes.Caps,
          "the union of every supported type's caps, so at least AES128_CTR's " +
              std::to_string(aes.Caps),
          "Caps = " + std::to_string(any.caps.Caps));
  return pass();
}

Verdict caps_unsupported_crypto_type(Env& env) {
  for (const GUID& type : {D3DCRYPTOTYPE_PROPRIETARY, kUnknownGuid}) {
    for (const GUID& profile : {GUID{}, kUnknownGuid, kH264DecodeProfile}) {
      CapsBuffer caps;
      const std::string what = "GetCaps(GETCONTENTPROTECTIONCAPS) of CryptoType " +
                               guid_name(type) + " with DecodeProfile " + guid_name(profile);
      expect_hr(get_protection_caps(env.adapter(), protection_info(type, profile), &caps),
                env.adapter().code(Refusal::kUnsupportedCryptoType), what);
      require_untouched(caps, what);
    }
  }
  return pass();
}

Verdict caps_unsupported_decode_profile(Env& env) {
  CapsBuffer caps;
  const std::string what = "GetCaps(GETCONTENTPROTECTIONCAPS, AES128_CTR) with a DecodeProfile "
                           "no decoder has";
  expect_hr(get_protection_caps(env.adapter(),
                                protection_info(D3DCRYPTOTYPE_AES128_CTR, kUnknownGuid), &caps),
            env.adapter().code(Refusal::kUnsupportedProfile), what);
  require_untouched(caps, what);
  return pass();
}

// GetCaps and CreateCryptoSession answer the same (CryptoType, DecodeProfile) pair with the same
// code (§3, §4.1: S_OK, NOTAVAILABLE for an unsupported type, UNSUPPORTEDCRYPTO for a type not
// supported with that profile). Whether the driver has a decoder for a real DXVA profile is its
// own business, but it must not announce caps for a pair it cannot open a session for, or the
// reverse (A34).
Verdict caps_agree_with_create_session(Env& env) {
  const HANDLE kSessionSentinel = reinterpret_cast<HANDLE>(0x5A5A5A5A);
  Device& device = env.device();
  for (const GUID& type : {D3DCRYPTOTYPE_AES128_CTR, D3DCRYPTOTYPE_PROPRIETARY, kUnknownGuid}) {
    for (const GUID& profile : {GUID{}, kUnknownGuid, kH264DecodeProfile}) {
      const std::string pair = "CryptoType " + guid_name(type) + " with DecodeProfile " +
                               guid_name(profile);
      CapsBuffer caps;
      const HRESULT caps_hr =
          get_protection_caps(env.adapter(), protection_info(type, profile), &caps);
      HANDLE session = kSessionSentinel;
      const HRESULT create_hr = device.create_session_raw(type, profile, &session);
      if (create_hr == S_OK && session != kSessionSentinel) {
        device.destroy_session(session);
      }
      require(caps_hr == create_hr,
              "GetCaps(GETCONTENTPROTECTIONCAPS) and CreateCryptoSession of " + pair +
                  " to agree",
              "GetCaps → " + hr_text(caps_hr) + ", CreateCryptoSession → " + hr_text(create_hr));
    }
  }
  return pass();
}

Verdict caps_larger_data_size(Env& env) {
  require_row(env.adapter().front_end(), DdiRow::kCapsDataSize);
  const D3DCONTENTPROTECTIONCAPS& expected = env.adapter().caps();
  struct {
    D3DCONTENTPROTECTIONCAPS caps;
    unsigned char extra[8];
  } buffer;
  std::memset(&buffer, 0xAB, sizeof buffer);
  expect_hr(env.adapter().get_caps_raw(D3DDDICAPS_GETCONTENTPROTECTIONCAPS,
                                       protection_info(D3DCRYPTOTYPE_AES128_CTR), &buffer,
                                       sizeof buffer),
            S_OK, "GetCaps(GETCONTENTPROTECTIONCAPS) with DataSize 8 bytes larger");
  require(std::memcmp(&buffer.caps, &expected, sizeof expected) == 0,
          "the same caps as with DataSize = sizeof(D3DCONTENTPROTECTIONCAPS)", "other caps");
  return pass();
}

Verdict caps_too_small_data_size(Env& env) {
  require_row(env.adapter().front_end(), DdiRow::kCapsDataSize);
  for (UINT size : {0u, 4u, 20u, static_cast<UINT>(sizeof(D3DCONTENTPROTECTIONCAPS) - 1)}) {
    CapsBuffer caps;
    const std::string what =
        "GetCaps(GETCONTENTPROTECTIONCAPS) with DataSize " + std::to_string(size);
    expect_hr(get_protection_caps(env.adapter(), protection_info(D3DCRYPTOTYPE_AES128_CTR),
                                  &caps, size),
              E_INVALIDARG, what);
    require_untouched(caps, what);
  }
  return pass();
}

Verdict caps_null_pointers(Env& env) {
  Adapter& adapter = env.adapter();
  CapsBuffer caps;
  CapsInfo no_info;
  no_info.kind = CapsInfo::Kind::kNull;
  expect_hr(get_protection_caps(adapter, no_info, &caps), E_INVALIDARG,
            "GetCaps(GETCONTENTPROTECTIONCAPS) with pInfo = NULL");
  require_untouched(caps, "GetCaps with pInfo = NULL");
  expect_hr(adapter.get_caps_raw(D3DDDICAPS_GETCONTENTPROTECTIONCAPS,
                                 protection_info(D3DCRYPTOTYPE_AES128_CTR), nullptr,
                                 sizeof(D3DCONTENTPROTECTIONCAPS)),
            E_INVALIDARG, "GetCaps(GETCONTENTPROTECTIONCAPS) with pData = NULL");
  if (adapter.has_argument_structs()) {
    expect_hr(adapter.get_caps_null_arguments(), E_INVALIDARG,
              "GetCaps with a null argument struct");
  }
  return pass();
}

Verdict caps_unknown_type(Env& env) {
  require_row(env.adapter().front_end(), DdiRow::kCapsTypes);
  CapsBuffer caps;
  const UINT type = 0x7FFFFFFFu;
  expect_hr(env.adapter().get_caps_raw(type, protection_info(D3DCRYPTOTYPE_AES128_CTR),
                                       &caps.caps, sizeof caps.caps),
            D3DDDIERR_NOTAVAILABLE, "GetCaps of caps Type 0x7FFFFFFF");
  require_untouched(caps, "GetCaps of an unknown caps Type");
  return pass();
}

Verdict caps_bad_adapter_handle(Env& env) {
  // D3D11.1 asks a device: its bad-handle rows are session.create-bad-device-handle's and
  // session.bad-device-handle-rejected's.
  require_row(env.adapter().front_end(), DdiRow::kAdapterCaps);
  Adapter& adapter = env.adapter();
  const struct {
    const char* name;
    HANDLE handle;
  } rows[] = {{"a null", nullptr}, {"a garbage", kGarbageHandle},
              {"the device handle as", env.device().handle()}};
  for (const auto& row : rows) {
    CapsBuffer caps;
    const std::string what = std::string("GetCaps with ") + row.name + " adapter handle";
    expect_hr(get_protection_caps(*adapter.calling_as(row.handle),
                                  protection_info(D3DCRYPTOTYPE_AES128_CTR), &caps),
              E_INVALIDARG, what);
    require_untouched(caps, what);
  }
  return pass();
}

Verdict caps_closed_adapter(Env& env) {
  Adapter adapter(env.driver());
  expect_hr(adapter.close(), S_OK, "CloseAdapter");
  if (has_row(adapter.front_end(), DdiRow::kAdapterCaps)) {
    CapsBuffer caps;
    expect_hr(get_protection_caps(adapter, protection_info(D3DCRYPTOTYPE_AES128_CTR), &caps),
              E_INVALIDARG, "GetCaps on a closed adapter");
    require_untouched(caps, "GetCaps on a closed adapter");
  }
  // Where caps are a device's (D3D11.1), a closed adapter makes no device to ask them of.
  HANDLE device = kSentinelHandle;
  expect_hr(adapter.create_device_raw(&device), E_INVALIDARG, "CreateDevice on a closed adapter");
  require(device == kSentinelHandle, "CreateDevice on a closed adapter writes no handle",
          "a handle was written");
  expect_hr(adapter.close(), E_INVALIDARG, "a second CloseAdapter");
  return pass();
}

Verdict caps_switched_off_bits_dropped(Env& env) {
  if (!env.driver().can_open_with_options()) {
    return skipped("the driver exports no cpddi_open_adapter_with_options to switch caps off");
  }
  const D3DCONTENTPROTECTIONCAPS base = env.adapter().caps();
  const struct {
    const char* name;
    DWORD bits;
  } rows[] = {{"PARTIALDECRYPTION", D3DCPCAPS_PARTIALDECRYPTION},
              {"CONTENTKEY", D3DCPCAPS_CONTENTKEY},
              {"FRESHENSESSIONKEY", D3DCPCAPS_FRESHENSESSIONKEY},
              {"ENCRYPTEDREADBACK", D3DCPCAPS_ENCRYPTEDREADBACK},
              {"ENCRYPTEDREADBACKKEY", D3DCPCAPS_ENCRYPTEDREADBACKKEY},
              {"every switchable bit", CPDDI_SWITCHABLE_CAPS}};
  for (const auto& row : rows) {
    CPDDI_ADAPTER_OPTIONS options{};
    options.StructSize = sizeof options;
    options.DisabledCaps = row.bits;
    Adapter adapter(env.driver(), &options);
    std::vector<GUID> types{D3DCRYPTOTYPE_AES128_CTR};
    if (has_row(adapter.front_end(), DdiRow::kCapsUnion)) {
      types.push_back(GUID{});
    }
    for (const GUID& type : types) {
      CapsBuffer caps;
      const std::string what = std::string("GetCaps(") + guid_name(type) + ") with " +
                               row.name + " switched off";
      expect_hr(get_protection_caps(adapter, protection_info(type), &caps), S_OK, what);
      require(caps.caps.Caps == (base.Caps & ~row.bits),
              what + " → Caps " + std::to_string(base.Caps & ~row.bits),
              std::to_string(caps.caps.Caps));
      require(caps.caps.BufferAlignmentStart == base.BufferAlignmentStart &&
                  caps.caps.BlockAlignmentSize == base.BlockAlignmentSize,
              what + " → the default alignments", "other alignments");
    }
  }
  return pass();
}

// ---- The crypto-session certificate ----

CapsInfo certificate_info(UINT certificate_type = D3DDDI_CERTTYPE_CRYPTOSESSION,
                          UINT channel_type = DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE,
                          const GUID& crypto_type = D3DCRYPTOTYPE_AES128_CTR) {
  CapsInfo info;
  info.kind = CapsInfo::Kind::kCertificate;
  info.certificate_type = certificate_type;
  info.channel_type = channel_type;
  info.crypto_type = crypto_type;
  return info;
}

Verdict cert_size_matches(Env& env) {
  Adapter& adapter = env.adapter();
  UINT size = kSizeSentinel;
  expect_hr(adapter.get_caps_raw(D3DDDICAPS_GETCERTIFICATESIZE, certificate_info(), &size,
                                 sizeof size),
            S_OK, "GetCaps(GETCERTIFICATESIZE)");
  const Bytes cert = adapter.certificate();
  require(cert.size() == size, "GETCERTIFICATESIZE = the certificate's byte count",
          std::to_string(size) + " for " + std::to_string(cert.size()) + " bytes");
  const Bytes again = adapter.certificate();
  require(again == cert, "the same certificate bytes each time", first_difference(again, cert));
  const std::optional<DerElement> outer = read_der(cert);
  require(outer && outer->tag == 0x30 && outer->total_len == cert.size(),
          "exactly one DER SEQUENCE, nothing before or after it",
          outer ? std::to_string(outer->total_len) + " of " + std::to_string(cert.size()) +
                      " bytes in the first element, tag " + std::to_string(cert[0])
                : std::string("malformed DER"));
  return pass();
}

Verdict cert_too_small_buffer(Env& env) {
  Adapter& adapter = env.adapter();
  const Bytes cert = adapter.certificate();
  for (UINT size : {0u, 1u, static_cast<UINT>(cert.size() - 1)}) {
    Bytes buffer(cert.size(), 0xEE);
    const std::string what = "GetCaps(GETCERTIFICATE) with DataSize " + std::to_string(size);
    expect_hr(adapter.get_caps_raw(D3DDDICAPS_GETCERTIFICATE, certificate_info(), buffer.data(),
                                   size),
              E_INVALIDARG, what);
    require(buffer == Bytes(cert.size(), 0xEE), what + " writes nothing", "bytes were written");
  }
  for (UINT size : {0u, 1u, 3u}) {
    if (!has_row(adapter.front_end(), DdiRow::kCapsDataSize)) {
      break;  // GetCertificateSize writes one UINT: no DataSize to vary
    }
    UINT out = kSizeSentinel;
    const std::string what = "GetCaps(GETCERTIFICATESIZE) with DataSize " + std::to_string(size);
    expect_hr(adapter.get_caps_raw(D3DDDICAPS_GETCERTIFICATESIZE, certificate_info(), &out,
                                   size),
              E_INVALIDARG, what);
    require(out == kSizeSentinel, what + " writes nothing", "the size was written");
  }
  return pass();
}

Verdict cert_larger_buffer(Env& env) {
  Adapter& adapter = env.adapter();
  const Bytes cert = adapter.certificate();
  Bytes buffer(cert.size() + 32, 0xEE);
  expect_hr(adapter.get_caps_raw(D3DDDICAPS_GETCERTIFICATE, certificate_info(), buffer.data(),
                                 static_cast<UINT>(buffer.size())),
            S_OK, "GetCaps(GETCERTIFICATE) into a buffer 32 bytes larger");
  buffer.resize(cert.size());
  require(buffer == cert, "the certificate at the buffer's start", first_difference(buffer, cert));
  return pass();
}

Verdict cert_null_pointers(Env& env) {
  Adapter& adapter = env.adapter();
  CapsInfo no_info;
  no_info.kind = CapsInfo::Kind::kNull;
  for (UINT type : {UINT{D3DDDICAPS_GETCERTIFICATESIZE}, UINT{D3DDDICAPS_GETCERTIFICATE}}) {
    const std::string name = type == D3DDDICAPS_GETCERTIFICATE ? "GETCERTIFICATE"
                                                               : "GETCERTIFICATESIZE";
    UINT size = kSizeSentinel;
    expect_hr(adapter.get_caps_raw(type, no_info, &size, sizeof size), E_INVALIDARG,
              "GetCaps(" + name + ") with pInfo = NULL");
    require(size == kSizeSentinel, "GetCaps(" + name + ") with pInfo = NULL writes nothing",
            "the buffer was written");
    // DataSize as a caller with a buffer would pass it: only the pointer is missing.
    const UINT data_size = type == D3DDDICAPS_GETCERTIFICATE ? 4096 : sizeof(UINT);
    expect_hr(adapter.get_caps_raw(type, certificate_info(), nullptr, data_size), E_INVALIDARG,
              "GetCaps(" + name + ") with pData = NULL");
  }
  return pass();
}

Verdict cert_parses(Env& env) {
  const Bytes cert = env.adapter().certificate();
  Result<std::vector<crypto::Der>> chain = crypto::parse_certificate_container(cert);
  require(chain.has_value(), "a DER PKCS#7 certs-only bundle or a DER X.509 certificate",
          chain ? "" : std::string("unparsable: ") + chain.error().reason);
  require(!chain->empty(), "at least one certificate (the leaf first)", "an empty bundle");
  Result<crypto::RsaPublicKey> leaf = crypto::RsaPublicKey::from_certificate_der(chain->front());
  require(leaf.has_value(), "the leaf holds an RSA public key",
          leaf ? "" : std::string(leaf.error().reason));
  require(leaf->bits() == 2048, "an RSA-2048 key (the exchange blob is 256 bytes, §4.2)",
          std::to_string(leaf->bits()) + " bits");
  for (std::size_t i = 0; i + 1 < chain->size(); ++i) {
    Result<void> issued = crypto::verify_issued_by((*chain)[i], (*chain)[i + 1]);
    require(issued.has_value(), "leaf first: every certificate issued by the next one",
            "certificate " + std::to_string(i) + ": " + (issued ? "" : issued.error().reason));
  }
  for (std::size_t i = 0; i < chain->size(); ++i) {
    Result<void> valid = crypto::verify_validity_period((*chain)[i]);
    require(valid.has_value(), "every certificate within its validity period",
            "certificate " + std::to_string(i) + ": " + (valid ? "" : valid.error().reason));
  }
  return pass();
}

Verdict cert_oaep_usable(Env& env) {
  Device& device = env.device();
  // The Session constructor OAEP-encrypts kTestKey under the leaf key and exchanges it.
  Session session(device, kTestKey);
  if ((device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACK) != 0) {
    session.fetch_readback_key();
    auto surface = Surface::small_protected(device);
    require_key(session, *surface, kTestKey, 1, "the exchanged key");
  }
  return pass();
}

Verdict cert_not_available(Env& env) {
  Adapter& adapter = env.adapter();
  const struct {
    const char* name;
    UINT certificate_type;
    UINT channel_type;
    GUID crypto_type;
  } rows[] = {
      {"certificate type 0", 0, 2, D3DCRYPTOTYPE_AES128_CTR},
      {"certificate type 3", 3, 2, D3DCRYPTOTYPE_AES128_CTR},
      {"the runtime's D3D9 channel", D3DDDI_CERTTYPE_AUTHENTICATED_CHANNEL, 1, GUID{}},
      {"a session of the all-zero crypto type", D3DDDI_CERTTYPE_CRYPTOSESSION, 2, GUID{}},
      {"a session of crypto type PROPRIETARY", D3DDDI_CERTTYPE_CRYPTOSESSION, 2,
       D3DCRYPTOTYPE_PROPRIETARY},
      {"a session of an unknown crypto type", D3DDDI_CERTTYPE_CRYPTOSESSION, 2, kUnknownGuid}};
  for (const auto& row : rows) {
    const CapsInfo info = certificate_info(row.certificate_type, row.channel_type, row.crypto_type);
    UINT size = kSizeSentinel;
    const std::string what = std::string("the certificate of ") + row.name;
    expect_hr(adapter.get_caps_raw(D3DDDICAPS_GETCERTIFICATESIZE, info, &size, sizeof size),
              adapter.code(Refusal::kUnknownCertificate), "GETCERTIFICATESIZE of " + what);
    require(size == kSizeSentinel, "GETCERTIFICATESIZE of " + what + " writes nothing",
            "the size was written");
    Bytes buffer(8192, 0xEE);
    expect_hr(adapter.get_caps_raw(D3DDDICAPS_GETCERTIFICATE, info, buffer.data(),
                                   static_cast<UINT>(buffer.size())),
              adapter.code(Refusal::kUnknownCertificate), "GETCERTIFICATE of " + what);
    require(buffer == Bytes(8192, 0xEE), "GETCERTIFICATE of " + what + " writes nothing",
            "bytes were written");
  }
  return pass();
}

// ---- Key exchange ----

struct KeyedSurface {
  explicit KeyedSurface(Device& d, const Key& key = kTestKey)
      : session(d, key), surface(Surface::small_protected(d)) {
    session.fetch_readback_key();
  }
  Session session;
  std::unique_ptr<Surface> surface;
};

Verdict exchange_good(Env& env) {
  KeyedSurface k(env.device());
  require_key(k.session, *k.surface, kTestKey, 1, "the exchanged key");
  require_not_key(k.session, *k.surface, kOtherKey, 2, "another key");
  return pass();
}

Verdict exchange_sessions_hold_own_keys(Env& env) {
  KeyedSurface a(env.device(), kTestKey);
  KeyedSurface b(env.device(), kOtherKey);
  require_key(a.session, *a.surface, kTestKey, 1, "the first session's key");
  require_key(b.session, *b.surface, kOtherKey, 2, "the second session's key");
  return pass();
}

// Blobs a driver must refuse with E_INVALIDARG.
enum class Blob {
  kDataSizeZero, kDataSize255, kDataSize257, kDataSize128, kDataSize512, kNullData,
  kGarbage, kGarbageBelowModulus, kAllOnes, kAllZero, kFlippedBit, kOtherRsaKey,
  kSha1Oaep, kSha256Oaep, kMgf1Sha1, kLabel,
  kEmptyKey, kKey15, kKey17, kKey32
};
struct BlobRow {
  const char* name;
  Blob blob;
};

// A blob for `key` under a freshly made RSA-2048 key that is not the driver's.
Bytes wrap_under_another_key(std::span<const std::uint8_t> key) {
  Result<crypto::RsaPrivateKey> other = crypto::RsaPrivateKey::generate(2048);
  require(other.has_value(), "an RSA-2048 key generated on the application side",
          other ? "" : other.error().reason);
  Result<crypto::RsaPublicKey> pub = other->public_key();
  require(pub.has_value(), "its public key", pub ? "" : pub.error().reason);
  Result<std::vector<std::uint8_t>> blob = pub->oaep_encrypt(crypto::kKeyExchangeOaep, key);
  require(blob.has_value(), "OAEP encryption under it", blob ? "" : blob.error().reason);
  return *blob;
}

Bytes make_blob(Blob blob, Adapter& adapter, bool* null_data) {
  const Bytes good = adapter.wrap_session_key(kOtherKey);
  *null_data = false;
  auto resized = [&](std::size_t n) {
    Bytes b = good;
    b.resize(n, 0x01);
    return b;
  };
  auto wrap = [&](std::size_t key_len, OaepVariant variant = OaepVariant::kSpec) {
    return adapter.wrap_session_key(pattern_bytes(key_len, 77), variant);
  };
  switch (blob) {
    case Blob::kDataSizeZero: return Bytes{};
    case Blob::kDataSize255: return resized(255);
    case Blob::kDataSize257: return resized(257);
    case Blob::kDataSize128: return resized(128);
    case Blob::kDataSize512: return resized(512);
    case Blob::kNullData: *null_data = true; return good;
    case Blob::kGarbage: return pattern_bytes(256, 3);
    case Blob::kGarbageBelowModulus: {
      Bytes b = pattern_bytes(256, 4242);
      b[0] = 0x01;  // below any 2048-bit modulus: the RSA step works, OAEP decoding fails
      return b;
    }
    case Blob::kAllOnes: return Bytes(256, 0xFF);
    case Blob::kAllZero: return Bytes(256, 0x00);
    case Blob::kFlippedBit: {
      Bytes b = good;
      b[200] ^= 0x10;
      return b;
    }
    case Blob::kOtherRsaKey: return wrap_under_another_key(kOtherKey);
    case Blob::kSha1Oaep: return wrap(16, OaepVariant::kSha1);
    case Blob::kSha256Oaep: return wrap(16, OaepVariant::kSha256);
    case Blob::kMgf1Sha1: return wrap(16, OaepVariant::kMgf1Sha1);
    case Blob::kLabel: return wrap(16, OaepVariant::kLabel);
    case Blob::kEmptyKey: return wrap(0);
    case Blob::kKey15: return wrap(15);
    case Blob::kKey17: return wrap(17);
    case Blob::kKey32: return wrap(32);
  }
  return good;
}

// A rejected blob changes nothing: a keyed session keeps its key and its pending refresh
// number; a session without a key stays without one, and a good exchange afterwards works.
void expect_blob_rejected(Device& device, const BlobRow& row) {
  bool null_data = false;
  const Bytes blob = make_blob(row.blob, device.adapter(), &null_data);
  const std::string what = std::string("CryptoSessionKeyExchange of ") + row.name;
  const DWORD caps = device.caps_bits();
  const bool can_read_back = (caps & D3DCPCAPS_ENCRYPTEDREADBACK) != 0;
  const bool can_refresh = (caps & D3DCPCAPS_FRESHENSESSIONKEY) != 0;
  auto surface = Surface::small_protected(device);
  {
    Session keyed(device, kTestKey);
    if (can_read_back) {
      keyed.fetch_readback_key();
    }
    Bytes number;
    if (can_refresh) {
      expect_hr(keyed.start_refresh(&number), S_OK, "StartSessionKeyRefresh");
    }
    expect_hr(keyed.exchange_blob(blob, null_data), E_INVALIDARG, what + " on a keyed session");
    if (can_read_back) {
      require_key(keyed, *surface, kTestKey, 1, std::string("the old key after ") + row.name);
    }
    if (can_refresh) {
      expect_hr(keyed.finish_refresh(), S_OK,
                std::string("FinishSessionKeyRefresh of the number pending before ") + row.name);
      keyed.app_apply(number);
      if (can_read_back) {
        require_key(keyed, *surface, keyed.app_key(), 2,
                    std::string("the old key refreshed by the number pending before ") +
                        row.name);
      }
    }
  }
  Session fresh(device, kTestKey, Session::Exchange::kNo);
  expect_hr(fresh.exchange_blob(blob, null_data), E_INVALIDARG,
            what + " on a session without a key");
  if (can_refresh) {
    Bytes number(16, 0xEE);
    expect_hr(fresh.start_refresh_raw(number.data(), 16), fresh.device().code(Refusal::kWrongState),
              std::string("StartSessionKeyRefresh (still no key) after ") + row.name);
  }
  const Iv iv = fresh.next_iv();
  expect_hr(fresh.decryption_blt(surface->handle(), Bytes(256, 1), iv), fresh.device().code(Refusal::kWrongState),
            std::string("DecryptionBlt (still no key) after ") + row.name);
  expect_hr(fresh.rekey(kTestKey), S_OK, std::string("a good exchange after ") + row.name);
  if (can_read_back) {
    fresh.fetch_readback_key();
    require_key(fresh, *surface, kTestKey, 3, std::string("the key exchanged after ") + row.name);
  }
}

Verdict expect_blobs_rejected(Env& env, std::span<const BlobRow> rows) {
  for (const BlobRow& row : rows) {
    expect_blob_rejected(env.device(), row);
  }
  return pass();
}

Verdict exchange_wrong_data_size(Env& env) {
  static constexpr BlobRow kRows[] = {
      {"a 0-byte blob", Blob::kDataSizeZero},     {"a 255-byte blob", Blob::kDataSize255},
      {"a 257-byte blob", Blob::kDataSize257},    {"a 128-byte blob", Blob::kDataSize128},
      {"a 512-byte blob", Blob::kDataSize512},    {"pData = NULL", Blob::kNullData}};
  return expect_blobs_rejected(env, kRows);
}

Verdict exchange_garbage_blob(Env& env) {
  static constexpr BlobRow kRows[] = {
      {"256 garbage bytes", Blob::kGarbage},
      {"256 garbage bytes below the modulus", Blob::kGarbageBelowModulus},
      {"256 bytes 0xFF (not below the modulus)", Blob::kAllOnes},
      {"256 zero bytes", Blob::kAllZero},
      {"a good blob with one bit flipped", Blob::kFlippedBit},
      {"a blob under another RSA key", Blob::kOtherRsaKey}};
  return expect_blobs_rejected(env, kRows);
}

Verdict exchange_wrong_oaep_parameters(Env& env) {
  static constexpr BlobRow kRows[] = {{"OAEP with SHA-1", Blob::kSha1Oaep},
                                      {"OAEP with SHA-256", Blob::kSha256Oaep},
                                      {"OAEP SHA-512 with MGF1-SHA-1", Blob::kMgf1Sha1},
                                      {"OAEP with a label", Blob::kLabel}};
  return expect_blobs_rejected(env, kRows);
}

Verdict exchange_wrong_key_length(Env& env) {
  static constexpr BlobRow kRows[] = {{"a 0-byte key", Blob::kEmptyKey},
                                      {"a 15-byte key", Blob::kKey15},
                                      {"a 17-byte key", Blob::kKey17},
                                      {"a 32-byte key", Blob::kKey32}};
  return expect_blobs_rejected(env, kRows);
}

Verdict exchange_repeat_replaces_key(Env& env) {
  KeyedSurface k(env.device());
  require_key(k.session, *k.surface, kTestKey, 3, "the first key");
  expect_hr(k.session.rekey(kOtherKey), S_OK, "a second CryptoSessionKeyExchange");
  k.session.fetch_readback_key();
  require_key(k.session, *k.surface, kOtherKey, 1, "the new key");
  require_not_key(k.session, *k.surface, kTestKey, 2, "the replaced key");
  return pass();
}

Verdict exchange_repeat_restarts_iv_history(Env& env) {
  for (const Key* new_key : {&kOtherKey, &kTestKey}) {
    const std::string which = new_key == &kTestKey ? "the same key" : "another key";
    KeyedSurface k(env.device());
    const std::size_t len = k.session.surface_bytes(*k.surface);
    const Iv iv = make_iv(50);
    expect_hr(k.session.decryption_blt(k.surface->handle(),
                                       ctr(kTestKey, iv, pattern_bytes(len, 5)), iv),
              S_OK, "DecryptionBlt with IV 50");
    expect_hr(k.session.rekey(*new_key), S_OK, "a repeat exchange of " + which);
    k.session.fetch_readback_key();
    const Bytes plain = pattern_bytes(len, 6);
    expect_hr(k.session.decryption_blt(k.surface->handle(), ctr(*new_key, iv, plain), iv), S_OK,
              "DecryptionBlt with IV 50 again after a repeat exchange of " + which);
    const Bytes back = k.session.download(*k.surface);
    require(back == plain, "the blt after the exchange of " + which + " used its key",
            first_difference(back, plain));
  }
  return pass();
}

Verdict exchange_failed_keeps_iv_history(Env& env) {
  KeyedSurface k(env.device());
  const std::size_t len = k.session.surface_bytes(*k.surface);
  const Bytes plain = pattern_bytes(len, 9);
  const Iv iv = make_iv(70);
  expect_hr(k.session.decryption_blt(k.surface->handle(), ctr(kTestKey, iv, plain), iv), S_OK,
            "DecryptionBlt with IV 70");
  expect_hr(k.session.exchange_blob(env.adapter().wrap_session_key(pattern_bytes(15, 1))),
            E_INVALIDARG, "CryptoSessionKeyExchange of a 15-byte key");
  expect_hr(k.session.decryption_blt(k.surface->handle(), ctr(kTestKey, iv, Bytes(len, 0)), iv),
            E_INVALIDARG, "DecryptionBlt replaying IV 70 after the failed exchange");
  const Bytes back = k.session.download(*k.surface);
  require(back == plain, "the surface still holds the first blt's bytes",
          first_difference(back, plain));
  return pass();
}

Verdict exchange_null_arguments(Env& env) {
  expect_hr(env.device().call_with_null_arguments(DeviceEntry::kCryptoSessionKeyExchange),
            E_INVALIDARG, "CryptoSessionKeyExchange with null arguments");
  return pass();
}

constexpr Case kCases[] = {
    {"caps.get-caps",
     "GetCaps(GETCONTENTPROTECTIONCAPS, AES128_CTR) succeeds: RSAES-OAEP, D3D9 bits, sane "
     "alignments",
     "§2.4, §3",
     caps_get_caps},
    {"caps.all-zero-crypto-type",
     "the all-zero CryptoType reports the union of the supported types' caps", "§3",
     caps_all_zero_crypto_type},
    {"caps.unsupported-crypto-type",
     "an unsupported CryptoType → D3DDDIERR_NOTAVAILABLE whatever the DecodeProfile, nothing "
     "written",
     "§3", caps_unsupported_crypto_type},
    {"caps.unsupported-decode-profile",
     "a supported CryptoType with an unknown DecodeProfile → D3DDDIERR_UNSUPPORTEDCRYPTO, "
     "nothing written",
     "§3, A34", caps_unsupported_decode_profile},
    {"caps.agree-with-create-session",
     "GetCaps and CreateCryptoSession give the same code for every CryptoType × DecodeProfile "
     "(AES, PROPRIETARY, unknown × none, unknown, H.264)",
     "§3, §4.1, A34", caps_agree_with_create_session},
    {"caps.larger-data-size", "a DataSize larger than the caps is accepted and gives the same caps",
     "§3", caps_larger_data_size},
    {"caps.too-small-data-size", "GetCaps with DataSize too small → E_INVALIDARG, nothing written",
     "§3", caps_too_small_data_size},
    {"caps.null-pointers", "GetCaps with pInfo, pData or the argument struct NULL → E_INVALIDARG",
     "§3", caps_null_pointers},
    {"caps.unknown-type", "GetCaps of an undefined caps Type → D3DDDIERR_NOTAVAILABLE, nothing "
     "written", "§3", caps_unknown_type},
    {"caps.bad-adapter-handle",
     "GetCaps with a null, garbage or device handle as hAdapter → E_INVALIDARG, nothing written",
     "§3", caps_bad_adapter_handle},
    {"caps.closed-adapter",
     "GetCaps or CreateDevice on a closed adapter → E_INVALIDARG, nothing written; a second "
     "close → E_INVALIDARG",
     "§3", caps_closed_adapter},
    {"caps.switched-off-bits-dropped",
     "an optional cap switched off is dropped from every CryptoType query, alignments unchanged",
     "§2.4, §3", caps_switched_off_bits_dropped},
    {"cert.size-matches",
     "GETCERTIFICATESIZE is the byte count of GETCERTIFICATE's stable bytes: one DER element",
     "§3, §7.7", cert_size_matches},
    {"cert.too-small-buffer",
     "GETCERTIFICATE(SIZE) into a buffer too small → E_INVALIDARG, nothing written", "§3",
     cert_too_small_buffer},
    {"cert.larger-buffer", "GETCERTIFICATE into a larger buffer is accepted", "§3",
     cert_larger_buffer},
    {"cert.null-pointers", "GETCERTIFICATE(SIZE) with pInfo or pData NULL → E_INVALIDARG", "§3",
     cert_null_pointers},
    {"cert.parses",
     "the certificate is DER PKCS#7 or X.509, leaf first (each issued by the next), valid now, "
     "the leaf holding RSA-2048",
     "§3, §4.2, §7.7", cert_parses},
    {"cert.oaep-usable", "a key OAEP-encrypted (SHA-512) under the leaf key is accepted and used",
     "§4.2, §7.5", cert_oaep_usable},
    {"cert.not-available",
     "an unknown certificate type, the D3D9 channel or an unsupported crypto type → "
     "D3DDDIERR_NOTAVAILABLE, nothing written",
     "§3", cert_not_available},
    {"exchange.good", "a good exchange installs exactly the sent key", "§4.2", exchange_good},
    {"exchange.sessions-hold-own-keys", "two sessions of a device each use their own key",
     "§1.1, §4.2", exchange_sessions_hold_own_keys},
    {"exchange.wrong-data-size",
     "DataSize ≠ 256 or pData NULL → E_INVALIDARG; the key, a pending number or NoKey unchanged",
     "§4.2", exchange_wrong_data_size},
    {"exchange.garbage-blob",
     "a garbage, tampered or foreign-key blob → E_INVALIDARG; nothing changes", "§4.2, §7.5",
     exchange_garbage_blob},
    {"exchange.wrong-oaep-parameters",
     "a blob with other OAEP hashes or a label → E_INVALIDARG; nothing changes", "§7.5",
     exchange_wrong_oaep_parameters},
    {"exchange.wrong-key-length",
     "an OAEP plaintext that is not 16 bytes → E_INVALIDARG; nothing changes", "A25",
     exchange_wrong_key_length},
    {"exchange.repeat-replaces-key", "a repeat exchange replaces the session key", "§4.2, A11",
     exchange_repeat_replaces_key},
    {"exchange.repeat-restarts-iv-history",
     "after a repeat exchange (another or the same key) an IV used before is accepted again",
     "§4.2, A11", exchange_repeat_restarts_iv_history},
    {"exchange.failed-keeps-iv-history",
     "after a failed exchange a used IV is still a replay → E_INVALIDARG", "§4, A11",
     exchange_failed_keeps_iv_history},
    {"exchange.null-arguments",
     "CryptoSessionKeyExchange with null arguments (D3D9: no argument struct; D3D11.1: null "
     "session and data) → E_INVALIDARG",
     "§4.2",
     exchange_null_arguments},
};

}  // namespace

std::span<const Case> caps_cases() { return kCases; }

}  // namespace cpddi::conform
