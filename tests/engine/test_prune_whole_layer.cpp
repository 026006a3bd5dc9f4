// A layer whose heads are all pruned (two prune_heads calls, as a user runs
// `lathe-cli prune` twice). transformers' BERT runs such a layer: query, key
// and value become Linear(hidden, 0), the context is [B, L, 0] and the output
// dense Linear(0, hidden) returns its bias, so the attention block adds only
// attention.output.dense.bias before its LayerNorm. GPT-2 is defined the same
// way (c_proj returns its bias); transformers 4.47.1 itself raises there, in
// Conv1D's x.view(-1, 0) — Lathe computes the defined result.
//
// Reference: the same fixture model with every head kept and that layer's
// output projection weight set to zero. Its dense(ctx) = bias + Σ 0·ctx =
// bias exactly (the context is finite), and the rest of the network runs the
// same shapes through the same kernels, so the outputs must be equal; the
// manifest's float32 tolerance (atol 1e-5, rtol 1e-4) is the bound checked.
#include "core/file_util.h"
#include "io/safetensors_io.h"
#include "models/from_pretrained.h"
#include "models/save_pretrained.h"
#include "test_support.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/zero.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace lathe;
using namespace lathe::models;

namespace {

ForwardInputs right_pad(const std::string& case_id) {
  static StateDict in;
  in = load_safetensors(test::fixture("cases/" + case_id + "/expected/inputs.safetensors"));
  ForwardInputs fi;
  fi.input_ids = *in.find("right_pad.input_ids");
  fi.attention_mask = *in.find("right_pad.attention_mask");
  return fi;
}

double max_excess(const at::Tensor& a, const at::Tensor& b) {
  // > 0 where |a - b| exceeds atol + rtol·|b|.
  return ((a - b).abs() - (1e-5 + 1e-4 * b.abs())).max().item<double>();
}

struct Case {
  const char* id;
  const char* first;   // prune_heads JSON, first call
  const char* second;  // second call: together they take every head of layer 1
  const char* zeroed;  // the weight set to zero in the reference model
};

const Case kCases[] = {
    {"bert_mlm_s0", R"({"0":[3],"1":[0,1,2]})", R"({"1":[3]})", "bert.encoder.layer.1.attention.output.dense.weight"},
    {"gpt2_lm_s0", R"({"0":[3],"1":[0,1,2]})", R"({"1":[3]})", "transformer.h.1.attn.c_proj.weight"},
};

}  // namespace

TEST(PruneWholeLayer, CliPrunedTwiceRunsAsTheZeroedProjection) {
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.id);
    test::TempDir d;
    const std::string src = test::fixture(std::string("cases/") + c.id + "/model_safetensors");
    auto once = test::run_cli({"prune", src, "--heads", c.first, "--out", d.file("once")});
    ASSERT_EQ(once.exit_code, 0) << once.err;
    auto twice = test::run_cli({"prune", d.file("once"), "--heads", c.second, "--out", d.file("twice")});
    ASSERT_EQ(twice.exit_code, 0) << twice.err;
    auto cfg = nlohmann::json::parse(read_text_file(d.file("twice/config.json")));
    EXPECT_EQ(cfg["pruned_heads"], nlohmann::json::parse(R"({"0":[3],"1":[0,1,2,3]})"));

    const std::string inputs = test::fixture(std::string("cases/") + c.id + "/expected/inputs.safetensors");
    auto run = test::run_cli({"run", d.file("twice"), "--inputs", inputs, "--inputs-prefix", "right_pad.", "--out",
                              d.file("out.safetensors")});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    StateDict out = load_safetensors(d.file("out.safetensors"));

    // Reference: layer 0 pruned as the CLI did, layer 1 whole with a zero projection.
    auto ref = from_pretrained(src).model;
    ref->prune_heads({{0, {3}}});
    ref->find_tensor(c.zeroed)->zero_();
    ForwardOutputs want = ref->forward(right_pad(c.id));
    EXPECT_LE(max_excess(*out.find("logits"), want.logits), 0.0);
    EXPECT_LE(max_excess(*out.find("last_hidden_state"), want.last_hidden_state), 0.0);

    // In process too, and the empty layer loads with 0-row/column tensors.
    auto m = from_pretrained(d.file("twice")).model;
    ForwardOutputs got = m->forward(right_pad(c.id));
    EXPECT_LE(max_excess(got.logits, want.logits), 0.0);
    const std::string layer1 = std::string(c.zeroed).substr(0, std::string(c.zeroed).find(".1.") + 3);
    bool saw_empty = false;
    for (const auto& [name, t] : m->state_dict())
      if (name.rfind(layer1, 0) == 0 && t.numel() == 0) saw_empty = true;
    EXPECT_TRUE(saw_empty) << "no empty projection under " << layer1;
  }
}
