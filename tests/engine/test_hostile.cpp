// A hostile corpus through lathe-cli: every corrupt, lying or malicious input
// must end in exit code 1 with an "error: " line on stderr: never a signal,
// a hang, stray output on stdout, a written weight file, or executed code.
// Inputs are built here from the HF reference fixtures (hostile_inputs.h);
// one test per category.
#include "cli_failure.h"
#include "hostile_inputs.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

namespace fs = std::filesystem;
using lathe::test::TempDir;
using namespace lathe::test::hostile;

namespace {

/// One CLI run of one case: prepared on the main thread, run on a worker.
struct Job {
  std::string what;
  std::vector<std::string> args;
  bool convert;
  lathe::test::RunResult r;
};

/// Exit 1, no signal, no hang, nothing on stdout, exactly one "error: " line
/// and no trace text (cli_failure.h): the first line (inspect) or the last
/// (convert may print progress lines first when stderr is not a terminal).
void expect_clean_failure(const Job& j) {
  std::string ctx = j.what + "\n  lathe-cli";
  for (const auto& a : j.args) ctx += " " + a;
  ctx += "\n  stderr: " + j.r.err.substr(0, 600) + "\n  stdout: " + j.r.out.substr(0, 300);
  EXPECT_EQ(lathe::test::cli_failure_problems(j.r, 1, j.convert), "") << ctx;
}

/// Runs `inspect MODEL --json` (and `convert MODEL OUT` for loading cases) on
/// every case, a few at a time (each lathe-cli start links ~300 libraries),
/// then checks the runs, that convert wrote no weights and that no payload ran.
void run_cases(const std::vector<Case>& cases, bool also_convert = true) {
  std::vector<std::unique_ptr<TempDir>> dirs;
  std::vector<Job> jobs;
  for (const auto& c : cases) {
    dirs.push_back(std::make_unique<TempDir>());
    const std::string model = c.make(*dirs.back());
    jobs.push_back({c.what, {"inspect", model, "--json"}, false, {}});
    if (also_convert) jobs.push_back({c.what, {"convert", model, dirs.back()->file("converted")}, true, {}});
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> workers;
  for (unsigned w = 0; w < std::max(2u, std::thread::hardware_concurrency()); ++w)
    workers.emplace_back([&] {
      for (std::size_t i; (i = next++) < jobs.size();) jobs[i].r = lathe::test::run_cli(jobs[i].args, 30);
    });
  for (auto& w : workers) w.join();
  for (const auto& j : jobs) {
    expect_clean_failure(j);
    if (j.convert && fs::is_directory(j.args[2]))
      for (const auto& e : fs::directory_iterator(j.args[2])) {
        const std::string ext = e.path().extension().string();
        EXPECT_TRUE(ext != ".safetensors" && ext != ".bin") << "convert wrote " << e.path() << ": " << j.what;
      }
  }
  for (std::size_t i = 0; i < cases.size(); ++i)
    EXPECT_FALSE(fs::exists(dirs[i]->file("pwned"))) << "a pickle payload ran: " << cases[i].what;
}

}  // namespace

TEST(Hostile, TruncatedSafetensors) {
  const std::string full = fixture_bytes(kSt);
  const std::uint64_t n = rd_le(full, 0, 8), size = full.size();
  std::vector<Case> cases;
  for (std::uint64_t cut : {std::uint64_t{0}, std::uint64_t{3}, std::uint64_t{8}, std::uint64_t{9}, 8 + n / 2,
                            8 + n - 1, 8 + n, 8 + n + 1, (8 + n + size) / 2, size - 1})
    cases.push_back(file_case("cut at byte " + std::to_string(cut) + " of " + std::to_string(size),
                              "model.safetensors", full.substr(0, cut)));
  run_cases(cases);
}

TEST(Hostile, LyingSafetensorsHeaderLength) {
  const std::string full = fixture_bytes(kSt);
  const std::uint64_t size = full.size();
  std::vector<Case> cases{file_case("header length 0, nothing else", "model.safetensors", u64le(0))};
  for (std::uint64_t len : {std::uint64_t{0}, std::uint64_t{1}, size, 2 * size, std::uint64_t{100000001},
                            std::uint64_t{200000000}, std::uint64_t{1} << 40, ~std::uint64_t{0}})
    cases.push_back(
        file_case("header length " + std::to_string(len), "model.safetensors", u64le(len) + full.substr(8)));
  run_cases(cases);
}

TEST(Hostile, BadSafetensorsOffsetsDtypesShapes) {
  auto t = [](const std::string& dtype, const std::string& shape, std::uint64_t b, std::uint64_t e,
              const std::string& name = "a") {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" +
           std::to_string(b) + "," + std::to_string(e) + "]}";
  };
  std::vector<std::tuple<std::string, std::string, std::size_t>> headers{  // what, header, data bytes
      {"overlapping offsets", "{" + t("F32", "[4]", 0, 16) + "," + t("F32", "[4]", 8, 24, "b") + "}", 24},
      {"same region twice", "{" + t("F32", "[4]", 0, 16) + "," + t("F32", "[4]", 0, 16, "b") + "}", 16},
      {"gap between tensors", "{" + t("F32", "[2]", 0, 8) + "," + t("F32", "[2]", 16, 24, "b") + "}", 24},
      {"gap at the start", "{" + t("F32", "[2]", 8, 16) + "}", 16},
      {"end before begin", "{" + t("F32", "[0]", 8, 0) + "}", 8},
      {"offsets past the end of file", "{" + t("F32", "[1024]", 0, 4096) + "}", 16},
      {"trailing bytes after the data", "{" + t("F32", "[2]", 0, 8) + "}", 64},
      {"size disagrees with shape", "{" + t("F32", "[3]", 0, 8) + "}", 8},
      {"unknown dtype", "{" + t("F31", "[2]", 0, 8) + "}", 8},
      {"empty dtype", "{" + t("", "[2]", 0, 8) + "}", 8},
      {"overflowing shape (2^64 elements)", "{" + t("F32", "[4294967296,4294967296]", 0, 0) + "}", 0},
      {"overflowing byte size", "{" + t("F64", "[4611686018427387904]", 0, 0) + "}", 0},
      {"int64-max dimension", "{" + t("U8", "[9223372036854775807,2]", 0, 0) + "}", 0},
      {"negative dimension", "{" + t("F32", "[-2]", 0, 8) + "}", 8},
      {"fractional dimension", "{" + t("F32", "[2.5]", 0, 8) + "}", 8},
      {"shape is not a list", "{" + t("F32", "\"2\"", 0, 8) + "}", 8},
      {"three data offsets", R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8,8]}})", 8},
      {"entry without dtype", R"({"a":{"shape":[2],"data_offsets":[0,8]}})", 8},
      {"entry not an object", R"({"a":[1,2]})", 8},
  };
  std::vector<Case> cases;
  for (const auto& [what, header, data] : headers)
    cases.push_back(file_case(what, "a.safetensors", st_file(header, data)));
  run_cases(cases);
}

TEST(Hostile, SafetensorsHeaderNotAJsonObject) {
  const std::string entry = R"("a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]})";
  std::vector<Case> cases;
  for (const auto& [what, header] : Named{
           {"binary garbage", std::string("\x00\xff\x13\x37garbage\x00", 12)},
           {"truncated JSON", R"({"a":{"dtype":"F32","sha)"},
           {"JSON list", "[1,2,3]"},
           {"JSON string", "\"model\""},
           {"JSON null", "null"},
           {"spaces only", "        "},
           {"invalid UTF-8 key", "{\"\xc3\x28\":{}}"},
           {"lone surrogate escape", R"({"\ud800":{}})"},
           {"duplicate names", "{" + entry + "," + entry + "}"},
           {"__metadata__ not an object", R"({"__metadata__":[1]})"},
           {"__metadata__ value not a string", R"({"__metadata__":{"format":7}})"},
           {"deeply nested", "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}"},
       })
    cases.push_back(file_case(what, "model.safetensors", st_file(header, 0)));
  run_cases(cases);
}

TEST(Hostile, MaliciousPickles) {
  // Bodies are rebuilt inside each case so the payload names that case's own `pwned`.
  auto pickle = [](bool stack, std::size_t i, const TempDir& d) {
    return std::string(stack ? "\x80\x04" : "\x80\x02") + payloads(stack, d.file("pwned"))[i].second + ".";
  };
  auto in_zip = [](const std::string& pkl, const TempDir& d) {
    return put(d, "pytorch_model.bin", zip_bytes(with_entry("/data.pkl", [&](std::string& s) { s = pkl; }), d));
  };
  // Each payload as data.pkl of a valid zip (inspect and convert), and as a
  // legacy file: the first pickle, or the state_dict after a valid preamble
  // (inspect only: on a legacy file both commands run the same unpickler).
  std::vector<Case> zipped, legacy;
  for (bool stack : {false, true}) {
    const Named names = payloads(stack, "");
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string what = names[i].first + (stack ? " via STACK_GLOBAL" : " via GLOBAL");
      zipped.push_back({what + " in data.pkl", [=](const TempDir& d) { return in_zip(pickle(stack, i, d), d); }});
      legacy.push_back({what + " as a legacy file",
                        [=](const TempDir& d) { return put(d, "model.bin", pickle(stack, i, d)); }});
      legacy.push_back({what + " as a legacy state_dict",
                        [=](const TempDir& d) { return put(d, "model.bin", legacy_prefix() + pickle(stack, i, d)); }});
    }
  }
  const Named opcodes = constructing_opcodes("");
  for (std::size_t i = 0; i < opcodes.size(); ++i)
    zipped.push_back({opcodes[i].first + " in data.pkl", [=](const TempDir& d) {
                        return in_zip("\x80\x02" + constructing_opcodes(d.file("pwned"))[i].second + ".", d);
                      }});
  run_cases(zipped);
  run_cases(legacy, /*also_convert=*/false);
}

TEST(Hostile, CorruptZipArchives) {
  const std::string full = fixture_bytes(kBin);
  std::vector<Case> cases;
  for (std::size_t cut : {std::size_t{4}, std::size_t{30}, full.size() / 2, full.size() - 22, full.size() - 1})
    cases.push_back(file_case("zip cut at byte " + std::to_string(cut), "pytorch_model.bin", full.substr(0, cut)));
  const std::uint32_t past_eof = 0x7ffffff0;
  cases.push_back(patched_zip("local header offset past EOF",
                              [=](std::string& z) { wr32(z, central_header(z, "/data/0") + 42, past_eof); }));
  cases.push_back(patched_zip("entry size past EOF", [=](std::string& z) {
    std::size_t c = central_header(z, "/data.pkl");
    wr32(z, c + 20, past_eof);
    wr32(z, c + 24, past_eof);
  }));
  cases.push_back(patched_zip("central directory offset past EOF",
                              [=](std::string& z) { wr32(z, eocd(z) + 16, past_eof); }));
  cases.push_back(patched_zip("entry count larger than the directory",
                              [](std::string& z) { wr32(z, eocd(z) + 8, 0xffffffffu); }));
  cases.push_back(patched_zip("two entries sharing one record", [](std::string& z) {
    auto first = static_cast<std::uint32_t>(rd_le(z, central_header(z, "/data/0") + 42, 4));
    wr32(z, central_header(z, "/data/1") + 42, first);
  }));
  cases.push_back(patched_zip("data.pkl claims deflate",
                              [](std::string& z) { z[central_header(z, "/data.pkl") + 10] = 8; }));
  cases.push_back(patched_zip("data.pkl CRC mismatch",
                              [](std::string& z) { wr32(z, central_header(z, "/data.pkl") + 16, 0x12345678); }));
  cases.push_back(zip_case("storage record shorter than its tensor",
                           [] { return with_entry("/data/0", [](std::string& s) { s.resize(s.size() / 2); }); }));
  cases.push_back(zip_case("data.pkl truncated",
                           [] { return with_entry("/data.pkl", [](std::string& s) { s.resize(s.size() / 2); }); }));
  cases.push_back(zip_case("storage record missing", [] { return without_entry("/data/0"); }));
  cases.push_back(zip_case("no data.pkl", [] { return without_entry("/data.pkl"); }));
  cases.push_back(zip_case("empty archive", [] { return Entries{}; }));
  run_cases(cases);
}

TEST(Hostile, ShardIndexes) {
  const std::string shard = fixture_bytes(kSt);
  auto index_case = [&](const std::string& what, const std::string& index_name, const std::string& index) {
    return Case{what + " (" + index_name + ")", [=](const TempDir& d) {
                  put(d, index_name, index);
                  put(d, "model-00001-of-00001.safetensors", shard);
                  return d.path();
                }};
  };
  auto map_to = [](const std::string& file) {
    return R"({"metadata":{"total_size":8},"weight_map":{"wte.weight":")" + file + "\"}}";
  };
  const std::string st = "model.safetensors.index.json", bin = "pytorch_model.bin.index.json";
  std::vector<Case> cases{
      index_case("shard '../../etc/passwd'", bin, map_to("../../etc/passwd")),
      index_case("shard '/etc/passwd'", bin, map_to("/etc/passwd")),
      index_case("missing shard", bin, map_to("pytorch_model-00002-of-00002.bin")),
      index_case("index not JSON", bin, "\x89PNG"),
      index_case("missing shard", st, map_to("model-00002-of-00002.safetensors")),
      index_case("index not JSON", st, R"({"weight_map": {oops)"),
      index_case("index is a list", st, "[]"),
      index_case("no weight_map", st, R"({"metadata":{}})"),
      index_case("weight_map values not strings", st, R"({"weight_map":{"a":7}})"),
      index_case("empty weight_map", st, R"({"weight_map":{}})"),
  };
  for (const std::string bad : {"../../etc/passwd", "/etc/passwd", "sub/../../x.safetensors", "..", "./", ""})
    cases.push_back(index_case("shard '" + bad + "'", st, map_to(bad)));
  run_cases(cases);
}

TEST(Hostile, FoldersWithoutUsableWeights) {
  const std::string config = fixture_bytes("cases/gpt2_lm_s0/model_safetensors/config.json");
  auto in_folder = [](const std::string& what, const std::string& name, const std::string& bytes) {
    return Case{what, [=](const TempDir& d) { return put(d, name, bytes), d.path(); }};
  };
  std::vector<Case> cases{
      {"empty folder", [](const TempDir& d) { return d.path(); }},
      {"missing path", [](const TempDir& d) { return d.file("no/such/model"); }},
      in_folder("only config.json", "config.json", config),
      in_folder("only TensorFlow weights", "tf_model.h5", "HDF"),
      file_case("weights with an unknown extension", "model.txt", "x"),
      {"model.safetensors is a folder",
       [](const TempDir& d) { return fs::create_directories(d.file("m/model.safetensors")), d.file("m"); }},
      {"model.safetensors is a dangling symlink",
       [](const TempDir& d) { return fs::create_symlink(d.file("nowhere"), d.file("model.safetensors")), d.path(); }},
      {"model.safetensors is a FIFO (opening it must not block)",
       [](const TempDir& d) { return ::mkfifo(d.file("model.safetensors").c_str(), 0644), d.path(); }},
      {"pytorch_model.bin is a FIFO",
       [](const TempDir& d) { return ::mkfifo(d.file("pytorch_model.bin").c_str(), 0644), d.path(); }},
      in_folder("empty model.safetensors", "model.safetensors", ""),
      in_folder("empty pytorch_model.bin", "pytorch_model.bin", ""),
      in_folder("pytorch_model.bin neither zip nor pickle", "pytorch_model.bin", "not a checkpoint at all"),
  };
  run_cases(cases);
}

TEST(Hostile, ConfigJsonNotUsable) {
  const std::string weights = fixture_bytes(kSt);
  std::vector<Case> cases;
  for (const auto& [what, text] : Named{
           {"config.json not JSON", R"({"model_type": gpt2)"},
           {"config.json empty", ""},
           {"config.json binary", std::string("\x00\xff\xfe", 3)},
           {"config.json a list", R"(["gpt2"])"},
           {"model_type not a string", R"({"model_type": 7})"},
           {"config.json deeply nested", std::string(100000, '[') + std::string(100000, ']')},
       })
    cases.push_back({what, [text = text, weights](const TempDir& d) {
                       put(d, "model.safetensors", weights);
                       return put(d, "config.json", text), d.path();
                     }});
  cases.push_back({"config.json is a FIFO", [weights](const TempDir& d) {
                     put(d, "model.safetensors", weights);
                     return ::mkfifo(d.file("config.json").c_str(), 0644), d.path();
                   }});
  run_cases(cases, /*also_convert=*/false);  // convert copies config files without needing them
}
