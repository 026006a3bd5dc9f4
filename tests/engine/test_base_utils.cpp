// Remaining base-class utilities: Flax-style casts with a mask, input grads.
#include "models/from_pretrained.h"
#include "test_support.h"

#include <ATen/ops/arange.h>
#include <ATen/ops/sum.h>
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
