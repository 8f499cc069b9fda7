// `cpddi bench`'s timing loop: steady_clock around batches of iterations, cpddi and its
// references interleaved run by run so a change of clock speed or a noisy neighbour hits both
// sides of a ratio alike, and the median of the runs kept.
#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>
#include <vector>

#include "bench/figures.h"

namespace cpddi::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Seconds per iteration over one run: batches grow towards the time still missing, so the clock
// is read rarely for fast workloads and a slow one stops soon after min_time.
double seconds_per_iteration(Workload& workload, const MeasureSettings& settings) {
  std::uint64_t iterations = 0;
  std::uint64_t batch = 1;
  Clock::duration elapsed{};
  for (;;) {
    const Clock::time_point start = Clock::now();
    for (std::uint64_t i = 0; i < batch; ++i) {
      workload.run_once();
    }
    elapsed += Clock::now() - start;
    iterations += batch;
    if (elapsed >= settings.min_time && iterations >= settings.min_iterations) {
      break;
    }
    // At least a nanosecond: a batch shorter than the clock's tick must not divide by zero.
    const double per_iteration =
        std::max(std::chrono::duration<double>(elapsed).count() / iterations, 1e-9);
    const double missing = std::chrono::duration<double>(settings.min_time - elapsed).count();
    const auto wanted = static_cast<std::uint64_t>(std::max(missing, 0.0) / per_iteration) + 1;
    const std::uint64_t still_required =
        settings.min_iterations > iterations ? settings.min_iterations - iterations : 1;
    batch = std::max(still_required, std::min(wanted, 2 * iterations));
  }
  return std::chrono::duration<double>(elapsed).count() / static_cast<double>(iterations);
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// A duration per iteration in the figure's unit.
double in_unit(const Figure& figure, double seconds) {
  return figure.unit == Unit::kMegabytesPerSecond
             ? static_cast<double>(figure.bytes) / seconds / 1e6
             : seconds * 1e6;
}

std::vector<Row> measure_figure(const Figure& figure, const MeasureSettings& settings) {
  std::vector<WorkloadPtr> workloads;  // [0] cpddi, then one per comparison
  workloads.push_back(figure.make_cpddi());
  for (const Comparison& comparison : figure.comparisons) {
    workloads.push_back(comparison.make(figure.bytes));
  }
  // One untimed iteration each: first-touch page faults and lazy OpenSSL setup stay out.
  for (const WorkloadPtr& workload : workloads) {
    workload->run_once();
  }
  std::vector<std::vector<double>> seconds(workloads.size());
  for (int run = 0; run < settings.runs; ++run) {
    for (std::size_t i = 0; i < workloads.size(); ++i) {
      seconds[i].push_back(seconds_per_iteration(*workloads[i], settings));
    }
  }

  Row base;
  base.figure = figure.name;
  base.size = figure.size;
  base.bytes = figure.bytes;
  base.threads = figure.threads;
  base.unit = figure.unit;
  const double cpddi_seconds = median(seconds[0]);
  base.cpddi = in_unit(figure, cpddi_seconds);
  if (figure.comparisons.empty()) {
    base.note = "no reference exists";
    return {base};
  }
  std::vector<Row> rows;
  for (std::size_t c = 0; c < figure.comparisons.size(); ++c) {
    const Comparison& comparison = figure.comparisons[c];
    const double reference_seconds = median(seconds[c + 1]);
    Row row = base;
    row.reference = comparison.reference;
    row.reference_value = in_unit(figure, reference_seconds);
    // Throughput: cpddi MB/s / reference MB/s; time: cpddi µs / reference µs.
    row.ratio = figure.unit == Unit::kMegabytesPerSecond ? reference_seconds / cpddi_seconds
                                                         : cpddi_seconds / reference_seconds;
    row.target = comparison.target;
    if (row.target.kind != Target::Kind::kNone) {
      row.met = row.target.met_by(*row.ratio);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// A sanitizer's allocator replaces glibc's, whose mallinfo2 then reports nothing: the memory
// figure cannot be measured in such a build, and says so instead of printing zero.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kHeapAccounting = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kHeapAccounting = false;
#else
constexpr bool kHeapAccounting = true;
#endif
#else
constexpr bool kHeapAccounting = true;
#endif

std::vector<Row> memory_rows(const Rig& rig, UINT sessions) {
  const SessionMemory memory = measure_session_memory(rig, sessions);
  // The strings are built by construction and +=, not by `std::to_string(…) + " sessions"` or
  // `row.threads = "-"` (assigned from a char pointer): both trip GCC 12's false -Wrestrict at
  // -O3 (GCC bug 105329), as does the progress line in run_figures.
  std::string size = std::to_string(memory.sessions);
  size += " sessions";
  std::vector<Row> rows;
  for (const auto& [name, value] :
       {std::pair{"live session, created", memory.bytes_per_created_session},
        std::pair{"live session, keyed", memory.bytes_per_keyed_session}}) {
    Row row;
    row.figure = name;
    row.size = size;
    row.threads = std::string("-");
    row.unit = Unit::kBytesPerSession;
    if (!kHeapAccounting) {
      row.note = "not measured: a sanitizer's allocator does not report to mallinfo2";
      rows.push_back(std::move(row));
      continue;
    }
    row.cpddi = value;
    row.target = kSessionMemoryTarget;
    row.met = row.target.met_by(value);
    row.note = "no reference exists; heap in use (mallinfo2) per session";
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

bool MeasureSettings::wants(const std::string& description) const {
  return filter.empty() || description.find(filter) != std::string::npos;
}

MeasureSettings MeasureSettings::full() {
  return MeasureSettings{std::chrono::milliseconds(200), 1, 5, 10000, {}};
}

MeasureSettings MeasureSettings::quick() { return MeasureSettings{{}, 3, 1, 100, {}}; }

std::vector<Row> run_figures(const Rig& rig, const MeasureSettings& settings,
                             const std::function<void(const std::string&)>& progress) {
  std::vector<Row> rows;
  for (const Figure& figure : timed_figures(rig)) {
    const std::string description = figure.name + " " + figure.size + " threads " + figure.threads;
    if (!settings.wants(description)) {
      continue;
    }
    if (progress) {
      progress(description);
    }
    for (Row& row : measure_figure(figure, settings)) {
      rows.push_back(std::move(row));
    }
  }
  for (Row& row : concurrency_rows(rig, settings, progress)) {
    rows.push_back(std::move(row));
  }
  if (!settings.wants("live session memory")) {
    return rows;
  }
  if (progress) {
    std::string what = "memory per live session at ";
    what += std::to_string(settings.memory_sessions);
    what += " sessions";
    progress(what);
  }
  for (Row& row : memory_rows(rig, settings.memory_sessions)) {
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace cpddi::bench
