// The skeleton path of `plan MODEL` (LibTorch): linked into lathe-cli-full only.
#include "planning/model_tree.h"

namespace lathe::cli {

planning::ModuleTree plan_tree_with_torch(const std::string& local, const planning::ModelTreeOptions& opts) {
  return planning::model_module_tree(local, opts);
}

}  // namespace lathe::cli
