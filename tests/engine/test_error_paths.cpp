// Every lathe-cli error path this suite knows outside the hostile-file corpus
// (test_hostile runs that one through the same check): bad configs, bad token
// ids and inputs, unsupported dtypes, impossible surgery, missing files and
// usage errors. Each run must fail cleanly (cli_failure.h): the right exit
// code, exactly one "error:" line that names the cause, no trace text, no
// signal, no hang.
#include "cli_failure.h"
#include "hub/hub_client.h"
#include "local_hub.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using lathe::test::TempDir;
using nlohmann::json;

namespace {

const std::string kGpt2 = "cases/gpt2_lm_s0/model_safetensors";  // vocab 517, 128 positions, 4 heads
const std::string kBert = "cases/bert_mlm_s0/model_safetensors";  // type_vocab_size 2
const std::string kInputs = "cases/gpt2_lm_s0/expected/inputs.safetensors";

struct Path {
  std::string what;
  /// Builds files under the temp dir and returns the lathe-cli arguments.
  std::function<std::vector<std::string>(const TempDir&)> args;
  int exit_code;
  /// Words the error line must contain (the cause, in words).
  std::vector<std::string> cause;
};

/// A copy of a fixture folder whose config.json has `edit` applied.
std::string model_with_config(const TempDir& d, const std::string& fixture, const std::function<void(json&)>& edit,
                              const std::string& name = "model") {
  const std::string dir = d.file(name);
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(lathe::test::fixture(fixture)))
    if (e.path().filename() != "config.json") fs::copy_file(e.path(), dir + "/" + e.path().filename().string());
  json c = json::parse(lathe::test::read_bytes(lathe::test::fixture(fixture) + "/config.json"));
  edit(c);
  lathe::test::write_bytes(dir + "/config.json", c.dump(2));
  return dir;
}

/// The GPT-2 fixture with config.json replaced by `text` (not necessarily JSON).
std::string model_with_config_text(const TempDir& d, const std::string& text) {
  const std::string dir = model_with_config(d, kGpt2, [](json&) {});
  lathe::test::write_bytes(dir + "/config.json", text);
  return dir;
}

std::string inputs_json(const TempDir& d, const json& j) {
  lathe::test::write_bytes(d.file("in.json"), j.dump());
  return d.file("in.json");
}

using Args = std::vector<std::string>;
std::string fx(const std::string& rel) { return lathe::test::fixture(rel); }

/// Config edits that make the model impossible to build, each run through the
/// commands that read config.json.
std::vector<Path> bad_config_paths() {
  struct Edit {
    std::string what;
    std::function<void(json&)> edit;
    std::string cause;
    std::vector<std::string> commands;  // the commands that read config.json, as reported in issue #13
  };
  const std::vector<std::string> all{"inspect", "run", "quantize", "plan", "save"}, heavy{"inspect", "run", "quantize", "plan"},
      two{"inspect", "run"};
  const std::vector<Edit> edits{
      {"0 attention heads", [](json& c) { c["n_head"] = 0; }, "n_head", all},
      {"negative heads", [](json& c) { c["n_head"] = -4; }, "n_head", two},
      {"hidden size 0", [](json& c) { c["n_embd"] = 0; }, "n_embd", two},
      {"negative vocabulary", [](json& c) { c["vocab_size"] = -1; }, "vocab_size", two},
      {"1e9 layers (integer)", [](json& c) { c["n_layer"] = 1000000000; }, "n_layer", heavy},
      {"1e9 layers (a float, as Python writes 1e9)", [](json& c) { c["n_layer"] = 1e9; }, "n_layer", heavy},
      {"1e300 layers", [](json& c) { c["n_layer"] = 1e300; }, "n_layer", two},
      {"layers a string", [](json& c) { c["n_layer"] = "two"; }, "n_layer", two},
      {"hidden not divisible by heads", [](json& c) { c["n_embd"] = 30; }, "divisible", two},
      {"0 positions", [](json& c) { c["n_positions"] = 0; }, "n_positions", two},
  };
  std::vector<Path> out;
  for (const auto& e : edits)
    for (const std::string& cmd : e.commands) {
      out.push_back({"config: " + e.what + " / " + cmd,
                     [e, cmd](const TempDir& d) -> Args {
                       std::string m = model_with_config(d, kGpt2, e.edit);
                       if (cmd == "inspect") return {"inspect", m, "--json"};
                       if (cmd == "run") return {"run", m, "--inputs", fx(kInputs), "--inputs-prefix", "right_pad."};
                       if (cmd == "quantize") return {"quantize", m, "--bits", "8", "--out", d.file("q")};
                       if (cmd == "plan") return {"plan", m, "--device-map", "auto", "--max-memory", "cpu=1GiB"};
                       return {"save", m, "--out", d.file("saved")};
                     },
                     1, {e.cause}});
    }
  // Llama-family configs planned from config.json alone (the torch-free fast path).
  for (const auto& [what, cfg, cause] : std::vector<std::tuple<std::string, json, std::string>>{
           {"llama: 0 kv heads", {{"model_type", "llama"}, {"num_key_value_heads", 0}}, "num_key_value_heads"},
           {"llama: heads not a multiple of kv heads",
            {{"model_type", "llama"}, {"num_attention_heads", 32}, {"num_key_value_heads", 5}}, "num_key_value_heads"},
           {"llama: 1e9 layers", {{"model_type", "llama"}, {"num_hidden_layers", 1e9}}, "num_hidden_layers"},
       })
    out.push_back({what,
                   [cfg = cfg](const TempDir& d) -> Args {
                     fs::create_directories(d.file("cfg"));
                     lathe::test::write_bytes(d.file("cfg/config.json"), cfg.dump());
                     return {"plan", d.file("cfg"), "--device-map", "auto", "--max-memory", "cpu=1GiB"};
                   },
                   1, {cause}});
  const std::string deep = std::string(300000, '[') + std::string(300000, ']');
  for (const std::string cmd : {"run", "quantize", "inspect"})
    out.push_back({"config: 300k-deep JSON / " + cmd,
                   [deep, cmd](const TempDir& d) -> Args {
                     std::string m = model_with_config_text(d, "{\"a\": " + deep + "}");
                     if (cmd == "run") return {"run", m, "--inputs", fx(kInputs), "--inputs-prefix", "right_pad."};
                     if (cmd == "quantize") return {"quantize", m, "--bits", "4", "--out", d.file("q")};
                     return {"inspect", m};
                   },
                   1, {"nested"}});
  return out;
}

std::vector<Path> input_paths() {
  const std::string gpt2 = fx(kGpt2), bert = fx(kBert);
  auto run_with = [](const std::string& model, json in) {
    return [model, in](const TempDir& d) -> Args { return {"run", model, "--inputs", inputs_json(d, in)}; };
  };
  json long_ids = json::array({json::array()});
  for (int i = 0; i < 129; ++i) long_ids[0].push_back(i % 500);
  return {
      {"generate: id beyond the vocabulary", [gpt2](const TempDir&) -> Args {
         return {"generate", gpt2, "--prompt", "1 2 99999"}; }, 1, {"99999", "517"}},
      {"generate: negative id", [gpt2](const TempDir&) -> Args {
         return {"generate", gpt2, "--prompt", "1 -3"}; }, 1, {"-3", "vocabulary"}},
      {"generate: prompt + new tokens beyond 128 positions", [gpt2](const TempDir&) -> Args {
         return {"generate", gpt2, "--prompt", "1 2 3", "--max-new-tokens", "126"}; }, 1, {"128"}},
      {"generate: a model without an LM head", [bert](const TempDir&) -> Args {
         return {"generate", fx("cases/bert_base_s0/model_safetensors"), "--prompt", "1 2"}; }, 1, {"generate"}},
      {"run: id beyond the vocabulary", run_with(gpt2, {{"input_ids", {{1, 99999}}}}), 1, {"99999", "517"}},
      {"run: 129 tokens on 128 positions", run_with(gpt2, {{"input_ids", long_ids}}), 1, {"128"}},
      {"run: mask of the wrong shape", run_with(gpt2, {{"input_ids", {{1, 2, 3}}}, {"attention_mask", {{1, 1}}}}),
       1, {"attention_mask"}},
      {"run: token type beyond type_vocab_size", run_with(bert, {{"input_ids", {{1, 2}}}, {"token_type_ids", {{0, 5}}}}),
       1, {"type"}},
      {"run: ragged ids", run_with(gpt2, {{"input_ids", {{1, 2}, {3}}}}), 1, {}},
      {"run: ids not integers", run_with(gpt2, {{"input_ids", {{1.5, 2}}}}), 1, {}},
      {"run: empty ids", run_with(gpt2, {{"input_ids", json::array({json::array()})}}), 1, {}},
      {"run: inputs not JSON", [gpt2](const TempDir& d) -> Args {
         lathe::test::write_bytes(d.file("in.json"), "{\"input_ids\": [[1, 2");
         return {"run", gpt2, "--inputs", d.file("in.json")}; }, 1, {}},
      {"memory: id beyond the vocabulary", [gpt2](const TempDir& d) -> Args {
         return {"memory", gpt2, "--inputs", inputs_json(d, {{"input_ids", {{600}}}})}; }, 1, {"600"}},
  };
}

std::vector<Path> other_paths() {
  const std::string gpt2 = fx(kGpt2);
  auto fixed = [](Args a) { return [a](const TempDir&) { return a; }; };
  return {
      // dtypes
      {"run: float16 compute on the CPU", fixed({"run", gpt2, "--inputs", fx(kInputs), "--inputs-prefix", "right_pad.", "--dtype", "float16"}), 1, {"bfloat16"}},
      {"run: an integer dtype", fixed({"run", gpt2, "--inputs", fx(kInputs), "--dtype", "int64"}), 1, {}},
      {"run: no such dtype", fixed({"run", gpt2, "--inputs", fx(kInputs), "--dtype", "float13"}), 1, {"float13"}},
      {"convert: cast to int8", [gpt2](const TempDir& d) -> Args { return {"convert", gpt2, d.file("o"), "--dtype", "int8"}; }, 1, {"int8"}},
      // surgery
      {"prune: layer 9 of 2", [gpt2](const TempDir& d) -> Args { return {"prune", gpt2, "--heads", R"({"9":[0]})", "--out", d.file("o")}; }, 1, {"9"}},
      {"prune: head 7 of 4", [gpt2](const TempDir& d) -> Args { return {"prune", gpt2, "--heads", R"({"0":[7]})", "--out", d.file("o")}; }, 1, {"7"}},
      {"prune: heads not JSON", [gpt2](const TempDir& d) -> Args { return {"prune", gpt2, "--heads", "{0:[", "--out", d.file("o")}; }, 2, {}},
      {"resize: vocabulary 0", [gpt2](const TempDir& d) -> Args { return {"resize", gpt2, "--vocab", "0", "--out", d.file("o")}; }, 1, {}},
      {"resize: vocabulary -5", [gpt2](const TempDir& d) -> Args { return {"resize", gpt2, "--vocab", "-5", "--out", d.file("o")}; }, 1, {}},
      {"resize: vocabulary not a number", [gpt2](const TempDir& d) -> Args { return {"resize", gpt2, "--vocab", "many", "--out", d.file("o")}; }, 2, {}},
      {"quantize: 3 bits", [gpt2](const TempDir& d) -> Args { return {"quantize", gpt2, "--bits", "3", "--out", d.file("o")}; }, 2, {}},
      // missing files
      {"run: no such model", [](const TempDir& d) -> Args { return {"run", d.file("nothing"), "--inputs", fx(kInputs)}; }, 1, {"nothing"}},
      {"run: no such inputs file", [gpt2](const TempDir& d) -> Args { return {"run", gpt2, "--inputs", d.file("none.json")}; }, 1, {"none.json"}},
      {"generate: no such model", [](const TempDir& d) -> Args { return {"generate", d.file("nothing"), "--prompt", "1"}; }, 1, {"nothing"}},
      {"prune: no such model", [](const TempDir& d) -> Args { return {"prune", d.file("nothing"), "--heads", R"({"0":[0]})", "--out", d.file("o")}; }, 1, {"nothing"}},
      {"quantize: no such model", [](const TempDir& d) -> Args { return {"quantize", d.file("nothing"), "--bits", "8", "--out", d.file("o")}; }, 1, {"nothing"}},
      {"memory: no such model", [](const TempDir& d) -> Args { return {"memory", d.file("nothing"), "--inputs", fx(kInputs)}; }, 1, {"nothing"}},
      {"plan: no such tree", [](const TempDir& d) -> Args { return {"plan", "--tree", d.file("t.json"), "--device-map", "auto"}; }, 1, {"t.json"}},
      {"convert: no such source", [](const TempDir& d) -> Args { return {"convert", d.file("nothing"), d.file("o")}; }, 1, {"nothing"}},
      // usage
      {"usage: unknown command", fixed({"frobnicate"}), 2, {"frobnicate"}},
      {"usage: run without --inputs", fixed({"run", gpt2}), 2, {"--inputs"}},
      {"usage: generate --max-new-tokens -5", fixed({"generate", gpt2, "--prompt", "1", "--max-new-tokens", "-5"}), 2, {"max-new-tokens"}},
      {"usage: generate --max-new-tokens abc", fixed({"generate", gpt2, "--prompt", "1", "--max-new-tokens", "abc"}), 2, {}},
      {"usage: generate --top-p 2", fixed({"generate", gpt2, "--prompt", "1", "--top-p", "2"}), 2, {"top-p"}},
      {"usage: generate --temperature 0", fixed({"generate", gpt2, "--prompt", "1", "--sample", "--temperature", "0"}), 2, {"temperature"}},
      {"usage: generate --prompt with words", fixed({"generate", gpt2, "--prompt", "hello world"}), 2, {"--prompt"}},
      {"usage: unknown option", fixed({"inspect", gpt2, "--frobnicate"}), 2, {"--frobnicate"}},
      {"usage: plan without --device-map", fixed({"plan", gpt2}), 2, {"--device-map"}},
  };
}

std::string describe(const Path& p, const Args& args, const lathe::test::RunResult& r) {
  std::string s = p.what + "\n  lathe-cli";
  for (const auto& a : args) s += " " + (a.size() > 120 ? a.substr(0, 120) + "..." : a);
  return s + "\n  exit " + std::to_string(r.exit_code) + "\n  stderr: " + r.err.substr(0, 800) +
         "\n  stdout: " + r.out.substr(0, 200);
}

}  // namespace

TEST(CliErrorPaths, EveryPathIsOneCleanLine) {
  std::vector<Path> paths = bad_config_paths();
  for (auto& p : input_paths()) paths.push_back(std::move(p));
  for (auto& p : other_paths()) paths.push_back(std::move(p));

  struct Job {
    std::unique_ptr<TempDir> dir;
    Args args;
    lathe::test::RunResult r;
  };
  std::vector<Job> jobs(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    jobs[i].dir = std::make_unique<TempDir>();
    jobs[i].args = paths[i].args(*jobs[i].dir);
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> workers;
  for (unsigned w = 0; w < 2; ++w)
    workers.emplace_back([&] {
      for (std::size_t i; (i = next++) < jobs.size();) jobs[i].r = lathe::test::run_cli(jobs[i].args, 60);
    });
  for (auto& w : workers) w.join();

  std::size_t clean = 0;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const auto& r = jobs[i].r;
    // Usage errors print the usage after their error line.
    std::string problems = lathe::test::cli_failure_problems(r, paths[i].exit_code, paths[i].exit_code != 2);
    std::string error_line = r.err.substr(r.err.rfind("error: ") == std::string::npos ? 0 : r.err.rfind("error: "));
    for (const auto& word : paths[i].cause)
      if (error_line.find(word) == std::string::npos) problems += "the error line does not name '" + word + "'; ";
    EXPECT_EQ(problems, "") << describe(paths[i], jobs[i].args, r);
    if (problems.empty()) ++clean;
  }
  std::printf("[ error paths ] %zu of %zu CLI error paths fail cleanly\n", clean, paths.size());
}

// The same config errors reached through a Hub repo id: inspect reads
// config.json and the headers over HTTP (our server on 127.0.0.1), plan reads
// config.json alone; both fail with one clean line, never SIGFPE.
TEST(CliErrorPaths, HubRepoWithAnImpossibleConfig) {
  TempDir d;
  lathe::test::LocalHub hub(d.file("server"));
  lathe::hub::HubClient alice(lathe::test::hub_config(hub.url(), "hf_alice", d.file("push-home")));
  const std::string model = model_with_config(d, kGpt2, [](json& c) { c["n_head"] = 0; });
  alice.push(model, "alice/zero-heads", lathe::hub::PushOptions{});
  const std::vector<std::string> env{"HF_ENDPOINT=" + hub.url(), "HF_HOME=" + d.file("home"), "HF_TOKEN=hf_alice"};
  for (const Args& args : std::vector<Args>{{"inspect", "alice/zero-heads", "--json"},
                                            {"plan", "alice/zero-heads", "--device-map", "auto", "--max-memory", "cpu=1GiB"}}) {
    Args argv{LATHE_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = lathe::test::run_process(argv, 60, env);
    EXPECT_EQ(lathe::test::cli_failure_problems(r, 1), "") << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find("n_head"), std::string::npos) << r.err;
  }
}
