// Device-map planner (engine/planning): every expected map below is derived by
// hand from docs/device-maps.md (accelerate 1.2.1); the arithmetic is in the comments.
#include "core/error.h"
#include "planning/device_map.h"
#include "planning/module_tree.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>

using namespace lathe;
using namespace lathe::planning;
using nlohmann::json;

namespace {

json lin(const std::string& name, int out, int in, bool bias = true, const std::string& cls = "Linear") {
  json j = {{"name", name}, {"class", cls}, {"params", {{"weight", {{"shape", {out, in}}, {"dtype", "float32"}}}}}};
  if (bias) j["params"]["bias"] = {{"shape", {out}}, {"dtype", "float32"}};
  return j;
}

// accelerate's ModelForTest: linear1 Linear(3,4) = 16 floats = 64 B; batchnorm BatchNorm1d(4) =
// 4 fp32 tensors (32 B params + 32 B running stats) + int64 num_batches_tracked (8 B) = 72 B;
// linear2 Linear(4,5) = 25 floats = 100 B. Total 236 B.
json model_for_test() {
  json bn = {{"name", "batchnorm"}, {"class", "BatchNorm1d"},
             {"params", {{"weight", {{"shape", {4}}}}, {"bias", {{"shape", {4}}}}}},
             {"buffers", {{"running_mean", {{"shape", {4}}}}, {"running_var", {{"shape", {4}}}},
                          {"num_batches_tracked", {{"shape", json::array()}, {"dtype", "int64"}}}}}};
  return {{"name", ""}, {"class", "ModelForTest"}, {"children", {lin("linear1", 4, 3), bn, lin("linear2", 5, 4)}}};
}

std::map<std::string, std::string> as_map(const PlanResult& r) {
  return {r.device_map.begin(), r.device_map.end()};
}
using M = std::map<std::string, std::string>;

PlanResult plan(const json& tree, PlanMode mode, const std::string& mm, bool fallback = false,
                std::optional<std::vector<std::string>> no_split = std::nullopt, bool offload_buffers = false) {
  PlanOptions o;
  o.mode = mode;
  o.max_memory = parse_max_memory(mm);
  o.fallback_allocation = fallback;
  o.no_split = std::move(no_split);
  o.offload_buffers = offload_buffers;
  return plan_device_map(parse_module_tree(tree), o);
}

bool has_warning(const PlanResult& r, const std::string& needle) {
  for (const auto& w : r.warnings)
    if (w.find(needle) != std::string::npos) return true;
  return false;
}

// Llama-shaped tree (transformers 4.47: a rotary_emb with inv_freq[head_dim/2] fp32 in every attention and in the model).
json llama(int layers, int hidden, int inter, int heads, int kv_heads, int vocab) {
  const int hd = hidden / heads;
  auto norm = [&](const std::string& n) {
    return json{{"name", n}, {"class", "LlamaRMSNorm"}, {"params", {{"weight", {{"shape", {hidden}}, {"dtype", "float16"}}}}}};
  };
  auto rot = json{{"name", "rotary_emb"}, {"class", "LlamaRotaryEmbedding"},
                  {"buffers", {{"inv_freq", {{"shape", {hd / 2}}, {"dtype", "float32"}}}}}};
  auto l16 = [&](const std::string& n, int o, int i) {
    json j = lin(n, o, i, false);
    j["params"]["weight"]["dtype"] = "float16";
    return j;
  };
  json list = json::array();
  for (int i = 0; i < layers; ++i) {
    json attn = {{"name", "self_attn"}, {"class", "LlamaAttention"},
                 {"children", {l16("q_proj", hidden, hidden), l16("k_proj", kv_heads * hd, hidden),
                               l16("v_proj", kv_heads * hd, hidden), l16("o_proj", hidden, hidden), rot}}};
    json mlp = {{"name", "mlp"}, {"class", "LlamaMLP"},
                {"children", {l16("gate_proj", inter, hidden), l16("up_proj", inter, hidden),
                              l16("down_proj", hidden, inter), {{"name", "act_fn"}, {"class", "SiLU"}}}}};
    list.push_back({{"name", std::to_string(i)}, {"class", "LlamaDecoderLayer"},
                    {"children", {attn, mlp, norm("input_layernorm"), norm("post_attention_layernorm")}}});
  }
  json embed = {{"name", "embed_tokens"}, {"class", "Embedding"},
                {"params", {{"weight", {{"shape", {vocab, hidden}}, {"dtype", "float16"}}}}}};
  json model = {{"name", "model"}, {"class", "LlamaModel"},
                {"children", {embed, {{"name", "layers"}, {"class", "ModuleList"}, {"children", list}}, norm("norm"), rot}}};
  return {{"name", ""}, {"class", "LlamaForCausalLM"}, {"no_split", {"LlamaDecoderLayer"}},
          {"children", {model, l16("lm_head", vocab, hidden)}}};
}

}  // namespace

TEST(Planning, ModuleSizes) {
  auto s = compute_module_sizes(parse_module_tree(model_for_test()), "");
  EXPECT_EQ(s.get(""), 236);
  EXPECT_EQ(s.get("linear1"), 64);
  EXPECT_EQ(s.get("batchnorm"), 72);
  EXPECT_EQ(s.get("batchnorm.num_batches_tracked"), 8);
  EXPECT_EQ(s.get("dropout"), 0);  // missing names read as 0
  // fp16 target: floats shrink to 2 B, int64 keeps 8 B: 8*2 + 16*2 + 8 + 25*2 = 16*2+... = 32 + 40 + 50 = 122.
  auto h = compute_module_sizes(parse_module_tree(model_for_test()), "float16");
  EXPECT_EQ(h.get("linear1"), 32);
  EXPECT_EQ(h.get("batchnorm"), 40);  // 16 floats x 2 + 8
  EXPECT_EQ(h.get(""), 122);
  // A larger target never grows a tensor; bool is 1/8 byte.
  json t = {{"name", ""}, {"params", {{"h", {{"shape", {10}}, {"dtype", "float16"}}}}},
            {"buffers", {{"mask", {{"shape", {4, 3}}, {"dtype", "bool"}}}}}};
  auto b = compute_module_sizes(parse_module_tree(t), "float32");
  EXPECT_EQ(b.get("h"), 20);
  EXPECT_DOUBLE_EQ(b.get("mask"), 1.5);
  EXPECT_EQ(b.buffer_total.at(""), 1.5);
}

TEST(Planning, ParseMaxMemory) {
  auto b = parse_max_memory("cpu=16GiB,1=4GiB,0=2GiB");
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].device, "0");
  EXPECT_EQ(b[0].bytes, 2.0 * (1ull << 30));
  EXPECT_EQ(b[1].device, "1");
  EXPECT_EQ(b[2].device, "cpu");
  EXPECT_EQ(parse_max_memory("0=200,1=200")[1].bytes, 200);
  auto code = [](auto f) { try { f(); } catch (const Error& e) { return e.code(); } return ErrorCode::Internal; };
  EXPECT_EQ(code([] { parse_max_memory("gpu=1GB"); }), ErrorCode::InvalidArgument);
  EXPECT_EQ(code([] { parse_max_memory("0=abc"); }), ErrorCode::InvalidArgument);
  EXPECT_EQ(code([] { parse_max_memory("0=1GB,0=2GB"); }), ErrorCode::InvalidArgument);
  EXPECT_EQ(code([] { parse_max_memory("0"); }), ErrorCode::InvalidArgument);
  EXPECT_EQ(code([] { parse_plan_mode("everywhere"); }), ErrorCode::InvalidArgument);
}

TEST(Planning, LargestLayerReserve) {
  // {0: 236}: reserve 100 (linear2). linear1: 64 <= 236-100; batchnorm: 64+72 = 136 <= 136 (exact fill);
  // linear2 popped -> reserve recomputed over an empty queue = 0: 136+100 = 236 <= 236 -> all on 0.
  auto r = plan(model_for_test(), PlanMode::Sequential, "0=236");
  EXPECT_EQ(as_map(r), (M{{"", "0"}}));
  EXPECT_EQ(r.reserve, 100);
  // {0: 235, cpu: 1000}: batchnorm 136 > 135 -> cpu (used[0] becomes 64+100); linear2 follows.
  r = plan(model_for_test(), PlanMode::Sequential, "0=235,cpu=1000");
  EXPECT_EQ(as_map(r), (M{{"linear1", "0"}, {"batchnorm", "cpu"}, {"linear2", "cpu"}}));
  // cpu buffers 40 B; GPU 0: 235 >= 40 + 164 -> no buffer warning.
  EXPECT_FALSE(has_warning(r, "bytes of buffer"));
}

TEST(Planning, BalancedArithmetic) {
  // per_gpu = 236 // 2 + int(1.25 * int(236 / 3)) = 118 + 97 = 215 for GPU 0; the last GPU keeps 300.
  auto r = plan(model_for_test(), PlanMode::Balanced, "0=300,1=300");
  EXPECT_EQ(r.budgets[0].bytes, 215);
  EXPECT_EQ(r.budgets[1].bytes, 300);
  // GPU 0 (main, cap 215-100 = 115): linear1 64; batchnorm 136 > 115 -> GPU 1 (cap 300): batchnorm, linear2.
  EXPECT_EQ(as_map(r), (M{{"linear1", "0"}, {"batchnorm", "1"}, {"linear2", "1"}}));
  // Sequential on the raw budgets: GPU 0 cap 200: 64, 136, then linear2 (reserve 0) 236 <= 300.
  EXPECT_EQ(as_map(plan(model_for_test(), PlanMode::Sequential, "0=300,1=300")), (M{{"", "0"}}));
}

TEST(Planning, BalancedLowZero) {
  // n=3: per_gpu = 236 // 2 + 97 = 215; GPU1 = 215, GPU2 = 300 (last); GPU0 = min(max(0, 236-515), 300) = 0.
  auto r = plan(model_for_test(), PlanMode::BalancedLow0, "0=300,1=300,2=300");
  EXPECT_EQ(r.budgets[0].bytes, 0);
  EXPECT_EQ(r.budgets[1].bytes, 215);
  EXPECT_EQ(r.budgets[2].bytes, 300);
  // GPU 0 cap 0-100 < 0: nothing fits (a warning); GPU 1: linear1 + batchnorm = 136, linear2 236 > 215 -> GPU 2.
  EXPECT_EQ(as_map(r), (M{{"linear1", "1"}, {"batchnorm", "1"}, {"linear2", "2"}}));
  EXPECT_TRUE(has_warning(r, "no modules could be assigned to device 0"));
}

TEST(Planning, Llama2_7B_DocumentedBudgets) {
  json t = llama(32, 4096, 11008, 32, 32, 32000);
  auto s = compute_module_sizes(parse_module_tree(t), "float16");
  EXPECT_EQ(s.get(""), 13476835456.0);
  EXPECT_EQ(s.get("model.layers.0"), 404766848.0);
  // per_gpu = 13476835456 // 2 = 6738417728, + int(1.25 * 404766848) = 505958560 -> 7244376288.
  PlanOptions o;
  o.max_memory = parse_max_memory("0=8355638983,1=8355638983");
  o.dtype = "float16";
  auto r = plan_device_map(parse_module_tree(t), o);
  EXPECT_EQ(r.budgets[0].bytes, 7244376288.0);
  o.mode = PlanMode::BalancedLow0;  // GPU0 = min(max(0, S - 8355638983), 8355638983) = 5121196473
  EXPECT_EQ(plan_device_map(parse_module_tree(t), o).budgets[0].bytes, 5121196473.0);
}

namespace {
// embed (10x4 fp32 = 160 B), body (8x8 = 256 B), head tied to embed (counted 0 B), tail (8x8 = 256 B). Total 672.
json tied_tree() {
  return {{"name", ""}, {"class", "Tied"},
          {"children", {lin("embed", 10, 4, false, "Embedding"), lin("body", 8, 8, false), lin("head", 10, 4, false),
                        lin("tail", 8, 8, false)}},
          {"tied", json::array({json::array({"head.weight", "embed.weight"})})}};
}
}  // namespace

TEST(Planning, TiedGroupsPlacedTogether) {
  EXPECT_EQ(compute_module_sizes(parse_module_tree(tied_tree()), "").get(""), 672);
  // {0: 500}: reserve 256 (body, tail). embed: tie partner head (0 B): 160 <= 500-256 = 244 -> GPU 0,
  // and head is pulled forward onto GPU 0. body: reserve still 256 (tail): 160+256 > 244 -> cpu; tail -> cpu.
  auto r = plan(tied_tree(), PlanMode::Sequential, "0=500,cpu=1000");
  EXPECT_EQ(as_map(r), (M{{"embed", "0"}, {"head", "0"}, {"body", "cpu"}, {"tail", "cpu"}}));
  // {0: 400}: embed 160 > 400-256 = 144 -> everything (ties included) on cpu.
  r = plan(tied_tree(), PlanMode::Sequential, "0=400,cpu=1000");
  EXPECT_EQ(as_map(r), (M{{"", "cpu"}}));
  // {0: 672}: embed 160 <= 416; body 416 <= 416 (exact fill); tail: reserve 0, 672 <= 672 -> all on 0.
  EXPECT_EQ(as_map(plan(tied_tree(), PlanMode::Sequential, "0=672")), (M{{"", "0"}}));
}

TEST(Planning, TiedPartnerIsSplit) {
  // head (10x4 = 160 B, registered first so it holds the shared tensor), small (2x2 = 16 B),
  // enc {emb tied to head (0 B), x (4x4 = 64 B)}. Total 240; {0: 230, cpu: 1000}.
  json enc = {{"name", "enc"}, {"class", "Enc"}, {"children", {lin("emb", 10, 4, false, "Embedding"), lin("x", 4, 4, false)}}};
  json t = {{"name", ""}, {"class", "Net"}, {"children", {lin("head", 10, 4, false), lin("small", 2, 2, false), enc}},
            {"tied", json::array({json::array({"enc.emb.weight", "head.weight"})})}};
  // head: reserve -> 64 (enc.x), cap 166; partner enc: 160 + 64 - 0 = 224 > 166 but 160 <= 166 -> split enc.
  // head again: partner enc.emb (0 B): 160 <= 166 -> head and enc.emb on 0. small: 176 > 166 -> cpu; enc.x -> cpu.
  auto r = plan(t, PlanMode::Sequential, "0=230,cpu=1000");
  EXPECT_EQ(as_map(r), (M{{"head", "0"}, {"enc.emb", "0"}, {"small", "cpu"}, {"enc.x", "cpu"}}));
}

TEST(Planning, NoSplitClasses) {
  // block (a 64 B + b 64 B = 128 B) and out (2x4 = 32 B); total 160; {0: 150, cpu: 1000}.
  json t = {{"name", ""}, {"class", "Net"},
            {"children", {{{"name", "block"}, {"class", "Block"}, {"children", {lin("a", 4, 4, false), lin("b", 4, 4, false)}}},
                          lin("out", 2, 4, false)}}};
  // Splittable: block popped, reserve -> 32 (out): 128 > 118 -> split; reserve 64 (a, b).
  // a: cap 150-64 = 86 -> 0; b: reserve -> 32, 64+64 = 128 > 118 -> cpu; out -> cpu.
  EXPECT_EQ(as_map(plan(t, PlanMode::Sequential, "0=150,cpu=1000", false, std::vector<std::string>{})),
            (M{{"block.a", "0"}, {"block.b", "cpu"}, {"out", "cpu"}}));
  // Block is no-split: 128 > 118 cannot split -> nothing on GPU 0 (warning) -> all on cpu.
  auto r = plan(t, PlanMode::Sequential, "0=150,cpu=1000", false, std::vector<std::string>{"Block"});
  EXPECT_EQ(as_map(r), (M{{"", "cpu"}}));
  EXPECT_EQ(r.reserve, 128);
  EXPECT_TRUE(has_warning(r, "no modules could be assigned to device 0"));
}

TEST(Planning, BufferWarning) {
  // {0: 100}: reserve 100 -> cap 0, nothing fits on 0 (used[0] = 100); all on cpu with 40 B of buffers.
  // 100 >= 40 + 100 is false -> the buffer warning.
  auto r = plan(model_for_test(), PlanMode::Sequential, "0=100,cpu=1000");
  EXPECT_EQ(as_map(r), (M{{"", "cpu"}}));
  EXPECT_TRUE(has_warning(r, "requires 40 bytes of buffer"));
  r = plan(model_for_test(), PlanMode::Sequential, "0=100,cpu=1000", false, std::nullopt, true);
  EXPECT_FALSE(has_warning(r, "bytes of buffer"));
}

TEST(Planning, FallbackAllocation) {
  json t = model_for_test();
  t["children"].push_back(lin("tiny", 2, 2, false));  // 16 B; total 252
  // {0: 150}: reserve 100; linear1 64 > 50. Fallback limit = 150 - max(100, 64) = 50:
  // batchnorm 72 no, linear2 100 no, tiny 16 yes -> tiny on 0; linear1 then moves on to cpu.
  EXPECT_EQ(as_map(plan(t, PlanMode::Sequential, "0=150,cpu=1000", true)),
            (M{{"tiny", "0"}, {"linear1", "cpu"}, {"batchnorm", "cpu"}, {"linear2", "cpu"}}));
  EXPECT_EQ(as_map(plan(t, PlanMode::Sequential, "0=150,cpu=1000", false)), (M{{"", "cpu"}}));
}

TEST(Planning, ExplicitMapValidation) {
  auto tree = parse_module_tree(tied_tree());
  auto v = validate_device_map(tree, json{{"embed", 0}, {"body", "cpu"}, {"tail", "disk"}});
  EXPECT_EQ(v.uncovered, std::vector<std::string>{"head.weight"});
  v = validate_device_map(tree, json{{"embed", 0}, {"body", "cpu"}, {"head", "cpu"}, {"tail", 1}});
  EXPECT_TRUE(v.ok());
  ASSERT_EQ(v.warnings.size(), 1u);  // the tie group is split
  v = validate_device_map(tree, json{{"", "disk"}});
  EXPECT_TRUE(v.ok());
  EXPECT_TRUE(v.warnings.empty());
  auto code = [&](const json& m) { try { validate_device_map(tree, m); } catch (const Error& e) { return e.code(); } return ErrorCode::Internal; };
  EXPECT_EQ(code(json{{"embed", "gpu"}}), ErrorCode::InvalidArgument);
  EXPECT_EQ(code(json{{"nope", 0}}), ErrorCode::InvalidArgument);
  EXPECT_EQ(code(json::array()), ErrorCode::InvalidArgument);
}

TEST(Planning, BadInputs) {
  auto code = [](auto f) { try { f(); } catch (const Error& e) { return e.code(); } return ErrorCode::Internal; };
  EXPECT_EQ(code([] { parse_module_tree_text("{not json"); }), ErrorCode::ConfigInvalid);
  EXPECT_EQ(code([] { parse_module_tree_text("[]"); }), ErrorCode::ConfigInvalid);
  EXPECT_EQ(code([] { parse_module_tree_text(R"({"params": {"w": {"shape": [-1]}}})"); }), ErrorCode::ConfigInvalid);
  EXPECT_EQ(code([] { parse_module_tree_text(R"({"params": {"w": {"shape": [2], "dtype": "float13"}}})"); }),
            ErrorCode::InvalidArgument);
  EXPECT_EQ(code([] { parse_module_tree_text(R"({"children": [{"class": "X"}]})"); }), ErrorCode::ConfigInvalid);
  EXPECT_EQ(code([] { parse_module_tree_text(R"({"params": {"w": {"shape": [2]}}, "tied": [["w", "v"]]})"); }),
            ErrorCode::ConfigInvalid);
  // accelerate crashes: disk with balanced (RuntimeError), low_0 with GPUs {0, 2} (KeyError).
  EXPECT_EQ(code([] { plan(model_for_test(), PlanMode::Balanced, "0=100,disk=100"); }), ErrorCode::InvalidArgument);
  EXPECT_EQ(code([] { plan(model_for_test(), PlanMode::BalancedLow0, "0=100,2=100,3=100"); }), ErrorCode::InvalidArgument);
}

TEST(Planning, DeterministicAndLlama70BTiming) {
  json t = llama(80, 8192, 28672, 64, 8, 32000);
  auto tree = parse_module_tree(t);
  PlanOptions o;
  o.max_memory = parse_max_memory("0=40GiB,1=40GiB,2=40GiB,cpu=64GiB");
  auto a = plan_device_map(tree, o);
  // params: 2*32000*8192 + 80*(2*8192^2 + 2*1024*8192 + 3*28672*8192 + 2*8192) + 8192 = 68976648192 fp16,
  // + 81 inv_freq buffers of 64 fp32 = 81 * 256 B (own dtype: no target dtype).
  EXPECT_EQ(a.total, 68976648192.0 * 2 + 81 * 256);
  EXPECT_EQ(a.to_json().dump(), plan_device_map(tree, o).to_json().dump());
  auto t0 = std::chrono::steady_clock::now();
  const int reps = 20;
  for (int i = 0; i < reps; ++i) plan_device_map(tree, o);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / reps;
  auto t1 = std::chrono::steady_clock::now();
  auto parsed = parse_module_tree(t);
  double parse_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count();
  std::printf("[ timing ] Llama-70B-shaped plan (balanced, 3 GPUs + cpu): %.3f ms per plan (goal <= 3 ms); "
              "tree parse %.3f ms; %zu modules; %zu map entries\n",
              ms, parse_ms, parsed.modules.size(), a.device_map.size());
}
