#include "models/loading_report.h"

#include "core/error.h"

#include <algorithm>
#include <regex>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace lathe::models {
namespace {

bool starts_with(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }

std::string replace_once(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

std::string shape_str(const Shape& s) {
  std::string out = "torch.Size([";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "])";
}

void drop_matching(std::vector<std::string>& keys, const std::vector<std::string>& patterns) {
  for (const auto& pat : patterns) {
    std::regex re(pat);
    keys.erase(std::remove_if(keys.begin(), keys.end(), [&](const std::string& k) { return std::regex_search(k, re); }),
               keys.end());
  }
}

}  // namespace

std::string fix_checkpoint_key(const std::string& key) {
  if (key.find("LayerNorm.gamma") != std::string::npos) return replace_once(key, "LayerNorm.gamma", "LayerNorm.weight");
  if (key.find("LayerNorm.beta") != std::string::npos) return replace_once(key, "LayerNorm.beta", "LayerNorm.bias");
  if (key.find("weight_g") != std::string::npos) return replace_once(key, "weight_g", "parametrizations.weight.original0");
  if (key.find("weight_v") != std::string::npos) return replace_once(key, "weight_v", "parametrizations.weight.original1");
  return key;
}

KeyPlan plan_loading(const KeyPlanInput& in) {
  KeyPlan plan;
  // Renamed checkpoint keys, keeping the original for loading.
  std::vector<std::pair<std::string, Shape>> loaded;
  std::unordered_map<std::string, std::string> original_of;
  for (const auto& [k, shape] : in.checkpoint) {
    std::string fixed = fix_checkpoint_key(k);
    if (fixed != k) plan.renamed.emplace_back(k, fixed);
    original_of[fixed] = k;
    loaded.emplace_back(fixed, shape);
  }

  const std::string pfx = in.prefix.empty() ? "" : in.prefix + ".";
  std::vector<std::string> expected;
  for (const auto& [k, s] : in.model_keys) expected.push_back(k);
  bool has_prefix_module = false, expects_prefix_module = false;
  if (!in.prefix.empty()) {
    for (const auto& [k, s] : loaded) has_prefix_module |= starts_with(k, in.prefix);
    for (const auto& k : expected) expects_prefix_module |= starts_with(k, in.prefix);
  }
  const bool remove_prefix = !has_prefix_module && expects_prefix_module;
  const bool add_prefix = has_prefix_module && !expects_prefix_module;

  // model key ↔ key space of the report ("expected" space).
  auto to_expected = [&](const std::string& model_key) {
    if (remove_prefix) return starts_with(model_key, pfx) ? model_key.substr(pfx.size()) : model_key;
    if (add_prefix) return pfx + model_key;
    return model_key;
  };
  std::unordered_map<std::string, std::string> model_of;  // expected-space key → model key
  std::unordered_map<std::string, Shape> model_shape;
  std::vector<std::string> expected_keys_not_prefixed, base_keys;
  for (const auto& [k, s] : in.model_keys) {
    std::string e = to_expected(k);
    model_of[e] = k;
    model_shape[e] = s;
    if (remove_prefix) {
      if (!starts_with(k, pfx)) expected_keys_not_prefixed.push_back(k);
      else base_keys.push_back(e);
    }
  }
  if (remove_prefix && in.has_base_child) {
    std::unordered_set<std::string> not_prefixed(expected_keys_not_prefixed.begin(), expected_keys_not_prefixed.end());
    std::unordered_set<std::string> base(base_keys.begin(), base_keys.end());
    for (const auto& [k, s] : loaded)
      if (not_prefixed.count(k) && !base.count(k))
        throw Error(ErrorCode::CorruptFile,
                    "The state dictionary of the model you are trying to load is corrupted. Are you sure it was "
                    "properly saved? (unprefixed base keys mixed with head key '" + k + "')");
  }

  std::set<std::string> expected_set, loaded_set;
  for (const auto& [e, m] : model_of) expected_set.insert(e);
  for (const auto& [k, s] : loaded) loaded_set.insert(k);
  std::vector<std::string> missing;
  std::set_difference(expected_set.begin(), expected_set.end(), loaded_set.begin(), loaded_set.end(),
                      std::back_inserter(missing));
  std::set<std::string> unexpected;
  std::set_difference(loaded_set.begin(), loaded_set.end(), expected_set.begin(), expected_set.end(),
                      std::inserter(unexpected, unexpected.end()));
  bool inv_freq = false;
  for (const auto& b : in.model_buffers) {
    unexpected.erase(to_expected(b));
    inv_freq |= b.size() >= 19 && b.compare(b.size() - 19, 19, "rotary_emb.inv_freq") == 0;
  }
  std::vector<std::string> unexpected_v;
  for (const auto& k : unexpected)
    if (!inv_freq || k.find("rotary_emb.inv_freq") == std::string::npos) unexpected_v.push_back(k);

  // A tie group partly present in the checkpoint is complete after tying.
  for (const auto& group : in.tied_groups) {
    std::vector<std::string> g;
    for (const auto& k : group) g.push_back(to_expected(k));
    std::vector<std::string> missing_in_group;
    for (const auto& k : missing)
      if (std::find(g.begin(), g.end(), k) != g.end()) missing_in_group.push_back(k);
    if (!missing_in_group.empty() && missing_in_group.size() < g.size())
      missing.erase(std::remove_if(missing.begin(), missing.end(),
                                   [&](const std::string& k) {
                                     return std::find(missing_in_group.begin(), missing_in_group.end(), k) != missing_in_group.end();
                                   }),
                    missing.end());
  }
  // Ignored-missing keys are still initialised; they are only not reported.
  for (const auto& k : missing) plan.uninitialized.push_back(model_of[k]);
  drop_matching(missing, in.ignore_missing);
  drop_matching(unexpected_v, in.ignore_unexpected);

  // Shapes: mismatches are re-initialised with ignore_mismatched_sizes, an error otherwise.
  std::vector<std::string> errors;
  for (const auto& [k, shape] : loaded) {
    auto it = model_of.find(k);
    if (it == model_of.end()) continue;
    const Shape& ms = model_shape[k];
    if (shape != ms) {
      // 4-bit packed weights ([n/2, 1] uint8) are not mismatches.
      std::int64_t a = 1, b = 1;
      for (auto d : shape) a *= d;
      for (auto d : ms) b *= d;
      bool packed = !shape.empty() && shape.back() == 1 && a * 2 == b;
      if (!packed) {
        if (in.ignore_mismatched_sizes) {
          plan.info.mismatched_keys.push_back({original_of[k], shape, ms});
          plan.uninitialized.push_back(it->second);
          continue;
        }
        errors.push_back("size mismatch for " + k + ": copying a param with shape " + shape_str(shape) +
                         " from checkpoint, the shape in current model is " + shape_str(ms) + ".");
        continue;
      }
    }
    plan.load[original_of[k]] = it->second;
  }
  if (!errors.empty()) {
    std::string msg = "Error(s) in loading state_dict for " + in.class_name + ":";
    for (const auto& e : errors) msg += "\n\t" + e;
    msg += "\n\tYou may consider adding `ignore_mismatched_sizes=True` in the model `from_pretrained` method.";
    throw Error(ErrorCode::ShapeMismatch, msg);
  }
  plan.info.missing_keys = std::move(missing);
  plan.info.unexpected_keys = std::move(unexpected_v);
  return plan;
}

}  // namespace lathe::models
