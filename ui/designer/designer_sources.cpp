#include "designer/designer_sources.h"

#include "core/error.h"
#include "core/file_util.h"
#include "core/progress.h"
#include "hub/model_source.h"
#include "config/model_config.h"
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
  // The engine's own Llama tree (the torch-free planning tree, equal to the model skeleton's by
  // test_model_tree), in float16 as the checkpoints ship: no second copy of the architecture here.
  const nlohmann::json config = {{"model_type", "llama"},       {"architectures", {"LlamaForCausalLM"}},
                                 {"num_hidden_layers", layers}, {"hidden_size", hidden},
                                 {"intermediate_size", intermediate}, {"num_attention_heads", heads},
                                 {"num_key_value_heads", kvHeads}, {"vocab_size", vocab}};
  planning::ModelTreeOptions opts;
  opts.torch_dtype = "float16";
  auto tree = planning::model_module_tree_fast(ModelConfig::from_json_text(config.dump(), "Llama-shaped config"), opts);
  if (!tree) throw Error(ErrorCode::Internal, "no Llama tree for these sizes");
  return nlohmann::json::parse(planning::module_tree_json(*tree).dump());
}

}  // namespace lathe::ui
