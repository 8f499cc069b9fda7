#include "bench_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>

#include "output.h"

namespace cpddi::tool {
namespace {

constexpr const char* kBlt = "DecryptionBlt full";
constexpr const char* kEvp = "EVP AES-128-CTR";
constexpr const char* kMemcpy = "memcpy";

// The drawing: 760×440, the plot area inside the margins, the legend to its right.
constexpr double kWidth = 760;
constexpr double kHeight = 440;
constexpr double kLeft = 78;
constexpr double kRight = 500;
constexpr double kTop = 56;
constexpr double kBottom = 370;

struct Point {
  double bytes;
  double mb_per_s;
  std::string label;  // the surface, for the x tick
};

struct Series {
  std::string name;
  const char* colour;
  const char* dash;  // stroke-dasharray, "" = solid
  std::vector<Point> points;
};

// One value per surface from the DecryptionBlt-full rows compared with `reference`: cpddi's
// figure, or the reference's when `take_reference`.
std::vector<Point> points(const std::vector<bench::Row>& rows, bool one_thread,
                          const char* reference, bool take_reference) {
  std::vector<Point> out;
  for (const bench::Row& row : rows) {
    if (row.figure == kBlt && (row.threads == "1") == one_thread && row.reference &&
        *row.reference == reference) {
      out.push_back({static_cast<double>(row.bytes),
                     take_reference ? row.reference_value : row.cpddi, row.size});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Point& a, const Point& b) { return a.bytes < b.bytes; });
  return out;
}

std::optional<std::string> all_threads_label(const std::vector<bench::Row>& rows) {
  for (const bench::Row& row : rows) {
    if (row.figure == kBlt && row.threads != "1") {
      return row.threads;
    }
  }
  return std::nullopt;
}

// A round step (1, 2 or 5 × 10^n) giving about five ticks up to `max`.
double tick_step(double max) {
  const double raw = max / 5;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * magnitude >= raw) {
      return m * magnitude;
    }
  }
  return 10 * magnitude;
}

// stroke="…" stroke-width and, for a dashed series, stroke-dasharray.
std::string stroke(const Series& s) {
  std::string out = " stroke=\"" + std::string(s.colour) + "\" stroke-width=\"2\"";
  if (s.dash[0] != '\0') {
    out += " stroke-dasharray=\"" + std::string(s.dash) + "\"";
  }
  return out;
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

// MB/s tick labels are whole numbers written out ("20000", not "2e+04").
std::string tick_label(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", value);
  return text;
}

std::string size_text(double bytes) {
  char text[32];
  if (bytes >= 1 << 20) {
    std::snprintf(text, sizeof text, "%.1f MiB", bytes / (1 << 20));
  } else {
    std::snprintf(text, sizeof text, "%.0f KiB", bytes / 1024);
  }
  return text;
}

}  // namespace

bool write_throughput_plot(const std::string& path, const std::vector<bench::Row>& rows,
                           const std::string& machine) {
  const std::optional<std::string> all_threads = all_threads_label(rows);
  if (!all_threads) {
    return false;
  }
  std::vector<Series> series = {
      {"cpddi, 1 thread", "#1f77b4", "", points(rows, true, kEvp, false)},
      {"cpddi, threads " + *all_threads, "#d62728", "", points(rows, false, kEvp, false)},
      {"raw EVP AES-128-CTR", "#2ca02c", "8 4", points(rows, true, kEvp, true)},
      {"memcpy", "#7f7f7f", "2 4", points(rows, true, kMemcpy, true)},
  };
  double max_bytes = 0;
  double min_bytes = 0;
  double max_value = 0;
  for (const Series& s : series) {
    if (s.points.size() < 2) {
      return false;
    }
    for (const Point& p : s.points) {
      min_bytes = min_bytes == 0 ? p.bytes : std::min(min_bytes, p.bytes);
      max_bytes = std::max(max_bytes, p.bytes);
      max_value = std::max(max_value, p.mb_per_s);
    }
  }
  const double step = tick_step(max_value > 0 ? max_value : 1);
  const double y_max = std::ceil(max_value / step) * step;
  // Log x with a margin of a quarter decade on each side, so the end points sit inside.
  const double x_lo = std::log10(min_bytes) - 0.25;
  const double x_hi = std::log10(max_bytes) + 0.25;
  auto x_at = [&](double bytes) {
    return kLeft + (std::log10(bytes) - x_lo) / (x_hi - x_lo) * (kRight - kLeft);
  };
  auto y_at = [&](double value) { return kBottom - value / y_max * (kBottom - kTop); };

  std::string svg;
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + number(kWidth) +
         "\" height=\"" + number(kHeight) + "\" viewBox=\"0 0 " + number(kWidth) + " " +
         number(kHeight) + "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg += "<text x=\"" + number(kWidth / 2) +
         "\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">"
         "DecryptionBlt throughput vs raw AES-128-CTR and memcpy</text>\n";
  svg += "<text x=\"" + number(kWidth / 2) + "\" y=\"42\" text-anchor=\"middle\" fill=\"#555\">" +
         xml_escape(machine) + "</text>\n";

  // Grid, y ticks and axes.
  for (double v = 0; v <= y_max + step / 2; v += step) {
    const std::string y = number(y_at(v));
    svg += "<line x1=\"" + number(kLeft) + "\" y1=\"" + y + "\" x2=\"" + number(kRight) +
           "\" y2=\"" + y + "\" stroke=\"#e5e5e5\"/>\n";
    svg += "<text x=\"" + number(kLeft - 6) + "\" y=\"" + y +
           "\" text-anchor=\"end\" dominant-baseline=\"middle\">" + tick_label(v) + "</text>\n";
  }
  svg += "<line x1=\"" + number(kLeft) + "\" y1=\"" + number(kTop) + "\" x2=\"" + number(kLeft) +
         "\" y2=\"" + number(kBottom) + "\" stroke=\"black\"/>\n";
  svg += "<line x1=\"" + number(kLeft) + "\" y1=\"" + number(kBottom) + "\" x2=\"" +
         number(kRight) + "\" y2=\"" + number(kBottom) + "\" stroke=\"black\"/>\n";
  svg += "<text transform=\"translate(20 " + number((kTop + kBottom) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">throughput (MB/s)</text>\n";
  svg += "<text x=\"" + number((kLeft + kRight) / 2) + "\" y=\"" + number(kHeight - 12) +
         "\" text-anchor=\"middle\">surface size (bytes, log scale)</text>\n";
  for (const Point& p : series.front().points) {
    const std::string x = number(x_at(p.bytes));
    svg += "<line x1=\"" + x + "\" y1=\"" + number(kBottom) + "\" x2=\"" + x + "\" y2=\"" +
           number(kBottom + 5) + "\" stroke=\"black\"/>\n";
    svg += "<text x=\"" + x + "\" y=\"" + number(kBottom + 19) + "\" text-anchor=\"middle\">" +
           xml_escape(p.label) + "</text>\n";
    svg += "<text x=\"" + x + "\" y=\"" + number(kBottom + 34) +
           "\" text-anchor=\"middle\" fill=\"#555\">" + size_text(p.bytes) + "</text>\n";
  }

  // The series, then the legend.
  for (const Series& s : series) {
    std::string line;
    for (const Point& p : s.points) {
      line += number(x_at(p.bytes)) + "," + number(y_at(p.mb_per_s)) + " ";
    }
    svg += "<polyline fill=\"none\"" + stroke(s) + " points=\"" + line + "\"/>\n";
    for (const Point& p : s.points) {
      svg += "<circle cx=\"" + number(x_at(p.bytes)) + "\" cy=\"" + number(y_at(p.mb_per_s)) +
             "\" r=\"3\" fill=\"" + s.colour + "\"/>\n";
    }
  }
  double legend_y = kTop + 8;
  for (const Series& s : series) {
    const std::string y = number(legend_y);
    svg += "<line x1=\"" + number(kRight + 20) + "\" y1=\"" + y + "\" x2=\"" +
           number(kRight + 48) + "\" y2=\"" + y + "\"" + stroke(s) + "/>\n";
    svg += "<text x=\"" + number(kRight + 54) + "\" y=\"" + y +
           "\" dominant-baseline=\"middle\">" + xml_escape(s.name) + "</text>\n";
    legend_y += 22;
  }
  svg += "</svg>\n";

  std::ofstream out(path);
  out << svg;
  return static_cast<bool>(out);
}

}  // namespace cpddi::tool
