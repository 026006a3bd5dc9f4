// Quantised layers and models: the CPU kernels against dequantise-then-matmul,
// LLM.int8 within a derived bound, replace_with_bnb_linear's skip rules, the
// bitsandbytes key layout with save→load→save identity, counts, dequantize().
#include "core/error.h"
#include "core/file_util.h"
#include "io/safetensors_io.h"
#include "models/from_pretrained.h"
#include "models/save_pretrained.h"
#include "quant/bnb_kernels.h"
#include "quant/bnb_quant.h"
#include "quant/quantize_model.h"
#include "session/session.h"
#include "test_support.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/linear.h>
#include <ATen/ops/matmul.h>
#include <ATen/ops/max.h>
#include <ATen/ops/ones_like.h>
#include <ATen/ops/randn.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace lathe;
using namespace lathe::quant;
using lathe::test::code_of;

namespace {

double max_diff(const at::Tensor& a, const at::Tensor& b) {
  return (a.to(at::kFloat) - b.to(at::kFloat)).abs().max().item<double>();
}

Weight4bit weight4(const at::Tensor& w, const std::string& type, bool dq, QuantState4& st) {
  Weight4bit r;
  r.packed = quantize_4bit(w, type, 64, dq, st);
  r.absmax = absmax_float(st);
  const auto& c = code_4bit(type);
  std::copy(c.begin(), c.end(), r.code.begin());
  r.out = w.size(0);
  r.in = w.size(1);
  return r;
}

std::string fixture_gpt2() { return test::fixture("cases/gpt2_lm_s0/model_safetensors"); }

models::ForwardInputs gpt2_inputs() {
  StateDict in = load_safetensors(test::fixture("cases/gpt2_lm_s0/expected/inputs.safetensors"));
  models::ForwardInputs fi;
  fi.input_ids = *in.find("right_pad.input_ids");
  fi.attention_mask = *in.find("right_pad.attention_mask");
  return fi;
}

// The float model whose converted weights are replaced by their dequantised values.
std::unique_ptr<models::PreTrainedModel> dequantised_reference(models::PreTrainedModel& q) {
  auto ref = models::from_pretrained(fixture_gpt2()).model;
  for (const auto& info : quantized_modules(q)) {
    nn::Module* qm = q.find_module(info.name);
    at::Tensor w;
    if (info.type == "Linear8bitLt") {
      w = dequantize_int8_rows(qm->param("weight")->value, *qm->find_extra("SCB"));
    } else {
      QuantState4 st;
      for (const auto& [k, t] : qm->extras())
        if (k.rfind("weight.quant_state.", 0) == 0) unpack_quant_state(t, k, st);
      st.absmax = *qm->find_extra("weight.absmax");
      st.quant_map = *qm->find_extra("weight.quant_map");
      if (st.nested) {
        st.nested_absmax = *qm->find_extra("weight.nested_absmax");
        st.nested_quant_map = *qm->find_extra("weight.nested_quant_map");
      }
      w = dequantize_4bit(qm->param("weight")->value, st, at::kFloat);
    }
    nn::Module* rm = ref->find_module(info.name);
    rm->param("weight")->value = rm->type_name() == "Conv1D" ? w.t().contiguous() : w;
  }
  return ref;
}

}  // namespace

TEST(QuantKernels, FourBitEqualsDequantThenMatmul) {
  // K = 256 (rows aligned with blocks: fused GEMV for M ≤ 4, tiles above) and
  // K = 96 (blocks straddle rows: the tiled path). Same float32 products, only
  // the summation order differs: |Δ| ≤ K·ε·Σ|x·w| ~ 1e-4 here.
  for (std::int64_t K : {256, 96})
    for (std::int64_t M : {1, 3, 10}) {
      at::Tensor w = at::randn({40, K}), x = at::randn({M, K}), b = at::randn({40});
      QuantState4 st;
      Weight4bit q = weight4(w, "nf4", true, st);
      at::Tensor ref = at::linear(x, dequantize_4bit(q.packed, st, at::kFloat), b);
      at::Tensor y = linear_4bit(x, q, b, at::kFloat);
      EXPECT_LT(max_diff(y, ref), 1e-4) << K << " " << M;
      // bfloat16 compute: x and the weight tile rounded to bf16 (8 bits of
      // mantissa, 2^-8 relative each), outputs to bf16.
      at::Tensor yb = linear_4bit(x.to(at::kBFloat16), q, b, at::kBFloat16);
      EXPECT_EQ(yb.scalar_type(), at::kBFloat16);
      EXPECT_LT(max_diff(yb, ref), 3 * 0.0079 * ref.abs().max().item<double>()) << K << " " << M;
    }
}

TEST(QuantKernels, Int8WithinDerivedBoundAndOutliers) {
  // y = Σ_k x_k·w_k with x̂ = x + dx (|dx| ≤ rowmax/254), ŵ = w + dw (|dw| ≤ SCB/254):
  // |ŷ - y| ≤ Σ|x_k|·SCB/254 + Σ|w_k|·rowmax/254 + K·rowmax·SCB/254².
  // Outlier columns (|x| ≥ 6) are exact in x, so that bound still holds
  // with rowmax taken over the remaining columns.
  for (std::int64_t M : {1, 7}) {
    const std::int64_t K = 128, N = 24;
    at::Tensor w = at::randn({N, K}), x = at::randn({M, K});
    x.select(1, 5).fill_(9.0);  // an outlier column
    Int8Weight q = quantize_int8_rows(w);
    at::Tensor y = linear_int8(x, q.CB, q.SCB, 6.0, at::Tensor());
    at::Tensor ref = at::matmul(x, w.t());
    at::Tensor xin = x.clone();
    xin.select(1, 5).zero_();
    at::Tensor rowmax = std::get<0>(xin.abs().max(1, true));
    at::Tensor bound = at::matmul(x.abs(), at::ones_like(w).t()) * q.SCB.view({1, -1}) / 254 +
                       rowmax * at::matmul(at::ones_like(x), w.abs().t()) / 254 +
                       K * rowmax * q.SCB.view({1, -1}) / (254.0 * 254.0);
    EXPECT_EQ(((y - ref).abs() > bound * 1.001 + 1e-5).sum().item<std::int64_t>(), 0) << M;
    EXPECT_EQ(count_outlier_columns(x, 6.0), 1);
    // Without the decomposition (threshold 0) the outlier inflates rowmax and the error grows.
    at::Tensor y0 = linear_int8(x, q.CB, q.SCB, 0.0, at::Tensor());
    EXPECT_GT(max_diff(y0, ref), max_diff(y, ref));
  }
}

TEST(QuantModel, Gpt2FourBitForwardEqualsDequantisedModel) {
  for (const char* type : {"nf4", "fp4"})
    for (bool dq : {false, true}) {
      auto lm = models::from_pretrained(fixture_gpt2()).model;
      const std::int64_t n_float = lm->num_parameters();
      BnbConfig cfg;
      cfg.load_in_4bit = true;
      cfg.bnb_4bit_quant_type = type;
      cfg.bnb_4bit_use_double_quant = dq;
      quantize_model(*lm, cfg);
      auto mods = quantized_modules(*lm);
      // Every Conv1D of the 2 blocks (c_attn, attn.c_proj, c_fc, mlp.c_proj); the
      // tied lm_head (with transformer.wte) and the last module stay float.
      ASSERT_EQ(mods.size(), 8u);
      EXPECT_EQ(lm->find_module("lm_head")->type_name(), "Linear");
      EXPECT_EQ(lm->find_module("lm_head")->param("weight")->value.scalar_type(), at::kFloat);
      EXPECT_EQ(lm->find_module("transformer.h.0.attn.c_attn")->type_name(), "Linear4bit");
      // num_parameters counts packed bytes twice (= unpacked weights, all even here).
      EXPECT_EQ(lm->num_parameters(), n_float);
      auto ref = dequantised_reference(*lm);
      models::ForwardInputs fi = gpt2_inputs();
      EXPECT_LT(max_diff(lm->forward(fi).logits, ref->forward(fi).logits), 1e-4) << type << dq;
    }
}

TEST(QuantModel, Gpt2EightBitCloseToFloatAndSkip) {
  auto f = models::from_pretrained(fixture_gpt2()).model;
  auto lm = models::from_pretrained(fixture_gpt2()).model;
  BnbConfig cfg;
  cfg.load_in_8bit = true;
  cfg.llm_int8_skip_modules = std::vector<std::string>{"mlp"};
  const std::int64_t fp_before = lm->get_memory_footprint();
  quantize_model(*lm, cfg);
  auto mods = quantized_modules(*lm);
  ASSERT_EQ(mods.size(), 4u);  // attn.c_attn and attn.c_proj of 2 blocks; "mlp." skipped
  for (const auto& m : mods) EXPECT_EQ(m.name.find("mlp"), std::string::npos) << m.name;
  EXPECT_EQ(lm->find_module("transformer.h.1.mlp.c_fc")->type_name(), "Conv1D");
  EXPECT_EQ(lm->find_module("lm_head")->type_name(), "Linear");
  // Footprint: each converted float32 weight (4 B) is now int8 (1 B); SCB is not counted.
  std::int64_t saved = 0;
  for (const auto& m : mods) saved += m.in * m.out * 3;
  EXPECT_EQ(lm->get_memory_footprint(), fp_before - saved);
  // End to end the per-layer bound compounds through 2 blocks; the logits stay
  // within 2% of their largest magnitude.
  models::ForwardInputs fi = gpt2_inputs();
  at::Tensor a = lm->forward(fi).logits, b = f->forward(fi).logits;
  EXPECT_LT(max_diff(a, b), 0.02 * b.abs().max().item<double>());
  EXPECT_EQ(code_of([&] { quantize_model(*lm, cfg); }), ErrorCode::InvalidArgument);
}

TEST(QuantModel, SaveLoadSaveIdenticalAndDequantize) {
  for (bool eight : {false, true}) {
    auto lm = models::from_pretrained(fixture_gpt2()).model;
    BnbConfig cfg;
    cfg.load_in_8bit = eight;
    cfg.load_in_4bit = !eight;
    cfg.bnb_4bit_quant_type = "nf4";
    cfg.bnb_4bit_use_double_quant = true;
    quantize_model(*lm, cfg);
    test::TempDir d1, d2;
    models::save_pretrained(*lm, d1.path());
    StateDict saved = load_safetensors(d1.file("model.safetensors"));
    const std::string p = "transformer.h.0.attn.c_attn.";
    if (eight) {
      EXPECT_EQ(saved.find(p + "weight")->scalar_type(), at::kChar);
      EXPECT_EQ(saved.find(p + "SCB")->sizes().vec(), std::vector<std::int64_t>{96});
      EXPECT_EQ(saved.find(p + "weight_format")->dim(), 0);
    } else {
      // c_attn: in 32, out 96 -> 3072 values, [1536, 1] bytes, 48 blocks of 64.
      EXPECT_EQ(saved.find(p + "weight")->sizes().vec(), (std::vector<std::int64_t>{1536, 1}));
      EXPECT_EQ(saved.find(p + "weight.absmax")->scalar_type(), at::kByte);
      EXPECT_EQ(saved.find(p + "weight.absmax")->numel(), 48);
      EXPECT_EQ(saved.find(p + "weight.quant_map")->numel(), 16);
      EXPECT_EQ(saved.find(p + "weight.nested_quant_map")->numel(), 256);
      ASSERT_NE(saved.find(p + "weight.quant_state.bitsandbytes__nf4"), nullptr);
    }
    auto cfg_json = nlohmann::json::parse(read_text_file(d1.file("config.json")));
    EXPECT_EQ(cfg_json["quantization_config"]["quant_method"], "bitsandbytes");
    EXPECT_EQ(cfg_json["quantization_config"]["_load_in_8bit"], eight);
    EXPECT_EQ(cfg_json["quantization_config"]["llm_int8_threshold"], 6.0);
    EXPECT_TRUE(cfg_json["quantization_config"]["llm_int8_skip_modules"].is_null());
    auto back = models::from_pretrained(d1.path());
    EXPECT_TRUE(back.info.missing_keys.empty());
    EXPECT_TRUE(back.info.unexpected_keys.empty());
    models::ForwardInputs fi = gpt2_inputs();
    EXPECT_EQ(max_diff(back.model->forward(fi).logits, lm->forward(fi).logits), 0.0);
    models::save_pretrained(*back.model, d2.path());
    EXPECT_EQ(read_text_file(d1.file("model.safetensors")), read_text_file(d2.file("model.safetensors")));
    std::string c1 = read_text_file(d1.file("config.json")), c2 = read_text_file(d2.file("config.json"));
    // _name_or_path differs (the folder loaded from); everything else is identical.
    auto j1 = nlohmann::json::parse(c1), j2 = nlohmann::json::parse(c2);
    j1.erase("_name_or_path");
    j2.erase("_name_or_path");
    EXPECT_EQ(j1, j2);
    // dequantize(): float layers holding the dequantised values, config entry gone.
    auto ref = dequantised_reference(*back.model);
    dequantize_model(*back.model);
    EXPECT_EQ(back.model->find_module("transformer.h.0.attn.c_attn")->type_name(), "Conv1D");
    EXPECT_FALSE(back.model->config.json().contains("quantization_config"));
    EXPECT_EQ(max_diff(back.model->forward(fi).logits, ref->forward(fi).logits), 0.0);
    EXPECT_EQ(code_of([&] { dequantize_model(*back.model); }), ErrorCode::InvalidArgument);
  }
}

TEST(QuantModel, SummaryAndBfloat16LoadOfAQuantisedFolder) {
  auto lm = models::from_pretrained(fixture_gpt2()).model;
  BnbConfig cfg;
  cfg.load_in_4bit = true;
  cfg.bnb_4bit_quant_type = "nf4";
  cfg.bnb_4bit_use_double_quant = true;
  quantize_model(*lm, cfg);
  test::TempDir d;
  models::save_pretrained(*lm, d.path());
  // From headers alone: the same counts as the loaded quantised model.
  ModelSummary s = summarize_model(d.path());
  EXPECT_EQ(s.num_parameters, lm->num_parameters());
  EXPECT_EQ(s.memory_footprint_with_buffers, lm->get_memory_footprint());
  // Loaded in bfloat16: the quant state keeps float32 (absmax, quant_maps), so
  // the 4-bit layers see the same scales; the rest of the model runs in bf16
  // (8 mantissa bits: logits within a few % of their range).
  models::FromPretrainedOptions o;
  o.torch_dtype = "bfloat16";
  auto bf = models::from_pretrained(d.path(), o).model;
  nn::Module* m = bf->find_module("transformer.h.0.mlp.c_fc");
  EXPECT_EQ(m->find_extra("weight.nested_absmax")->scalar_type(), at::kFloat);
  EXPECT_EQ(m->find_extra("weight.quant_map")->scalar_type(), at::kFloat);
  models::ForwardInputs fi = gpt2_inputs();
  at::Tensor a = bf->forward(fi).logits, b = lm->forward(fi).logits;
  EXPECT_LT(max_diff(a, b), 0.05 * b.abs().max().item<double>());
}

TEST(QuantModel, CorruptQuantStateIsAnError) {
  auto lm = models::from_pretrained(fixture_gpt2()).model;
  BnbConfig cfg;
  cfg.load_in_4bit = true;
  quantize_model(*lm, cfg);
  test::TempDir d;
  models::save_pretrained(*lm, d.path());
  StateDict sd = load_safetensors(d.file("model.safetensors"));
  StateDict bad;
  for (auto& [k, t] : sd.items())
    if (k != "transformer.h.1.mlp.c_fc.weight.quant_state.bitsandbytes__fp4") bad.insert(k, t);
  save_safetensors(bad, d.file("model.safetensors"));
  EXPECT_EQ(code_of([&] { models::from_pretrained(d.path()); }), ErrorCode::MissingTensor);
}
