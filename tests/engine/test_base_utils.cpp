// Remaining base-class utilities: Flax-style casts with a mask, input grads.
#include "models/from_pretrained.h"
#include "test_support.h"

#include <ATen/ops/arange.h>
#include <ATen/ops/sum.h>
#include <ATen/ops/ones.h>
#include "core/error.h"

#include <gtest/gtest.h>

using namespace lathe;
using namespace lathe::models;

TEST(BaseUtils, CastParamsWithMaskLeavesModelAlone) {
  LoadedModel lm = from_pretrained(test::fixture("cases/bert_mlm_s0/model_safetensors"));
  PreTrainedModel& m = *lm.model;
  auto all = m.cast_params(c10::kBFloat16);
  for (const auto& [n, t] : all) EXPECT_EQ(t.scalar_type(), c10::kBFloat16) << n;
  std::map<std::string, bool> mask{{"bert.embeddings.word_embeddings.weight", true}, {"cls.predictions.bias", false}};
  auto some = m.cast_params(c10::kHalf, mask);
  int cast = 0;
  for (const auto& [n, t] : some) {
    bool want = n == "bert.embeddings.word_embeddings.weight";
    EXPECT_EQ(t.scalar_type(), want ? c10::kHalf : c10::kFloat) << n;
    cast += want;
  }
  EXPECT_EQ(cast, 1);
  EXPECT_EQ(m.dtype(), c10::kFloat) << "the model itself is unchanged";
  EXPECT_THROW(m.cast_params(c10::kLong), Error);
}

TEST(BaseUtils, EnableInputRequireGrads) {
  for (const char* dir : {"cases/gpt2_lm_s0/model_safetensors", "cases/bert_mlm_s0/model_safetensors"}) {
    LoadedModel lm = from_pretrained(test::fixture(dir));
    ForwardInputs in;
    in.input_ids = at::arange(5, at::TensorOptions().dtype(c10::kLong)).view({1, 5});
    EXPECT_FALSE(lm.model->forward(in).logits.requires_grad()) << dir;
    lm.model->enable_input_require_grads();
    at::Tensor logits = lm.model->forward(in).logits;
    ASSERT_TRUE(logits.requires_grad()) << dir;
    EXPECT_NO_THROW(logits.sum().backward());
    lm.model->disable_input_require_grads();
    EXPECT_FALSE(lm.model->forward(in).logits.requires_grad());
  }
}

#include "analysis/memory_hooks.h"

#include <ATen/ops/allclose.h>
#include <ATen/ops/randint.h>

#include <cstdio>

TEST(BaseUtils, GradientCheckpointingSameGradientsLessPeakMemory) {
  for (const char* json : {R"({"model_type":"gpt2","vocab_size":100,"n_embd":64,"n_layer":6,"n_head":4,"n_positions":128})",
                           R"({"model_type":"llama","vocab_size":100,"hidden_size":64,"intermediate_size":128,"num_hidden_layers":6,
                               "num_attention_heads":4,"num_key_value_heads":2,"max_position_embeddings":128})"}) {
    ModelConfig c = ModelConfig::from_json_text(json, "t");
    auto m = init_random(c, c.model_type() == "gpt2" ? "GPT2LMHeadModel" : "LlamaForCausalLM", c10::kFloat, 3);
    m->apply_requires_grad();
    ForwardInputs in;
    in.input_ids = at::randint(100, {4, 96}, at::TensorOptions().dtype(c10::kLong));
    auto run = [&](bool ckpt) {
      ckpt ? m->gradient_checkpointing_enable() : m->gradient_checkpointing_disable();
      for (auto& [n, p] : m->named_parameters()) p->value.mutable_grad() = at::Tensor();
      MemoryHooks hooks(*m);
      hooks.run([&] { m->forward(in).logits.sum().backward(); });
      std::vector<at::Tensor> grads;
      for (auto& [n, p] : m->named_parameters()) {
        EXPECT_TRUE(p->value.grad().defined()) << n << (ckpt ? " (checkpointed)" : "");
        grads.push_back(p->value.grad().defined() ? p->value.grad().clone() : at::Tensor());
      }
      return std::make_pair(hooks.report().modules[0].peak, grads);
    };
    auto [peak_plain, grads_plain] = run(false);
    auto [peak_ckpt, grads_ckpt] = run(true);
    ASSERT_EQ(grads_plain.size(), grads_ckpt.size());
    for (std::size_t i = 0; i < grads_plain.size(); ++i)
      if (grads_plain[i].defined() && grads_ckpt[i].defined()) {
        EXPECT_TRUE(at::allclose(grads_plain[i], grads_ckpt[i], 1e-5, 1e-6)) << c.model_type() << " grad " << i;
      }
    std::printf("[gradient checkpointing] %s: peak forward+backward %lld -> %lld bytes (%.0f%% lower)\n",
                c.model_type().c_str(), static_cast<long long>(peak_plain), static_cast<long long>(peak_ckpt),
                100.0 * (1.0 - static_cast<double>(peak_ckpt) / static_cast<double>(peak_plain)));
    EXPECT_LT(peak_ckpt, peak_plain) << c.model_type();
  }
}

TEST(BaseUtils, WarnIfPaddingAndNoAttentionMask) {
  LoadedModel lm = from_pretrained(test::fixture("cases/bert_mlm_s0/model_safetensors"));  // pad_token_id 0
  PreTrainedModel& m = *lm.model;
  auto lo = at::TensorOptions().dtype(c10::kLong);
  at::Tensor clean = at::arange(1, 7, lo).view({2, 3});
  at::Tensor padded = clean.clone();
  padded[1][2] = 0;  // pad in the last column
  at::Tensor middle = clean.clone();
  middle[1][1] = 0;  // only first and last columns are checked
  EXPECT_FALSE(m.warn_if_padding_and_no_attention_mask(clean, at::Tensor()));
  EXPECT_FALSE(m.warn_if_padding_and_no_attention_mask(middle, at::Tensor()));
  EXPECT_FALSE(m.warn_if_padding_and_no_attention_mask(padded, at::ones({2, 3}, lo))) << "a mask was given";
  auto w = m.warn_if_padding_and_no_attention_mask(padded, at::Tensor());
  ASSERT_TRUE(w.has_value());
  EXPECT_NE(w->find("attention_mask"), std::string::npos);
  EXPECT_FALSE(m.warn_if_padding_and_no_attention_mask(padded, at::Tensor())) << "warns once";
}

TEST(BaseUtils, HeadMaskTo5d) {
  // get_head_mask: [H] → [L, 1, H, 1, 1] (expanded over layers); [L, H] → [L, 1, H, 1, 1].
  at::Tensor h = at::arange(4, at::TensorOptions().dtype(c10::kFloat));
  at::Tensor a = head_mask_5d(h, 3);
  EXPECT_EQ(a.sizes().vec(), (std::vector<std::int64_t>{3, 1, 4, 1, 1}));
  for (int l = 0; l < 3; ++l)
    for (int i = 0; i < 4; ++i) EXPECT_EQ(a[l][0][i][0][0].item<float>(), static_cast<float>(i));
  at::Tensor per_layer = at::arange(6, at::TensorOptions().dtype(c10::kFloat)).view({2, 3});
  at::Tensor b = head_mask_5d(per_layer, 2);
  EXPECT_EQ(b.sizes().vec(), (std::vector<std::int64_t>{2, 1, 3, 1, 1}));
  EXPECT_EQ(b[1][0][2][0][0].item<float>(), 5.0f);
  EXPECT_FALSE(head_mask_5d(at::Tensor(), 2).defined()) << "None stays None";
  EXPECT_THROW(head_mask_5d(at::arange(8, at::TensorOptions().dtype(c10::kFloat)).view({2, 2, 2}), 2), Error);
}
