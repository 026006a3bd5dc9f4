// quantization_errors(): the per-layer error of the dequantized weights against
// the checkpoint, recomputed here from dequantize()'s float model and the
// safetensors file read directly; float models and an empty Session.
#include "core/error.h"
#include "io/safetensors_io.h"
#include "models/from_pretrained.h"
#include "quant/quant_error.h"
#include "session/session.h"
#include "session/session_impl.h"
#include "test_support.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/max.h>
#include <ATen/ops/sum.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace lathe;

namespace {

std::string fixture_gpt2() { return test::fixture("cases/gpt2_lm_s0/model_safetensors"); }

LoadOptions nf4() {
  BnbConfig cfg;
  cfg.load_in_4bit = true;
  cfg.bnb_4bit_quant_type = "nf4";
  cfg.bnb_4bit_use_double_quant = false;  // float32 absmax: the bound below is exact
  LoadOptions o;
  o.quantization = cfg;
  return o;
}

}  // namespace

TEST(QuantError, MatchesDequantizeAgainstCheckpoint) {
  Session s;
  s.load(fixture_gpt2(), nf4());
  const QuantizationErrors q = quantization_errors(s);
  ASSERT_TRUE(q.config);
  ASSERT_EQ(q.modules.size(), s.quantized_modules().size());
  ASSERT_FALSE(q.modules.empty());
  // The default skip list: get_keys_to_not_convert (tied lm_head/wte plus the last parameter's module).
  EXPECT_NE(std::find(q.skipped_modules.begin(), q.skipped_modules.end(), "lm_head"), q.skipped_modules.end());

  s.dequantize();  // float weights in the checkpoint's own layout (Conv1D: [in, out])
  const StateDict ckpt = load_safetensors(fixture_gpt2() + "/model.safetensors");
  for (const auto& m : q.modules) {
    SCOPED_TRACE(m.name);
    EXPECT_EQ(m.kind, "nf4");
    EXPECT_EQ(m.bytes, (m.in * m.out + 1) / 2);  // two 4-bit codes per byte
    const at::Tensor deq = s.impl().loaded.model->find_param(m.name + ".weight")->value.to(at::kDouble);
    const at::Tensor* orig = ckpt.find(m.name + ".weight");
    ASSERT_NE(orig, nullptr);
    const at::Tensor o = orig->to(at::kDouble);
    const at::Tensor d = deq - o;
    const double max_abs = at::max(at::abs(d)).item<double>();
    const double rel = std::sqrt(at::sum(d * d).item<double>() / at::sum(o * o).item<double>());
    EXPECT_NEAR(m.max_abs, max_abs, 1e-9);
    EXPECT_NEAR(m.relative_rms, rel, 1e-9);
    EXPECT_GT(m.max_abs, 0.0);
    // NF4's widest code gap is [-1, -0.6962] (semantics.md A3): rounding to the nearest code
    // errs by at most half of it times the block absmax <= max|w| (+ float rounding).
    const double absmax = at::max(at::abs(o)).item<double>();
    EXPECT_LE(m.max_abs, 0.5 * (1.0 - 0.6961928009986877) * absmax * 1.0001);
  }
}

TEST(QuantError, FloatModelAndEmptySession) {
  Session s;
  EXPECT_EQ(test::code_of([&] { quantization_errors(s); }), ErrorCode::InvalidArgument);
  s.load(fixture_gpt2());
  const QuantizationErrors q = quantization_errors(s);
  EXPECT_FALSE(q.config);
  EXPECT_TRUE(q.modules.empty());
}
