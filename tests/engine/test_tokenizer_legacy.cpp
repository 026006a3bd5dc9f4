// engine/text AutoTokenizer: legacy files (vocab.json + merges.txt, vocab.txt,
// tokenizer.model) converted as transformers converts them, checked against
// the Rust `tokenizers` library loading the model's real tokenizer.json
// (tests/tokenizers-oracle), SentencePiece also against libsentencepiece's own
// Encode (the slow tokenizer); tokenizer_config.json, add_tokens, save/load
// and the loaders' error paths.
#include "core/error.h"
#include "core/file_util.h"
#include "test_support.h"
#include "text/auto_tokenizer.h"
#include "text/precompiled.h"
#include "text/tokenizer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <fstream>
#include <iostream>
#include <cstring>
#include <set>
#include <sstream>

using lathe::ErrorCode;
using lathe::Tokenizer;
using lathe::test::TempDir;
using nlohmann::json;

namespace {

std::string data_dir() { return std::string(LATHE_FIXTURES_DIR) + "/../tokenizers"; }  // tests/data/tokenizers
std::string oracle_src() { return std::string(LATHE_FIXTURES_DIR) + "/../../tokenizers-oracle"; }

std::vector<std::string> read_corpus() {
  std::ifstream in(data_dir() + "/corpus.jsonl");
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(json::parse(line).get<std::string>());
  return out;
}

// A folder holding only `files` of tests/data/tokenizers/<name>/.
std::string legacy_folder(const TempDir& tmp, const std::string& name, const std::vector<std::string>& files) {
  std::string dir = tmp.path() + "/" + name;
  std::filesystem::create_directories(dir);
  for (const auto& f : files) std::filesystem::copy_file(data_dir() + "/" + name + "/" + f, dir + "/" + f);
  return dir;
}

std::vector<json> run_oracle(const std::string& oracle, const std::string& tokenizer_json, const std::string& texts,
                             const std::vector<std::string>& flags = {}) {
  std::vector<std::string> argv = {"/usr/bin/env", "node", oracle + "/oracle.mjs", tokenizer_json, texts};
  argv.insert(argv.end(), flags.begin(), flags.end());
  auto r = lathe::test::run_process(argv, 300);
  EXPECT_EQ(r.exit_code, 0) << r.err.substr(0, 2000);
  std::vector<json> out;
  std::istringstream lines(r.out);
  for (std::string l; std::getline(lines, l);) out.push_back(json::parse(l));
  return out;
}

// libsentencepiece's Encode (tests/engine/spm_oracle.cpp), one id list per text;
// empty when the helper was not built.
std::vector<std::vector<std::uint32_t>> run_spm(const std::string& model, const std::string& texts) {
#ifdef LATHE_SPM_ORACLE
  auto r = lathe::test::run_process({LATHE_SPM_ORACLE, model, texts}, 300);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::vector<std::uint32_t>> out;
  std::istringstream lines(r.out);
  for (std::string l; std::getline(lines, l);) out.push_back(json::parse(l)["ids"].get<std::vector<std::uint32_t>>());
  return out;
#else
  (void)model;
  (void)texts;
  return {};
#endif
}

// Lathe's encode/decode of every text against the oracle's lines; returns the
// number of texts compared. Decodes are compared without transformers'
// clean-up (the Rust library has none).
std::size_t expect_same(const Tokenizer& tok, const std::vector<std::string>& texts, const std::vector<json>& want,
                        std::size_t first = 0, const std::function<bool(std::size_t)>& skip = nullptr) {
  EXPECT_EQ(want.size() - first, texts.size());
  std::size_t compared = 0, mismatches = 0;
  for (std::size_t i = 0; i < texts.size() && first + i < want.size(); ++i) {
    const json& w = want[first + i];
    if (skip && skip(i)) continue;
    lathe::TokenEncoding got = tok.encode(texts[i]);
    json offsets = json::array();
    for (const auto& o : got.offsets) offsets.push_back({o.first, o.second});
    bool same = json(got.ids) == w["ids"] && json(got.tokens) == w["tokens"] && offsets == w["offsets"] &&
                json(got.attention_mask) == w["attention_mask"] && tok.decode(got.ids, false, false) == w["decoded"] &&
                tok.decode(got.ids, true, false) == w["decoded_skip"];
    if (!same && ++mismatches <= 3)
      ADD_FAILURE() << "text " << i + 1 << ": " << json(texts[i]).dump().substr(0, 120) << "\n  want " << w.dump().substr(0, 400)
                    << "\n  got ids " << json(got.ids).dump().substr(0, 300) << " decoded " << json(tok.decode(got.ids, false, false)).dump();
    ++compared;
  }
  EXPECT_EQ(mismatches, 0u);
  return compared;
}

// --- A SentencePiece ModelProto written by hand (protobuf wire format) ---
void put_varint(std::string& o, std::uint64_t v) {
  while (v >= 0x80) {
    o += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  o += static_cast<char>(v);
}
void put_bytes(std::string& o, int field, const std::string& s) {
  put_varint(o, static_cast<std::uint64_t>(field) << 3 | 2);
  put_varint(o, s.size());
  o += s;
}
void put_int(std::string& o, int field, std::uint64_t v) {
  put_varint(o, static_cast<std::uint64_t>(field) << 3);
  put_varint(o, v);
}
struct Piece {
  std::string piece;
  float score;
  int type;
};
std::string spm_model(const std::vector<Piece>& pieces, int model_type, int unk_id, const std::string& charsmap) {
  std::string o;
  for (const auto& p : pieces) {
    std::string m;
    put_bytes(m, 1, p.piece);
    put_varint(m, 2 << 3 | 5);
    char f[4];
    std::memcpy(f, &p.score, 4);
    m.append(f, 4);
    put_int(m, 3, static_cast<std::uint64_t>(p.type));
    put_bytes(o, 1, m);
  }
  std::string trainer;
  put_int(trainer, 3, static_cast<std::uint64_t>(model_type));
  put_int(trainer, 40, static_cast<std::uint64_t>(unk_id));
  put_bytes(o, 2, trainer);
  std::string norm;
  put_bytes(norm, 1, "nmt_nfkc");
  if (!charsmap.empty()) put_bytes(norm, 2, charsmap);
  put_bytes(o, 3, norm);
  return o;
}

// tiny-t5's Unigram pieces as a spiece.model (its tokenizer.json was made from
// one: pieces, scores, unk_id and the precompiled charsmap are all in it).
std::string tiny_t5_spm(int model_type = 1) {
  std::ifstream in(data_dir() + "/tiny-t5/tokenizer.json");
  json j = json::parse(in);
  std::vector<Piece> pieces;
  int unk_id = j["model"]["unk_id"].get<int>();
  std::set<std::string> control;
  for (const auto& a : j["added_tokens"])
    if (a["content"].get<std::string>().rfind("<extra_id_", 0) != 0) control.insert(a["content"].get<std::string>());
  for (std::size_t i = 0; i < j["model"]["vocab"].size(); ++i) {
    const auto& v = j["model"]["vocab"][i];
    std::string p = v[0].get<std::string>();
    int type = static_cast<int>(i) == unk_id ? 2 : control.count(p) ? 3 : p.rfind("<extra_id_", 0) == 0 ? 4 : 1;
    pieces.push_back({p, v[1].get<float>(), type});
  }
  std::string charsmap =
      *lathe::text::base64_decode(j["normalizer"]["precompiled_charsmap"].get<std::string>());
  return spm_model(pieces, model_type, unk_id, charsmap);
}

struct LegacyCase {
  const char* name;
  std::vector<std::string> files;
};
const LegacyCase kLegacyCases[] = {
    {"gpt2", {"vocab.json", "merges.txt", "tokenizer_config.json"}},
    {"bert-base-uncased", {"vocab.txt", "tokenizer_config.json"}},
    {"llama2-tiny-random", {"tokenizer.model", "tokenizer_config.json", "special_tokens_map.json"}},
};

}  // namespace

// A folder with only the legacy files gives what the Rust library gives from
// the model's real tokenizer.json.
TEST(TokenizerLegacy, IdenticalToRealTokenizerJson) {
  std::string why;
  const std::string oracle = lathe::test::installed_npm_package(oracle_src(), &why);
  if (oracle.empty()) GTEST_SKIP() << why;
  TempDir tmp;
  std::vector<std::string> corpus = read_corpus();
  std::size_t compared = 0;
  for (const auto& c : kLegacyCases) {
    SCOPED_TRACE(c.name);
    std::string dir = legacy_folder(tmp, c.name, c.files);
    ASSERT_TRUE(lathe::has_tokenizer_files(dir));
    auto t0 = std::chrono::steady_clock::now();
    Tokenizer tok = lathe::load_tokenizer(dir);
    std::cout << "[legacy] " << c.name << " converted and loaded in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s\n";
    auto want = run_oracle(oracle, data_dir() + "/" + c.name + "/tokenizer.json", data_dir() + "/corpus.jsonl");
    // llama2-tiny-random's tokenizer.json has "" where tokenizer.model has the
    // piece U+2028 (id 31353): texts with U+2028 follow tokenizer.model (and
    // libsentencepiece, SlowSentencePieceAgreement), not that file.
    std::size_t skipped = 0;
    auto skip = [&](std::size_t i) {
      bool s = std::string(c.name) == "llama2-tiny-random" && corpus[i].find("\xE2\x80\xA8") != std::string::npos;
      skipped += s;
      return s;
    };
    compared += expect_same(tok, corpus, want, 0, skip);
    EXPECT_EQ(tok.size(), Tokenizer::from_file(data_dir() + "/" + c.name + "/tokenizer.json").vocab_size());
  }
  std::cout << "[legacy] compared " << compared << " encodings (" << std::size(kLegacyCases) << " tokenizers x "
            << corpus.size() << " texts)\n";
  EXPECT_GE(compared + 1, std::size(kLegacyCases) * corpus.size());
}

// The converters' documents against the real files: LlamaConverter's merges
// (generated from the vocabulary by score) are the file's merges, in order.
TEST(TokenizerLegacy, ConvertedLlamaMatchesRealFile) {
  TempDir tmp;
  std::string dir = legacy_folder(tmp, "llama2-tiny-random", {"tokenizer.model", "tokenizer_config.json", "special_tokens_map.json"});
  Tokenizer tok = lathe::load_tokenizer(dir);
  std::string out = tmp.path() + "/saved";
  std::filesystem::create_directories(out);
  tok.save(out);
  std::ifstream a(out + "/tokenizer.json"), b(data_dir() + "/llama2-tiny-random/tokenizer.json");
  json got = json::parse(a), want = json::parse(b);
  std::vector<std::string> got_merges, want_merges;
  for (const auto& m : got["model"]["merges"]) got_merges.push_back(m.is_string() ? m.get<std::string>() : m[0].get<std::string>() + " " + m[1].get<std::string>());
  for (const auto& m : want["model"]["merges"]) want_merges.push_back(m.is_string() ? m.get<std::string>() : m[0].get<std::string>() + " " + m[1].get<std::string>());
  // The file was written by an older transformers whose extractor ordered
  // merges of equal score by the ids of both parts over the whole vocabulary;
  // 4.47 orders them piece by piece. They differ only in the last block: the
  // merges of the whitespace pieces ("▁▁", ...), which all score -1e9.
  EXPECT_EQ(std::multiset<std::string>(got_merges.begin(), got_merges.end()),
            std::multiset<std::string>(want_merges.begin(), want_merges.end()));
  std::size_t diff = 0;
  auto only_spaces = [](std::string m) {
    for (std::size_t p; (p = m.find("\xE2\x96\x81")) != std::string::npos;) m.erase(p, 3);
    return m == " ";
  };
  for (std::size_t i = 0; i < std::min(got_merges.size(), want_merges.size()); ++i)
    if (got_merges[i] != want_merges[i]) {
      ++diff;
      EXPECT_TRUE(only_spaces(got_merges[i]) && only_spaces(want_merges[i])) << "merge " << i << ": got " << got_merges[i] << " want " << want_merges[i];
    }
  std::cout << "[legacy] llama merges: " << got_merges.size() << ", " << diff << " placed differently within the whitespace block\n";
  // The vocabulary: the same but for id 31353 (U+2028 in tokenizer.model, "" in the file).
  std::size_t vocab_diff = 0;
  for (const auto& [token, id] : want["model"]["vocab"].items())
    if (!got["model"]["vocab"].contains(token) || got["model"]["vocab"][token] != id) {
      ++vocab_diff;
      EXPECT_EQ(token, "") << id;
      EXPECT_EQ(got["model"]["vocab"]["\xE2\x80\xA8"], id);
    }
  EXPECT_EQ(vocab_diff, 1u);
  for (const char* key : {"normalizer", "pre_tokenizer", "post_processor", "decoder", "added_tokens"})
    EXPECT_EQ(got[key], want[key]) << key;
  for (const char* key : {"unk_token", "fuse_unk", "byte_fallback"}) EXPECT_EQ(got["model"][key], want["model"][key]) << key;
}

// The slow tokenizer (libsentencepiece's Encode, plus the bos/eos the slow
// class adds) against Lathe's conversion: every disagreement is printed and
// listed in docs/text.md ("Slow and fast SentencePiece").
TEST(TokenizerLegacy, SlowSentencePieceAgreement) {
#ifndef LATHE_SPM_ORACLE
  GTEST_SKIP() << "spm_oracle not built (libsentencepiece-dev missing)";
#endif
  TempDir tmp;
  std::vector<std::string> corpus = read_corpus();
  // Llama: LlamaTokenizer(legacy) = <s> + sp.encode(text).
  std::string dir = legacy_folder(tmp, "llama2-tiny-random", {"tokenizer.model", "tokenizer_config.json", "special_tokens_map.json"});
  Tokenizer llama = lathe::load_tokenizer(dir);
  auto slow = run_spm(dir + "/tokenizer.model", data_dir() + "/corpus.jsonl");
  ASSERT_EQ(slow.size(), corpus.size());
  // Texts holding a special token's text: the slow tokenizer's sp.encode reads
  // "<s>" as characters, transformers (slow and fast) split added tokens first.
  auto has_special = [](const Tokenizer& t, const std::string& text) {
    for (const auto& [id, a] : t.added_tokens())
      if (a.special && text.find(a.content) != std::string::npos) return true;
    return false;
  };
  std::size_t disagree = 0, other = 0;
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    std::vector<std::uint32_t> want = {*llama.bos_token_id()};
    want.insert(want.end(), slow[i].begin(), slow[i].end());
    auto got = llama.encode(corpus[i]).ids;
    if (got != want) {
      ++disagree;
      if (!has_special(llama, corpus[i])) ++other;
      std::cout << "[slow!=fast] llama text " << i + 1 << " " << json(corpus[i]).dump().substr(0, 100) << "\n  slow "
                << json(want).dump().substr(0, 200) << "\n  fast " << json(got).dump().substr(0, 200) << "\n";
    }
  }
  // T5-style Unigram: tiny-t5's pieces as a spiece.model; T5Tokenizer = sp.encode(text) + </s>.
  std::string t5 = tmp.path() + "/t5";
  std::filesystem::create_directories(t5);
  std::ofstream(t5 + "/spiece.model", std::ios::binary) << tiny_t5_spm();
  std::ofstream(t5 + "/tokenizer_config.json") << R"({"tokenizer_class": "T5Tokenizer", "extra_ids": 0})";
  Tokenizer t5_tok = lathe::load_tokenizer(t5);
  auto slow_t5 = run_spm(t5 + "/spiece.model", data_dir() + "/corpus.jsonl");
  ASSERT_EQ(slow_t5.size(), corpus.size());
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    std::vector<std::uint32_t> want = slow_t5[i];
    want.push_back(*t5_tok.eos_token_id());
    auto got = t5_tok.encode(corpus[i]).ids;
    if (got != want) {
      ++disagree;
      if (!has_special(t5_tok, corpus[i])) ++other;
      std::cout << "[slow!=fast] t5 text " << i + 1 << " " << json(corpus[i]).dump().substr(0, 100) << "\n  slow "
                << json(want).dump().substr(0, 200) << "\n  fast " << json(got).dump().substr(0, 200) << "\n";
    }
  }
  std::cout << "[slow!=fast] " << disagree << " of " << 2 * corpus.size() << " (" << other
            << " without special-token text)\n";
  // The one other case (T5, stacked combining marks around an unknown
  // character) is described in docs/text.md; Lathe follows the fast tokenizer.
  EXPECT_LE(other, 1u);
}

// A T5-style Unigram tokenizer.model (tiny-t5's pieces): the converted
// pipeline, saved as tokenizer.json, gives in the Rust library what Lathe gives.
TEST(TokenizerLegacy, UnigramConversionAgainstRustLibrary) {
  std::string why;
  const std::string oracle = lathe::test::installed_npm_package(oracle_src(), &why);
  if (oracle.empty()) GTEST_SKIP() << why;
  TempDir tmp;
  std::string t5 = tmp.path() + "/t5", saved = tmp.path() + "/saved";
  std::filesystem::create_directories(t5);
  std::filesystem::create_directories(saved);
  std::ofstream(t5 + "/spiece.model", std::ios::binary) << tiny_t5_spm();
  std::ofstream(t5 + "/tokenizer_config.json") << R"({"tokenizer_class": "T5Tokenizer", "extra_ids": 0})";
  Tokenizer tok = lathe::load_tokenizer(t5);
  tok.save(saved);
  std::vector<std::string> corpus = read_corpus();
  auto want = run_oracle(oracle, saved + "/tokenizer.json", data_dir() + "/corpus.jsonl");
  EXPECT_EQ(expect_same(tok, corpus, want), corpus.size());
  // tiny-t5's own tokenizer.json came from an older converter (Precompiled
  // only, then WhitespaceSplit + Metaspace); 4.47's adds Strip + Replace(" {2,}")
  // and drops WhitespaceSplit. Where that shows is printed (docs/text.md).
  auto old = run_oracle(oracle, data_dir() + "/tiny-t5/tokenizer.json", data_dir() + "/corpus.jsonl");
  std::size_t differ = 0;
  for (std::size_t i = 0; i < corpus.size() && i < old.size(); ++i)
    if (json(tok.encode(corpus[i]).ids) != old[i]["ids"]) {
      ++differ;
      std::cout << "[legacy] t5 4.47 conversion vs tiny-t5/tokenizer.json differ on text " << i + 1 << " "
                << json(corpus[i]).dump().substr(0, 80) << "\n";
    }
  std::cout << "[legacy] t5: " << differ << " of " << corpus.size() << " texts differ from the older tokenizer.json\n";
}

// add_tokens as transformers' add_tokens / add_special_tokens on a fast
// tokenizer, against the Rust library's addTokens / addSpecialTokens.
TEST(TokenizerLegacy, AddTokensAgainstRustLibrary) {
  std::string why;
  const std::string oracle = lathe::test::installed_npm_package(oracle_src(), &why);
  if (oracle.empty()) GTEST_SKIP() << why;
  TempDir tmp;
  std::vector<std::string> corpus = read_corpus();
  const std::vector<std::string> normal = {"lathe", "the", "hello", "newtok", " spaced out", "", "lathe", "ing"};
  const std::vector<std::string> special = {"<|lathe|>", "newtok", "[SEP]", "<s>", "é"};
  std::size_t compared = 0;
  for (const auto& c : kLegacyCases) {
    SCOPED_TRACE(c.name);
    Tokenizer tok = lathe::load_tokenizer(legacy_folder(tmp, c.name, c.files));
    std::size_t added = tok.add_tokens(normal, false);
    std::size_t added_special = tok.add_tokens(special, true);
    auto want = run_oracle(oracle, data_dir() + "/" + c.name + "/tokenizer.json", data_dir() + "/corpus.jsonl",
                           {"--add-tokens", json(normal).dump(), "--add-special-tokens", json(special).dump()});
    ASSERT_FALSE(want.empty());
    EXPECT_EQ(added, want[0]["added"].get<std::size_t>());
    if (!want[0]["added_special"].is_null()) {
      EXPECT_EQ(added_special, want[0]["added_special"].get<std::size_t>());
    }
    std::cout << "[legacy] " << c.name << ": add_tokens " << added << " + " << added_special << " special, size " << tok.size() << "\n";
    EXPECT_EQ(tok.size(), want[0]["vocab_size"].get<std::size_t>());
    std::string name = c.name;
    compared += expect_same(tok, corpus, want, 1, [&](std::size_t i) {
      return name == "llama2-tiny-random" && corpus[i].find("\xE2\x80\xA8") != std::string::npos;  // see above
    });
  }
  EXPECT_GE(compared + 1, std::size(kLegacyCases) * corpus.size());
}

// save() then load_tokenizer() gives the same tokenizer: encodings, added
// tokens and tokenizer_config settings; the saved tokenizer.json is also what
// the Rust library reads the same way.
TEST(TokenizerLegacy, SaveLoadRoundTrip) {
  std::string why;
  const std::string oracle = lathe::test::installed_npm_package(oracle_src(), &why);
  TempDir tmp;
  std::vector<std::string> corpus = read_corpus();
  for (const auto& c : kLegacyCases) {
    SCOPED_TRACE(c.name);
    Tokenizer tok = lathe::load_tokenizer(legacy_folder(tmp, c.name, c.files));
    tok.add_tokens(std::vector<std::string>{"lathe", "newtok"}, false);
    tok.add_tokens(std::vector<std::string>{"<|lathe|>"}, true);
    std::string out = tmp.path() + "/saved-" + c.name;
    std::filesystem::create_directories(out);
    tok.save(out);
    for (const char* f : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"})
      EXPECT_TRUE(lathe::path_exists(out + "/" + f)) << f;
    Tokenizer back = lathe::load_tokenizer(out);
    EXPECT_EQ(back.size(), tok.size());
    EXPECT_EQ(back.added_tokens().size(), tok.added_tokens().size());
    EXPECT_EQ(back.settings().special_tokens, tok.settings().special_tokens);
    EXPECT_EQ(back.model_max_length(), tok.model_max_length());
    EXPECT_EQ(back.padding_side(), tok.padding_side());
    EXPECT_EQ(back.clean_up_tokenization_spaces(), tok.clean_up_tokenization_spaces());
    std::size_t differ = 0;
    for (const auto& text : corpus) {
      auto a = tok.encode(text), b = back.encode(text);
      if (a.ids != b.ids || a.tokens != b.tokens || a.offsets != b.offsets || tok.decode(a.ids) != back.decode(b.ids)) ++differ;
    }
    EXPECT_EQ(differ, 0u);
    if (!oracle.empty()) {
      auto want = run_oracle(oracle, out + "/tokenizer.json", data_dir() + "/corpus.jsonl");
      expect_same(back, corpus, want);
    }
  }
}

namespace {
std::pair<ErrorCode, std::string> load_error(const std::string& dir) {
  try {
    lathe::load_tokenizer(dir);
  } catch (const lathe::Error& e) {
    return {e.code(), e.what()};
  }
  return {ErrorCode::Internal, "no error"};
}
}  // namespace

TEST(TokenizerLegacy, ErrorsNameTheFile) {
  TempDir tmp;
  // vocab.json without merges.txt (tiny-random-gpt2 ships no merges.txt).
  std::string d1 = legacy_folder(tmp, "tiny-random-gpt2", {"vocab.json", "tokenizer_config.json"});
  auto [c1, m1] = load_error(d1);
  EXPECT_EQ(c1, ErrorCode::NotFound);
  EXPECT_NE(m1.find("merges.txt"), std::string::npos) << m1;
  // Malformed vocab.json, and one with a negative id.
  for (const char* bad : {"{\"a\": 0, ", "{\"a\": -1}", "[1, 2]"}) {
    std::ofstream(d1 + "/vocab.json") << bad;
    std::ofstream(d1 + "/merges.txt") << "#version: 0.2\na b\n";
    auto [c, m] = load_error(d1);
    EXPECT_EQ(c, ErrorCode::ConfigInvalid) << bad;
    EXPECT_NE(m.find("vocab.json"), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
  // A merges.txt line that is not two tokens.
  std::ofstream(d1 + "/vocab.json") << R"({"a": 0, "b": 1, "ab": 2})";
  std::ofstream(d1 + "/merges.txt") << "#version: 0.2\na b c\n";
  auto [c2, m2] = load_error(d1);
  EXPECT_EQ(c2, ErrorCode::ConfigInvalid);
  EXPECT_NE(m2.find("merges.txt"), std::string::npos) << m2;
  // Corrupt tokenizer.model: text, a truncated real model, an empty file.
  std::string d2 = tmp.path() + "/spm";
  std::filesystem::create_directories(d2);
  std::string real = lathe::read_text_file(data_dir() + "/llama2-tiny-random/tokenizer.model");
  for (const std::string& bad : {std::string("this is not a model"), real.substr(0, 1000), std::string()}) {
    std::ofstream(d2 + "/tokenizer.model", std::ios::binary) << bad;
    auto [c, m] = load_error(d2);
    EXPECT_EQ(c, ErrorCode::CorruptFile) << m;
    EXPECT_NE(m.find("tokenizer.model"), std::string::npos) << m;
#ifdef LATHE_SPM_ORACLE
    // libsentencepiece refuses it too.
    std::ofstream(d2 + "/t.jsonl") << "\"x\"\n";
    EXPECT_NE(lathe::test::run_process({LATHE_SPM_ORACLE, d2 + "/tokenizer.model", d2 + "/t.jsonl"}).exit_code, 0);
#endif
  }
  // A SentencePiece WORD model: valid, but not a type transformers converts.
  std::string d3 = tmp.path() + "/word";
  std::filesystem::create_directories(d3);
  std::ofstream(d3 + "/spiece.model", std::ios::binary) << tiny_t5_spm(3);
  auto [c3, m3] = load_error(d3);
  EXPECT_EQ(c3, ErrorCode::Unsupported) << m3;
  EXPECT_NE(m3.find("spiece.model"), std::string::npos) << m3;
  // No tokenizer files at all.
  std::string d4 = tmp.path() + "/empty";
  std::filesystem::create_directories(d4);
  EXPECT_FALSE(lathe::has_tokenizer_files(d4));
  EXPECT_EQ(load_error(d4).first, ErrorCode::NotFound);
  EXPECT_EQ(load_error(tmp.path() + "/nope").first, ErrorCode::NotFound);
}

// tokenizer_config.json / special_tokens_map.json on a tokenizer.json model, as
// transformers applies them (values compared with the files themselves).
TEST(TokenizerLegacy, ConfigOnTokenizerJson) {
  TempDir tmp;
  auto read = [](const std::string& f) { return json::parse(std::ifstream(f)); };
  std::string llama = legacy_folder(tmp, "llama2-tiny-random", {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"});
  json cfg = read(llama + "/tokenizer_config.json");
  Tokenizer tok = lathe::load_tokenizer(llama);
  EXPECT_EQ(tok.bos_token(), cfg["bos_token"].get<std::string>());
  EXPECT_EQ(tok.eos_token(), cfg["eos_token"].get<std::string>());
  EXPECT_EQ(tok.unk_token(), cfg["unk_token"].get<std::string>());
  EXPECT_EQ(tok.pad_token(), cfg["pad_token"].get<std::string>());
  Tokenizer plain = Tokenizer::from_file(llama + "/tokenizer.json");
  EXPECT_EQ(tok.bos_token_id(), plain.token_to_id(cfg["bos_token"].get<std::string>()));
  EXPECT_EQ(tok.pad_token_id(), plain.token_to_id(cfg["pad_token"].get<std::string>()));
  EXPECT_EQ(tok.model_max_length(), cfg["model_max_length"].get<std::uint64_t>());
  EXPECT_EQ(tok.clean_up_tokenization_spaces(), cfg["clean_up_tokenization_spaces"].get<bool>());
  EXPECT_EQ(tok.size(), plain.vocab_size());
  // add_eos_token: LlamaTokenizerFast rebuilds the template with </s>.
  cfg["add_eos_token"] = true;
  std::ofstream(llama + "/tokenizer_config.json") << cfg.dump();
  Tokenizer with_eos = lathe::load_tokenizer(llama);
  for (const auto& text : read_corpus()) {
    auto ids = plain.encode(text).ids;
    ids.push_back(*with_eos.eos_token_id());
    EXPECT_EQ(with_eos.encode(text).ids, ids);
  }
  // T5: the sentinel tokens of additional_special_tokens.
  std::string t5 = legacy_folder(tmp, "tiny-t5", {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"});
  json t5cfg = read(t5 + "/tokenizer_config.json");
  Tokenizer t5tok = lathe::load_tokenizer(t5);
  EXPECT_EQ(t5tok.settings().additional_special_tokens.size(), t5cfg["additional_special_tokens"].size());
  EXPECT_EQ(t5tok.size(), Tokenizer::from_file(t5 + "/tokenizer.json").vocab_size());
  EXPECT_EQ(t5tok.eos_token(), t5cfg["eos_token"].get<std::string>());
  EXPECT_EQ(t5tok.pad_token_id(), Tokenizer::from_file(t5 + "/tokenizer.json").token_to_id(t5cfg["pad_token"].get<std::string>()));
}

// LlamaTokenizerFast converts from tokenizer.model, not tokenizer.json, when
// add_prefix_space is given: with false, LlamaConverter leaves out the Prepend
// normalizer and the Strip decoder. Checked against the Rust library on the
// real tokenizer.json with those two parts removed.
TEST(TokenizerLegacy, LlamaAddPrefixSpaceConvertsFromSlow) {
  std::string why;
  const std::string oracle = lathe::test::installed_npm_package(oracle_src(), &why);
  if (oracle.empty()) GTEST_SKIP() << why;
  TempDir tmp;
  std::string dir = legacy_folder(tmp, "llama2-tiny-random", {"tokenizer.json", "tokenizer.model", "special_tokens_map.json"});
  json cfg = json::parse(std::ifstream(data_dir() + "/llama2-tiny-random/tokenizer_config.json"));
  cfg["add_prefix_space"] = false;
  std::ofstream(dir + "/tokenizer_config.json") << cfg.dump();
  Tokenizer tok = lathe::load_tokenizer(dir);
  json real = json::parse(std::ifstream(data_dir() + "/llama2-tiny-random/tokenizer.json"));
  json& norms = real["normalizer"]["normalizers"];
  ASSERT_EQ(norms[0]["type"], "Prepend");
  norms.erase(norms.begin());
  json& decs = real["decoder"]["decoders"];
  ASSERT_EQ(decs.back()["type"], "Strip");
  decs.erase(decs.end() - 1);
  std::string file = tmp.path() + "/no-prefix.json";
  std::ofstream(file) << real.dump();
  std::vector<std::string> corpus = read_corpus();
  auto want = run_oracle(oracle, file, data_dir() + "/corpus.jsonl");
  expect_same(tok, corpus, want, 0, [&](std::size_t i) { return corpus[i].find("\xE2\x80\xA8") != std::string::npos; });
  TempDir tmp2;
  EXPECT_NE(tok.encode("Hello").ids, lathe::load_tokenizer(legacy_folder(tmp2, "llama2-tiny-random", {"tokenizer.json"})).encode("Hello").ids);
}

// A damaged tokenizer.model (truncated anywhere, bytes flipped) loads or gives
// one lathe::Error; nothing else escapes.
TEST(TokenizerLegacy, DamagedSentencePieceModels) {
  TempDir tmp;
  std::string dir = tmp.path() + "/spm";
  std::filesystem::create_directories(dir);
  const std::string real = lathe::read_text_file(data_dir() + "/llama2-tiny-random/tokenizer.model");
  std::uint32_t seed = 7;
  auto next = [&] { return seed = seed * 1103515245u + 12345u, (seed >> 8) & 0xFFFFFF; };
  std::size_t errors = 0, loaded = 0;
  for (int i = 0; i < 24; ++i) {
    std::string bad = real;
    if (i % 2 == 0) bad.resize(next() % real.size());
    else
      for (int k = 0; k < 4; ++k) bad[next() % 4096] = static_cast<char>(next());
    std::ofstream(dir + "/tokenizer.model", std::ios::binary | std::ios::trunc) << bad;
    try {
      lathe::load_tokenizer(dir).encode("hello world");
      ++loaded;
    } catch (const lathe::Error& e) {
      ++errors;
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
  }
  std::cout << "[legacy] damaged models: " << errors << " refused, " << loaded << " loaded\n";
  EXPECT_EQ(errors + loaded, 24u);
}

// BertTokenizerFast rebuilds tokenizer.json's BertNormalizer when the config's
// do_lower_case / strip_accents / tokenize_chinese_chars differ from it.
TEST(TokenizerLegacy, BertConfigRebuildsNormalizer) {
  std::string why;
  const std::string oracle = lathe::test::installed_npm_package(oracle_src(), &why);
  if (oracle.empty()) GTEST_SKIP() << why;
  TempDir tmp;
  std::string dir = legacy_folder(tmp, "bert-base-uncased", {"tokenizer.json"});
  std::ofstream(dir + "/tokenizer_config.json")
      << R"({"tokenizer_class": "BertTokenizer", "do_lower_case": false, "strip_accents": false, "tokenize_chinese_chars": false})";
  Tokenizer tok = lathe::load_tokenizer(dir);
  json real = json::parse(std::ifstream(data_dir() + "/bert-base-uncased/tokenizer.json"));
  ASSERT_EQ(real["normalizer"]["type"], "BertNormalizer");
  real["normalizer"]["lowercase"] = false;
  real["normalizer"]["strip_accents"] = false;
  real["normalizer"]["handle_chinese_chars"] = false;
  std::string file = tmp.path() + "/cased.json";
  std::ofstream(file) << real.dump();
  std::vector<std::string> corpus = read_corpus();
  EXPECT_EQ(expect_same(tok, corpus, run_oracle(oracle, file, data_dir() + "/corpus.jsonl")), corpus.size());
  // The same folder with the file's own values keeps the file as it is.
  std::ofstream(dir + "/tokenizer_config.json", std::ios::trunc) << R"({"tokenizer_class": "BertTokenizer"})";
  Tokenizer same = lathe::load_tokenizer(dir);
  Tokenizer plain = Tokenizer::from_file(dir + "/tokenizer.json");
  for (const auto& text : corpus) EXPECT_EQ(same.encode(text).ids, plain.encode(text).ids);
}
