// conform::Session (session.h): a crypto session through the harness's Device, the application's
// model of its key, and the key checks the cases are built on.

#include "conform/session.h"

#include "wire/surface_layout.h"

namespace cpddi::conform {

Session::Session(const Device& device, const Key& key, Exchange exchange)
    : device_(device), app_key_(key) {
  HRESULT created = S_OK;
  handle_ = device_.create_session(&created);
  expect_hr(created, S_OK, "CreateCryptoSession(AES128_CTR)");
  require(handle_ != nullptr, "CreateCryptoSession writes a handle", "null handle");
  if (exchange == Exchange::kYes) {
    expect_hr(exchange_blob(device_.adapter().wrap_session_key(app_key_)), S_OK,
              "CryptoSessionKeyExchange of a good blob");
  }
}

Session::~Session() {
  if (handle_ != nullptr) {
    device_.calls().release(DeviceObject::kCryptoSession, handle_);
  }
}

HRESULT Session::exchange_blob(std::span<const std::uint8_t> blob, bool null_data) {
  return device_.exchange_key(handle_, blob, null_data);
}

HRESULT Session::rekey(const Key& key) {
  const HRESULT hr = exchange_blob(device_.adapter().wrap_session_key(key));
  if (hr == S_OK) {
    app_key_ = key;
    readback_key_.reset();
  }
  return hr;
}

HRESULT Session::destroy() {
  const HRESULT hr = device_.destroy_session(handle_);
  handle_ = nullptr;
  return hr;
}

HRESULT Session::start_refresh(Bytes* number, UINT size) {
  number->assign(size, 0);
  return start_refresh_raw(number->data(), size);
}

HRESULT Session::start_refresh_raw(void* buffer, UINT size) {
  return device_.start_refresh(handle_, buffer, size);
}

HRESULT Session::finish_refresh() { return device_.finish_refresh(handle_); }

void Session::app_apply(std::span<const std::uint8_t> number) {
  app_key_ = xor_keys(app_key_, number);
}

HRESULT Session::refresh() {
  Bytes number;
  if (HRESULT hr = start_refresh(&number); hr != S_OK) {
    return hr;
  }
  if (HRESULT hr = finish_refresh(); hr != S_OK) {
    return hr;
  }
  app_apply(number);
  return S_OK;
}

Iv Session::next_iv() { return make_iv(next_iv_++, 0); }

HRESULT Session::decryption_blt(HANDLE destination, std::span<const std::uint8_t> ciphertext,
                                const Iv& iv, const D3DDDIENCRYPTED_BLOCK_INFO* block_info,
                                const std::uint8_t* wrapped_content_key) {
  const std::size_t padded = (ciphertext.size() + 15) / 16 * 16;
  auto source = Surface::system_memory(device_, static_cast<UINT>(padded));
  Bytes bytes(ciphertext.begin(), ciphertext.end());
  bytes.resize(padded, 0);
  device_.write_surface(source->handle(), bytes);
  Iv iv_copy = iv;
  return device_.decryption_blt(handle_, BltArgs{.source = source->handle(),
                                                 .destination = destination,
                                                 .size = static_cast<UINT>(padded),
                                                 .iv = iv_copy.data(),
                                                 .block_info = block_info,
                                                 .content_key = wrapped_content_key});
}

HRESULT Session::get_encryption_blt_key(Key* wrapped) {
  return get_encryption_blt_key_raw(wrapped->data(), static_cast<UINT>(wrapped->size()));
}

void Session::fetch_readback_key() {
  require_caps(device_, D3DCPCAPS_ENCRYPTEDREADBACK,
               "ENCRYPTEDREADBACK (surface contents cannot be verified)");
  if ((device_.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACKKEY) == 0) {
    return;
  }
  Key wrapped{};
  expect_hr(get_encryption_blt_key(&wrapped), S_OK, "GetEncryptionBltKey");
  readback_key_ = ecb_unwrap(app_key_, wrapped);
}

Bytes Session::read_back(HANDLE source, std::size_t len, HRESULT* hr, Iv* iv_out) {
  require_caps(device_, D3DCPCAPS_ENCRYPTEDREADBACK,
               "ENCRYPTEDREADBACK (surface contents cannot be verified)");
  HRESULT ignored = S_OK;
  HRESULT& result = hr != nullptr ? *hr : ignored;
  const bool separate_key = (device_.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACKKEY) != 0;
  if (separate_key && !readback_key_) {
    Key wrapped{};
    result = get_encryption_blt_key(&wrapped);
    if (result != S_OK) {
      return {};
    }
    readback_key_ = ecb_unwrap(app_key_, wrapped);
  }
  const std::size_t padded = (len + 15) / 16 * 16;
  auto sink = Surface::system_memory(device_, static_cast<UINT>(padded));
  Iv iv{};
  result = encryption_blt(BltArgs{.source = source,
                                  .destination = sink->handle(),
                                  .size = static_cast<UINT>(padded),
                                  .iv = iv.data()});
  if (result != S_OK) {
    return {};
  }
  Bytes plain = ctr(separate_key ? *readback_key_ : app_key_, iv,
                    device_.read_surface(sink->handle(), padded));
  plain.resize(len);
  if (iv_out != nullptr) {
    *iv_out = iv;
  }
  return plain;
}

std::size_t Session::surface_bytes(const Surface& surface) {
  return surface_bytes(surface.handle(), surface.format(), surface.height());
}

std::size_t Session::surface_bytes(HANDLE surface, D3DDDIFORMAT format, UINT height) {
  UINT pitch = 0;
  expect_hr(device_.get_pitch(handle_, surface, 0, &pitch), S_OK, "GetPitch");
  const std::uint64_t len = wire::surface_bytes(pitch, wire::surface_rows(format, height));
  require(len > 0 && len <= (64u << 20), "GetPitch gives a pitch in 1 byte…16 MiB per row",
          "pitch " + std::to_string(pitch));
  return len;
}

HRESULT Session::upload(const Surface& surface, std::span<const std::uint8_t> plain,
                        const Key& key) {
  const Iv iv = next_iv();
  return decryption_blt(surface.handle(), ctr(key, iv, plain), iv);
}

Bytes Session::download(const Surface& surface) {
  HRESULT hr = S_OK;
  Bytes back = read_back(surface.handle(), surface_bytes(surface), &hr);
  expect_hr(hr, S_OK, "read-back (GetEncryptionBltKey + EncryptionBlt)");
  return back;
}

Session::KeyCheck Session::check_key(const Surface& surface, const Key& key, std::uint32_t seed) {
  const Bytes plain = pattern_bytes(surface_bytes(surface), seed);
  expect_hr(upload(surface, plain, key), S_OK, "DecryptionBlt with a fresh IV");
  return download(surface) == plain ? KeyCheck::kMatches : KeyCheck::kDiffers;
}

void require_key(Session& session, const Surface& surface, const Key& key, std::uint32_t seed,
                 const std::string& what) {
  if (session.check_key(surface, key, seed) != Session::KeyCheck::kMatches) {
    fail("content encrypted under " + what + " decrypts correctly",
         "the surface holds other bytes: the driver's key is not " + what);
  }
}

void require_not_key(Session& session, const Surface& surface, const Key& key,
                     std::uint32_t seed, const std::string& what) {
  if (session.check_key(surface, key, seed) != Session::KeyCheck::kDiffers) {
    fail("content encrypted under " + what + " no longer decrypts",
         "it decrypts: the driver still uses " + what);
  }
}

}  // namespace cpddi::conform
