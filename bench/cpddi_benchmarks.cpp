// cpddi_benchmarks — the bench/ figures under Google Benchmark, for its filters, repetitions and
// --benchmark_format=json. Every cpddi benchmark sits beside its references (ref/… over the same
// bytes) and also reports `ratio_to_<reference>`: after its timed loop it times each reference for
// the same number of iterations, so the ratio comes from one run (CONVENTIONS §9). Times are wall
// time (UseRealTime): a blt may run on several threads while the calling thread waits in Flush.
#include <benchmark/benchmark.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bench/figures.h"
#include "conform/session.h"

namespace cpddi::bench {
namespace {

using Clock = std::chrono::steady_clock;

// A Google Benchmark name part: letters, digits, '-' and '.' kept, runs of anything else
// become one '_'.
std::string name_part(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' ||
                      c == '.';
    if (keep) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') {
    out.pop_back();
  }
  return out;
}

std::string failure_text(const conform::Failure& failure) {
  return "expected " + failure.expected + ", got " + failure.got;
}

double seconds_for(Workload& workload, benchmark::IterationCount iterations) {
  const Clock::time_point start = Clock::now();
  for (benchmark::IterationCount i = 0; i < iterations; ++i) {
    workload.run_once();
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void report_bytes(benchmark::State& state, std::uint64_t bytes) {
  if (bytes != 0) {
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  }
}

void run_figure(benchmark::State& state, const Figure& figure) {
  try {
    WorkloadPtr cpddi = figure.make_cpddi();
    std::vector<WorkloadPtr> references;
    for (const Comparison& comparison : figure.comparisons) {
      references.push_back(comparison.make(figure.bytes));
      references.back()->run_once();  // warm, as cpddi is by Google Benchmark's own first runs
    }
    const Clock::time_point start = Clock::now();
    for (auto _ : state) {
      cpddi->run_once();
    }
    const double cpddi_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    for (std::size_t c = 0; c < references.size(); ++c) {
      const double reference_seconds = seconds_for(*references[c], state.iterations());
      state.counters["ratio_to_" + name_part(figure.comparisons[c].reference)] =
          figure.unit == Unit::kMegabytesPerSecond ? reference_seconds / cpddi_seconds
                                                   : cpddi_seconds / reference_seconds;
    }
    report_bytes(state, figure.bytes);
  } catch (const conform::Failure& failure) {
    state.SkipWithError(failure_text(failure).c_str());
  }
}

void run_reference(benchmark::State& state, const Comparison& comparison, std::uint64_t bytes) {
  try {
    WorkloadPtr reference = comparison.make(bytes);
    for (auto _ : state) {
      reference->run_once();
    }
    report_bytes(state, bytes);
  } catch (const conform::Failure& failure) {
    state.SkipWithError(failure_text(failure).c_str());
  }
}

void run_session_memory(benchmark::State& state, const Rig& rig) {
  try {
    SessionMemory memory;
    for (auto _ : state) {
      memory = measure_session_memory(rig, static_cast<UINT>(state.range(0)));
    }
    state.counters["bytes_per_created_session"] = memory.bytes_per_created_session;
    state.counters["bytes_per_keyed_session"] = memory.bytes_per_keyed_session;
  } catch (const conform::Failure& failure) {
    state.SkipWithError(failure_text(failure).c_str());
  }
}

void register_all(const Rig& rig, const std::vector<Figure>& figures) {
  std::set<std::string> registered_references;
  for (const Figure& figure : figures) {
    // Built with += only: `"/" + std::string` trips GCC 12's false -Wrestrict at -O3 (GCC bug
    // 105329), here and below.
    std::string name = name_part(figure.name);
    if (figure.size != "-") {
      name += '/';
      name += name_part(figure.size);
      name += "/blt_threads:";
      name += name_part(figure.threads);
    }
    benchmark::RegisterBenchmark(name.c_str(), run_figure, std::cref(figure))->UseRealTime();
    for (const Comparison& comparison : figure.comparisons) {
      std::string reference_name = "ref/";
      reference_name += name_part(comparison.reference);
      if (figure.size != "-") {
        reference_name += '/';
        reference_name += name_part(figure.size);
      }
      if (registered_references.insert(reference_name).second) {
        benchmark::RegisterBenchmark(reference_name.c_str(), run_reference, std::cref(comparison),
                                     figure.bytes)
            ->UseRealTime();
      }
    }
  }
  // ~10,000 RSA decryptions: one iteration is plenty (and all there is time for).
  benchmark::RegisterBenchmark("SessionMemory", run_session_memory, std::cref(rig))
      ->ArgName("sessions")
      ->Arg(10000)
      ->Iterations(1)
      ->Unit(benchmark::kMillisecond);
}

}  // namespace
}  // namespace cpddi::bench

int main(int argc, char** argv) {
  using namespace cpddi;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 2;
  }
  std::unique_ptr<bench::Rig> rig;
  try {
    rig = std::make_unique<bench::Rig>(
        conform::Driver{&OpenAdapter, &cpddi_open_adapter_with_options});
  } catch (const conform::Failure& failure) {
    std::fprintf(stderr, "cpddi_benchmarks: setup failed: %s\n",
                 bench::failure_text(failure).c_str());
    return 1;
  }
  // Registered benchmarks refer to the figures and the rig until the end of main.
  const std::vector<bench::Figure> figures = bench::timed_figures(*rig);
  bench::register_all(*rig, figures);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
