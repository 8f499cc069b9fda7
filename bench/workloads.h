#pragma once

// cpddi::bench — the benchmark workloads, each written once and run by both front ends: the
// `cpddi bench` subcommand (its own timing loop, ratios, table, plot) and the Google Benchmark
// binary `cpddi_benchmarks`. A workload is set up through the C ABI with conform/'s harness (an
// unexpected HRESULT throws conform::Failure) and then measured one iteration at a time. Beside
// every cpddi workload sits its reference over the same bytes — raw OpenSSL (EVP AES-128-CTR,
// RAND_bytes, RSA-OAEP with EVP_PKEY_decrypt, EVP_MAC AES-CMAC) or memcpy — so each figure is a
// ratio measured in the same run (CONVENTIONS §9). Unlike the rest of the tree outside
// src/crypto/, this component includes OpenSSL (references.cpp, identity.cpp): the references
// *are* OpenSSL, called as an application would call it. No GoogleTest, no Google Benchmark here.
// Threading: a workload is used by one thread at a time; cpddi may run a blt on several
// (BltThreadsPerDevice), and streams (make_stream) share a device across threads.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "conform/session.h"
#include "wire/surface_layout.h"
#include "cpddi/cpddi.h"

namespace cpddi::bench {

// One thing to measure; run_once() is one iteration. Setup happens in the factory, so an
// iteration holds only the work itself.
class Workload {
 public:
  virtual ~Workload() = default;
  // Throws conform::Failure when the driver answers anything but S_OK.
  virtual void run_once() = 0;
};
using WorkloadPtr = std::unique_ptr<Workload>;

// The surfaces the blts run over; `pitch` is what the driver must report (GetPitch), so cpddi
// and the references see exactly bytes() bytes.
struct SurfaceShape {
  const char* name;   // "NV12 1080p"
  D3DDDIFORMAT format;
  UINT width;
  UINT height;
  UINT pitch;
  std::uint64_t bytes() const {
    return wire::surface_bytes(pitch, wire::surface_rows(format, height));
  }
};
// 16 KiB – 256 KiB: the compressed samples a player really decrypts, one blt each (issue 13);
// 1080p and 2160p: whole uncompressed frames.
inline constexpr SurfaceShape kSurface16KiB{"16 KiB", D3DDDIFMT_X8R8G8B8, 64, 64, 256};
inline constexpr SurfaceShape kSurface64KiB{"64 KiB", D3DDDIFMT_X8R8G8B8, 128, 128, 512};
inline constexpr SurfaceShape kSurface256KiB{"256 KiB", D3DDDIFMT_X8R8G8B8, 256, 256, 1024};
inline constexpr SurfaceShape kSurfaceNv12Hd{"NV12 1080p", D3DDDIFMT_NV12, 1920, 1080, 1920};
inline constexpr SurfaceShape kSurfaceNv12Uhd{"NV12 2160p", D3DDDIFMT_NV12, 3840, 2160, 3840};
inline constexpr SurfaceShape kSurfaceShapes[] = {kSurface16KiB, kSurface64KiB, kSurface256KiB,
                                                  kSurfaceNv12Hd, kSurfaceNv12Uhd};

enum class BltKind { kDecryption, kEncryption };
// kFull: no block map. kCenc1To9: CENC-style 1:9 — after no leading encrypted bytes, 144 clear
// bytes then 16 encrypted ones, repeated (D3DDDIENCRYPTED_BLOCK_INFO {0, 144, 16}).
enum class Pattern { kFull, kCenc1To9 };
// CPDDI_ADAPTER_OPTIONS.BltThreadsPerDevice: 1, or 0 = one per core.
enum class BltThreads { kOne, kAll };
UINT blt_threads_option(BltThreads threads);
// "1", or "all (N)" with N = std::thread::hardware_concurrency().
std::string blt_threads_label(BltThreads threads);

// The driver under test and the one identity every adapter of a run is pinned to: a fresh
// RSA-2048 key and a self-signed certificate, written as PEM into a private temporary directory
// (removed by the destructor) and passed through IdentityKeyPemPath / IdentityCertPemPath. The
// key-exchange reference decrypts with that very key, and no adapter spends 0.4 s generating its
// own identity. Throws conform::Failure when the identity cannot be made.
class Rig {
 public:
  explicit Rig(conform::Driver driver);
  ~Rig();
  Rig(const Rig&) = delete;
  Rig& operator=(const Rig&) = delete;

  // An adapter opened with cpddi_open_adapter_with_options: the pinned identity, `threads`, and
  // `max_sessions` (0 = the driver's default).
  std::unique_ptr<conform::Adapter> open_adapter(BltThreads threads, UINT max_sessions = 0) const;
  // The identity's private key as a PEM file (PKCS#8), for the key-exchange reference.
  const std::string& key_pem_path() const { return key_path_; }

 private:
  conform::Driver driver_;
  std::string directory_;
  std::string key_path_;
  std::string cert_path_;
};

// ---- cpddi workloads (blt_workloads.cpp, session_workloads.cpp) ----

// What one blt workload or one stream works on (blt_workloads.cpp): a keyed session on `device`,
// a protected surface and a system-memory surface of `shape` (checked to be shape.bytes() long),
// the system one holding a fixed pattern — what the bytes are does not change the work, they
// only have to be the same every run. Destroyed in reverse: the surfaces before the session.
struct SessionSurfaces {
  SessionSurfaces(const conform::Device& device, const SurfaceShape& shape);
  std::unique_ptr<conform::Session> session;
  std::unique_ptr<conform::Surface> protected_surface;
  std::unique_ptr<conform::Surface> system_surface;
  std::size_t len;
};


// One iteration = the blt + pfnFlush. DecryptionBlt reads a system-memory surface of `shape`
// into a protected one under the session key, with the IV's high half bumped every iteration
// (the driver rejects a replayed IV); EncryptionBlt (kFull only) reads the protected surface back
// under the read-back key fetched once at setup.
WorkloadPtr make_blt(const Rig& rig, BltKind kind, const SurfaceShape& shape, Pattern pattern,
                     BltThreads threads);
// One player's stream on a device that other threads' streams share: a session of its own with
// its own surfaces of `shape`. An iteration is one frame: DecryptionBlt of the whole surface,
// then Lock + Unlock of its source surface, which waits for exactly that blt (Flush would wait
// for every session's work); every `refresh_every` frames (0: never) a key refresh round trip
// first. Several streams on one device may run on several threads at once, one thread each.
WorkloadPtr make_stream(const conform::Device& device, const SurfaceShape& shape,
                        unsigned refresh_every);

// StartSessionKeyRefresh + the application's XOR + FinishSessionKeyRefresh on a keyed session.
WorkloadPtr make_key_refresh(const Rig& rig);
// CryptoSessionKeyExchange of one 256-byte OAEP blob (the same blob every time: a second
// exchange on a keyed session re-keys it).
WorkloadPtr make_key_exchange(const Rig& rig);
// CreateCryptoSession + DestroyCryptoSession.
WorkloadPtr make_session_create_destroy(const Rig& rig);

// ---- Channel workloads (channel_workloads.cpp), on a channel keyed and INITIALIZEd at setup ----

// A client's query round trip: the next sequence number into the QUERY_PROTECTION input (no
// OMAC), QueryAuthenticatedChannel, then the output's OMAC verified under the channel key and its
// sequence number checked.
WorkloadPtr make_channel_query(const Rig& rig);
// A client's configure round trip: CONFIGURE_PROTECTION with the next number, signed,
// ConfigureAuthenticatedChannel, then CONFIGURE_OUTPUT's OMAC and sequence number checked.
WorkloadPtr make_channel_configure(const Rig& rig);
// The lengths of the AES-CMACs each round trip needs, application's and driver's together
// (spec §5.8): a query 2 (output signed, output verified), a configure 4 (input signed and
// verified, output signed and verified).
std::vector<std::size_t> channel_query_macs();
std::vector<std::size_t> channel_configure_macs();

// Heap in use per live session (glibc mallinfo2: uordblks + hblkhd), with `sessions` sessions on
// one device opened with MaxSessionsPerDevice = `sessions`: after creating them, and after
// key-exchanging each (the steady state of a real session).
struct SessionMemory {
  UINT sessions = 0;
  double bytes_per_created_session = 0;
  double bytes_per_keyed_session = 0;
};
SessionMemory measure_session_memory(const Rig& rig, UINT sessions);

// ---- References (references.cpp) ----

// EVP_MAC AES-128-CMAC, one full MAC per entry of `lengths` over that many bytes.
WorkloadPtr make_raw_aes_cmacs(std::vector<std::size_t> lengths);

// EVP_EncryptUpdate with EVP_aes_128_ctr over `len` bytes, out of place, one thread, a new IV
// every iteration (as every blt has).
WorkloadPtr make_evp_aes128_ctr(std::uint64_t len);
// memcpy of `len` bytes.
WorkloadPtr make_memcpy(std::uint64_t len);
// RAND_bytes of 16 bytes: what a refresh fundamentally costs.
WorkloadPtr make_rand_bytes16();
// EVP_PKEY_decrypt of a 256-byte RSA-2048 OAEP blob (SHA-512, MGF1-SHA-512, empty label) with
// the rig's identity key, context set up every iteration as a one-shot decryption does.
WorkloadPtr make_raw_oaep_decrypt(const Rig& rig);

}  // namespace cpddi::bench
