// `cpddi bench`: cpddi's blts, key refresh, key exchange and session costs measured beside their
// references (raw OpenSSL, memcpy) in the same run over the same bytes, each figure printed as a
// ratio with its target (bench/figures.h), as a table or JSON, and optionally drawn as an SVG.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/figures.h"
#include "bench_plot.h"
#include "conform/session.h"
#include "cpddi/cpddi.h"
#include "output.h"
#include "subcommands.h"

namespace cpddi::tool {
namespace {

struct BenchOptions {
  bool json = false;
  bool quick = false;
  std::string filter;
  std::string plot_path;
};

constexpr const char* kQuickNote =
    "quick run: a handful of iterations per figure, to prove the benchmarks work - these "
    "figures are not measurements";

// The "model name" of /proc/cpuinfo's first processor.
std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) {
        return line.substr(line.find_first_not_of(" \t", colon + 1));
      }
    }
  }
  return "unknown CPU";
}

std::string value_text(bench::Unit unit, double value) {
  char text[48];
  std::snprintf(text, sizeof text, unit == bench::Unit::kMicroseconds ? "%.2f %s" : "%.1f %s",
                value, bench::unit_name(unit));
  return text;
}

std::string met_text(const bench::Row& row) {
  if (!row.met) {
    return "";
  }
  return *row.met ? "met" : "missed";
}

// Wide enough for the longest figure name, "channel configure round trip".
constexpr std::size_t kFigureWidth = 30;

void print_table(const std::vector<bench::Row>& rows) {
  std::string out = pad("FIGURE", kFigureWidth) + pad("SIZE", 16) + pad("THREADS", 9) +
                    pad("CPDDI", 17) + pad("REFERENCE", 28) + pad("REFERENCE VALUE", 17) +
                    pad("RATIO", 7) + pad("TARGET", 9) + "RESULT\n";
  for (const bench::Row& row : rows) {
    char ratio[16] = "-";
    if (row.ratio) {
      std::snprintf(ratio, sizeof ratio, "%.2f", *row.ratio);
    }
    const bool has_target = row.target.kind != bench::Target::Kind::kNone;
    std::string line =
        pad(row.figure, kFigureWidth) + pad(row.size, 16) + pad(row.threads, 9) +
        pad(value_text(row.unit, row.cpddi), 17) + pad(row.reference.value_or("none"), 28) +
        pad(row.reference ? value_text(row.unit, row.reference_value) : "-", 17) + pad(ratio, 7) +
        pad(has_target ? row.target.text() : "-", 9) + pad(has_target ? met_text(row) : "-", 7) +
        row.note;
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out += line + "\n";
  }
  std::fputs(out.c_str(), stdout);
}

nlohmann::json to_json(const std::vector<bench::Row>& rows, const std::string& cpu, bool quick) {
  nlohmann::json out_rows = nlohmann::json::array();
  for (const bench::Row& row : rows) {
    nlohmann::json r{{"figure", row.figure},
                     {"size", row.size},
                     {"bytes", row.bytes},
                     {"threads", row.threads},
                     {"unit", bench::unit_name(row.unit)},
                     {"cpddi", row.cpddi},
                     {"reference", nullptr},
                     {"reference_value", nullptr},
                     {"ratio", nullptr},
                     {"target", nullptr},
                     {"met", nullptr}};
    if (row.reference) {
      r["reference"] = *row.reference;
      r["reference_value"] = row.reference_value;
      r["ratio"] = *row.ratio;
    }
    if (row.target.kind != bench::Target::Kind::kNone) {
      r["target"] = row.target.text();
      r["met"] = *row.met;
    }
    if (row.latency) {
      r["latency_us"] = {{"median", row.latency->median},
                         {"p99", row.latency->p99},
                         {"max", row.latency->max},
                         {"samples", row.latency->samples}};
    }
    if (!row.note.empty()) {
      r["note"] = row.note;
    }
    out_rows.push_back(std::move(r));
  }
  nlohmann::json out{{"cpddi_version", cpddi_version()},
                     {"cpu", cpu},
                     {"cores", std::thread::hardware_concurrency()},
                     {"quick", quick},
                     {"rows", std::move(out_rows)}};
  if (quick) {
    out["note"] = kQuickNote;
  }
  return out;
}

int run_bench(const BenchOptions& options) {
  const std::string cpu = cpu_model();
  const std::string machine =
      cpu + ", " + std::to_string(std::thread::hardware_concurrency()) + " cores";
  const bool show_progress = isatty(STDERR_FILENO) != 0;
  std::vector<bench::Row> rows;
  try {
    const bench::Rig rig(conform::Driver{&OpenAdapter, &cpddi_open_adapter_with_options});
    auto progress = [show_progress](const std::string& figure) {
      if (show_progress) {
        std::fprintf(stderr, "\r\033[Kmeasuring %s", figure.c_str());
        std::fflush(stderr);
      }
    };
    bench::MeasureSettings settings =
        options.quick ? bench::MeasureSettings::quick() : bench::MeasureSettings::full();
    settings.filter = options.filter;
    rows = bench::run_figures(rig, settings, progress);
    if (show_progress) {
      std::fprintf(stderr, "\r\033[K");
    }
  } catch (const conform::Failure& failure) {
    std::cerr << "\ncpddi bench: the driver failed: expected " << failure.expected << ", got "
              << failure.got << "\n";
    return kExitCheckFailed;
  }

  if (options.json) {
    std::cout << to_json(rows, cpu, options.quick).dump(2) << "\n";
  } else {
    std::printf("cpddi %s on %s\n", cpddi_version(), machine.c_str());
    if (options.quick) {
      std::printf("%s\n", kQuickNote);
    }
    print_table(rows);
  }
  if (!options.plot_path.empty() &&
      !write_throughput_plot(options.plot_path, rows,
                             "cpddi " + std::string(cpddi_version()) + " on " + machine +
                                 (options.quick ? " (quick run: not measurements)" : ""))) {
    std::cerr << "cpddi bench: cannot write " << options.plot_path << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

Run add_bench(CLI::App& app) {
  auto options = std::make_shared<BenchOptions>();
  CLI::App* bench = app.add_subcommand(
      "bench",
      "Measure cpddi beside its references in the same run over the same bytes: DecryptionBlt "
      "(full and CENC 1:9) and EncryptionBlt on 16 KiB, 64 KiB, 256 KiB, NV12 1080p and NV12 "
      "2160p surfaces with 1 and all blt threads vs raw OpenSSL AES-128-CTR and memcpy; key "
      "refresh vs RAND_bytes(16); key exchange vs a raw RSA-OAEP decryption; the channel round "
      "trips vs their AES-CMACs; session create + destroy; the submit-to-complete latency of a "
      "64 KiB blt alone and beside two other sessions' streams (p99 vs median); 8 sessions each "
      "playing a 1080p stream on one and on two devices (aggregate vs raw EVP, slowest stream vs "
      "the fair share); heap per live session at 10,000 sessions. Each figure is a ratio with its "
      "target.");
  bench->add_flag("--json", options->json, "print only JSON on stdout");
  bench->add_flag("--quick", options->quick,
                  "a few iterations per figure (a few seconds in all): proves the benchmarks "
                  "work, measures nothing");
  bench->add_option("--filter", options->filter,
                    "measure only the figures whose description contains this text, e.g. "
                    "\"DecryptionBlt full 64 KiB\", \"latency\", \"streams\"");
  bench->add_option("--plot", options->plot_path,
                    "also draw DecryptionBlt MB/s against surface size, with raw EVP and "
                    "memcpy, as SVG to this file");
  bench->footer(
      "Full run: every figure repeats for >= 200 ms, five times, cpddi and its references "
      "interleaved; the median is kept; the several-session figures run for a second each "
      "(about two minutes on two cores, most of it the 12 MiB blts and keying 10,000 "
      "sessions). A missed target is reported, never an error. Exit status: "
      "0 done, 1 the driver failed a call, 2 usage error or the plot cannot be written.");
  return [options] { return run_bench(*options); };
}

}  // namespace cpddi::tool
