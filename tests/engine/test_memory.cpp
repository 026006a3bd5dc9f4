// Per-module memory hooks (add_memory_hooks semantics) through the Session.
#include "core/file_util.h"
#include "session/session.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace lathe;

namespace {
const ModuleMemory& find(const MemoryReport& r, const std::string& name) {
  for (const auto& m : r.modules)
    if (m.name == name) return m;
  throw std::runtime_error("no module " + name);
}
}  // namespace

TEST(MemoryHooks, PerModuleRecordsAccumulateAndReset) {
  Session s;
  s.load(test::fixture("cases/gpt2_lm_s0/model_safetensors"));
  ForwardRequest req;
  req.inputs_path = test::fixture("cases/gpt2_lm_s0/expected/inputs.safetensors");
  req.inputs_prefix = "right_pad.";
  s.memory(req);
  MemoryReport r = s.memory(req);
  EXPECT_EQ(r.forward_calls, 2);
  // The whole module tree, in pre-order.
  ASSERT_FALSE(r.modules.empty());
  EXPECT_EQ(r.modules[0].name, "");
  EXPECT_EQ(r.modules[0].type, "GPT2LMHeadModel");
  EXPECT_EQ(r.modules[1].name, "transformer");
  EXPECT_EQ(find(r, "transformer.h.1.mlp.c_fc").depth, 5);
  for (const char* leaf : {"transformer.wte", "transformer.h.0.attn.c_attn", "transformer.h.1.mlp.c_proj", "lm_head", ""})
    EXPECT_EQ(find(r, leaf).calls, 2) << leaf;
  EXPECT_EQ(find(r, "transformer.h").calls, 0) << "a ModuleList has no forward";
  // Parameter bytes: the model's = get_memory_footprint(return_buffers=False)
  // from utils.json (184 448); lm_head is tied to wte: 517 × 32 × 4 = 66 176.
  EXPECT_EQ(find(r, "").param_bytes, 184448);
  EXPECT_EQ(find(r, "lm_head").param_bytes, 517 * 32 * 4);
  // The LM head allocates its logits every call: 2 × 9 × 517 floats = 37 224 bytes.
  const ModuleMemory& head = find(r, "lm_head");
  EXPECT_GE(head.allocated, 2 * 37224);
  EXPECT_GE(head.peak, 37224);
  EXPECT_GE(find(r, "").peak, head.peak);
  EXPECT_GT(find(r, "").time_ms, 0.0);
  s.reset_memory_hooks();
  MemoryReport one = s.memory(req);
  EXPECT_EQ(one.forward_calls, 1);
  EXPECT_EQ(find(one, "lm_head").calls, 1);
  const ModuleMemory& root = find(one, "");
  EXPECT_EQ(root.rss_diff, root.rss_post - root.rss_pre) << "one call since reset: diff = post - pre";
}

TEST(MemoryHooks, CliJson) {
  auto r = test::run_cli({"memory", test::fixture("cases/bert_mlm_s0/model_bin"), "--inputs",
                          test::fixture("cases/bert_mlm_s0/expected/inputs.safetensors"), "--inputs-prefix", "left_pad.",
                          "--repeat", "3", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["forward_calls"], 3);
  bool saw_layer = false;
  for (const auto& m : j["modules"]) {
    if (m["type"] == "BertLayer") {
      saw_layer = true;
      EXPECT_EQ(m["calls"], 3);
    }
  }
  EXPECT_TRUE(saw_layer);
}
