// engine/text against the Rust `tokenizers` library (Node bindings,
// tests/tokenizers-oracle/) on every code point U+0000..U+10FFFF (surrogates
// excluded) in a few contexts, with real tokenizer files: bert-base-uncased
// (BertNormalizer, BertPreTokenizer, WordPiece), gpt2 (PCRE2's GPT-2 regex,
// ByteLevel), tiny-t5 (Precompiled, WhitespaceSplit, Metaspace, Unigram) and
// llama2-tiny-random (Prepend, Replace, byte-fallback BPE), and Llama with
// StripAccents as its normalizer.
//
// Each code point C goes into some of the segments "aCb", "C", " C x", "äC"
// and " C1!" (ä decomposes to a + U+0308, so C's combining class meets a
// mark's; " C1!" makes GPT-2's regex give other pieces when C is a letter, a
// number, whitespace or none of them, as "aCb" and " C x" do not always;
// which segments, per tokenizer, and which code points: see Sweep and swept());
// segments
// are joined with "\n" into texts of about kSegmentsPerText segments, so
// that the library runs once per tokenizer. That run prints, per text, the
// number of tokens and an FNV-1a hash of (id, token's UTF-16 units, offsets)
// of every token; Lathe's encodings are hashed the same way. The segments of
// a text whose hash differs are then encoded one by one by the library (a
// second, small run, full ids/tokens/offsets) and compared with Lathe's,
// which names every differing code point. No expected value is written here:
// all come from the library.
#include "test_support.h"
#include "text/text_util.h"
#include "text/tokenizer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <sstream>

using lathe::Tokenizer;
using lathe::TokenEncoding;
using lathe::test::TempDir;
using lathe::text::utf8_append;

namespace {

const char* const kOracle = R"JS(import { readFileSync } from 'node:fs';
import tokenizers from 'tokenizers';
const [tokPath, textsPath, mode] = process.argv.slice(2);
const tok = tokenizers.Tokenizer.fromFile(tokPath);
const texts = readFileSync(textsPath, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
const out = [];
for (const t of texts) {
  const enc = await tok.encode(t, null, { addSpecialTokens: false });
  const ids = enc.getIds(), tokens = enc.getTokens(), offsets = enc.getOffsets();
  if (mode === 'full') {
    out.push(JSON.stringify({ ids, tokens, offsets }));
    continue;
  }
  let h = 2166136261;
  const mix = (x) => { h = Math.imul(h ^ x, 16777619) >>> 0; };
  for (let i = 0; i < ids.length; ++i) {
    mix(ids[i]);
    const s = tokens[i];
    for (let k = 0; k < s.length; ++k) mix(s.charCodeAt(k));
    mix(0x10000);
    mix(offsets[i][0]);
    mix(offsets[i][1]);
  }
  out.push(ids.length + ' ' + h);
}
process.stdout.write(out.join('\n') + '\n');
)JS";

constexpr std::size_t kSegmentsPerText = 1000;
constexpr int kContexts = 5;

std::string data_dir() { return std::string(LATHE_FIXTURES_DIR) + "/../tokenizers"; }  // tests/data/tokenizers

std::string hex(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

std::string segment(char32_t c, int context) {
  std::string s;
  switch (context) {
    case 0: s = "a"; utf8_append(s, c); s += "b"; break;
    case 1: utf8_append(s, c); break;
    case 2: s = " "; utf8_append(s, c); s += " x"; break;
    case 3: utf8_append(s, 0xE4); utf8_append(s, c); break;
    default: s = " "; utf8_append(s, c); s += "1!"; break;
  }
  return s;
}
const char* const kContextNames[kContexts] = {"aCb", "C", " C x", "\u00E4C", " C1!"};

struct Segment {
  char32_t c;
  int context;
};

struct Text {
  std::string utf8;
  std::vector<Segment> segments;
};

// Planes 0-3 and 14 (where Unicode assigns characters) whole; planes 4-13
// (unassigned) and 15-16 (private use), one category throughout in every
// table, sampled: their first and last 256 code points and every 16th.
bool swept(char32_t c) {
  if (c >= 0xD800 && c <= 0xDFFF) return false;
  char32_t plane = c >> 16, low = c & 0xFFFF;
  return plane <= 3 || plane == 14 || low < 256 || low >= 0xFF00 || low % 16 == 0;
}

// The segments of `contexts` (a bit per context) for every swept code point.
std::vector<Text> sweep_texts(unsigned contexts) {
  std::vector<Text> texts;
  Text t;
  for (char32_t c = 0; c < 0x110000; ++c) {
    if (!swept(c)) continue;
    for (int k = 0; k < kContexts; ++k) {
      if (!(contexts >> k & 1)) continue;
      if (!t.segments.empty()) t.utf8 += '\n';
      t.utf8 += segment(c, k);
      t.segments.push_back({c, k});
      if (t.segments.size() == kSegmentsPerText) texts.push_back(std::move(t)), t = Text{};
    }
  }
  if (!t.segments.empty()) texts.push_back(std::move(t));
  return texts;
}

// The oracle's hash of one encoding (see kOracle): FNV-1a over 32-bit words,
// tokens as UTF-16 code units as JavaScript holds them.
std::string encoding_hash(const TokenEncoding& e) {
  std::uint32_t h = 2166136261u;
  auto mix = [&](std::uint32_t x) { h = (h ^ x) * 16777619u; };
  for (std::size_t i = 0; i < e.ids.size(); ++i) {
    mix(e.ids[i]);
    const std::string& s = e.tokens[i];
    for (std::size_t k = 0; k < s.size(); k += lathe::text::utf8_len(static_cast<unsigned char>(s[k]))) {
      char32_t c = lathe::text::utf8_decode(s, k);
      if (c < 0x10000) {
        mix(c);
      } else {
        mix(0xD800 + ((c - 0x10000) >> 10));
        mix(0xDC00 + ((c - 0x10000) & 0x3FF));
      }
    }
    mix(0x10000);
    mix(static_cast<std::uint32_t>(e.offsets[i].first));
    mix(static_cast<std::uint32_t>(e.offsets[i].second));
  }
  return std::to_string(e.ids.size()) + " " + std::to_string(h);
}

nlohmann::json encoding_json(const TokenEncoding& e) {
  nlohmann::json offsets = nlohmann::json::array();
  for (const auto& o : e.offsets) offsets.push_back({o.first, o.second});
  return {{"ids", e.ids}, {"tokens", e.tokens}, {"offsets", offsets}};
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A tokenizer and the contexts that matter for its Unicode data (the slower
// ones get fewer): BERT all (accents, marks, punctuation, whitespace, CJK),
// GPT-2 the regex's \p{L} ("aCb"), \p{N} and \s (" C1!"), T5 the grapheme
// clusters of Precompiled ("aCb") and WhitespaceSplit, Llama (no Unicode data,
// byte fallback only) "aCb".
// `normalizer`, when set, replaces the file's normalizer (a probe: Llama's
// byte-fallback tokens show every byte the normalizer leaves).
struct Sweep {
  const char* name;
  unsigned contexts;
  const char* normalizer = nullptr;
  const char* label = nullptr;  ///< the test's name, when not the tokenizer's
};

class TokenizerSweep : public ::testing::TestWithParam<Sweep> {};

}  // namespace

TEST_P(TokenizerSweep, EveryCodePointIdenticalToRustTokenizers) {
  const std::string src = std::string(LATHE_FIXTURES_DIR) + "/../../tokenizers-oracle";  // tests/tokenizers-oracle
  std::string why;
  const std::string oracle = lathe::test::installed_npm_package(src, &why);  // npm ci once per process
  if (oracle.empty()) GTEST_SKIP() << why;
  const std::string name = GetParam().label ? GetParam().label : GetParam().name;
  TempDir tmp;
  std::string tok_file = data_dir() + "/" + GetParam().name + "/tokenizer.json";
  if (GetParam().normalizer) {
    nlohmann::json doc = nlohmann::json::parse(std::ifstream(tok_file));
    doc["normalizer"] = nlohmann::json::parse(GetParam().normalizer);
    tok_file = tmp.file("tokenizer.json");
    std::ofstream(tok_file) << doc.dump();
  }
  std::ofstream(oracle + "/sweep.mjs") << kOracle;

  auto start = std::chrono::steady_clock::now();
  std::vector<Text> texts = sweep_texts(GetParam().contexts);
  std::size_t bytes = 0;
  {
    std::ofstream out(tmp.file("texts.jsonl"), std::ios::binary);
    for (const auto& t : texts) {
      out << nlohmann::json(t.utf8).dump() << "\n";
      bytes += t.utf8.size();
    }
  }
  // The library's run and Lathe's encodings side by side.
  auto run = std::async(std::launch::async, [&] {
    return lathe::test::run_process({"/usr/bin/env", "node", oracle + "/sweep.mjs", tok_file, tmp.file("texts.jsonl")}, 300);
  });
  Tokenizer tok = Tokenizer::from_file(tok_file);
  std::vector<std::string> got(texts.size());
  auto lathe_start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < texts.size(); ++i) got[i] = encoding_hash(tok.encode(texts[i].utf8, false));
  double lathe_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - lathe_start).count();
  auto r = run.get();
  ASSERT_EQ(r.exit_code, 0) << r.err.substr(0, 2000);
  std::vector<std::string> want = split_lines(r.out);
  ASSERT_EQ(want.size(), texts.size());

  // The segments of every text that differs, one by one.
  std::vector<Segment> suspects;
  std::vector<std::size_t> bad_texts;
  for (std::size_t i = 0; i < texts.size(); ++i)
    if (got[i] != want[i]) {
      bad_texts.push_back(i);
      suspects.insert(suspects.end(), texts[i].segments.begin(), texts[i].segments.end());
    }
  std::map<char32_t, std::set<int>> differing;  // code point -> contexts
  std::size_t reported = 0;
  if (!suspects.empty()) {
    {
      std::ofstream out(tmp.file("suspects.jsonl"), std::ios::binary);
      for (const auto& s : suspects) out << nlohmann::json(segment(s.c, s.context)).dump() << "\n";
    }
    auto full = lathe::test::run_process(
        {"/usr/bin/env", "node", oracle + "/sweep.mjs", tok_file, tmp.file("suspects.jsonl"), "full"}, 300);
    ASSERT_EQ(full.exit_code, 0) << full.err.substr(0, 2000);
    std::vector<std::string> lines = split_lines(full.out);
    ASSERT_EQ(lines.size(), suspects.size());
    for (std::size_t k = 0; k < suspects.size(); ++k) {
      auto w = nlohmann::json::parse(lines[k]);
      auto g = encoding_json(tok.encode(segment(suspects[k].c, suspects[k].context), false));
      if (g == w) continue;
      differing[suspects[k].c].insert(suspects[k].context);
      if (++reported <= 40)
        ADD_FAILURE() << name << ": " << hex(suspects[k].c) << " in \"" << kContextNames[suspects[k].context]
                      << "\":\n  Lathe:   " << g.dump() << "\n  library: " << w.dump();
    }
  }
  std::string summary;
  for (const auto& [c, ctx] : differing) {
    summary += " " + hex(c) + "(";
    for (int k : ctx) summary += std::to_string(k);
    summary += ")";
  }
  EXPECT_TRUE(differing.empty()) << name << ": " << differing.size() << " code points differ (contexts "
                                 << "0 aCb, 1 C, 2 ' C x', 3 \u00E4C, 4 ' C1!'):" << summary;
  if (differing.empty() && !bad_texts.empty())
    ADD_FAILURE() << name << ": " << bad_texts.size() << " texts differ although each segment alone agrees, first text "
                  << bad_texts[0];
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s sweep: %zu texts, %.1f MB, %zu segments re-checked, %.1f s (Lathe %.1f s)\n", name.c_str(),
              texts.size(), bytes / 1e6, suspects.size(), seconds, lathe_seconds);
}

INSTANTIATE_TEST_SUITE_P(TokenizerOracle, TokenizerSweep,
                         ::testing::Values(Sweep{"bert-base-uncased", 0b1111}, Sweep{"gpt2", 0b10001},
                                           Sweep{"tiny-t5", 0b0101}, Sweep{"llama2-tiny-random", 0b0001},
                                           Sweep{"llama2-tiny-random", 0b0001, R"({"type": "StripAccents"})",
                                                 "strip_accents"}),
                         [](const auto& info) {
                           std::string n = info.param.label ? info.param.label : info.param.name;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });
