// lathe-cli plan MODEL|--tree TREE.json --device-map MODE: accelerate-compatible device-map planning,
// from a model's config.json (a meta skeleton, as from_pretrained sizes it) or from a module-size tree.
#include "cli_args.h"
#include "commands.h"
#include "output.h"

#include "core/error.h"
#include "core/size_string.h"
#include "hub/model_source.h"
#include "planning/device_map.h"
#include "planning/model_tree.h"
#include "planning/quantized_sizing.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

namespace lathe::cli {

/// model_module_tree (LibTorch) in lathe-cli-full; the torch-free front hands the command over instead.
planning::ModuleTree plan_tree_with_torch(const std::string& local, const planning::ModelTreeOptions& opts);

namespace {
constexpr const char* kPlanUsage =
    "lathe-cli plan MODEL|--tree TREE.json --device-map auto|balanced|balanced_low_0|sequential "
    "[--max-memory 0=2GiB,1=4GiB,cpu=16GiB] [--no-split CLS,...] [--dtype D] [--quantize 8bit|nf4|fp4] "
    "[--skip-modules MOD,...] [--offload-buffers] [--fallback-allocation] [--json]";

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

planning::ModuleTree read_tree(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::NotFound, "cannot open the module tree", path);
  std::stringstream buf;
  buf << in.rdbuf();
  try {
    return planning::parse_module_tree_text(buf.str());
  } catch (const Error& e) {
    throw Error(e.code(), std::string(e.what()) + (e.context().empty() ? "" : " (" + e.context() + ")"), path);
  }
}

void print_human(const planning::PlanResult& r, const planning::ModuleTree& tree, const std::string& dtype) {
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
  std::cout << "model size: " << bytes_text(r.total) << " at " << (dtype.empty() ? "each tensor's own dtype" : dtype)
            << "; largest-layer reserve: " << bytes_text(r.reserve) << "\n";
  if (!tree.sizing.quantize.empty()) {
    std::string keep;
    for (const auto& m : tree.sizing.modules_to_not_convert) keep += (keep.empty() ? "" : ", ") + m;
    std::cout << "quantization: bitsandbytes " << tree.sizing.quantize << "; not converted: " << (keep.empty() ? "-" : keep)
              << "; budgets x " << tree.sizing.max_memory_factor << "\n";
  }
}
}  // namespace

int cmd_plan(const Argv& argv) {
  Args args(argv, {"--tree", "--device-map", "--max-memory", "--no-split", "--dtype", "--quantize", "--skip-modules"},
            {"--offload-buffers", "--fallback-allocation"});
  args.expect_positional(0, 1, kPlanUsage);
  auto tree_path = args.value("--tree");
  if (tree_path.has_value() == !args.positional().empty())
    throw UsageError(std::string("plan needs either MODEL or --tree TREE.json\nusage: ") + kPlanUsage);
  auto mode_text = args.value("--device-map");
  if (!mode_text) throw UsageError(std::string("plan needs --device-map\nusage: ") + kPlanUsage);
  const std::string quantize = args.value("--quantize").value_or("");
  if (!quantize.empty() && quantize != "8bit" && quantize != "nf4" && quantize != "fp4")
    throw UsageError(std::string("--quantize takes 8bit, nf4 or fp4\nusage: ") + kPlanUsage);
  const auto skip = split_list(args.value("--skip-modules").value_or(""));
  if (!skip.empty() && quantize.empty()) throw UsageError("--skip-modules needs --quantize");

  planning::PlanOptions opts;
  opts.mode = planning::parse_plan_mode(*mode_text);
  const std::string dtype = args.value("--dtype").value_or("");
  planning::ModuleTree tree;
  if (tree_path) {
    tree = read_tree(*tree_path);
    if (!quantize.empty()) planning::apply_bnb_sizing(tree, quantize, skip, dtype == "auto" ? "" : dtype);
    else if (dtype != "auto") opts.dtype = dtype;
  } else {
    // MODEL: from_pretrained(MODEL, device_map=MODE, torch_dtype=--dtype, quantization_config=...) sizing.
    StderrProgress progress;
    std::string local = hub::resolve_model(args.positional()[0], hub::ModelNeed::Config, &progress);
    const planning::ModelTreeOptions mo{dtype, quantize, skip, ""};
    auto fast = planning::model_module_tree_fast(local, mo);  // torch-free for the Llama family
    tree = fast ? std::move(*fast) : plan_tree_with_torch(local, mo);
  }
  if (auto mm = args.value("--max-memory")) {
    opts.max_memory = planning::parse_max_memory(*mm);
  } else {  // get_max_memory(None) on a GPU-less machine: available RAM for "cpu", as loading uses
    opts.max_memory = {{"cpu", planning::available_cpu_memory()}};
  }
  if (auto ns = args.value("--no-split")) opts.no_split = split_list(*ns);
  opts.offload_buffers = args.has("--offload-buffers");
  opts.fallback_allocation = args.has("--fallback-allocation");

  planning::PlanResult r = planning::plan_device_map(tree, opts);
  const std::string used_dtype = opts.dtype.empty() ? tree.sizing.dtype : opts.dtype;
  for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
  if (args.json()) {
    auto j = r.to_json();
    j["dtype"] = used_dtype.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(used_dtype);
    if (!tree.sizing.quantize.empty())
      j["quantization"] = {{"method", tree.sizing.quantize},
                           {"modules_to_not_convert", tree.sizing.modules_to_not_convert},
                           {"max_memory_factor", tree.sizing.max_memory_factor}};
    print_json(j);
    return 0;
  }
  print_human(r, tree, used_dtype);
  return 0;
}

}  // namespace lathe::cli
