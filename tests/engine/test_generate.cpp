// generate(): KV-cached decoding equals step-by-step argmax over full forwards.
#include "config/model_config.h"
#include "models/from_pretrained.h"
#include "models/generate.h"
#include "test_support.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/argmax.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/equal.h>
#include <ATen/ops/isinf.h>
#include <ATen/ops/log.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/tensor.h>

#include <gtest/gtest.h>

using namespace lathe;
using namespace lathe::models;

namespace {

// The reference: no cache, the whole sequence re-run every step, argmax of the
// last valid position; positions from the mask exactly as for generation.
at::Tensor greedy_by_full_forwards(PreTrainedModel& m, at::Tensor ids, at::Tensor mask, int steps) {
  auto lo = at::TensorOptions().dtype(c10::kLong);
  for (int s = 0; s < steps; ++s) {
    ForwardInputs in;
    in.input_ids = ids;
    in.attention_mask = mask;
    in.position_ids = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1);
    at::Tensor next = at::argmax(m.forward(in).logits.select(1, -1), -1);
    ids = at::cat({ids, next.unsqueeze(1)}, 1);
    mask = at::cat({mask, at::ones({ids.size(0), 1}, lo)}, 1);
  }
  return ids;
}

std::vector<std::unique_ptr<PreTrainedModel>> causal_models() {
  std::vector<std::unique_ptr<PreTrainedModel>> out;
  out.push_back(from_pretrained(test::fixture("cases/gpt2_lm_s0/model_safetensors")).model);
  for (const char* j : {
           R"({"model_type":"llama","vocab_size":60,"hidden_size":16,"intermediate_size":32,"num_hidden_layers":2,
               "num_attention_heads":4,"num_key_value_heads":1,"max_position_embeddings":64})",
           R"({"model_type":"mistral","vocab_size":60,"hidden_size":16,"intermediate_size":32,"num_hidden_layers":2,
               "num_attention_heads":4,"num_key_value_heads":2,"sliding_window":4,"max_position_embeddings":64})",
           R"({"model_type":"bloom","vocab_size":60,"hidden_size":16,"n_layer":2,"n_head":4})"}) {
    ModelConfig c = ModelConfig::from_json_text(j, "test");
    std::string cls = c.model_type() == "bloom" ? "BloomForCausalLM"
                      : c.model_type() == "llama" ? "LlamaForCausalLM" : "MistralForCausalLM";
    auto m = init_random(c, cls, c10::kFloat, 21);
    // Larger weights than the 0.02 init so the argmax is not a near tie.
    for (auto& [n, p] : m->named_parameters()) p->value.mul_(n.find("norm") == std::string::npos ? 20.0 : 1.0);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

TEST(Generate, CachedGreedyEqualsFullForwardArgmax) {
  auto lo = at::TensorOptions().dtype(c10::kLong);
  at::Tensor ids = at::tensor({5, 17, 3, 42, 8, 0, 0, 11, 29, 7}, lo).view({2, 5});
  at::Tensor mask = at::tensor({1, 1, 1, 1, 1, 0, 0, 1, 1, 1}, lo).view({2, 5});  // row 1 left-padded
  for (auto& m : causal_models()) {
    GenerationOptions o;
    o.max_new_tokens = 8;
    o.eos_token_id = -1;  // never stop early
    at::Tensor ours = generate(*m, ids, mask, o);
    at::Tensor ref = greedy_by_full_forwards(*m, ids, mask, 8);
    EXPECT_TRUE(at::equal(ours, ref)) << m->type_name();
    o.use_cache = false;
    EXPECT_TRUE(at::equal(generate(*m, ids, mask, o), ref)) << m->type_name() << " without cache";
  }
}

TEST(Generate, SamplingIsSeededAndTopKOneIsGreedy) {
  auto m = from_pretrained(test::fixture("cases/gpt2_lm_s0/model_safetensors")).model;
  auto lo = at::TensorOptions().dtype(c10::kLong);
  at::Tensor ids = at::tensor({5, 17, 3}, lo).view({1, 3});
  GenerationOptions o;
  o.max_new_tokens = 6;
  o.eos_token_id = -1;
  at::Tensor greedy = generate(*m, ids, at::Tensor(), o);
  o.do_sample = true;
  o.top_k = 1;
  EXPECT_TRUE(at::equal(generate(*m, ids, at::Tensor(), o), greedy));
  o.top_k = 0;
  o.temperature = 1.5;
  o.seed = 7;
  at::Tensor a = generate(*m, ids, at::Tensor(), o), b = generate(*m, ids, at::Tensor(), o);
  EXPECT_TRUE(at::equal(a, b));
  EXPECT_EQ(a.size(1), 9);
}

TEST(Generate, WarpersByHand) {
  // probs [0.5, 0.3, 0.15, 0.05]: ascending cumulative sums 0.05, 0.20, 0.50, 1.0;
  // top_p 0.8 removes those with cumsum ≤ 0.2, i.e. the 0.05 and 0.15 tokens.
  at::Tensor p = at::tensor({0.5, 0.3, 0.15, 0.05}, at::TensorOptions().dtype(c10::kDouble));
  at::Tensor scores = at::log(p).view({1, 4}).to(c10::kFloat);
  GenerationOptions o;
  o.top_k = 0;
  o.top_p = 0.8;
  at::Tensor w = warp_scores(scores, o);
  std::vector<bool> removed;
  for (int i = 0; i < 4; ++i) removed.push_back(at::isinf(w[0][i]).item<bool>());
  EXPECT_EQ(removed, (std::vector<bool>{false, false, true, true}));
  o.top_p = 1.0;
  o.top_k = 2;
  w = warp_scores(scores, o);
  removed.clear();
  for (int i = 0; i < 4; ++i) removed.push_back(at::isinf(w[0][i]).item<bool>());
  EXPECT_EQ(removed, (std::vector<bool>{false, false, true, true}));
  // temperature 2 halves the logits
  o.top_k = 0;
  o.temperature = 2.0;
  EXPECT_NEAR(warp_scores(scores, o)[0][0].item<double>(), std::log(0.5) / 2, 1e-6);
}

TEST(Generate, StopsAtEosAndPads) {
  auto m = from_pretrained(test::fixture("cases/gpt2_lm_s0/model_safetensors")).model;
  auto lo = at::TensorOptions().dtype(c10::kLong);
  at::Tensor ids = at::tensor({5, 17, 3}, lo).view({1, 3});
  GenerationOptions o;
  o.max_new_tokens = 5;
  o.eos_token_id = -1;
  at::Tensor free_run = generate(*m, ids, at::Tensor(), o);
  std::int64_t first = free_run[0][3].item<std::int64_t>();
  o.eos_token_id = first;  // the first generated token is "eos": stop right there
  at::Tensor stopped = generate(*m, ids, at::Tensor(), o);
  EXPECT_EQ(stopped.size(1), 4);
  EXPECT_EQ(stopped[0][3].item<std::int64_t>(), first);
}
