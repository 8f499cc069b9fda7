// The GetCaps call of get_caps_call.h.
#include "get_caps_call.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

namespace cpddi::fuzz {
namespace {

constexpr std::uint8_t kSentinel = 0xA5;

GUID pick_guid(ByteReader& in) {
  GUID g{};
  switch (in.below(4)) {
    case 0: g = D3DCRYPTOTYPE_AES128_CTR; break;
    case 1: break;  // all zero
    case 2: g = D3DCRYPTOTYPE_PROPRIETARY; break;
    default: {
      const auto raw = in.array<sizeof(GUID)>();
      std::memcpy(&g, raw.data(), sizeof g);
      break;
    }
  }
  return g;
}

bool guid_equal(const GUID& a, const GUID& b) { return std::memcmp(&a, &b, sizeof a) == 0; }
bool guid_zero(const GUID& g) { return guid_equal(g, GUID{}); }

}  // namespace

void fuzz_get_caps(const Adapter& a, HANDLE wrong_kind, ByteReader& in) {
  const auto certificate_size = static_cast<UINT>(a.certificate.size());

  const std::uint8_t handle_choice = in.u8();
  HANDLE handle = a.handle();
  bool bad_handle = true;
  switch (handle_choice % 8) {
    case 5: handle = nullptr; break;
    case 6: handle = wrong_kind; break;
    case 7: handle = not_a_live_handle(in.u64()); break;
    default: bad_handle = false; break;
  }

  std::uint32_t type = 42 + in.below(3);
  if (in.u8() >= 240) {
    type = raw_enum(in.u32(), 6);  // D3DDDICAPS_TYPE: 42..44, range 0..63
  }

  // pInfo: the content-protection layout for GETCONTENTPROTECTIONCAPS, the certificate one else.
  const bool null_info = in.u8() >= 240;
  conform::CapsInfo info;
  info.crypto_type = pick_guid(in);
  info.decode_profile = in.flag() ? pick_guid(in) : GUID{};
  std::uint32_t cert_type = in.below(4);  // 0 and 3 are not certificate types
  if (in.u8() >= 250) {
    cert_type = raw_enum(in.u32(), 2);  // D3DDDI_CERTIFICATETYPE: 1..2, range 0..3
  }
  info.certificate_type = cert_type;
  info.channel_type = in.u8() >= 128 ? raw_enum(in.u32(), 2) : 2 + in.below(2);
  using Kind = conform::CapsInfo::Kind;
  info.kind = null_info                                     ? Kind::kNull
              : type == D3DDDICAPS_GETCONTENTPROTECTIONCAPS ? Kind::kContentProtection
                                                            : Kind::kCertificate;

  const std::uint32_t natural = type == D3DDDICAPS_GETCONTENTPROTECTIONCAPS
                                    ? sizeof(D3DCONTENTPROTECTIONCAPS)
                                : type == D3DDDICAPS_GETCERTIFICATESIZE ? sizeof(UINT)
                                                                        : certificate_size;
  std::uint32_t data_size = natural;
  switch (in.below(6)) {
    case 0: break;
    case 1: data_size = natural - 1; break;
    case 2: data_size = natural + 7; break;
    case 3: data_size = 0; break;
    case 4: data_size = in.u16() % 4096; break;
    default: data_size = natural / 2; break;
  }
  const bool null_data = in.u8() >= 240;
  Bytes out(static_cast<std::size_t>(data_size) + 64, kSentinel);
  const bool null_struct = in.u8() == 0xFF;

  Expected e;
  if (bad_handle || null_struct) {
    e.add(E_INVALIDARG);
  } else if (type == D3DDDICAPS_GETCONTENTPROTECTIONCAPS) {
    e.add_if(null_info || null_data || data_size < sizeof(D3DCONTENTPROTECTIONCAPS), E_INVALIDARG);
    if (!null_info) {
      const bool known = guid_zero(info.crypto_type) ||
                         guid_equal(info.crypto_type, D3DCRYPTOTYPE_AES128_CTR);
      e.add_if(!known, D3DDDIERR_NOTAVAILABLE);
      e.add_if(!guid_zero(info.decode_profile), D3DDDIERR_UNSUPPORTEDCRYPTO);
    }
  } else if (type == D3DDDICAPS_GETCERTIFICATESIZE || type == D3DDDICAPS_GETCERTIFICATE) {
    const UINT needed = type == D3DDDICAPS_GETCERTIFICATESIZE ? sizeof(UINT) : certificate_size;
    e.add_if(null_info || null_data || data_size < needed, E_INVALIDARG);
    if (!null_info) {
      // One identity: AES-128-CTR crypto sessions and software channels (spec §7.7).
      const bool ok = (cert_type == D3DDDI_CERTTYPE_CRYPTOSESSION &&
                       guid_equal(info.crypto_type, D3DCRYPTOTYPE_AES128_CTR)) ||
                      (cert_type == D3DDDI_CERTTYPE_AUTHENTICATED_CHANNEL &&
                       info.channel_type == DDIAUTHENTICATEDCHANNEL_DRIVER_SOFTWARE);
      e.add_if(!ok, D3DDDIERR_NOTAVAILABLE);
    }
  } else {
    e.add(D3DDDIERR_NOTAVAILABLE);
  }

  const std::unique_ptr<conform::Adapter> caller = a.conform().calling_as(handle);
  const HRESULT hr =
      null_struct ? caller->get_caps_null_arguments()
                  : caller->get_caps_raw(type, info, null_data ? nullptr : out.data(), data_size);
  check_result("GetCaps", hr, documented::kGetCaps, e);

  std::size_t written = 0;
  if (hr == S_OK) {
    if (type == D3DDDICAPS_GETCONTENTPROTECTIONCAPS) {
      D3DCONTENTPROTECTIONCAPS caps{};
      std::memcpy(&caps, out.data(), sizeof caps);
      if (caps.Caps != a.caps || !guid_equal(caps.KeyExchangeType, D3DKEYEXCHANGE_RSAES_OAEP) ||
          caps.BufferAlignmentStart != 16 || caps.BlockAlignmentSize != 16 ||
          caps.ProtectedMemorySize != a.protected_memory()) {
        violation("GETCONTENTPROTECTIONCAPS answered other caps than the adapter's profile");
      }
      written = sizeof caps;
    } else if (type == D3DDDICAPS_GETCERTIFICATESIZE) {
      UINT reported = 0;
      std::memcpy(&reported, out.data(), sizeof reported);
      if (reported != certificate_size) {
        violation("GETCERTIFICATESIZE answered %u, not %u", reported, certificate_size);
      }
      written = sizeof reported;
    } else {
      if (!std::equal(a.certificate.begin(), a.certificate.end(), out.begin())) {
        violation("GETCERTIFICATE answered other bytes than before");
      }
      written = a.certificate.size();
    }
  }
  // Nothing is written on failure, and nothing past the answer on success.
  if (std::any_of(out.begin() + static_cast<std::ptrdiff_t>(written), out.end(),
                  [](std::uint8_t b) { return b != kSentinel; })) {
    violation("GetCaps wrote pData bytes it does not answer with (hr %s)", cpddi_hresult_name(hr));
  }
}

}  // namespace cpddi::fuzz
