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
// run_isolated runs each case in a child process with a time limit, so a driver that crashes or
// hangs gets a verdict for that case (crashed, hung) and the run goes on.

#include <cstddef>
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

// kFail: a documented HRESULT but the wrong one, or any other wrong answer.
// kUndocumentedHresult: the driver returned an HRESULT the spec never allows (check.h,
//   documented_hresult). kCrashed / kHung: only from run_isolated (the case's process died, or
//   sent no verdict within the time limit). All four count as failures of the run.
enum class Outcome { kPass, kFail, kSkip, kUndocumentedHresult, kCrashed, kHung };

struct Verdict {
  Outcome outcome = Outcome::kPass;
  std::string expected;  // kFail, kUndocumentedHresult
  std::string got;       // kFail, kUndocumentedHresult
  // kSkip: why. kCrashed: the signal ("SIGSEGV") or "exit status N". kHung: the limit ("2 s").
  std::string reason;
  std::string output;  // kCrashed, kHung: the end of what the case's process wrote to stderr
};

Verdict pass();
Verdict failed(std::string expected, std::string got);
Verdict skipped(std::string reason);
Verdict undocumented_hresult(std::string expected, std::string got);
Verdict crashed(std::string cause, std::string output);
Verdict hung(std::string limit, std::string output);
// "pass", "fail", "skip", "undocumented-hresult", "crashed", "hung".
const char* outcome_name(Outcome outcome);
// Whether the outcome makes the run fail (everything but pass and skip).
bool is_failure(Outcome outcome);
// The RESULT column: the outcome name, with the cause for kCrashed / kHung
// ("crashed (SIGSEGV)", "hung (60 s)").
std::string verdict_label(const Verdict& verdict);
// One line: "expected … , got …", the skip reason, or the crash/hang cause with its output.
std::string verdict_detail(const Verdict& verdict);

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
  int undocumented_hresult = 0;
  int crashed = 0;
  int hung = 0;
  // Every outcome that fails the run.
  int failures() const { return failed + undocumented_hresult + crashed + hung; }
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

  // Never throws: anything a case throws becomes its failure. In this process: a case that
  // crashes or hangs takes the caller with it (run_isolated does not).
  Verdict run(const Case& test_case);
  // run, with the time it took.
  CaseResult timed_run(const Case& test_case);
  std::vector<CaseResult> run_all(std::string_view filter = {});

 private:
  std::unique_ptr<Env> env_;
};

// Every case matching `filter`, in report order.
std::vector<const Case*> select_cases(std::string_view filter = {});

struct IsolationOptions {
  // A case that sends no verdict within this many seconds is hung; its process group is killed.
  double timeout_seconds = 60;
  // At most this many cases per child process (0 = no limit): 1 gives every case a fresh
  // process, at the cost of opening the driver's adapter again for each.
  std::size_t cases_per_process = 0;
};

// Runs `cases` in child processes (fork; this process never calls into the driver, so it stays
// single-threaded and safe to fork). A child runs the cases in order, each on a Runner of its
// own, and sends each verdict over a pipe; when a child dies (crashed, with its signal) or
// sends no verdict within the limit (hung; SIGKILL to its whole process group), that case gets
// the verdict and a new child goes on with the next case. What a child writes to stderr is
// passed on to this process's stderr; its tail becomes the crashed/hung verdict's output.
// Call it with no other thread running. Never throws for a driver's misbehaviour.
std::vector<CaseResult> run_isolated(const Driver& driver, std::span<const Case* const> cases,
                                     const IsolationOptions& options);

}  // namespace cpddi::conform
