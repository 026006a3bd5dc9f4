// Loading with a device map and forward with disk offload (accelerate's
// dispatch_model / AlignDevicesHook): outputs must be bit-identical to the
// in-memory model, and within the manifest tolerance of transformers' outputs.
#include "core/file_util.h"
#include "io/safetensors_io.h"
#include "manifest.h"
#include "models/from_pretrained.h"
#include "models/save_pretrained.h"
#include "session/session.h"
#include "test_support.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/equal.h>
#include <ATen/ops/logical_not.h>

#include <gtest/gtest.h>

#include <chrono>
#include <map>

using namespace lathe;
using namespace lathe::models;
using nlohmann::json;

namespace {

const json& case_of(const std::string& id) { return test::manifest_case(id); }

std::string model_dir(const std::string& id, const std::string& fmt) {
  return test::fixture("cases/" + id + "/model_" + fmt);
}

ForwardInputs inputs_of(const StateDict& in, const std::string& set) {
  ForwardInputs fi;
  fi.input_ids = *in.find(set + ".input_ids");
  fi.attention_mask = *in.find(set + ".attention_mask");
  if (const at::Tensor* tt = in.find(set + ".token_type_ids")) fi.token_type_ids = *tt;
  fi.output_hidden_states = true;
  return fi;
}

LoadedModel load(const std::string& id, const std::string& fmt, const std::string& map, const std::string& folder = "",
                 const std::string& dtype = "") {
  FromPretrainedOptions o;
  o.model_class = case_of(id)["model_class"];
  o.torch_dtype = dtype;
  o.dispatch.device_map = map;
  o.dispatch.offload_folder = folder;
  return from_pretrained(model_dir(id, fmt), o);
}

bool bits_equal(const at::Tensor& a, const at::Tensor& b) {
  if (!a.defined() || !b.defined()) return a.defined() == b.defined();
  return a.sizes() == b.sizes() && a.scalar_type() == b.scalar_type() && at::equal(a, b);
}

// Every output of `off` equals `mem` bit for bit, and the logits/hidden states
// are within the manifest's float32 tolerance (atol 1e-5, rtol 1e-4) of the
// reference on rows that are not fully masked.
void expect_same_forward(PreTrainedModel& mem, PreTrainedModel& off, const std::string& id, const std::string& tag) {
  const json& c = case_of(id);
  StateDict inputs = load_safetensors(test::fixture(c["inputs"]["file"]));
  StateDict expected = load_safetensors(test::fixture(c["expected"]["forward"]["file"]));
  for (const std::string set : {"right_pad", "left_pad"}) {
    ForwardOutputs a = mem.forward(inputs_of(inputs, set));
    ForwardOutputs b = off.forward(inputs_of(inputs, set));
    EXPECT_TRUE(bits_equal(a.logits, b.logits)) << tag << " " << set << " logits";
    EXPECT_TRUE(bits_equal(a.last_hidden_state, b.last_hidden_state)) << tag << " " << set;
    EXPECT_TRUE(bits_equal(a.pooler_output, b.pooler_output)) << tag << " " << set << " pooler_output";
    ASSERT_EQ(a.hidden_states.size(), b.hidden_states.size()) << tag;
    for (std::size_t i = 0; i < a.hidden_states.size(); ++i)
      EXPECT_TRUE(bits_equal(a.hidden_states[i], b.hidden_states[i])) << tag << " " << set << " hidden_states." << i;
    at::Tensor rows = *expected.find(set + ".fully_masked_query_rows");
    at::Tensor keep = at::logical_not(rows).unsqueeze(-1);
    auto check = [&](const at::Tensor& ours, const std::string& name) {
      const at::Tensor* ref = expected.find(set + "." + name);
      ASSERT_NE(ref, nullptr) << name;
      at::Tensor bad = ((ours - *ref).abs() > (1e-5 + 1e-4 * ref->abs())) & keep;
      EXPECT_EQ(bad.sum().item<std::int64_t>(), 0) << tag << " " << set << " " << name;
    };
    if (b.logits.defined()) check(b.logits, "logits");
    for (std::size_t i = 0; i < b.hidden_states.size(); ++i) check(b.hidden_states[i], "hidden_states." + std::to_string(i));
  }
}

// After a forward nothing offloaded is held: every offloaded tensor is meta again.
void expect_all_released(PreTrainedModel& m) {
  const OffloadState* st = offload_state_of(m);
  ASSERT_NE(st, nullptr);
  EXPECT_EQ(st->stats().resident, 0u);
  EXPECT_GT(st->stats().loads, 0);
  for (const auto& [n, p] : m.named_parameters())
    if (st->tracked(&p->value)) EXPECT_TRUE(p->value.is_meta()) << n;
}

std::string gpt2_blocks_on_disk(int first, int last) {
  json map = {{"transformer.wte", "cpu"}, {"transformer.wpe", "cpu"}};
  for (int i = 0; i < 2; ++i) map["transformer.h." + std::to_string(i)] = (i >= first && i <= last) ? "disk" : "cpu";
  map["transformer.ln_f"] = "cpu";
  map["lm_head"] = "cpu";
  return map.dump();
}

}  // namespace

TEST(Offload, Gpt2BlocksOnDiskSafetensorsBitExact) {
  LoadedModel mem = load("gpt2_lm_s0", "safetensors", "");
  for (auto [first, last] : {std::pair{0, 0}, {1, 1}, {0, 1}}) {
    LoadedModel off = load("gpt2_lm_s0", "safetensors", gpt2_blocks_on_disk(first, last));
    // Per GPT2Block: ln_1 (w, b), c_attn (w, b), c_proj (w, b), ln_2 (w, b), c_fc (w, b), c_proj (w, b) = 12 tensors.
    EXPECT_EQ(off.dispatch.offloaded_tensors, 12 * (last - first + 1));
    EXPECT_TRUE(off.dispatch.warnings.empty());
    expect_same_forward(*mem.model, *off.model, "gpt2_lm_s0", "blocks " + std::to_string(first) + ".." + std::to_string(last));
    expect_all_released(*off.model);
    // Hooks sit on the modules that own tensors (AlignDevicesHook per leaf):
    // the largest held at once is one Conv1D — c_fc: 32×128 + 128 floats
    // (n_inner = 4·n_embd) = 16896 bytes.
    EXPECT_EQ(offload_state_of(*off.model)->stats().peak_resident, (32u * 128u + 128u) * 4u);
  }
}

TEST(Offload, EverythingOnDiskTiedWeights) {
  for (const std::string id : {"gpt2_lm_s0", "bert_mlm_s0", "bert_base_s0"}) {
    LoadedModel mem = load(id, "safetensors", "");
    LoadedModel off = load(id, "safetensors", R"({"": "disk"})");
    EXPECT_EQ(off.dispatch.resident_bytes > 0, true) << id;  // buffers (masks, position ids) stay
    EXPECT_GT(off.dispatch.offloaded_bytes, 0u) << id;
    expect_same_forward(*mem.model, *off.model, id, id + " all on disk");
    expect_all_released(*off.model);
    // Parameters on disk = all parameters (tied counted once): get_memory_footprint without buffers.
    EXPECT_EQ(static_cast<std::int64_t>(off.dispatch.offloaded_bytes), mem.model->get_memory_footprint(false)) << id;
  }
}

TEST(Offload, SplitTieGroupStaysInMemoryWithWarning) {
  LoadedModel mem = load("gpt2_lm_s0", "safetensors", "");
  LoadedModel off = load("gpt2_lm_s0", "safetensors", R"({"transformer": "cpu", "transformer.wte": "disk", "lm_head": "cpu"})");
  ASSERT_EQ(off.dispatch.warnings.size(), 1u);
  EXPECT_EQ(off.dispatch.offloaded_tensors, 0);
  expect_same_forward(*mem.model, *off.model, "gpt2_lm_s0", "split tie");
}

TEST(Offload, BinNeedsFolderAndWritesAccelerateFormat) {
  EXPECT_EQ(test::code_of([] { load("gpt2_lm_s0", "bin", gpt2_blocks_on_disk(0, 1)); }), ErrorCode::InvalidArgument);
  for (const std::string dtype : {"", "bfloat16"}) {
    test::TempDir dir;
    const std::string folder = dir.file("offload");
    LoadedModel mem = load("gpt2_lm_s0", "bin", "", "", dtype);
    LoadedModel off = load("gpt2_lm_s0", "bin", gpt2_blocks_on_disk(0, 1), folder, dtype);
    EXPECT_EQ(off.dispatch.offload_folder, folder);
    json index = json::parse(read_text_file(folder + "/index.json"));
    ASSERT_EQ(index.size(), 24u);  // 2 blocks × 12 tensors
    const json& e = index["transformer.h.0.mlp.c_fc.weight"];
    EXPECT_EQ(e["dtype"], dtype.empty() ? "float32" : "bfloat16");
    EXPECT_EQ(e["shape"], json::array({32, 128}));  // Conv1D [in, out]
    // Raw C-order bytes: 32 × 128 elements × 4 (float32) or 2 (bf16, stored as int16).
    EXPECT_EQ(ReadFile(folder + "/transformer.h.0.mlp.c_fc.weight.dat").size(), 32u * 128u * (dtype.empty() ? 4u : 2u));
    OffloadedWeights w = read_offload_folder(folder);
    EXPECT_EQ(w.entries().size(), 24u);
    if (dtype.empty()) {
      expect_same_forward(*mem.model, *off.model, "gpt2_lm_s0", "bin folder");
    } else {  // bf16: no reference tolerance applies; bit-identical to the in-memory bf16 model
      StateDict inputs = load_safetensors(test::fixture(case_of("gpt2_lm_s0")["inputs"]["file"]));
      EXPECT_TRUE(bits_equal(mem.model->forward(inputs_of(inputs, "right_pad")).logits,
                             off.model->forward(inputs_of(inputs, "right_pad")).logits));
    }
    expect_all_released(*off.model);
  }
}

TEST(Offload, BadMapsAreClearErrors) {
  EXPECT_EQ(test::code_of([] { load("gpt2_lm_s0", "safetensors", R"({"": 0})"); }), ErrorCode::Unsupported);
  EXPECT_EQ(test::code_of([] { load("gpt2_lm_s0", "safetensors", R"({"": "mps"})"); }), ErrorCode::Unsupported);
  EXPECT_EQ(test::code_of([] { load("gpt2_lm_s0", "safetensors", R"({"": "tpu"})"); }), ErrorCode::InvalidArgument);
  EXPECT_EQ(test::code_of([] { load("gpt2_lm_s0", "safetensors", R"({"nope": "cpu", "": "cpu"})"); }), ErrorCode::InvalidArgument);
  EXPECT_EQ(test::code_of([] { load("gpt2_lm_s0", "safetensors", R"({"transformer": "cpu"})"); }), ErrorCode::InvalidArgument);
  EXPECT_EQ(test::code_of([] { load("gpt2_lm_s0", "safetensors", R"([1, 2])"); }), ErrorCode::InvalidArgument);
}

// device_map="sequential" with a CPU budget: the planner (device-maps.md §3.5)
// fills the CPU, keeping the largest layer in reserve, then spills to disk.
TEST(Offload, PlannedMapsSpillToDisk) {
  LoadedModel mem = load("gpt2_lm_s0", "safetensors", "");
  FromPretrainedOptions o;
  o.model_class = "GPT2LMHeadModel";
  o.dispatch.device_map = "sequential";
  // Sizes (float32): wte 517·32·4 = 66176, wpe 128·32·4 = 16384; a GPT2Block's
  // params are 2·(32+32)·4 (ln_1, ln_2) + (32·96+96)·4 + (32·32+32)·4
  // + (32·128+128)·4 + (128·32+32)·4 = 512 + 12672 + 4224 + 16896 + 16512 = 50816,
  // plus its buffers: the 128×128 bool mask (1/8 byte each) = 2048 and the fp32
  // scalar masked_bias = 4, so 52868. The reserve is the largest layer, a block.
  // cpu = 66176 + 16384 + 52868 (reserve) + 52868 (block 0) = 188296 holds the
  // embeddings and block 0 only; block 1 (and everything after) goes to disk.
  o.dispatch.max_memory = "cpu=188296";
  LoadedModel off = from_pretrained(model_dir("gpt2_lm_s0", "safetensors"), o);
  std::map<std::string, std::string> got(off.dispatch.device_map.begin(), off.dispatch.device_map.end());
  EXPECT_EQ(device_of(off.dispatch.device_map, "transformer.h.0.attn.c_attn.weight"), "cpu");
  EXPECT_EQ(device_of(off.dispatch.device_map, "transformer.h.1.attn.c_attn.weight"), "disk");
  EXPECT_EQ(device_of(off.dispatch.device_map, "transformer.wte.weight"), "cpu");
  expect_same_forward(*mem.model, *off.model, "gpt2_lm_s0", "sequential");
  o.dispatch.device_map = "fastest";
  EXPECT_EQ(test::code_of([&] { from_pretrained(model_dir("gpt2_lm_s0", "safetensors"), o); }), ErrorCode::InvalidArgument);
  o.dispatch.device_map = "auto";
  o.dispatch.max_memory = "cpu=1GiB,disk=1GiB";  // accelerate crashes on a disk key with auto
  EXPECT_EQ(test::code_of([&] { from_pretrained(model_dir("gpt2_lm_s0", "safetensors"), o); }), ErrorCode::InvalidArgument);
}

TEST(Offload, SessionRunAndMemoryHooks) {
  const std::string inputs = test::fixture(case_of("bert_mlm_s0")["inputs"]["file"]);
  test::TempDir dir;
  ForwardRequest req{inputs, "right_pad.", true, ""};
  Session mem, off;
  mem.load(model_dir("bert_mlm_s0", "safetensors"));
  LoadOptions o;
  o.device_map = R"({"bert.embeddings": "cpu", "bert.encoder": "disk", "cls": "disk"})";
  LoadReport r = off.load(model_dir("bert_mlm_s0", "safetensors"), o);
  ASSERT_EQ(r.device_map.size(), 3u);
  EXPECT_EQ(r.device_map[1], (std::pair<std::string, std::string>{"bert.encoder", "disk"}));
  req.out_path = dir.file("mem.safetensors");
  mem.run(req);
  req.out_path = dir.file("off.safetensors");
  off.run(req);
  StateDict a = load_safetensors(dir.file("mem.safetensors")), b = load_safetensors(dir.file("off.safetensors"));
  ASSERT_EQ(a.items().size(), b.items().size());
  for (const auto& [n, t] : a.items()) EXPECT_TRUE(bits_equal(t, *b.find(n))) << n;
  // Per-module memory hooks still see every module, with the offloaded ones' weights.
  req.out_path.clear();
  MemoryReport m1 = mem.memory(req), m2 = off.memory(req);
  ASSERT_EQ(m1.modules.size(), m2.modules.size());
  for (std::size_t i = 0; i < m1.modules.size(); ++i) {
    EXPECT_EQ(m1.modules[i].name, m2.modules[i].name);
    EXPECT_EQ(m1.modules[i].calls, m2.modules[i].calls) << m1.modules[i].name;
    EXPECT_EQ(m1.modules[i].param_bytes, m2.modules[i].param_bytes) << m1.modules[i].name;
  }
  EXPECT_EQ(test::code_of([&] { off.save(dir.file("saved")); }), ErrorCode::Unsupported);
}

namespace {

std::string cli_inputs() { return test::fixture(case_of("gpt2_lm_s0")["inputs"]["file"]); }

void expect_same_files(const std::string& a, const std::string& b) {
  StateDict x = load_safetensors(a), y = load_safetensors(b);
  ASSERT_EQ(x.items().size(), y.items().size());
  for (const auto& [n, t] : x.items()) {
    ASSERT_NE(y.find(n), nullptr) << n;
    EXPECT_TRUE(bits_equal(t, *y.find(n))) << n;
  }
}

}  // namespace

TEST(OffloadCli, RunAndMemoryWithDeviceMap) {
  test::TempDir dir;
  const std::string model = model_dir("gpt2_lm_s0", "safetensors");
  auto base = [&](const std::string& out) {
    return std::vector<std::string>{"run", model, "--inputs", cli_inputs(), "--inputs-prefix", "right_pad.", "--hidden-states", "--out", out};
  };
  test::RunResult mem = test::run_cli(base(dir.file("mem.safetensors")));
  ASSERT_EQ(mem.exit_code, 0) << mem.err;
  auto a = base(dir.file("off.safetensors"));
  for (const char* x : {"--device-map", R"({"transformer": "disk", "lm_head": "disk"})", "--json"}) a.push_back(x);
  test::RunResult off = test::run_cli(a);
  ASSERT_EQ(off.exit_code, 0) << off.err;
  json j = json::parse(off.out);
  EXPECT_EQ(j["device_map"], json({{"transformer", "disk"}, {"lm_head", "disk"}}));
  EXPECT_GT(j["offload"]["offloaded_tensors"].get<int>(), 0);
  expect_same_files(dir.file("mem.safetensors"), dir.file("off.safetensors"));

  // memory: the per-module hooks still report every module that ran.
  test::RunResult m = test::run_cli({"memory", model, "--inputs", cli_inputs(), "--inputs-prefix", "left_pad.",
                                     "--device-map", "sequential", "--max-memory", "cpu=188296", "--json"});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  json mj = json::parse(m.out);
  EXPECT_EQ(mj["device_map"]["transformer.h.1"], "disk");
  bool block1_ran = false;
  for (const auto& mod : mj["modules"]) block1_ran |= mod["name"] == "transformer.h.1" && mod["calls"] == 1;
  EXPECT_TRUE(block1_ran);

  // Usage and clean failures.
  EXPECT_EQ(test::run_cli({"run", model, "--inputs", cli_inputs(), "--max-memory", "cpu=1GiB"}).exit_code, 2);
  test::RunResult gpu = test::run_cli({"run", model, "--inputs", cli_inputs(), "--inputs-prefix", "right_pad.", "--device-map", R"({"": 0})"});
  EXPECT_EQ(gpu.exit_code, 1);
  EXPECT_NE(gpu.err.find("error:"), std::string::npos);
  test::RunResult bin = test::run_cli({"run", model_dir("gpt2_lm_s0", "bin"), "--inputs", cli_inputs(), "--inputs-prefix", "right_pad.",
                                       "--device-map", R"({"": "disk"})"});
  EXPECT_EQ(bin.exit_code, 1);
  EXPECT_NE(bin.err.find("offload_folder"), std::string::npos);
}

// SIGKILL while `run` writes an offload folder for a .bin checkpoint: whatever
// moment the kill lands, the folder is either without index.json (so nothing
// trusts it) or complete, and a later load rewrites it and runs correctly.
TEST(OffloadCli, KilledWhileWritingFolderIsNeverTrusted) {
  test::TempDir dir;
  const std::string model = dir.file("model");
  {
    // 8 layers of n_embd 256: 8 × 12 + 4 tensors, ~26 MB of .dat files, each fsynced.
    ModelConfig cfg = ModelConfig::from_json_text(
        R"({"model_type":"gpt2","architectures":["GPT2LMHeadModel"],"vocab_size":1000,"n_positions":64,)"
        R"("n_embd":256,"n_layer":8,"n_head":4,"torch_dtype":"float32"})", "test");
    auto m = init_random(cfg, "GPT2LMHeadModel", c10::kFloat, 7);
    SavePretrainedOptions so;
    so.safe_serialization = false;
    save_pretrained(*m, model, so);
  }
  const std::string folder = dir.file("offload");
  auto args = [&](const std::string& out) {
    return std::vector<std::string>{"run", model, "--inputs", cli_inputs(), "--inputs-prefix", "right_pad.", "--out", out,
                                    "--device-map", R"({"": "disk"})", "--offload-folder", folder};
  };
  const std::size_t all = 8 * 12 + 4;  // blocks + wte, wpe, ln_f.weight, ln_f.bias (lm_head tied to wte)
  int interrupted = 0, complete = 0, partial = 0;
  // One uninterrupted run gives the time scale; the kills land across it.
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(test::run_cli(args(dir.file("x.safetensors"))).exit_code, 0);
  const auto full_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  for (int k = 3; k <= 12; ++k) {
    const int ms = static_cast<int>(full_ms * k / 12);
    test::RunResult r = test::run_cli_killed_after(args(dir.file("x.safetensors")), ms);
    if (r.signal == 9) ++interrupted;
    if (!path_exists(folder + "/index.json")) {
      if (path_exists(folder + "/transformer.wte.weight.dat")) ++partial;  // killed mid-write
      EXPECT_EQ(test::code_of([&] { read_offload_folder(folder); }), ErrorCode::NotFound);
      continue;
    }
    OffloadedWeights w = read_offload_folder(folder);  // complete: every .dat has its full size
    EXPECT_EQ(w.entries().size(), all) << ms;
    ++complete;
  }
  std::printf("full run %lld ms; kills that landed before exit: %d of 10; folders left half-written (no index): %d; complete: %d\n",
              static_cast<long long>(full_ms), interrupted, partial, complete);
  test::RunResult ok = test::run_cli(args(dir.file("off.safetensors")));
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(read_offload_folder(folder).entries().size(), all);
  std::vector<std::string> plain{"run", model, "--inputs", cli_inputs(), "--inputs-prefix", "right_pad.", "--out", dir.file("mem.safetensors")};
  ASSERT_EQ(test::run_cli(plain).exit_code, 0);
  expect_same_files(dir.file("mem.safetensors"), dir.file("off.safetensors"));
}

// Sharded safetensors (each disk tensor indexed in its own shard) and a load
// dtype different from the file's (bf16 from fp32: cast on read with the same
// .to() the in-memory load uses).
TEST(Offload, ShardedAndCastSafetensors) {
  test::TempDir dir;
  {
    LoadedModel src = load("gpt2_lm_s0", "safetensors", "");
    SavePretrainedOptions so;
    so.max_shard_size = 40000;  // ~100 kB of weights → several shards
    save_pretrained(*src.model, dir.file("sharded"), so);
  }
  ASSERT_TRUE(path_exists(dir.file("sharded/model.safetensors.index.json")));
  StateDict inputs = load_safetensors(test::fixture(case_of("gpt2_lm_s0")["inputs"]["file"]));
  for (const std::string dtype : {"", "bfloat16"}) {
    FromPretrainedOptions o;
    o.torch_dtype = dtype;
    LoadedModel mem = from_pretrained(dir.file("sharded"), o);
    o.dispatch.device_map = R"({"": "disk"})";
    LoadedModel off = from_pretrained(dir.file("sharded"), o);
    EXPECT_EQ(static_cast<std::int64_t>(off.dispatch.offloaded_bytes), mem.model->get_memory_footprint(false)) << dtype;
    for (const std::string set : {"right_pad", "left_pad"})
      EXPECT_TRUE(bits_equal(mem.model->forward(inputs_of(inputs, set)).logits, off.model->forward(inputs_of(inputs, set)).logits))
          << dtype << " " << set;
    expect_all_released(*off.model);
  }
}
