#pragma once

// The cpddi tool's subcommands: each registers its options on a CLI11 app and returns the code
// its run will exit with (0 = all good, 1 = a check failed, 2 = usage error).

#include <functional>

#include <CLI/CLI.hpp>

namespace cpddi::tool {

enum ExitCode : int { kExitOk = 0, kExitCheckFailed = 1, kExitUsage = 2 };

// Registers the subcommand on `app`; the returned function runs it after parsing.
using Run = std::function<int()>;
Run add_demo(CLI::App& app);
Run add_caps(CLI::App& app);
Run add_conform(CLI::App& app);
Run add_bench(CLI::App& app);

}  // namespace cpddi::tool
