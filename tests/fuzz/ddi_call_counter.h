#pragma once

// Counts every DDI call the fuzz targets make, per entry point, at the driver's C ABI: the targets
// open their adapters through counting_open_adapter*, which substitute counting wrappers for every
// slot of the adapter table the real OpenAdapter filled, and whose CreateDevice does the same for
// each device table. So a count is a call that reached cpddi's entry point, whoever made it (the
// sequence's own calls, the harness's setup, key proofs and cleanup).
//
// CPDDI_FUZZ_CALL_STATS=<file> appends the counts to <file> when the process exits normally (as
// libFuzzer does at the end of -runs / -max_total_time); scripts/fuzz-long.sh sums them over its
// rounds. CPDDI_FUZZ_CALL_STATS=- prints them to stderr only.

#include <cstdint>
#include <cstdio>
#include <span>

#include "cpddi/cpddi.h"

namespace cpddi::fuzz {

// One entry point of cpddi's exports and D3D9 function tables, and the calls it received.
struct DdiEntryCount {
  const char* name;
  std::uint64_t calls;
};

// OpenAdapter and cpddi_open_adapter_with_options, counted, with counting tables.
HRESULT APIENTRY counting_open_adapter(D3DDDIARG_OPENADAPTER* open_data);
HRESULT counting_open_adapter_with_options(D3DDDIARG_OPENADAPTER* open_data,
                                           const CPDDI_ADAPTER_OPTIONS* options);

// Every entry point, in table order (the exports, the adapter table, the device table).
std::span<const DdiEntryCount> ddi_call_counts();
std::uint64_t ddi_calls_total();
// "ddi_calls_total N" then one "ddi_calls <entry> N" line per entry point.
void print_ddi_call_counts(std::FILE* out);

}  // namespace cpddi::fuzz
