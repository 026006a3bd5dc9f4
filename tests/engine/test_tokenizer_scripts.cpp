// engine/text's UnicodeScripts pre-tokenizer against the Rust `tokenizers`
// library (Node bindings, tests/tokenizers-oracle/) on every code point from
// U+0020 to U+10FFFF (surrogates excluded).
//
// The pre-tokenizer's splits depend only on which characters are "Any" and
// on which characters share a script, so the texts below are built to make
// every such fact about every code point visible in the splits (S = Lathe's
// script of C, R_S = the first code point of S in Lathe's table):
//   - C with a script other than Latin: "a C R_S" — the library must cut
//     before C (C has a script, not Latin) and not before R_S (same script);
//   - C Latin: "α C a" — a cut before C, none before a;
//   - C Any, in runs: "a C1..Cn α C1..Cn" — no cut inside either run means
//     each Ci is Any (or both Latin and Greek);
//   - every pair of representatives "R_S R_T": a cut before R_T;
//   - the code points in order, 4096 to a text, and a few edge texts.
// The expected splits (as token offsets of a WordLevel model that maps every
// piece to one token) all come from the library.
#include "test_support.h"
#include "text/text_util.h"
#include "text/tokenizer.h"
#include "text/unicode_scripts.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

using lathe::Tokenizer;
using lathe::test::TempDir;
using lathe::text::kScriptAny;
using lathe::text::unicode_script;
using lathe::text::utf8_append;

namespace {

const char* const kOffsetsOracle = R"JS(import { readFileSync } from 'node:fs';
import tokenizers from 'tokenizers';
const [tokPath, textsPath] = process.argv.slice(2);
const tok = tokenizers.Tokenizer.fromFile(tokPath);
const texts = readFileSync(textsPath, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
const out = [];
for (const t of texts) {
  const enc = await tok.encode(t, null, { addSpecialTokens: false });
  out.push(JSON.stringify(enc.getOffsets().flat()));
}
process.stdout.write(out.join('\n') + '\n');
)JS";

const char* const kTokenizer = R"({"version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
  "normalizer": null, "pre_tokenizer": {"type": "UnicodeScripts"}, "post_processor": null, "decoder": null,
  "model": {"type": "WordLevel", "vocab": {"<unk>": 0}, "unk_token": "<unk>"}})";

bool is_code_point(char32_t c) { return c >= 0x20 && c < 0x110000 && (c < 0xD800 || c > 0xDFFF); }

std::string hex(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

// The probe texts described above, at most about `limit` characters each.
std::vector<std::u32string> probe_texts() {
  constexpr std::size_t limit = 4096;
  std::map<std::uint8_t, char32_t> rep;  // Lathe's script -> its first code point
  for (char32_t c = 0x20; c < 0x110000; ++c)
    if (is_code_point(c) && unicode_script(c) != kScriptAny) rep.emplace(unicode_script(c), c);
  const std::uint8_t latin = unicode_script(U'a');
  std::vector<std::u32string> texts;
  std::u32string t, any_run;
  auto flush = [&](bool force) {
    if (!any_run.empty() && (force || any_run.size() == 32)) {
      t += U'a' + any_run + U'α' + any_run;
      any_run.clear();
    }
    if (!t.empty() && (force || t.size() >= limit)) {
      texts.push_back(t);
      t.clear();
    }
  };
  for (char32_t c = 0x20; c < 0x110000; ++c) {
    if (!is_code_point(c)) continue;
    std::uint8_t s = unicode_script(c);
    if (s == kScriptAny) any_run += c;
    else if (s == latin) t += std::u32string{U'α', c, U'a'};
    else t += std::u32string{U'a', c, rep.at(s)};
    flush(false);
  }
  flush(true);
  for (auto [s, r] : rep) {
    for (auto [s2, r2] : rep)
      if (s2 != s) t += std::u32string{r, r2};
    flush(false);
  }
  flush(true);
  std::u32string seq;
  for (char32_t c = 0x20; c < 0x110000; ++c) {
    if (!is_code_point(c)) continue;
    seq += c;
    if (seq.size() == limit) texts.push_back(std::move(seq)), seq.clear();
  }
  if (!seq.empty()) texts.push_back(seq);
  for (const char32_t* edge : {U"", U" ", U"   ", U"  ab", U" \u3042 a", U"a \u3000 b", U"\u30FC\u30FCa",
                               U"\u3042\u30A2\u4E00\u30FC", U"\U0001F600 x", U"x\u0301\u0301 \u05D0"})
    texts.push_back(edge);
  return texts;
}

// The characters around character `at` of `t`, with Lathe's script of each.
std::string context(const std::u32string& t, std::size_t at) {
  std::string out;
  for (std::size_t i = at >= 3 ? at - 3 : 0; i < t.size() && i < at + 3; ++i)
    out += (i == at ? "[" : "") + hex(t[i]) + "/" + std::to_string(unicode_script(t[i])) + (i == at ? "] " : " ");
  return out;
}

}  // namespace

TEST(TokenizerOracle, UnicodeScriptsEveryCodePoint) {
  const std::string src = std::string(LATHE_FIXTURES_DIR) + "/../../tokenizers-oracle";  // tests/tokenizers-oracle
  std::string why;
  const std::string oracle = lathe::test::installed_npm_package(src, &why);  // npm ci once per process
  if (oracle.empty()) GTEST_SKIP() << why;
  TempDir tmp;
  std::ofstream(oracle + "/scripts.mjs") << kOffsetsOracle;
  const std::string tok_file = tmp.file("tokenizer.json");
  std::ofstream(tok_file) << kTokenizer;

  auto start = std::chrono::steady_clock::now();
  std::vector<std::u32string> texts = probe_texts();
  std::vector<std::string> utf8(texts.size());
  std::size_t chars = 0;
  {
    std::ofstream out(tmp.file("texts.jsonl"), std::ios::binary);
    for (std::size_t i = 0; i < texts.size(); ++i) {
      for (char32_t c : texts[i]) utf8_append(utf8[i], c);
      out << nlohmann::json(utf8[i]).dump() << "\n";
      chars += texts[i].size();
    }
  }
  auto r = lathe::test::run_process({"/usr/bin/env", "node", oracle + "/scripts.mjs", tok_file, tmp.file("texts.jsonl")}, 120);
  ASSERT_EQ(r.exit_code, 0) << r.err.substr(0, 2000);

  Tokenizer tok = Tokenizer::from_file(tok_file);
  std::istringstream lines(r.out);
  std::size_t i = 0, mismatches = 0;
  for (std::string line; std::getline(lines, line) && i < texts.size(); ++i) {
    auto want = nlohmann::json::parse(line).get<std::vector<std::size_t>>();
    std::vector<std::size_t> got;
    for (const auto& o : tok.encode(utf8[i], false).offsets) got.push_back(o.first), got.push_back(o.second);
    if (got == want) continue;
    // Report each piece boundary only one side has, with the characters around it.
    std::set<std::size_t> a(got.begin(), got.end()), b(want.begin(), want.end()), diff;
    std::set_symmetric_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(diff, diff.end()));
    for (std::size_t at : diff)
      if (++mismatches <= 50)
        ADD_FAILURE() << "text " << i << ": " << (a.count(at) ? "only Lathe" : "only the library") << " cuts at char "
                      << at << ": " << context(texts[i], at);
    if (diff.empty() && ++mismatches <= 50) ADD_FAILURE() << "text " << i << ": the same cuts, other pieces";
  }
  EXPECT_EQ(i, texts.size());
  EXPECT_EQ(mismatches, 0u);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("UnicodeScripts sweep: %zu texts, %zu characters, %.1f s\n", texts.size(), chars, seconds);
}
