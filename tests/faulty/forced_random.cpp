// This module's cpddi::crypto::random_bytes. The linker takes it instead of the one in
// libcpddi_crypto.a: an archive member is pulled in only for a symbol still undefined, and
// nothing in the driver references the other symbol of random.o (the test seam
// fail_random_after), so src/crypto/random.cpp never enters the module — a duplicate-symbol
// error at link time would say so otherwise. Without a ForcedRandom alive it behaves as the
// real one: OpenSSL's CSPRNG, an error (never a zero buffer) on failure.
#include "forced_random.h"

#include <algorithm>
#include <climits>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include <openssl/rand.h>

#include "crypto/random.h"

namespace faulty {
namespace {
// The forced bytes per thread. Deliberately not a thread_local: in a dlopen'd module that is
// dynamic TLS, reached through __tls_get_addr, and the sanitizer runtimes Debian 12 ships
// (LLVM 14, GCC 12) intercept that call and may misread a freshly malloc'd TLS block as an old
// glibc layout — LeakSanitizer's tracer then dies at exit ("Tracer caught signal 11") after
// every test passed. A locked map keyed by thread keeps the per-thread meaning without TLS.
std::mutex g_forced_mutex;
std::map<std::thread::id, std::vector<std::uint8_t>> g_forced;

void force(std::span<const std::uint8_t> bytes) {
  const std::lock_guard lock(g_forced_mutex);
  g_forced[std::this_thread::get_id()].assign(bytes.begin(), bytes.end());
}

// The bytes forced on this thread for a request of `size`, consumed; nullopt if none.
std::optional<std::vector<std::uint8_t>> take_forced(std::size_t size) {
  const std::lock_guard lock(g_forced_mutex);
  const auto it = g_forced.find(std::this_thread::get_id());
  if (it == g_forced.end() || it->second.size() != size) {
    return std::nullopt;
  }
  std::vector<std::uint8_t> bytes = std::move(it->second);
  g_forced.erase(it);
  return bytes;
}
}  // namespace

ForcedRandom::ForcedRandom(const std::array<std::uint8_t, 16>& bytes) { force(bytes); }
ForcedRandom::ForcedRandom(const std::array<std::uint8_t, 8>& bytes) { force(bytes); }
ForcedRandom::~ForcedRandom() {
  const std::lock_guard lock(g_forced_mutex);
  g_forced.erase(std::this_thread::get_id());
}

std::array<std::uint8_t, 16> fixed_sequence(std::uint64_t n) {
  std::array<std::uint8_t, 16> bytes{};
  bytes.fill(0xC3);
  const std::uint64_t value = (n + 1) * 0x9E3779B97F4A7C15ull;  // odd: distinct for every n
  for (std::size_t i = 0; i < 8; ++i) {
    bytes[8 + i] = static_cast<std::uint8_t>(value >> (56 - 8 * i));
  }
  return bytes;
}

HRESULT encryption_blt_with_first_iv(
    StateMap<bool>& started, HANDLE hDevice, const D3DDDIARG_ENCRYPTIONBLT* pData,
    const std::function<std::optional<std::array<std::uint8_t, 8>>()>& first_iv) {
  if (pData == nullptr || started.with([&](auto& map) { return map[pData->hCryptoSession]; })) {
    return real().pfnEncryptionBlt(hDevice, pData);
  }
  HRESULT hr = S_OK;
  if (const std::optional<std::array<std::uint8_t, 8>> chosen = first_iv()) {
    ForcedRandom forced(*chosen);
    hr = real().pfnEncryptionBlt(hDevice, pData);
  } else {
    hr = real().pfnEncryptionBlt(hDevice, pData);
  }
  if (hr == S_OK) {
    started.with([&](auto& map) { map[pData->hCryptoSession] = true; });
  }
  return hr;
}

std::array<std::uint8_t, 16> counter_bytes(std::uint64_t value) {
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < 8; ++i) {
    bytes[8 + i] = static_cast<std::uint8_t>(value >> (56 - 8 * i));
  }
  return bytes;
}

}  // namespace faulty

namespace cpddi::crypto {

Result<void> random_bytes(std::span<std::uint8_t> out) {
  if (const std::optional<std::vector<std::uint8_t>> forced = faulty::take_forced(out.size())) {
    std::copy(forced->begin(), forced->end(), out.begin());
    return {};
  }
  if (out.size() > static_cast<std::size_t>(INT_MAX)) {
    return Error{Errc::kInvalidArgument, "random request too large"};
  }
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    return Error{Errc::kInternal, "RAND_bytes failed"};
  }
  return {};
}

}  // namespace cpddi::crypto
