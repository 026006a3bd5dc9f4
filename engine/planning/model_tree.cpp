// model_module_tree / module_tree_of: a meta skeleton (or a loaded model) as the module tree
// transformers 4.47.1 hands to accelerate 1.2.1 in from_pretrained(device_map=str).
#include "planning/model_tree.h"

#include "config/model_config.h"
#include "core/dtype.h"
#include "core/error.h"
#include "io/checkpoint.h"
#include "io/torch_dtype.h"
#include "models/from_pretrained.h"
#include "planning/model_tree_internal.h"
#include "planning/quantized_sizing.h"

#include <algorithm>
#include <filesystem>
#include <unordered_map>

namespace lathe::planning {

namespace {

namespace fs = std::filesystem;

std::string join(const std::string& prefix, const std::string& local) {
  return prefix.empty() ? local : prefix + "." + local;
}

TensorInfo info_of(const std::string& name, const at::Tensor& t) {
  return {name, t.sizes().vec(), dtype_torch_name(from_scalar_type(t.scalar_type()))};
}

// accelerate places every module transformers builds, including those without
// tensors Lathe keeps (dropouts, activations, 4.47's per-attention rotary
// embeddings): each Lathe module declares its own (nn::TensorlessChild), and the
// walk inserts them where transformers has them.
struct Walker {
  ModuleTree& tree;

  int add(const std::string& name, const std::string& cls) {
    int idx = static_cast<int>(tree.modules.size());
    tree.modules.push_back({name, cls, {}, {}, {}});
    tree.index.emplace(name, idx);
    return idx;
  }
  int walk(nn::Module& m, const std::string& name, const std::string& cls) {
    int idx = add(name, cls);
    for (const auto& [local, p] : m.own_params()) tree.modules[idx].params.push_back(info_of(join(name, local), p->value));
    for (const auto& [local, b] : m.own_buffers()) tree.modules[idx].buffers.push_back(info_of(join(name, local), b.value));
    const auto& extras = m.tensorless_children();
    std::vector<bool> placed(extras.size(), false);
    auto add_extras = [&](const std::string* after) {  // nullptr: whatever is left, at the end
      for (std::size_t i = 0; i < extras.size(); ++i) {
        if (placed[i] || (after && *after != extras[i].after)) continue;
        placed[i] = true;
        const std::string child = join(name, extras[i].name);
        const int c = add(child, extras[i].type_name);  // add() may reallocate tree.modules
        for (const auto& [buf, shape] : extras[i].float32_buffers)
          tree.modules[c].buffers.push_back({join(child, buf), shape, "float32"});
        tree.modules[idx].children.push_back(c);
      }
    };
    const std::string first;
    add_extras(&first);
    for (const auto& [local, child] : m.children()) {
      int c = walk(*child, join(name, local), child->type_name());
      tree.modules[idx].children.push_back(c);
      add_extras(&local);
    }
    add_extras(nullptr);
    return idx;
  }
};

std::string module_name_of(models::PreTrainedModel& model, const nn::Module* target) {
  std::string found;
  bool hit = false;
  model.named_modules([&](const std::string& n, nn::Module& m) {
    if (!hit && &m == target) found = n, hit = true;
  });
  return found;
}

}  // namespace

ModuleTree module_tree_of(models::PreTrainedModel& model) {
  ModuleTree tree;
  Walker w{tree};
  w.walk(model, "", model.type_name());
  tree.no_split = model.no_split_modules();
  if (!model.declares_no_split_modules())
    tree.sizing.auto_unsupported = model.type_name() +
        " does not support `device_map='auto'`. To implement support, the model class needs to implement "
        "the `_no_split_modules` attribute.";

  // Tied groups: names sharing one parameter slot.
  std::unordered_map<const nn::ParamSlot*, std::vector<std::string>> by_slot;
  std::vector<const nn::ParamSlot*> order;
  for (const auto& [name, p] : model.named_parameters(false)) {
    auto [it, fresh] = by_slot.try_emplace(p.get());
    if (fresh) order.push_back(p.get());
    it->second.push_back(name);
  }
  for (const auto* s : order)
    if (by_slot[s].size() > 1) {
      auto g = by_slot[s];
      std::sort(g.begin(), g.end());
      tree.tied.push_back(std::move(g));
    }

  if (nn::Linear* out = model.get_output_embeddings()) {
    tree.output_embeddings = module_name_of(model, out);
    // from_pretrained builds the model without post_init's tie_weights(): the output embedding is a
    // tensor of its own until model.tie_weights() right before infer_auto_device_map.
    nn::Embedding* in = model.get_input_embeddings();
    if (in && out->param("weight") && out->param("weight") == in->param("weight"))
      tree.sizing.untied_when_balancing.push_back(join(tree.output_embeddings, "weight"));
  }
  return tree;
}

ModuleTree model_module_tree(const std::string& path, const ModelTreeOptions& opts) {
  std::error_code ec;
  std::string config_file;
  if (fs::is_directory(path, ec)) config_file = (fs::path(path) / "config.json").string();
  else if (fs::is_regular_file(path, ec) && fs::path(path).extension() == ".json") config_file = path;
  if (config_file.empty() || !fs::is_regular_file(config_file, ec))
    throw Error(ErrorCode::NotFound, "planning from a model needs its config.json", path);
  if (!opts.quantize.empty() && opts.quantize != "8bit" && opts.quantize != "nf4" && opts.quantize != "fp4")
    throw Error(ErrorCode::InvalidArgument, "quantize must be 8bit, nf4 or fp4", opts.quantize);
  ModelConfig config = ModelConfig::from_file(config_file);

  // torch_dtype as from_pretrained resolves it ("" = None; a quantizer turns None into float16).
  std::string torch_dtype = opts.torch_dtype;
  if (torch_dtype.empty() && !opts.quantize.empty()) torch_dtype = "float16";
  c10::ScalarType dtype = c10::kFloat;
  if (torch_dtype == "auto") {
    auto cfg = config.torch_dtype();
    if (cfg && *cfg != "auto") {
      dtype = models::resolve_load_dtype(*cfg, config, {});
    } else {
      CheckpointFiles files;
      bool have_weights = false;
      if (fs::is_directory(path, ec)) {
        try {
          files = resolve_checkpoint(path);
          have_weights = !files.weight_files.empty();
        } catch (const Error&) {  // no weights: nothing settles "auto"; float32 as torch's default
        }
      }
      if (have_weights) dtype = models::resolve_load_dtype("auto", config, files);
    }
  } else if (!torch_dtype.empty()) {
    dtype = models::resolve_load_dtype(torch_dtype, config, {});
  }

  auto model = models::build_skeleton(config, opts.model_class, dtype);
  ModuleTree tree = module_tree_of(*model);
  tree.sizing.dtype = torch_dtype.empty() ? std::string() : dtype_torch_name(from_scalar_type(dtype));
  if (!opts.quantize.empty()) apply_bnb_sizing(tree, opts.quantize, opts.skip_modules, tree.sizing.dtype);
  return tree;
}

}  // namespace lathe::planning
