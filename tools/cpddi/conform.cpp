// `cpddi conform`: runs the conformance cases (conform/) against cpddi's own driver or a driver
// module named with --driver, and reports a table, JSON (--json) and/or JUnit XML (--junit).
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conform/conform.h"
#include "conform/d3d11_front_end.h"
#include "conform/d3d9_front_end.h"
#include "cpddi/cpddi.h"
#include "output.h"
#include "subcommands.h"

namespace cpddi::tool {
namespace {

struct Options {
  std::string driver_path;
  std::string ddi = "d3d9";
  bool json = false;
  std::string junit_path;
  std::string filter;
  bool list = false;
  double timeout_seconds = 60;
  bool no_isolation = false;
  bool process_per_case = false;
};

bool write_junit(const std::string& path, const std::string& driver_name, const std::string& ddi,
                 const std::vector<conform::CaseResult>& results, double seconds) {
  std::ofstream out(path);
  if (!out) {
    return false;
  }
  const conform::Summary s = conform::summarize(results);
  char time[32];
  std::snprintf(time, sizeof time, "%.3f", seconds);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites>\n"
      << "  <testsuite name=\"cpddi.conform\" tests=\"" << results.size() << "\" failures=\""
      << s.failed + s.undocumented_hresult << "\" errors=\"" << s.crashed + s.hung
      << "\" skipped=\"" << s.skipped << "\" time=\"" << time << "\">\n"
      << "    <properties><property name=\"driver\" value=\"" << xml_escape(driver_name)
      << "\"/><property name=\"ddi\" value=\"" << xml_escape(ddi) << "\"/></properties>\n";
  for (const conform::CaseResult& r : results) {
    std::snprintf(time, sizeof time, "%.3f", r.seconds);
    const std::string id = r.test_case->id;
    const std::string group = id.substr(0, id.find('.'));
    out << "    <testcase classname=\"conform." << xml_escape(group) << "\" name=\""
        << xml_escape(id) << "\" time=\"" << time << "\"";
    const std::string detail = xml_escape(conform::verdict_detail(r.verdict));
    const std::string rule =
        xml_escape(r.test_case->rule) + " (" + xml_escape(r.test_case->section) + ")";
    switch (r.verdict.outcome) {
      case conform::Outcome::kPass: out << "/>\n"; break;
      case conform::Outcome::kFail:
      case conform::Outcome::kUndocumentedHresult:
        // A wrong answer is a failure; its type says which kind.
        out << ">\n      <failure message=\"" << detail << "\" type=\""
            << (r.verdict.outcome == conform::Outcome::kFail ? "conformance"
                                                             : "undocumented-hresult")
            << "\">" << rule << "</failure>\n    </testcase>\n";
        break;
      case conform::Outcome::kCrashed:
      case conform::Outcome::kHung:
        // The case never finished: an error, typed crashed or hung.
        out << ">\n      <error message=\"" << detail << "\" type=\""
            << conform::outcome_name(r.verdict.outcome) << "\">" << rule
            << "</error>\n    </testcase>\n";
        break;
      case conform::Outcome::kSkip:
        out << ">\n      <skipped message=\"" << detail << "\"/>\n    </testcase>\n";
        break;
    }
  }
  out << "  </testsuite>\n</testsuites>\n";
  return static_cast<bool>(out);
}

nlohmann::json to_json(const std::string& driver_name, const std::string& ddi,
                       const std::vector<conform::CaseResult>& results, double seconds,
                       double timeout_seconds) {
  nlohmann::json cases = nlohmann::json::array();
  for (const conform::CaseResult& r : results) {
    nlohmann::json c{{"id", r.test_case->id},
                     {"rule", r.test_case->rule},
                     {"section", r.test_case->section},
                     {"result", conform::outcome_name(r.verdict.outcome)},
                     {"verdict", conform::verdict_label(r.verdict)},
                     {"seconds", r.seconds}};
    switch (r.verdict.outcome) {
      case conform::Outcome::kPass: break;
      case conform::Outcome::kFail:
      case conform::Outcome::kUndocumentedHresult:
        c["expected"] = r.verdict.expected;
        c["got"] = r.verdict.got;
        break;
      case conform::Outcome::kSkip: c["reason"] = r.verdict.reason; break;
      case conform::Outcome::kCrashed:
        c["cause"] = r.verdict.reason;
        c["output"] = r.verdict.output;
        break;
      case conform::Outcome::kHung:
        c["timeout_seconds"] = timeout_seconds;
        c["output"] = r.verdict.output;
        break;
    }
    cases.push_back(std::move(c));
  }
  const conform::Summary s = conform::summarize(results);
  return nlohmann::json{{"driver", driver_name},
                        {"ddi", ddi},
                        {"cases", std::move(cases)},
                        {"summary",
                         {{"passed", s.passed},
                          {"failed", s.failed},
                          {"skipped", s.skipped},
                          {"undocumented_hresult", s.undocumented_hresult},
                          {"crashed", s.crashed},
                          {"hung", s.hung},
                          {"seconds", seconds}}}};
}

void print_table(const std::string& ddi, const std::vector<conform::CaseResult>& results,
                 double seconds) {
  std::size_t id_width = 4;
  std::size_t result_width = 6;
  for (const conform::CaseResult& r : results) {
    id_width = std::max(id_width, std::string(r.test_case->id).size());
    result_width = std::max(result_width, conform::verdict_label(r.verdict).size());
  }
  std::string out = pad("CASE", id_width) + "  " + pad("RESULT", result_width + 1) +
                    pad("SPEC", 19) + "DETAIL\n";
  for (const conform::CaseResult& r : results) {
    std::string line = pad(r.test_case->id, id_width) + "  " +
                       pad(conform::verdict_label(r.verdict), result_width + 1) +
                       pad(r.test_case->section, 19) + conform::verdict_detail(r.verdict);
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out += line + "\n";
  }
  std::fputs(out.c_str(), stdout);
  const conform::Summary s = conform::summarize(results);
  std::printf("%d passed, %d failed, %d skipped, %d undocumented-hresult, %d crashed, %d hung "
              "through %s (%.2f s)\n",
              s.passed, s.failed, s.skipped, s.undocumented_hresult, s.crashed, s.hung, ddi.c_str(),
              seconds);
}

// The export that opens an adapter of `ddi`, the one a --driver module must have.
const char* entry_export(const std::string& ddi) {
  return ddi == "d3d11" ? "cpddi_d3d11_1_open_adapter" : "OpenAdapter";
}

// The front end of `ddi` over `module`'s exports, or over cpddi's own driver when `module` is
// null; null when the module lacks the entry export.
std::shared_ptr<const conform::FrontEnd> make_front_end(const std::string& ddi, void* module) {
  if (ddi == "d3d11") {
    auto open = module != nullptr ? reinterpret_cast<PFNCPDDI_D3D11_1_OPENADAPTER>(
                                        dlsym(module, entry_export(ddi)))
                                  : &cpddi_d3d11_1_open_adapter;
    return open != nullptr ? std::make_shared<conform::D3d11FrontEnd>(open) : nullptr;
  }
  auto open = module != nullptr
                  ? reinterpret_cast<PFND3DDDI_OPENADAPTER>(dlsym(module, entry_export(ddi)))
                  : &OpenAdapter;
  // cpddi_open_adapter_with_options is optional: a driver other than cpddi need not export it.
  auto open_with_options =
      module != nullptr ? reinterpret_cast<conform::OpenWithOptionsFn>(
                              dlsym(module, "cpddi_open_adapter_with_options"))
                        : &cpddi_open_adapter_with_options;
  return open != nullptr ? std::make_shared<conform::D3d9FrontEnd>(open, open_with_options)
                         : nullptr;
}

int run_conform(const Options& options) {
  if (options.list) {
    for (const conform::Case& c : conform::all_cases()) {
      if (conform::matches_filter(options.filter, c.id)) {
        std::printf("%-40s %-18s %s\n", c.id, c.section, c.rule);
      }
    }
    return kExitOk;
  }
  std::string driver_name = "cpddi " + std::string(cpddi_version()) + " (built in)";
  void* module = nullptr;
  if (!options.driver_path.empty()) {
    module = dlopen(options.driver_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (module == nullptr) {
      const char* why = dlerror();
      std::cerr << "cpddi conform: cannot load " << options.driver_path << ": "
                << (why != nullptr ? why : "unknown error") << "\n";
      return kExitUsage;
    }
    driver_name = options.driver_path;
  }
  const std::shared_ptr<const conform::FrontEnd> front_end = make_front_end(options.ddi, module);
  if (front_end == nullptr) {
    std::cerr << "cpddi conform: " << options.driver_path << " does not export "
              << entry_export(options.ddi) << " (not a " << options.ddi
              << " user-mode driver?)\n";
    dlclose(module);
    return kExitUsage;
  }
  const std::vector<const conform::Case*> cases = conform::select_cases(options.filter);
  if (cases.empty()) {
    std::cerr << "cpddi conform: no case matches --filter " << options.filter
              << " (see cpddi conform --list)\n";
    return kExitUsage;
  }

  std::vector<conform::CaseResult> results;
  const auto start = std::chrono::steady_clock::now();
  const conform::Driver driver(front_end);
  if (options.no_isolation) {
    // In this process (for a debugger): the runner closes its adapter before the module goes.
    conform::Runner runner(driver);
    for (const conform::Case* c : cases) {
      results.push_back(runner.timed_run(*c));
    }
  } else {
    results = conform::run_isolated(
        driver, cases,
        conform::IsolationOptions{options.timeout_seconds, options.process_per_case ? 1u : 0u});
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  // The module stays loaded until exit: a driver may have registered atexit handlers.

  if (options.json) {
    // A crashed case's output is the driver's bytes, cut at a byte count: not always UTF-8.
    std::cout << to_json(driver_name, options.ddi, results, took.count(), options.timeout_seconds)
                     .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  } else {
    print_table(options.ddi, results, took.count());
  }
  if (!options.junit_path.empty() &&
      !write_junit(options.junit_path, driver_name, options.ddi, results, took.count())) {
    std::cerr << "cpddi conform: cannot write " << options.junit_path << "\n";
    return kExitUsage;
  }
  return conform::summarize(results).failures() == 0 ? kExitOk : kExitCheckFailed;
}

}  // namespace

Run add_conform(CLI::App& app) {
  auto options = std::make_shared<Options>();
  CLI::App* conform = app.add_subcommand(
      "conform",
      "Run the conformance suite against a driver: every case checks one rule of the "
      "content-protection DDI spec (caps, certificate, sessions, key exchange, blts, read-back, "
      "session-key refresh) through the C ABI only, and reports pass, fail (expected vs got), "
      "skip (with the reason, e.g. a cap the driver does not announce), undocumented-hresult, "
      "crashed or hung.");
  conform->add_option("--driver", options->driver_path,
                      "a driver module (.so) exporting OpenAdapter (--ddi d3d9; optionally "
                      "cpddi_open_adapter_with_options) or cpddi_d3d11_1_open_adapter (--ddi "
                      "d3d11); default: cpddi's own driver");
  conform
      ->add_option("--ddi", options->ddi,
                   "the DDI the cases run through: d3d9 (the D3D9 UMD tables) or d3d11 (the "
                   "D3D11.1 video DDI, driven as the D3D11 runtime drives it)")
      ->check(CLI::IsMember({"d3d9", "d3d11"}))
      ->capture_default_str();
  conform->add_flag("--json", options->json, "print only JSON on stdout");
  conform->add_option("--junit", options->junit_path, "also write JUnit XML to this file");
  conform->add_option("--filter", options->filter,
                      "run only cases whose id contains TEXT, or matches it as a glob (* and ?)");
  conform->add_flag("--list", options->list, "list the cases (id, spec section, rule) and exit");
  conform
      ->add_option("--timeout", options->timeout_seconds,
                   "seconds a case may run before it is judged hung and its process killed")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  conform->add_flag("--no-isolation", options->no_isolation,
                    "run the cases in this process (for a debugger): a crash or hang of the "
                    "driver ends the run, and --timeout does not apply");
  conform->add_flag("--process-per-case", options->process_per_case,
                    "a fresh child process for every case (default: one child runs cases in "
                    "order until one crashes or hangs)");
  conform->footer(
      "Each case runs in a child process: a case whose process dies gets the verdict "
      "crashed (with the signal), one that sends no verdict within --timeout gets hung, and a "
      "driver HRESULT the spec never allows gets undocumented-hresult; the run goes on.\n"
      "Exit status: 0 no case failed, 1 a case failed, crashed, hung or returned an "
      "undocumented HRESULT, 2 usage error (bad option, driver that cannot be loaded or lacks "
      "OpenAdapter, filter matching nothing).");
  return [options] { return run_conform(*options); };
}

}  // namespace cpddi::tool
