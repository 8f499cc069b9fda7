// Logging (CONVENTIONS §6): one line per call, starting with where it comes from. Level from
// CPDDI_LOG_LEVEL (default warn) or cpddi_set_log_level; sink is stderr or the host's callback.
// Never pass key bytes, random numbers or plaintext: lines name handles, sizes and codes only.
// Thread-safe.
#pragma once

#include <sstream>
#include <string>

#include "cpddi/cpddi_log.h"

namespace cpddi::logging {

enum class Level : int { kNone = 0, kError, kWarn, kInfo, kDebug, kTrace };

bool enabled(Level level);
void set_level(Level level);
// Routes lines to `callback` (null = stderr); see cpddi_set_log_callback.
void set_callback(CPDDI_LOG_CALLBACK callback, void* user);
void write(Level level, const std::string& line);

template <class... Parts>
void emit(Level level, const Parts&... parts) {
  if (!enabled(level)) {
    return;
  }
  std::ostringstream line;
  (line << ... << parts);
  write(level, line.str());
}

template <class... Parts> void error(const Parts&... p) { emit(Level::kError, p...); }
template <class... Parts> void warn(const Parts&... p) { emit(Level::kWarn, p...); }
template <class... Parts> void info(const Parts&... p) { emit(Level::kInfo, p...); }
template <class... Parts> void debug(const Parts&... p) { emit(Level::kDebug, p...); }
template <class... Parts> void trace(const Parts&... p) { emit(Level::kTrace, p...); }

}  // namespace cpddi::logging
