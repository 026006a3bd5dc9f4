// lathe-cli run MODEL --inputs F: from_pretrained + forward, outputs to a file.
#include "cli_args.h"
#include "commands.h"
#include "cli_text.h"
#include "output.h"

#include "core/error.h"
#include "hub/model_source.h"
#include "planning/device_map.h"
#include "session/session.h"

#include <cstdio>

namespace lathe::cli {

nlohmann::ordered_json loading_info_json(const LoadReport& r) {
  nlohmann::ordered_json j;
  j["missing_keys"] = r.missing_keys;
  j["unexpected_keys"] = r.unexpected_keys;
  auto& mm = j["mismatched_keys"] = nlohmann::ordered_json::array();
  for (const auto& m : r.mismatched_keys) mm.push_back({m.key, m.checkpoint_shape, m.model_shape});
  return j;
}

LoadOptions load_options(const Args& args) {
  LoadOptions o;
  o.torch_dtype = args.value("--dtype").value_or("");
  o.variant = args.value("--variant").value_or("");
  o.model_class = args.value("--class").value_or("");
  o.ignore_mismatched_sizes = args.has("--ignore-mismatched-sizes");
  o.device_map = args.value("--device-map").value_or("");
  o.max_memory = args.value("--max-memory").value_or("");
  o.offload_folder = args.value("--offload-folder").value_or("");
  o.offload_buffers = args.has("--offload-buffers");
  if (o.device_map.empty() && (!o.max_memory.empty() || !o.offload_folder.empty() || o.offload_buffers))
    throw UsageError("--max-memory, --offload-folder and --offload-buffers need --device-map");
  return o;
}

void add_device_map_json(nlohmann::ordered_json& j, const LoadReport& r) {
  if (r.device_map.empty()) return;
  j["device_map"] = planning::device_map_json(r.device_map);
  j["offload"] = {{"resident_bytes", r.resident_bytes}, {"offloaded_bytes", r.offloaded_bytes},
                  {"offloaded_tensors", r.offloaded_tensors}, {"warnings", r.device_map_warnings}};
}

void print_device_map(const LoadReport& r) {
  if (r.device_map.empty()) return;
  for (const auto& w : r.device_map_warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  std::printf("device map:\n");
  for (const auto& [name, dev] : r.device_map) std::printf("  %-32s %s\n", name.empty() ? "(model)" : name.c_str(), dev.c_str());
  std::printf("in memory %llu bytes, on disk %llu bytes (%lld tensors)\n", static_cast<unsigned long long>(r.resident_bytes),
              static_cast<unsigned long long>(r.offloaded_bytes), static_cast<long long>(r.offloaded_tensors));
}

int cmd_run(const Argv& argv) {
  Args args(argv, {"--inputs", "--inputs-prefix", "--text", "--pair", "--texts-file", "--out", "--dtype", "--variant", "--class", "--device-map", "--max-memory", "--offload-folder"},
            {"--hidden-states", "--ignore-mismatched-sizes", "--offload-buffers"});
  args.expect_positional(1, 1,
                         "lathe-cli run MODEL (--inputs F [--inputs-prefix P] | --text T [--pair P] | --texts-file F) [--out OUT.safetensors] "
                         "[--dtype auto|float32|bfloat16|float16] [--hidden-states] [--class C] "
                         "[--device-map auto|balanced|balanced_low_0|sequential|JSON] [--max-memory cpu=2GiB] "
                         "[--offload-folder D] [--offload-buffers]");
  LoadOptions lo = load_options(args);
  if (lo.torch_dtype == "float16" || lo.torch_dtype == "fp16" || lo.torch_dtype == "half")
    throw Error(ErrorCode::Unsupported,
                "float16 matmul is not implemented on CPU in LibTorch 1.13; use --dtype bfloat16 or float32");
  Session session;
  StderrProgress progress;
  const std::string model = hub::resolve_model(args.positional()[0], hub::ModelNeed::Weights, &progress, {lo.variant, {}, {}});
  ForwardRequest req;
  set_forward_inputs(req, args, model, "run");  // a bad text or tokenizer fails before the weights load
  LoadReport report = session.load(model, lo, &progress);
  req.hidden_states = args.has("--hidden-states");
  req.out_path = args.value("--out").value_or("");
  ForwardResult r = session.run(req);
  for (const auto& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  if (args.json()) {
    nlohmann::ordered_json j;
    j["model_class"] = session.summary().class_name;
    j["loading_info"] = loading_info_json(report);
    j["estimate_tokens"] = r.estimate_tokens;
    j["floating_point_ops"] = r.floating_point_ops;
    j["dtype"] = r.dtype;
    auto& outs = j["outputs"] = nlohmann::ordered_json::object();
    for (const auto& o : r.outputs) outs[o.name] = o.shape;
    if (!req.out_path.empty()) j["out"] = req.out_path;
    j["warnings"] = r.warnings;
    add_device_map_json(j, report);
    print_json(j);
    return 0;
  }
  std::printf("%s (%s)\n", session.summary().class_name.c_str(), r.dtype.c_str());
  std::printf("missing: %zu, unexpected: %zu, mismatched: %zu\n", report.missing_keys.size(),
              report.unexpected_keys.size(), report.mismatched_keys.size());
  print_device_map(report);
  for (const auto& o : r.outputs) std::printf("  %-24s %s\n", o.name.c_str(), shape_text(o.shape).c_str());
  std::printf("estimate_tokens %lld, floating_point_ops %lld\n", static_cast<long long>(r.estimate_tokens),
              static_cast<long long>(r.floating_point_ops));
  if (!req.out_path.empty()) std::printf("wrote %s\n", req.out_path.c_str());
  return 0;
}

}  // namespace lathe::cli
