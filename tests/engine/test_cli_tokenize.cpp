// lathe-cli tokenize / detokenize: the CLI prints exactly what the engine's
// Tokenizer computes (test_tokenizer holds that equal to the Rust library),
// and its failures are one clean line.
#include "cli_failure.h"
#include "test_support.h"
#include "text/tokenizer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using nlohmann::json;

namespace {
// The tiny random GPT-2 tokenizer (1k ids): the same components as GPT-2, loaded in milliseconds.
std::string gpt2_dir() { return std::string(LATHE_FIXTURES_DIR) + "/../tokenizers/tiny-random-gpt2"; }
}  // namespace

TEST(CliTokenize, PrintsTheEngineEncodingAndDecodesBack) {
  const lathe::Tokenizer tok = lathe::Tokenizer::from_file(gpt2_dir() + "/tokenizer.json");
  const std::vector<std::string> texts{"Hello world", "  two  spaces\r\nand a line", "naïve café 😀👍🏽", "12345678901234",
                                       "<|endoftext|> inside text", ""};
  std::vector<std::string> args{"tokenize", gpt2_dir(), "--json"};
  for (const auto& t : texts) args.insert(args.end(), {"--text", t});
  auto r = lathe::test::run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  ASSERT_EQ(j.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const lathe::TokenEncoding e = tok.encode(texts[i]);
    EXPECT_EQ(j[i]["ids"].get<std::vector<std::uint32_t>>(), e.ids) << texts[i];
    EXPECT_EQ(j[i]["tokens"].get<std::vector<std::string>>(), e.tokens) << texts[i];
    ASSERT_EQ(j[i]["offsets"].size(), e.offsets.size());
    for (std::size_t k = 0; k < e.offsets.size(); ++k)
      EXPECT_EQ(j[i]["offsets"][k], json({e.offsets[k].first, e.offsets[k].second})) << texts[i];
    std::string ids;
    for (auto id : e.ids) ids += std::to_string(id) + " ";
    auto d = lathe::test::run_cli({"detokenize", gpt2_dir(), "--ids", ids, "--json"});
    ASSERT_EQ(d.exit_code, 0) << d.err;
    EXPECT_EQ(json::parse(d.out)["text"], tok.decode(e.ids)) << texts[i];
  }
}

TEST(CliTokenize, FailuresAreOneCleanLine) {
  lathe::test::TempDir d;
  struct Case {
    std::vector<std::string> args;
    int exit_code;
  };
  const std::vector<Case> cases{
      {{"tokenize", gpt2_dir(), "--text", "\xff\xfe"}, 1},                 // not UTF-8
      {{"tokenize", d.path(), "--text", "hi"}, 1},                         // no tokenizer.json
      {{"tokenize", d.file("missing"), "--text", "hi"}, 1},                // no such folder
      {{"tokenize", gpt2_dir()}, 2},                                       // no --text
      {{"detokenize", gpt2_dir(), "--ids", "1 two"}, 2},                   // not ids
      {{"detokenize", gpt2_dir(), "--ids", "-4"}, 2},
  };
  for (const auto& c : cases) {
    auto r = lathe::test::run_cli(c.args);
    EXPECT_EQ(lathe::test::cli_failure_problems(r, c.exit_code, c.exit_code != 2), "") << c.args[0] << " " << r.err;
  }
}
