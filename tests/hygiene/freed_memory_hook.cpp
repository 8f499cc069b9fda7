#include "hygiene/freed_memory_hook.h"

#include <dlfcn.h>
#include <malloc.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>

#include <openssl/crypto.h>

namespace cpddi::hygiene {
namespace {

struct Kept {
  void* block;
  bool openssl;
  const char* file;  // OpenSSL's, or null
  int line;
  void* caller;      // operator delete's caller, or null
};

constexpr std::size_t kCapacity = std::size_t{1} << 18;
constexpr std::size_t kMaxSecrets = 64;
constexpr std::size_t kMaxSecretLen = 512;

struct Secret {
  char name[64];
  std::uint8_t bytes[kMaxSecretLen];
  std::size_t len;
};

// Fixed storage: nothing here allocates, so the hook never recurses into itself.
Kept g_kept[kCapacity];
std::size_t g_num_kept = 0;
bool g_overflow = false;
Secret g_secrets[kMaxSecrets];
std::size_t g_num_secrets = 0;
std::atomic<bool> g_armed{false};
std::mutex g_mutex;
std::atomic<std::size_t> g_openssl_frees{0};
int g_openssl_hook = 0;

void* zeroed(void* p) {
  if (p != nullptr) {
    std::memset(p, 0, malloc_usable_size(p));
  }
  return p;
}

void release(void* p, bool openssl, const char* file, int line, void* caller) {
  if (p == nullptr) {
    return;
  }
  if (g_armed.load()) {
    std::lock_guard lock(g_mutex);
    if (g_armed.load()) {
      if (g_num_kept < kCapacity) {
        g_kept[g_num_kept++] = Kept{p, openssl, file, line, caller};
        return;
      }
      g_overflow = true;
    }
  }
  std::free(p);
}

void* ossl_malloc(std::size_t n, const char*, int) { return zeroed(std::malloc(n == 0 ? 1 : n)); }

void ossl_free(void* p, const char* file, int line) {
  g_openssl_frees.fetch_add(1);
  release(p, true, file, line, nullptr);
}

void* ossl_realloc(void* p, std::size_t n, const char* file, int line) {
  if (p == nullptr) {
    return ossl_malloc(n, file, line);
  }
  if (n == 0) {
    ossl_free(p, file, line);
    return nullptr;
  }
  // Move by hand so the old block goes through release() like any other free.
  void* fresh = ossl_malloc(n, file, line);
  if (fresh == nullptr) {
    return nullptr;
  }
  const std::size_t old_len = malloc_usable_size(p);
  std::memcpy(fresh, p, old_len < n ? old_len : n);
  ossl_free(p, file, line);
  return fresh;
}

// Runs before the C++ static initialisers of this binary and before main(): OpenSSL accepts a
// new allocator only before its first allocation.
__attribute__((constructor(101))) void install_openssl_hook() {
  g_openssl_hook = CRYPTO_set_mem_functions(&ossl_malloc, &ossl_realloc, &ossl_free);
}

void* allocate(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) {
    throw std::bad_alloc();
  }
  return zeroed(p);
}

void* allocate_aligned(std::size_t n, std::align_val_t alignment) {
  const auto a = static_cast<std::size_t>(alignment);
  const std::size_t rounded = (n == 0 ? a : (n + a - 1) / a * a);
  void* p = std::aligned_alloc(a, rounded);
  if (p == nullptr) {
    throw std::bad_alloc();
  }
  return zeroed(p);
}

bool contains(const std::uint8_t* block, std::size_t len, const Secret& secret) {
  return len >= secret.len && memmem(block, len, secret.bytes, secret.len) != nullptr;
}

std::string caller_name(void* caller) {
  Dl_info info{};
  if (caller != nullptr && dladdr(caller, &info) != 0 && info.dli_sname != nullptr) {
    return info.dli_sname;
  }
  return "operator delete";
}

}  // namespace

bool openssl_hook_installed() { return g_openssl_hook == 1; }
std::size_t openssl_frees() { return g_openssl_frees.load(); }

FreedMemoryScan::FreedMemoryScan() {
  std::lock_guard lock(g_mutex);
  g_num_kept = 0;
  g_overflow = false;
  g_num_secrets = 0;
  g_armed.store(true);
}

FreedMemoryScan::~FreedMemoryScan() {
  if (g_armed.load()) {
    finish();
  }
}

void FreedMemoryScan::add_secret(const std::string& name, std::span<const std::uint8_t> bytes) {
  std::lock_guard lock(g_mutex);
  if (g_num_secrets == kMaxSecrets || bytes.size() > kMaxSecretLen || bytes.empty()) {
    std::abort();  // a test bug: make it loud
  }
  Secret& s = g_secrets[g_num_secrets++];
  std::snprintf(s.name, sizeof s.name, "%s", name.c_str());
  std::memcpy(s.bytes, bytes.data(), bytes.size());
  s.len = bytes.size();
}

std::size_t FreedMemoryScan::kept_blocks() const {
  std::lock_guard lock(g_mutex);
  return g_num_kept;
}

std::vector<Finding> FreedMemoryScan::finish() {
  std::size_t num_kept = 0;
  bool overflow = false;
  {
    std::lock_guard lock(g_mutex);
    g_armed.store(false);
    num_kept = g_num_kept;
    overflow = g_overflow;
  }
  std::vector<Finding> findings;
  if (overflow) {
    findings.push_back(Finding{"(quarantine overflow: some freed blocks were not searched)", 0,
                               false, ""});
  }
  for (std::size_t i = 0; i < num_kept; ++i) {
    const Kept& kept = g_kept[i];
    const auto* block = static_cast<const std::uint8_t*>(kept.block);
    const std::size_t len = malloc_usable_size(kept.block);
    for (std::size_t s = 0; s < g_num_secrets; ++s) {
      if (contains(block, len, g_secrets[s])) {
        std::string where = kept.openssl ? std::string(kept.file != nullptr ? kept.file : "?") +
                                               ":" + std::to_string(kept.line)
                                         : caller_name(kept.caller);
        findings.push_back(Finding{g_secrets[s].name, len, kept.openssl, std::move(where)});
      }
    }
    // Our own copy of what was found must not outlive the scan either.
    OPENSSL_cleanse(kept.block, len);
    std::free(kept.block);
  }
  for (std::size_t s = 0; s < g_num_secrets; ++s) {
    OPENSSL_cleanse(g_secrets[s].bytes, sizeof g_secrets[s].bytes);
  }
  g_num_secrets = 0;
  g_num_kept = 0;
  return findings;
}

std::string describe(const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings) {
    out += "  " + f.secret + " in a freed " + std::to_string(f.block_size) + "-byte block (" +
           (f.openssl ? "OPENSSL_free at " : "operator delete from ") + f.where + ")\n";
  }
  return out;
}

}  // namespace cpddi::hygiene

// ---- The replaced global allocation functions (all variants) ----

void* operator new(std::size_t n) { return cpddi::hygiene::allocate(n); }
void* operator new[](std::size_t n) { return cpddi::hygiene::allocate(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return cpddi::hygiene::allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return operator new(n, std::nothrow);
}
void* operator new(std::size_t n, std::align_val_t a) {
  return cpddi::hygiene::allocate_aligned(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return cpddi::hygiene::allocate_aligned(n, a);
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  try {
    return cpddi::hygiene::allocate_aligned(n, a);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return operator new(n, a, std::nothrow);
}

#define CPDDI_RELEASE(p) \
  cpddi::hygiene::release(p, false, nullptr, 0, __builtin_return_address(0))

void operator delete(void* p) noexcept { CPDDI_RELEASE(p); }
void operator delete[](void* p) noexcept { CPDDI_RELEASE(p); }
void operator delete(void* p, std::size_t) noexcept { CPDDI_RELEASE(p); }
void operator delete[](void* p, std::size_t) noexcept { CPDDI_RELEASE(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { CPDDI_RELEASE(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { CPDDI_RELEASE(p); }
void operator delete(void* p, std::align_val_t) noexcept { CPDDI_RELEASE(p); }
void operator delete[](void* p, std::align_val_t) noexcept { CPDDI_RELEASE(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { CPDDI_RELEASE(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { CPDDI_RELEASE(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  CPDDI_RELEASE(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  CPDDI_RELEASE(p);
}
