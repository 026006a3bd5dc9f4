// model_module_tree / module_tree_of / apply_bnb_sizing: the module tree transformers 4.47.1
// hands accelerate for from_pretrained(device_map=...). Expected sizes come from the reference
// checkpoints' tensor byte ranges in manifest.json, from docs/device-maps.md's Llama-2-7B numbers,
// or from hand arithmetic shown in the comments.
#include "core/error.h"
#include "hub/hub_client.h"
#include "models/from_pretrained.h"
#include "planning/device_map.h"
#include "planning/model_tree.h"
#include "planning/model_tree_internal.h"
#include "planning/quantized_sizing.h"

#include "local_hub.h"
#include "manifest.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>

using namespace lathe;
using namespace lathe::planning;
using lathe::test::code_of;
using nlohmann::json;
using M = std::map<std::string, std::string>;

namespace {

const json& case_of(const std::string& id) {
  for (const auto& c : test::manifest()["cases"])
    if (c["id"] == id) return c;
  throw std::runtime_error("no fixture case " + id);
}

// The safetensors checkpoint folder of a case and its tensors' byte counts (data_offsets).
std::string st_dir(const std::string& id) {
  for (const auto& ck : case_of(id)["checkpoints"])
    if (ck["format"] == "safetensors") return test::fixture(ck["dir"].get<std::string>());
  throw std::runtime_error("no safetensors checkpoint for " + id);
}
std::map<std::string, double> ckpt_bytes(const std::string& id) {
  std::map<std::string, double> out;
  for (const auto& ck : case_of(id)["checkpoints"])
    if (ck["format"] == "safetensors")
      for (const auto& t : ck["files"]["model.safetensors"]["safetensors"]["tensors_in_file_order"])
        out[t["name"]] = t["data_offsets"][1].get<double>() - t["data_offsets"][0].get<double>();
  return out;
}
double sum_prefix(const std::map<std::string, double>& m, const std::string& prefix) {
  double s = 0;
  for (const auto& [k, v] : m)
    if (k.rfind(prefix, 0) == 0) s += v;
  return s;
}
const Module& mod(const ModuleTree& t, const std::string& name) { return t.modules.at(t.index.at(name)); }

// Llama-2-7B's config.json (meta-llama/Llama-2-7b-hf).
std::string write_llama7b(const test::TempDir& dir) {
  json c = {{"architectures", {"LlamaForCausalLM"}}, {"model_type", "llama"}, {"hidden_size", 4096},
            {"intermediate_size", 11008}, {"num_hidden_layers", 32}, {"num_attention_heads", 32},
            {"num_key_value_heads", 32}, {"vocab_size", 32000}, {"max_position_embeddings", 4096},
            {"rms_norm_eps", 1e-5}, {"hidden_act", "silu"}, {"tie_word_embeddings", false},
            {"torch_dtype", "float16"}};
  test::write_bytes(dir.file("config.json"), c.dump(2));
  return dir.path();
}
// Llama-2-7B: 32000*4096 (embed) + 32*(4*4096^2 + 3*4096*11008 + 2*4096) + 4096 (norm) + 32000*4096 (lm_head)
constexpr double kLlama7BParams = 2.0 * 32000 * 4096 + 32.0 * (4.0 * 4096 * 4096 + 3.0 * 4096 * 11008 + 2 * 4096) + 4096;

}  // namespace

TEST(ModelTree, Gpt2FixtureSizesClassesTies) {
  const auto bytes = ckpt_bytes("gpt2_lm_s0");
  ModuleTree t = model_module_tree(st_dir("gpt2_lm_s0"));
  EXPECT_EQ(t.modules[0].cls, "GPT2LMHeadModel");
  EXPECT_EQ(mod(t, "transformer").cls, "GPT2Model");
  EXPECT_EQ(mod(t, "transformer.h.1").cls, "GPT2Block");
  EXPECT_EQ(mod(t, "transformer.drop").cls, "Dropout");  // tensor-less, as in transformers
  EXPECT_EQ(mod(t, "transformer.h.0.mlp.act").cls, "NewGELUActivation");
  EXPECT_EQ(t.no_split, (std::vector<std::string>{"GPT2Block"}));
  EXPECT_EQ(t.tied, (std::vector<std::vector<std::string>>{{"lm_head.weight", "transformer.wte.weight"}}));
  EXPECT_EQ(t.output_embeddings, "lm_head");
  EXPECT_EQ(t.sizing.untied_when_balancing, (std::vector<std::string>{"lm_head.weight"}));
  EXPECT_EQ(t.sizing.dtype, "");  // torch_dtype None
  EXPECT_TRUE(t.sizing.auto_unsupported.empty());

  // Buffers (utils.json): per layer attn.bias bool [1,1,128,128] = 16384 / 8 = 2048 B and
  // attn.masked_bias fp32 scalar = 4 B: 2052 B per layer. lm_head.weight is tied (not saved, counted 0).
  auto s = compute_module_sizes(t, "");
  EXPECT_EQ(s.get(""), sum_prefix(bytes, "") + 2 * 2052);
  EXPECT_EQ(s.get("transformer.h.1"), sum_prefix(bytes, "transformer.h.1.") + 2052);
  EXPECT_EQ(s.get("lm_head"), 0);
  // Balancing sees the untied model: lm_head.weight is a second copy of wte (517x32 fp32).
  EXPECT_EQ(compute_module_sizes(t, "", true).get(""), s.get("") + bytes.at("transformer.wte.weight"));

  // "auto": config.json says float32. float16 halves every float tensor; bool keeps its 1/8 byte,
  // masked_bias is built in float16 (2 B).
  EXPECT_EQ(model_module_tree(st_dir("gpt2_lm_s0"), {"auto", "", {}, ""}).sizing.dtype, "float32");
  ModuleTree h = model_module_tree(st_dir("gpt2_lm_s0"), {"float16", "", {}, ""});
  EXPECT_EQ(h.sizing.dtype, "float16");
  EXPECT_EQ(compute_module_sizes(h, h.sizing.dtype).get(""), sum_prefix(bytes, "") / 2 + 2 * (2048 + 2));
}

TEST(ModelTree, BertFixtures) {
  // BertForMaskedLM: two ties (decoder weight <-> word embeddings, decoder.bias <-> predictions.bias).
  const auto mlm_bytes = ckpt_bytes("bert_mlm_s0");
  ModuleTree t = model_module_tree(st_dir("bert_mlm_s0"));
  EXPECT_EQ(t.modules[0].cls, "BertForMaskedLM");
  EXPECT_EQ(mod(t, "bert.encoder.layer.0").cls, "BertLayer");
  EXPECT_EQ(t.tied, (std::vector<std::vector<std::string>>{
                        {"bert.embeddings.word_embeddings.weight", "cls.predictions.decoder.weight"},
                        {"cls.predictions.bias", "cls.predictions.decoder.bias"}}));
  EXPECT_EQ(t.sizing.untied_when_balancing, (std::vector<std::string>{"cls.predictions.decoder.weight"}));
  // Buffers: position_ids and token_type_ids, int64 [1, 128] each = 2 * 1024 B.
  EXPECT_EQ(compute_module_sizes(t, "").get(""), sum_prefix(mlm_bytes, "") + 2048);
  // 4.47.1: only BertModel declares _no_split_modules; device_map="auto" on a head class raises.
  PlanOptions o;
  o.max_memory = parse_max_memory("0=1MB,cpu=1GB");
  EXPECT_EQ(code_of([&] { plan_device_map(t, o); }), ErrorCode::Unsupported);
  EXPECT_TRUE(validate_device_map(t, json{{"", "cpu"}}).ok());  // explicit maps stay possible

  const auto base_bytes = ckpt_bytes("bert_base_s0");
  ModuleTree b = model_module_tree(st_dir("bert_base_s0"), {"float16", "", {}, ""});
  EXPECT_EQ(b.modules[0].cls, "BertModel");
  EXPECT_EQ(b.no_split, (std::vector<std::string>{"BertEmbeddings", "BertLayer"}));
  EXPECT_TRUE(b.tied.empty());
  EXPECT_EQ(mod(b, "pooler.activation").cls, "Tanh");
  // float16: the float32 checkpoint halves; the int64 buffers keep 8 bytes per element.
  EXPECT_EQ(compute_module_sizes(b, b.sizing.dtype).get(""), sum_prefix(base_bytes, "") / 2 + 2048);
  o.max_memory = parse_max_memory("cpu=1GB");
  EXPECT_EQ(plan_device_map(b, o).device_map, (std::vector<std::pair<std::string, std::string>>{{"", "cpu"}}));
}

TEST(ModelTree, Llama2_7BFromConfig) {
  test::TempDir dir;
  ModuleTree t = model_module_tree(write_llama7b(dir), {"float16", "", {}, ""});
  EXPECT_EQ(t.sizing.dtype, "float16");
  EXPECT_EQ(mod(t, "model.layers.0.self_attn.rotary_emb").cls, "LlamaRotaryEmbedding");
  EXPECT_EQ(mod(t, "model.layers.0.mlp.act_fn").cls, "SiLU");
  EXPECT_TRUE(t.tied.empty());
  EXPECT_EQ(t.output_embeddings, "lm_head");
  EXPECT_TRUE(t.sizing.untied_when_balancing.empty());
  // docs/device-maps.md §3.4: S = 13476835456, first LlamaDecoderLayer 404766848 (33 inv_freq of 64
  // fp32 at 2 B: 32 attentions + the model's).
  auto s = compute_module_sizes(t, t.sizing.dtype);
  EXPECT_EQ(s.get(""), 13476835456.0);
  EXPECT_EQ(s.get(""), kLlama7BParams * 2 + 33 * 64 * 2);
  EXPECT_EQ(s.get("model.layers.0"), 404766848.0);
  PlanOptions o;
  o.max_memory = parse_max_memory("0=8355638983,1=8355638983");
  EXPECT_EQ(plan_device_map(t, o).budgets[0].bytes, 7244376288.0);
  o.mode = PlanMode::BalancedLow0;
  EXPECT_EQ(plan_device_map(t, o).budgets[0].bytes, 5121196473.0);
  // "auto" reads config.json's float16; None keeps float32 tensors (4 B, inv_freq included).
  EXPECT_EQ(model_module_tree(dir.path(), {"auto", "", {}, ""}).sizing.dtype, "float16");
  ModuleTree f = model_module_tree(dir.file("config.json"));
  EXPECT_EQ(compute_module_sizes(f, f.sizing.dtype).get(""), kLlama7BParams * 4 + 33 * 64 * 4);
}

TEST(ModelTree, LoadedModelMatchesSkeleton) {
  // The offload path plans a loaded model: same tree as the skeleton of the same folder.
  auto loaded = models::from_pretrained(st_dir("gpt2_lm_s0"));
  ModuleTree a = module_tree_of(*loaded.model);
  ModuleTree b = model_module_tree(st_dir("gpt2_lm_s0"));
  EXPECT_EQ(module_tree_json(a).dump(), module_tree_json(b).dump());
  // And the JSON round-trips through the --tree parser.
  ModuleTree c = parse_module_tree_text(module_tree_json(b).dump());
  EXPECT_EQ(module_tree_json(c).dump(), module_tree_json(b).dump());
}

TEST(ModelTree, Errors) {
  test::TempDir dir;
  EXPECT_EQ(code_of([&] { model_module_tree(dir.path()); }), ErrorCode::NotFound);
  write_llama7b(dir);
  EXPECT_EQ(code_of([&] { model_module_tree(dir.path(), {"", "3bit", {}, ""}); }), ErrorCode::InvalidArgument);
  EXPECT_EQ(code_of([&] { model_module_tree(dir.path(), {"int8", "", {}, ""}); }), ErrorCode::InvalidArgument);
  test::write_bytes(dir.file("config.json"), "{not json");
  EXPECT_EQ(code_of([&] { model_module_tree(dir.path()); }), ErrorCode::ConfigInvalid);
}

TEST(ModelTree, QuantizedGpt2HandSizes) {
  // GPT-2 fixture: vocab 517, n_embd 32, 2 layers, 128 positions. load_in_8bit, torch_dtype None ->
  // float16 (update_torch_dtype). get_keys_to_not_convert: the tie group {lm_head.weight,
  // transformer.wte.weight} plus the last parameter lm_head.weight -> ["lm_head", "transformer.wte"].
  ModuleTree t = model_module_tree(st_dir("gpt2_lm_s0"), {"", "8bit", {}, ""});
  EXPECT_EQ(t.sizing.modules_to_not_convert, (std::vector<std::string>{"lm_head", "transformer.wte"}));
  EXPECT_EQ(t.sizing.dtype, "int8");
  EXPECT_EQ(t.sizing.max_memory_factor, 0.90);
  EXPECT_EQ(t.sizing.special_dtypes, (std::unordered_map<std::string, std::string>{
                                         {"transformer.wte.weight", "float16"}, {"lm_head.weight", "float16"}}));
  EXPECT_EQ(mod(t, "transformer.h.0.attn.c_attn").cls, "Linear8bitLt");  // Conv1D replaced, weight [out, in]
  EXPECT_EQ(mod(t, "transformer.h.0.attn.c_attn").params[0].shape, (std::vector<std::int64_t>{96, 32}));
  EXPECT_EQ(mod(t, "transformer.h.0.attn.c_attn").params[0].dtype, "float32");
  EXPECT_EQ(mod(t, "lm_head").cls, "Linear");  // kept
  // int8 sizes (1 B per float element; special dtypes at float16 = 2 B):
  //   wte 517*32*2 = 33088; wpe 128*32 = 4096; ln_f 64;
  //   per layer: ln_1 64 + c_attn 32*96+96 = 3168 + c_proj 32*32+32 = 1056 + ln_2 64 + c_fc 32*128+128 = 4224
  //   + mlp.c_proj 128*32+32 = 4128 = 12704 of params; buffers bool 16384/8 = 2048 (kept) + masked_bias
  //   float16 scalar at 1 B = 2049 -> 14753 per layer.
  //   total = 33088 + 4096 + 2*14753 + 64 = 66754.
  auto s = compute_module_sizes(t, t.sizing.dtype);
  EXPECT_EQ(s.get("transformer.h.0"), 14753);
  EXPECT_EQ(s.get(""), 66754);
  // Balancing (untied: + lm_head.weight at float16, 33088) = 99842. {0: 100000, 1: 100000}:
  //   per_gpu = 99842 // 2 = 49921; first GPT2Block 14753; leaves: wte 33088 + wpe 4096 + 2*12704 (six
  //   leaves per layer) + ln_f 64 + lm_head 33088 = 95744 over 16 -> 5984; int(1.25 * 14753) = 18441;
  //   per_gpu = 68362 -> GPU 0 = min(68362, 100000) = 68362, GPU 1 (last) = 100000; then x 0.90:
  //   61525.8 and 90000.
  PlanOptions o;
  o.max_memory = parse_max_memory("0=100000,1=100000");
  auto r = plan_device_map(t, o);
  EXPECT_DOUBLE_EQ(r.budgets[0].bytes, 68362 * 0.90);
  EXPECT_DOUBLE_EQ(r.budgets[1].bytes, 100000 * 0.90);
  // Planning (tied, 66754): reserve 33088 (wte); transformer 66754 > 61525.8-33088 -> split.
  // wte (reserve now 14753, a block): 33088 <= 46772.8 -> GPU 0 with its tie partner lm_head (0 B).
  // wpe 37184 fits; drop (0 B) fits; h (reserve drops to ln_f's 64): 37184+29506 > 61461.8 -> split;
  // h.0 (reserve 14753): 51937 > 46772.8 -> GPU 1 (used[0] += 14753 -> 51937); h.0, h.1, ln_f on GPU 1 (29570).
  EXPECT_EQ(M(r.device_map.begin(), r.device_map.end()),
            (M{{"lm_head", "0"}, {"transformer.wte", "0"}, {"transformer.wpe", "0"}, {"transformer.drop", "0"},
               {"transformer.h", "1"}, {"transformer.ln_f", "1"}}));
  EXPECT_EQ(r.used, (std::vector<std::pair<std::string, double>>{{"0", 51937}, {"1", 29570}}));

  // nf4: INT4 target = 0.5 B: wpe 2048, layer params 12704/2 = 6352, masked_bias 0.5, bool mask 2048
  // -> 8400.5 per layer; ln_f 32; wte special 33088. Total 33088 + 2048 + 2*8400.5 + 32 = 51969.
  ModuleTree q = model_module_tree(st_dir("gpt2_lm_s0"), {"", "nf4", {}, ""});
  EXPECT_EQ(q.sizing.dtype, "int4");
  EXPECT_EQ(mod(q, "transformer.h.1.mlp.c_fc").cls, "Linear4bit");
  EXPECT_EQ(compute_module_sizes(q, q.sizing.dtype).get(""), 51969);
  // llm_int8_skip_modules replaces the default list: lm_head is quantized then (its tied weight is
  // still sized under transformer.wte.weight, now at 1 B: 517*32 = 16544 less than 66754 - 16544).
  ModuleTree k = model_module_tree(st_dir("gpt2_lm_s0"), {"", "8bit", {"mlp"}, ""});
  EXPECT_EQ(mod(k, "lm_head").cls, "Linear8bitLt");
  EXPECT_EQ(mod(k, "transformer.h.0.mlp.c_fc").cls, "Conv1D");  // "mlp." lies in its path
  EXPECT_EQ(compute_module_sizes(k, k.sizing.dtype).get(""), 66754 - 16544 + 2 * (4224 + 4128));
}

TEST(ModelTree, QuantizedLlamaKeepsLmHead) {
  test::TempDir dir;
  write_llama7b(dir);
  // No ties: get_keys_to_not_convert keeps the output embedding, lm_head (32000 x 4096 = 131072000).
  ModuleTree t = model_module_tree(dir.path(), {"auto", "8bit", {}, ""});
  EXPECT_EQ(t.sizing.modules_to_not_convert, (std::vector<std::string>{"lm_head"}));
  EXPECT_EQ(t.sizing.special_dtypes.size(), 1u);
  EXPECT_EQ(t.sizing.special_dtypes.at("lm_head.weight"), "float16");
  // int8: every other float element 1 B (norms and embeddings too: min(1, 2)), lm_head 2 B, 33 inv_freq
  // of 64 at 1 B: P + 131072000 + 2112.
  EXPECT_EQ(compute_module_sizes(t, t.sizing.dtype).get(""), kLlama7BParams + 131072000 + 33 * 64);
  // nf4: (P - 131072000) / 2 + 131072000 * 2 + 33 * 64 / 2.
  ModuleTree q = model_module_tree(dir.path(), {"auto", "nf4", {}, ""});
  EXPECT_EQ(compute_module_sizes(q, q.sizing.dtype).get(""), (kLlama7BParams - 131072000) / 2 + 131072000 * 2 + 33 * 32);
  // Sequential: get_max_memory, then x 0.90.
  PlanOptions o;
  o.mode = PlanMode::Sequential;
  o.max_memory = parse_max_memory("0=1000000000,cpu=2000000000");
  auto r = plan_device_map(q, o);
  EXPECT_EQ(r.budgets[0].bytes, 900000000.0);
  EXPECT_EQ(r.budgets[1].bytes, 1800000000.0);
}

TEST(ModelTree, FastPathEqualsSkeleton) {
  // model_module_tree_fast (torch-free, what `lathe-cli plan` uses) must give the skeleton's tree.
  test::TempDir dir;
  auto check = [&](json cfg, const ModelTreeOptions& o, bool expect_fast = true) {
    test::write_bytes(dir.file("config.json"), cfg.dump());
    auto fast = model_module_tree_fast(dir.path(), o);
    ASSERT_EQ(fast.has_value(), expect_fast) << cfg.dump();
    if (!fast) return;
    EXPECT_EQ(module_tree_json(*fast).dump(), module_tree_json(model_module_tree(dir.path(), o)).dump()) << cfg.dump();
  };
  json llama = {{"architectures", {"LlamaForCausalLM"}}, {"model_type", "llama"}, {"hidden_size", 64},
                {"intermediate_size", 96}, {"num_hidden_layers", 3}, {"num_attention_heads", 8},
                {"num_key_value_heads", 2}, {"vocab_size", 100}, {"torch_dtype", "bfloat16"}};
  check(llama, {});
  check(llama, {"auto", "", {}, ""});
  check(llama, {"float16", "nf4", {}, ""});
  json v = llama;
  v["tie_word_embeddings"] = true, v["attention_bias"] = true, v["mlp_bias"] = true, v["head_dim"] = 16;
  v["rope_scaling"] = {{"rope_type", "llama3"}, {"factor", 8.0}};
  check(v, {"float32", "8bit", {}, ""});
  v["architectures"] = {"LlamaModel"};
  check(v, {});
  json q = llama;
  q["model_type"] = "qwen2", q["architectures"] = {"Qwen2ForCausalLM"}, q["tie_word_embeddings"] = true;
  check(q, {"auto", "", {}, ""});
  json m = llama;
  m["model_type"] = "mistral", m["architectures"] = {"MistralForCausalLM"}, m["sliding_window"] = 4096;
  check(m, {"bfloat16", "fp4", {"lm_head", "mlp"}, ""});
  // Outside the fast path: other architectures, rope types, "auto" without a config dtype.
  check({{"model_type", "gpt2"}, {"n_layer", 1}}, {}, false);
  json r = llama;
  r["rope_scaling"] = {{"rope_type", "yarn"}, {"factor", 4.0}};
  check(r, {}, false);
  r = llama;
  r.erase("torch_dtype");
  check(r, {"auto", "", {}, ""}, false);
}

namespace {
// The torch-free front `lathe-cli` (the build's lathe-cli-full sits next to it).
std::string front_cli() {
  std::string full = LATHE_CLI_PATH;
  return full.substr(0, full.find_last_of('/') + 1) + "lathe-cli";
}
}  // namespace

TEST(PlanCli, Llama70BConfigThroughTheFront) {
  test::TempDir dir;
  json c = {{"architectures", {"LlamaForCausalLM"}}, {"model_type", "llama"}, {"hidden_size", 8192},
            {"intermediate_size", 28672}, {"num_hidden_layers", 80}, {"num_attention_heads", 64},
            {"num_key_value_heads", 8}, {"vocab_size", 32000}, {"torch_dtype", "float16"}};
  test::write_bytes(dir.file("config.json"), c.dump());
  auto t0 = std::chrono::steady_clock::now();
  auto r = test::run_process({front_cli(), "plan", dir.path(), "--device-map", "auto", "--max-memory",
                              "0=40GiB,1=40GiB,2=40GiB,cpu=64GiB", "--dtype", "auto", "--json"});
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  // 2*32000*8192 + 80*(2*8192^2 + 2*1024*8192 + 3*28672*8192 + 2*8192) + 8192 = 68976648192 fp16 params,
  // + 81 inv_freq of 64 fp32 sized at fp16 (128 B).
  EXPECT_EQ(j["total_size"].get<double>(), 68976648192.0 * 2 + 81 * 128);
  EXPECT_EQ(j["dtype"], "float16");
  EXPECT_EQ(j["device_map"]["model.embed_tokens"], 0);
  EXPECT_EQ(j["device_map"]["lm_head"], "cpu");
  std::printf("[ timing ] lathe-cli plan on a Llama-70B config.json: %.3f s for the whole process (goal <= 0.5 s)\n", s);
}

TEST(PlanCli, QuantizedGpt2AndErrors) {
  // GPT-2 is not on the fast path: the front execs lathe-cli-full. Map and budgets: QuantizedGpt2HandSizes.
  auto r = test::run_process({front_cli(), "plan", st_dir("gpt2_lm_s0"), "--device-map", "auto", "--max-memory",
                              "0=100000,1=100000", "--quantize", "8bit", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["device_map"], (json{{"lm_head", 0}, {"transformer.wte", 0}, {"transformer.wpe", 0},
                                   {"transformer.drop", 0}, {"transformer.h", 1}, {"transformer.ln_f", 1}}));
  EXPECT_DOUBLE_EQ(j["max_memory"]["0"].get<double>(), 68362 * 0.90);
  EXPECT_EQ(j["quantization"]["modules_to_not_convert"], (json{"lm_head", "transformer.wte"}));
  EXPECT_EQ(j["dtype"], "int8");
  // Bert head classes refuse device_map="auto" (4.47.1): exit 1 with an error line.
  r = test::run_process({front_cli(), "plan", st_dir("bert_mlm_s0"), "--device-map", "auto"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("error:"), std::string::npos);
  EXPECT_EQ(test::run_process({front_cli(), "plan", "--device-map", "auto"}).exit_code, 2);
  EXPECT_EQ(test::run_process({front_cli(), "plan", "/nonexistent/model", "--device-map", "auto"}).exit_code, 1);
  EXPECT_EQ(test::run_process({front_cli(), "plan", st_dir("gpt2_lm_s0"), "--device-map", "auto", "--quantize", "3bit"}).exit_code, 2);
  EXPECT_EQ(test::run_process({front_cli(), "--version"}).exit_code, 0);  // exec'd lathe-cli-full
}

TEST(PlanCli, RepoIdsThroughTheLocalHub) {
  // `plan org/name` resolves config.json into the HF cache (our hub server on 127.0.0.1).
  test::TempDir tmp;
  test::LocalHub hub(tmp.path() + "/server");
  test::TempDir model;
  json c = {{"architectures", {"LlamaForCausalLM"}}, {"model_type", "llama"}, {"hidden_size", 64},
            {"intermediate_size", 96}, {"num_hidden_layers", 2}, {"num_attention_heads", 8},
            {"vocab_size", 100}, {"torch_dtype", "float32"}};
  test::write_bytes(model.file("config.json"), c.dump());
  hub::HubClient alice(test::hub_config(hub.url(), "hf_alice", tmp.path() + "/push-home"));
  alice.push(model.path(), "alice/llama-tiny", hub::PushOptions{});
  alice.push(st_dir("gpt2_lm_s0"), "alice/gpt2", hub::PushOptions{});
  const std::vector<std::string> env = {"HF_ENDPOINT=" + hub.url(), "HF_HOME=" + tmp.path() + "/home",
                                        "HF_TOKEN=hf_alice"};
  // Llama (torch-free front): 100*64 embed + 2*(4*64*64 + 3*64*96 + 2*64) + 64 + 100*64 lm_head
  // = 6400 + 2*(16384 + 18432 + 128) + 64 + 6400 = 82752 floats * 4 B, + 3 inv_freq of 4 floats (16 B each).
  auto r = test::run_process({front_cli(), "plan", "alice/llama-tiny", "--device-map", "sequential",
                              "--max-memory", "cpu=1GB", "--json"}, 60, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["total_size"].get<double>(), 82752.0 * 4 + 3 * 16);
  // GPT-2 at a revision (lathe-cli-full after the front hands over): the checkpoint's bytes + buffers.
  r = test::run_process({front_cli(), "plan", "alice/gpt2@main", "--device-map", "sequential", "--max-memory",
                         "cpu=1GB", "--json"}, 60, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["total_size"].get<double>(), sum_prefix(ckpt_bytes("gpt2_lm_s0"), "") + 2 * 2052);
  EXPECT_EQ(test::run_process({front_cli(), "plan", "alice/missing", "--device-map", "auto"}, 60, env).exit_code, 1);
}
