// Caps, the crypto-session certificate and the key exchange: spec §3, §4.2, §7.5, §7.7, A25.
#include <cstring>

#include "conform/cases.h"
#include "crypto/x509.h"

namespace cpddi::conform {
namespace {

bool is_power_of_two(UINT v) { return v != 0 && (v & (v - 1)) == 0; }

Verdict caps_get_caps(Env& env) {
  Adapter& adapter = env.adapter();
  D3DCONTENTPROTECTIONCAPS caps{};
  expect_hr(adapter.get_caps(&caps), S_OK, "GetCaps(GETCONTENTPROTECTIONCAPS, AES128_CTR)");
  require(std::memcmp(&caps.KeyExchangeType, &D3DKEYEXCHANGE_RSAES_OAEP, sizeof(GUID)) == 0,
          "KeyExchangeType = D3DKEYEXCHANGE_RSAES_OAEP", "another key-exchange GUID");
  require((caps.Caps & (D3DCPCAPS_SOFTWARE | D3DCPCAPS_HARDWARE)) != 0,
          "Caps holds SOFTWARE or HARDWARE", "Caps = " + std::to_string(caps.Caps));
  require(is_power_of_two(caps.BufferAlignmentStart) && is_power_of_two(caps.BlockAlignmentSize),
          "BufferAlignmentStart and BlockAlignmentSize are powers of two",
          std::to_string(caps.BufferAlignmentStart) + " and " +
              std::to_string(caps.BlockAlignmentSize));
  require(caps.BlockAlignmentSize <= 16, "BlockAlignmentSize ≤ 16 (one AES block)",
          std::to_string(caps.BlockAlignmentSize));
  return pass();
}

Verdict caps_too_small_data_size(Env& env) {
  Adapter& adapter = env.adapter();
  DDICONTENTPROTECTIONCAPS info{D3DCRYPTOTYPE_AES128_CTR, GUID{}};
  unsigned char buffer[sizeof(D3DCONTENTPROTECTIONCAPS)];
  std::memset(buffer, 0xA5, sizeof buffer);
  D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCONTENTPROTECTIONCAPS, &info, buffer,
                         static_cast<UINT>(sizeof buffer - 1)};
  expect_hr(adapter.funcs().pfnGetCaps(adapter.handle(), &args), E_INVALIDARG,
            "GetCaps with DataSize one byte short");
  for (unsigned char b : buffer) {
    require(b == 0xA5, "nothing written", "the caps buffer was written");
  }
  return pass();
}

Verdict cert_size_matches(Env& env) {
  Adapter& adapter = env.adapter();
  const Bytes cert = adapter.certificate();
  DDICERTIFICATEINFO info{D3DDDI_CERTTYPE_CRYPTOSESSION, DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE,
                          D3DCRYPTOTYPE_AES128_CTR};
  Bytes again(cert.size(), 0);
  D3DDDIARG_GETCAPS args{D3DDDICAPS_GETCERTIFICATE, &info, again.data(),
                         static_cast<UINT>(again.size())};
  expect_hr(adapter.funcs().pfnGetCaps(adapter.handle(), &args), S_OK, "second GETCERTIFICATE");
  require(again == cert, "the same certificate bytes each time", first_difference(again, cert));
  Bytes short_buffer(cert.size() - 1, 0x5A);
  D3DDDIARG_GETCAPS short_args{D3DDDICAPS_GETCERTIFICATE, &info, short_buffer.data(),
                               static_cast<UINT>(short_buffer.size())};
  expect_hr(adapter.funcs().pfnGetCaps(adapter.handle(), &short_args), E_INVALIDARG,
            "GETCERTIFICATE into a buffer one byte short");
  require(short_buffer == Bytes(cert.size() - 1, 0x5A), "nothing written to the short buffer",
          "bytes were written");
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
  require(leaf->bits() >= 2048, "an RSA key of at least 2048 bits",
          std::to_string(leaf->bits()) + " bits");
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

// ---- Key exchange ----

struct KeyedSurface {
  explicit KeyedSurface(Device& d) : session(d, kTestKey), surface(Surface::small_protected(d)) {
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

Verdict exchange_wrong_data_size(Env& env) {
  KeyedSurface k(env.device());
  const Bytes good = env.adapter().wrap_session_key(kOtherKey);
  for (std::size_t size : {std::size_t{0}, std::size_t{128}, std::size_t{255}, std::size_t{257},
                           std::size_t{512}}) {
    Bytes blob = good;
    blob.resize(size, 0);
    expect_hr(k.session.exchange_blob(blob), E_INVALIDARG,
              "CryptoSessionKeyExchange with DataSize " + std::to_string(size));
  }
  expect_hr(k.session.exchange_blob(good, true), E_INVALIDARG,
            "CryptoSessionKeyExchange with pData = NULL");
  require_key(k.session, *k.surface, kTestKey, 1, "the old key");
  return pass();
}

Verdict exchange_garbage_blob(Env& env) {
  KeyedSurface k(env.device());
  Bytes garbage = pattern_bytes(256, 4242);
  garbage[0] = 0x01;  // below any 2048-bit modulus: the RSA step works, OAEP decoding fails
  expect_hr(k.session.exchange_blob(garbage), E_INVALIDARG,
            "CryptoSessionKeyExchange of 256 garbage bytes");
  Bytes flipped = env.adapter().wrap_session_key(kOtherKey);
  flipped[200] ^= 0x01;
  expect_hr(k.session.exchange_blob(flipped), E_INVALIDARG,
            "CryptoSessionKeyExchange of a blob with one bit flipped");
  require_key(k.session, *k.surface, kTestKey, 1, "the old key");
  return pass();
}

Verdict exchange_wrong_key_length(Env& env) {
  KeyedSurface k(env.device());
  for (std::size_t len : {std::size_t{0}, std::size_t{15}, std::size_t{17}, std::size_t{32}}) {
    const Bytes key = pattern_bytes(len, 7);
    expect_hr(k.session.exchange_blob(env.adapter().wrap_session_key(key)), E_INVALIDARG,
              "CryptoSessionKeyExchange of a " + std::to_string(len) + "-byte key");
  }
  require_key(k.session, *k.surface, kTestKey, 1, "the old key");
  return pass();
}

Verdict exchange_repeat_replaces_key(Env& env) {
  KeyedSurface k(env.device());
  expect_hr(k.session.rekey(kOtherKey), S_OK, "a second CryptoSessionKeyExchange");
  k.session.fetch_readback_key();
  require_key(k.session, *k.surface, kOtherKey, 1, "the new key");
  require_not_key(k.session, *k.surface, kTestKey, 2, "the replaced key");
  return pass();
}

constexpr Case kCases[] = {
    {"caps.get-caps",
     "GetCaps(GETCONTENTPROTECTIONCAPS, AES128_CTR) succeeds: RSAES-OAEP, sane alignments", "§3",
     caps_get_caps},
    {"caps.too-small-data-size", "GetCaps with DataSize too small → E_INVALIDARG, nothing written",
     "§3", caps_too_small_data_size},
    {"cert.size-matches",
     "GETCERTIFICATESIZE then GETCERTIFICATE give stable bytes; a short buffer → E_INVALIDARG",
     "§3", cert_size_matches},
    {"cert.parses", "the certificate is DER PKCS#7 or X.509 and its leaf holds RSA ≥ 2048 bits",
     "§3, §7.7", cert_parses},
    {"cert.oaep-usable", "a key OAEP-encrypted (SHA-512) under the leaf key is accepted and used",
     "§4.2, §7.5", cert_oaep_usable},
    {"exchange.good", "a good exchange installs exactly the sent key", "§4.2", exchange_good},
    {"exchange.wrong-data-size",
     "DataSize ≠ 256 or pData NULL → E_INVALIDARG, old key still in force", "§4.2",
     exchange_wrong_data_size},
    {"exchange.garbage-blob",
     "a garbage or tampered blob → E_INVALIDARG, old key still in force", "§4.2, §7.5",
     exchange_garbage_blob},
    {"exchange.wrong-key-length",
     "an OAEP plaintext that is not 16 bytes → E_INVALIDARG, old key still in force", "A25",
     exchange_wrong_key_length},
    {"exchange.repeat-replaces-key", "a repeat exchange replaces the session key", "§4.2, A11",
     exchange_repeat_replaces_key},
};

}  // namespace

std::span<const Case> caps_cases() { return kCases; }

}  // namespace cpddi::conform
