#include "base/log.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "cpddi/cpddi_log.h"

namespace cpddi::logging {
namespace {

Level level_from_environment() {
  const char* value = std::getenv("CPDDI_LOG_LEVEL");
  if (value == nullptr) {
    return Level::kWarn;
  }
  static constexpr const char* kNames[] = {"none", "error", "warn", "info", "debug", "trace"};
  for (int i = 0; i < 6; ++i) {
    if (std::strcmp(value, kNames[i]) == 0) {
      return static_cast<Level>(i);
    }
  }
  return Level::kWarn;
}

std::atomic<int>& current_level() {
  static std::atomic<int> level{static_cast<int>(level_from_environment())};
  return level;
}

struct Sink {
  std::mutex mutex;
  CPDDI_LOG_CALLBACK callback = nullptr;
  void* user = nullptr;
};

Sink& sink() {
  static Sink s;
  return s;
}

}  // namespace

bool enabled(Level level) {
  return level != Level::kNone && static_cast<int>(level) <= current_level().load();
}

void write(Level level, const std::string& line) {
  Sink& s = sink();
  std::lock_guard lock(s.mutex);
  if (s.callback != nullptr) {
    s.callback(static_cast<CPDDI_LOG_LEVEL>(level), line.c_str(), s.user);
    return;
  }
  static constexpr const char* kTags[] = {"", "error", "warn", "info", "debug", "trace"};
  std::fprintf(stderr, "cpddi %s: %s\n", kTags[static_cast<int>(level)], line.c_str());
}

void set_callback(CPDDI_LOG_CALLBACK callback, void* user) {
  Sink& s = sink();
  std::lock_guard lock(s.mutex);
  s.callback = callback;
  s.user = user;
}

void set_level(Level level) { current_level().store(static_cast<int>(level)); }

}  // namespace cpddi::logging

