// config.json: a typed view of the fields Lathe uses, lossless for the rest.
//
// The whole document is kept (key order included); typed accessors read
// through the architecture's attribute aliases (GPT-2's n_embd is hidden_size),
// and to_json_string() writes what transformers writes: indent 2, sorted keys,
// Python float repr, trailing newline.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lathe {

class ModelConfig {
 public:
  ModelConfig();
  /// Throws Error(NotFound/Io) for the file, Error(ConfigInvalid) for bad JSON
  /// or a value of the wrong type in a field Lathe reads.
  static ModelConfig from_file(const std::string& path);
  static ModelConfig from_json_text(const std::string& text, const std::string& context);

  std::string model_type() const;
  std::vector<std::string> architectures() const;
  /// torch_dtype (or v5's "dtype"), e.g. "float32"; nullopt when absent/null.
  std::optional<std::string> torch_dtype() const;

  // Common fields, resolved through aliases; nullopt when absent.
  std::optional<std::int64_t> vocab_size() const { return get_int("vocab_size"); }
  std::optional<std::int64_t> hidden_size() const { return get_int("hidden_size"); }
  std::optional<std::int64_t> num_hidden_layers() const { return get_int("num_hidden_layers"); }
  std::optional<std::int64_t> num_attention_heads() const { return get_int("num_attention_heads"); }
  /// tie_word_embeddings, default true as in PretrainedConfig.
  bool tie_word_embeddings() const { return get_bool("tie_word_embeddings").value_or(true); }
  /// len(id2label), default 2, as PretrainedConfig.num_labels.
  std::int64_t num_labels() const;
  /// pruned_heads with integer layer keys (JSON stores them as strings).
  std::map<int, std::vector<int>> pruned_heads() const;

  /// Generic typed access through aliases. Throws ConfigInvalid on a wrong type.
  std::optional<std::int64_t> get_int(const std::string& key) const;
  std::optional<double> get_double(const std::string& key) const;
  std::optional<bool> get_bool(const std::string& key) const;
  std::optional<std::string> get_string(const std::string& key) const;
  bool has(const std::string& key) const;

  /// Error(ConfigInvalid) when a size field (vocab_size, hidden_size, layers,
  /// heads, ...) is out of its range; from_json_text calls it.
  void validate_sizes() const;

  /// Set a value (through aliases: setting hidden_size on GPT-2 writes n_embd).
  void set_int(const std::string& key, std::int64_t v);
  void set_string(const std::string& key, const std::string& v);
  void set_string_list(const std::string& key, const std::vector<std::string>& v);
  void set_pruned_heads(const std::map<int, std::vector<int>>& heads);

  const nlohmann::ordered_json& json() const { return *json_; }
  nlohmann::ordered_json& json() { return *json_; }
  /// json.dumps(indent=2, sort_keys=True) + "\n", as transformers saves it.
  std::string to_json_string() const;
  /// Atomic write of to_json_string().
  void save(const std::string& path) const;

 private:
  std::string resolve(const std::string& key) const;
  std::shared_ptr<nlohmann::ordered_json> json_;
  std::string context_;
};

}  // namespace lathe
