#pragma once

// A process-wide hook on freed memory, for proving that secrets die wiped. This binary replaces
// the global operator new/delete (every variant) and installs an allocator into OpenSSL with
// CRYPTO_set_mem_functions before any OpenSSL use. Every block handed out is zeroed over its
// whole usable size, so bytes found in it later were written during its life. While a scan is
// armed, freed blocks are kept (quarantined) instead of released; finish() then searches each
// kept block (malloc_usable_size bytes) for every registered secret, releases them, and returns
// what it found. Keeping the blocks means secrets learnt late (a refresh number returned by the
// driver) are still searched for in blocks freed before they were known.
//
// Not thread-safe to arm/finish concurrently; frees from any thread are recorded.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace cpddi::hygiene {

struct Finding {
  std::string secret;  // the registered name
  std::size_t block_size;
  bool openssl;        // freed through OpenSSL's allocator (else operator delete)
  std::string where;   // OpenSSL's file:line, or the symbol that called operator delete
};

// True if CRYPTO_set_mem_functions accepted the hook (it must run before OpenSSL allocates).
bool openssl_hook_installed();
// Number of frees that went through the OpenSSL hook so far.
std::size_t openssl_frees();

class FreedMemoryScan {
 public:
  // Arms the quarantine. Only one scan may be armed at a time.
  FreedMemoryScan();
  // Releases anything still kept (without reporting) if finish() was not called.
  ~FreedMemoryScan();
  FreedMemoryScan(const FreedMemoryScan&) = delete;
  FreedMemoryScan& operator=(const FreedMemoryScan&) = delete;

  // Registers bytes to look for (copied into fixed storage that is never freed while armed);
  // `name` is for messages. Up to 64 secrets of up to 512 bytes.
  void add_secret(const std::string& name, std::span<const std::uint8_t> bytes);
  // Disarms, searches every kept block for every secret, releases the blocks.
  std::vector<Finding> finish();
  // Blocks kept so far (and whether the fixed quarantine overflowed — then finish() reports it).
  std::size_t kept_blocks() const;
};

std::string describe(const std::vector<Finding>& findings);

}  // namespace cpddi::hygiene
