#include "fuzz_support.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "crypto/random.h"
#include "ddi_call_counter.h"
#include "wire/surface_layout.h"

namespace cpddi::fuzz {
namespace {

void discard_log_line(CPDDI_LOG_LEVEL, const char*, void*) {}

CPDDI_ADAPTER_OPTIONS options_for(Profile profile) {
  CPDDI_ADAPTER_OPTIONS o{};
  o.StructSize = sizeof o;
  switch (profile) {
    case Profile::kDefaults: break;
    case Profile::kSessionKeyReadback:
      o.DisabledCaps = D3DCPCAPS_ENCRYPTEDREADBACKKEY;
      o.IvCheck = CPDDI_IV_CHECK_OFF;
      o.CertificateContainer = CPDDI_CERTIFICATE_X509_LEAF;
      break;
    case Profile::kMinimal:
      o.DisabledCaps = CPDDI_SWITCHABLE_CAPS;
      o.MaxSessionsPerDevice = 2;
      o.MaxResourcesPerDevice = 6;
      o.ProtectedMemorySize = 4096;
      break;
  }
  return o;
}

Adapter* open(Profile profile) {
  // Debug level through a sink that drops the lines: failure reasons are still formatted.
  cpddi_set_log_callback(&discard_log_line, nullptr);
  cpddi_set_log_level(CPDDI_LOG_DEBUG);
  auto* a = new Adapter{profile, options_for(profile), nullptr, 0, {}};
  a->opened = std::make_unique<conform::Adapter>(
      conform::Driver{&counting_open_adapter, &counting_open_adapter_with_options}, &a->options);
  a->caps = a->opened->caps().Caps;
  a->certificate = a->opened->certificate();
  return a;
}

}  // namespace

std::uint16_t ByteReader::u16() {
  const std::uint16_t lo = u8();
  return static_cast<std::uint16_t>(lo | (u8() << 8));
}

std::uint32_t ByteReader::u32() {
  const std::uint32_t lo = u16();
  return lo | (std::uint32_t{u16()} << 16);
}

std::uint64_t ByteReader::u64() {
  const std::uint64_t lo = u32();
  return lo | (std::uint64_t{u32()} << 32);
}

Bytes ByteReader::bytes(std::size_t n) {
  Bytes out(n);
  for (auto& b : out) {
    b = u8();
  }
  return out;
}

std::span<const std::uint8_t> ByteReader::rest() {
  if (pos_ >= size_) {
    return {};
  }
  std::span<const std::uint8_t> out(data_ + pos_, size_ - pos_);
  pos_ = size_;
  return out;
}

void violation(const char* format, ...) {
  std::fprintf(stderr, "cpddi fuzz invariant violated: ");
  va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  std::fprintf(stderr, "\n");
  std::fflush(stderr);
  __builtin_trap();
}

void Expected::add(HRESULT hr) {
  if (!contains(hr) && count_ < codes_.size()) {
    codes_[count_++] = hr;
  }
}

bool Expected::contains(HRESULT hr) const {
  return std::find(codes_.begin(), codes_.begin() + count_, hr) != codes_.begin() + count_;
}

void check_documented(const char* entry, HRESULT hr, std::span<const HRESULT> allowed) {
  // CPDDI_FUZZ_TRACE=1 prints every checked call, to see where a seed goes.
  static const bool trace = std::getenv("CPDDI_FUZZ_TRACE") != nullptr;
  if (trace) {
    std::fprintf(stderr, "  %s -> %s\n", entry, cpddi_hresult_name(hr));
  }
  if (std::find(allowed.begin(), allowed.end(), hr) == allowed.end()) {
    violation("%s returned %s (0x%08X), which its comment in d3dddi_cp9.h does not list", entry,
              cpddi_hresult_name(hr), static_cast<unsigned>(hr));
  }
}

void check_result(const char* entry, HRESULT hr, std::span<const HRESULT> allowed,
                  const Expected& expected) {
  check_documented(entry, hr, allowed);
  if (expected.must_succeed() && hr != S_OK) {
    violation("%s returned %s where the application's model expects S_OK", entry,
              cpddi_hresult_name(hr));
  }
  if (!expected.must_succeed() && !expected.contains(hr)) {
    violation("%s returned %s where the application's model expects one of its errors", entry,
              cpddi_hresult_name(hr));
  }
}

KeyOutputInput read_key_output_input(ByteReader& in, const std::array<UINT, 8>& sizes) {
  KeyOutputInput input;
  input.adapter = &adapter_from_byte(in.u8());
  input.state = static_cast<KeyOutputState>(in.below(kKeyOutputStates));
  input.buffer.size = sizes[in.below(8)];
  if (in.u8() >= 250) {
    input.buffer.size = in.u16();
  }
  input.buffer.null_buffer = in.u8() >= 224;
  input.null_struct = in.u8() == 0xFF;
  input.buffer.rng_fails = in.u8() >= 224;
  input.session_key = in.array<16>();
  return input;
}

namespace {

bool keyed_in(KeyOutputState state) {
  return state == KeyOutputState::kKeyed || state == KeyOutputState::kKeyedWithEarlier;
}

}  // namespace

KeyOutputSession::KeyOutputSession(const KeyOutputInput& input)
    : device(*input.adapter),
      session(device, input.session_key,
              keyed_in(input.state) ? conform::Session::Exchange::kYes
                                    : conform::Session::Exchange::kNo),
      handle(session.handle()),
      state_(input.state),
      keyed_(keyed_in(input.state)) {}

KeyOutputSession::~KeyOutputSession() {
  if (session.handle() != nullptr) {
    must_succeed(session.destroy(), "DestroyCryptoSession of a live session");
  }
}

void KeyOutputSession::destroy_when_asked() {
  if (state_ == KeyOutputState::kDestroyed) {
    must_succeed(session.destroy(), "DestroyCryptoSession of a live session");
  }
}

Expected expect_key_output(bool reachable, bool cap, const KeyOutputBuffer& buffer, bool keyed) {
  Expected e;
  if (!reachable) {
    e.add(E_INVALIDARG);
    return e;
  }
  e.add_if(!cap, D3DDDIERR_NOTAVAILABLE);
  e.add_if(buffer.null_buffer || buffer.size != 16, E_INVALIDARG);
  e.add_if(!keyed, D3DDDIERR_INVALIDCALL);
  e.add_if(buffer.rng_fails, E_FAIL);
  return e;
}

HRESULT with_random_failure(bool fail, const std::function<HRESULT()>& call) {
  if (fail) {
    crypto::testing::fail_random_after(0);
  }
  const HRESULT hr = call();
  crypto::testing::fail_random_after(-1);
  return hr;
}

KeyOutput call_key_output(const char* entry, const KeyOutputBuffer& buffer,
                          std::span<const HRESULT> allowed, const Expected& expected,
                          const std::function<HRESULT(std::uint8_t* buffer)>& call) {
  constexpr std::uint8_t kSentinel = 0x5A;
  Bytes bytes(static_cast<std::size_t>(buffer.size) + 32, kSentinel);
  KeyOutput out;
  out.hr = with_random_failure(buffer.rng_fails,
                               [&] { return call(buffer.null_buffer ? nullptr : bytes.data()); });
  check_result(entry, out.hr, allowed, expected);
  const std::size_t written = out.hr == S_OK ? out.value.size() : 0;
  if (std::any_of(bytes.begin() + static_cast<std::ptrdiff_t>(written), bytes.end(),
                  [](std::uint8_t b) { return b != kSentinel; })) {
    violation("%s wrote bytes it does not answer with (hr %s)", entry,
              cpddi_hresult_name(out.hr));
  }
  if (out.hr == S_OK) {
    std::copy(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(written),
              out.value.begin());
  }
  return out;
}

UINT Adapter::max_sessions() const {
  return options.MaxSessionsPerDevice != 0 ? options.MaxSessionsPerDevice : 1024;
}
UINT Adapter::max_resources() const {
  return options.MaxResourcesPerDevice != 0 ? options.MaxResourcesPerDevice : 4096;
}
ULONGLONG Adapter::protected_memory() const {
  return options.ProtectedMemorySize != 0 ? options.ProtectedMemorySize : (256ull << 20);
}

const Adapter& adapter(Profile profile) {
  static Adapter* opened[kProfileCount] = {};
  const auto index = static_cast<std::size_t>(profile) % kProfileCount;
  if (opened[index] == nullptr) {
    opened[index] = open(static_cast<Profile>(index));
  }
  return *opened[index];
}

FuzzDevice::~FuzzDevice() {
  if (owns_handle()) {
    must_succeed(destroy(), "DestroyDevice of a live device");
  }
}

void must_succeed(HRESULT hr, const char* what) {
  if (hr != S_OK) {
    violation("%s returned %s", what, cpddi_hresult_name(hr));
  }
}

HANDLE must_create_surface(const conform::Device& device, D3DDDIFORMAT format, UINT width,
                           UINT height, D3DDDI_POOL pool, bool restricted) {
  HRESULT hr = E_FAIL;
  HANDLE surface = device.create_surface(format, width, height, pool, restricted, &hr);
  if (hr != S_OK) {
    violation("CreateResource(%ux%u) returned %s", width, height, cpddi_hresult_name(hr));
  }
  return surface;
}

std::uint64_t row_bytes(std::uint32_t format, UINT width) {
  const std::optional<wire::SurfaceFormat> known = wire::surface_format_from_d3dddi(format);
  return std::uint64_t{width} * (known ? wire::bytes_per_pixel(*known) : 4);
}

std::uint32_t driver_pitch(std::uint32_t format, UINT width) {
  const auto row = static_cast<std::uint32_t>(row_bytes(format, width));
  return (row + 63) / 64 * 64;
}

}  // namespace cpddi::fuzz

namespace cpddi::fuzz {
namespace {

constexpr UINT kProofWidth = 16;
constexpr UINT kProofHeight = 2;
constexpr std::size_t kProofBytes = 128;  // pitch 64 × 2 rows

HANDLE proof_surface(const FuzzDevice& device, bool restricted) {
  return must_create_surface(device, D3DDDIFMT_X8R8G8B8, kProofWidth, kProofHeight,
                             restricted ? D3DDDIPOOL_VIDEOMEMORY : D3DDDIPOOL_SYSTEMMEM,
                             restricted);
}

}  // namespace

KeyProof prove_key(const FuzzDevice& device, HANDLE session, const Key& key, std::uint64_t iv,
                   const char* what) {
  const Adapter& a = device.profile();
  KeyProof proof;
  HANDLE protected_surface = proof_surface(device, true);
  HANDLE source = proof_surface(device, false);
  const Bytes plain = pattern_bytes(kProofBytes, static_cast<std::uint32_t>(iv));
  Iv counter_block = make_iv(iv);
  device.write_surface(source, ctr(key, counter_block, plain));
  if (HRESULT hr = device.decryption_blt(session, {.source = source,
                                                   .destination = protected_surface,
                                                   .size = kProofBytes,
                                                   .iv = counter_block.data()});
      hr != S_OK) {
    violation("%s: DecryptionBlt of the key proof returned %s", what, cpddi_hresult_name(hr));
  }
  if (a.has(D3DCPCAPS_ENCRYPTEDREADBACK)) {
    Key readback = key;
    if (a.has(D3DCPCAPS_ENCRYPTEDREADBACKKEY)) {
      Key wrapped{};
      if (HRESULT hr = device.get_encryption_blt_key(session, wrapped.data(), 16); hr != S_OK) {
        violation("%s: GetEncryptionBltKey returned %s", what, cpddi_hresult_name(hr));
      }
      readback = ecb_unwrap(key, wrapped);
      proof.readback_key = readback;
    }
    HANDLE destination = proof_surface(device, false);
    Iv out_iv{};
    if (HRESULT hr = device.encryption_blt(session, {.source = protected_surface,
                                                     .destination = destination,
                                                     .size = kProofBytes,
                                                     .iv = out_iv.data()});
        hr != S_OK) {
      violation("%s: EncryptionBlt of the key proof returned %s", what, cpddi_hresult_name(hr));
    }
    proof.readback_iv = out_iv;
    const Bytes back = ctr(readback, out_iv, device.read_surface(destination, kProofBytes));
    if (back != plain) {
      violation("%s: the driver's session key differs from the application's model", what);
    }
    must_succeed(device.destroy_surface(destination), "DestroyResource of a live surface");
  }
  must_succeed(device.destroy_surface(source), "DestroyResource of a live surface");
  must_succeed(device.destroy_surface(protected_surface), "DestroyResource of a live surface");
  return proof;
}

void prove_no_key(const FuzzDevice& device, HANDLE session, const char* what) {
  HANDLE protected_surface = proof_surface(device, true);
  HANDLE source = proof_surface(device, false);
  Iv counter_block = make_iv(1);
  if (HRESULT hr = device.decryption_blt(session, {.source = source,
                                                   .destination = protected_surface,
                                                   .size = kProofBytes,
                                                   .iv = counter_block.data()});
      hr != D3DDDIERR_INVALIDCALL) {
    violation("%s: DecryptionBlt on a session without a key returned %s", what,
              cpddi_hresult_name(hr));
  }
  must_succeed(device.destroy_surface(source), "DestroyResource of a live surface");
  must_succeed(device.destroy_surface(protected_surface), "DestroyResource of a live surface");
}

}  // namespace cpddi::fuzz
