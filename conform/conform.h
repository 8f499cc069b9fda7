#pragma once

// cpddi::conform — the conformance cases any D3D9 content-protection driver can be held to.
//
// The driver is reached through its C ABI only, by a front end (conform/driver_api.h): for D3D9
// an OpenAdapter function pointer (and, when the driver has one, cpddi_open_adapter_with_options,
// used to switch a cap off). The application's
// half of every exchange (certificate parsing, RSAES-OAEP, AES-128-CTR, key wrapping, the
// refresh XOR) is computed by cpddi's crypto component. No GoogleTest: `cpddi conform` and the
// CTest suite (tests/conformance/conform_cases_test.cpp) run the very same cases.
//
// A case is {id, rule, spec section, body}; its body returns pass, fail {expected, got} or
// skip {reason}. A failing driver call is a failure of that case, never an abort of the run.

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cpddi/cpddi.h"

namespace cpddi::conform {

using OpenWithOptionsFn = HRESULT (*)(D3DDDIARG_OPENADAPTER*, const CPDDI_ADAPTER_OPTIONS*);

class FrontEnd;  // how the driver is opened and called (driver_api.h)

// The driver under test: the front end that reaches it (conform/driver_api.h), shared by every
// adapter a run opens.
struct Driver {
  explicit Driver(std::shared_ptr<const FrontEnd> driver_front_end)
      : front_end(std::move(driver_front_end)) {}
  // Shorthand for a D3D9 driver (d3d9_front_end.h): its OpenAdapter and, optionally, its
  // cpddi_open_adapter_with_options.
  Driver(PFND3DDDI_OPENADAPTER open_adapter, OpenWithOptionsFn open_with_options = nullptr);

  // Whether adapters can be opened with CPDDI_ADAPTER_OPTIONS (to switch a cap off).
  bool can_open_with_options() const;
  // Whether the calls take argument structs a case can pass as null (FrontEnd).
  bool has_argument_structs() const;

  std::shared_ptr<const FrontEnd> front_end;
};

enum class Outcome { kPass, kFail, kSkip };

struct Verdict {
  Outcome outcome = Outcome::kPass;
  std::string expected;  // kFail
  std::string got;       // kFail
  std::string reason;    // kSkip
};

Verdict pass();
Verdict failed(std::string expected, std::string got);
Verdict skipped(std::string reason);
const char* outcome_name(Outcome outcome);  // "pass", "fail", "skip"

class Env;  // per-run state the cases share (harness.h)

struct Case {
  const char* id;       // <group>.<rule>, lowercase with dashes
  const char* rule;     // one line
  const char* section;  // spec section, e.g. "§4.9, A3"
  Verdict (*body)(Env& env);
};

// Every registered case, in report order.
std::span<const Case> all_cases();
const Case* find_case(std::string_view id);

// `filter` empty = everything; with '*' or '?' a glob over the whole id; otherwise a substring.
bool matches_filter(std::string_view filter, std::string_view id);

struct CaseResult {
  const Case* test_case;
  Verdict verdict;
  double seconds;
};

struct Summary {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
};
Summary summarize(std::span<const CaseResult> results);

// Runs cases against one driver. One adapter and device are opened on first use and shared by
// the cases (each case makes its own sessions and surfaces); cases that need more open more.
class Runner {
 public:
  explicit Runner(Driver driver);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Never throws: anything a case throws becomes its failure.
  Verdict run(const Case& test_case);
  std::vector<CaseResult> run_all(std::string_view filter = {});

 private:
  std::unique_ptr<Env> env_;
};

}  // namespace cpddi::conform
