#pragma once

// How a conform case judges a driver's answer: Failure and Skipped, the expect/require helpers
// every case and the harness use, and HRESULT and byte formatting for their messages.

#include <array>
#include <cstdint>
#include <exception>
#include <span>
#include <string>
#include <utility>

#include "cpddi/cpddi.h"

namespace cpddi::conform {

// What a case throws when the driver answers wrong (Failure) or lacks what the case needs
// (Skipped). Both are std::exceptions with a readable what(), so a GoogleTest test that drives
// the harness reports them as its own failure without extra glue.
struct Failure : std::exception {
  Failure(std::string expected_text, std::string got_text);
  const char* what() const noexcept override { return message.c_str(); }
  std::string expected;
  std::string got;
  std::string message;  // "expected <expected>, got <got>"
  // Set by expect_hr when the wrong HRESULT is one the spec never allows (documented_hresult):
  // the case's verdict is then undocumented-hresult rather than fail.
  bool undocumented_hresult = false;
};
struct Skipped : std::exception {
  explicit Skipped(std::string why) : reason(std::move(why)) {}
  const char* what() const noexcept override { return reason.c_str(); }
  std::string reason;
};
// A Skipped for an argument form the front end's DDI cannot express (a D3D9 blt size on the
// D3D11.1 DDI, …): a table case may leave out that one row (unless_ddi_lacks) and judge the rest.
struct DdiLacksRow : Skipped {
  using Skipped::Skipped;
};

[[noreturn]] void fail(std::string expected, std::string got);
[[noreturn]] void skip(std::string reason);
// Runs one row of a table case; false when the front end threw DdiLacksRow for it.
template <class Row>
bool unless_ddi_lacks(Row&& row) {
  try {
    return row();
  } catch (const DdiLacksRow&) {
    return false;
  }
}
// "D3DDDIERR_INVALIDCALL (0x8876086C)".
std::string hr_text(HRESULT hr);
// Whether spec §2.2 lists `hr` as an answer of the DDI as a whole (either front end): S_OK,
// E_FAIL, E_INVALIDARG, E_OUTOFMEMORY and the D3DDDIERR_ codes WASSTILLDRAWING, NOTAVAILABLE,
// INVALIDCALL, DEVICEREMOVED, UNSUPPORTEDCRYPTO, OUTOFHWPROTECTEDMEMORY. Not: E_NOTIMPL ("never
// a valid answer"), D3DERR_CANNOTPROTECTCONTENT (API level only), DXGI_DDI_ERR_UNSUPPORTED, or
// any other value.
bool documented_hresult(HRESULT hr);
// Fails unless got == want: expected "<what> → <want>", got "<got>". A `got` that is not
// documented_hresult throws a Failure marked undocumented_hresult.
void expect_hr(HRESULT got, HRESULT want, const std::string& what);
void require(bool condition, std::string expected, std::string got);
// Fails when a function-table entry is null; returns it otherwise.
template <class Fn>
Fn need(Fn fn, const char* name) {
  if (fn == nullptr) {
    fail(std::string(name) + " in the function table", "null");
  }
  return fn;
}

// Fails unless every bit position of the 16-byte `samples` is 1 within 6σ of half the time
// (σ = sqrt(n)/2): a CSPRNG misses that with probability about 2·10⁻⁹ per bit, a counter, a
// timestamp or a constant half cannot meet it. `what` names the samples ("Start's number").
void require_bits_balanced(std::span<const std::array<std::uint8_t, 16>> samples,
                           const std::string& what);

std::string hex(std::span<const std::uint8_t> bytes);
// First differing offset of two byte strings, for messages.
std::string first_difference(std::span<const std::uint8_t> got, std::span<const std::uint8_t> want);

}  // namespace cpddi::conform
