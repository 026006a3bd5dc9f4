// lathe-cli bench tokenize: encode throughput of engine/text vs the Rust
// `tokenizers` library (its official Node bindings, tests/tokenizers-oracle/
// bench.mjs) on the same ≥ 5 MB of mixed text, one text at a time and in
// batches on the same number of threads, for GPT-2, BERT and Llama-2.
// Never pass/fail: it prints ratios, and a token-count mismatch loudly.
#include "bench.h"
#include "bench_util.h"

#include "core/error.h"
#include "text/tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#ifndef LATHE_SOURCE_DIR
#define LATHE_SOURCE_DIR "."
#endif

namespace lathe::bench {
namespace {

namespace fs = std::filesystem;

const char* const kUsage =
    "lathe-cli bench tokenize [--threads 2] [--size-mb 5] [--runs 3] [--batch 256] [--src DIR] [--json]\n"
    "  encode throughput (MB/s, tokens/s) and peak memory of Lathe vs the Rust tokenizers library\n"
    "  (npm tokenizers through node, installed with npm ci into a temporary folder) on the same mixed\n"
    "  text, single texts and batches of --batch texts on --threads threads (RAYON_NUM_THREADS for\n"
    "  the library, LATHE_THREADS for Lathe); best of --runs, the two sides alternating.\n"
    "  --src: the repository (material for the text, tokenizer files, tests/tokenizers-oracle).";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Paragraphs (split at blank lines) of a file, each at most ~4 kB.
void paragraphs(const std::string& text, std::vector<std::string>& out) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find("\n\n", pos);
    if (end == std::string::npos) end = text.size();
    std::string p = text.substr(pos, end - pos);
    pos = end + 2;
    if (p.find_first_not_of(" \n\t") == std::string::npos) continue;
    for (std::size_t k = 0; k < p.size(); k += 4096) out.push_back(p.substr(k, 4096));
  }
}

struct Material {
  std::vector<std::string> prose, code, multilingual, numbers;
};

// The mixed text, deterministic given the repository: docs/*.md paragraphs
// (prose, markdown tables), engine/ sources (code with comments), the lines of
// tests/data/tokenizers/corpus.jsonl (multilingual, emoji, whitespace, special
// tokens; joined in groups of 6), and numbers from a fixed LCG (prices, dates,
// hex, long digit runs). Texts of about 0.2-4 kB, taken round-robin (prose,
// code, code, multilingual, numbers) until the total reaches `bytes`; each
// list starts over when it runs out.
Material load_material(const std::string& src) {
  Material m;
  std::vector<fs::path> docs, code;
  for (const auto& e : fs::directory_iterator(src + "/docs"))
    if (e.path().extension() == ".md") docs.push_back(e.path());
  for (const auto& e : fs::recursive_directory_iterator(src + "/engine"))
    if (e.is_regular_file() && (e.path().extension() == ".cpp" || e.path().extension() == ".h")) code.push_back(e.path());
  std::sort(docs.begin(), docs.end());
  std::sort(code.begin(), code.end());
  for (const auto& p : docs) paragraphs(read_file(p.string()), m.prose);
  for (const auto& p : code) paragraphs(read_file(p.string()), m.code);
  std::ifstream corpus(src + "/tests/data/tokenizers/corpus.jsonl");
  std::string line, group;
  int n = 0;
  while (std::getline(corpus, line)) {
    if (line.empty()) continue;
    group += nlohmann::json::parse(line).get<std::string>() + "\n";
    if (++n % 6 == 0) {
      m.multilingual.push_back(group);
      group.clear();
    }
  }
  if (!group.empty()) m.multilingual.push_back(group);
  std::uint64_t x = 0x2545F4914F6CDD1DULL;
  auto next = [&]() -> unsigned long long { return (x = x * 6364136223846793005ULL + 1442695040888963407ULL) >> 33; };
  for (int i = 0; i < 4000; ++i) {
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "Invoice %llu: %llu.%02llu EUR on %04llu-%02llu-%02llu, qty %llu x %llu,%03llu; "
                  "id 0x%08llx, ratio %llu.%06llu%%, phone +%llu %llu %llu; %llu%llu%llu\n",
                  next() % 100000, next() % 10000, next() % 100, 1990 + next() % 40, 1 + next() % 12,
                  1 + next() % 28, next() % 500, next() % 1000, next() % 1000, next(), next() % 100,
                  next() % 1000000, next() % 99, next() % 1000, next() % 10000000, next(), next(), next());
    if (i % 4 == 0) m.numbers.emplace_back();
    m.numbers.back() += buf;
  }
  if (m.prose.empty() || m.code.empty() || m.multilingual.empty())
    throw Error(ErrorCode::NotFound, "no docs/*.md, engine/ sources or corpus.jsonl", src);
  return m;
}

std::vector<std::string> mixed_text(const Material& m, std::size_t bytes) {
  std::vector<std::string> out;
  std::array<std::size_t, 4> at{};
  const std::array<const std::vector<std::string>*, 5> order = {&m.prose, &m.code, &m.code, &m.multilingual, &m.numbers};
  const std::array<std::size_t, 5> slot = {0, 1, 1, 2, 3};
  std::size_t total = 0;
  for (std::size_t k = 0; total < bytes; ++k) {
    const auto& list = *order[k % 5];
    std::size_t& i = at[slot[k % 5]];
    out.push_back(list[i++ % list.size()]);
    total += out.back().size();
  }
  return out;
}

// One side's best run.
struct Side {
  double seconds = 0;   // best (lowest) of the runs
  double overhead = 0;  // Rust: the bindings' cost in that run (empty strings)
  long tokens = -1;
  long growth_kb = 0;   // peak RSS growth over the runs (max)
  long peak_kb = 0;     // peak RSS of the process (max)
  void add(double s, long t, long growth, long peak, double o = 0) {
    if (seconds == 0 || s < seconds) {
      seconds = s;
      overhead = o;
    }
    tokens = t;
    growth_kb = std::max(growth_kb, growth);
    peak_kb = std::max(peak_kb, peak);
  }
};

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string run_capture(const std::string& cmd) {
  std::FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) throw Error(ErrorCode::Io, "popen failed", cmd);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  int rc = ::pclose(p);
  if (rc != 0) throw Error(ErrorCode::Io, "command failed: " + out.substr(0, 300), cmd);
  return out;
}

}  // namespace

int bench_tokenize(const std::vector<std::string>& argv) {
  return bench_main("tokenize", argv, {"--threads", "--size-mb", "--runs", "--batch", "--src"}, {"--json", "--help"},
                    kUsage, [&](const Args& args) {
    const int threads = args.positive_int("--threads", 2, 256);
    const int size_mb = args.positive_int("--size-mb", 5, 1024);
    const int runs = args.positive_int("--runs", 3, 100);
    const int batch = args.positive_int("--batch", 256, 1 << 20);
    const std::string src = args.value("--src").value_or(LATHE_SOURCE_DIR);
    const std::string oracle_src = src + "/tests/tokenizers-oracle";
    if (!fs::exists(oracle_src + "/bench.mjs"))
      throw UsageFailure("no tests/tokenizers-oracle/bench.mjs under " + src + " (use --src REPO)");
    if (std::system("command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1") != 0)
      throw Error(ErrorCode::NotFound, "node and npm are needed for the Rust side (npm tokenizers)", "bench tokenize");

    char tmpl[] = "/tmp/lathe-bench-tokenize-XXXXXX";
    if (!::mkdtemp(tmpl)) throw Error(ErrorCode::Io, "mkdtemp failed", tmpl);
    const std::string dir = tmpl;
    RemoveOnExit cleanup{dir};
    const std::string pkg = dir + "/oracle";
    fs::create_directories(pkg);
    for (const char* f : {"package.json", "package-lock.json", "bench.mjs"})
      fs::copy_file(oracle_src + "/" + f, pkg + "/" + f);
    run_capture("npm ci --no-audit --no-fund --prefix " + shell_quote(pkg) + " 2>&1");

    // The text, written once as JSON Lines for both sides.
    Material mat = load_material(src);
    std::vector<std::string> texts = mixed_text(mat, static_cast<std::size_t>(size_mb) * 1024 * 1024);
    std::size_t total_bytes = 0;
    {
      std::ofstream f(dir + "/texts.jsonl", std::ios::binary);
      for (const auto& t : texts) {
        f << nlohmann::json(t).dump() << '\n';
        total_bytes += t.size();
      }
    }
    // Batches are built here, before the measurement children fork (shared pages).
    std::vector<std::vector<std::string>> batches;
    for (std::size_t i = 0; i < texts.size(); i += static_cast<std::size_t>(batch))
      batches.emplace_back(texts.begin() + static_cast<std::ptrdiff_t>(i),
                           texts.begin() + static_cast<std::ptrdiff_t>(std::min(texts.size(), i + batch)));
    const std::size_t n_texts = texts.size();
    texts.clear();
    texts.shrink_to_fit();

    const std::vector<std::pair<std::string, std::string>> tokenizers = {
        {"gpt2", "gpt2"}, {"bert-base-uncased", "bert-base-uncased"}, {"llama2", "llama2-tiny-random"}};
    nlohmann::ordered_json j;
    j["text"] = {{"bytes", total_bytes},
                 {"texts", n_texts},
                 {"what", "docs/*.md paragraphs, engine/ sources, corpus.jsonl lines (x6), LCG numbers; round-robin"}};
    j["threads"] = threads;
    j["batch"] = batch;
    j["runs"] = runs;
    j["memory"] = "Lathe: VmHWM - VmRSS of a forked child (HWM reset) that loads the tokenizer and encodes; "
                  "Rust: VmHWM - VmRSS of the node process, RSS taken after reading the texts, before loading";
    CpuSample c0 = cpu_sample();
    struct Row {
      std::string tok, mode;
      Side lathe, rust;
    };
    std::vector<Row> rows;
    bool mismatch = false;
    for (const auto& [name, folder] : tokenizers) {
      const std::string tok_path = src + "/tests/data/tokenizers/" + folder + "/tokenizer.json";
      for (const char* mode : {"single", "batch"}) {
        Row row{name, mode, {}, {}};
        const bool batched = std::string(mode) == "batch";
        for (int r = 0; r < runs; ++r) {
          // Lathe, in a forked child: load (not timed), then the timed loop.
          ChildStats s = run_in_child(
              [&](ChildStats& st) {
                ::setenv("LATHE_THREADS", std::to_string(batched ? threads : 1).c_str(), 1);
                Tokenizer tok = Tokenizer::from_file(tok_path);
                long n = 0;
                double t0 = now_s();
                for (const auto& b : batches) {
                  if (batched) {
                    for (const auto& e : tok.encode_batch(b)) n += static_cast<long>(e.ids.size());
                  } else {
                    for (const auto& t : b) n += static_cast<long>(tok.encode(t).ids.size());
                  }
                }
                st.t[0] = now_s() - t0;
                st.checksum = static_cast<double>(n);
              },
              "lathe encode");
          row.lathe.add(s.t[0], static_cast<long>(s.checksum), s.hwm_kb - s.rss_start_kb, s.hwm_kb);
          // The library, in node.
          std::string out = run_capture("cd " + shell_quote(pkg) + " && RAYON_NUM_THREADS=" +
                                        std::to_string(batched ? threads : 1) + " node bench.mjs " +
                                        shell_quote(tok_path) + " " + shell_quote(dir + "/texts.jsonl") + " " + mode +
                                        " " + std::to_string(batch));
          auto o = nlohmann::json::parse(out);
          long hwm = o.at("hwm_kb").get<long>();
          row.rust.add(o.at("seconds").get<double>(), o.at("tokens").get<long>(), hwm - o.at("rss_before_kb").get<long>(),
                       hwm, o.at("overhead_seconds").get<double>());
        }
        if (row.lathe.tokens != row.rust.tokens) {
          mismatch = true;
          std::fprintf(stderr, "\n*** TOKEN COUNT MISMATCH: %s %s: Lathe %ld tokens, Rust library %ld ***\n\n",
                       name.c_str(), mode, row.lathe.tokens, row.rust.tokens);
        }
        rows.push_back(row);
      }
    }
    const double busy = others_cpu_share(c0, cpu_sample());
    auto mbs = [&](const Side& s) { return total_bytes / s.seconds / 1e6; };
    auto tps = [&](const Side& s) { return s.tokens / s.seconds; };
    for (const auto& r : rows) {
      auto side = [&](const Side& s) {
        return nlohmann::ordered_json{{"seconds", s.seconds}, {"mb_per_s", mbs(s)}, {"tokens_per_s", tps(s)},
                                      {"tokens", s.tokens}, {"peak_growth_kb", s.growth_kb},
                                      {"process_peak_kb", s.peak_kb}};
      };
      auto rust = side(r.rust);
      rust["bindings_overhead_seconds"] = r.rust.overhead;
      j["results"].push_back({{"tokenizer", r.tok}, {"mode", r.mode}, {"lathe", side(r.lathe)}, {"rust", rust},
                              {"speed_ratio", r.rust.seconds / r.lathe.seconds},
                              {"speed_ratio_without_bindings", (r.rust.seconds - r.rust.overhead) / r.lathe.seconds},
                              {"memory_ratio", static_cast<double>(r.lathe.growth_kb) / std::max(1L, r.rust.growth_kb)},
                              {"tokens_match", r.lathe.tokens == r.rust.tokens}});
    }
    j["token_counts_match"] = !mismatch;
    j["others_cpu_share"] = busy;
    if (args.json()) {
      std::puts(j.dump(2).c_str());
      return 0;
    }
    std::printf("bench tokenize: %.2f MB of mixed text (%s texts: docs/*.md, engine/ sources, corpus.jsonl lines,\n"
                "  generated numbers), batches of %d on %d threads, best of %d runs (sides alternating)\n",
                total_bytes / 1e6, std::to_string(n_texts).c_str(), batch, threads, runs);
    Table t({"tokenizer", "mode", "Lathe MB/s", "Rust MB/s", "Lathe Mtok/s", "Rust Mtok/s", "Lathe/Rust",
             "w/o bindings", "Lathe peak +MB", "Rust peak +MB (total)", "tokens"});
    for (const auto& r : rows)
      t.add({r.tok, r.mode, fmt(mbs(r.lathe), "%.2f"), fmt(mbs(r.rust), "%.2f"), fmt(tps(r.lathe) / 1e6, "%.3f"),
             fmt(tps(r.rust) / 1e6, "%.3f"), fmt(r.rust.seconds / r.lathe.seconds, "%.2fx"),
             fmt((r.rust.seconds - r.rust.overhead) / r.lathe.seconds, "%.2fx"),
             fmt(r.lathe.growth_kb / 1024.0, "%.1f"),
             fmt(r.rust.growth_kb / 1024.0, "%.1f") + " (" + fmt(r.rust.peak_kb / 1024.0, "%.0f") + ")",
             r.lathe.tokens == r.rust.tokens ? std::to_string(r.lathe.tokens) : "MISMATCH"});
    t.print();
    std::printf("  Rust = the library through its Node bindings (await per call); 'w/o bindings' subtracts what the\n"
                "  same calls cost on empty strings in that run (an estimate of the library alone)\n"
                "  peak memory: growth of VmHWM over VmRSS before the tokenizer is loaded (Lathe: a forked child\n"
                "  with its HWM reset; Rust: the node process, after reading the texts); max over runs\n");
    if (mismatch) std::printf("  *** TOKEN COUNTS DIFFER between Lathe and the Rust library (see above) ***\n");
    warn_if_busy(busy);
    return 0;
  });
}

}  // namespace lathe::bench
