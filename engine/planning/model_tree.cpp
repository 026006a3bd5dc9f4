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

// transformers' ACT2CLS class of an activation name (the module a layer holds as `act`).
std::string activation_class(const std::string& act) {
  static const std::unordered_map<std::string, std::string> cls = {
      {"gelu", "GELUActivation"}, {"gelu_new", "NewGELUActivation"}, {"gelu_fast", "FastGELUActivation"},
      {"gelu_pytorch_tanh", "PytorchGELUTanh"}, {"quick_gelu", "QuickGELUActivation"}, {"relu", "ReLU"},
      {"silu", "SiLU"}, {"swish", "SiLU"}, {"tanh", "Tanh"}};
  auto it = cls.find(act);
  return it == cls.end() ? std::string("Activation") : it->second;
}

// Tensor-less children transformers 4.47.1 builds and Lathe does not (dropouts, activation modules):
// accelerate places them like any module (size 0), so they can appear in maps and affect merging.
struct Extra {
  const char* after;  ///< the existing child they follow ("" = first)
  const char* name;
  std::string cls;
};
std::vector<Extra> tensorless_children(const std::string& cls, const ModelConfig& c) {
  const std::string gpt2_act = activation_class(c.get_string("activation_function").value_or("gelu_new"));
  const bool llama = cls == "LlamaMLP" || cls == "MistralMLP" || cls == "Qwen2MLP";
  const std::string act = activation_class(c.get_string("hidden_act").value_or(llama ? "silu" : "gelu"));
  if (cls == "GPT2Model") return {{"wpe", "drop", "Dropout"}};
  if (cls == "GPT2Attention") return {{"c_proj", "attn_dropout", "Dropout"}, {"c_proj", "resid_dropout", "Dropout"}};
  if (cls == "GPT2MLP") return {{"c_proj", "act", gpt2_act}, {"c_proj", "dropout", "Dropout"}};
  if (cls == "BertEmbeddings") return {{"LayerNorm", "dropout", "Dropout"}};
  if (cls == "BertSelfAttention") return {{"value", "dropout", "Dropout"}};
  if (cls == "BertSelfOutput" || cls == "BertOutput") return {{"LayerNorm", "dropout", "Dropout"}};
  if (cls == "BertIntermediate") return {{"dense", "intermediate_act_fn", act}};
  if (cls == "BertPooler") return {{"dense", "activation", "Tanh"}};
  if (cls == "BertPredictionHeadTransform") return {{"dense", "transform_act_fn", act}};
  if (cls == "BertForSequenceClassification") return {{"bert", "dropout", "Dropout"}};
  if (llama) return {{"down_proj", "act_fn", act}};
  if (cls == "BloomAttention") return {{"dense", "attention_dropout", "Dropout"}};
  return {};
}

struct Walker {
  ModuleTree& tree;
  const ModelConfig& config;
  /// 4.47.1's Llama/Mistral/Qwen2 attention still builds its own rotary_emb (removed in 4.48; its
  /// inv_freq shows in accelerate's sizes: device-maps.md's Llama-2-7B total counts 33 of them).
  std::string rotary_family;
  TensorInfo inv_freq;

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
    const auto extras = tensorless_children(cls, config);
    auto add_extras = [&](const std::string& after) {
      for (const auto& e : extras)
        if (after == e.after) {
          const int c = add(join(name, e.name), e.cls);  // add() may reallocate tree.modules
          tree.modules[idx].children.push_back(c);
        }
    };
    add_extras("");
    for (const auto& [local, child] : m.children()) {
      int c = walk(*child, join(name, local), child->type_name());
      tree.modules[idx].children.push_back(c);
      add_extras(local);
    }
    if (!rotary_family.empty() && cls == rotary_family + "Attention") {
      std::string rname = join(name, "rotary_emb");
      int r = add(rname, rotary_family + "RotaryEmbedding");
      TensorInfo t = inv_freq;
      t.name = rname + ".inv_freq";
      tree.modules[r].buffers.push_back(std::move(t));
      tree.modules[idx].children.push_back(r);
    }
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
  Walker w{tree, model.config, {}, {}};
  for (const char* fam : {"Llama", "Mistral", "Qwen2"}) {
    const std::string family = fam;
    if (model.type_name().rfind(family, 0) != 0) continue;
    for (const char* path : {"model.rotary_emb.inv_freq", "rotary_emb.inv_freq"})
      if (at::Tensor* t = model.find_tensor(path)) {
        w.rotary_family = family;
        w.inv_freq = info_of("inv_freq", *t);
        break;
      }
  }
  w.walk(model, "", model.type_name());
  tree.no_split = model.no_split_modules();
  // In 4.47.1 only BertModel declares _no_split_modules; the Bert head classes leave it None.
  if (model.type_name().rfind("Bert", 0) == 0 && model.type_name() != "BertModel")
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
