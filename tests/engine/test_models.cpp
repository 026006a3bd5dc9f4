// Models against outputs Python transformers 4.47.1 computed for the same
// checkpoints: forward (both paddings, both formats), loading reports,
// utility values, attention-mask helpers.
#include "core/file_util.h"
#include "io/safetensors_io.h"
#include "manifest.h"
#include "models/from_pretrained.h"
#include "test_support.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/allclose.h>
#include <ATen/ops/equal.h>
#include <ATen/ops/logical_not.h>
#include <ATen/ops/max.h>

#include <gtest/gtest.h>

using namespace lathe;
using namespace lathe::models;
using nlohmann::json;

namespace {

const json& case_of(const std::string& id) {
  for (const auto& c : test::manifest()["cases"])
    if (c["id"] == id) return c;
  throw std::runtime_error("no case " + id);
}

std::vector<std::string> strings(const json& j) { return j.get<std::vector<std::string>>(); }

// |a - b| <= atol + rtol·|b| on the rows (query positions) not flagged as fully masked.
void expect_close(const at::Tensor& ours, const at::Tensor& ref, const at::Tensor& masked_rows, const std::string& what) {
  ASSERT_EQ(ours.sizes(), ref.sizes()) << what;
  at::Tensor a = ours.to(c10::kFloat), b = ref.to(c10::kFloat);
  at::Tensor bad = (a - b).abs() > (1e-5 + 1e-4 * b.abs());
  if (masked_rows.defined() && a.dim() >= 2) {
    at::Tensor keep = at::logical_not(masked_rows);  // [B, L]
    while (keep.dim() < bad.dim()) keep = keep.unsqueeze(-1);
    bad = bad & keep;
  }
  EXPECT_EQ(bad.sum().item<std::int64_t>(), 0) << what << ": max |diff| " << (a - b).abs().max().item<double>();
}

ForwardInputs inputs_of(const StateDict& in, const std::string& set) {
  ForwardInputs fi;
  fi.input_ids = *in.find(set + ".input_ids");
  fi.attention_mask = *in.find(set + ".attention_mask");
  if (const at::Tensor* tt = in.find(set + ".token_type_ids")) fi.token_type_ids = *tt;
  fi.output_hidden_states = true;
  return fi;
}

void check_forward_case(const std::string& id) {
  const json& c = case_of(id);
  StateDict inputs = load_safetensors(test::fixture(c["inputs"]["file"]));
  StateDict expected = load_safetensors(test::fixture(c["expected"]["forward"]["file"]));
  for (const auto& ck : c["checkpoints"]) {
    const std::string fmt = ck["format"];
    FromPretrainedOptions o;
    o.model_class = c["model_class"];
    LoadedModel lm = from_pretrained(test::fixture(ck["dir"]), o);
    if (c.contains("load")) {
      const json& info = c["load"][fmt]["loading_info"];
      EXPECT_EQ(lm.info.missing_keys, strings(info["missing_keys"])) << id << " " << fmt;
      EXPECT_EQ(lm.info.unexpected_keys, strings(info["unexpected_keys"])) << id << " " << fmt;
    }
    EXPECT_TRUE(lm.info.mismatched_keys.empty());
    for (const std::string set : {"right_pad", "left_pad"}) {
      ForwardOutputs out = lm.model->forward(inputs_of(inputs, set));
      const at::Tensor* masked = expected.find(set + ".fully_masked_query_rows");
      at::Tensor rows = masked ? *masked : at::Tensor();
      std::string tag = id + "/" + fmt + "/" + set;
      if (const at::Tensor* l = expected.find(set + ".logits")) expect_close(out.logits, *l, rows, tag + " logits");
      if (const at::Tensor* h = expected.find(set + ".last_hidden_state"))
        expect_close(out.last_hidden_state, *h, rows, tag + " last_hidden_state");
      if (const at::Tensor* p = expected.find(set + ".pooler_output")) {
        ASSERT_TRUE(out.pooler_output.defined()) << tag;
        expect_close(out.pooler_output, *p, at::Tensor(), tag + " pooler_output");
      }
      int n = 0;
      for (std::size_t i = 0;; ++i) {
        const at::Tensor* h = expected.find(set + ".hidden_states." + std::to_string(i));
        if (!h) break;
        ASSERT_LT(i, out.hidden_states.size()) << tag;
        expect_close(out.hidden_states[i], *h, rows, tag + " hidden_states." + std::to_string(i));
        ++n;
      }
      EXPECT_EQ(static_cast<std::size_t>(n), out.hidden_states.size()) << tag;
      EXPECT_GE(n, 3) << tag;
    }
  }
}

}  // namespace

TEST(Forward, BertForMaskedLM) { check_forward_case("bert_mlm_s0"); }
TEST(Forward, BertModel) { check_forward_case("bert_base_s0"); }
TEST(Forward, GPT2LMHeadModel) { check_forward_case("gpt2_lm_s0"); }
TEST(Forward, GPT2Model) { check_forward_case("gpt2_base_s0_from_lm"); }

TEST(Utilities, MatchTransformers) {
  for (const std::string id : {"bert_mlm_s0", "bert_base_s0", "gpt2_lm_s0"}) {
    const json& c = case_of(id);
    const json u = json::parse(read_text_file(test::fixture(c["expected"]["utils_json"])));
    FromPretrainedOptions o;
    o.model_class = c["model_class"];
    LoadedModel lm = from_pretrained(test::fixture(c["checkpoints"][0]["dir"]), o);
    PreTrainedModel& m = *lm.model;
    for (bool trainable : {false, true})
      for (bool excl : {false, true}) {
        std::string key = std::string("only_trainable=") + (trainable ? "True" : "False") +
                          ",exclude_embeddings=" + (excl ? "True" : "False");
        EXPECT_EQ(m.num_parameters(trainable, excl), u["num_parameters"][key].get<std::int64_t>()) << id << " " << key;
      }
    EXPECT_EQ(m.get_memory_footprint(true), u["get_memory_footprint"]["return_buffers=True"].get<std::int64_t>()) << id;
    EXPECT_EQ(m.get_memory_footprint(false), u["get_memory_footprint"]["return_buffers=False"].get<std::int64_t>()) << id;
    StateDict inputs = load_safetensors(test::fixture(c["inputs"]["file"]));
    for (const std::string set : {"right_pad", "left_pad"}) {
      ForwardInputs fi = inputs_of(inputs, set);
      EXPECT_EQ(m.estimate_tokens(fi), u["estimate_tokens"][set].get<std::int64_t>());
      EXPECT_EQ(m.floating_point_ops(fi, true), u["floating_point_ops"][set]["exclude_embeddings=True(default)"].get<std::int64_t>());
      EXPECT_EQ(m.floating_point_ops(fi, false), u["floating_point_ops"][set]["exclude_embeddings=False"].get<std::int64_t>());
    }
    EXPECT_EQ(m.estimate_tokens(ForwardInputs{}), 0);
    // Names and order: parameters (ties once), buffers (with persistence), state dict.
    std::vector<std::string> params, sd, bufs;
    for (const auto& [n, p] : m.named_parameters()) params.push_back(n);
    for (const auto& [n, t] : m.state_dict()) sd.push_back(n);
    for (const auto& [n, b] : m.named_buffers()) bufs.push_back(n);
    std::vector<std::string> ref_params, ref_sd, ref_bufs;
    for (const auto& p : u["parameters"]) ref_params.push_back(p["name"]);
    for (const auto& p : u["state_dict"]) ref_sd.push_back(p["name"]);
    for (const auto& b : u["buffers"]) ref_bufs.push_back(b["name"]);
    EXPECT_EQ(params, ref_params) << id;
    EXPECT_EQ(sd, ref_sd) << id;
    EXPECT_EQ(bufs, ref_bufs) << id;
    // Frozen input embedding: only_trainable drops it.
    m.get_input_embeddings()->param("weight")->requires_grad = false;
    for (bool excl : {false, true}) {
      std::string key = std::string("only_trainable=True,exclude_embeddings=") + (excl ? "True" : "False");
      EXPECT_EQ(m.num_parameters(true, excl), u["num_parameters_with_input_embedding_weight_frozen"][key].get<std::int64_t>()) << id;
    }
    // Ties: same slot, and the data pointers agree.
    const json& tie = u["tie"];
    EXPECT_EQ(m.get_input_embeddings()->num_embeddings, tie["input_embeddings"]["shape"][0].get<std::int64_t>());
    EXPECT_EQ(m.get_input_embeddings()->padding_idx.value_or(-1),
              tie["input_embeddings"]["padding_idx"].is_null() ? -1 : tie["input_embeddings"]["padding_idx"].get<std::int64_t>());
    if (tie["output_embeddings"].is_null()) {
      EXPECT_EQ(m.get_output_embeddings(), nullptr) << id;
    } else {
      ASSERT_NE(m.get_output_embeddings(), nullptr) << id;
      EXPECT_EQ(m.get_output_embeddings()->out_features, tie["output_embeddings"]["out_features"].get<std::int64_t>());
      auto bias = m.get_output_embeddings()->param("bias");
      EXPECT_EQ(bias != nullptr, !tie["output_embeddings"]["bias_shape"].is_null()) << id;
    }
    if (tie.value("tied_same_parameter_object", false)) {
      EXPECT_EQ(m.get_output_embeddings()->param("weight"), m.get_input_embeddings()->param("weight")) << id;
    }
  }
}

TEST(Masks, ExtendedAndInvertedEqualTransformersBitForBit) {
  for (const std::string id : {"bert_mlm_s0", "gpt2_lm_s0"}) {
    const json& c = case_of(id);
    StateDict inputs = load_safetensors(test::fixture(c["inputs"]["file"]));
    StateDict masks = load_safetensors(test::fixture(c["expected"]["masks"]["file"]));
    int checked = 0;
    for (const std::string set : {"right_pad", "left_pad"}) {
      at::Tensor am = *inputs.find(set + ".attention_mask");
      auto eq_bits = [&](const at::Tensor& ours, const std::string& name) {
        const at::Tensor* ref = masks.find(name);
        ASSERT_NE(ref, nullptr) << name;
        ASSERT_EQ(ours.scalar_type(), ref->scalar_type()) << name;
        // Bitwise: kept entries must be -0.0 exactly as transformers computes them.
        ASSERT_EQ(ours.sizes(), ref->sizes()) << name;
        EXPECT_TRUE(at::equal(ours.contiguous().view({-1}).view(c10::kByte), ref->contiguous().view({-1}).view(c10::kByte)))
            << name;
        ++checked;
      };
      for (auto [dt, suffix] : {std::pair{c10::kFloat, "default_dtype"}, {c10::kHalf, "float16"}, {c10::kBFloat16, "bfloat16"}}) {
        eq_bits(extended_attention_mask(am, dt, false), set + ".extended.encoder." + suffix);
        eq_bits(extended_attention_mask(am, dt, true), set + ".extended.decoder." + suffix);
      }
      at::Tensor m3 = *masks.find(set + ".mask3d_input");
      eq_bits(extended_attention_mask(m3, c10::kFloat, false), set + ".extended.3d_input.default_dtype");
      eq_bits(invert_attention_mask(am, c10::kFloat), set + ".invert");
      eq_bits(invert_attention_mask(m3, c10::kFloat), set + ".invert.3d_input");
    }
    EXPECT_EQ(checked, 18) << id;  // per set: 3 dtypes × {encoder, decoder} + 3-D + 2 inverts
  }
}
