// from_pretrained edge cases against transformers: cross-class loads (base
// prefix in both directions), pruned and resized checkpoints, dtypes,
// mismatched shapes, key renames, and the skeleton.
#include "core/error.h"
#include "core/file_util.h"
#include "io/checkpoint.h"
#include "io/safetensors_io.h"
#include "manifest.h"
#include "models/from_pretrained.h"
#include "models/loading_report.h"
#include "test_support.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/max.h>
#include <ATen/ops/logical_not.h>
#include <ATen/ops/ones_like.h>
#include <ATen/ops/std.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

using namespace lathe;
using lathe::test::code_of;
using namespace lathe::models;
using nlohmann::json;

namespace {

double max_diff(const at::Tensor& a, const at::Tensor& b) { return (a.to(c10::kFloat) - b.to(c10::kFloat)).abs().max().item<double>(); }

bool close(const at::Tensor& a, const at::Tensor& b, double atol = 1e-5, double rtol = 1e-4) {
  at::Tensor x = a.to(c10::kFloat), y = b.to(c10::kFloat);
  return ((x - y).abs() > (atol + rtol * y.abs())).sum().item<std::int64_t>() == 0;
}

ForwardInputs set_inputs(const StateDict& in, const std::string& set) {
  ForwardInputs fi;
  fi.input_ids = *in.find(set + ".input_ids");
  fi.attention_mask = *in.find(set + ".attention_mask");
  if (const at::Tensor* t = in.find(set + ".token_type_ids")) fi.token_type_ids = *t;
  return fi;
}


}  // namespace

TEST(CrossLoad, PrefixBothWaysMatchesTransformers) {
  int n = 0;
  for (const std::string family : {"bert_crossload", "gpt2_crossload"}) {
    std::string dir = test::fixture("cases/" + family + "/expected/");
    json cases = json::parse(read_text_file(dir + "crossload.json"));
    StateDict inputs = load_safetensors(dir + "inputs.safetensors");
    StateDict expected = load_safetensors(dir + "crossload.safetensors");
    for (auto it = cases.begin(); it != cases.end(); ++it) {
      const json& c = *it;
      FromPretrainedOptions o;
      o.model_class = c["target_class"];
      LoadedModel lm = from_pretrained(test::fixture(c["source_dir"]), o);
      EXPECT_EQ(lm.info.missing_keys, c["loading_info"]["missing_keys"].get<std::vector<std::string>>()) << it.key();
      EXPECT_EQ(lm.info.unexpected_keys, c["loading_info"]["unexpected_keys"].get<std::vector<std::string>>()) << it.key();
      std::vector<std::string> keys;
      for (const auto& [k, t] : lm.model->state_dict()) keys.push_back(k);
      EXPECT_EQ(keys, c["state_dict_keys"].get<std::vector<std::string>>()) << it.key();
      for (const std::string set : {"right_pad", "left_pad"}) {
        const at::Tensor* ref = expected.find(it.key() + "." + set + ".last_hidden_state");
        if (!ref) continue;
        ForwardOutputs out = lm.model->forward(set_inputs(inputs, set));
        // Rows where every key is masked differ by implementation: compare valid rows.
        at::Tensor am = *inputs.find(set + ".attention_mask");
        at::Tensor keep = am.to(c10::kBool).unsqueeze(-1);
        if (lm.model->is_causal()) keep = at::ones_like(keep);  // GPT-2 rows are checked in test_models
        EXPECT_TRUE(close(out.last_hidden_state * keep, *ref * keep)) << it.key() << " " << set << " " << max_diff(out.last_hidden_state * keep, *ref * keep);
        ++n;
      }
    }
  }
  EXPECT_GE(n, 8);
}

TEST(Pruned, CheckpointsWithPrunedHeadsLoadAndRun) {
  // config.pruned_heads is applied before weights load: shapes shrink per layer.
  for (const std::string id : {"bert_mlm_s0_prune", "gpt2_lm_s0_prune"}) {
    std::string base = test::fixture("cases/" + id + "/");
    StateDict inputs = load_safetensors(base + "expected/inputs.safetensors");
    StateDict expected = load_safetensors(base + "expected/prune.safetensors");
    json pj = json::parse(read_text_file(base + "expected/prune.json"));
    for (const std::string variant : {"pruned_once", "pruned_twice"}) {
      LoadedModel lm = from_pretrained(base + "model_safetensors_" + variant);
      EXPECT_TRUE(lm.info.missing_keys.empty() && lm.info.unexpected_keys.empty()) << id << " " << variant;
      const json& after = pj[variant == "pruned_once" ? "after_first" : "after_second"];
      EXPECT_EQ(lm.model->num_parameters(), after["num_parameters"]["only_trainable=False,exclude_embeddings=False"].get<std::int64_t>());
      for (const std::string set : {"right_pad", "left_pad"}) {
        ForwardInputs fi = set_inputs(inputs, set);
        ForwardOutputs out = lm.model->forward(fi);
        at::Tensor rows = *expected.find(variant + "." + set + ".fully_masked_query_rows");
        at::Tensor keep = at::logical_not(rows).unsqueeze(-1);
        const at::Tensor& ref = *expected.find(variant + "." + set + ".logits");
        EXPECT_TRUE(close(out.logits * keep, ref * keep)) << id << " " << variant << " " << set;
      }
    }
  }
}

TEST(Resized, GrownCheckpointsLoad) {
  for (const std::string id : {"bert_mlm_s0_resize", "gpt2_lm_s0_resize"}) {
    std::string base = test::fixture("cases/" + id + "/");
    json rj = json::parse(read_text_file(base + "expected/resize.json"));
    StateDict inputs = load_safetensors(base + "expected/inputs.safetensors");
    StateDict expected = load_safetensors(base + "expected/resize.safetensors");
    LoadedModel lm = from_pretrained(base + "model_safetensors_grow_pad8");
    const json& v = rj["variants"]["grow_pad8"];
    EXPECT_EQ(lm.model->config.vocab_size().value(), v["config.vocab_size"].get<std::int64_t>());
    EXPECT_EQ(lm.model->num_parameters(), v["num_parameters"]["only_trainable=False,exclude_embeddings=False"].get<std::int64_t>());
    EXPECT_EQ(lm.model->get_output_embeddings()->param("weight"), lm.model->get_input_embeddings()->param("weight"));
    ForwardOutputs out = lm.model->forward(set_inputs(inputs, "right_pad"));
    EXPECT_TRUE(close(out.logits, *expected.find("grow_pad8.right_pad.logits"))) << id;
  }
}

TEST(Dtype, NoneAutoAndExplicit) {
  test::TempDir half, nocfg;
  std::string src = test::fixture("cases/gpt2_lm_s0/model_safetensors");
  ConvertOptions co;
  co.dtype = DType::BF16;
  convert_checkpoint(src, half.path(), co);
  // None → float32 even for bf16 weights (transformers' default).
  EXPECT_EQ(from_pretrained(half.path()).model->dtype(), c10::kFloat);
  // auto → config.torch_dtype: convert recorded "bfloat16"; a config that says
  // "float32" over bf16 weights wins over the weights ...
  FromPretrainedOptions o;
  o.torch_dtype = "auto";
  EXPECT_EQ(from_pretrained(half.path(), o).model->dtype(), c10::kBFloat16);
  ModelConfig cfg = ModelConfig::from_file(half.file("config.json"));
  EXPECT_EQ(cfg.torch_dtype(), "bfloat16");
  cfg.set_string("torch_dtype", "float32");
  cfg.save(half.file("config.json"));
  EXPECT_EQ(from_pretrained(half.path(), o).model->dtype(), c10::kFloat);
  // ... and without one, the first floating tensor.
  cfg.json().erase("torch_dtype");
  cfg.save(half.file("config.json"));
  EXPECT_EQ(from_pretrained(half.path(), o).model->dtype(), c10::kBFloat16);
  // Explicit bf16: zero-copy from the bf16 file, and runs within bf16 tolerance.
  o.torch_dtype = "bfloat16";
  LoadedModel bf = from_pretrained(half.path(), o);
  EXPECT_EQ(bf.model->dtype(), c10::kBFloat16);
  LoadedModel f32 = from_pretrained(src);
  StateDict inputs = load_safetensors(test::fixture("cases/gpt2_lm_s0/expected/inputs.safetensors"));
  ForwardInputs fi = set_inputs(inputs, "right_pad");
  EXPECT_TRUE(close(bf.model->forward(fi).logits, f32.model->forward(fi).logits, 2e-2, 2e-2));
  o.torch_dtype = "int8";
  EXPECT_EQ(code_of([&] { from_pretrained(src, o); }), ErrorCode::InvalidArgument);
}

TEST(Mismatch, ErrorOrReinitialised) {
  test::TempDir d;
  std::string src = test::fixture("cases/gpt2_lm_s0/model_safetensors");
  std::filesystem::copy(src + "/model.safetensors", d.file("model.safetensors"));
  ModelConfig cfg = ModelConfig::from_file(src + "/config.json");
  cfg.set_int("n_positions", 64);  // wpe becomes [64, 32] in the model, [128, 32] on disk
  cfg.save(d.file("config.json"));
  EXPECT_EQ(code_of([&] { from_pretrained(d.path()); }), ErrorCode::ShapeMismatch);
  FromPretrainedOptions o;
  o.ignore_mismatched_sizes = true;
  LoadedModel lm = from_pretrained(d.path(), o);
  ASSERT_EQ(lm.info.mismatched_keys.size(), 1u);
  EXPECT_EQ(lm.info.mismatched_keys[0].key, "transformer.wpe.weight");
  EXPECT_EQ(lm.info.mismatched_keys[0].checkpoint_shape, (Shape{128, 32}));
  EXPECT_EQ(lm.info.mismatched_keys[0].model_shape, (Shape{64, 32}));
  EXPECT_TRUE(lm.info.missing_keys.empty());
  // Re-initialised as _init_weights does: N(0, 0.02).
  double std_ = lm.model->find_param("transformer.wpe.weight")->value.std().item<double>();
  EXPECT_NEAR(std_, 0.02, 0.004);
}

TEST(KeyPlan, RenamesIgnoresAndCorruption) {
  KeyPlanInput in;
  in.class_name = "BertModel";
  in.prefix = "bert";
  in.model_keys = {{"embeddings.LayerNorm.weight", {4}}, {"embeddings.LayerNorm.bias", {4}}, {"pooler.dense.weight", {4, 4}}};
  in.checkpoint = {{"embeddings.LayerNorm.gamma", {4}}, {"embeddings.LayerNorm.beta", {4}}, {"extra.attn.masked_bias", {}}};
  in.ignore_unexpected = {"attn\\.masked_bias"};
  KeyPlan p = plan_loading(in);
  EXPECT_EQ(p.load.at("embeddings.LayerNorm.gamma"), "embeddings.LayerNorm.weight");
  EXPECT_EQ(p.renamed.size(), 2u);
  EXPECT_EQ(p.info.missing_keys, std::vector<std::string>{"pooler.dense.weight"});
  EXPECT_TRUE(p.info.unexpected_keys.empty());
  // Unprefixed base keys mixed with a head key: transformers calls this corrupted.
  KeyPlanInput bad;
  bad.class_name = "BertForMaskedLM";
  bad.prefix = "bert";
  bad.has_base_child = true;
  bad.model_keys = {{"bert.embeddings.word_embeddings.weight", {4, 2}}, {"cls.predictions.bias", {4}}};
  bad.checkpoint = {{"embeddings.word_embeddings.weight", {4, 2}}, {"cls.predictions.bias", {4}}};
  EXPECT_EQ(code_of([&] { plan_loading(bad); }), ErrorCode::CorruptFile);
}

TEST(Skeleton, MetaModelHasShapesButNoMemory) {
  ModelConfig cfg = ModelConfig::from_file(test::fixture("cases/gpt2_lm_s0/model_safetensors/config.json"));
  cfg.set_int("n_layer", 48);
  cfg.set_int("n_embd", 1600);
  cfg.set_int("n_head", 25);
  cfg.set_int("vocab_size", 50257);
  cfg.set_int("n_positions", 1024);
  auto m = build_skeleton(cfg, "", c10::kFloat);  // GPT-2 XL shape: 1.56 B parameters
  EXPECT_EQ(m->type_name(), "GPT2LMHeadModel");
  for (const auto& [n, p] : m->named_parameters()) ASSERT_TRUE(p->value.is_meta()) << n;
  // Python: GPT2LMHeadModel(GPT2Config(n_layer=48, n_embd=1600, n_head=25)).num_parameters()
  // = 1_557_611_200, i.e. 48 × 30 740 800 per block + 50257×1600 + 1024×1600 + 2×1600 (ln_f).
  EXPECT_EQ(m->num_parameters(), 48LL * (2 * 2 * 1600 + 1600 * 4800 + 4800 + 1600 * 1600 + 1600 + 1600 * 6400 + 6400 + 6400 * 1600 + 1600) +
                                     50257LL * 1600 + 1024LL * 1600 + 2 * 1600);
  cfg.set_string("model_type", "t5");
  cfg.set_string_list("architectures", {"T5ForConditionalGeneration"});
  try {
    build_skeleton(cfg, "", c10::kFloat);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::UnsupportedArch);
    EXPECT_NE(std::string(e.what()).find("t5"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("gpt2"), std::string::npos);
  }
}
