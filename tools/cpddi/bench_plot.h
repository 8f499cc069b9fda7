#pragma once

// `cpddi bench --plot`: DecryptionBlt throughput against surface size as a small hand-written SVG.

#include <string>
#include <vector>

#include "bench/figures.h"

namespace cpddi::tool {

// Draws MB/s (y, linear from 0) against surface bytes (x, log scale over the three surfaces) for
// cpddi's full DecryptionBlt on one thread and on all threads, raw EVP AES-128-CTR and memcpy
// (the references measured beside the one-thread blts), titled with `machine`. Returns false if
// the rows lack a series or the file cannot be written.
bool write_throughput_plot(const std::string& path, const std::vector<bench::Row>& rows,
                           const std::string& machine);

}  // namespace cpddi::tool
