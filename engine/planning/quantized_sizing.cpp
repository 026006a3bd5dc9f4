// bitsandbytes sizing for device-map planning, as transformers 4.47.1 does it (torch-free):
// Bnb8BitHfQuantizer / Bnb4BitHfQuantizer (update_torch_dtype, get_special_dtypes_update,
// adjust_target_dtype, adjust_max_memory) and integrations.bitsandbytes
// (get_keys_to_not_convert, _replace_with_bnb_linear).
#include "planning/quantized_sizing.h"

#include "core/error.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace lathe::planning {

namespace {

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

// name.replace(".weight", "") then name.replace(".bias", "") (every occurrence, as Python's str.replace).
std::string strip_weight_bias(std::string name) {
  for (const std::string r : {".weight", ".bias"})
    for (std::size_t at; (at = name.find(r)) != std::string::npos;) name.erase(at, r.size());
  return name;
}

// The last name of named_parameters() of the model as from_pretrained holds it before tie_weights():
// late ties (sizing.untied_when_balancing) are tensors of their own there, other ties count once.
std::string last_untied_parameter(const ModuleTree& tree) {
  std::unordered_map<std::string, std::size_t> group_of;
  for (std::size_t g = 0; g < tree.tied.size(); ++g)
    for (const auto& n : tree.tied[g]) group_of[n] = g;
  for (const auto& n : tree.sizing.untied_when_balancing) group_of.erase(n);
  std::vector<bool> seen(tree.tied.size(), false);
  std::string last;
  for (const auto& m : tree.modules)
    for (const auto& p : m.params) {
      auto it = group_of.find(p.name);
      if (it != group_of.end()) {
        if (seen[it->second]) continue;
        seen[it->second] = true;
      }
      last = p.name;
    }
  return last;
}

}  // namespace

std::vector<std::string> bnb_keys_to_not_convert(const ModuleTree& tree) {
  std::vector<std::string> tied_keys;
  for (const auto& g : tree.tied) tied_keys.insert(tied_keys.end(), g.begin(), g.end());
  // No tied weights: keep the output embedding (lm_head) in full precision.
  if (tied_keys.empty() && !tree.output_embeddings.empty()) return {tree.output_embeddings};
  // Otherwise the last module together with the tied weights.
  std::vector<std::string> untouched = tied_keys;
  std::string last = last_untied_parameter(tree);
  if (!last.empty() && std::find(tied_keys.begin(), tied_keys.end(), last) == tied_keys.end()) untouched.push_back(last);
  std::vector<std::string> out;
  for (const auto& n : untouched) {
    std::string f = strip_weight_bias(n);
    if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
  }
  return out;
}

void apply_bnb_sizing(ModuleTree& tree, const std::string& quantize, const std::vector<std::string>& skip_modules,
                      std::string torch_dtype) {
  const bool eight = quantize == "8bit";
  if (!eight && quantize != "nf4" && quantize != "fp4")
    throw Error(ErrorCode::InvalidArgument, "quantize must be 8bit, nf4 or fp4", quantize);
  if (torch_dtype.rfind("torch.", 0) == 0) torch_dtype = torch_dtype.substr(6);
  if (torch_dtype.empty()) torch_dtype = "float16";  // update_torch_dtype: bitsandbytes requires a float dtype
  if (torch_dtype != "float16" && torch_dtype != "bfloat16" && torch_dtype != "float32")
    throw Error(ErrorCode::InvalidArgument, "a quantized model needs torch_dtype float16, bfloat16 or float32", torch_dtype);

  Sizing& s = tree.sizing;
  s.quantize = quantize;
  s.modules_to_not_convert = skip_modules.empty() ? bnb_keys_to_not_convert(tree) : skip_modules;
  const auto& keep = s.modules_to_not_convert;

  // _replace_with_bnb_linear: every Linear / Conv1D child whose local name is not listed and whose
  // path is no listed key and lies under none ("key." in path). New modules are built under the
  // restored default dtype: float32 meta weights of nn.Linear's layout [out, in].
  for (auto& m : tree.modules) {
    if (m.name.empty() || (m.cls != "Linear" && m.cls != "Conv1D")) continue;
    auto dot = m.name.rfind('.');
    const std::string local = dot == std::string::npos ? m.name : m.name.substr(dot + 1);
    if (std::find(keep.begin(), keep.end(), local) != keep.end()) continue;
    if (std::any_of(keep.begin(), keep.end(), [&](const std::string& k) { return contains(m.name, k + ".") || k == m.name; }))
      continue;
    const bool conv = m.cls == "Conv1D";
    m.cls = eight ? "Linear8bitLt" : "Linear4bit";
    for (auto& p : m.params) {
      p.dtype = "float32";
      if (conv && p.shape.size() == 2) std::swap(p.shape[0], p.shape[1]);
    }
  }

  // get_special_dtypes_update: {name: torch_dtype for named_parameters() if any(m in name for m in keep)}.
  s.special_dtypes.clear();
  for (const auto& m : tree.modules)
    for (const auto& p : m.params)
      if (std::any_of(keep.begin(), keep.end(), [&](const std::string& k) { return contains(p.name, k); }))
        s.special_dtypes[p.name] = torch_dtype;
  // adjust_target_dtype: torch.int8 for 8-bit, CustomDtype.INT4 (0.5 byte) for 4-bit.
  s.dtype = eight ? "int8" : "int4";
  s.max_memory_factor = 0.90;  // adjust_max_memory: {key: val * 0.90}
}

}  // namespace lathe::planning
