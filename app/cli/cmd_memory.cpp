// lathe-cli memory MODEL --inputs F: per-module memory hooks over forward passes.
#include "cli_args.h"
#include "commands.h"
#include "cli_text.h"
#include "output.h"

#include "core/size_string.h"
#include "hub/model_source.h"
#include "session/session.h"

#include <cstdio>
#include <iostream>

namespace lathe::cli {

namespace {
std::string signed_bytes(std::int64_t b) {
  return (b < 0 ? "-" : "") + format_bytes(static_cast<std::uint64_t>(b < 0 ? -b : b));
}
}  // namespace

int cmd_memory(const Argv& argv) {
  Args args(argv, {"--inputs", "--inputs-prefix", "--text", "--pair", "--texts-file", "--dtype", "--variant", "--class", "--repeat", "--device-map", "--max-memory", "--offload-folder"},
            {"--all", "--offload-buffers"});
  args.expect_positional(1, 1, "lathe-cli memory MODEL (--inputs F [--inputs-prefix P] | --text T [--pair P] | --texts-file F) [--repeat N] [--dtype D] [--all] "
                               "[--device-map MODE|JSON] [--max-memory cpu=2GiB] [--offload-folder D] [--offload-buffers]");
  int repeat = std::stoi(args.value("--repeat").value_or("1"));
  if (repeat < 1) throw UsageError("--repeat must be at least 1");
  Session session;
  StderrProgress progress;
  LoadOptions lo = load_options(args);
  const std::string model = hub::resolve_model(args.positional()[0], hub::ModelNeed::Weights, &progress, {lo.variant, {}, {}});
  ForwardRequest req;
  set_forward_inputs(req, args, model, "memory");
  LoadReport load = session.load(model, lo);
  MemoryReport rep;
  for (int i = 0; i < repeat; ++i) rep = session.memory(req);
  if (args.json()) {
    nlohmann::ordered_json j;
    j["model_class"] = session.summary().class_name;
    j["loading_info"] = loading_info_json(load);
    j["forward_calls"] = rep.forward_calls;
    add_device_map_json(j, load);
    auto& mods = j["modules"] = nlohmann::ordered_json::array();
    for (const auto& m : rep.modules)
      mods.push_back({{"name", m.name}, {"type", m.type}, {"depth", m.depth}, {"calls", m.calls},
                      {"rss_pre", m.rss_pre}, {"rss_post", m.rss_post}, {"rss_diff", m.rss_diff},
                      {"allocated", m.allocated}, {"freed", m.freed}, {"peak", m.peak}, {"time_ms", m.time_ms},
                      {"param_bytes", m.param_bytes}, {"buffer_bytes", m.buffer_bytes}});
    print_json(j);
    return 0;
  }
  print_device_map(load);
  Table t({"module", "type", "calls", "rss diff", "allocated", "peak", "ms", "params"},
          {false, false, true, true, true, true, true, true});
  for (const auto& m : rep.modules) {
    if (m.calls == 0 && !args.has("--all")) continue;
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.3f", m.time_ms);
    t.add({std::string(static_cast<std::size_t>(2 * m.depth), ' ') + (m.name.empty() ? "(model)" : m.name.substr(m.name.rfind('.') + 1)),
           m.type, std::to_string(m.calls), signed_bytes(m.rss_diff), format_bytes(static_cast<std::uint64_t>(m.allocated)),
           format_bytes(static_cast<std::uint64_t>(m.peak)), ms, format_bytes(static_cast<std::uint64_t>(m.param_bytes))});
  }
  t.print(std::cout);
  std::printf("%lld forward call(s); allocator peak %s above the start of the forward\n",
              static_cast<long long>(rep.forward_calls), format_bytes(static_cast<std::uint64_t>(rep.modules.front().peak)).c_str());
  return 0;
}

}  // namespace lathe::cli
