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
#include "conform/d3d9_front_end.h"
#include "cpddi/cpddi.h"
#include "output.h"
#include "subcommands.h"

namespace cpddi::tool {
namespace {

struct Options {
  std::string driver_path;
  bool json = false;
  std::string junit_path;
  std::string filter;
  bool list = false;
};

bool write_junit(const std::string& path, const std::string& driver_name,
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
      << s.failed << "\" errors=\"0\" skipped=\"" << s.skipped << "\" time=\"" << time << "\">\n"
      << "    <properties><property name=\"driver\" value=\"" << xml_escape(driver_name)
      << "\"/></properties>\n";
  for (const conform::CaseResult& r : results) {
    std::snprintf(time, sizeof time, "%.3f", r.seconds);
    const std::string id = r.test_case->id;
    const std::string group = id.substr(0, id.find('.'));
    out << "    <testcase classname=\"conform." << xml_escape(group) << "\" name=\""
        << xml_escape(id) << "\" time=\"" << time << "\"";
    switch (r.verdict.outcome) {
      case conform::Outcome::kPass: out << "/>\n"; break;
      case conform::Outcome::kFail:
        out << ">\n      <failure message=\""
            << xml_escape("expected " + r.verdict.expected + ", got " + r.verdict.got)
            << "\" type=\"conformance\">" << xml_escape(r.test_case->rule) << " ("
            << xml_escape(r.test_case->section) << ")</failure>\n    </testcase>\n";
        break;
      case conform::Outcome::kSkip:
        out << ">\n      <skipped message=\"" << xml_escape(r.verdict.reason)
            << "\"/>\n    </testcase>\n";
        break;
    }
  }
  out << "  </testsuite>\n</testsuites>\n";
  return static_cast<bool>(out);
}

nlohmann::json to_json(const std::string& driver_name,
                       const std::vector<conform::CaseResult>& results, double seconds) {
  nlohmann::json cases = nlohmann::json::array();
  for (const conform::CaseResult& r : results) {
    nlohmann::json c{{"id", r.test_case->id},
                     {"rule", r.test_case->rule},
                     {"section", r.test_case->section},
                     {"result", conform::outcome_name(r.verdict.outcome)},
                     {"seconds", r.seconds}};
    if (r.verdict.outcome == conform::Outcome::kFail) {
      c["expected"] = r.verdict.expected;
      c["got"] = r.verdict.got;
    } else if (r.verdict.outcome == conform::Outcome::kSkip) {
      c["reason"] = r.verdict.reason;
    }
    cases.push_back(std::move(c));
  }
  const conform::Summary s = conform::summarize(results);
  return nlohmann::json{{"driver", driver_name},
                        {"cases", std::move(cases)},
                        {"summary",
                         {{"passed", s.passed},
                          {"failed", s.failed},
                          {"skipped", s.skipped},
                          {"seconds", seconds}}}};
}

void print_table(const std::vector<conform::CaseResult>& results, double seconds) {
  std::size_t id_width = 4;
  for (const conform::CaseResult& r : results) {
    id_width = std::max(id_width, std::string(r.test_case->id).size());
  }
  std::string out = pad("CASE", id_width) + "  " + pad("RESULT", 7) + pad("SPEC", 19) + "DETAIL\n";
  for (const conform::CaseResult& r : results) {
    std::string detail;
    if (r.verdict.outcome == conform::Outcome::kFail) {
      detail = "expected " + r.verdict.expected + ", got " + r.verdict.got;
    } else if (r.verdict.outcome == conform::Outcome::kSkip) {
      detail = r.verdict.reason;
    }
    std::string line = pad(r.test_case->id, id_width) + "  " +
                       pad(conform::outcome_name(r.verdict.outcome), 7) +
                       pad(r.test_case->section, 19) + detail;
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out += line + "\n";
  }
  std::fputs(out.c_str(), stdout);
  const conform::Summary s = conform::summarize(results);
  std::printf("%d passed, %d failed, %d skipped (%.2f s)\n", s.passed, s.failed, s.skipped,
              seconds);
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
  PFND3DDDI_OPENADAPTER open_adapter = &OpenAdapter;
  conform::OpenWithOptionsFn open_with_options = &cpddi_open_adapter_with_options;
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
    void* open = dlsym(module, "OpenAdapter");
    if (open == nullptr) {
      std::cerr << "cpddi conform: " << options.driver_path
                << " does not export OpenAdapter (not a D3D9 user-mode driver?)\n";
      dlclose(module);
      return kExitUsage;
    }
    open_adapter = reinterpret_cast<PFND3DDDI_OPENADAPTER>(open);
    open_with_options = reinterpret_cast<conform::OpenWithOptionsFn>(
        dlsym(module, "cpddi_open_adapter_with_options"));
    driver_name = options.driver_path;
  }
  bool any = false;
  for (const conform::Case& c : conform::all_cases()) {
    any = any || conform::matches_filter(options.filter, c.id);
  }
  if (!any) {
    std::cerr << "cpddi conform: no case matches --filter " << options.filter
              << " (see cpddi conform --list)\n";
    return kExitUsage;
  }

  std::vector<conform::CaseResult> results;
  const auto start = std::chrono::steady_clock::now();
  {
    // The D3D9 front end over the driver's exports; the runner closes its adapter before the
    // module goes.
    conform::Runner runner(
        conform::Driver(std::make_shared<conform::D3d9FrontEnd>(open_adapter, open_with_options)));
    results = runner.run_all(options.filter);
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  // The module stays loaded until exit: a driver may have registered atexit handlers.

  if (options.json) {
    std::cout << to_json(driver_name, results, took.count()).dump(2) << "\n";
  } else {
    print_table(results, took.count());
  }
  if (!options.junit_path.empty() &&
      !write_junit(options.junit_path, driver_name, results, took.count())) {
    std::cerr << "cpddi conform: cannot write " << options.junit_path << "\n";
    return kExitUsage;
  }
  return conform::summarize(results).failed == 0 ? kExitOk : kExitCheckFailed;
}

}  // namespace

Run add_conform(CLI::App& app) {
  auto options = std::make_shared<Options>();
  CLI::App* conform = app.add_subcommand(
      "conform",
      "Run the conformance suite against a driver: every case checks one rule of the "
      "content-protection DDI spec (caps, certificate, sessions, key exchange, blts, read-back, "
      "session-key refresh) through the C ABI only, and reports pass, fail (expected vs got) "
      "or skip (with the reason, e.g. a cap the driver does not announce).");
  conform->add_option("--driver", options->driver_path,
                      "a driver module (.so) exporting OpenAdapter (and optionally "
                      "cpddi_open_adapter_with_options); default: cpddi's own driver");
  conform->add_flag("--json", options->json, "print only JSON on stdout");
  conform->add_option("--junit", options->junit_path, "also write JUnit XML to this file");
  conform->add_option("--filter", options->filter,
                      "run only cases whose id contains TEXT, or matches it as a glob (* and ?)");
  conform->add_flag("--list", options->list, "list the cases (id, spec section, rule) and exit");
  conform->footer(
      "Exit status: 0 no case failed, 1 a case failed, 2 usage error (bad option, driver that "
      "cannot be loaded or lacks OpenAdapter, filter matching nothing).");
  return [options] { return run_conform(*options); };
}

}  // namespace cpddi::tool
