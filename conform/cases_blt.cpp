// DecryptionBlt, EncryptionBlt and GetEncryptionBltKey: spec §4.5–§4.7, §7.1, §7.2, §7.4, §7.8,
// A12, A17–A19.
#include <optional>
#include <set>

#include "conform/cases.h"

namespace cpddi::conform {
namespace {

// NIST SP 800-38A F.5.1 (CTR-AES128.Encrypt); the counter block f0f1…feff is passed as the
// D3DAES_CTR_IV bytes exactly as stored (IV = 0xf0f1f2f3f4f5f6f7, Count = 0xf8f9…ff, spec §7.1).
constexpr Key kNistKey = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                          0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
constexpr Iv kNistCounter = {0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
                             0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff};
const Bytes kNistPlain = {
    0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a,
    0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03, 0xac, 0x9c, 0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51,
    0x30, 0xc8, 0x1c, 0x46, 0xa3, 0x5c, 0xe4, 0x11, 0xe5, 0xfb, 0xc1, 0x19, 0x1a, 0x0a, 0x52, 0xef,
    0xf6, 0x9f, 0x24, 0x45, 0xdf, 0x4f, 0x9b, 0x17, 0xad, 0x2b, 0x41, 0x7b, 0xe6, 0x6c, 0x37, 0x10};
const Bytes kNistCipher = {
    0x87, 0x4d, 0x61, 0x91, 0xb6, 0x20, 0xe3, 0x26, 0x1b, 0xef, 0x68, 0x64, 0x99, 0x0d, 0xb6, 0xce,
    0x98, 0x06, 0xf6, 0x6b, 0x79, 0x70, 0xfd, 0xff, 0x86, 0x17, 0x18, 0x7b, 0xb9, 0xff, 0xfd, 0xff,
    0x5a, 0xe4, 0xdf, 0x3e, 0xdb, 0xd5, 0xd3, 0x5e, 0x5b, 0x4f, 0x09, 0x02, 0x0d, 0xb0, 0x3e, 0xab,
    0x1e, 0x03, 0x1d, 0xda, 0x2f, 0xbe, 0x03, 0xd1, 0x79, 0x21, 0x70, 0xa0, 0xf3, 0x00, 0x9c, 0xee};

constexpr Key kContentKey = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

Verdict decrypt_nist_vector(Env& env) {
  Device& device = env.device();
  require_caps(device, D3DCPCAPS_ENCRYPTEDREADBACK,
               "ENCRYPTEDREADBACK (surface contents cannot be verified)");
  Session session(device, kNistKey);
  session.fetch_readback_key();
  Surface surface(device, D3DDDIFMT_X8R8G8B8, 16, 1, D3DDDIPOOL_VIDEOMEMORY, true);
  require(session.surface_bytes(surface) == kNistCipher.size(),
          "a 16×1 X8R8G8B8 surface holds exactly the 64 vector bytes",
          std::to_string(session.surface_bytes(surface)) + " bytes");
  expect_hr(session.decryption_blt(surface.handle(), kNistCipher, kNistCounter), S_OK,
            "DecryptionBlt of the F.5.1 ciphertext");
  const Bytes plain = session.download(surface);
  require(plain == kNistPlain, "the F.5.1 plaintext " + hex(kNistPlain),
          hex(plain) + " (IV/Count not read as big-endian bytes?)");
  return pass();
}

Verdict decrypt_content_key(Env& env) {
  Device& device = env.device();
  require_caps(device, D3DCPCAPS_CONTENTKEY, "CONTENTKEY");
  Session session(device, kTestKey);
  session.fetch_readback_key();
  auto surface = Surface::small_protected(device);
  const std::size_t len = session.surface_bytes(*surface);
  const Bytes frame = pattern_bytes(len, 11);
  const Iv iv = session.next_iv();
  const Key wrapped = ecb_wrap(kTestKey, kContentKey);
  expect_hr(session.decryption_blt(surface->handle(), ctr(kContentKey, iv, frame), iv, nullptr,
                                   wrapped.data()),
            S_OK, "DecryptionBlt with a content key wrapped under the session key");
  const Bytes back = session.download(*surface);
  require(back == frame, "the frame encrypted under the content key",
          first_difference(back, frame));
  return pass();
}

// The app side of spec §7.4: encrypted runs take consecutive keystream bytes, clear runs none.
Bytes apply_map(const Key& key, const Iv& iv, const Bytes& plain,
                const D3DDDIENCRYPTED_BLOCK_INFO& map) {
  const Bytes keystream = ctr(key, iv, Bytes(plain.size(), 0));
  Bytes out = plain;
  std::size_t pos = 0;
  std::size_t ks = 0;
  auto run = [&](std::size_t n, bool encrypted) {
    for (std::size_t i = 0; i < n && pos < out.size(); ++i, ++pos) {
      if (encrypted) {
        out[pos] ^= keystream[ks++];
      }
    }
  };
  run(map.NumEncryptedBytesAtBeginning, true);
  const UINT skip_len = map.NumBytesInSkipPattern;
  const UINT encrypt_len = map.NumBytesInEncryptPattern;
  if (encrypt_len == 0) {
    return out;  // rest clear (both doc example 1 and the (n, L−n, 0) form)
  }
  if (skip_len == 0) {
    run(out.size() - pos, true);
    return out;
  }
  while (pos < out.size()) {
    run(skip_len, false);
    run(encrypt_len, true);
  }
  return out;
}

void check_map(Env& env, std::initializer_list<D3DDDIENCRYPTED_BLOCK_INFO> maps) {
  Device& device = env.device();
  require_caps(device, D3DCPCAPS_PARTIALDECRYPTION, "PARTIALDECRYPTION");
  Session session(device, kTestKey);
  session.fetch_readback_key();
  auto surface = Surface::small_protected(device);
  const std::size_t len = session.surface_bytes(*surface);
  std::uint32_t seed = 20;
  for (const D3DDDIENCRYPTED_BLOCK_INFO& map : maps) {
    // Appended piece by piece: `"(" + std::to_string(…)` trips GCC 12's false -Wrestrict at -O3
    // (GCC bug 105329).
    std::string name = "(";
    name += std::to_string(map.NumEncryptedBytesAtBeginning);
    name += ", ";
    name += std::to_string(map.NumBytesInSkipPattern);
    name += ", ";
    name += std::to_string(map.NumBytesInEncryptPattern);
    name += ")";
    const Bytes frame = pattern_bytes(len, seed++);
    const Iv iv = session.next_iv();
    expect_hr(session.decryption_blt(surface->handle(), apply_map(kTestKey, iv, frame, map), iv,
                                     &map),
              S_OK, "DecryptionBlt with block map " + name);
    const Bytes back = session.download(*surface);
    require(back == frame, "block map " + name + " decrypts exactly its encrypted runs",
            first_difference(back, frame));
  }
}

Verdict decrypt_partial_first_hundred(Env& env) {
  check_map(env, {{100, 0, 0}});
  return pass();
}

Verdict decrypt_partial_hundred_twenty_two(Env& env) {
  check_map(env, {{100, 20, 2}});
  return pass();
}

Verdict decrypt_partial_patterns(Env& env) {
  check_map(env, {{0, 0, 16}, {64, 192, 0}, {0, 16, 16}, {7, 13, 5}, {17, 1, 31}, {1000, 0, 0},
                  {0, 0, 0}, {0, 250, 10}});
  return pass();
}

Verdict decrypt_iv_replay_rejected(Env& env) {
  Device& device = env.device();
  Session session(device, kTestKey);
  session.fetch_readback_key();
  auto surface = Surface::small_protected(device);
  const std::size_t len = session.surface_bytes(*surface);
  const Bytes first = pattern_bytes(len, 31);
  const Iv iv = make_iv(500);
  expect_hr(session.decryption_blt(surface->handle(), ctr(kTestKey, iv, first), iv), S_OK,
            "DecryptionBlt with a fresh IV");
  const Bytes second = pattern_bytes(len, 32);
  expect_hr(session.decryption_blt(surface->handle(), ctr(kTestKey, iv, second), iv),
            E_INVALIDARG, "DecryptionBlt replaying the IV under the same key");
  const Iv lower = make_iv(499);
  expect_hr(session.decryption_blt(surface->handle(), ctr(kTestKey, lower, second), lower),
            E_INVALIDARG, "DecryptionBlt with a lower IV");
  const Bytes back = session.download(*surface);
  require(back == first, "the surface still holds the first frame", first_difference(back, first));
  return pass();
}

// The argument errors of spec §4.5 (cpddi's resolution: E_INVALIDARG for each): a refused blt
// writes nothing and does not use up its IV.
Verdict decrypt_bad_arguments_rejected(Env& env) {
  Device& device = env.device();
  Session session(device, kTestKey);
  session.fetch_readback_key();  // skips without ENCRYPTEDREADBACK: contents unverifiable
  auto destination = Surface::small_protected(device);
  const std::size_t len = session.surface_bytes(*destination);
  const Bytes old_frame = pattern_bytes(len, 21);
  expect_hr(session.upload(*destination, old_frame, kTestKey), S_OK, "DecryptionBlt of a frame");

  const Bytes frame = pattern_bytes(len, 22);
  const Iv iv = session.next_iv();
  const Bytes ciphertext = ctr(kTestKey, iv, frame);
  auto source = Surface::system_memory(device, static_cast<UINT>(len));
  device.write_surface(source->handle(), ciphertext);
  auto protected_source = Surface::small_protected(device);
  auto unprotected_destination = Surface::system_memory(device, static_cast<UINT>(len));
  const UINT size = static_cast<UINT>(len);
  struct Row {
    const char* what;
    HANDLE source;
    HANDLE destination;
    UINT source_size;
    bool null_iv;
  };
  const Row rows[] = {
      {"pIV = NULL", source->handle(), destination->handle(), size, true},
      {"SrcResourceSize smaller than the destination", source->handle(), destination->handle(),
       size - 16, false},
      {"a protected (video-memory) source", protected_source->handle(), destination->handle(),
       size, false},
      {"an unprotected destination", source->handle(), unprotected_destination->handle(), size,
       false},
  };
  const auto decryption_blt = need(device.funcs().pfnDecryptionBlt, "pfnDecryptionBlt");
  for (const Row& row : rows) {
    Iv iv_copy = iv;
    D3DDDIARG_DECRYPTIONBLT args{};
    args.hCryptoSession = session.handle();
    args.hSrcResource = row.source;
    args.hDstResource = row.destination;
    args.SrcResourceSize = row.source_size;
    args.pIV = row.null_iv ? nullptr : iv_copy.data();
    expect_hr(decryption_blt(device.handle(), &args), E_INVALIDARG,
              std::string("DecryptionBlt with ") + row.what);
  }
  const Bytes unchanged = session.download(*destination);
  require(unchanged == old_frame, "refused blts leave the destination as it was",
          first_difference(unchanged, old_frame));
  expect_hr(session.decryption_blt(destination->handle(), ciphertext, iv), S_OK,
            "the same IV with good arguments (a refused blt does not use its IV)");
  const Bytes back = session.download(*destination);
  require(back == frame, "the frame decrypted", first_difference(back, frame));
  return pass();
}

// ---- Read-back ----

struct ReadBack {
  explicit ReadBack(Device& d)
      : device(d), session(d, kTestKey), source(Surface::small_protected(d)) {
    require_caps(d, D3DCPCAPS_ENCRYPTEDREADBACK, "ENCRYPTEDREADBACK");
    session.fetch_readback_key();
    len = session.surface_bytes(*source);
    frame = pattern_bytes(len, 3);
    expect_hr(session.upload(*source, frame, kTestKey), S_OK, "DecryptionBlt of a frame");
  }
  Device& device;
  Session session;
  std::unique_ptr<Surface> source;
  std::size_t len = 0;
  Bytes frame;
};

Verdict readback_decrypts_to_written(Env& env) {
  ReadBack r(env.device());
  HRESULT hr = S_OK;
  const Bytes back = r.session.read_back(r.source->handle(), r.len, &hr);
  expect_hr(hr, S_OK, "EncryptionBlt");
  require(back == r.frame, "read-back decrypts to the frame written",
          first_difference(back, r.frame));
  return pass();
}

Verdict readback_iv_unique(Env& env) {
  ReadBack r(env.device());
  std::set<std::uint64_t> seen;
  Iv previous{};
  for (int i = 0; i < 64; ++i) {
    HRESULT hr = S_OK;
    Iv iv{};
    const Bytes back = r.session.read_back(r.source->handle(), r.len, &hr, &iv);
    expect_hr(hr, S_OK, "EncryptionBlt #" + std::to_string(i));
    require(count_field(iv) == 0, "Count = 0 in every EncryptionBlt IV",
            "Count = " + std::to_string(count_field(iv)) + " at blt " + std::to_string(i));
    if (i == 0) {
      require((iv[0] & 0x80) == 0, "a first IV with the top bit clear (A18)", "top bit set");
    } else {
      require(iv_field(iv) == iv_field(previous) + 1,
              "IV = previous IV + 1 (big-endian) at blt " + std::to_string(i),
              "IV " + std::to_string(iv_field(iv)) + " after " +
                  std::to_string(iv_field(previous)));
    }
    require(seen.insert(iv_field(iv)).second, "no IV repeats",
            "IV " + std::to_string(iv_field(iv)) + " repeated at blt " + std::to_string(i));
    require(back == r.frame, "each read-back decrypts with the IV the driver reported",
            first_difference(back, r.frame) + " at blt " + std::to_string(i));
    previous = iv;
  }
  return pass();
}

Verdict readback_key_new_each_call(Env& env) {
  Device& device = env.device();
  require_caps(device, D3DCPCAPS_ENCRYPTEDREADBACK | D3DCPCAPS_ENCRYPTEDREADBACKKEY,
               "ENCRYPTEDREADBACK | ENCRYPTEDREADBACKKEY");
  ReadBack r(device);
  Key first{};
  Key second{};
  expect_hr(r.session.get_encryption_blt_key(&first), S_OK, "GetEncryptionBltKey");
  expect_hr(r.session.get_encryption_blt_key(&second), S_OK, "a second GetEncryptionBltKey");
  require(first != second, "each call mints a new read-back key", "the same wrapped key twice");
  const Key newest = ecb_unwrap(kTestKey, second);
  r.session.set_readback_key(newest);
  const Bytes back = r.session.download(*r.source);
  require(back == r.frame, "EncryptionBlt uses the latest read-back key",
          first_difference(back, r.frame));
  r.session.set_readback_key(ecb_unwrap(kTestKey, first));
  const Bytes old = r.session.download(*r.source);
  require(old != r.frame, "the previous read-back key is no longer used",
          "data still encrypted under the previous read-back key");
  return pass();
}

Verdict readback_before_key_invalidcall(Env& env) {
  Device& device = env.device();
  require_caps(device, D3DCPCAPS_ENCRYPTEDREADBACK | D3DCPCAPS_ENCRYPTEDREADBACKKEY,
               "ENCRYPTEDREADBACK | ENCRYPTEDREADBACKKEY");
  Session session(device, kTestKey);
  auto source = Surface::small_protected(device);
  auto sink = Surface::system_memory(device, 256);
  Iv iv{};
  iv.fill(0xEE);
  D3DDDIARG_ENCRYPTIONBLT args{};
  args.hCryptoSession = session.handle();
  args.hSrcResource = source->handle();
  args.hDstResource = sink->handle();
  args.DstResourceSize = 256;
  args.pIV = iv.data();
  expect_hr(need(device.funcs().pfnEncryptionBlt, "pfnEncryptionBlt")(device.handle(), &args),
            D3DDDIERR_INVALIDCALL, "EncryptionBlt before any GetEncryptionBltKey");
  Iv sentinel{};
  sentinel.fill(0xEE);
  require(iv == sentinel, "no IV written", "an IV was written");
  return pass();
}

// The argument errors of spec §4.6 (cpddi's resolution: E_INVALIDARG for each): a refused blt
// writes no IV and does not advance the IV sequence.
Verdict readback_bad_arguments_rejected(Env& env) {
  ReadBack r(env.device());
  HRESULT hr = S_OK;
  Iv first{};
  const Bytes back = r.session.read_back(r.source->handle(), r.len, &hr, &first);
  expect_hr(hr, S_OK, "EncryptionBlt");
  require(back == r.frame, "read-back decrypts to the frame written",
          first_difference(back, r.frame));

  auto destination = Surface::system_memory(r.device, static_cast<UINT>(r.len));
  auto unprotected_source = Surface::system_memory(r.device, static_cast<UINT>(r.len));
  const UINT size = static_cast<UINT>(r.len);
  struct Row {
    const char* what;
    HANDLE source;
    UINT destination_size;
    bool null_iv;
  };
  const Row rows[] = {
      {"pIV = NULL", r.source->handle(), size, true},
      {"DstResourceSize smaller than the source", r.source->handle(), size - 16, false},
      {"an unprotected source", unprotected_source->handle(), size, false},
  };
  const auto encryption_blt = need(r.device.funcs().pfnEncryptionBlt, "pfnEncryptionBlt");
  Iv sentinel{};
  sentinel.fill(0xCD);
  for (const Row& row : rows) {
    Iv iv = sentinel;
    D3DDDIARG_ENCRYPTIONBLT args{};
    args.hCryptoSession = r.session.handle();
    args.hSrcResource = row.source;
    args.hDstResource = destination->handle();
    args.DstResourceSize = row.destination_size;
    args.pIV = row.null_iv ? nullptr : iv.data();
    expect_hr(encryption_blt(r.device.handle(), &args), E_INVALIDARG,
              std::string("EncryptionBlt with ") + row.what);
    require(iv == sentinel, std::string("no IV written by the refused EncryptionBlt with ") +
                                row.what, "pIV changed");
  }
  Iv next{};
  const Bytes again = r.session.read_back(r.source->handle(), r.len, &hr, &next);
  expect_hr(hr, S_OK, "EncryptionBlt after the refused ones");
  require(again == r.frame, "read-back still decrypts to the frame",
          first_difference(again, r.frame));
  require(iv_field(next) == iv_field(first) + 1,
          "the next IV is the one after the last successful blt's",
          "IV " + std::to_string(iv_field(next)) + " after " + std::to_string(iv_field(first)));
  return pass();
}

constexpr Case kCases[] = {
    {"decrypt.nist-vector",
     "NIST SP 800-38A F.5.1 through DecryptionBlt, IV bytes as stored (big-endian IV, Count)",
     "§7.1", decrypt_nist_vector},
    {"decrypt.content-key",
     "a content key AES-ECB-wrapped under the session key decrypts the frame", "§4.5, §7.2",
     decrypt_content_key},
    {"decrypt.partial-doc-first-hundred",
     "block map (100, 0, 0): the first 100 bytes encrypted, the rest clear", "§7.4",
     decrypt_partial_first_hundred},
    {"decrypt.partial-doc-hundred-twenty-two",
     "block map (100, 20, 2): 100 encrypted, then 20 clear / 2 encrypted repeating", "§7.4",
     decrypt_partial_hundred_twenty_two},
    {"decrypt.partial-patterns",
     "block maps with zero skip, zero encrypt, odd runs and overlong runs decrypt exactly",
     "§7.4, A17", decrypt_partial_patterns},
    {"decrypt.iv-replay-rejected",
     "a replayed or lower IV under the same key → E_INVALIDARG, surface unchanged", "§4.5, A12",
     decrypt_iv_replay_rejected},
    {"decrypt.bad-arguments-rejected",
     "null pIV, short source, protected source, unprotected destination → E_INVALIDARG; "
     "nothing written, IV not used",
     "§4.5, A13, A16", decrypt_bad_arguments_rejected},
    {"readback.decrypts-to-written", "EncryptionBlt read-back decrypts to what was written",
     "§4.6", readback_decrypts_to_written},
    {"readback.iv-unique", "EncryptionBlt IVs strictly increase by 1 and never repeat",
     "§4.6, §7.8, A18", readback_iv_unique},
    {"readback.key-new-each-call",
     "GetEncryptionBltKey mints a new key each call and EncryptionBlt uses the latest", "§4.7",
     readback_key_new_each_call},
    {"readback.before-key-invalidcall",
     "EncryptionBlt with ENCRYPTEDREADBACKKEY before GetEncryptionBltKey → INVALIDCALL",
     "§4.6, A19", readback_before_key_invalidcall},
    {"readback.bad-arguments-rejected",
     "null pIV, short destination, unprotected source → E_INVALIDARG; no IV written or used",
     "§4.6, §7.8", readback_bad_arguments_rejected},
};

}  // namespace

std::span<const Case> blt_cases() { return kCases; }

}  // namespace cpddi::conform
