// lathe-cli run / inspect on the reference fixtures, end to end.
#include "core/file_util.h"
#include "io/safetensors_io.h"
#include "session/session.h"
#include "manifest.h"
#include "test_support.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/abs.h>
#include <ATen/ops/logical_not.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

using namespace lathe;
using nlohmann::json;

namespace {
const json& case_of(const std::string& id) {
  for (const auto& c : test::manifest()["cases"])
    if (c["id"] == id) return c;
  throw std::runtime_error(id);
}
}  // namespace

TEST(CliRun, OutputsMatchTransformersForEveryForwardCase) {
  int compared = 0;
  for (const std::string id : {"bert_mlm_s0", "bert_base_s0", "gpt2_lm_s0"}) {
    const json& c = case_of(id);
    StateDict expected = load_safetensors(test::fixture(c["expected"]["forward"]["file"]));
    for (const auto& ck : c["checkpoints"])
      for (const std::string set : {"right_pad", "left_pad"}) {
        test::TempDir d;
        auto r = test::run_cli({"run", test::fixture(ck["dir"]), "--inputs", test::fixture(c["inputs"]["file"]),
                                "--inputs-prefix", set + ".", "--out", d.file("out.safetensors"), "--hidden-states", "--json"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        json j = json::parse(r.out);
        EXPECT_EQ(j["loading_info"]["missing_keys"], c["load"][ck["format"].get<std::string>()]["loading_info"]["missing_keys"]);
        json u = json::parse(read_text_file(test::fixture(c["expected"]["utils_json"])));
        EXPECT_EQ(j["estimate_tokens"], u["estimate_tokens"][set]);
        EXPECT_EQ(j["floating_point_ops"], u["floating_point_ops"][set]["exclude_embeddings=True(default)"]);
        StateDict out = load_safetensors(d.file("out.safetensors"));
        const at::Tensor* rows = expected.find(set + ".fully_masked_query_rows");
        for (const auto& [name, t] : out.items()) {
          const at::Tensor* ref = expected.find(set + "." + name);
          if (!ref) continue;
          at::Tensor diff = (t - *ref).abs() > (1e-5 + 1e-4 * ref->abs());
          if (rows && t.dim() == 3) diff = diff & at::logical_not(*rows).unsqueeze(-1);
          EXPECT_EQ(diff.sum().item<std::int64_t>(), 0) << id << " " << set << " " << name;
          ++compared;
        }
      }
  }
  EXPECT_GE(compared, 40);
}

TEST(CliInspect, ModelFactsFromHeadersMatchTransformers) {
  for (const std::string id : {"bert_mlm_s0", "bert_base_s0", "gpt2_lm_s0"}) {
    const json& c = case_of(id);
    json u = json::parse(read_text_file(test::fixture(c["expected"]["utils_json"])));
    for (const auto& ck : c["checkpoints"]) {
      auto r = test::run_cli({"inspect", test::fixture(ck["dir"]), "--json"});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      json j = json::parse(r.out);
      EXPECT_EQ(j["model_class"], c["model_class"]);
      EXPECT_EQ(j["num_parameters"]["all"], u["num_parameters"]["only_trainable=False,exclude_embeddings=False"]);
      EXPECT_EQ(j["num_parameters"]["exclude_embeddings"], u["num_parameters"]["only_trainable=False,exclude_embeddings=True"]);
      EXPECT_EQ(j["memory_footprint"]["with_buffers"], u["get_memory_footprint"]["return_buffers=True"]);
      EXPECT_EQ(j["memory_footprint"]["without_buffers"], u["get_memory_footprint"]["return_buffers=False"]);
    }
  }
}

TEST(CliRun, UnsupportedArchitectureAndJsonInputs) {
  test::TempDir d;
  std::string src = test::fixture("cases/gpt2_lm_s0/model_safetensors");
  std::filesystem::copy(src + "/model.safetensors", d.file("model.safetensors"));
  write_text_file_atomic(d.file("config.json"), R"({"model_type": "t5", "architectures": ["T5Model"]})");
  write_text_file_atomic(d.file("in.json"), R"({"input_ids": [[1, 2, 3]]})");
  auto r = test::run_cli({"run", d.path(), "--inputs", d.file("in.json")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(("\n" + r.err).find("\nerror: "), std::string::npos) << r.err;  // a line starting "error: "
  EXPECT_NE(r.err.find("t5"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("gpt2"), std::string::npos) << "lists the supported types: " << r.err;
  auto i = test::run_cli({"inspect", d.path(), "--json"});
  ASSERT_EQ(i.exit_code, 0) << i.err;
  EXPECT_TRUE(json::parse(i.out)["model_class"].is_null());

  // A JSON inputs file on a supported model; fp16 compute is refused clearly.
  auto ok = test::run_cli({"run", src, "--inputs", d.file("in.json"), "--json"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(json::parse(ok.out)["outputs"]["logits"], (json{1, 3, 517}));
  auto half = test::run_cli({"run", src, "--inputs", d.file("in.json"), "--dtype", "float16"});
  EXPECT_EQ(half.exit_code, 1);
  EXPECT_NE(half.err.find("bfloat16"), std::string::npos);
  write_text_file_atomic(d.file("bad.json"), R"({"input_ids": [[1, 2], [3]]})");
  EXPECT_EQ(test::run_cli({"run", src, "--inputs", d.file("bad.json")}).exit_code, 1);
  write_text_file_atomic(d.file("oov.json"), R"({"input_ids": [[1, 99999]]})");
  EXPECT_EQ(test::run_cli({"run", src, "--inputs", d.file("oov.json")}).exit_code, 1);
}

TEST(CliGenerate, MatchesTheEngine) {
  const std::string model = test::fixture("cases/gpt2_lm_s0/model_safetensors");
  auto r = test::run_cli({"generate", model, "--prompt", "5 17 3", "--prompt", "42", "--max-new-tokens", "6", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  Session s;
  s.load(model);
  GenerateRequest req;
  req.prompts = {{5, 17, 3}, {42}};
  req.max_new_tokens = 6;
  auto ours = s.generate(req);
  EXPECT_EQ(j["sequences"].get<std::vector<std::vector<std::int64_t>>>(), ours);
  EXPECT_EQ(ours[0].size(), 9u);
  EXPECT_EQ(test::run_cli({"generate", model, "--prompt", "5 x"}).exit_code, 2);
}

// convert --dtype records the new dtype in config.json as save_pretrained does
// (save --dtype is the reference: the same model saved through save_pretrained),
// so torch_dtype="auto" loads the converted weights at their new precision.
TEST(CliConvert, DtypeIsRecordedInConfigAsSaveDoes) {
  const std::string src = test::fixture("cases/gpt2_lm_s0/model_safetensors");
  test::TempDir d;
  auto conv = test::run_cli({"convert", src, d.file("conv"), "--dtype", "bfloat16"});
  ASSERT_EQ(conv.exit_code, 0) << conv.err;
  auto save = test::run_cli({"save", src, "--out", d.file("saved"), "--dtype", "bfloat16"});
  ASSERT_EQ(save.exit_code, 0) << save.err;
  json c = json::parse(read_text_file(d.file("conv/config.json")));
  json s = json::parse(read_text_file(d.file("saved/config.json")));
  EXPECT_EQ(c["torch_dtype"], "bfloat16");
  EXPECT_EQ(c["torch_dtype"], s["torch_dtype"]);
  auto i = test::run_cli({"inspect", d.file("conv"), "--json"});
  ASSERT_EQ(i.exit_code, 0) << i.err;
  for (const auto& t : json::parse(i.out)["tensors"]) EXPECT_EQ(t["dtype"], "BF16") << t["name"];
  Session session;
  LoadOptions lo;
  lo.torch_dtype = "auto";
  session.load(d.file("conv"), lo);
  EXPECT_EQ(session.summary().dtype, "bfloat16");
  // Without --dtype the config bytes are carried over unchanged.
  auto plain = test::run_cli({"convert", src, d.file("plain")});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(read_text_file(d.file("plain/config.json")), read_text_file(src + "/config.json"));
}

// A source with an unusable config.json fails before the target is touched:
// an existing target keeps its files byte for byte, a new one is not created.
TEST(CliConvert, BadSourceConfigLeavesTheTargetAlone) {
  const std::string src = test::fixture("cases/gpt2_lm_s0/model_safetensors");
  test::TempDir d;
  std::filesystem::create_directories(d.file("bad"));
  std::filesystem::copy_file(src + "/model.safetensors", d.file("bad/model.safetensors"));
  write_text_file_atomic(d.file("bad/config.json"), R"({"model_type": "gpt2", "n_head": 0})");
  ASSERT_EQ(test::run_cli({"convert", src, d.file("target")}).exit_code, 0);
  const std::string weights = test::sha256_of(d.file("target/model.safetensors"));
  const std::string config = read_text_file(d.file("target/config.json"));
  auto names = [&] {
    std::set<std::string> n;
    for (const auto& e : std::filesystem::directory_iterator(d.file("target"))) n.insert(e.path().filename().string());
    return n;
  };
  const std::set<std::string> before = names();
  auto r = test::run_cli({"convert", d.file("bad"), d.file("target"), "--dtype", "bfloat16"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(test::sha256_of(d.file("target/model.safetensors")), weights);
  EXPECT_EQ(read_text_file(d.file("target/config.json")), config);
  EXPECT_EQ(names(), before) << "no staging leftovers beside the old files";
  EXPECT_EQ(test::run_cli({"convert", d.file("bad"), d.file("fresh")}).exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(d.file("fresh")));
}
