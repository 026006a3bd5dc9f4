// lathe-cli bench inspect: `lathe-cli inspect FILE` (--json and the table) of safetensors files
// with 10k, 100k and 1M one-element tensors (issue 13 item 6: goal <= 5 s at 1M, linear growth).
// Peers measured in the same run: the header parse alone (parse_safetensors_header, in process) and
// `inspect` of a one-tensor file (process start-up). A benchmark: never pass/fail.
#include "bench.h"
#include "bench_util.h"

#include "../support/many_tensors.h"

#include "core/error.h"
#include "core/file_util.h"
#include "io/safetensors.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>


namespace fs = std::filesystem;

namespace lathe::bench {

namespace {

constexpr const char* kUsage =
    "lathe-cli bench inspect [--sizes 10000,100000,1000000] [--runs R] [--dir D] [--json]\n"
    "  lathe-cli inspect of generated safetensors files with that many 1-element F32 tensors\n"
    "  (--json and table output), the header parse alone, per-tensor cost and growth; goal <= 5 s at 1M.\n";

struct Row {
  std::size_t tensors = 0;
  std::size_t header_bytes = 0;
  double json_s = 0, table_s = 0, parse_s = 0;
};

int run(const Args& args) {
  std::vector<std::size_t> sizes;
  std::stringstream ss(args.value("--sizes").value_or("10000,100000,1000000"));
  for (std::string tok; std::getline(ss, tok, ',');) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(tok.c_str(), &end, 10);
    if (tok.empty() || *end || v == 0 || v > 1300000) throw UsageFailure("--sizes takes counts from 1 to 1300000");
    sizes.push_back(static_cast<std::size_t>(v));
  }
  const int runs = args.positive_int("--runs", 3, 100);
  const std::string dir = args.value("--dir").value_or(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp");
  const std::string root = dir + "/lathe-bench-inspect-" + std::to_string(::getpid());
  RemoveOnExit cleanup{root};
  fs::create_directories(root);

  char self[4096];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  std::string bin = n > 0 ? std::string(self, static_cast<std::size_t>(n)) : std::string();
  const std::string cli = bin.substr(0, bin.find_last_of('/') + 1) + "lathe-cli";

  auto median_process = [&](const std::string& file, bool json) {
    std::vector<double> t;
    for (int i = 0; i < runs; ++i) {
      std::vector<std::string> a = {cli, "inspect", file};
      if (json) a.push_back("--json");
      t.push_back(process_s(a));
    }
    return median(t);
  };

  const CpuSample c0 = cpu_sample();
  const std::string one = root + "/one.safetensors";
  test::write_many_tensors_file(one, 1);
  const double startup_s = median_process(one, true);
  std::vector<Row> rows;
  for (std::size_t count : sizes) {
    Row r;
    r.tensors = count;
    const std::string file = root + "/" + std::to_string(count) + ".safetensors";
    r.header_bytes = test::write_many_tensors_file(file, count);
    std::vector<double> parse;
    for (int i = 0; i < runs; ++i) {
      const double t0 = now_s();
      const SafetensorsHeader h = read_safetensors_header(file);
      parse.push_back(now_s() - t0);
      if (h.tensors.size() != count) throw Error(ErrorCode::Internal, "wrong tensor count", file);
    }
    r.parse_s = median(parse);
    r.json_s = median_process(file, true);
    r.table_s = median_process(file, false);
    fs::remove(file);
    rows.push_back(r);
  }
  const double busy = others_cpu_share(c0, cpu_sample());

  auto growth = [&](std::size_t i, double Row::*f) {
    if (i == 0) return std::string("-");
    const double tensors = static_cast<double>(rows[i].tensors) / static_cast<double>(rows[i - 1].tensors);
    return fmt((rows[i].*f) / (rows[i - 1].*f), "%.1fx") + " for " + fmt(tensors, "%.0fx");
  };
  const Row* million = nullptr;
  for (const auto& r : rows)
    if (r.tensors == 1000000) million = &r;
  if (args.json()) {
    nlohmann::ordered_json j;
    j["runs"] = runs;
    j["startup_s"] = startup_s;
    auto& a = j["sizes"] = nlohmann::ordered_json::array();
    for (const auto& r : rows)
      a.push_back({{"tensors", r.tensors}, {"header_bytes", r.header_bytes}, {"inspect_json_s", r.json_s},
                   {"inspect_table_s", r.table_s}, {"header_parse_s", r.parse_s}});
    j["goal"] = {{"tensors", 1000000}, {"max_s", 5.0}};
    j["others_cpu_share"] = busy;
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf("bench inspect: lathe-cli inspect of safetensors files with N one-element F32 tensors (median of %d)\n"
              "  peer: inspect of a one-tensor file (start-up) %.3f s\n\n", runs, startup_s);
  Table t({"tensors", "header", "inspect --json", "growth", "inspect (table)", "growth", "header parse", "growth",
           "parse us/tensor"});
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    t.add({std::to_string(r.tensors), fmt(static_cast<double>(r.header_bytes) / 1e6, "%.1f MB"), fmt(r.json_s) + " s",
           growth(i, &Row::json_s), fmt(r.table_s) + " s", growth(i, &Row::table_s), fmt(r.parse_s) + " s",
           growth(i, &Row::parse_s), fmt(r.parse_s * 1e6 / static_cast<double>(r.tensors), "%.2f")});
  }
  t.print();
  if (million)
    std::printf("\n1M tensors: inspect --json %.3f s, table %.3f s (goal <= 5 s: %s)\n", million->json_s,
                million->table_s, verdict(std::max(million->json_s, million->table_s) <= 5.0));
  warn_if_busy(busy);
  return 0;
}

}  // namespace

int bench_inspect(const std::vector<std::string>& argv) { return bench_main("inspect", argv, {"--sizes", "--runs", "--dir"}, {}, kUsage, run); }

}  // namespace lathe::bench
