// engine/text: Lathe's tokenizer against the Rust `tokenizers` library (its
// official Node bindings, tests/tokenizers-oracle/) on a corpus of hard cases,
// plus the loader's error paths.
#include "core/error.h"
#include "core/file_util.h"
#include "test_support.h"
#include "text/text_util.h"
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

// Every tokenizer in tests/data/tokenizers/ that the oracle test compares.
const char* const kOracleTokenizers[] = {"gpt2", "tiny-random-gpt2", "tiny-bloom", "bert-base-uncased",
                                          "tiny-t5", "llama2-tiny-random",
                                          "synthetic/unigram-byte-fallback", "synthetic/unigram-metaspace-never",
                                          "synthetic/wordlevel-ctc", "synthetic/wordlevel-nmt",
                                          "synthetic/bpe-bytelevel-normalizer",
                                          "synthetic/wordlevel-unicode-scripts", "synthetic/unigram-unicode-scripts"};

TEST(TokenizerOracle, IdenticalToRustTokenizers) {
  const std::string src = std::string(LATHE_FIXTURES_DIR) + "/../../tokenizers-oracle";  // tests/tokenizers-oracle
  ASSERT_TRUE(lathe::path_exists(src + "/oracle.mjs")) << "tests/tokenizers-oracle is part of the repository";
  std::string why;
  const std::string oracle = lathe::test::installed_npm_package(src, &why);  // npm ci once per process
  if (oracle.empty()) GTEST_SKIP() << why;
  TempDir tmp;

  std::vector<std::string> corpus = read_corpus();
  ASSERT_GE(corpus.size(), 40u);
  std::size_t compared = 0;
  for (const char* name : kOracleTokenizers) {
    SCOPED_TRACE(name);
    std::string file = data_dir() + "/" + name + "/tokenizer.json";
    auto r = lathe::test::run_process({"/usr/bin/env", "node", oracle + "/oracle.mjs", file,
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
  EXPECT_EQ(compared, std::size(kOracleTokenizers) * corpus.size());
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
  EXPECT_EQ(load_error(tiny(R"("a b")", "null", R"({"type": "Metaspace"})")), ErrorCode::ConfigInvalid);
  try {
    Tokenizer::from_json(tiny(R"("a b")", "null", R"({"type": "ByteLevel", "use_regex": 1})"), "test");
    FAIL();
  } catch (const lathe::Error& e) {
    EXPECT_NE(std::string(e.what()).find("pre_tokenizer.use_regex"), std::string::npos) << e.what();
  }
}

TEST(Tokenizer, HostileSizesAndPatternsAreOneClearError) {
  // A vocabulary one entry over the limit (text_util.h: 2^22), and merges as many: refused naming the field.
  std::string vocab = "{\"[UNK]\": 0";
  vocab.reserve(20 * lathe::text::kMaxVocabEntries);
  for (std::size_t i = 1; i <= lathe::text::kMaxVocabEntries; ++i) vocab += ",\"w" + std::to_string(i) + "\": " + std::to_string(i);
  vocab += "}";
  try {
    Tokenizer::from_json(R"({"model": {"type": "WordLevel", "unk_token": "[UNK]", "vocab": )" + vocab + "}}", "test");
    FAIL() << "loaded";
  } catch (const lathe::Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::ConfigInvalid);
    EXPECT_NE(std::string(e.what()).find("model.vocab"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
  }
  // A catastrophic pattern ((a+)+$ on a's and a b): PCRE2's match limit, reported as one line naming the field.
  Tokenizer t = Tokenizer::from_json(
      R"({"model": {"type": "WordLevel", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "a": 1}},
          "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(a+)+$"}, "behavior": "Isolated", "invert": false}})",
      "test");
  try {
    t.encode(std::string(64, 'a') + "b");
    FAIL() << "matched";
  } catch (const lathe::Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find("pre_tokenizer.pattern"), std::string::npos) << e.what();
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

// SentencePiece-style components (Unigram, WordLevel, Metaspace, Precompiled,
// the token-string decoders): what the oracle corpus cannot reach.
namespace {
std::string sp_file(const std::string& model, const std::string& normalizer = "null",
                    const std::string& pre = "null", const std::string& decoder = "null") {
  return R"({"added_tokens": [], "normalizer": )" + normalizer + R"(, "pre_tokenizer": )" + pre +
         R"(, "post_processor": null, "decoder": )" + decoder + R"(, "model": )" + model + "}";
}
const char* kTinyUnigram = R"({"type": "Unigram", "unk_id": 0,
  "vocab": [["<unk>", 0.0], ["a", -1.0], ["b", -2.0], ["ab", -2.5]]})";
}  // namespace

TEST(TokenizerSentencePiece, UnigramViterbiAndFusedUnknowns) {
  Tokenizer t = Tokenizer::from_json(sp_file(kTinyUnigram), "test");
  auto e = t.encode("abccb");
  // "ab" (-2.5) beats "a"+"b" (-3); the unknown run "cc" is one token that keeps its text.
  EXPECT_EQ(e.ids, (std::vector<std::uint32_t>{3, 0, 2}));
  EXPECT_EQ(e.tokens, (std::vector<std::string>{"ab", "cc", "b"}));
  EXPECT_EQ(e.offsets, (std::vector<std::pair<std::size_t, std::size_t>>{{0, 2}, {2, 4}, {4, 5}}));
  EXPECT_TRUE(t.encode("").ids.empty());
}

TEST(TokenizerSentencePiece, BadFilesAndInputs) {
  EXPECT_EQ(load_error(sp_file(R"({"type": "Unigram", "unk_id": 9, "vocab": [["a", 0.0]]})")), ErrorCode::ConfigInvalid);
  EXPECT_EQ(load_error(sp_file(R"({"type": "Unigram", "vocab": [["a", "x"]]})")), ErrorCode::ConfigInvalid);
  EXPECT_EQ(load_error(sp_file(R"({"type": "WordLevel", "vocab": {"a": -1}})")), ErrorCode::ConfigInvalid);
  EXPECT_EQ(load_error(sp_file(kTinyUnigram, R"({"type": "Precompiled", "precompiled_charsmap": "!!!!"})")),
            ErrorCode::ConfigInvalid);
  EXPECT_EQ(load_error(sp_file(kTinyUnigram, R"({"type": "Precompiled", "precompiled_charsmap": "/////w=="})")),
            ErrorCode::ConfigInvalid);  // trie size beyond the data
  for (const char* pre : {R"({"type": "Metaspace", "replacement": "ab"})",
                          R"({"type": "Metaspace", "replacement": "_", "prepend_scheme": "sometimes"})",
                          R"({"type": "Metaspace", "replacement": "_", "add_prefix_space": false, "prepend_scheme": "always"})"})
    EXPECT_EQ(load_error(sp_file(kTinyUnigram, "null", pre)), ErrorCode::ConfigInvalid) << pre;
  EXPECT_EQ(load_error(sp_file(kTinyUnigram, "null", "null", R"({"type": "Strip", "content": "ab", "start": 1, "stop": 0})")),
            ErrorCode::ConfigInvalid);

  // Without unk_id an unknown character is a clean error, not a crash.
  Tokenizer no_unk = Tokenizer::from_json(sp_file(R"({"type": "Unigram", "vocab": [["a", -1.0]]})"), "test");
  try {
    no_unk.encode("ax");
    FAIL();
  } catch (const lathe::Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
  }
  // A hostile trie (offsets pointing anywhere) only finds nothing.
  Tokenizer hostile = Tokenizer::from_json(
      sp_file(kTinyUnigram, R"({"type": "Precompiled", "precompiled_charsmap": "CAAAAP//////////"})"), "test");
  EXPECT_EQ(hostile.encode("ab").ids, (std::vector<std::uint32_t>{3}));
}

TEST(TokenizerSentencePiece, DecodersOnEdgeTokens) {
  // Strip on an empty token (the Rust library panics there) and ByteFallback on
  // bytes that are not UTF-8 (one U+FFFD per byte).
  Tokenizer t = Tokenizer::from_json(
      sp_file(R"({"type": "WordLevel", "vocab": {"": 0, "<0xE2>": 1, "<0x82>": 2, "x": 3}, "unk_token": "x"})", "null",
              "null",
              R"({"type": "Sequence", "decoders": [{"type": "ByteFallback"}, {"type": "Strip", "content": " ", "start": 1, "stop": 1}, {"type": "Fuse"}]})"),
      "test");
  EXPECT_EQ(t.decode({0}), "");
  EXPECT_EQ(t.decode({1, 2, 3}), "\xEF\xBF\xBD\xEF\xBF\xBDx");
}

// BERT-family components (normalizers, pre-tokenizers, WordPiece, post-processors) on
// the bert-base-uncased vocabulary, each variant against the Rust library: single
// texts and pairs (text i with text i+1), with and without special tokens, compared
// in ids, tokens, offsets, type ids, special-token and attention masks and decodes.
namespace {
const char* const kPairOracle = R"JS(import { readFileSync } from 'node:fs';
import tokenizers from 'tokenizers';
const [tokPath, textsPath] = process.argv.slice(2);
const tok = tokenizers.Tokenizer.fromFile(tokPath);
const texts = readFileSync(textsPath, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
const out = [];
for (let i = 0; i < texts.length; i++) {
  const pair = texts[(i + 1) % texts.length];
  for (const [p, special] of [[null, true], [null, false], [pair, true], [pair, false]]) {
    const enc = await tok.encode(texts[i], p, { addSpecialTokens: special });
    out.push(JSON.stringify({ ids: enc.getIds(), tokens: enc.getTokens(), offsets: enc.getOffsets(),
      type_ids: enc.getTypeIds(), special_tokens_mask: enc.getSpecialTokensMask(),
      attention_mask: enc.getAttentionMask(), decoded: await tok.decode(enc.getIds(), false) }));
  }
}
process.stdout.write(out.join('\n') + '\n');
)JS";

// {normalizer, pre_tokenizer, post_processor, decoder} replacing bert-base-uncased's.
const char* const kBertVariants[][4] = {
    {"", "", "", ""},  // the file as it is
    {R"({"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "StripAccents"}, {"type": "Lowercase"}]})",
     R"({"type": "Whitespace"})", R"({"type": "BertProcessing", "sep": ["[SEP]", 102], "cls": ["[CLS]", 101]})",
     R"({"type": "WordPiece", "prefix": "##", "cleanup": false})"},
    {R"({"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Strip", "strip_left": true, "strip_right": true},
        {"type": "Replace", "pattern": {"String": "  "}, "content": " "}, {"type": "Replace", "pattern": {"Regex": "\\d{3,}"}, "content": "#"},
        {"type": "Lowercase"}]})",
     R"({"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Punctuation", "behavior": "MergedWithPrevious"},
        {"type": "Digits", "individual_digits": true}]})",
     R"({"type": "RobertaProcessing", "sep": ["[SEP]", 102], "cls": ["[CLS]", 101], "trim_offsets": true, "add_prefix_space": true})",
     ""},
    {R"({"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Prepend", "prepend": "x"}, {"type": "Lowercase"}]})",
     R"({"type": "Sequence", "pretokenizers": [{"type": "CharDelimiterSplit", "delimiter": " "}, {"type": "Digits", "individual_digits": false}]})",
     R"({"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 1}}, {"Sequence": {"id": "A", "type_id": 2}}],
        "pair": [{"Sequence": {"id": "B", "type_id": 3}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 1}}],
        "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [101], "tokens": ["[CLS]"]}, "[SEP]": {"id": "[SEP]", "ids": [102, 103], "tokens": ["[SEP]", "[MASK]"]}}})",
     ""},
    {R"({"type": "Sequence", "normalizers": [{"type": "NFKD"}, {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": false,
        "strip_accents": false, "lowercase": true}]})",
     R"({"type": "Punctuation", "behavior": "Contiguous"})",
     R"({"type": "Sequence", "processors": [{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true}, {"type": "BertProcessing", "sep": ["[SEP]", 102], "cls": ["[CLS]", 101]}]})",
     ""},
    {R"({"type": "BertNormalizer", "clean_text": false, "handle_chinese_chars": true, "strip_accents": true, "lowercase": false})",
     R"({"type": "BertPreTokenizer"})", "null", ""},
};
}  // namespace

TEST(TokenizerOracle, BertComponentsAndPairs) {
  const std::string src = std::string(LATHE_FIXTURES_DIR) + "/../../tokenizers-oracle";  // tests/tokenizers-oracle
  std::string why;
  const std::string oracle = lathe::test::installed_npm_package(src, &why);  // npm ci once per process
  if (oracle.empty()) GTEST_SKIP() << why;
  TempDir tmp;
  std::ofstream(oracle + "/pairs.mjs") << kPairOracle;

  // The corpus plus cases for normalization that changes lengths (ligatures,
  // compatibility forms, Hangul jamo, reordered and stacked marks, İ, final sigma).
  std::vector<std::string> corpus = read_corpus();
  for (const char* extra : {"\xEF\xAC\x81nd \xEF\xAC\x82ow \xC2\xBD \xE2\x91\xA0 \xE3\x8E\x92 \xE2\x85\xAB \xEF\xBD\x81\xEF\xBD\x82\xEF\xBC\x91\xEF\xBC\x92",
                            "\xC4\xB0stanbul \xCE\xA3\xCE\x91\xCE\xA3 OD\xC3\x8FN \xC3\x85\xE2\x84\xAB",
                            "e\xCC\x81\xCC\xA3 \xE1\xBB\x87 q\xCC\x87\xCC\xA3 a\xCC\x8A\xCC\x81 \xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB \xED\x95\x9C",
                            "x\xE2\x80\x8Dy\xE2\x80\x8Cz \x01" "ctl\xEF\xBF\xBD\xC2\x85 tab\there",
                            "  don't do not 12 , . ! ? it 's  "})
    corpus.push_back(extra);
  std::string corpus_file = tmp.path() + "/corpus.jsonl";
  {
    std::ofstream out(corpus_file);
    for (const auto& c : corpus) out << nlohmann::json(c).dump() << "\n";
  }
  std::ifstream in(data_dir() + "/bert-base-uncased/tokenizer.json");
  nlohmann::ordered_json base = nlohmann::ordered_json::parse(in);
  using Offs = std::vector<std::pair<std::size_t, std::size_t>>;
  std::size_t compared = 0;
  for (std::size_t v = 0; v < std::size(kBertVariants); ++v) {
    SCOPED_TRACE("variant " + std::to_string(v));
    nlohmann::ordered_json j = base;
    const char* keys[] = {"normalizer", "pre_tokenizer", "post_processor", "decoder"};
    for (int k = 0; k < 4; ++k)
      if (*kBertVariants[v][k]) j[keys[k]] = nlohmann::ordered_json::parse(kBertVariants[v][k]);
    std::string file = tmp.path() + "/variant" + std::to_string(v) + ".json";
    std::ofstream(file) << j.dump();
    auto r = lathe::test::run_process({"/usr/bin/env", "node", oracle + "/pairs.mjs", file, corpus_file}, 300);
    ASSERT_EQ(r.exit_code, 0) << r.err.substr(0, 2000);
    Tokenizer tok = Tokenizer::from_file(file);
    std::istringstream lines(r.out);
    std::string line;
    for (std::size_t i = 0; i < corpus.size(); ++i) {
      const std::string& pair = corpus[(i + 1) % corpus.size()];
      for (int mode = 0; mode < 4; ++mode) {
        ASSERT_TRUE(std::getline(lines, line));
        SCOPED_TRACE("corpus line " + std::to_string(i + 1) + " mode " + std::to_string(mode) + ": " + corpus[i].substr(0, 60));
        auto want = nlohmann::json::parse(line);
        bool special = mode % 2 == 0;
        lathe::TokenEncoding got = mode < 2 ? tok.encode(corpus[i], special) : tok.encode_pair(corpus[i], pair, special);
        EXPECT_EQ(got.ids, want["ids"].get<std::vector<std::uint32_t>>());
        EXPECT_EQ(got.tokens, want["tokens"].get<std::vector<std::string>>());
        Offs offsets;
        for (const auto& o : want["offsets"]) offsets.emplace_back(o[0].get<std::size_t>(), o[1].get<std::size_t>());
        EXPECT_EQ(got.offsets, offsets);
        EXPECT_EQ(got.type_ids, want["type_ids"].get<std::vector<std::uint32_t>>());
        EXPECT_EQ(got.special_tokens_mask, want["special_tokens_mask"].get<std::vector<std::uint8_t>>());
        EXPECT_EQ(got.attention_mask, want["attention_mask"].get<std::vector<std::uint8_t>>());
        EXPECT_EQ(tok.decode(got.ids, false), want["decoded"].get<std::string>());
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, std::size(kBertVariants) * corpus.size() * 4);
}

TEST(Tokenizer, WordPieceLimitsAndUnknown) {
  const std::string vocab = R"({"[UNK]": 0, "un": 1, "##aff": 2, "##able": 3, "a": 4, "[CLS]": 5, "[SEP]": 6})";
  auto make = [&](const std::string& model_extra) {
    return Tokenizer::from_json(R"({"normalizer": {"type": "BertNormalizer"}, "pre_tokenizer": {"type": "BertPreTokenizer"},
      "model": {"type": "WordPiece", "vocab": )" + vocab + model_extra + R"(},
      "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 6], "cls": ["[CLS]", 5]},
      "decoder": {"type": "WordPiece"}, "added_tokens": [{"id": 5, "content": "[CLS]", "special": true},
      {"id": 6, "content": "[SEP]", "special": true}]})", "test");
  };
  Tokenizer t = make(R"(, "max_input_chars_per_word": 9)");
  auto e = t.encode_pair("UnAffable", "unaffablea");  // 10 chars: over the limit, one [UNK]
  EXPECT_EQ(e.ids, (std::vector<std::uint32_t>{5, 1, 2, 3, 6, 0, 6}));
  EXPECT_EQ(e.type_ids, (std::vector<std::uint32_t>{0, 0, 0, 0, 0, 1, 1}));
  EXPECT_EQ(e.offsets, (std::vector<std::pair<std::size_t, std::size_t>>{{0, 0}, {0, 2}, {2, 5}, {5, 9}, {0, 0}, {0, 10}, {0, 0}}));
  EXPECT_EQ(t.decode(e.ids, true), "unaffable [UNK]");
  EXPECT_EQ(t.encode("unx", false).ids, (std::vector<std::uint32_t>{0}));  // no split: the whole word is [UNK]
  // A 20 000-character word under a large limit: linear work, the crate's greedy split.
  Tokenizer long_words = Tokenizer::from_json(R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1, "##a": 2, "##aa": 3},
    "max_input_chars_per_word": 100000}, "pre_tokenizer": {"type": "WhitespaceSplit"}})", "test");
  auto w = long_words.encode(std::string(20001, 'a'));
  ASSERT_EQ(w.ids.size(), 10001u);
  EXPECT_EQ(w.ids[0], 1u);
  EXPECT_EQ(w.ids[10000], 3u);
  EXPECT_EQ(w.offsets[10000], (std::pair<std::size_t, std::size_t>{19999, 20001}));
  Tokenizer no_unk = make(R"(, "unk_token": "[NOPE]")");
  EXPECT_EQ(lathe::test::code_of([&] { no_unk.encode("zzz"); }), ErrorCode::InvalidArgument);
  EXPECT_EQ(load_error(R"({"model": {"type": "WordPiece", "vocab": {"a": "x"}}})"), ErrorCode::ConfigInvalid);
  EXPECT_EQ(load_error(R"({"model": {"type": "WordPiece", "vocab": {}}, "post_processor": {"type": "TemplateProcessing",
    "single": [{"SpecialToken": {"id": "[X]", "type_id": 0}}], "pair": [], "special_tokens": {}}})"), ErrorCode::ConfigInvalid);
}

// Every code point from U+0020 to U+2FFFF (48 per line, a space after every
// 7th) plus combining/ZWJ/whitespace mixes, through the SentencePiece-style
// tokenizers and the oracle: Precompiled's trie and grapheme handling, Unigram's
// unknowns and byte fallback, Metaspace offsets, on far more than the corpus.
TEST(TokenizerOracle, SentencePieceUnicodeSweep) {
  const std::string src = std::string(LATHE_FIXTURES_DIR) + "/../../tokenizers-oracle";  // tests/tokenizers-oracle
  std::string why;
  const std::string oracle = lathe::test::installed_npm_package(src, &why);  // npm ci once per process
  if (oracle.empty()) GTEST_SKIP() << why;
  TempDir tmp;

  std::vector<std::string> texts;
  std::string line;
  int in_line = 0;
  for (char32_t c = 0x20; c < 0x30000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    lathe::text::utf8_append(line, c);
    if (in_line % 7 == 6) line += ' ';
    if (++in_line == 48) {
      texts.push_back(line);
      line.clear();
      in_line = 0;
    }
  }
  if (!line.empty()) texts.push_back(line);
  const char32_t pool[] = {'a', 'e', 'n', ' ', ' ', '.', '<', '>', '/', 's', 0x300, 0x301, 0x308, 0x323, 0x200D, 0x200B,
                           0xFE0F, 0x1F3FD, 0x1F468, 0x1F469, 0xA0, 0x3000, 0xFF21, 0xFB01, 0x2460, 0x1100, 0x1161,
                           0x11A8, 0xAC00, 0x0E01, 0x0E33, 0x0627, 0x0644, 0x3099, 0x304B, 0x2126, 0x212B, 0x1E9B,
                           '\t', '\n', '\r', 0x85, 0x2028, 0x2581};
  std::uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7FFF; };
  for (int i = 0; i < 1500; ++i) {
    std::string s;
    for (std::uint32_t n = 1 + next() % 30; n > 0; --n) lathe::text::utf8_append(s, pool[next() % std::size(pool)]);
    texts.push_back(s);
  }
  std::string texts_file = tmp.path() + "/sweep.jsonl";
  {
    std::ofstream out(texts_file, std::ios::binary);
    for (const auto& t : texts) out << nlohmann::json(t).dump() << "\n";
  }
  for (const char* name : {"tiny-t5", "llama2-tiny-random", "synthetic/unigram-byte-fallback",
                           "synthetic/unigram-metaspace-never", "synthetic/wordlevel-ctc"}) {
    SCOPED_TRACE(name);
    std::string file = data_dir() + "/" + name + "/tokenizer.json";
    auto r = lathe::test::run_process({"/usr/bin/env", "node", oracle + "/oracle.mjs", file, texts_file}, 120);
    ASSERT_EQ(r.exit_code, 0) << r.err.substr(0, 2000);
    Tokenizer tok = Tokenizer::from_file(file);
    std::istringstream lines(r.out);
    std::size_t i = 0, mismatches = 0;
    for (std::string l; std::getline(lines, l); ++i) {
      ASSERT_LT(i, texts.size());
      auto want = nlohmann::json::parse(l);
      lathe::TokenEncoding got = tok.encode(texts[i]);
      nlohmann::json offsets = nlohmann::json::array();
      for (const auto& o : got.offsets) offsets.push_back({o.first, o.second});
      bool same = nlohmann::json(got.ids) == want["ids"] && nlohmann::json(got.tokens) == want["tokens"] &&
                  offsets == want["offsets"] && tok.decode(got.ids, false) == want["decoded"] &&
                  tok.decode(got.ids, true) == want["decoded_skip"];
      if (!same && ++mismatches <= 3) ADD_FAILURE() << "line " << i + 1 << ": " << nlohmann::json(texts[i]).dump();
    }
    EXPECT_EQ(i, texts.size());
    EXPECT_EQ(mismatches, 0u);
  }
}
