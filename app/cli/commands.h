// The subcommands of lathe-cli. Each returns the process exit code and lets
// lathe::Error / lathe::Cancelled / UsageError propagate to main().
#pragma once

#include "cli_args.h"
#include "session/session.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lathe::cli {

using Argv = std::vector<std::string>;

int cmd_inspect(const Argv& args);
int cmd_convert(const Argv& args);
int cmd_bench(const Argv& args);
int cmd_demo(const Argv& args);
int cmd_run(const Argv& args);
int cmd_save(const Argv& args);
int cmd_prune(const Argv& args);
int cmd_resize(const Argv& args);
int cmd_memory(const Argv& args);
int cmd_generate(const Argv& args);
int cmd_hub(const Argv& args);
int cmd_plan(const Argv& args);
int cmd_quantize(const Argv& args);
int cmd_tokenize(const Argv& args);
int cmd_detokenize(const Argv& args);

/// Shared by commands that load a model: --dtype, --variant, --class, --ignore-mismatched-sizes.
LoadOptions load_options(const Args& args);
nlohmann::ordered_json loading_info_json(const LoadReport& r);
/// "device_map" and "offload" keys when the model was loaded with a device map.
void add_device_map_json(nlohmann::ordered_json& j, const LoadReport& r);
/// The device map and totals as text (nothing without a map).
void print_device_map(const LoadReport& r);

/// Benchmarks (bench_*.cpp), called by cmd_bench.
int bench_io(const Argv& args);

}  // namespace lathe::cli
