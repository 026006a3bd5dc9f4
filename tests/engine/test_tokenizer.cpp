// engine/text: Lathe's tokenizer against the Rust `tokenizers` library (its
// official Node bindings, tests/tokenizers-oracle/) on a corpus of hard cases,
// plus the loader's error paths.
#include "core/error.h"
#include "core/file_util.h"
#include "test_support.h"
#include "text/tokenizer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using lathe::ErrorCode;
using lathe::Tokenizer;
using lathe::test::TempDir;

namespace {

std::string data_dir() { return std::string(LATHE_FIXTURES_DIR) + "/../tokenizers"; }  // tests/data/tokenizers

std::vector<std::string> read_corpus() {
  std::ifstream in(data_dir() + "/corpus.jsonl");
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(nlohmann::json::parse(line).get<std::string>());
  return out;
}

ErrorCode load_error(const std::string& json_text) {
  try {
    Tokenizer::from_json(json_text, "test");
  } catch (const lathe::Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no error for " << json_text.substr(0, 200);
  return ErrorCode::Internal;
}

const char* kTinyBpe = R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [MERGES],
  "dropout": DROPOUT}, "pre_tokenizer": PRE, "decoder": null, "added_tokens": []})";

std::string tiny(const std::string& merges, const std::string& dropout = "null", const std::string& pre = "null") {
  std::string s = kTinyBpe;
  s.replace(s.find("MERGES"), 6, merges);
  s.replace(s.find("DROPOUT"), 7, dropout);
  s.replace(s.find("PRE"), 3, pre);
  return s;
}

}  // namespace

TEST(TokenizerOracle, IdenticalToRustTokenizers) {
  if (std::system("command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "node/npm not installed";
  std::string src = std::string(LATHE_FIXTURES_DIR) + "/../../tokenizers-oracle";  // tests/tokenizers-oracle
  ASSERT_TRUE(lathe::path_exists(src + "/oracle.mjs")) << "tests/tokenizers-oracle is part of the repository";
  TempDir tmp;
  std::filesystem::copy(src, tmp.path() + "/oracle", std::filesystem::copy_options::recursive);
  std::filesystem::remove_all(tmp.path() + "/oracle/node_modules");
  auto ci = lathe::test::run_process({"/usr/bin/env", "npm", "ci", "--no-audit", "--no-fund", "--prefix", tmp.path() + "/oracle"}, 150);
  if (ci.exit_code != 0) GTEST_SKIP() << "npm ci failed (offline?): " << ci.err.substr(0, 300);

  std::vector<std::string> corpus = read_corpus();
  ASSERT_GE(corpus.size(), 40u);
  std::size_t compared = 0;
  for (const char* name : {"gpt2", "tiny-random-gpt2", "tiny-bloom"}) {
    SCOPED_TRACE(name);
    std::string file = data_dir() + "/" + name + "/tokenizer.json";
    auto r = lathe::test::run_process({"/usr/bin/env", "node", tmp.path() + "/oracle/oracle.mjs", file,
                                       data_dir() + "/corpus.jsonl"}, 120);
    ASSERT_EQ(r.exit_code, 0) << r.err.substr(0, 2000);
    std::istringstream lines(r.out);
    Tokenizer tok = Tokenizer::from_file(file);
    std::size_t i = 0;
    for (std::string line; std::getline(lines, line); ++i) {
      ASSERT_LT(i, corpus.size());
      auto want = nlohmann::json::parse(line);
      const std::string& text = corpus[i];
      SCOPED_TRACE("corpus line " + std::to_string(i + 1) + ": " + text.substr(0, 80));
      lathe::TokenEncoding got = tok.encode(text);
      EXPECT_EQ(got.ids, want["ids"].get<std::vector<std::uint32_t>>());
      EXPECT_EQ(got.tokens, want["tokens"].get<std::vector<std::string>>());
      std::vector<std::pair<std::size_t, std::size_t>> offsets;
      for (const auto& o : want["offsets"]) offsets.emplace_back(o[0].get<std::size_t>(), o[1].get<std::size_t>());
      EXPECT_EQ(got.offsets, offsets);
      EXPECT_EQ(got.attention_mask, want["attention_mask"].get<std::vector<std::uint8_t>>());
      EXPECT_EQ(tok.decode(got.ids, false), want["decoded"].get<std::string>());
      EXPECT_EQ(tok.decode(got.ids, true), want["decoded_skip"].get<std::string>());
      ++compared;
    }
    EXPECT_EQ(i, corpus.size());
  }
  EXPECT_EQ(compared, 3 * corpus.size());
}

TEST(Tokenizer, MergesInBothForms) {
  for (const std::string merges : {R"("a b")", R"(["a", "b"])"}) {
    Tokenizer t = Tokenizer::from_json(tiny(merges), "test");
    auto e = t.encode("abba");
    EXPECT_EQ(e.ids, (std::vector<std::uint32_t>{2, 1, 0})) << merges;
    EXPECT_EQ(e.offsets, (std::vector<std::pair<std::size_t, std::size_t>>{{0, 2}, {2, 3}, {3, 4}}));
    EXPECT_EQ(t.decode(e.ids), "ab b a");  // no decoder: tokens joined by spaces
  }
}

TEST(Tokenizer, BadFilesAreOneConfigError) {
  EXPECT_EQ(load_error("not json"), ErrorCode::ConfigInvalid);
  EXPECT_EQ(load_error("[]"), ErrorCode::ConfigInvalid);
  EXPECT_EQ(load_error(R"({"model": {"type": "NoSuchModel"}})"), ErrorCode::ConfigInvalid);
  EXPECT_EQ(load_error(tiny(R"("a c")")), ErrorCode::ConfigInvalid);          // merge names an unknown token
  EXPECT_EQ(load_error(tiny(R"("a")")), ErrorCode::ConfigInvalid);            // malformed merge
  EXPECT_EQ(load_error(tiny(R"(7)")), ErrorCode::ConfigInvalid);              // wrong type
  EXPECT_EQ(load_error(tiny(R"("a b")", "0.1")), ErrorCode::ConfigInvalid);   // dropout must be null
  EXPECT_EQ(load_error(tiny(R"("a b")", "null", R"({"type": "Bogus"})")), ErrorCode::ConfigInvalid);
  EXPECT_EQ(load_error(tiny(R"("a b")", "null", R"({"type": "ByteLevel", "add_prefix_space": "yes"})")),
            ErrorCode::ConfigInvalid);
  EXPECT_EQ(load_error(tiny(R"("a b")", "null", R"({"type": "Split", "pattern": {"Regex": "(("}, "behavior": "Isolated"})")),
            ErrorCode::ConfigInvalid);
  EXPECT_EQ(load_error(tiny(R"("a b")", "null", R"({"type": "Metaspace"})")), ErrorCode::Unsupported);
  try {
    Tokenizer::from_json(tiny(R"("a b")", "null", R"({"type": "ByteLevel", "use_regex": 1})"), "test");
    FAIL();
  } catch (const lathe::Error& e) {
    EXPECT_NE(std::string(e.what()).find("pre_tokenizer.use_regex"), std::string::npos) << e.what();
  }
}

TEST(Tokenizer, InvalidUtf8IsRefused) {
  Tokenizer t = Tokenizer::from_file(data_dir() + "/tiny-random-gpt2/tokenizer.json");
  try {
    t.encode("bad \xC3\x28 bytes");
    FAIL();
  } catch (const lathe::Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
  }
  // Ids that end inside a character decode with U+FFFD, as the Rust library does.
  auto e = t.encode("\xF0\x9F\x98\x80");
  ASSERT_FALSE(e.ids.empty());
  std::vector<std::uint32_t> head(e.ids.begin(), e.ids.end() - 1);
  EXPECT_NE(t.decode(head).find("\xEF\xBF\xBD"), std::string::npos);
}
