#include "dialogs/load_estimate.h"

#include "hub/hub_client.h"
#include "hub/model_source.h"
#include "hub/remote_inspect.h"
#include "planning/device_map.h"
#include "planning/model_tree.h"

#include <optional>

namespace lathe::ui {

LoadEstimate compute_load_estimate(const std::string& path, const lathe::LoadOptions& opts) {
  LoadEstimate e;
  lathe::LoadOptions plain = opts;
  plain.quantization.reset();
  // A Hub repo id: headers by HTTP Range and config files only — nothing is downloaded
  // before the user decides to load (the same numbers a local folder gives).
  std::string tree_path = path;
  if (hub::looks_like_repo_id(path)) {
    hub::HubClient client;
    const auto [repo, revision] = hub::parse_repo_ref(path);
    e.summary = lathe::summarize_model(hub::inspect_remote(client, repo, revision), plain);
    tree_path = hub::resolve_model(path, hub::ModelNeed::Config);
  } else {
    e.summary = lathe::summarize_model(path, plain);
  }
  const bool mapped = !opts.device_map.empty() && opts.device_map.front() != '{';
  if (!opts.quantization && !mapped) return e;

  planning::ModelTreeOptions t;
  t.torch_dtype = opts.torch_dtype;
  t.model_class = opts.model_class;
  if (opts.quantization) {
    const lathe::BnbConfig& q = *opts.quantization;
    t.quantize = q.load_in_8bit ? "8bit" : q.bnb_4bit_quant_type;
    if (q.llm_int8_skip_modules) t.skip_modules = *q.llm_int8_skip_modules;
  }
  const planning::ModuleTree tree = planning::model_module_tree(tree_path, t);
  e.sizing_dtype = tree.sizing.dtype;
  if (opts.quantization) {
    e.sized = true;
    e.planned_bytes = planning::compute_module_sizes(tree, tree.sizing.dtype).get("");
  }
  if (!mapped) return e;
  if (opts.max_memory.empty()) {
    e.plan_note = "budgets";
    return e;
  }
  planning::PlanOptions po;
  po.mode = planning::parse_plan_mode(opts.device_map);
  po.max_memory = planning::parse_max_memory(opts.max_memory);
  po.offload_buffers = opts.offload_buffers;
  planning::PlanResult r = planning::plan_device_map(tree, po);
  e.device_used = std::move(r.used);
  e.warnings = std::move(r.warnings);
  return e;
}

}  // namespace lathe::ui
