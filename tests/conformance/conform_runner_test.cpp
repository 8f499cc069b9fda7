// The conform runner's verdicts, from fake cases that never reach a driver: crashed (with the
// signal or exit status), hung (at a short limit), undocumented-hresult vs fail, and verdicts
// carried whole from the child processes of run_isolated. Its own binary: run_isolated forks, and
// this process runs no driver (hence no driver threads) before it does.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "conform/check.h"
#include "conform/conform.h"

namespace cpddi::conform {
namespace {

// No case below opens an adapter; a driver that cannot be opened makes sure of it.
HRESULT APIENTRY unopenable(D3DDDIARG_OPENADAPTER*) { return E_OUTOFMEMORY; }
const Driver kNoDriver{&unopenable, nullptr};

Verdict passes(Env&) { return pass(); }

Verdict segfaults(Env&) {
  std::fputs("about to crash\n", stderr);
  std::fflush(stderr);
  ::raise(SIGSEGV);
  return pass();
}

Verdict aborts(Env&) {
  std::abort();
}

Verdict exits_without_verdict(Env&) { std::_Exit(7); }

Verdict never_returns(Env&) {
  std::fputs("waiting forever\n", stderr);
  std::fflush(stderr);
  for (;;) {
    ::pause();
  }
}

// A case whose process and that process's own child both never return (the child inherits
// whatever descriptors the case's process holds).
Verdict hangs_with_a_child(Env& env) {
  ::fork();
  return never_returns(env);
}

Verdict returns_undocumented_code(Env&) {
  expect_hr(static_cast<HRESULT>(0x8000FFFF), E_INVALIDARG, "DestroyCryptoSession");
  return pass();
}

Verdict returns_wrong_documented_code(Env&) {
  expect_hr(D3DDDIERR_INVALIDCALL, E_INVALIDARG, "DestroyCryptoSession");
  return pass();
}

// Reports its process id as a skip reason, to see which cases shared a process.
Verdict skips_with_pid(Env&) { return skipped(std::to_string(::getpid())); }

// A long failure message: longer than a pipe holds at once.
Verdict fails_at_length(Env&) { return failed(std::string(200000, 'e'), "got"); }

const Case kPasses{"fake.passes", "passes", "§0", passes};
const Case kSegfaults{"fake.segfaults", "raises SIGSEGV", "§0", segfaults};
const Case kAborts{"fake.aborts", "aborts", "§0", aborts};
const Case kExits{"fake.exits", "exits with status 7", "§0", exits_without_verdict};
const Case kNeverReturns{"fake.never-returns", "never returns", "§0", never_returns};
const Case kHangsWithChild{"fake.hangs-with-child", "never returns, nor its child", "§0",
                           hangs_with_a_child};
const Case kUndocumented{"fake.undocumented", "0x8000FFFF", "§2.2", returns_undocumented_code};
const Case kWrongCode{"fake.wrong-code", "INVALIDCALL for INVALIDARG", "§2.2",
                      returns_wrong_documented_code};
const Case kSkipsWithPid{"fake.pid", "skips with its pid", "§0", skips_with_pid};
const Case kLongFailure{"fake.long-failure", "fails with a long message", "§0", fails_at_length};

std::vector<CaseResult> run(std::vector<const Case*> cases, IsolationOptions options = {}) {
  std::vector<CaseResult> results = run_isolated(kNoDriver, cases, options);
  EXPECT_EQ(results.size(), cases.size()) << "every case gets a verdict";
  for (std::size_t i = 0; i < std::min(results.size(), cases.size()); ++i) {
    EXPECT_EQ(results[i].test_case, cases[i]) << "in order";
  }
  return results;
}

TEST(ConformIsolationTest, CrashIsAVerdictWithItsSignalAndTheRunGoesOn) {
  const std::vector<CaseResult> r = run({&kPasses, &kSegfaults, &kPasses, &kAborts, &kPasses});
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].verdict.outcome, Outcome::kPass);
  EXPECT_EQ(r[1].verdict.outcome, Outcome::kCrashed);
  EXPECT_EQ(verdict_label(r[1].verdict), "crashed (SIGSEGV)");
  EXPECT_NE(r[1].verdict.output.find("about to crash"), std::string::npos) << r[1].verdict.output;
  EXPECT_EQ(r[2].verdict.outcome, Outcome::kPass);
  EXPECT_EQ(verdict_label(r[3].verdict), "crashed (SIGABRT)");
  EXPECT_EQ(r[4].verdict.outcome, Outcome::kPass);
  const Summary s = summarize(r);
  EXPECT_EQ(s.crashed, 2);
  EXPECT_EQ(s.failures(), 2);
}

TEST(ConformIsolationTest, ExitWithoutAVerdictIsACrashWithItsStatus) {
  const std::vector<CaseResult> r = run({&kExits, &kPasses});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(verdict_label(r[0].verdict), "crashed (exit status 7)");
  EXPECT_EQ(r[1].verdict.outcome, Outcome::kPass);
}

TEST(ConformIsolationTest, HangIsKilledAtTheLimitWithItsProcessGroup) {
  // Every process of the run inherits the write end of this pipe.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::vector<CaseResult> r =
      run({&kHangsWithChild, &kNeverReturns, &kPasses}, IsolationOptions{0.3, 0});
  ::close(fds[1]);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(verdict_label(r[0].verdict), "hung (0.3 s)");
  EXPECT_EQ(verdict_label(r[1].verdict), "hung (0.3 s)");
  EXPECT_EQ(r[1].verdict.output, "waiting forever");
  EXPECT_EQ(r[2].verdict.outcome, Outcome::kPass);
  EXPECT_EQ(summarize(r).hung, 2);
  // End of file only once no process holds the write end: the case's child was killed too (were
  // it not, this read would block until the test is timed out).
  char byte = 0;
  EXPECT_EQ(::read(fds[0], &byte, 1), 0);
  ::close(fds[0]);
}

TEST(ConformIsolationTest, UndocumentedHresultIsItsOwnVerdictAndAWrongDocumentedOneAFailure) {
  const std::vector<CaseResult> r = run({&kUndocumented, &kWrongCode});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].verdict.outcome, Outcome::kUndocumentedHresult);
  EXPECT_EQ(r[0].verdict.got, "0x8000FFFF");
  EXPECT_EQ(r[0].verdict.expected, "DestroyCryptoSession → E_INVALIDARG");
  EXPECT_EQ(r[1].verdict.outcome, Outcome::kFail);
  EXPECT_EQ(r[1].verdict.got, "D3DDDIERR_INVALIDCALL");
  // The same in-process.
  Runner runner(kNoDriver);
  EXPECT_EQ(runner.run(kUndocumented).outcome, Outcome::kUndocumentedHresult);
  EXPECT_EQ(runner.run(kWrongCode).outcome, Outcome::kFail);
}

TEST(ConformIsolationTest, DocumentedHresultsAreSection2Point2s) {
  for (HRESULT hr : {S_OK, E_FAIL, E_INVALIDARG, E_OUTOFMEMORY, D3DDDIERR_WASSTILLDRAWING,
                     D3DDDIERR_NOTAVAILABLE, D3DDDIERR_INVALIDCALL, D3DDDIERR_DEVICEREMOVED,
                     D3DDDIERR_UNSUPPORTEDCRYPTO, D3DDDIERR_OUTOFHWPROTECTEDMEMORY}) {
    EXPECT_TRUE(documented_hresult(hr)) << hr_text(hr);
  }
  for (HRESULT hr : {E_NOTIMPL, D3DERR_CANNOTPROTECTCONTENT, static_cast<HRESULT>(0x8000FFFF),
                     static_cast<HRESULT>(0x887B0002), static_cast<HRESULT>(1)}) {
    EXPECT_FALSE(documented_hresult(hr)) << hr_text(hr);
  }
}

TEST(ConformIsolationTest, VerdictsCrossThePipeWhole) {
  const std::vector<CaseResult> r = run({&kLongFailure, &kSkipsWithPid, &kPasses});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].verdict.outcome, Outcome::kFail);
  EXPECT_EQ(r[0].verdict.expected, std::string(200000, 'e'));
  EXPECT_EQ(r[0].verdict.got, "got");
  EXPECT_EQ(r[1].verdict.outcome, Outcome::kSkip);
  EXPECT_NE(r[1].verdict.reason, std::to_string(::getpid())) << "ran in a child process";
  EXPECT_EQ(r[2].verdict.outcome, Outcome::kPass);
  for (const CaseResult& c : r) {
    EXPECT_GE(c.seconds, 0.0);
  }
}

TEST(ConformIsolationTest, ChildProcessesAreSharedUnlessOnePerCaseIsAsked) {
  const std::vector<const Case*> cases = {&kSkipsWithPid, &kSkipsWithPid, &kSkipsWithPid};
  std::set<std::string> shared;
  for (const CaseResult& c : run(cases)) {
    shared.insert(c.verdict.reason);
  }
  EXPECT_EQ(shared.size(), 1u);
  std::set<std::string> own;
  for (const CaseResult& c : run(cases, IsolationOptions{60, 1})) {
    own.insert(c.verdict.reason);
  }
  EXPECT_EQ(own.size(), 3u);
}

}  // namespace
}  // namespace cpddi::conform
