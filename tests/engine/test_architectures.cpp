// Llama / Mistral / Qwen2 / BLOOM (no Python fixtures): each checked against
// an independent float64 reference written out step by step below (explicit
// per-head loops, RoPE as a rotation of (x_i, x_{i+d/2}) pairs, ALiBi slopes
// from their formula), plus invariances: GQA = MHA with repeated kv heads,
// sliding-window locality, bias handling, tying.
#include "config/model_config.h"
#include "core/error.h"
#include "models/from_pretrained.h"
#include "test_support.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/exp.h>
#include <ATen/ops/full.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/max.h>
#include <ATen/ops/randint.h>
#include <ATen/ops/randn.h>
#include <ATen/ops/rsqrt.h>
#include <ATen/ops/sigmoid.h>
#include <ATen/ops/softmax.h>
#include <ATen/ops/tanh.h>
#include <ATen/ops/zeros.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/sqrt.h>
#include <ATen/ops/isfinite.h>
#include <ATen/ops/all.h>
#include <ATen/ops/repeat_interleave.h>
#include <ATen/CPUGeneratorImpl.h>

#include <gtest/gtest.h>

#include <cmath>

using namespace lathe;
using namespace lathe::models;
using D = at::Tensor;

namespace lathe::models { at::Tensor bloom_alibi(const at::Tensor&, std::int64_t, c10::ScalarType); }

namespace {

ModelConfig config(const std::string& json) { return ModelConfig::from_json_text(json, "test"); }

// Random values everywhere (norm weights and biases included) so that a
// forgotten weight or bias shows up.
std::unique_ptr<PreTrainedModel> random_model(const ModelConfig& c, std::uint64_t seed) {
  auto m = init_random(c, "", c10::kFloat, seed);
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed + 1);
  for (auto& [n, p] : m->named_parameters()) p->value.normal_(0.0, 0.3, gen);
  return m;
}

D w(PreTrainedModel& m, const std::string& name) { return m.find_param(name)->value.to(c10::kDouble); }
D wb(PreTrainedModel& m, const std::string& name) {
  auto p = m.find_param(name);
  return p ? p->value.to(c10::kDouble) : D();
}
D lin(const D& x, const D& W, const D& b = D()) { D y = at::matmul(x, W.t()); return b.defined() ? y + b : y; }
D rms(const D& x, const D& g, double eps) { return x * at::rsqrt((x * x).mean({-1}, true) + eps) * g; }

// Naive Llama-family forward in float64 for input ids [1, L] (no padding).
D naive_llama(PreTrainedModel& m, const D& ids, int layers, int heads, int kv_heads, int hd, double theta, double eps,
              std::int64_t window = -1) {
  D x = w(m, "model.embed_tokens.weight").index_select(0, ids.view({-1}));  // [L, H]
  const std::int64_t L = x.size(0);
  for (int l = 0; l < layers; ++l) {
    std::string p = "model.layers." + std::to_string(l) + ".";
    D h = rms(x, w(m, p + "input_layernorm.weight"), eps);
    D q = lin(h, w(m, p + "self_attn.q_proj.weight"), wb(m, p + "self_attn.q_proj.bias")).view({L, heads, hd});
    D k = lin(h, w(m, p + "self_attn.k_proj.weight"), wb(m, p + "self_attn.k_proj.bias")).view({L, kv_heads, hd});
    D v = lin(h, w(m, p + "self_attn.v_proj.weight"), wb(m, p + "self_attn.v_proj.bias")).view({L, kv_heads, hd});
    // RoPE: rotate (x_i, x_{i+hd/2}) by angle pos · theta^(-2i/hd).
    auto rope = [&](D t) {
      D out = t.clone();
      for (std::int64_t pos = 0; pos < L; ++pos)
        for (int i = 0; i < hd / 2; ++i) {
          double ang = static_cast<double>(pos) * std::pow(theta, -2.0 * i / hd);
          D a = t.select(0, pos).select(-1, i), b = t.select(0, pos).select(-1, i + hd / 2);
          out.select(0, pos).select(-1, i).copy_(a * std::cos(ang) - b * std::sin(ang));
          out.select(0, pos).select(-1, i + hd / 2).copy_(b * std::cos(ang) + a * std::sin(ang));
        }
      return out;
    };
    q = rope(q);
    k = rope(k);
    D attn = at::zeros({L, heads, hd}, at::TensorOptions().dtype(c10::kDouble));
    for (int a = 0; a < heads; ++a) {
      int g = a / (heads / kv_heads);  // the kv head this query head reads
      for (std::int64_t i = 0; i < L; ++i) {
        std::vector<double> s;
        for (std::int64_t j = 0; j < L; ++j) {
          bool allowed = j <= i && (window < 0 || j > i - window);
          s.push_back(allowed ? (q[i][a] * k[j][g]).sum().item<double>() / std::sqrt(static_cast<double>(hd)) : -INFINITY);
        }
        double mx = *std::max_element(s.begin(), s.end()), z = 0;
        for (double& e : s) z += (e = std::exp(e - mx));
        for (std::int64_t j = 0; j < L; ++j) attn[i][a] += v[j][g] * (s[static_cast<std::size_t>(j)] / z);
      }
    }
    x = x + lin(attn.view({L, heads * hd}), w(m, p + "self_attn.o_proj.weight"), wb(m, p + "self_attn.o_proj.bias"));
    D h2 = rms(x, w(m, p + "post_attention_layernorm.weight"), eps);
    D gate = lin(h2, w(m, p + "mlp.gate_proj.weight"));
    x = x + lin(gate * at::sigmoid(gate) * lin(h2, w(m, p + "mlp.up_proj.weight")), w(m, p + "mlp.down_proj.weight"));
  }
  x = rms(x, w(m, "model.norm.weight"), eps);
  return lin(x, w(m, "lm_head.weight")).unsqueeze(0);
}

double max_abs(const D& a, const D& b) { return (a.to(c10::kDouble) - b.to(c10::kDouble)).abs().max().item<double>(); }

D ids_of(std::int64_t vocab, std::int64_t L, std::uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  return at::randint(vocab, {1, L}, gen, at::TensorOptions().dtype(c10::kLong));
}

const char* kLlama = R"({"model_type":"llama","architectures":["LlamaForCausalLM"],"vocab_size":50,"hidden_size":16,
  "intermediate_size":24,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"head_dim":6,
  "max_position_embeddings":64,"rms_norm_eps":1e-6,"rope_theta":100.0,"hidden_act":"silu"})";

}  // namespace

TEST(Llama, MatchesNaiveReferenceWithGqaAndHeadDim) {
  // head_dim 6 ≠ hidden/heads = 4, 2 kv heads for 4 query heads.
  auto m = random_model(config(kLlama), 1);
  D ids = ids_of(50, 7, 2);
  ForwardInputs in;
  in.input_ids = ids;
  D ours = m->forward(in).logits;
  D ref = naive_llama(*m, ids, 2, 4, 2, 6, 100.0, 1e-6);
  EXPECT_LT(max_abs(ours, ref), 1e-4);
  EXPECT_EQ(m->get_output_embeddings()->param("weight") == m->get_input_embeddings()->param("weight"), false)
      << "Llama configs default to untied embeddings";
}

TEST(Llama, GqaEqualsMhaWithRepeatedKvHeads) {
  auto gqa = random_model(config(kLlama), 3);
  std::string mha_json = kLlama;
  mha_json.replace(mha_json.find("\"num_key_value_heads\":2"), 23, "\"num_key_value_heads\":4");
  auto mha = init_random(config(mha_json), "", c10::kFloat, 0);
  for (auto& [n, p] : mha->named_parameters()) {
    D src = gqa->find_param(n)->value;
    if (n.find("k_proj") != std::string::npos || n.find("v_proj") != std::string::npos)
      src = src.view({2, 6, -1}).repeat_interleave(2, 0).reshape(p->value.sizes());  // kv head g serves heads 2g, 2g+1
    p->value = src.clone();
  }
  ForwardInputs in;
  in.input_ids = ids_of(50, 9, 4);
  EXPECT_LT(max_abs(gqa->forward(in).logits, mha->forward(in).logits), 1e-5);
}

TEST(Llama, TiedWhenConfigSaysSoAndRopeScalingFrequencies) {
  std::string tied = kLlama;
  tied.insert(1, "\"tie_word_embeddings\":true,");
  auto m = random_model(config(tied), 5);
  EXPECT_EQ(m->get_output_embeddings()->param("weight"), m->get_input_embeddings()->param("weight"));
  // linear scaling divides every frequency by the factor: inv_freq_i = theta^(-2i/d) / 4.
  std::string lin_json = kLlama;
  lin_json.insert(1, R"("rope_scaling":{"rope_type":"linear","factor":4.0},)");
  auto ml = init_random(config(lin_json), "", c10::kFloat, 0);
  D inv = ml->find_tensor("model.rotary_emb.inv_freq")->to(c10::kDouble);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(inv[i].item<double>(), std::pow(100.0, -2.0 * i / 6) / 4.0, 1e-7);
  std::string unknown = kLlama;
  unknown.insert(1, R"("rope_scaling":{"rope_type":"yarn","factor":4.0},)");
  EXPECT_THROW(init_random(config(unknown), "", c10::kFloat, 0), Error);
}

TEST(Mistral, SlidingWindowMatchesReferenceAndIsLocal) {
  std::string j = kLlama;
  j.replace(j.find("\"model_type\":\"llama\""), 20, "\"model_type\":\"mistral\"");
  j.replace(j.find("LlamaForCausalLM"), 16, "MistralForCausalLM");
  j.insert(1, "\"sliding_window\":3,\"num_hidden_layers\":1,");
  j.erase(j.find("\"num_hidden_layers\":2,"), 22);
  auto m = random_model(config(j), 7);
  EXPECT_EQ(m->type_name(), "MistralForCausalLM");
  D ids = ids_of(50, 8, 8);
  ForwardInputs in;
  in.input_ids = ids;
  D ours = m->forward(in).logits;
  EXPECT_LT(max_abs(ours, naive_llama(*m, ids, 1, 4, 2, 6, 100.0, 1e-6, 3)), 1e-4);
  // One layer, window 3: position i sees keys i-2..i, so token 0 cannot reach i ≥ 3.
  D ids2 = ids.clone();
  ids2[0][0] = (ids[0][0].item<std::int64_t>() + 1) % 50;
  in.input_ids = ids2;
  D other = m->forward(in).logits;
  EXPECT_GT(max_abs(ours.narrow(1, 0, 3), other.narrow(1, 0, 3)), 1e-3);
  EXPECT_LT(max_abs(ours.narrow(1, 3, 5), other.narrow(1, 3, 5)), 1e-6);
}

TEST(Qwen2, QkvBiasesNoOutputBias) {
  std::string j = kLlama;
  j.replace(j.find("\"model_type\":\"llama\""), 20, "\"model_type\":\"qwen2\"");
  j.replace(j.find("LlamaForCausalLM"), 16, "Qwen2ForCausalLM");
  auto m = random_model(config(j), 9);
  EXPECT_NE(m->find_param("model.layers.0.self_attn.q_proj.bias"), nullptr);
  EXPECT_NE(m->find_param("model.layers.0.self_attn.v_proj.bias"), nullptr);
  EXPECT_EQ(m->find_param("model.layers.0.self_attn.o_proj.bias"), nullptr);
  D ids = ids_of(50, 6, 10);
  ForwardInputs in;
  in.input_ids = ids;
  EXPECT_LT(max_abs(m->forward(in).logits, naive_llama(*m, ids, 2, 4, 2, 6, 100.0, 1e-6)), 1e-4);
}

TEST(Bloom, AlibiSlopesAndNaiveReference) {
  // Slopes for 6 heads: 2^-2, 2^-4, 2^-6, 2^-8 for the closest power of two (4),
  // then 2^-1, 2^-3 from the doubled base for the 2 remaining heads.
  D mask = at::ones({1, 5}, at::TensorOptions().dtype(c10::kLong));
  D alibi = bloom_alibi(mask, 6, c10::kFloat).view({6, 5});
  const double slopes[6] = {0.25, 0.0625, 0.015625, 0.00390625, 0.5, 0.125};
  for (int h = 0; h < 6; ++h)
    for (int t = 0; t < 5; ++t) EXPECT_DOUBLE_EQ(alibi[h][t].item<double>(), slopes[h] * t);

  auto m = random_model(config(R"({"model_type":"bloom","architectures":["BloomForCausalLM"],"vocab_size":40,
      "hidden_size":12,"n_layer":2,"n_head":4,"layer_norm_epsilon":1e-5})"), 11);
  D ids = ids_of(40, 6, 12);
  ForwardInputs in;
  in.input_ids = ids;
  D ours = m->forward(in).logits;
  // Reference: LayerNorm(embeddings); per block: x + attn(LN(x)) with scores
  // q·k/√d + slope_h·j; then x + MLP(LN(x)) with BLOOM's tanh GELU.
  auto ln = [](const D& x, const D& g, const D& b) {
    D mu = x.mean({-1}, true), var = ((x - mu) * (x - mu)).mean({-1}, true);
    return (x - mu) / at::sqrt(var + 1e-5) * g + b;
  };
  const std::int64_t L = 6, H = 4, hd = 3;
  D x = ln(w(*m, "transformer.word_embeddings.weight").index_select(0, ids.view({-1})),
           w(*m, "transformer.word_embeddings_layernorm.weight"), w(*m, "transformer.word_embeddings_layernorm.bias"));
  for (int l = 0; l < 2; ++l) {
    std::string p = "transformer.h." + std::to_string(l) + ".";
    D h = ln(x, w(*m, p + "input_layernorm.weight"), w(*m, p + "input_layernorm.bias"));
    D qkv = lin(h, w(*m, p + "self_attention.query_key_value.weight"), w(*m, p + "self_attention.query_key_value.bias")).view({L, H, 3, hd});
    D ctx = at::zeros({L, H, hd}, at::TensorOptions().dtype(c10::kDouble));
    for (int a = 0; a < H; ++a)
      for (std::int64_t i = 0; i < L; ++i) {
        std::vector<double> s;
        for (std::int64_t j = 0; j <= i; ++j)
          s.push_back((qkv[i][a][0] * qkv[j][a][1]).sum().item<double>() / std::sqrt(3.0) + slopes[a] * static_cast<double>(j));
        double mx = *std::max_element(s.begin(), s.end()), z = 0;
        for (double& e : s) z += (e = std::exp(e - mx));
        for (std::int64_t j = 0; j <= i; ++j) ctx[i][a] += qkv[j][a][2] * (s[static_cast<std::size_t>(j)] / z);
      }
    x = x + lin(ctx.view({L, H * hd}), w(*m, p + "self_attention.dense.weight"), w(*m, p + "self_attention.dense.bias"));
    D h2 = ln(x, w(*m, p + "post_attention_layernorm.weight"), w(*m, p + "post_attention_layernorm.bias"));
    D up = lin(h2, w(*m, p + "mlp.dense_h_to_4h.weight"), w(*m, p + "mlp.dense_h_to_4h.bias"));
    D gelu = up * 0.5 * (1.0 + at::tanh(0.79788456 * up * (1 + 0.044715 * up * up)));
    x = x + lin(gelu, w(*m, p + "mlp.dense_4h_to_h.weight"), w(*m, p + "mlp.dense_4h_to_h.bias"));
  }
  x = ln(x, w(*m, "transformer.ln_f.weight"), w(*m, "transformer.ln_f.bias"));
  D ref = lin(x, w(*m, "lm_head.weight")).unsqueeze(0);
  EXPECT_LT(max_abs(ours, ref), 1e-4);
  EXPECT_EQ(m->get_output_embeddings()->param("weight"), m->get_input_embeddings()->param("weight")) << "BLOOM ties by default";
}

TEST(Architectures, FullyMaskedRowsStayFinite) {
  // Left padding makes query rows with no visible key; they must not be NaN.
  for (const char* j : {kLlama, R"({"model_type":"bloom","vocab_size":40,"hidden_size":12,"n_layer":1,"n_head":4})"}) {
    auto m = random_model(config(j), 13);
    ForwardInputs in;
    in.input_ids = ids_of(40, 6, 14).repeat({2, 1});
    in.attention_mask = at::ones({2, 6}, at::TensorOptions().dtype(c10::kLong));
    in.attention_mask[1].narrow(0, 0, 3).zero_();
    ForwardOutputs out = m->forward(in);
    D t = out.logits.defined() ? out.logits : out.last_hidden_state;
    EXPECT_TRUE(t.isfinite().all().item<bool>());
  }
}
