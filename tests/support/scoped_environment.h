#pragma once

// Environment variables changed for one test and restored afterwards (the tests run one case per
// process, single-threaded, so setenv/unsetenv are safe here).

#include <cstdlib>
#include <string>
#include <vector>

namespace cpddi::testing {

class ScopedEnvironment {
 public:
  ScopedEnvironment() = default;
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

  void set(const char* name, const std::string& value) {
    save(name);
    ::setenv(name, value.c_str(), 1);
  }
  void unset(const char* name) {
    save(name);
    ::unsetenv(name);
  }

  ~ScopedEnvironment() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->had_value) {
        ::setenv(it->name, it->value.c_str(), 1);
      } else {
        ::unsetenv(it->name);
      }
    }
  }

 private:
  struct Saved {
    const char* name;
    bool had_value;
    std::string value;
  };
  void save(const char* name) {
    const char* old = std::getenv(name);
    saved_.push_back({name, old != nullptr, old != nullptr ? old : ""});
  }
  std::vector<Saved> saved_;
};

// While alive, adapters opened without identity options make cpddi's default, generated identity
// even when the test run pins one (tests/support/data/README.md).
class ScopedGeneratedIdentity {
 public:
  ScopedGeneratedIdentity() {
    env_.unset("CPDDI_IDENTITY_KEY");
    env_.unset("CPDDI_IDENTITY_CERT");
  }

 private:
  ScopedEnvironment env_;
};

}  // namespace cpddi::testing
