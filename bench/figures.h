#pragma once

// The figures cpddi's speed is judged by, and the timing loop of `cpddi bench`. A figure is one
// cpddi workload with the references it is compared against, each with its target ratio
// (docs: README "Benchmarks"). run_figures measures a figure's cpddi workload and its references
// interleaved, in the same process, over the same bytes, and returns one Row per comparison.
// The Google Benchmark binary registers the same figures (cpddi_benchmarks.cpp).

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bench/workloads.h"

namespace cpddi::bench {

// What a figure measures: throughput (MB/s, higher is better; ratio = cpddi / reference) or time
// per operation (µs, lower is better; ratio = cpddi time / reference time). kBytesPerSession is
// the memory figure, which has no reference.
enum class Unit { kMegabytesPerSecond, kMicroseconds, kBytesPerSession };
const char* unit_name(Unit unit);  // "MB/s", "us", "B/session"

// A bound on a ratio, or on the value itself for the memory figure (which has no reference).
struct Target {
  enum class Kind { kNone, kAtLeast, kAtMost };
  Kind kind = Kind::kNone;
  double bound = 0;
  bool met_by(double value) const;
  std::string text() const;  // ">= 0.90", "<= 2048", "" for kNone
};

struct Comparison {
  std::string reference;  // "EVP AES-128-CTR"
  std::function<WorkloadPtr(std::uint64_t bytes)> make;
  Target target;
};

struct Figure {
  std::string name;     // "DecryptionBlt full"
  std::string size;     // "NV12 1080p", or "-"
  std::uint64_t bytes;  // per iteration for kMegabytesPerSecond, else 0
  std::string threads;  // "1", "all (2)", or "-"
  Unit unit;
  std::function<WorkloadPtr()> make_cpddi;
  std::vector<Comparison> comparisons;  // empty: no reference exists (create + destroy)
};

// Every timed figure: the blts (each kind × surface shape × thread setting), the key-refresh
// round trip, the key exchange and session create + destroy. Factories capture `rig`.
std::vector<Figure> timed_figures(const Rig& rig);

// The memory figure's bound: at most 2 KiB per live session.
inline constexpr Target kSessionMemoryTarget{Target::Kind::kAtMost, 2048};

// How long to measure. Full: every measurement repeats until it has run ≥ min_time, five runs,
// the median kept. Quick: a handful of iterations, one run — proves the workloads work, measures
// nothing.
struct MeasureSettings {
  std::chrono::nanoseconds min_time;
  std::uint64_t min_iterations;
  int runs;
  UINT memory_sessions;  // sessions for the memory figure
  // Only the figures whose description ("DecryptionBlt full 64 KiB threads 1", "8 streams, 1
  // device", "live session memory") contains this; empty: every figure.
  std::string filter;
  bool wants(const std::string& description) const;
  static MeasureSettings full();
  static MeasureSettings quick();
};

// A distribution of submit-to-complete times, in µs (the latency figures).
struct Distribution {
  double median = 0;
  double p99 = 0;
  double max = 0;
  std::size_t samples = 0;
};

struct Row {
  std::string figure;
  std::string size;
  std::uint64_t bytes = 0;
  std::string threads;
  Unit unit = Unit::kMicroseconds;
  double cpddi = 0;                  // in `unit`
  std::optional<std::string> reference;
  double reference_value = 0;        // in `unit`, when there is a reference
  std::optional<double> ratio;       // when there is a reference
  Target target;
  std::optional<bool> met;           // when there is a target
  std::string note;                  // e.g. "no reference exists"
  std::optional<Distribution> latency;  // the latency figures: cpddi is the p99, ratio p99/median
};

// The figures of several sessions at once (concurrency.cpp, issue 13): the submit-to-complete
// latency of a 64 KiB DecryptionBlt alone and on a device busy with two other sessions' streams
// (p99 against its median, target <= 3), and 8 sessions each playing a 1080p stream with
// refreshes, on one device and on two (aggregate MB/s against raw EVP on one thread, target
// >= 1.6, and on all cores; the slowest stream against the fair share, target >= 0.8).
std::vector<Row> concurrency_rows(const Rig& rig, const MeasureSettings& settings,
                                  const std::function<void(const std::string&)>& progress);

// Measures every figure of timed_figures(rig), the concurrency figures and the memory figure (those
// settings.filter wants). `progress` (may be empty) hears the name of each figure before it is
// measured. Throws conform::Failure on a driver error.
std::vector<Row> run_figures(const Rig& rig, const MeasureSettings& settings,
                             const std::function<void(const std::string&)>& progress);

}  // namespace cpddi::bench
