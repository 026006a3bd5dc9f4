#include "models/registry.h"

#include "core/error.h"

#include <algorithm>
#include <set>

namespace lathe::models {

const Registry& Registry::instance() {
  static const Registry r = [] {
    Registry reg;
    register_gpt2(reg);
    register_bert(reg);
    register_llama(reg);
    register_bloom(reg);
    return reg;
  }();
  return r;
}

const ArchClass* Registry::find_class(const std::string& class_name) const {
  for (const auto& c : classes_)
    if (c.class_name == class_name) return &c;
  return nullptr;
}

const ArchClass* Registry::base_class(const std::string& model_type) const {
  for (const auto& c : classes_)
    if (c.model_type == model_type && c.is_base) return &c;
  return nullptr;
}

std::vector<std::string> Registry::model_types() const {
  std::set<std::string> s;
  for (const auto& c : classes_) s.insert(c.model_type);
  return {s.begin(), s.end()};
}

std::vector<std::string> Registry::class_names() const {
  std::vector<std::string> out;
  for (const auto& c : classes_) out.push_back(c.class_name);
  return out;
}

const ArchClass& resolve_class(const ModelConfig& config, const std::string& requested) {
  const Registry& r = Registry::instance();
  const std::string mt = config.model_type();
  auto list = [&] {
    std::string s;
    for (const auto& t : r.model_types()) s += (s.empty() ? "" : ", ") + t;
    return s;
  };
  if (!requested.empty()) {
    const ArchClass* c = r.find_class(requested);
    if (!c) throw Error(ErrorCode::UnsupportedArch, "model class '" + requested + "' is not supported");
    if (!mt.empty() && c->model_type != mt)
      throw Error(ErrorCode::UnsupportedArch,
                  "model class '" + requested + "' is for model_type '" + c->model_type + "', the config says '" + mt + "'");
    return *c;
  }
  if (mt.empty()) throw Error(ErrorCode::ConfigInvalid, "config.json has no model_type");
  for (const auto& a : config.architectures())
    if (const ArchClass* c = r.find_class(a); c && c->model_type == mt) return *c;
  if (const ArchClass* c = r.base_class(mt)) return *c;
  throw Error(ErrorCode::UnsupportedArch,
              "model_type '" + mt + "' is not supported (supported: " + list() + ")");
}

}  // namespace lathe::models
