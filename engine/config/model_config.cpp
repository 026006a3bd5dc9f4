#include "config/model_config.h"

#include "config/arch_config.h"
#include "core/error.h"
#include "core/file_util.h"
#include "core/json_util.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>

namespace lathe {
namespace {

using Json = nlohmann::ordered_json;

// transformers' per-config attribute_map: canonical name → stored key.
const char* alias_for(const std::string& model_type, const std::string& key) {
  if (const ArchConfigInfo* a = arch_config_info(model_type))
    for (const auto& [canonical, stored] : a->attribute_map)
      if (key == canonical) return stored.c_str();
  return nullptr;
}

// Sizes a model is built from: a value outside its range is a config error up
// front (0 heads divides by zero, 1e9 layers never finishes building). The
// bounds are far beyond any published model (405B Llama: 126 layers, 128
// heads, hidden 16384, 128k positions; Gemma: 256k vocabulary).
struct SizeLimit { const char* key; std::int64_t lo, hi; };
const SizeLimit kSizeLimits[] = {
    {"vocab_size", 1, std::int64_t{1} << 24},
    {"hidden_size", 1, std::int64_t{1} << 18},
    {"n_embed", 1, std::int64_t{1} << 18},
    {"num_hidden_layers", 0, 2048},
    {"num_attention_heads", 1, 16384},
    {"num_key_value_heads", 1, 16384},
    {"head_dim", 1, std::int64_t{1} << 16},
    {"intermediate_size", 1, std::int64_t{1} << 22},
    {"n_inner", 1, std::int64_t{1} << 22},
    {"max_position_embeddings", 1, std::int64_t{1} << 24},
    {"type_vocab_size", 1, std::int64_t{1} << 16},
};

}  // namespace

void ModelConfig::validate_sizes() const {
  for (const auto& l : kSizeLimits) {
    auto v = get_int(l.key);  // throws ConfigInvalid for a non-integer
    if (v && (*v < l.lo || *v > l.hi))
      throw Error(ErrorCode::ConfigInvalid,
                  "'" + resolve(l.key) + "' is " + std::to_string(*v) + "; it must be between " +
                      std::to_string(l.lo) + " and " + std::to_string(l.hi),
                  context_);
  }
  auto heads = get_int("num_attention_heads"), kv = get_int("num_key_value_heads");
  if (heads && kv && *heads % *kv != 0)
    throw Error(ErrorCode::ConfigInvalid,
                "num_attention_heads (" + std::to_string(*heads) + ") is not a multiple of num_key_value_heads (" +
                    std::to_string(*kv) + ")",
                context_);
}

ModelConfig::ModelConfig() : json_(std::make_shared<Json>(Json::object())) {}

ModelConfig ModelConfig::from_file(const std::string& path) {
  return from_json_text(read_text_file(path), path);
}

ModelConfig ModelConfig::from_json_text(const std::string& text, const std::string& context) {
  ModelConfig c;
  *c.json_ = parse_json(text, context, static_cast<int>(ErrorCode::ConfigInvalid));
  c.context_ = context;
  if (!c.json_->is_object()) throw Error(ErrorCode::ConfigInvalid, "config is not a JSON object", context);
  if (c.json_->contains("model_type") && !(*c.json_)["model_type"].is_string())
    throw Error(ErrorCode::ConfigInvalid, "model_type is not a string", context);
  c.validate_sizes();
  return c;
}

std::string ModelConfig::resolve(const std::string& key) const {
  if (json_->contains(key)) return key;
  if (const char* a = alias_for(model_type(), key)) return a;
  return key;
}

std::string ModelConfig::model_type() const {
  auto it = json_->find("model_type");
  return (it != json_->end() && it->is_string()) ? it->get<std::string>() : "";
}

std::vector<std::string> ModelConfig::architectures() const {
  std::vector<std::string> out;
  auto it = json_->find("architectures");
  if (it == json_->end() || it->is_null()) return out;
  if (!it->is_array()) throw Error(ErrorCode::ConfigInvalid, "architectures is not a list", context_);
  for (const auto& a : *it) {
    if (!a.is_string()) throw Error(ErrorCode::ConfigInvalid, "architectures holds a non-string", context_);
    out.push_back(a.get<std::string>());
  }
  return out;
}

std::optional<std::string> ModelConfig::torch_dtype() const {
  for (const char* k : {"torch_dtype", "dtype"}) {
    auto it = json_->find(k);
    if (it != json_->end() && it->is_string()) return it->get<std::string>();
  }
  return std::nullopt;
}

bool ModelConfig::has(const std::string& key) const { return json_->contains(resolve(key)); }

std::optional<std::int64_t> ModelConfig::get_int(const std::string& key) const {
  auto it = json_->find(resolve(key));
  if (it == json_->end() || it->is_null()) return std::nullopt;
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
    throw Error(ErrorCode::ConfigInvalid, "'" + key + "' is too large", context_);
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_number_float()) {
    // Python json writes 1e9 as a float; an integral value in int64's range is accepted.
    const double d = it->get<double>();
    if (std::isfinite(d) && std::fabs(d) < 9.2e18 && d == std::floor(d)) return static_cast<std::int64_t>(d);
  }
  throw Error(ErrorCode::ConfigInvalid, "'" + resolve(key) + "' is not an integer", context_);
}

std::optional<double> ModelConfig::get_double(const std::string& key) const {
  auto it = json_->find(resolve(key));
  if (it == json_->end() || it->is_null()) return std::nullopt;
  if (it->is_number()) return it->get<double>();
  throw Error(ErrorCode::ConfigInvalid, "'" + key + "' is not a number", context_);
}

std::optional<bool> ModelConfig::get_bool(const std::string& key) const {
  auto it = json_->find(resolve(key));
  if (it == json_->end() || it->is_null()) return std::nullopt;
  if (it->is_boolean()) return it->get<bool>();
  throw Error(ErrorCode::ConfigInvalid, "'" + key + "' is not true/false", context_);
}

std::optional<std::string> ModelConfig::get_string(const std::string& key) const {
  auto it = json_->find(resolve(key));
  if (it == json_->end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  throw Error(ErrorCode::ConfigInvalid, "'" + key + "' is not a string", context_);
}

std::int64_t ModelConfig::num_labels() const {
  auto it = json_->find("id2label");
  if (it != json_->end() && it->is_object()) return static_cast<std::int64_t>(it->size());
  return get_int("num_labels").value_or(2);
}

std::map<int, std::vector<int>> ModelConfig::pruned_heads() const {
  std::map<int, std::vector<int>> out;
  auto it = json_->find("pruned_heads");
  if (it == json_->end() || it->is_null()) return out;
  if (!it->is_object()) throw Error(ErrorCode::ConfigInvalid, "pruned_heads is not an object", context_);
  for (auto e = it->begin(); e != it->end(); ++e) {
    int layer = 0;
    try {
      std::size_t used = 0;
      layer = std::stoi(e.key(), &used);
      if (used != e.key().size()) throw std::invalid_argument("x");
    } catch (const std::exception&) {
      throw Error(ErrorCode::ConfigInvalid, "pruned_heads key '" + e.key() + "' is not a layer number", context_);
    }
    if (!e->is_array()) throw Error(ErrorCode::ConfigInvalid, "pruned_heads values must be lists", context_);
    for (const auto& h : *e) {
      if (!h.is_number_integer()) throw Error(ErrorCode::ConfigInvalid, "pruned_heads holds a non-integer", context_);
      out[layer].push_back(h.get<int>());
    }
  }
  return out;
}

void ModelConfig::set_int(const std::string& key, std::int64_t v) { (*json_)[resolve(key)] = v; }
void ModelConfig::set_string(const std::string& key, const std::string& v) { (*json_)[resolve(key)] = v; }
void ModelConfig::set_string_list(const std::string& key, const std::vector<std::string>& v) {
  (*json_)[resolve(key)] = v;
}

void ModelConfig::set_pruned_heads(const std::map<int, std::vector<int>>& heads) {
  Json obj = Json::object();
  for (const auto& [layer, hs] : heads) obj[std::to_string(layer)] = hs;
  (*json_)["pruned_heads"] = obj;
}

std::string ModelConfig::to_json_string() const { return dump_python_json(*json_); }

void ModelConfig::save(const std::string& path) const { write_text_file_atomic(path, to_json_string()); }

}  // namespace lathe
