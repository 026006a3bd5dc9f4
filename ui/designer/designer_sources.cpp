#include "designer/designer_sources.h"

#include "core/error.h"
#include "core/file_util.h"
#include "core/progress.h"
#include "hub/model_source.h"
#include "planning/model_tree.h"

namespace lathe::ui {

SharedTree readTreeFile(const std::string& path) {
  return std::make_shared<const planning::ModuleTree>(planning::parse_module_tree_text(read_text_file(path)));
}

SharedTree modelTree(const std::string& pathOrRepo, const std::string& torchDtype, lathe::ProgressSink& progress) {
  // A local path stays as it is; a repo id fetches config.json & co. into the cache.
  const std::string folder = hub::resolve_model(pathOrRepo, hub::ModelNeed::Config, &progress);
  planning::ModelTreeOptions opts;
  opts.torch_dtype = torchDtype;
  return std::make_shared<const planning::ModuleTree>(planning::model_module_tree(folder, opts));
}

nlohmann::json readMapFile(const std::string& path) {
  nlohmann::json j = nlohmann::json::parse(read_text_file(path), nullptr, false);
  if (j.is_discarded()) throw Error(ErrorCode::ConfigInvalid, "not valid JSON", path);
  if (!j.is_object()) throw Error(ErrorCode::ConfigInvalid, "a device map must be a JSON object", path);
  return j;
}

void writeMapFile(const std::string& path, const nlohmann::ordered_json& map) {
  write_text_file_atomic(path, map.dump(2) + "\n");
}

nlohmann::json llamaShapedTree(int layers, int hidden, int intermediate, int heads, int kvHeads, int vocab) {
  using nlohmann::json;
  const int headDim = hidden / heads;
  auto tensor = [](std::vector<int> shape, const char* dtype) { return json{{"shape", shape}, {"dtype", dtype}}; };
  auto linear = [&](const char* name, int out, int in) {
    return json{{"name", name}, {"class", "Linear"}, {"params", {{"weight", tensor({out, in}, "float16")}}}};
  };
  auto norm = [&](const char* name) {
    return json{{"name", name}, {"class", "LlamaRMSNorm"}, {"params", {{"weight", tensor({hidden}, "float16")}}}};
  };
  const json rotary = {{"name", "rotary_emb"}, {"class", "LlamaRotaryEmbedding"},
                       {"buffers", {{"inv_freq", tensor({headDim / 2}, "float32")}}}};
  json list = json::array();
  for (int i = 0; i < layers; ++i) {
    json attn = {{"name", "self_attn"}, {"class", "LlamaSdpaAttention"},
                 {"children", {linear("q_proj", hidden, hidden), linear("k_proj", kvHeads * headDim, hidden),
                               linear("v_proj", kvHeads * headDim, hidden), linear("o_proj", hidden, hidden), rotary}}};
    json mlp = {{"name", "mlp"}, {"class", "LlamaMLP"},
                {"children", {linear("gate_proj", intermediate, hidden), linear("up_proj", intermediate, hidden),
                              linear("down_proj", hidden, intermediate), {{"name", "act_fn"}, {"class", "SiLU"}}}}};
    list.push_back({{"name", std::to_string(i)}, {"class", "LlamaDecoderLayer"},
                    {"children", {attn, mlp, norm("input_layernorm"), norm("post_attention_layernorm")}}});
  }
  const json embed = {{"name", "embed_tokens"}, {"class", "Embedding"},
                      {"params", {{"weight", tensor({vocab, hidden}, "float16")}}}};
  const json model = {{"name", "model"}, {"class", "LlamaModel"},
                      {"children", {embed, {{"name", "layers"}, {"class", "ModuleList"}, {"children", list}}, norm("norm"), rotary}}};
  return {{"name", ""}, {"class", "LlamaForCausalLM"}, {"no_split", {"LlamaDecoderLayer"}},
          {"children", {model, linear("lm_head", vocab, hidden)}}};
}

}  // namespace lathe::ui
