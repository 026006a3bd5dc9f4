// Text through the model commands (issue #14): `run`, `memory` and `generate`
// take --text / --texts-file, `tokenize` takes --pair / --texts-file, `resize
// --to-tokenizer / --add-token` size the vocabulary to the tokenizer, and every
// save carries the tokenizer files. The engine's Tokenizer is the reference
// for ids (test_tokenizer holds it identical to the Rust library); the model
// outputs of text and of the same ids written to an inputs file must be equal
// byte for byte, as they are one forward pass of the same ids by construction.
#include "core/file_util.h"
#include "hub/hub_client.h"
#include "local_hub.h"
#include "test_support.h"
#include "text/auto_tokenizer.h"
#include "text/tokenizer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

using nlohmann::json;
using lathe::test::run_cli;
namespace fs = std::filesystem;

namespace {

std::string tokenizers_dir() { return std::string(LATHE_FIXTURES_DIR) + "/../tokenizers"; }
std::string case_dir(const std::string& name) { return std::string(LATHE_FIXTURES_DIR) + "/cases/" + name + "/model_safetensors"; }

/// A reference model folder with a real tokenizer beside it, its vocabulary
/// resized to the tokenizer with `resize --to-tokenizer` (what the test checks first).
std::string model_with_tokenizer(lathe::test::TempDir& tmp, const std::string& model_case, const std::string& tokenizer) {
  const std::string src = tmp.file(model_case + "-src"), out = tmp.file(model_case);
  fs::copy(case_dir(model_case), src, fs::copy_options::recursive);
  fs::copy_file(tokenizers_dir() + "/" + tokenizer + "/tokenizer.json", src + "/tokenizer.json");
  auto r = run_cli({"resize", src, "--to-tokenizer", "--out", out, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const lathe::Tokenizer tok = lathe::load_tokenizer(src);
  EXPECT_EQ(json::parse(r.out)["vocab_size"].get<std::size_t>(), tok.size());
  // The save carried the tokenizer, byte for byte.
  EXPECT_EQ(lathe::read_text_file(out + "/tokenizer.json"), lathe::read_text_file(src + "/tokenizer.json"));
  return out;
}

std::string ids_json(const lathe::TokenEncoding& e, bool type_ids) {
  json j{{"input_ids", {e.ids}}, {"attention_mask", {e.attention_mask}}};
  if (type_ids) j["token_type_ids"] = {e.type_ids};
  return j.dump();
}

}  // namespace

TEST(CliText, RunOfTextEqualsRunOfItsIds) {
  lathe::test::TempDir tmp;
  struct Case {
    const char* model;
    const char* tokenizer;
    bool type_ids;  // BERT's tokenizer returns token_type_ids; GPT-2's does not
  };
  for (const Case& c : {Case{"gpt2_lm_s0", "tiny-random-gpt2", false}, Case{"bert_mlm_s0", "bert-base-uncased", true}}) {
    SCOPED_TRACE(c.model);
    const std::string model = model_with_tokenizer(tmp, c.model, c.tokenizer);
    const lathe::Tokenizer tok = lathe::load_tokenizer(model);
    const std::string text = "Hello world, naïve café 😀 12345";
    lathe::test::write_bytes(tmp.file("ids.json"), ids_json(tok.encode(text), c.type_ids));
    auto a = run_cli({"run", model, "--text", text, "--out", tmp.file("a.safetensors")});
    auto b = run_cli({"run", model, "--inputs", tmp.file("ids.json"), "--out", tmp.file("b.safetensors")});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    ASSERT_EQ(b.exit_code, 0) << b.err;
    EXPECT_EQ(lathe::read_text_file(tmp.file("a.safetensors")), lathe::read_text_file(tmp.file("b.safetensors")));
  }
}

TEST(CliText, BatchOfTextsIsPaddedAsTheTokenizerPads) {
  lathe::test::TempDir tmp;
  const std::string model = model_with_tokenizer(tmp, "bert_mlm_s0", "bert-base-uncased");
  const lathe::Tokenizer tok = lathe::load_tokenizer(model);
  lathe::test::write_bytes(tmp.file("texts.jsonl"), "\"a short one\"\n[\"a question?\", \"and its longer answer here\"]\n");
  // The padded batch the tokenizer gives (BERT pads right with [PAD]), written as an inputs file.
  lathe::TokenEncoding e1 = tok.encode("a short one"), e2 = tok.encode_pair("a question?", "and its longer answer here");
  const std::size_t len = std::max(e1.ids.size(), e2.ids.size());
  json in{{"input_ids", json::array()}, {"attention_mask", json::array()}, {"token_type_ids", json::array()}};
  for (auto* e : {&e1, &e2}) {
    std::vector<std::int64_t> ids(e->ids.begin(), e->ids.end()), mask(e->attention_mask.begin(), e->attention_mask.end()),
        types(e->type_ids.begin(), e->type_ids.end());
    ids.resize(len, *tok.pad_token_id());
    mask.resize(len, 0);
    types.resize(len, 0);
    in["input_ids"].push_back(ids);
    in["attention_mask"].push_back(mask);
    in["token_type_ids"].push_back(types);
  }
  lathe::test::write_bytes(tmp.file("in.json"), in.dump());
  auto a = run_cli({"run", model, "--texts-file", tmp.file("texts.jsonl"), "--out", tmp.file("a.safetensors")});
  auto b = run_cli({"run", model, "--inputs", tmp.file("in.json"), "--out", tmp.file("b.safetensors")});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(lathe::read_text_file(tmp.file("a.safetensors")), lathe::read_text_file(tmp.file("b.safetensors")));
  auto m = run_cli({"memory", model, "--texts-file", tmp.file("texts.jsonl"), "--json"});
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_EQ(json::parse(m.out)["forward_calls"], 1);
  // tokenize --texts-file prints the same encodings, pairs as pairs.
  auto t = run_cli({"tokenize", model, "--texts-file", tmp.file("texts.jsonl"), "--json"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  json tj = json::parse(t.out);
  ASSERT_EQ(tj.size(), 2u);
  EXPECT_EQ(tj[0]["ids"].get<std::vector<std::uint32_t>>(), e1.ids);
  EXPECT_EQ(tj[1]["ids"].get<std::vector<std::uint32_t>>(), e2.ids);
  EXPECT_EQ(tj[1]["type_ids"].get<std::vector<std::uint32_t>>(), e2.type_ids);
  auto p = run_cli({"tokenize", model, "--text", "a question?", "--pair", "and its longer answer here", "--json"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(json::parse(p.out)[0], tj[1]);
}

TEST(CliText, GenerateTextInTextOut) {
  lathe::test::TempDir tmp;
  const std::string model = model_with_tokenizer(tmp, "gpt2_lm_s0", "tiny-random-gpt2");
  const lathe::Tokenizer tok = lathe::load_tokenizer(model);
  const std::string text = "Hello world";
  auto g = run_cli({"generate", model, "--text", text, "--max-new-tokens", "5", "--json"});
  ASSERT_EQ(g.exit_code, 0) << g.err;
  json j = json::parse(g.out);
  const auto seq = j["sequences"][0].get<std::vector<std::uint32_t>>();
  const auto prompt = tok.encode(text).ids;
  ASSERT_EQ(seq.size(), prompt.size() + 5);
  EXPECT_TRUE(std::equal(prompt.begin(), prompt.end(), seq.begin()));
  // The same greedy run from the ids gives the same sequence.
  std::string ids;
  for (auto id : prompt) ids += std::to_string(id) + " ";
  auto g2 = run_cli({"generate", model, "--prompt", ids, "--max-new-tokens", "5", "--json"});
  ASSERT_EQ(g2.exit_code, 0) << g2.err;
  EXPECT_EQ(json::parse(g2.out)["sequences"], j["sequences"]);
  EXPECT_EQ(j["texts"][0], tok.decode(seq, true));
  EXPECT_EQ(j["continuations"][0], tok.decode(std::vector<std::uint32_t>(seq.begin() + prompt.size(), seq.end()), true));
}

TEST(CliText, AddedTokensTravelWithTheResizedModel) {
  lathe::test::TempDir tmp;
  const std::string model = model_with_tokenizer(tmp, "gpt2_lm_s0", "tiny-random-gpt2");
  lathe::Tokenizer expected = lathe::load_tokenizer(model);
  // The engine's add_tokens (test_tokenizer_legacy holds it to the Rust library's) is the reference.
  std::size_t added = expected.add_tokens(std::vector<std::string>{"<tool>", "Hello"});
  added += expected.add_tokens(std::vector<std::string>{"<|im_end|>"}, true);
  auto r = run_cli({"resize", model, "--to-tokenizer", "--add-token", "<tool>", "--add-token", "Hello",
                    "--add-special-token", "<|im_end|>", "--out", tmp.file("grown"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["vocab_size"].get<std::size_t>(), expected.size());
  EXPECT_EQ(j["tokenizer"]["len"].get<std::size_t>(), expected.size());
  EXPECT_EQ(j["tokenizer"]["added"].get<std::size_t>(), added);
  const lathe::Tokenizer grown = lathe::load_tokenizer(tmp.file("grown"));
  EXPECT_EQ(grown.size(), expected.size());
  const std::string text = "Hello <tool> x<|im_end|>";
  EXPECT_EQ(grown.encode(text).ids, expected.encode(text).ids);
  // The grown model runs on the new tokens and saves on with its tokenizer.
  auto run = run_cli({"run", tmp.file("grown"), "--text", text});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto save = run_cli({"save", tmp.file("grown"), "--out", tmp.file("saved")});
  ASSERT_EQ(save.exit_code, 0) << save.err;
  for (const auto& name : lathe::tokenizer_file_names()) {
    if (!lathe::path_exists(tmp.file("grown") + "/" + name)) continue;
    EXPECT_EQ(lathe::read_text_file(tmp.file("saved") + "/" + name), lathe::read_text_file(tmp.file("grown") + "/" + name)) << name;
  }
  auto conv = run_cli({"convert", tmp.file("grown"), tmp.file("converted"), "--bin"});
  ASSERT_EQ(conv.exit_code, 0) << conv.err;
  EXPECT_EQ(lathe::read_text_file(tmp.file("converted") + "/tokenizer.json"), lathe::read_text_file(tmp.file("grown") + "/tokenizer.json"));
}

TEST(CliText, BadTextInputsAreUsageErrors) {
  lathe::test::TempDir tmp;
  const std::string model = case_dir("gpt2_lm_s0");  // no tokenizer beside it
  lathe::test::write_bytes(tmp.file("bad.jsonl"), "\"ok\"\n{\"text\": 1}\n");
  lathe::test::write_bytes(tmp.file("in.json"), R"({"input_ids": [[1, 2]]})");
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    const char* says;
  };
  const std::vector<Case> cases{
      {{"run", model, "--text", "hi"}, 1, "tokenizer"},
      {{"run", model, "--text", "hi", "--inputs", tmp.file("in.json")}, 2, "not both"},
      {{"run", model}, 2, "--text"},
      {{"tokenize", tokenizers_dir() + "/gpt2", "--texts-file", tmp.file("bad.jsonl")}, 2, "line 2"},
      {{"tokenize", tokenizers_dir() + "/gpt2", "--pair", "x"}, 2, "--pair needs --text"},
      {{"generate", model, "--text", "a", "--prompt", "1 2"}, 2, "not both"},
  };
  for (const auto& c : cases) {
    auto r = run_cli(c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args[0] << " " << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST(CliText, TokenizeARepoOnTheHub) {
  // A repo holding only a tokenizer (no config, no weights), served by our hub on 127.0.0.1:
  // `tokenize org/name` fetches the tokenizer files into the HF cache and encodes there.
  lathe::test::TempDir tmp;
  lathe::test::LocalHub hub(tmp.file("server"));
  fs::create_directories(tmp.file("tok"));
  fs::copy_file(tokenizers_dir() + "/bert-base-uncased/tokenizer.json", tmp.file("tok") + "/tokenizer.json");
  lathe::hub::HubClient alice(lathe::test::hub_config(hub.url(), "hf_alice", tmp.file("push-home")));
  alice.push(tmp.file("tok"), "alice/bert-tok", lathe::hub::PushOptions{});
  const lathe::Tokenizer tok = lathe::Tokenizer::from_file(tmp.file("tok") + "/tokenizer.json");
  const std::string text = "Hello, Hub! Tokenize me.";
  auto r = lathe::test::run_process({LATHE_CLI_PATH, "tokenize", "alice/bert-tok", "--text", text, "--json"}, 60,
                                    {"HF_ENDPOINT=" + hub.url(), "HF_TOKEN=hf_alice", "HF_HOME=" + tmp.file("home"),
                                     "HF_HUB_OFFLINE=", "HF_HUB_CACHE="});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)[0]["ids"].get<std::vector<std::uint32_t>>(), tok.encode(text).ids);
}
