// model_module_tree_fast: the Llama-family module tree straight from config.json, torch-free, so
// `lathe-cli plan` runs without loading LibTorch (~0.6 s of CPU for its static initialisers alone).
// It must equal module_tree_of(build_skeleton(...)) (tests/engine/test_model_tree.cpp checks it);
// anything it is not sure about returns nullopt and the caller takes the skeleton path.
#include "planning/model_tree.h"

#include "config/model_config.h"
#include "core/dtype.h"
#include "core/error.h"
#include "planning/quantized_sizing.h"

#include <filesystem>
#include <optional>

namespace lathe::planning {

namespace {

namespace fs = std::filesystem;

struct Builder {
  ModuleTree tree;
  std::string dtype;
  int add(int parent, const std::string& local, const std::string& cls) {
    const std::string name = parent < 0 ? std::string() : (tree.modules[parent].name.empty() ? local : tree.modules[parent].name + "." + local);
    int idx = static_cast<int>(tree.modules.size());
    tree.modules.push_back({name, cls, {}, {}, {}});
    tree.index.emplace(name, idx);
    if (parent >= 0) tree.modules[parent].children.push_back(idx);
    return idx;
  }
  void param(int m, const std::string& local, std::vector<std::int64_t> shape) {
    tree.modules[m].params.push_back({tree.modules[m].name + "." + local, std::move(shape), dtype});
  }
  void linear(int parent, const std::string& local, std::int64_t in, std::int64_t out, bool bias) {
    int m = add(parent, local, "Linear");
    param(m, "weight", {out, in});
    if (bias) param(m, "bias", {out});
  }
  void rms(int parent, const std::string& local, std::int64_t dim) { param(add(parent, local, "RMSNorm"), "weight", {dim}); }
  void rotary(int parent, const std::string& family, std::int64_t n) {
    int m = add(parent, "rotary_emb", family + "RotaryEmbedding");
    tree.modules[m].buffers.push_back({tree.modules[m].name + ".inv_freq", {n}, "float32"});
  }
};

std::optional<std::int64_t> positive(const ModelConfig& c, const std::string& key, std::int64_t dflt) {
  if (c.has(key) && !c.get_int(key)) return std::nullopt;  // present but not an integer: let the skeleton explain
  std::int64_t v = c.get_int(key).value_or(dflt);
  if (v <= 0) return std::nullopt;
  return v;
}

}  // namespace

std::optional<ModuleTree> model_module_tree_fast(const std::string& path, const ModelTreeOptions& opts) {
  std::error_code ec;
  std::string config_file;
  if (fs::is_directory(path, ec)) config_file = (fs::path(path) / "config.json").string();
  else if (fs::is_regular_file(path, ec) && fs::path(path).extension() == ".json") config_file = path;
  if (config_file.empty() || !fs::is_regular_file(config_file, ec)) return std::nullopt;
  if (!opts.model_class.empty()) return std::nullopt;
  ModelConfig c;
  try {
    c = ModelConfig::from_file(config_file);
  } catch (const Error&) {
    return std::nullopt;
  }
  return model_module_tree_fast(c, opts);
}

std::optional<ModuleTree> model_module_tree_fast(const ModelConfig& c, const ModelTreeOptions& opts) {
  if (!opts.model_class.empty()) return std::nullopt;
  const std::string mt = c.model_type();
  const std::string family = mt == "llama" ? "Llama" : mt == "mistral" ? "Mistral" : mt == "qwen2" ? "Qwen2" : "";
  if (family.empty()) return std::nullopt;
  // Class: the first of config.architectures Lathe implements, else the base model.
  bool head = false;
  for (const auto& a : c.architectures()) {
    if (a == family + "ForCausalLM") { head = true; break; }
    if (a == family + "Model") break;
  }
  // Configs the skeleton treats specially (errors, rope variants, pruning, sliding windows): skeleton path.
  if (!c.pruned_heads().empty()) return std::nullopt;
  if (family == "Qwen2" && c.get_bool("use_sliding_window").value_or(false)) return std::nullopt;
  const std::string act = c.get_string("hidden_act").value_or("silu");
  if (act != "silu" && act != "swish") return std::nullopt;
  if (auto rs = c.json().find("rope_scaling"); rs != c.json().end() && !rs->is_null()) {
    if (!rs->is_object()) return std::nullopt;
    std::string type = rs->value("rope_type", rs->value("type", std::string("default")));
    if (type != "default" && type != "linear" && type != "llama3") return std::nullopt;
  }
  if (c.has("partial_rotary_factor")) return std::nullopt;
  auto vocab = positive(c, "vocab_size", 32000), hidden = positive(c, "hidden_size", 4096),
       inner = positive(c, "intermediate_size", 11008), layers = positive(c, "num_hidden_layers", 32),
       heads = positive(c, "num_attention_heads", 32);
  if (!vocab || !hidden || !inner || !layers || !heads) return std::nullopt;
  auto kv = positive(c, "num_key_value_heads", *heads), head_dim = positive(c, "head_dim", *hidden / *heads);
  if (!kv || !head_dim || *heads % *kv != 0) return std::nullopt;
  auto flag = [&](const char* k) -> std::optional<bool> {
    if (c.has(k) && !c.get_bool(k)) return std::nullopt;
    return c.get_bool(k).value_or(false);
  };
  auto attention_bias = flag("attention_bias"), mlp_bias_cfg = flag("mlp_bias");
  if (!attention_bias || !mlp_bias_cfg) return std::nullopt;
  const bool qkv_bias = family == "Qwen2" ? true : *attention_bias;
  const bool o_bias = family == "Qwen2" ? false : *attention_bias;
  const bool mlp_bias = family == "Llama" ? *mlp_bias_cfg : false;
  if (c.has("tie_word_embeddings") && !c.get_bool("tie_word_embeddings")) return std::nullopt;
  const bool tie = c.get_bool("tie_word_embeddings").value_or(false);

  // torch_dtype as model_module_tree resolves it; "auto" without a config value needs weight headers.
  std::string torch_dtype = opts.torch_dtype;
  if (torch_dtype.empty() && !opts.quantize.empty()) torch_dtype = "float16";
  if (torch_dtype == "auto") {
    auto cfg = c.torch_dtype();
    if (!cfg || *cfg == "auto") return std::nullopt;
    torch_dtype = *cfg;
  }
  Builder b;
  b.dtype = "float32";
  if (!torch_dtype.empty()) {
    DType d = parse_dtype_name(torch_dtype);  // Error(InvalidArgument) for unknown names
    if (!dtype_is_floating(d) || d == DType::F8_E4M3 || d == DType::F8_E5M2)
      throw Error(ErrorCode::InvalidArgument,
                  "torch_dtype must be a floating type (float32, float16, bfloat16), got '" + torch_dtype + "'", "torch_dtype");
    b.dtype = dtype_torch_name(d);
  }

  const std::int64_t H = *hidden, hd = *head_dim, inv_n = (hd + 1) / 2;
  int root = b.add(-1, "", family + (head ? "ForCausalLM" : "Model"));
  int base = head ? b.add(root, "model", family + "Model") : root;
  b.param(b.add(base, "embed_tokens", "Embedding"), "weight", {*vocab, H});
  int list = b.add(base, "layers", "ModuleList");
  for (std::int64_t i = 0; i < *layers; ++i) {
    int layer = b.add(list, std::to_string(i), family + "DecoderLayer");
    int attn = b.add(layer, "self_attn", family + "Attention");
    b.linear(attn, "q_proj", H, *heads * hd, qkv_bias);
    b.linear(attn, "k_proj", H, *kv * hd, qkv_bias);
    b.linear(attn, "v_proj", H, *kv * hd, qkv_bias);
    b.linear(attn, "o_proj", *heads * hd, H, o_bias);
    b.rotary(attn, family, inv_n);
    int mlp = b.add(layer, "mlp", family + "MLP");
    b.linear(mlp, "gate_proj", H, *inner, mlp_bias);
    b.linear(mlp, "up_proj", H, *inner, mlp_bias);
    b.linear(mlp, "down_proj", *inner, H, mlp_bias);
    b.add(mlp, "act_fn", "SiLU");
    b.rms(layer, "input_layernorm", H);
    b.rms(layer, "post_attention_layernorm", H);
  }
  b.rms(base, "norm", H);
  b.rotary(base, family, inv_n);
  ModuleTree& t = b.tree;
  t.no_split = {family + "DecoderLayer"};
  if (head) {
    b.linear(root, "lm_head", H, *vocab, false);
    t.output_embeddings = "lm_head";
    if (tie) {
      t.tied.push_back({"lm_head.weight", "model.embed_tokens.weight"});
      t.sizing.untied_when_balancing.push_back("lm_head.weight");
    }
  }
  t.sizing.dtype = torch_dtype.empty() ? std::string() : b.dtype;
  if (!opts.quantize.empty()) apply_bnb_sizing(t, opts.quantize, opts.skip_modules, t.sizing.dtype);
  return std::move(t);
}

}  // namespace lathe::planning
