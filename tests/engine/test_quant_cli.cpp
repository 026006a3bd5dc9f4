// lathe-cli quantize and run on its result, against the engine in-process.
#include "io/safetensors_io.h"
#include "models/from_pretrained.h"
#include "quant/quantize_model.h"
#include "test_support.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/max.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace lathe;

namespace {
std::string gpt2() { return test::fixture("cases/gpt2_lm_s0/model_safetensors"); }
std::string inputs() { return test::fixture("cases/gpt2_lm_s0/expected/inputs.safetensors"); }
}  // namespace

TEST(QuantCli, QuantizeSkipAndRun) {
  test::TempDir d;
  const std::string out = d.file("q8");
  auto r = test::run_cli({"quantize", gpt2(), "--bits", "8", "--skip", "mlp", "--out", out, "--json"}, 120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["quantized_modules"].size(), 4u);  // attn.c_attn and attn.c_proj of 2 blocks
  for (const auto& m : j["quantized_modules"]) {
    EXPECT_EQ(m["name"].get<std::string>().find("mlp"), std::string::npos);
    EXPECT_NE(m["name"], "lm_head");
    EXPECT_EQ(m["type"], "Linear8bitLt");
  }
  EXPECT_EQ(j["quantization_config"]["llm_int8_skip_modules"], nlohmann::json::array({"mlp"}));
  EXPECT_LT(j["memory_footprint"]["after"].get<std::int64_t>(), j["memory_footprint"]["before"].get<std::int64_t>());
  // run on the folder = an in-process forward of the same folder, exactly: the same binary
  // code, the same file, the same thread count (test_support sets it as lathe-cli does), so
  // the same kernels reduce in the same order on any CPU.
  auto run = test::run_cli({"run", out, "--inputs", inputs(), "--inputs-prefix", "right_pad.", "--out", d.file("o.safetensors")}, 120);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  StateDict o = load_safetensors(d.file("o.safetensors"));
  auto lm = models::from_pretrained(out).model;
  EXPECT_EQ(lm->find_module("lm_head")->type_name(), "Linear");
  EXPECT_EQ(lm->find_module("transformer.h.0.mlp.c_fc")->type_name(), "Conv1D");
  StateDict in = load_safetensors(inputs());
  models::ForwardInputs fi;
  fi.input_ids = *in.find("right_pad.input_ids");
  fi.attention_mask = *in.find("right_pad.attention_mask");
  EXPECT_EQ((lm->forward(fi).logits - *o.find("logits")).abs().max().item<double>(), 0.0);
}

TEST(QuantCli, FourBitFlagsAndUsageErrors) {
  test::TempDir d;
  auto r = test::run_cli({"quantize", gpt2(), "--bits", "4", "--quant-type", "fp4", "--double-quant", "--blocksize", "128",
                          "--compute-dtype", "bfloat16", "--out", d.file("q4"), "--json"}, 120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  StateDict sd = load_safetensors(d.file("q4/model.safetensors"));
  // c_fc: 32×128 = 4096 values in blocks of 128 -> 32 absmax (uint8 with double quant).
  EXPECT_EQ(sd.find("transformer.h.0.mlp.c_fc.weight.absmax")->numel(), 32);
  ASSERT_NE(sd.find("transformer.h.0.mlp.c_fc.weight.quant_state.bitsandbytes__fp4"), nullptr);
  auto cfg = nlohmann::json::parse(test::read_bytes(d.file("q4/config.json")));
  EXPECT_EQ(cfg["quantization_config"]["bnb_4bit_compute_dtype"], "bfloat16");
  EXPECT_EQ(cfg["quantization_config"]["bnb_4bit_use_double_quant"], true);
  auto run = test::run_cli({"run", d.file("q4"), "--inputs", inputs(), "--inputs-prefix", "right_pad.", "--json"}, 120);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  for (auto args : std::vector<std::vector<std::string>>{
           {"quantize", gpt2(), "--bits", "3", "--out", d.file("x")},
           {"quantize", gpt2(), "--bits", "4", "--blocksize", "48", "--out", d.file("x")},
           {"quantize", gpt2(), "--bits", "4", "--quant-type", "int4", "--out", d.file("x")},
           {"quantize", gpt2(), "--bits", "4"}}) {
    auto e = test::run_cli(args, 60);
    EXPECT_EQ(e.exit_code, 2) << args[3];
  }
  auto missing = test::run_cli({"quantize", d.file("nope"), "--bits", "8", "--out", d.file("x")}, 60);
  EXPECT_EQ(missing.exit_code, 1);
}
