// Fuzz target: config.json → model construction, torch-free. Every input goes
// through ModelConfig::from_json_text (nesting limit, size validation), the
// typed accessors the architectures read, and — for Llama-family configs — the
// module-size tree the planner builds from the config alone (the same tree the
// meta skeleton gives: test_model_tree holds them equal), its sizes and a
// device-map plan, with and without 4-bit sizing (for configs of at most 8
// layers, so the fuzzer spends its time on values rather than on loops).
//
// Contract: any input yields a result satisfying the invariants below or a
// lathe::Error; never a crash, a hang (-timeout) or an oversized allocation.
#include "fuzz_common.h"

#include "config/model_config.h"
#include "core/error.h"
#include "planning/device_map.h"
#include "planning/model_tree.h"
#include "planning/module_tree.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

namespace {

const char* const kIntKeys[] = {"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                                "num_key_value_heads", "head_dim", "intermediate_size", "max_position_embeddings",
                                "type_vocab_size", "n_inner", "n_embd", "n_layer", "n_head", "n_positions",
                                "pad_token_id", "eos_token_id", "sliding_window", "num_labels"};

/// Every typed accessor: a value or a lathe::Error (a wrong type), nothing else.
void read_everything(const lathe::ModelConfig& c) {
  auto each = [](auto&& f) {
    try {
      f();
    } catch (const lathe::Error&) {
    }
  };
  for (const char* k : kIntKeys) each([&] { (void)c.get_int(k); });
  each([&] { (void)c.model_type(); });
  each([&] { (void)c.torch_dtype(); });
  each([&] { (void)c.num_labels(); });
  each([&] { (void)c.tie_word_embeddings(); });
  each([&] { (void)c.architectures(); });
  each([&] { (void)c.pruned_heads(); });
}

void plan(const lathe::ModelConfig& c, const std::string& quantize) {
  lathe::planning::ModelTreeOptions o;
  o.quantize = quantize;
  std::optional<lathe::planning::ModuleTree> tree;
  try {
    tree = lathe::planning::model_module_tree_fast(c, o);
  } catch (const lathe::Error&) {
    return;
  }
  if (!tree) return;
  // Sizes validated by ModelConfig: every tensor numel is positive and finite in double.
  LATHE_FUZZ_CHECK(!tree->modules.empty());
  for (const auto& m : tree->modules)
    for (const auto& p : m.params) {
      double numel = 1;
      for (auto d : p.shape) {
        LATHE_FUZZ_CHECK(d > 0);
        numel *= static_cast<double>(d);
      }
      LATHE_FUZZ_CHECK(std::isfinite(numel));
    }
  auto sizes = lathe::planning::compute_module_sizes(*tree, tree->sizing.dtype);
  LATHE_FUZZ_CHECK(sizes.get("") >= 0 && std::isfinite(sizes.get("")));
  lathe::planning::PlanOptions po;
  po.max_memory = lathe::planning::parse_max_memory("0=1GiB,cpu=2GiB");
  try {
    auto r = lathe::planning::plan_device_map(*tree, po);
    LATHE_FUZZ_CHECK(!r.device_map.empty());
  } catch (const lathe::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  lathe::ModelConfig c;
  try {
    c = lathe::ModelConfig::from_json_text(text, "config.json");
  } catch (const lathe::Error&) {
    return 0;
  }
  read_everything(c);
  // What transformers writes parses back to the same document.
  const std::string written = c.to_json_string();
  lathe::ModelConfig again = lathe::ModelConfig::from_json_text(written, "config.json (rewritten)");
  LATHE_FUZZ_CHECK(again.to_json_string() == written);
  // Building and planning cost grows with the layer count (≤ 2048 once
  // validated): a few layers reach every code path, and keep ~thousands of
  // executions per second; the layer bound itself is checked above.
  if (c.num_hidden_layers().value_or(32) <= 8) {
    plan(c, "");
    plan(c, "nf4");
  }
  return 0;
}
