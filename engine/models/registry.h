// model_type / architecture name → model class (internal).
#pragma once

#include "models/pretrained_model.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lathe::models {

using ModelFactory =
    std::function<std::unique_ptr<PreTrainedModel>(const ModelConfig&, const at::TensorOptions&)>;

struct ArchClass {
  std::string model_type;   ///< "gpt2"
  std::string class_name;   ///< "GPT2LMHeadModel"
  bool is_base = false;     ///< the bare model (GPT2Model) of its family
  ModelFactory create;
};

class Registry {
 public:
  static const Registry& instance();
  void add(ArchClass c) { classes_.push_back(std::move(c)); }
  const ArchClass* find_class(const std::string& class_name) const;
  const ArchClass* base_class(const std::string& model_type) const;
  std::vector<std::string> model_types() const;
  std::vector<std::string> class_names() const;

 private:
  std::vector<ArchClass> classes_;
};

/// Picks the class for a config: `requested` if given, else the first of
/// config.architectures Lathe implements, else the family's base model.
/// Throws Error(UnsupportedArch) naming the model_type and listing supported ones.
const ArchClass& resolve_class(const ModelConfig& config, const std::string& requested = {});

// One per architecture file.
void register_gpt2(Registry& r);
void register_bert(Registry& r);
void register_llama(Registry& r);
void register_bloom(Registry& r);

}  // namespace lathe::models
