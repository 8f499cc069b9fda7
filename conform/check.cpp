#include "conform/check.h"

#include <cmath>
#include <cstdio>
#include <utility>

#include "ddi/hresult_names.h"

namespace cpddi::conform {

Failure::Failure(std::string expected_text, std::string got_text)
    : expected(std::move(expected_text)),
      got(std::move(got_text)),
      message("expected " + expected + ", got " + got) {}

void fail(std::string expected, std::string got) {
  throw Failure(std::move(expected), std::move(got));
}

void skip(std::string reason) { throw Skipped(std::move(reason)); }

std::string hr_text(HRESULT hr) {
  char hex_value[16];
  std::snprintf(hex_value, sizeof hex_value, "0x%08X", static_cast<unsigned>(hr));
  const char* name = ddi::known_hresult_name(hr);
  return name != nullptr ? std::string(name) : std::string(hex_value);
}

bool documented_hresult(HRESULT hr) {
  switch (hr) {
    case S_OK:
    case E_FAIL:
    case E_INVALIDARG:
    case E_OUTOFMEMORY:
    case D3DDDIERR_WASSTILLDRAWING:
    case D3DDDIERR_NOTAVAILABLE:
    case D3DDDIERR_INVALIDCALL:
    case D3DDDIERR_DEVICEREMOVED:
    case D3DDDIERR_UNSUPPORTEDCRYPTO:
    case D3DDDIERR_OUTOFHWPROTECTEDMEMORY: return true;
    default: return false;
  }
}

void expect_hr(HRESULT got, HRESULT want, const std::string& what) {
  if (got != want) {
    Failure failure(what + " → " + hr_text(want), hr_text(got));
    failure.undocumented_hresult = !documented_hresult(got);
    throw failure;
  }
}

void require(bool condition, std::string expected, std::string got) {
  if (!condition) {
    fail(std::move(expected), std::move(got));
  }
}

void require_bits_balanced(std::span<const std::array<std::uint8_t, 16>> samples,
                           const std::string& what) {
  const double n = static_cast<double>(samples.size());
  const auto spread = static_cast<std::size_t>(6 * std::sqrt(n) / 2);
  const std::size_t low = samples.size() / 2 - spread;
  const std::size_t high = samples.size() / 2 + spread;
  for (std::size_t bit = 0; bit < 128; ++bit) {
    std::size_t ones = 0;
    for (const auto& sample : samples) {
      ones += (sample[bit / 8] >> (7 - bit % 8)) & 1;
    }
    require(ones >= low && ones <= high,
            "every bit of " + what + " 1 in " + std::to_string(low) + "–" + std::to_string(high) +
                " of " + std::to_string(samples.size()) + " (random bytes)",
            "byte " + std::to_string(bit / 8) + " bit " + std::to_string(7 - bit % 8) +
                " was 1 in " + std::to_string(ones));
  }
}

std::string hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::string first_difference(std::span<const std::uint8_t> got,
                             std::span<const std::uint8_t> want) {
  if (got.size() != want.size()) {
    return std::to_string(got.size()) + " bytes instead of " + std::to_string(want.size());
  }
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (got[i] != want[i]) {
      return "bytes differing from offset " + std::to_string(i);
    }
  }
  return "the same bytes";
}

}  // namespace cpddi::conform
