// lathe-cli plan --tree TREE.json --device-map MODE: accelerate-compatible device-map planning.
#include "cli_args.h"
#include "commands.h"
#include "output.h"

#include "core/error.h"
#include "core/size_string.h"
#include "planning/device_map.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

namespace lathe::cli {

namespace {
constexpr const char* kPlanUsage =
    "lathe-cli plan --tree TREE.json --device-map auto|balanced|balanced_low_0|sequential "
    "[--max-memory 0=2GiB,1=4GiB,cpu=16GiB] [--no-split CLS,...] [--dtype D] [--offload-buffers] "
    "[--fallback-allocation] [--json]";

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string bytes_text(double b) {
  return format_bytes(static_cast<std::uint64_t>(b < 0 ? 0 : b)) + " (" + std::to_string(static_cast<long long>(b)) + ")";
}
}  // namespace

int cmd_plan(const Argv& argv) {
  Args args(argv, {"--tree", "--device-map", "--max-memory", "--no-split", "--dtype", "--quantize"},
            {"--offload-buffers", "--fallback-allocation"});
  args.expect_positional(0, 1, kPlanUsage);
  auto tree_path = args.value("--tree");
  if (!tree_path) {
    if (!args.positional().empty())
      throw Error(ErrorCode::Unsupported, "plan MODEL is not implemented yet; pass a module-size tree with --tree",
                  args.positional()[0]);
    throw UsageError(std::string("plan needs --tree TREE.json\nusage: ") + kPlanUsage);
  }
  if (args.value("--quantize")) throw Error(ErrorCode::Unsupported, "plan --quantize is not implemented yet");
  auto mode_text = args.value("--device-map");
  if (!mode_text) throw UsageError(std::string("plan needs --device-map\nusage: ") + kPlanUsage);

  std::ifstream in(*tree_path, std::ios::binary);
  if (!in) throw Error(ErrorCode::NotFound, "cannot open the module tree", *tree_path);
  std::stringstream buf;
  buf << in.rdbuf();
  planning::ModuleTree tree;
  try {
    tree = planning::parse_module_tree_text(buf.str());
  } catch (const Error& e) {
    throw Error(e.code(), std::string(e.what()) + (e.context().empty() ? "" : " (" + e.context() + ")"), *tree_path);
  }

  planning::PlanOptions opts;
  opts.mode = planning::parse_plan_mode(*mode_text);
  if (auto mm = args.value("--max-memory")) {
    opts.max_memory = planning::parse_max_memory(*mm);
  } else {  // get_max_memory(None) on a GPU-less machine: available RAM for "cpu"
    long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    opts.max_memory = {{"cpu", static_cast<double>(pages > 0 && page > 0 ? pages * page : 0)}};
  }
  if (auto ns = args.value("--no-split")) opts.no_split = split_list(*ns);
  if (auto dt = args.value("--dtype"); dt && *dt != "auto") opts.dtype = *dt;
  opts.offload_buffers = args.has("--offload-buffers");
  opts.fallback_allocation = args.has("--fallback-allocation");

  planning::PlanResult r = planning::plan_device_map(tree, opts);
  for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
  if (args.json()) {
    print_json(r.to_json());
    return 0;
  }
  std::cout << "device map:\n" << planning::device_map_json(r.device_map).dump(2) << "\n\n";
  Table t({"device", "budget", "used"}, {false, true, true});
  for (const auto& b : r.budgets) {
    double u = 0;
    for (const auto& [d, v] : r.used)
      if (d == b.device) u = v;
    t.add({b.device, b.device == "disk" ? "unlimited" : bytes_text(b.bytes), bytes_text(u)});
  }
  for (const auto& [d, v] : r.used)
    if (d == "disk" && std::none_of(r.budgets.begin(), r.budgets.end(), [](const auto& b) { return b.device == "disk"; }))
      t.add({"disk", "unlimited", bytes_text(v)});
  t.print(std::cout);
  std::cout << "model size: " << bytes_text(r.total) << "; largest-layer reserve: " << bytes_text(r.reserve) << "\n";
  return 0;
}

}  // namespace lathe::cli
