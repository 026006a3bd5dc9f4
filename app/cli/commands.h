// The subcommands of lathe-cli. Each returns the process exit code and lets
// lathe::Error / lathe::Cancelled / UsageError propagate to main().
#pragma once

#include <string>
#include <vector>

namespace lathe::cli {

using Argv = std::vector<std::string>;

int cmd_inspect(const Argv& args);
int cmd_convert(const Argv& args);
int cmd_bench(const Argv& args);
int cmd_demo(const Argv& args);

/// Benchmarks (bench_*.cpp), called by cmd_bench.
int bench_io(const Argv& args);

}  // namespace lathe::cli
