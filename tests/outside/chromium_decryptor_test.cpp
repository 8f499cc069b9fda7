// The call shapes of an outside client: Chromium's former D3D11 decryptor
// (media/gpu/windows/d3d11_decryptor.cc and its unittest, BSD licence), which decrypted CENC
// samples with ID3D11VideoContext::DecryptionBlt. Our own code, written from what that client
// did, through cpddi's D3D11.1 front end (the video table, driven by conform's test runtime as
// the D3D11 runtime drives it):
//   1. the encrypted parts of a sample's subsamples are concatenated into one staging buffer,
//      each a multiple of 16 bytes long, the rest of the buffer left clear;
//   2. the encrypted-block map is built from the subsample sizes: NumEncryptedBytesAtBeginning
//      = the sum of the encrypted sizes, NumBytesInSkipPattern = the rest of the surface,
//      NumBytesInEncryptPattern = 0 (spec A17's "(n, L − n, 0)");
//   3. the 16-byte IV is the sample's IV bytes copied in as they are (an 8-byte CENC IV
//      followed by a zero block counter), IVSize 16;
//   4. the key is passed as a content key (ContentKeySize 16), wrapped under the session key;
//   5. every sample brings its own IV, so the adapter runs with the IV check off (spec A12).
// The output is read back through EncryptionBlt and compared byte for byte, then put back at
// the subsamples' places and compared with the whole clear sample.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "conform/d3d11_front_end.h"
#include "conform/harness.h"
#include "conform/session.h"
#include "cpddi/cpddi.h"

namespace cpddi::conform {
namespace {

struct Subsample {
  std::uint32_t clear_bytes;
  std::uint32_t cypher_bytes;
};

// The encrypted parts of `sample`, concatenated (how the decryptor filled its staging buffer).
Bytes gather(const Bytes& sample, const std::vector<Subsample>& subsamples) {
  Bytes parts;
  for (std::size_t at = 0; const Subsample& s : subsamples) {
    at += s.clear_bytes;
    parts.insert(parts.end(), sample.begin() + at, sample.begin() + at + s.cypher_bytes);
    at += s.cypher_bytes;
  }
  return parts;
}

// `sample` with its encrypted parts replaced, in order, by the bytes of `parts`.
Bytes scatter(Bytes sample, const Bytes& parts, const std::vector<Subsample>& subsamples) {
  for (std::size_t at = 0, from = 0; const Subsample& s : subsamples) {
    at += s.clear_bytes;
    std::copy(parts.begin() + from, parts.begin() + from + s.cypher_bytes, sample.begin() + at);
    at += s.cypher_bytes;
    from += s.cypher_bytes;
  }
  return sample;
}

TEST(ChromiumDecryptorTest, ConcatenatedSubsamplesWithContentKeyDecryptThroughD3d11) {
  try {
    const Driver driver(std::make_shared<D3d11FrontEnd>(&cpddi_d3d11_1_open_adapter));
    CPDDI_ADAPTER_OPTIONS options{};
    options.StructSize = sizeof options;
    options.IvCheck = CPDDI_IV_CHECK_OFF;  // per-sample IVs (spec A12)
    Adapter adapter(driver, &options);
    Device device(adapter);
    const DWORD needed = D3DCPCAPS_CONTENTKEY | D3DCPCAPS_PARTIALDECRYPTION |
                         D3DCPCAPS_ENCRYPTEDREADBACK;
    ASSERT_EQ(device.caps_bits() & needed, needed);
    Session session(device, key_from(pattern_bytes(16, 1)));

    // One sample: three subsamples, clear parts of any length, encrypted parts multiples of 16.
    const std::vector<Subsample> subsamples = {{10, 32}, {5, 48}, {21, 16}};
    std::size_t sample_len = 0;
    std::size_t encrypted_len = 0;
    for (const Subsample& s : subsamples) {
      sample_len += s.clear_bytes + s.cypher_bytes;
      encrypted_len += s.cypher_bytes;
    }
    const Bytes clear_sample = pattern_bytes(sample_len, 7);
    const Key content_key = key_from(pattern_bytes(16, 2));
    // CENC: an 8-byte IV, the block counter in the other 8 bytes starting at zero; one
    // keystream runs over the encrypted parts in order.
    const Iv iv = make_iv(0x0123456789abcdefu, 0);
    const Bytes encrypted_parts = gather(clear_sample, subsamples);
    // What the demuxer hands over: clear and encrypted parts interleaved.
    const Bytes sample = scatter(clear_sample, ctr(content_key, iv, encrypted_parts), subsamples);

    // Chromium's buffer: the encrypted parts concatenated at the start, the rest clear (zero).
    auto staging = Surface::system_memory(device, 256);
    auto target = Surface::small_protected(device);
    const std::size_t len = session.surface_bytes(*target);
    ASSERT_GE(len, encrypted_len);
    Bytes buffer = gather(sample, subsamples);
    buffer.resize(len, 0);
    device.write_surface(staging->handle(), buffer);

    const D3DDDIENCRYPTED_BLOCK_INFO block_map{static_cast<UINT>(encrypted_len),
                                               static_cast<UINT>(len - encrypted_len), 0};
    Iv iv_bytes = iv;  // copied in as bytes
    const Key wrapped_key = ecb_wrap(session.app_key(), content_key);
    ASSERT_EQ(session.decryption_blt(BltArgs{.source = staging->handle(),
                                             .destination = target->handle(),
                                             .size = static_cast<UINT>(len),
                                             .iv = iv_bytes.data(),
                                             .block_info = &block_map,
                                             .content_key = wrapped_key.data()}),
              S_OK);

    HRESULT hr = E_FAIL;
    const Bytes out = session.read_back(target->handle(), len, &hr);
    ASSERT_EQ(hr, S_OK);
    Bytes want(len, 0);
    std::copy(encrypted_parts.begin(), encrypted_parts.end(), want.begin());
    EXPECT_EQ(out, want) << "the surface holds the encrypted parts in the clear, then zeros";
    // Back at the subsamples' places: the whole sample in the clear.
    const Bytes decrypted_sample =
        scatter(sample, Bytes(out.begin(), out.begin() + encrypted_len), subsamples);
    EXPECT_EQ(decrypted_sample, clear_sample);
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
}

}  // namespace
}  // namespace cpddi::conform
