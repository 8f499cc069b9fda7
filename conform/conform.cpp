// The case registry and the runner: a case's Failure/Skipped (or any other exception) becomes its
// verdict, so one bad driver answer never stops the run.
#include <chrono>
#include <exception>
#include <new>
#include <utility>

#include "conform/cases.h"

namespace cpddi::conform {

Verdict pass() { return Verdict{}; }

Verdict failed(std::string expected, std::string got) {
  return Verdict{Outcome::kFail, std::move(expected), std::move(got), {}, {}};
}

Verdict skipped(std::string reason) {
  return Verdict{Outcome::kSkip, {}, {}, std::move(reason), {}};
}

Verdict undocumented_hresult(std::string expected, std::string got) {
  return Verdict{Outcome::kUndocumentedHresult, std::move(expected), std::move(got), {}, {}};
}

Verdict crashed(std::string cause, std::string output) {
  return Verdict{Outcome::kCrashed, {}, {}, std::move(cause), std::move(output)};
}

Verdict hung(std::string limit, std::string output) {
  return Verdict{Outcome::kHung, {}, {}, std::move(limit), std::move(output)};
}

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass: return "pass";
    case Outcome::kFail: return "fail";
    case Outcome::kSkip: return "skip";
    case Outcome::kUndocumentedHresult: return "undocumented-hresult";
    case Outcome::kCrashed: return "crashed";
    case Outcome::kHung: return "hung";
  }
  return "?";
}

bool is_failure(Outcome outcome) { return outcome != Outcome::kPass && outcome != Outcome::kSkip; }

std::string verdict_label(const Verdict& verdict) {
  std::string label = outcome_name(verdict.outcome);
  if (verdict.outcome == Outcome::kCrashed || verdict.outcome == Outcome::kHung) {
    label += " (" + verdict.reason + ")";
  }
  return label;
}

std::string verdict_detail(const Verdict& verdict) {
  switch (verdict.outcome) {
    case Outcome::kPass: return {};
    case Outcome::kFail:
    case Outcome::kUndocumentedHresult:
      return "expected " + verdict.expected + ", got " + verdict.got;
    case Outcome::kSkip: return verdict.reason;
    case Outcome::kCrashed:
    case Outcome::kHung: {
      std::string detail = verdict.outcome == Outcome::kCrashed
                               ? "the case's process died of " + verdict.reason
                               : "no verdict within " + verdict.reason + "; process group killed";
      if (!verdict.output.empty()) {
        detail += "; its stderr ended: " + verdict.output;
      }
      return detail;
    }
  }
  return {};
}

std::span<const Case> all_cases() {
  static const std::vector<Case> cases = [] {
    std::vector<Case> all;
    for (std::span<const Case> group :
         {caps_cases(), session_cases(), resource_cases(), blt_cases(), refresh_cases(),
          channel_cases(), threads_cases(), error_callback_cases()}) {
      all.insert(all.end(), group.begin(), group.end());
    }
    return all;
  }();
  return cases;
}

const Case* find_case(std::string_view id) {
  for (const Case& c : all_cases()) {
    if (id == c.id) {
      return &c;
    }
  }
  return nullptr;
}

namespace {

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative '*' / '?' matching with one backtrack point.
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

}  // namespace

bool matches_filter(std::string_view filter, std::string_view id) {
  if (filter.empty()) {
    return true;
  }
  if (filter.find_first_of("*?") != std::string_view::npos) {
    return glob_match(filter, id);
  }
  return id.find(filter) != std::string_view::npos;
}

Summary summarize(std::span<const CaseResult> results) {
  Summary s;
  for (const CaseResult& r : results) {
    switch (r.verdict.outcome) {
      case Outcome::kPass: ++s.passed; break;
      case Outcome::kFail: ++s.failed; break;
      case Outcome::kSkip: ++s.skipped; break;
      case Outcome::kUndocumentedHresult: ++s.undocumented_hresult; break;
      case Outcome::kCrashed: ++s.crashed; break;
      case Outcome::kHung: ++s.hung; break;
    }
  }
  return s;
}

Runner::Runner(Driver driver) : env_(std::make_unique<Env>(driver)) {}
Runner::~Runner() = default;

Verdict Runner::run(const Case& test_case) {
  try {
    return test_case.body(*env_);
  } catch (const Failure& f) {
    return f.undocumented_hresult ? undocumented_hresult(f.expected, f.got)
                                  : failed(f.expected, f.got);
  } catch (const Skipped& s) {
    return skipped(s.reason);
  } catch (const std::bad_alloc&) {
    return failed("the case runs to its end", "out of memory (a driver size out of range?)");
  } catch (const std::exception& e) {
    return failed("the case runs to its end", std::string("exception: ") + e.what());
  } catch (...) {
    return failed("the case runs to its end", "an unknown exception");
  }
}

CaseResult Runner::timed_run(const Case& test_case) {
  const auto start = std::chrono::steady_clock::now();
  Verdict verdict = run(test_case);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  return CaseResult{&test_case, std::move(verdict), took.count()};
}

std::vector<CaseResult> Runner::run_all(std::string_view filter) {
  std::vector<CaseResult> results;
  for (const Case* c : select_cases(filter)) {
    results.push_back(timed_run(*c));
  }
  return results;
}

std::vector<const Case*> select_cases(std::string_view filter) {
  std::vector<const Case*> selected;
  for (const Case& c : all_cases()) {
    if (matches_filter(filter, c.id)) {
      selected.push_back(&c);
    }
  }
  return selected;
}

}  // namespace cpddi::conform
