// The figures of several sessions at once (issue 13): how long one small blt takes from the call
// to its completion while other sessions use the same device, and how 8 streams share a device's
// (or two devices') throughput. Streams run on threads of their own, as a media server's or a
// virtual GPU's clients would; the references run the same way, over the same bytes.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bench/figures.h"
#include "conform/session.h"

namespace cpddi::bench {
namespace {

using Clock = std::chrono::steady_clock;

// The busy device's company: one session streaming 2160p frames and one playing 1080p frames
// with a key refresh every few frames (the "every few frames").
constexpr unsigned kLatencyRefreshEvery = 4;
// 8 players, each refreshing its key every 8 frames.
constexpr unsigned kStreams = 8;
constexpr unsigned kStreamRefreshEvery = 8;
// A full run takes at least this many latency samples, so the p99 rests on ten or more.
constexpr std::uint64_t kFullLatencySamples = 1000;
// The latency blts come at this interval, as a player's samples do. Back to back, the measuring
// thread would rarely let go of the device (a small blt on an idle device runs on the calling
// thread) and the other sessions would hardly run: the figure would measure no company at all.
constexpr auto kLatencyPace = std::chrono::microseconds(500);

// Workloads running on one thread each until finish(): every one completes at least
// `min_iterations` iterations. A driver failure on any thread is rethrown by finish().
class Together {
 public:
  Together(std::vector<WorkloadPtr> workloads, std::uint64_t min_iterations)
      : workloads_(std::move(workloads)),
        iterations_(workloads_.size(), 0),
        errors_(workloads_.size()) {
    for (std::size_t i = 0; i < workloads_.size(); ++i) {
      threads_.emplace_back([this, i, min_iterations] {
        ++ready_;
        while (!go_.load()) {
          std::this_thread::yield();
        }
        try {
          while (!stop_.load() || iterations_[i] < min_iterations) {
            workloads_[i]->run_once();
            ++iterations_[i];
          }
        } catch (...) {
          errors_[i] = std::current_exception();
        }
      });
    }
    while (ready_.load() < workloads_.size()) {
      std::this_thread::yield();
    }
    start_ = Clock::now();
    go_ = true;
  }
  ~Together() {
    if (!threads_.empty()) {
      join();
    }
  }
  Together(const Together&) = delete;
  Together& operator=(const Together&) = delete;

  // Stops every thread after its current iteration; returns the seconds since the start.
  double finish() {
    const double seconds = join();
    for (const std::exception_ptr& error : errors_) {
      if (error) {
        std::rethrow_exception(error);
      }
    }
    return seconds;
  }
  // Iterations of workload `i`; valid after finish().
  std::uint64_t iterations(std::size_t i) const { return iterations_[i]; }
  // The workloads back, after finish(), to run again.
  std::vector<WorkloadPtr> release() { return std::move(workloads_); }

 private:
  double join() {
    stop_ = true;
    for (std::thread& thread : threads_) {
      thread.join();
    }
    threads_.clear();
    return std::chrono::duration<double>(Clock::now() - start_).count();
  }

  std::vector<WorkloadPtr> workloads_;
  std::vector<std::uint64_t> iterations_;  // [i] written by thread i only, read after join
  std::vector<std::exception_ptr> errors_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> ready_{0};
  std::atomic<bool> go_{false};
  std::atomic<bool> stop_{false};
  Clock::time_point start_;
};

// The time a measurement of several threads runs: a full run's total per figure.
Clock::duration concurrent_time(const MeasureSettings& settings) {
  return settings.min_time * settings.runs;
}

// ---- Latency ----

// Times `blt` (one blt to its completion per iteration, one every kLatencyPace) at least
// `min_samples` times and for at least `min_time`.
Distribution sample_latency(Workload& blt, Clock::duration min_time, std::uint64_t min_samples) {
  std::vector<double> micros;
  const Clock::time_point end = Clock::now() + min_time;
  Clock::time_point next = Clock::now();
  while (micros.size() < min_samples || Clock::now() < end) {
    std::this_thread::sleep_until(next);
    next += kLatencyPace;
    const Clock::time_point start = Clock::now();
    blt.run_once();
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  std::sort(micros.begin(), micros.end());
  const std::size_t n = micros.size();
  const auto p99_index =
      static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(n))) - 1;
  return Distribution{micros[n / 2], micros[p99_index], micros.back(), n};
}

Row latency_row(std::string figure, const Distribution& latency, Target target,
                const std::string& company) {
  Row row;
  row.figure = std::move(figure);
  row.size = kSurface64KiB.name;
  row.bytes = kSurface64KiB.bytes();
  row.threads = blt_threads_label(BltThreads::kAll);
  row.unit = Unit::kMicroseconds;
  row.cpddi = latency.p99;
  row.reference = std::string("its median");
  row.reference_value = latency.median;
  row.ratio = latency.p99 / latency.median;
  row.target = target;
  if (target.kind != Target::Kind::kNone) {
    row.met = target.met_by(*row.ratio);
  }
  char note[160];
  std::snprintf(note, sizeof note,
                "p99 of submit-to-complete; median %.1f us, max %.1f us, %zu blts, one per %lld us",
                latency.median, latency.max, latency.samples,
                static_cast<long long>(kLatencyPace.count()));
  row.note = note;
  row.note += company;
  row.latency = latency;
  return row;
}

std::vector<Row> latency_rows(const Rig& rig, const MeasureSettings& settings) {
  const std::uint64_t min_samples =
      settings.runs > 1 ? kFullLatencySamples : settings.min_iterations;
  auto adapter = rig.open_adapter(BltThreads::kAll);
  conform::Device device(*adapter);
  WorkloadPtr blt = make_stream(device, kSurface64KiB, 0);
  blt->run_once();  // first touch stays out
  const Distribution alone = sample_latency(*blt, concurrent_time(settings), min_samples);

  std::vector<WorkloadPtr> company;
  company.push_back(make_stream(device, kSurfaceNv12Uhd, 0));
  company.push_back(make_stream(device, kSurfaceNv12Hd, kLatencyRefreshEvery));
  Together busy(std::move(company), 1);
  const Distribution loaded = sample_latency(*blt, concurrent_time(settings), min_samples);
  const double seconds = busy.finish();
  // How much the company did meanwhile shows that the device really was busy.
  char company_rates[128];
  std::snprintf(company_rates, sizeof company_rates, " (meanwhile %.0f and %.0f frames/s)",
                static_cast<double>(busy.iterations(0)) / seconds,
                static_cast<double>(busy.iterations(1)) / seconds);

  std::vector<Row> rows;
  rows.push_back(latency_row("DecryptionBlt latency, alone", alone, Target{}, ""));
  rows.push_back(latency_row("DecryptionBlt latency, busy", loaded,
                             Target{Target::Kind::kAtMost, 3},
                             "; same device: a 2160p stream, a 1080p stream refreshing every " +
                                 std::to_string(kLatencyRefreshEvery) + " frames" +
                                 company_rates));
  return rows;
}

// ---- Many streams ----

// `figure`: "8 streams, 2 devices".
std::vector<Row> stream_rows(const Rig& rig, const std::string& figure, unsigned devices,
                             const MeasureSettings& settings) {
  const SurfaceShape& shape = kSurfaceNv12Hd;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  auto adapter = rig.open_adapter(BltThreads::kAll, kStreams);
  std::vector<std::unique_ptr<conform::Device>> shared;
  for (unsigned d = 0; d < devices; ++d) {
    shared.push_back(std::make_unique<conform::Device>(*adapter));
  }
  // The streams stay set up across rounds (as players do); the references are made per round.
  std::vector<WorkloadPtr> streams;
  for (unsigned s = 0; s < kStreams; ++s) {
    streams.push_back(make_stream(*shared[s % devices], shape, kStreamRefreshEvery));
  }
  std::vector<std::uint64_t> frames(kStreams, 0);
  double stream_seconds = 0;
  double one_evp_bytes = 0, one_evp_seconds = 0;
  double all_evp_bytes = 0, all_evp_seconds = 0;
  const auto bytes = static_cast<double>(shape.bytes());
  for (int round = 0; round < settings.runs; ++round) {
    {
      Together together(std::move(streams), settings.min_iterations);
      std::this_thread::sleep_for(settings.min_time);
      stream_seconds += together.finish();
      for (unsigned s = 0; s < kStreams; ++s) {
        frames[s] += together.iterations(s);
      }
      streams = together.release();
    }
    for (unsigned threads : {1u, cores}) {
      std::vector<WorkloadPtr> evp;
      for (unsigned t = 0; t < threads; ++t) {
        evp.push_back(make_evp_aes128_ctr(shape.bytes()));
      }
      Together together(std::move(evp), settings.min_iterations);
      std::this_thread::sleep_for(settings.min_time);
      const double seconds = together.finish();
      std::uint64_t done = 0;
      for (unsigned t = 0; t < threads; ++t) {
        done += together.iterations(t);
      }
      (threads == 1 ? one_evp_bytes : all_evp_bytes) += static_cast<double>(done) * bytes;
      (threads == 1 ? one_evp_seconds : all_evp_seconds) += seconds;
    }
  }
  std::uint64_t total_frames = 0;
  for (std::uint64_t f : frames) {
    total_frames += f;
  }
  const double aggregate = static_cast<double>(total_frames) * bytes / stream_seconds / 1e6;
  const double slowest =
      static_cast<double>(*std::min_element(frames.begin(), frames.end())) * bytes /
      stream_seconds / 1e6;
  const double one_evp = one_evp_bytes / one_evp_seconds / 1e6;
  const double all_evp = all_evp_bytes / all_evp_seconds / 1e6;

  Row base;
  base.figure = figure;
  base.size = shape.name;
  base.bytes = shape.bytes();
  base.threads = blt_threads_label(BltThreads::kAll);
  base.unit = Unit::kMegabytesPerSecond;
  base.cpddi = aggregate;
  std::string refreshing = "each stream refreshes its key every ";
  refreshing += std::to_string(kStreamRefreshEvery);
  refreshing += " frames";

  std::vector<Row> rows;
  auto add = [&](std::string reference, double value, double compared, Target target,
                 std::string note) {
    Row row = base;
    row.cpddi = value;
    row.reference = std::move(reference);
    row.reference_value = compared;
    row.ratio = value / compared;
    row.target = target;
    if (target.kind != Target::Kind::kNone) {
      row.met = target.met_by(*row.ratio);
    }
    row.note = std::move(note);
    rows.push_back(std::move(row));
  };
  // 1.6x one thread needs a second core.
  const Target aggregate_target =
      cores >= 2 ? Target{Target::Kind::kAtLeast, 1.6} : Target{};
  add("EVP AES-128-CTR", aggregate, one_evp, aggregate_target,
      "aggregate of all streams; " + refreshing);
  add("EVP AES-128-CTR, " + std::to_string(cores) + " threads", aggregate, all_evp, Target{},
      "aggregate of all streams vs raw EVP on every core");
  add("fair share", slowest, aggregate / kStreams, Target{Target::Kind::kAtLeast, 0.8},
      "the slowest stream vs aggregate / " + std::to_string(kStreams));
  return rows;
}

}  // namespace

std::vector<Row> concurrency_rows(const Rig& rig, const MeasureSettings& settings,
                                  const std::function<void(const std::string&)>& progress) {
  std::vector<Row> rows;
  const std::string latency = "DecryptionBlt latency 64 KiB, alone and busy";
  if (settings.wants(latency)) {
    if (progress) {
      progress(latency);
    }
    for (Row& row : latency_rows(rig, settings)) {
      rows.push_back(std::move(row));
    }
  }
  for (unsigned devices : {1u, 2u}) {
    std::string streams = std::to_string(kStreams);
    streams += " streams, ";
    streams += std::to_string(devices);
    streams += devices == 1 ? " device" : " devices";
    if (!settings.wants(streams)) {
      continue;
    }
    if (progress) {
      progress(streams);
    }
    for (Row& row : stream_rows(rig, streams, devices, settings)) {
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace cpddi::bench
