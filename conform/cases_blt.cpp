// DecryptionBlt, EncryptionBlt and GetEncryptionBltKey: spec §4.5–§4.7, §7.1, §7.2, §7.4, §7.8,
// A10–A21. Every refused call is checked for its exact code and for "nothing changed": the
// destination keeps its content, no IV is written, and the IV of the call is not used up (A13).
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "conform/cases.h"
#include "wire/surface_layout.h"

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
constexpr Key kContentKeyA = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                              0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf};
constexpr Key kContentKeyB = {0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7,
                              0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf};

std::size_t align_up(std::size_t n, std::size_t block) { return (n + block - 1) / block * block; }

// The caps' BlockAlignmentSize and BufferAlignmentStart (at least 1).
UINT block_alignment(Device& device) {
  return std::max<UINT>(device.adapter().caps().BlockAlignmentSize, 1);
}
UINT buffer_alignment(Device& device) {
  return std::max<UINT>(device.adapter().caps().BufferAlignmentStart, 1);
}

// Caller memory for a pSysMem surface: `len` bytes of `fill` starting at a multiple of
// `alignment` (and of 64), plus `offset` to misalign it on purpose.
class CallerMemory {
 public:
  CallerMemory(std::size_t len, std::size_t alignment, std::uint8_t fill)
      : alignment_(std::max<std::size_t>(alignment, 64)), storage_(len + alignment_, fill) {}
  std::uint8_t* at(std::size_t offset) {
    const auto base = reinterpret_cast<std::uintptr_t>(storage_.data());
    const std::uintptr_t aligned = (base + alignment_ - 1) / alignment_ * alignment_;
    return storage_.data() + (aligned - base) + offset;
  }
  const Bytes& bytes() const { return storage_; }

 private:
  std::size_t alignment_;
  Bytes storage_;
};

// A pSysMem surface of `rows` 64-pixel X8R8G8B8 rows (pitch 256) in `memory`, destroyed with a
// checked DestroyResource by release() or silently when it goes out of scope.
class CallerSurface {
 public:
  CallerSurface(const Device& device, void* memory, UINT rows) : device_(device) {
    HRESULT hr = S_OK;
    handle_ = device.create_surface_in(memory, 256, D3DDDIFMT_X8R8G8B8, 64, rows, &hr);
    expect_hr(hr, S_OK, "CreateResource of a system surface in caller memory (pSysMem)");
    require(handle_ != nullptr, "CreateResource writes a handle", "null handle");
  }
  ~CallerSurface() {
    if (handle_ != nullptr) {
      device_.destroy_surface(handle_);
    }
  }
  CallerSurface(const CallerSurface&) = delete;
  CallerSurface& operator=(const CallerSurface&) = delete;
  HANDLE handle() const { return handle_; }
  void release() {
    expect_hr(device_.destroy_surface(handle_), S_OK,
              "DestroyResource of the caller-memory surface");
    handle_ = nullptr;
  }

 private:
  const Device& device_;
  HANDLE handle_ = nullptr;
};

std::string iv_name(const Iv& iv) {
  std::string name = "IV ";
  name += std::to_string(iv_field(iv));
  if (count_field(iv) != 0) {
    name += ", Count ";
    name += std::to_string(count_field(iv));
  }
  return name;
}

// ---- DecryptionBlt ----

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

// A keyed session with its read-back key, a protected 16×4 destination holding `before` (uploaded
// with IV 10), and a system-memory source of two padded surfaces holding `frame` encrypted with
// IV 20, then filler. good() is a DecryptionBlt of `frame` into the destination.
// With History::kFresh `before` is uploaded by a second session of the device, so `session` has
// never decrypted: its next DecryptionBlt is its first, with no IV history that could reject a
// bad argument in the argument check's stead (A13, A14).
struct DecryptSetup {
  enum class History { kIv10Used, kFresh };
  explicit DecryptSetup(Device& d, History history = History::kIv10Used)
      : device(d), session(d, kTestKey), destination(Surface::small_protected(d)) {
    session.fetch_readback_key();  // skips without ENCRYPTEDREADBACK: contents unverifiable
    block = block_alignment(d);
    len = session.surface_bytes(*destination);
    size = static_cast<UINT>(align_up(len, block));
    source = Surface::system_memory(d, 2 * size);
    source_capacity = static_cast<UINT>(session.surface_bytes(*source) / block * block);
    require(source_capacity >= 2 * size, "a source of " + std::to_string(2 * size) + " bytes",
            std::to_string(source_capacity) + " bytes by GetPitch");
    before = pattern_bytes(len, 1);
    frame = pattern_bytes(len, 2);
    if (history == History::kFresh) {
      writer = std::make_unique<Session>(d, kOtherKey);
    }
    Session& uploader = writer ? *writer : session;
    Iv first = make_iv(10);
    expect_hr(uploader.decryption_blt(destination->handle(), ctr(uploader.app_key(), first, before),
                                      first),
              S_OK, "DecryptionBlt of the first frame with IV 10");
    require(destination_content() == before, "the destination holds the first frame",
            "other bytes");
    // Only the bytes asked for are written: a GetPitch claiming more must not make us overrun.
    Bytes staged = ctr(kTestKey, iv, frame);
    staged.resize(2 * size, 0x5C);
    device.write_surface(source->handle(), staged);
  }

  BltArgs good() {
    return BltArgs{.source = source->handle(),
                   .destination = destination->handle(),
                   .size = size,
                   .iv = iv.data()};
  }
  Bytes destination_content() { return session.download(*destination); }
  // The destination still holds `before`, and good() (same IV) now decrypts `frame`.
  void require_unchanged_then_good(const std::string& what) {
    const Bytes unchanged = destination_content();
    require(unchanged == before, "the destination unchanged after " + what,
            first_difference(unchanged, before));
    Iv copy = iv;
    BltArgs args = good();
    args.iv = copy.data();
    expect_hr(session.decryption_blt(args), S_OK,
              "the same IV with good arguments after " + what + " (a refused blt keeps its IV)");
    const Bytes back = destination_content();
    require(back == frame, "the frame decrypted after " + what, first_difference(back, frame));
  }

  Device& device;
  Session session;
  std::unique_ptr<Session> writer;  // History::kFresh: the session that uploaded `before`
  std::unique_ptr<Surface> destination;
  std::unique_ptr<Surface> source;
  UINT block = 16;
  std::size_t len = 0;
  UINT size = 0;             // AlignUp(L, BlockAlignmentSize)
  UINT source_capacity = 0;  // the source's bytes, whole blocks
  Bytes before;
  Bytes frame;
  Iv iv = make_iv(20);
};

Verdict decrypt_good_arguments(Env& env) {
  DecryptSetup setup(env.device());
  expect_hr(setup.session.decryption_blt(setup.good()), S_OK, "DecryptionBlt with good arguments");
  const Bytes back = setup.destination_content();
  require(back == setup.frame, "the frame decrypted into the destination",
          first_difference(back, setup.frame));
  return pass();
}

Verdict decrypt_source_beyond_surface_ignored(Env& env) {
  DecryptSetup setup(env.device());
  BltArgs args = setup.good();
  args.size = setup.source_capacity;
  expect_hr(setup.session.decryption_blt(args), S_OK,
            "DecryptionBlt with SrcResourceSize = the whole source (" +
                std::to_string(args.size) + " bytes, beyond L)");
  const Bytes back = setup.destination_content();
  require(back == setup.frame, "only the first L source bytes used",
          first_difference(back, setup.frame));
  return pass();
}

Verdict decrypt_caller_memory_source(Env& env) {
  DecryptSetup setup(env.device());
  const UINT rows = setup.size / 256 + 1;
  CallerMemory memory(std::size_t{rows} * 256, buffer_alignment(setup.device), 0);
  const Bytes cipher = ctr(kTestKey, setup.iv, setup.frame);
  std::copy(cipher.begin(), cipher.end(), memory.at(0));
  CallerSurface source(setup.device, memory.at(0), rows);
  BltArgs args = setup.good();
  args.source = source.handle();
  expect_hr(setup.session.decryption_blt(args), S_OK,
            "DecryptionBlt from a system surface in caller memory");
  const Bytes back = setup.destination_content();
  require(back == setup.frame, "the caller's bytes decrypted in place",
          first_difference(back, setup.frame));
  source.release();
  return pass();
}

Verdict decrypt_null_arguments(Env& env) {
  expect_hr(env.device().call_with_null_arguments(DeviceEntry::kDecryptionBlt), E_INVALIDARG,
            "DecryptionBlt with null arguments");
  return pass();
}

// The argument errors of spec §4.5 and A12–A16: each row changes one argument of a good blt.
enum class DecryptFault {
  kNullIv, kDestinationSystemMemory, kDestinationUnprotectedVideo, kSourceVideoMemory,
  kSourceProtected, kSourceIsDestination, kSrcSizeZero, kSrcSizeNotBlockMultiple,
  kSrcSizeBelowSurface, kSrcSizeBeyondSource, kMisalignedSource, kSrcSubResource,
  kDstSubResource, kUnknownSource, kUnknownDestination, kSessionAsSource, kDestroyedDestination,
  kSourceOfOtherDevice, kReplayedIv, kLowerIv, kSameIvHigherCount
};

struct DecryptFaultRow {
  const char* what;
  DecryptFault fault;
};

constexpr DecryptFaultRow kDecryptFaults[] = {
    {"pIV = NULL", DecryptFault::kNullIv},
    {"a destination in system memory", DecryptFault::kDestinationSystemMemory},
    {"an unprotected video-memory destination", DecryptFault::kDestinationUnprotectedVideo},
    {"a source in video memory", DecryptFault::kSourceVideoMemory},
    {"a protected source", DecryptFault::kSourceProtected},
    {"the destination as source", DecryptFault::kSourceIsDestination},
    {"SrcResourceSize 0", DecryptFault::kSrcSizeZero},
    {"SrcResourceSize not a multiple of BlockAlignmentSize",
     DecryptFault::kSrcSizeNotBlockMultiple},
    {"SrcResourceSize below the surface", DecryptFault::kSrcSizeBelowSurface},
    {"SrcResourceSize beyond the source", DecryptFault::kSrcSizeBeyondSource},
    {"a source not BufferAlignmentStart-aligned", DecryptFault::kMisalignedSource},
    {"SrcSubResourceIndex 1", DecryptFault::kSrcSubResource},
    {"DstSubResourceIndex 1", DecryptFault::kDstSubResource},
    {"an unknown source handle", DecryptFault::kUnknownSource},
    {"an unknown destination handle", DecryptFault::kUnknownDestination},
    {"the session handle as source", DecryptFault::kSessionAsSource},
    {"a destroyed destination", DecryptFault::kDestroyedDestination},
    {"a source of another device", DecryptFault::kSourceOfOtherDevice},
    {"the IV of the last blt (replay)", DecryptFault::kReplayedIv},
    {"a lower IV", DecryptFault::kLowerIv},
    {"the last IV with a higher Count", DecryptFault::kSameIvHigherCount},
};

// Runs the blt of one fault row; false when the row does not apply to this driver's caps.
bool decrypt_with_fault(DecryptSetup& setup, DecryptFault fault, HRESULT* hr) {
  Device& device = setup.device;
  BltArgs args = setup.good();
  std::unique_ptr<Device> other;  // outlives `extra`, which may live on it
  std::unique_ptr<Surface> extra;
  std::optional<CallerMemory> memory;
  std::optional<CallerSurface> caller_source;
  Iv iv = setup.iv;
  args.iv = iv.data();
  switch (fault) {
    case DecryptFault::kNullIv: args.iv = nullptr; break;
    case DecryptFault::kDestinationSystemMemory:
      extra = Surface::system_memory(device, setup.size);
      args.destination = extra->handle();
      break;
    case DecryptFault::kDestinationUnprotectedVideo:
      extra = std::make_unique<Surface>(device, D3DDDIFMT_X8R8G8B8, 16, 4,
                                        D3DDDIPOOL_VIDEOMEMORY, false);
      args.destination = extra->handle();
      break;
    case DecryptFault::kSourceVideoMemory:
    case DecryptFault::kSourceProtected:
      extra = std::make_unique<Surface>(device, D3DDDIFMT_X8R8G8B8, 64, setup.size / 256 + 1,
                                        D3DDDIPOOL_VIDEOMEMORY,
                                        fault == DecryptFault::kSourceProtected);
      args.source = extra->handle();
      break;
    case DecryptFault::kSourceIsDestination: args.source = args.destination; break;
    case DecryptFault::kSrcSizeZero: args.size = 0; break;
    case DecryptFault::kSrcSizeNotBlockMultiple:
      if (setup.block < 2) {
        return false;
      }
      args.size += setup.block / 2;
      break;
    case DecryptFault::kSrcSizeBelowSurface: args.size -= setup.block; break;
    case DecryptFault::kSrcSizeBeyondSource: args.size = setup.source_capacity + setup.block; break;
    case DecryptFault::kMisalignedSource: {
      const UINT alignment = buffer_alignment(device);
      if (alignment < 2) {
        return false;
      }
      const UINT rows = setup.size / 256 + 1;
      memory.emplace(std::size_t{rows} * 256 + alignment, alignment, 0);
      caller_source.emplace(device, memory->at(alignment / 2), rows);
      args.source = caller_source->handle();
      break;
    }
    case DecryptFault::kSrcSubResource: args.source_subresource = 1; break;
    case DecryptFault::kDstSubResource: args.destination_subresource = 1; break;
    case DecryptFault::kUnknownSource: args.source = kGarbageHandle; break;
    case DecryptFault::kUnknownDestination: args.destination = kGarbageHandle; break;
    case DecryptFault::kSessionAsSource: args.source = setup.session.handle(); break;
    case DecryptFault::kDestroyedDestination: {
      HRESULT created = S_OK;
      HANDLE dead = device.create_surface(D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_VIDEOMEMORY, true,
                                          &created);
      expect_hr(created, S_OK, "CreateResource of a protected surface");
      expect_hr(device.destroy_surface(dead), S_OK, "DestroyResource");
      args.destination = dead;
      break;
    }
    case DecryptFault::kSourceOfOtherDevice:
      other = std::make_unique<Device>(device.adapter());
      extra = Surface::system_memory(*other, 2 * setup.size);
      args.source = extra->handle();
      break;
    case DecryptFault::kReplayedIv: iv = make_iv(10); break;
    case DecryptFault::kLowerIv: iv = make_iv(9); break;
    case DecryptFault::kSameIvHigherCount:
      // With SEQUENTIAL_CTR_IV a higher Count under the same IV may be new (A12).
      if ((device.caps_bits() & D3DCPCAPS_SEQUENTIAL_CTR_IV) != 0) {
        return false;
      }
      iv = make_iv(10, 1000);
      break;
  }
  *hr = setup.session.decryption_blt(args);
  return true;
}

// Whether a fault row is wrong only against the IV history (so it needs a session that has
// decrypted before).
bool needs_iv_history(DecryptFault fault) {
  return fault == DecryptFault::kReplayedIv || fault == DecryptFault::kLowerIv ||
         fault == DecryptFault::kSameIvHigherCount;
}

// Each row on a new setup: E_INVALIDARG, nothing written, the IV not used. `when` names the
// session's state in the messages.
void require_rows_rejected(Env& env, DecryptSetup::History history, const std::string& when) {
  for (const DecryptFaultRow& row : kDecryptFaults) {
    if (history == DecryptSetup::History::kFresh && needs_iv_history(row.fault)) {
      continue;
    }
    DecryptSetup setup(env.device(), history);
    HRESULT hr = S_OK;
    // A row the DDI cannot express (a D3D9 size or subresource) is left out; the rest judged.
    if (!unless_ddi_lacks([&] { return decrypt_with_fault(setup, row.fault, &hr); })) {
      continue;
    }
    const std::string what = std::string("DecryptionBlt with ") + row.what + when;
    expect_hr(hr, E_INVALIDARG, what);
    setup.require_unchanged_then_good(what);
  }
}

Verdict decrypt_bad_arguments_rejected(Env& env) {
  require_rows_rejected(env, DecryptSetup::History::kIv10Used, "");
  return pass();
}

// The same rows as the session's very first DecryptionBlt: a driver whose IV check rejects them
// only because an earlier IV was higher (e.g. pIV = NULL taken as IV 0) is caught here.
Verdict decrypt_bad_arguments_first_call(Env& env) {
  require_rows_rejected(env, DecryptSetup::History::kFresh,
                        " as a fresh session's first DecryptionBlt");
  return pass();
}

// ---- Formats: L = pitch × rows, NV12 has height × 3/2 rows (A16) ----

struct FormatRow {
  const char* name;
  D3DDDIFORMAT format;
  UINT width;
  UINT height;
};

constexpr FormatRow kFormats[] = {
    {"X8R8G8B8 16×4", D3DDDIFMT_X8R8G8B8, 16, 4},     {"A8R8G8B8 33×7", D3DDDIFMT_A8R8G8B8, 33, 7},
    {"X8R8G8B8 1000×3", D3DDDIFMT_X8R8G8B8, 1000, 3}, {"NV12 2×2", D3DDDIFMT_NV12, 2, 2},
    {"NV12 64×32", D3DDDIFMT_NV12, 64, 32},           {"NV12 98×46", D3DDDIFMT_NV12, 98, 46},
};

Verdict decrypt_formats_round_trip(Env& env) {
  Device& device = env.device();
  Session session(device, kTestKey);
  session.fetch_readback_key();
  for (const FormatRow& row : kFormats) {
    Surface surface(device, row.format, row.width, row.height, D3DDDIPOOL_VIDEOMEMORY, true);
    const std::size_t len = session.surface_bytes(surface);
    const std::size_t rows = wire::surface_rows(row.format, row.height);
    const std::size_t pixel_bytes =
        wire::bytes_per_pixel(*wire::surface_format_from_d3dddi(row.format));
    require(len % rows == 0 && len / rows >= row.width * pixel_bytes,
            std::string(row.name) + ": L = pitch × rows with a pitch of at least one row",
            "L = " + std::to_string(len) + " for " + std::to_string(rows) + " rows");
    const Bytes plain = pattern_bytes(len, 11);
    const Iv iv = session.next_iv();
    expect_hr(session.decryption_blt(surface.handle(), ctr(kTestKey, iv, plain), iv), S_OK,
              std::string("DecryptionBlt of a whole ") + row.name + " surface");
    HRESULT hr = S_OK;
    const Bytes back = session.read_back(surface.handle(), len, &hr);
    expect_hr(hr, S_OK, std::string("read-back of a whole ") + row.name + " surface");
    require(back == plain, std::string(row.name) + " round-trips", first_difference(back, plain));
  }
  return pass();
}

// ---- Content keys (spec §4.5, §7.2, A15) ----

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

Verdict decrypt_content_key_without_cap(Env& env) {
  DeviceWithout off(env, D3DCPCAPS_CONTENTKEY, "CONTENTKEY");
  Device& device = off.device();
  Session session(device, kTestKey);
  session.fetch_readback_key();
  auto surface = Surface::small_protected(device);
  const std::size_t len = session.surface_bytes(*surface);
  const Bytes before = pattern_bytes(len, 30);
  expect_hr(session.upload(*surface, before, kTestKey), S_OK, "DecryptionBlt of a frame");
  const Bytes plain = pattern_bytes(len, 31);
  const Iv iv = session.next_iv();
  const Key wrapped = ecb_wrap(kTestKey, kContentKey);
  expect_hr(session.decryption_blt(surface->handle(), ctr(kContentKey, iv, plain), iv, nullptr,
                                   wrapped.data()),
            E_INVALIDARG, "DecryptionBlt with pContentKey without CONTENTKEY");
  const Bytes unchanged = session.download(*surface);
  require(unchanged == before, "the refused blt leaves the destination as it was",
          first_difference(unchanged, before));
  expect_hr(session.decryption_blt(surface->handle(), ctr(kTestKey, iv, plain), iv), S_OK,
            "the same IV under the session key (a refused blt keeps its IV)");
  const Bytes back = session.download(*surface);
  require(back == plain, "the frame decrypted", first_difference(back, plain));
  return pass();
}

// ---- The counter block (spec §7.1, A10) ----

// The counter block IV || Count, both big-endian (§7.1), spelled out byte by byte here: the
// expected keystream shares no code with cpddi's counter-block or CTR helpers.
Iv counter_block(std::uint64_t iv, std::uint64_t count) {
  Iv block{};
  for (std::size_t i = 0; i < 8; ++i) {
    block[i] = static_cast<std::uint8_t>(iv >> (56 - 8 * i));
    block[8 + i] = static_cast<std::uint8_t>(count >> (56 - 8 * i));
  }
  return block;
}

enum class Carry { kNone, kIntoIv };

// `len` keystream bytes from (iv, count), one AES-128-ECB block at a time: block i encrypts
// IV || (Count + i mod 2^64) (A10). Carry::kIntoIv is the wrong arithmetic of a 128-bit counter
// (plain OpenSSL CTR): IV + 1 once Count has wrapped — only to name that fault in a message.
Bytes keystream(const Key& key, std::uint64_t iv, std::uint64_t count, std::size_t len,
                Carry carry = Carry::kNone) {
  Bytes out;
  for (std::uint64_t i = 0; out.size() < len; ++i) {
    const std::uint64_t block_count = count + i;  // mod 2^64
    const bool wrapped = block_count < count;
    const std::uint64_t block_iv = iv + (carry == Carry::kIntoIv && wrapped ? 1 : 0);
    const Key block = ecb_wrap(key, counter_block(block_iv, block_count));
    out.insert(out.end(), block.begin(), block.end());
  }
  out.resize(len);
  return out;
}

Bytes xor_bytes(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  Bytes out(a.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = a[i] ^ b[i];
  }
  return out;
}

// Rows whose buffer crosses Count = 2^64 − 1 → 0 check the wrap leaves the IV field alone (A10):
// 16×4 surfaces (16 blocks), and a 1 MiB one whose wrap comes early, so that a driver which
// splits a large buffer into pieces must also start the pieces after the wrap right.
Verdict decrypt_counter_block(Env& env) {
  struct Row {
    const char* name;
    std::uint64_t iv;
    std::uint64_t count;
    UINT width = 16;  // X8R8G8B8 width × height, RestrictedContent
    UINT height = 4;
  };
  constexpr Row kRows[] = {
      {"IV 0, Count 0", 0, 0},
      {"asymmetric bytes", 0x0102030405060708ull, 0x1112131415161718ull},
      {"Count wrapping without a carry into IV", 0x00000000000000FFull, 0xFFFFFFFFFFFFFFFDull},
      {"the highest IV with a wrapping Count", 0x7FFFFFFFFFFFFFFFull, 0xFFFFFFFFFFFFFFF8ull},
      {"Count wrapping at the last block of 16", 0x0A0B0C0D0E0F1011ull, 0xFFFFFFFFFFFFFFF1ull},
      {"a 1 MiB buffer, Count wrapping at block 10000", 0x00000000000000FFull,
       0xFFFFFFFFFFFFD8F0ull, 512, 512},
  };
  Device& device = env.device();
  for (const Row& row : kRows) {
    Session session(device, kTestKey);  // a fresh IV history per row
    session.fetch_readback_key();
    Surface surface(device, D3DDDIFMT_X8R8G8B8, row.width, row.height,
                    D3DDDIPOOL_VIDEOMEMORY, true);
    const std::size_t len = session.surface_bytes(surface);
    const Bytes plain = pattern_bytes(len, 40);
    const Bytes cipher = xor_bytes(plain, keystream(kTestKey, row.iv, row.count, len));
    expect_hr(session.decryption_blt(surface.handle(), cipher, make_iv(row.iv, row.count)), S_OK,
              std::string("DecryptionBlt with ") + row.name);
    const Bytes back = session.download(surface);
    if (back == plain) {
      continue;
    }
    // Name the classic fault: the Count carry ran into IV (a 128-bit counter).
    const Bytes carried =
        xor_bytes(cipher, keystream(kTestKey, row.iv, row.count, len, Carry::kIntoIv));
    fail(std::string("counter block = IV then Count, big-endian, Count mod 2^64: ") + row.name,
         first_difference(back, plain) +
             (back == carried ? " (the Count wrap carried into the IV field)" : ""));
  }
  return pass();
}

// ---- IVs (spec §4.5, A9, A11–A13) ----

// A keyed session and a small protected surface, with blts of fresh content at chosen IVs. After
// every blt the surface must hold that content when the blt was accepted, else the content of
// the last accepted one.
class IvProbe {
 public:
  explicit IvProbe(Device& device)
      : session_(device, kTestKey), surface_(Surface::small_protected(device)) {
    session_.fetch_readback_key();
    len_ = session_.surface_bytes(*surface_);
  }

  // A DecryptionBlt at `iv` under the session key (or `content_key`, wrapped under it) must
  // answer `want`.
  void expect(const Iv& iv, HRESULT want, const std::string& what,
              const Key* content_key = nullptr) {
    const Bytes plain = pattern_bytes(len_, ++seed_);
    const std::string call = "DecryptionBlt at " + iv_name(iv) + " (" + what + ")";
    HRESULT hr = S_OK;
    if (content_key != nullptr) {
      const Key wrapped = ecb_wrap(session_.app_key(), *content_key);
      hr = session_.decryption_blt(surface_->handle(), ctr(*content_key, iv, plain), iv, nullptr,
                                   wrapped.data());
    } else {
      hr = session_.decryption_blt(surface_->handle(), ctr(session_.app_key(), iv, plain), iv);
    }
    expect_hr(hr, want, call);
    if (hr == S_OK) {
      last_ = plain;
    }
    if (!last_.empty()) {
      const Bytes back = session_.download(*surface_);
      require(back == last_,
              hr == S_OK ? "the surface holds the content of " + call
                         : "the surface unchanged after the refused " + call,
              first_difference(back, last_));
    }
  }

  // A repeat exchange of `key`; the read-back key is fetched anew for the checks.
  void rekey(const Key& key) {
    expect_hr(session_.rekey(key), S_OK, "a repeat CryptoSessionKeyExchange");
    session_.fetch_readback_key();
  }

 private:
  Session session_;
  std::unique_ptr<Surface> surface_;
  std::size_t len_ = 0;
  std::uint32_t seed_ = 100;
  Bytes last_;
};

Verdict iv_gaps_accepted(Env& env) {
  IvProbe probe(env.device());
  for (std::uint64_t iv : {0ull, 1ull, 2ull, 7ull, 1000ull, 0x7FFFFFFFFFFFFFFFull,
                           0xFFFFFFFFFFFFFFFEull}) {
    probe.expect(make_iv(iv), S_OK, "increasing, with gaps");
  }
  return pass();
}

Verdict decrypt_iv_replay_rejected(Env& env) {
  IvProbe probe(env.device());
  probe.expect(make_iv(500), S_OK, "a fresh IV");
  probe.expect(make_iv(500), E_INVALIDARG, "a replay under the same key");
  for (std::uint64_t iv : {499ull, 1ull, 0ull}) {
    probe.expect(make_iv(iv), E_INVALIDARG, "a lower IV");
  }
  probe.expect(make_iv(501), S_OK, "the next IV");
  return pass();
}

Verdict iv_count_does_not_make_new(Env& env) {
  Device& device = env.device();
  if ((device.caps_bits() & D3DCPCAPS_SEQUENTIAL_CTR_IV) != 0) {
    return skipped("caps advertise SEQUENTIAL_CTR_IV: a higher Count may make the IV new (A12)");
  }
  IvProbe probe(device);
  probe.expect(make_iv(40, 0), S_OK, "a fresh IV");
  for (std::uint64_t count : {1ull, 16ull, 0xFFFFFFFFFFFFFFFFull}) {
    probe.expect(make_iv(40, count), E_INVALIDARG, "the same IV with a higher Count");
  }
  probe.expect(make_iv(41, 0), S_OK, "the next IV");
  return pass();
}

Verdict iv_maximum_once(Env& env) {
  IvProbe probe(env.device());
  probe.expect(make_iv(0xFFFFFFFFFFFFFFFFull), S_OK, "the highest IV");
  probe.expect(make_iv(0xFFFFFFFFFFFFFFFFull), E_INVALIDARG, "the highest IV again");
  probe.expect(make_iv(0), E_INVALIDARG, "no wrap-around after the highest IV");
  return pass();
}

Verdict iv_big_endian_comparison(Env& env) {
  // 01 00 .. 00 is 2^56 big-endian, far above 00 .. 00 02; a driver loading the field as a
  // little-endian integer sees 1 and 2^57 and accepts the second blt.
  IvProbe probe(env.device());
  probe.expect(make_iv(0x0100000000000000ull), S_OK, "2^56");
  probe.expect(make_iv(2), E_INVALIDARG, "2, below 2^56 when read big-endian");
  probe.expect(make_iv(0x0100000000000001ull), S_OK, "2^56 + 1");
  return pass();
}

Verdict iv_per_content_key(Env& env) {
  require_caps(env.device(), D3DCPCAPS_CONTENTKEY, "CONTENTKEY");
  IvProbe probe(env.device());
  probe.expect(make_iv(100), S_OK, "session key");
  probe.expect(make_iv(1), S_OK, "content key A starts afresh", &kContentKeyA);
  probe.expect(make_iv(1), E_INVALIDARG, "replay under content key A", &kContentKeyA);
  probe.expect(make_iv(1), S_OK, "content key B starts afresh", &kContentKeyB);
  probe.expect(make_iv(1), E_INVALIDARG, "replay under content key A after B was used",
               &kContentKeyA);
  probe.expect(make_iv(100), E_INVALIDARG, "replay under the session key, history unaffected");
  probe.expect(make_iv(2), S_OK, "content key A, next IV", &kContentKeyA);
  probe.expect(make_iv(101), S_OK, "session key, next IV");
  return pass();
}

Verdict iv_per_session(Env& env) {
  IvProbe a(env.device());
  IvProbe b(env.device());
  a.expect(make_iv(5), S_OK, "session A");
  b.expect(make_iv(5), S_OK, "session B, its own history");
  a.expect(make_iv(5), E_INVALIDARG, "replay on session A");
  return pass();
}

// The same wrapped content key (same session key, same content key) in two sessions of one
// device: each session has its own history for it, as for its session key.
Verdict iv_content_key_per_session(Env& env) {
  require_caps(env.device(), D3DCPCAPS_CONTENTKEY, "CONTENTKEY");
  IvProbe a(env.device());
  IvProbe b(env.device());
  a.expect(make_iv(5), S_OK, "session A, content key A", &kContentKeyA);
  b.expect(make_iv(5), S_OK, "session B, the same wrapped content key, its own history",
           &kContentKeyA);
  a.expect(make_iv(5), E_INVALIDARG, "replay on session A", &kContentKeyA);
  b.expect(make_iv(6), S_OK, "session B, next IV", &kContentKeyA);
  return pass();
}

// A repeat exchange restarts the history of every effective key, a content key's included: the
// same wrapped bytes under the (same) new session key are a new effective key (A11).
Verdict iv_content_key_history_restarts(Env& env) {
  require_caps(env.device(), D3DCPCAPS_CONTENTKEY, "CONTENTKEY");
  IvProbe probe(env.device());
  probe.expect(make_iv(50), S_OK, "content key A", &kContentKeyA);
  probe.expect(make_iv(50), E_INVALIDARG, "replay under content key A", &kContentKeyA);
  probe.rekey(kTestKey);
  probe.expect(make_iv(50), S_OK, "content key A after a repeat exchange: its history restarted",
               &kContentKeyA);
  probe.expect(make_iv(50), E_INVALIDARG, "replay under content key A after the exchange",
               &kContentKeyA);
  return pass();
}

Verdict iv_check_off(Env& env) {
  if (!env.driver().can_open_with_options()) {
    return skipped(
        "the driver exports no cpddi_open_adapter_with_options to switch the IV check off");
  }
  CPDDI_ADAPTER_OPTIONS options{};
  options.StructSize = sizeof options;
  options.IvCheck = CPDDI_IV_CHECK_OFF;
  Adapter adapter(env.driver(), &options);
  Device device(adapter);
  IvProbe probe(device);
  for (std::uint64_t iv : {10ull, 10ull, 9ull, 0ull, 10ull}) {
    probe.expect(make_iv(iv), S_OK, "IV check off: any IV");
  }
  if ((device.caps_bits() & D3DCPCAPS_CONTENTKEY) != 0) {
    probe.expect(make_iv(3), S_OK, "IV check off, content key", &kContentKeyA);
    probe.expect(make_iv(3), S_OK, "IV check off, content key again", &kContentKeyA);
  }
  return pass();
}

// ---- Partial decryption (spec §7.4, A17) ----

struct MapRow {
  const char* name;
  std::optional<BlockMap> map;               // nullopt: pEncryptedBlockInfo = NULL
  D3DDDIFORMAT format = D3DDDIFMT_X8R8G8B8;  // 16×4 (L = 256 for cpddi), NV12 64×32
};

std::unique_ptr<Surface> map_surface(const Device& device, D3DDDIFORMAT format) {
  const bool nv12 = format == D3DDDIFMT_NV12;
  return std::make_unique<Surface>(device, format, nv12 ? 64 : 16, nv12 ? 32 : 4,
                                   D3DDDIPOOL_VIDEOMEMORY, true);
}

// DecryptionBlt at `iv` of `plain` encrypted per `map` (§7.4) under the session key.
HRESULT upload_with_map(Session& session, const Surface& surface, const Bytes& plain,
                        const std::optional<BlockMap>& map, const Iv& iv) {
  if (!map) {
    return session.decryption_blt(surface.handle(), ctr(session.app_key(), iv, plain), iv);
  }
  const Bytes stream = ctr(session.app_key(), iv, Bytes(plain.size(), 0));
  const D3DDDIENCRYPTED_BLOCK_INFO info{map->encrypted_at_beginning, map->skip, map->encrypt};
  return session.decryption_blt(surface.handle(), apply_block_map(plain, stream, *map), iv, &info);
}

std::string map_name(const MapRow& row) {
  // Appended piece by piece: `"(" + std::to_string(…)` trips GCC 12's false -Wrestrict at -O3
  // (GCC bug 105329).
  std::string name = row.name;
  if (row.map) {
    name += " (";
    name += std::to_string(row.map->encrypted_at_beginning);
    name += ", ";
    name += std::to_string(row.map->skip);
    name += ", ";
    name += std::to_string(row.map->encrypt);
    name += ")";
  }
  if (row.format == D3DDDIFMT_NV12) {
    name += " on NV12";
  }
  return name;
}

void check_maps(Env& env, std::span<const MapRow> rows) {
  Device& device = env.device();
  require_caps(device, D3DCPCAPS_PARTIALDECRYPTION, "PARTIALDECRYPTION");
  Session session(device, kTestKey);
  session.fetch_readback_key();
  std::uint32_t seed = 50;
  for (const MapRow& row : rows) {
    auto surface = map_surface(device, row.format);
    const Bytes frame = pattern_bytes(session.surface_bytes(*surface), seed++);
    const std::string name = map_name(row);
    expect_hr(upload_with_map(session, *surface, frame, row.map, session.next_iv()), S_OK,
              "DecryptionBlt with block map " + name);
    const Bytes back = session.download(*surface);
    require(back == frame, "block map " + name + " decrypts exactly its encrypted runs",
            first_difference(back, frame));
  }
}

Verdict decrypt_partial_first_hundred(Env& env) {
  const MapRow rows[] = {{"doc example 1", BlockMap{100, 0, 0}}};
  check_maps(env, rows);
  return pass();
}

Verdict decrypt_partial_hundred_twenty_two(Env& env) {
  const MapRow rows[] = {{"doc example 2", BlockMap{100, 20, 2}}};
  check_maps(env, rows);
  return pass();
}

Verdict decrypt_partial_patterns(Env& env) {
  const MapRow rows[] = {
      {"NULL map = all encrypted", std::nullopt},
      {"doc example 1", BlockMap{100, 0, 0}},
      {"doc example 2", BlockMap{100, 20, 2}},
      {"doc example 2", BlockMap{100, 20, 2}, D3DDDIFMT_NV12},
      {"Chromium subsample, whole blocks", BlockMap{64, 192, 0}},
      {"Chromium subsample, odd split", BlockMap{37, 219, 0}},
      {"Chromium subsample", BlockMap{1000, 2072, 0}, D3DDDIFMT_NV12},
      {"zero skip = rest encrypted", BlockMap{0, 0, 16}},
      {"zero skip after an odd beginning", BlockMap{20, 0, 3}},
      {"all clear", BlockMap{0, 0, 0}},
      {"skip only = all clear", BlockMap{0, 48, 0}},
      {"starts clear", BlockMap{0, 16, 16}},
      {"cbcs-style 1 in 10", BlockMap{0, 144, 16}, D3DDDIFMT_NV12},
      {"beginning longer than the surface", BlockMap{1000, 0, 0}},
      {"beginning longer than the surface, with a pattern", BlockMap{300, 16, 16}},
      {"beginning = the surface", BlockMap{256, 7, 9}},
      {"odd runs", BlockMap{7, 13, 5}},
      {"one clear, one encrypted", BlockMap{0, 3, 1}},
      {"odd runs crossing blocks", BlockMap{17, 1, 31}},
      {"single bytes", BlockMap{1, 1, 1}},
      {"skip longer than the surface", BlockMap{0, 1000, 16}},
      {"skip longer than the rest", BlockMap{10, 1000, 16}},
      {"a clear run ending at the surface's end", BlockMap{16, 240, 16}},
      {"the last encrypted run truncated", BlockMap{0, 250, 10}},
      {"odd runs", BlockMap{5, 11, 23}, D3DDDIFMT_NV12},
  };
  check_maps(env, rows);
  return pass();
}

// Without PARTIALDECRYPTION only maps describing "all encrypted" or "all clear" are accepted
// (A17); any other → E_INVALIDARG, nothing written, the IV kept.
Verdict decrypt_partial_without_cap(Env& env) {
  struct Row {
    MapRow map;
    bool uniform;
  };
  const Row rows[] = {
      {{"NULL map", std::nullopt}, true},
      {{"all clear", BlockMap{0, 0, 0}}, true},
      {{"skip only = all clear", BlockMap{0, 32, 0}}, true},
      {{"zero skip = all encrypted", BlockMap{0, 0, 16}}, true},
      {{"zero skip, odd = all encrypted", BlockMap{5, 0, 7}}, true},
      {{"beginning covering the surface", BlockMap{256, 0, 0}}, true},
      {{"beginning beyond the surface", BlockMap{1000, 16, 16}}, true},
      {{"doc example 1", BlockMap{100, 0, 0}}, false},
      {{"doc example 2", BlockMap{100, 20, 2}}, false},
      {{"Chromium subsample", BlockMap{64, 192, 0}}, false},
      {{"starts clear", BlockMap{0, 16, 16}}, false},
      {{"all but the last byte", BlockMap{255, 0, 0}}, false},
      {{"one clear byte first", BlockMap{0, 1, 255}}, false},
  };
  DeviceWithout off(env, D3DCPCAPS_PARTIALDECRYPTION, "PARTIALDECRYPTION");
  Device& device = off.device();
  Session session(device, kTestKey);
  session.fetch_readback_key();
  auto surface = Surface::small_protected(device);
  const std::size_t len = session.surface_bytes(*surface);
  require(len == 256, "a 16×4 X8R8G8B8 surface of 256 bytes (the rows' maps are sized for it)",
          std::to_string(len) + " bytes");
  Bytes before = pattern_bytes(len, 60);
  expect_hr(session.upload(*surface, before, kTestKey), S_OK, "DecryptionBlt of a frame");
  std::uint32_t seed = 61;
  for (const Row& row : rows) {
    const std::string name = map_name(row.map);
    const Bytes plain = pattern_bytes(len, seed++);
    const Iv iv = session.next_iv();
    const HRESULT hr = upload_with_map(session, *surface, plain, row.map.map, iv);
    if (row.uniform) {
      expect_hr(hr, S_OK, "DecryptionBlt without PARTIALDECRYPTION, uniform map " + name);
    } else {
      expect_hr(hr, E_INVALIDARG, "DecryptionBlt without PARTIALDECRYPTION, map " + name);
      const Bytes unchanged = session.download(*surface);
      require(unchanged == before, "the refused map " + name + " leaves the destination as it was",
              first_difference(unchanged, before));
      expect_hr(upload_with_map(session, *surface, plain, std::nullopt, iv), S_OK,
                "the same IV without a map after refusing " + name + " (the IV kept)");
    }
    const Bytes back = session.download(*surface);
    require(back == plain, "the frame decrypted after map " + name, first_difference(back, plain));
    before = plain;
  }
  return pass();
}

// ---- Read-back: EncryptionBlt and GetEncryptionBltKey ----

constexpr std::uint8_t kSinkFill = 0xEE;

// A keyed session, a protected 16×4 source holding `frame`, and a system-memory sink of two
// padded surfaces filled with 0xEE. The read-back key is the one GetEncryptionBltKey gave (with
// ENCRYPTEDREADBACKKEY; fetched by the constructor unless told not to) or else the session key.
// The case checks ENCRYPTEDREADBACK itself.
struct ReadBack {
  enum class Fetch { kYes, kNo };
  explicit ReadBack(Device& d, Fetch fetch = Fetch::kYes)
      : device(d), session(d, kTestKey), source(Surface::small_protected(d)) {
    block = block_alignment(d);
    len = session.surface_bytes(*source);
    size = static_cast<UINT>(align_up(len, block));
    sink_len = 2 * size;
    sink = Surface::system_memory(d, sink_len);
    sink_capacity = static_cast<UINT>(session.surface_bytes(*sink) / block * block);
    require(sink_capacity >= sink_len, "a sink of " + std::to_string(sink_len) + " bytes",
            std::to_string(sink_capacity) + " bytes by GetPitch");
    frame = pattern_bytes(len, 3);
    expect_hr(session.upload(*source, frame, kTestKey), S_OK, "DecryptionBlt of a frame");
    fill_sink();
    if (fetch == Fetch::kYes) {
      fetch_key();
    }
  }

  bool separate_key() const { return (device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACKKEY) != 0; }
  // GetEncryptionBltKey, unwrapped with the model's session key (nothing without the cap).
  void fetch_key() {
    if (!separate_key()) {
      return;
    }
    Key wrapped{};
    expect_hr(session.get_encryption_blt_key(&wrapped), S_OK, "GetEncryptionBltKey");
    fetched = ecb_unwrap(session.app_key(), wrapped);
  }
  Key key() const { return separate_key() ? fetched : session.app_key(); }

  void fill_sink() { device.write_surface(sink->handle(), Bytes(sink_len, kSinkFill)); }
  Bytes sink_bytes(std::size_t n) const { return device.read_surface(sink->handle(), n); }
  BltArgs good(Iv* iv) const {
    return BltArgs{.source = source->handle(), .destination = sink->handle(), .size = size,
                   .iv = iv->data()};
  }
  // A good EncryptionBlt (pIV pre-filled with `iv_fill`), its L bytes decrypted under `with`.
  Bytes encrypt(const Key& with, Iv* iv, std::uint8_t iv_fill = 0) {
    iv->fill(iv_fill);
    expect_hr(session.encryption_blt(good(iv)), S_OK, "EncryptionBlt");
    return ctr(with, *iv, sink_bytes(len));
  }
  // encrypt() under key() must give the frame.
  Iv require_frame(const std::string& when, std::uint8_t iv_fill = 0) {
    Iv iv{};
    const Bytes back = encrypt(key(), &iv, iv_fill);
    require(back == frame, "the read-back decrypts to the frame " + when,
            first_difference(back, frame));
    return iv;
  }

  Device& device;
  Session session;
  std::unique_ptr<Surface> source;
  std::unique_ptr<Surface> sink;
  UINT block = 16;
  std::size_t len = 0;
  UINT size = 0;  // AlignUp(L, BlockAlignmentSize)
  UINT sink_len = 0;
  UINT sink_capacity = 0;  // the sink's bytes, whole blocks
  Bytes frame;
  Key fetched{};
};

void require_readback(Device& device) {
  require_caps(device, D3DCPCAPS_ENCRYPTEDREADBACK, "ENCRYPTEDREADBACK");
}

Verdict readback_decrypts_to_written(Env& env) {
  require_readback(env.device());
  ReadBack r(env.device());
  r.require_frame("of the surface");
  require(r.sink_bytes(r.len) != r.frame, "ciphertext in system memory", "the plain frame");
  return pass();
}

Verdict readback_key_not_session_key(Env& env) {
  require_caps(env.device(), D3DCPCAPS_ENCRYPTEDREADBACK | D3DCPCAPS_ENCRYPTEDREADBACKKEY,
               "ENCRYPTEDREADBACK | ENCRYPTEDREADBACKKEY");
  ReadBack r(env.device());
  Iv iv{};
  require(r.encrypt(kTestKey, &iv) != r.frame,
          "EncryptionBlt under the read-back key, not the session key",
          "the read-back decrypts under the session key");
  return pass();
}

Verdict readback_iv_unique(Env& env) {
  require_readback(env.device());
  ReadBack r(env.device());
  std::set<std::uint64_t> seen;
  Iv previous{};
  for (int i = 0; i < 200; ++i) {
    const std::string at = "at blt " + std::to_string(i);
    const Iv iv = r.require_frame("with the IV the driver reported, " + at, 0xFF);
    require(count_field(iv) == 0, "Count = 0 in every EncryptionBlt IV",
            "Count = " + std::to_string(count_field(iv)) + " " + at);
    if (i == 0) {
      require((iv[0] & 0x80) == 0, "a first IV with the top bit clear (A18)", "top bit set");
    } else {
      require(iv_field(iv) == iv_field(previous) + 1, "IV = previous IV + 1 (big-endian) " + at,
              "IV " + std::to_string(iv_field(iv)) + " after " +
                  std::to_string(iv_field(previous)));
    }
    require(seen.insert(iv_field(iv)).second, "no IV repeats",
            "IV " + std::to_string(iv_field(iv)) + " repeated " + at);
    previous = iv;
  }
  return pass();
}

// The read-back IV counter runs on across completed refreshes (with FRESHENSESSIONKEY), new
// read-back keys and repeated key exchanges (always): none restarts it.
Verdict readback_iv_rises_across_key_changes(Env& env) {
  require_readback(env.device());
  ReadBack r(env.device());
  std::uint64_t last = iv_field(r.require_frame("first"));
  auto next = [&](const std::string& when) {
    const Iv iv = r.require_frame(when);
    require(iv_field(iv) == last + 1, "IV = previous IV + 1 " + when,
            "IV " + std::to_string(iv_field(iv)) + " after " + std::to_string(last));
    last = iv_field(iv);
  };
  const bool refresh = (r.device.caps_bits() & D3DCPCAPS_FRESHENSESSIONKEY) != 0;
  for (int round = 0; round < 5; ++round) {
    if (refresh) {
      expect_hr(r.session.refresh(), S_OK, "Start + Finish");
      next("after refresh " + std::to_string(round));
    }
    r.fetch_key();
    next("after a new read-back key " + std::to_string(round));
  }
  for (const Key& key : {kOtherKey, kTestKey}) {
    expect_hr(r.session.rekey(key), S_OK, "a repeated CryptoSessionKeyExchange");
    r.fetch_key();
    next("after a repeated key exchange");
  }
  return pass();
}

// Read-back keys (with ENCRYPTEDREADBACKKEY) and first read-back IVs from sessions on one device,
// a second device and a device of a second adapter: none repeats another. A generator that
// restarts per session, device or adapter passes every single-session check (§4.7: every call
// makes a new key; §7.8, A18: the first IV is a CSPRNG value).
Verdict readback_random_across_objects(Env& env) {
  constexpr int kKeysPerSession = 3;
  require_readback(env.device());
  ObjectsAcrossDevices across(env);
  require_readback(across.other_adapter_device());
  std::map<Key, std::string> keys;               // read-back key → where it was minted
  std::map<std::uint64_t, std::string> first_ivs;  // first read-back IV → its session
  std::vector<std::unique_ptr<ReadBack>> sessions;  // all alive at once: five distinct objects
  for (const ObjectsAcrossDevices::Object& object : across.objects()) {
    ReadBack& r = *sessions.emplace_back(std::make_unique<ReadBack>(object.device,
                                                                    ReadBack::Fetch::kNo));
    for (int i = 1; r.separate_key() && i <= kKeysPerSession; ++i) {
      r.fetch_key();
      const std::string where = std::string(object.name) + ", read-back key #" + std::to_string(i);
      const auto [it, inserted] = keys.emplace(r.fetched, where);
      require(inserted, "no read-back key repeats across sessions, devices and adapters",
              where + " is " + hex(r.fetched) + ", as " + it->second + " was");
    }
    const std::uint64_t iv = iv_field(r.require_frame(std::string("of ") + object.name));
    const auto [it, inserted] = first_ivs.emplace(iv, object.name);
    require(inserted, "first read-back IVs differ across sessions, devices and adapters (A18)",
            std::string(object.name) + " began at IV " + std::to_string(iv) + ", as " +
                it->second + " did");
  }
  return pass();
}

// Each session's first read-back IV is its own random draw (A18), not the continuation of an IV
// counter the device (or a destroyed session's slot) kept: a new session's first IV is far from
// every IV used before on the device. Two random 63-bit numbers come within 2^32 of each other
// with probability about 2^-30, so a false failure is out of reach.
Verdict readback_iv_random_per_session(Env& env) {
  constexpr std::uint64_t kNear = std::uint64_t{1} << 32;
  Device& device = env.device();
  require_readback(device);
  std::vector<std::uint64_t> used;  // every IV read back on the device so far
  auto run_session = [&](const std::string& name, std::unique_ptr<ReadBack>& r) {
    r = std::make_unique<ReadBack>(device);
    for (int i = 0; i < 3; ++i) {
      const std::uint64_t iv = iv_field(r->require_frame("of " + name));
      if (i == 0) {
        for (std::uint64_t earlier : used) {
          const std::uint64_t distance = iv > earlier ? iv - earlier : earlier - iv;
          require(distance >= kNear,
                  "a first read-back IV of its own, not near an IV used before on the device "
                  "(A18)",
                  name + " began at IV " + std::to_string(iv) + ", " +
                      std::to_string(distance) + " from IV " + std::to_string(earlier));
        }
      }
      used.push_back(iv);
    }
  };
  std::unique_ptr<ReadBack> a;
  std::unique_ptr<ReadBack> b;
  run_session("session A", a);
  run_session("session B (A alive)", b);
  expect_hr(a->session.destroy(), S_OK, "DestroyCryptoSession of A");
  std::unique_ptr<ReadBack> c;
  run_session("session C (after A was destroyed)", c);
  return pass();
}

// Read-back keys that are a counter or half constant pass every distinctness check; 2048 keys
// whose bits are not balanced show it (§4.7: each call makes a new key, cpddi draws CSPRNG bytes).
Verdict readback_key_bits_balanced(Env& env) {
  Device& device = env.device();
  require_caps(device, D3DCPCAPS_ENCRYPTEDREADBACK | D3DCPCAPS_ENCRYPTEDREADBACKKEY,
               "ENCRYPTEDREADBACK | ENCRYPTEDREADBACKKEY");
  ReadBack r(device, ReadBack::Fetch::kNo);
  std::vector<Key> keys(2048);
  for (Key& key : keys) {
    r.fetch_key();
    key = r.fetched;
  }
  require_bits_balanced(keys, "the unwrapped read-back key");
  r.require_frame("with the last read-back key");
  return pass();
}

Verdict readback_key_new_each_call(Env& env) {
  Device& device = env.device();
  require_caps(device, D3DCPCAPS_ENCRYPTEDREADBACK | D3DCPCAPS_ENCRYPTEDREADBACKKEY,
               "ENCRYPTEDREADBACK | ENCRYPTEDREADBACKKEY");
  ReadBack r(device, ReadBack::Fetch::kNo);
  Key first{};
  Key second{};
  expect_hr(r.session.get_encryption_blt_key(&first), S_OK, "GetEncryptionBltKey");
  expect_hr(r.session.get_encryption_blt_key(&second), S_OK, "a second GetEncryptionBltKey");
  require(first != second, "each call mints a new read-back key", "the same wrapped key twice");
  Iv iv{};
  const Bytes back = r.encrypt(ecb_unwrap(kTestKey, second), &iv);
  require(back == r.frame, "EncryptionBlt uses the latest read-back key",
          first_difference(back, r.frame));
  require(ctr(ecb_unwrap(kTestKey, first), iv, r.sink_bytes(r.len)) != r.frame,
          "the previous read-back key is no longer used",
          "data still encrypted under the previous read-back key");
  return pass();
}

// A read-back key fetched after a key change is wrapped under the new session key: after a
// completed refresh (with FRESHENSESSIONKEY) and after a repeated key exchange — not under the
// key of the session's first exchange.
Verdict readback_key_wrapped_under_current_session_key(Env& env) {
  Device& device = env.device();
  require_caps(device, D3DCPCAPS_ENCRYPTEDREADBACK | D3DCPCAPS_ENCRYPTEDREADBACKKEY,
               "ENCRYPTEDREADBACK | ENCRYPTEDREADBACKKEY");
  ReadBack r(device);
  r.require_frame("with the read-back key unwrapped under the first exchanged key");
  if ((device.caps_bits() & D3DCPCAPS_FRESHENSESSIONKEY) != 0) {
    expect_hr(r.session.refresh(), S_OK, "Start + Finish");
    require(r.session.app_key() != kTestKey, "a refreshed key", "the key unchanged");
    r.fetch_key();  // unwrapped with the refreshed key
    r.require_frame("with the read-back key unwrapped under the refreshed session key");
  }
  expect_hr(r.session.rekey(kOtherKey), S_OK, "a repeated CryptoSessionKeyExchange");
  r.fetch_key();  // unwrapped with the newly exchanged key
  r.require_frame("with the read-back key unwrapped under the newly exchanged session key");
  return pass();
}

Verdict readback_before_key_invalidcall(Env& env) {
  Device& device = env.device();
  require_caps(device, D3DCPCAPS_ENCRYPTEDREADBACK | D3DCPCAPS_ENCRYPTEDREADBACKKEY,
               "ENCRYPTEDREADBACK | ENCRYPTEDREADBACKKEY");
  ReadBack r(device, ReadBack::Fetch::kNo);
  Iv iv{};
  iv.fill(0xAB);
  const Iv untouched = iv;
  expect_hr(r.session.encryption_blt(r.good(&iv)), r.session.device().code(Refusal::kWrongState),
            "EncryptionBlt before any GetEncryptionBltKey");
  require(iv == untouched, "no IV written", "an IV was written");
  require(r.sink_bytes(r.sink_len) == Bytes(r.sink_len, kSinkFill), "nothing written to the sink",
          "the sink changed");
  r.fetch_key();
  r.require_frame("once a read-back key was fetched");
  return pass();
}

Verdict readback_destination_beyond_surface_untouched(Env& env) {
  require_readback(env.device());
  ReadBack r(env.device());
  Iv iv{};
  BltArgs args = r.good(&iv);
  args.size = r.sink_len;
  expect_hr(r.session.encryption_blt(args), S_OK,
            "EncryptionBlt with DstResourceSize = the whole sink (beyond the padded surface)");
  const Bytes sink = r.sink_bytes(r.sink_len);
  require(Bytes(sink.begin() + r.size, sink.end()) == Bytes(r.sink_len - r.size, kSinkFill),
          "the sink beyond the padded surface untouched", "bytes written there");
  const Bytes back = ctr(r.key(), iv, Bytes(sink.begin(), sink.begin() + r.len));
  require(back == r.frame, "the read-back decrypts to the frame", first_difference(back, r.frame));
  return pass();
}

Verdict readback_null_arguments(Env& env) {
  Device& device = env.device();
  require_readback(device);
  expect_hr(device.call_with_null_arguments(DeviceEntry::kEncryptionBlt), E_INVALIDARG,
            "EncryptionBlt with null arguments");
  if ((device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACKKEY) != 0) {
    expect_hr(device.call_with_null_arguments(DeviceEntry::kGetEncryptionBltKey), E_INVALIDARG,
              "GetEncryptionBltKey with null arguments");
  }
  return pass();
}

// The argument errors of spec §4.6 and A16: each row changes one argument of a good blt.
enum class EncryptFault {
  kNullIv, kDstSizeZero, kDstSizeBelowSurface, kDstSizeNotBlockMultiple, kDstSizeBeyondSink,
  kDestinationProtected, kDestinationVideoMemory, kSourceUnprotectedVideo, kSourceSystemMemory,
  kMisalignedDestination, kSrcSubResource, kDstSubResource, kUnknownSource, kUnknownDestination,
  kDestinationOfOtherDevice
};

struct EncryptFaultRow {
  const char* what;
  EncryptFault fault;
};

constexpr EncryptFaultRow kEncryptFaults[] = {
    {"pIV = NULL", EncryptFault::kNullIv},
    {"DstResourceSize 0", EncryptFault::kDstSizeZero},
    {"DstResourceSize below the surface", EncryptFault::kDstSizeBelowSurface},
    {"DstResourceSize not a multiple of BlockAlignmentSize",
     EncryptFault::kDstSizeNotBlockMultiple},
    {"DstResourceSize beyond the destination", EncryptFault::kDstSizeBeyondSink},
    {"a protected destination", EncryptFault::kDestinationProtected},
    {"a destination in video memory", EncryptFault::kDestinationVideoMemory},
    {"an unprotected video-memory source", EncryptFault::kSourceUnprotectedVideo},
    {"a source in system memory", EncryptFault::kSourceSystemMemory},
    {"a destination not BufferAlignmentStart-aligned", EncryptFault::kMisalignedDestination},
    {"SrcSubResourceIndex 1", EncryptFault::kSrcSubResource},
    {"DstSubResourceIndex 1", EncryptFault::kDstSubResource},
    {"an unknown source handle", EncryptFault::kUnknownSource},
    {"an unknown destination handle", EncryptFault::kUnknownDestination},
    {"a destination of another device", EncryptFault::kDestinationOfOtherDevice},
};

// Runs the blt of one fault row with pIV pre-filled; checks its code, that nothing was written
// (pIV, the sink, caller memory). False when the row does not apply to this driver's caps.
bool encrypt_with_fault(ReadBack& r, const EncryptFaultRow& row) {
  Device& device = r.device;
  Iv iv{};
  iv.fill(0xAB);
  const Iv untouched = iv;
  BltArgs args = r.good(&iv);
  std::unique_ptr<Device> other;  // outlives `extra`, which may live on it
  std::unique_ptr<Surface> extra;
  std::optional<CallerMemory> memory;
  std::optional<CallerSurface> caller_sink;
  const UINT rows = r.sink_len / 256 + 1;
  switch (row.fault) {
    case EncryptFault::kNullIv: args.iv = nullptr; break;
    case EncryptFault::kDstSizeZero: args.size = 0; break;
    case EncryptFault::kDstSizeBelowSurface: args.size -= r.block; break;
    case EncryptFault::kDstSizeNotBlockMultiple:
      if (r.block < 2) {
        return false;
      }
      args.size += r.block / 2;
      break;
    case EncryptFault::kDstSizeBeyondSink: args.size = r.sink_capacity + r.block; break;
    case EncryptFault::kDestinationProtected:
    case EncryptFault::kDestinationVideoMemory:
      extra = std::make_unique<Surface>(device, D3DDDIFMT_X8R8G8B8, 64, rows,
                                        D3DDDIPOOL_VIDEOMEMORY,
                                        row.fault == EncryptFault::kDestinationProtected);
      args.destination = extra->handle();
      break;
    case EncryptFault::kSourceUnprotectedVideo:
      extra = std::make_unique<Surface>(device, D3DDDIFMT_X8R8G8B8, 16, 4, D3DDDIPOOL_VIDEOMEMORY,
                                        false);
      args.source = extra->handle();
      break;
    case EncryptFault::kSourceSystemMemory:
      extra = Surface::system_memory(device, r.size);
      args.source = extra->handle();
      break;
    case EncryptFault::kMisalignedDestination: {
      const UINT alignment = buffer_alignment(device);
      if (alignment < 2) {
        return false;
      }
      memory.emplace(std::size_t{rows} * 256 + alignment, alignment, kSinkFill);
      caller_sink.emplace(device, memory->at(alignment / 2), rows);
      args.destination = caller_sink->handle();
      break;
    }
    case EncryptFault::kSrcSubResource: args.source_subresource = 1; break;
    case EncryptFault::kDstSubResource: args.destination_subresource = 1; break;
    case EncryptFault::kUnknownSource: args.source = kGarbageHandle; break;
    case EncryptFault::kUnknownDestination: args.destination = kGarbageHandle; break;
    case EncryptFault::kDestinationOfOtherDevice:
      other = std::make_unique<Device>(device.adapter());
      extra = Surface::system_memory(*other, r.sink_len);
      args.destination = extra->handle();
      break;
  }
  const std::string what = std::string("EncryptionBlt with ") + row.what;
  expect_hr(r.session.encryption_blt(args), E_INVALIDARG, what);
  require(iv == untouched, "no IV written by the refused " + what, "pIV changed");
  require(r.sink_bytes(r.sink_len) == Bytes(r.sink_len, kSinkFill),
          "nothing written to the sink by the refused " + what, "the sink changed");
  if (memory) {
    require(memory->bytes() == Bytes(memory->bytes().size(), kSinkFill),
            "nothing written to caller memory by the refused " + what, "the memory changed");
  }
  return true;
}

Verdict readback_bad_arguments_rejected(Env& env) {
  require_readback(env.device());
  ReadBack r(env.device());
  Iv previous = r.require_frame("before the refused blts");
  for (const EncryptFaultRow& row : kEncryptFaults) {
    r.fill_sink();
    if (!unless_ddi_lacks([&] { return encrypt_with_fault(r, row); })) {
      continue;
    }
    const Iv next = r.require_frame(std::string("after the refused blt with ") + row.what);
    require(iv_field(next) == iv_field(previous) + 1,
            std::string("the next IV is the one after the last good blt's (") + row.what +
                " used none)",
            "IV " + std::to_string(iv_field(next)) + " after " +
                std::to_string(iv_field(previous)));
    previous = next;
  }
  return pass();
}

// The argument errors of spec §4.7: each row changes one argument of a good GetEncryptionBltKey.
struct KeyFaultRow {
  const char* what;
  UINT size;
  bool null_buffer;
};

constexpr KeyFaultRow kKeyFaults[] = {
    {"KeySize 0", 0, false},  {"KeySize 15", 15, false}, {"KeySize 17", 17, false},
    {"KeySize 32", 32, false}, {"pReadBackKey = NULL", 16, true},
};

// Runs the GetEncryptionBltKey of one fault row into a 64-byte buffer of 0xAB; checks
// E_INVALIDARG and that no byte was written. Returns the call's name for later messages.
std::string get_key_with_fault(ReadBack& r, const KeyFaultRow& row, const std::string& when) {
  Bytes buffer(64, 0xAB);
  const std::string what = std::string("GetEncryptionBltKey with ") + row.what + when;
  expect_hr(r.session.get_encryption_blt_key_raw(row.null_buffer ? nullptr : buffer.data(),
                                                 row.size),
            E_INVALIDARG, what);
  require(buffer == Bytes(64, 0xAB), what + " leaves the buffer untouched", "bytes written");
  return what;
}

Verdict readback_key_bad_arguments_rejected(Env& env) {
  require_caps(env.device(), D3DCPCAPS_ENCRYPTEDREADBACK | D3DCPCAPS_ENCRYPTEDREADBACKKEY,
               "ENCRYPTEDREADBACK | ENCRYPTEDREADBACKKEY");
  ReadBack r(env.device());
  for (const KeyFaultRow& row : kKeyFaults) {
    const std::string what = get_key_with_fault(r, row, "");
    r.require_frame("under the previous read-back key after the refused " + what);
  }
  return pass();
}

// The read-back calls' bad arguments where each is the only thing wrong: every GetEncryptionBltKey
// row as a keyed session's first GetEncryptionBltKey (no read-back key yet), every EncryptionBlt
// row as the session's first EncryptionBlt. A driver that checks an argument only on a path an
// earlier call set up (the read-back key a new one replaces, the IV a blt continues) is caught
// here, where readback.key-bad-arguments-rejected and readback.bad-arguments-rejected pass it.
Verdict readback_bad_arguments_first_call(Env& env) {
  Device& device = env.device();
  require_readback(device);
  if ((device.caps_bits() & D3DCPCAPS_ENCRYPTEDREADBACKKEY) != 0) {
    for (const KeyFaultRow& row : kKeyFaults) {
      ReadBack r(device, ReadBack::Fetch::kNo);
      const std::string what =
          get_key_with_fault(r, row, " as a fresh session's first GetEncryptionBltKey");
      // The refused call minted no read-back key, so EncryptionBlt still has none (A19).
      Iv iv{};
      expect_hr(r.session.encryption_blt(r.good(&iv)), r.session.device().code(Refusal::kWrongState),
                "EncryptionBlt after only the refused " + what);
      r.fetch_key();
      r.require_frame("after a good GetEncryptionBltKey that followed the refused " + what);
    }
  }
  for (const EncryptFaultRow& row : kEncryptFaults) {
    ReadBack r(device);
    if (!unless_ddi_lacks([&] { return encrypt_with_fault(r, row); })) {
      continue;
    }
    const std::string after = std::string("after a refused first blt with ") + row.what;
    const Iv first = r.require_frame(after);
    require((first[0] & 0x80) == 0 && count_field(first) == 0,
            "the first IV (top bit clear, Count 0, A18) " + after,
            "IV " + std::to_string(iv_field(first)) + ", Count " +
                std::to_string(count_field(first)));
  }
  return pass();
}

// A destroyed session's read-back key dies with it (§4.3): a session made after it on the same
// device — where a driver with a free list puts it in the same slot — has no read-back key until
// it asks for one (A19), and then reads back under the key it got.
Verdict readback_no_key_inherited_after_destroy(Env& env) {
  Device& device = env.device();
  require_caps(device, D3DCPCAPS_ENCRYPTEDREADBACK | D3DCPCAPS_ENCRYPTEDREADBACKKEY,
               "ENCRYPTEDREADBACK | ENCRYPTEDREADBACKKEY");
  for (int round = 0; round < 3; ++round) {
    const std::string when = "a session made after a destroyed one (round " +
                             std::to_string(round) + ")";
    {
      ReadBack old(device);
      old.require_frame("of the session about to be destroyed");
      expect_hr(old.session.destroy(), S_OK, "DestroyCryptoSession");
    }
    ReadBack r(device, ReadBack::Fetch::kNo);
    Iv iv{};
    iv.fill(0xAB);
    const Iv untouched = iv;
    expect_hr(r.session.encryption_blt(r.good(&iv)), r.session.device().code(Refusal::kWrongState),
              "EncryptionBlt of " + when + ", before its first GetEncryptionBltKey");
    require(iv == untouched, "no IV written for " + when, "an IV was written");
    r.fetch_key();
    r.require_frame("of " + when + " once it fetched its own read-back key");
  }
  return pass();
}

Verdict readback_not_available_when_off(Env& env) {
  DeviceWithout off(env, D3DCPCAPS_ENCRYPTEDREADBACK, "ENCRYPTEDREADBACK");
  ReadBack r(off.device(), ReadBack::Fetch::kNo);
  Key ignored{};
  (void)r.session.get_encryption_blt_key(&ignored);  // rules out A19 as the reason
  Iv iv{};
  iv.fill(0xAB);
  const Iv untouched = iv;
  expect_hr(r.session.encryption_blt(r.good(&iv)), r.session.device().code(Refusal::kCapOff),
            "EncryptionBlt without ENCRYPTEDREADBACK");
  require(iv == untouched, "no IV written", "an IV was written");
  require(r.sink_bytes(r.sink_len) == Bytes(r.sink_len, kSinkFill), "nothing written to the sink",
          "the sink changed");
  return pass();
}

Verdict readback_session_key_when_key_cap_off(Env& env) {
  DeviceWithout off(env, D3DCPCAPS_ENCRYPTEDREADBACKKEY, "ENCRYPTEDREADBACKKEY");
  Device& device = off.device();
  require_readback(device);
  ReadBack r(device, ReadBack::Fetch::kNo);
  Bytes buffer(16, 0xAB);
  expect_hr(r.session.get_encryption_blt_key_raw(buffer.data(), 16), r.session.device().code(Refusal::kCapOff),
            "GetEncryptionBltKey without ENCRYPTEDREADBACKKEY");
  require(buffer == Bytes(16, 0xAB), "the buffer untouched", "bytes written");
  Iv iv{};
  Bytes back = r.encrypt(kTestKey, &iv);
  require(back == r.frame, "EncryptionBlt under the session key, no GetEncryptionBltKey needed",
          first_difference(back, r.frame));
  if ((device.caps_bits() & D3DCPCAPS_FRESHENSESSIONKEY) != 0) {
    // After a refresh the read-back follows the new session key (A6).
    expect_hr(r.session.refresh(), S_OK, "Start + Finish");
    back = r.encrypt(r.session.app_key(), &iv);
    require(back == r.frame, "EncryptionBlt under the refreshed session key",
            first_difference(back, r.frame));
    require(ctr(kTestKey, iv, r.sink_bytes(r.len)) != r.frame, "the old session key unused",
            "the read-back decrypts under the old session key");
  }
  return pass();
}

constexpr Case kCases[] = {
    {"decrypt.nist-vector",
     "NIST SP 800-38A F.5.1 through DecryptionBlt, IV bytes as stored (big-endian IV, Count)",
     "§7.1", decrypt_nist_vector},
    {"decrypt.counter-block",
     "counter block = IV then Count, both big-endian; Count wraps mod 2^64 without carry into IV",
     "§7.1, A10", decrypt_counter_block},
    {"decrypt.good-arguments", "a DecryptionBlt with good arguments decrypts into the destination",
     "§4.5", decrypt_good_arguments},
    {"decrypt.source-beyond-surface-ignored",
     "SrcResourceSize beyond L (aligned, within the source): only the first L bytes are used",
     "A16", decrypt_source_beyond_surface_ignored},
    {"decrypt.caller-memory-source", "a system surface in caller memory (pSysMem) is the source",
     "§4.5, A16", decrypt_caller_memory_source},
    {"decrypt.null-arguments",
     "DecryptionBlt with null arguments (D3D9: no argument struct; D3D11.1: null handles, key "
     "and IV) → E_INVALIDARG",
     "§4.5",
     decrypt_null_arguments},
    {"decrypt.bad-arguments-rejected",
     "each of 21 bad arguments (IV, pools, sizes, alignment, subresources, handles, replay) → "
     "E_INVALIDARG; nothing written, IV not used",
     "§4.5, A12–A16", decrypt_bad_arguments_rejected},
    {"decrypt.bad-arguments-first-call",
     "each bad argument but IV replay, as a fresh session's first DecryptionBlt → E_INVALIDARG; "
     "nothing written, IV not used",
     "§4.5, A13, A14, A16", decrypt_bad_arguments_first_call},
    {"decrypt.formats-round-trip",
     "whole X8R8G8B8, A8R8G8B8 and NV12 surfaces (odd, wide, tiny) decrypt and read back",
     "§4.5, §4.6, A16", decrypt_formats_round_trip},
    {"decrypt.content-key",
     "a content key AES-ECB-wrapped under the session key decrypts the frame", "§4.5, §7.2",
     decrypt_content_key},
    {"decrypt.content-key-without-cap",
     "pContentKey without CONTENTKEY → E_INVALIDARG; nothing written, IV not used", "A15",
     decrypt_content_key_without_cap},
    {"decrypt.partial-doc-first-hundred",
     "block map (100, 0, 0): the first 100 bytes encrypted, the rest clear", "§7.4",
     decrypt_partial_first_hundred},
    {"decrypt.partial-doc-hundred-twenty-two",
     "block map (100, 20, 2): 100 encrypted, then 20 clear / 2 encrypted repeating", "§7.4",
     decrypt_partial_hundred_twenty_two},
    {"decrypt.partial-patterns",
     "NULL, zero-skip, zero-encrypt, odd, overlong and NV12 block maps decrypt exactly their runs",
     "§7.4, A17", decrypt_partial_patterns},
    {"decrypt.partial-without-cap",
     "without PARTIALDECRYPTION uniform maps work, others → E_INVALIDARG, nothing written",
     "A17", decrypt_partial_without_cap},
    {"decrypt.iv-replay-rejected",
     "a replayed or lower IV under the same key → E_INVALIDARG, surface unchanged", "§4.5, A12",
     decrypt_iv_replay_rejected},
    {"iv.gaps-accepted", "increasing IVs with gaps are accepted, up to 2^64 − 2", "§4.5, A12",
     iv_gaps_accepted},
    {"iv.count-does-not-make-new",
     "without SEQUENTIAL_CTR_IV the same IV with a higher Count → E_INVALIDARG", "A12",
     iv_count_does_not_make_new},
    {"iv.maximum-once", "the highest IV is accepted once, then nothing (no wrap-around)", "A12",
     iv_maximum_once},
    {"iv.big-endian-comparison", "IVs are compared as big-endian numbers", "§7.1, A12",
     iv_big_endian_comparison},
    {"iv.per-content-key", "each content key and the session key have their own IV history",
     "A11, A12", iv_per_content_key},
    {"iv.per-session", "each session has its own IV history", "A11", iv_per_session},
    {"iv.content-key-per-session",
     "two sessions sending the same wrapped content key each have their own IV history for it",
     "A11, A12", iv_content_key_per_session},
    {"iv.content-key-history-restarts",
     "after a repeat exchange a content key's used IV is accepted again (new effective key)",
     "A11, A12", iv_content_key_history_restarts},
    {"iv.check-off", "with the IV check switched off any IV is accepted and decrypts right",
     "A12", iv_check_off},
    {"readback.decrypts-to-written",
     "EncryptionBlt read-back decrypts to what was written; system memory holds ciphertext",
     "§4.6", readback_decrypts_to_written},
    {"readback.key-not-session-key",
     "with ENCRYPTEDREADBACKKEY the read-back is not under the session key", "§4.6, §4.7",
     readback_key_not_session_key},
    {"readback.iv-unique",
     "EncryptionBlt IVs: first top bit clear, Count 0, +1 each blt, never repeating",
     "§4.6, §7.8, A18", readback_iv_unique},
    {"readback.iv-rises-across-key-changes",
     "EncryptionBlt IVs keep rising across refreshes, new read-back keys and key exchanges",
     "§7.8, A18", readback_iv_rises_across_key_changes},
    {"readback.random-across-objects",
     "read-back keys and first read-back IVs never repeat across sessions, devices and adapters",
     "§4.7, §7.8, A18", readback_random_across_objects},
    {"readback.iv-random-per-session",
     "each session's first read-back IV is its own draw, far from IVs other or destroyed "
     "sessions of the device used",
     "§7.8, A18", readback_iv_random_per_session},
    {"readback.key-bits-balanced",
     "over 2048 read-back keys every bit is 1 about half the time (within 6 sigma)", "§4.7",
     readback_key_bits_balanced},
    {"readback.key-new-each-call",
     "GetEncryptionBltKey mints a new key each call and EncryptionBlt uses the latest", "§4.7",
     readback_key_new_each_call},
    {"readback.key-wrapped-under-current-session-key",
     "a read-back key fetched after a refresh or a repeated exchange is wrapped under the new key",
     "§7.2, A20, A21",
     readback_key_wrapped_under_current_session_key},
    {"readback.before-key-invalidcall",
     "EncryptionBlt with ENCRYPTEDREADBACKKEY before GetEncryptionBltKey → INVALIDCALL",
     "§4.6, A19", readback_before_key_invalidcall},
    {"readback.destination-beyond-surface-untouched",
     "DstResourceSize beyond the padded surface: bytes past it stay untouched", "§4.6, A16",
     readback_destination_beyond_surface_untouched},
    {"readback.null-arguments",
     "EncryptionBlt and GetEncryptionBltKey with null arguments (D3D9: no argument struct; "
     "D3D11.1: null handles and buffers) → E_INVALIDARG",
     "§4.6, §4.7", readback_null_arguments},
    {"readback.bad-arguments-rejected",
     "each of 15 bad arguments (IV, sizes, pools, alignment, subresources, handles) → "
     "E_INVALIDARG; no IV or byte written, no IV used",
     "§4.6, §7.8, A16", readback_bad_arguments_rejected},
    {"readback.key-bad-arguments-rejected",
     "GetEncryptionBltKey with KeySize != 16 or a null buffer → E_INVALIDARG, previous key kept",
     "§4.7", readback_key_bad_arguments_rejected},
    {"readback.bad-arguments-first-call",
     "each bad GetEncryptionBltKey / EncryptionBlt argument as a fresh session's first such call "
     "→ E_INVALIDARG; nothing written, no key minted, no IV used",
     "§4.6, §4.7, A19", readback_bad_arguments_first_call},
    {"readback.no-key-inherited-after-destroy",
     "a session made after a destroyed one has no read-back key until it fetches one",
     "§4.3, §4.7, A19", readback_no_key_inherited_after_destroy},
    {"readback.not-available-when-off",
     "without ENCRYPTEDREADBACK EncryptionBlt → D3DDDIERR_NOTAVAILABLE, nothing written", "§4.6",
     readback_not_available_when_off},
    {"readback.session-key-when-key-cap-off",
     "without ENCRYPTEDREADBACKKEY GetEncryptionBltKey → NOTAVAILABLE; read-back under the "
     "session key",
     "§4.6, §4.7, A6", readback_session_key_when_key_cap_off},
};

}  // namespace

std::span<const Case> blt_cases() { return kCases; }

}  // namespace cpddi::conform
