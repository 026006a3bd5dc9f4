// lathe-cli quantize: from_pretrained, bitsandbytes quantisation, save_pretrained
// in the bitsandbytes layout (run/inspect/save read such folders back).
#include "cli_args.h"
#include "commands.h"
#include "output.h"

#include "core/error.h"
#include "core/size_string.h"
#include "hub/model_source.h"
#include "session/session.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace lathe::cli {
namespace {

constexpr const char* kUsage =
    "lathe-cli quantize MODEL --bits 8|4 [--quant-type nf4|fp4] [--double-quant] [--blocksize 64] "
    "[--compute-dtype float32|bfloat16] [--threshold 6.0] [--skip MOD,...] --out DIR";

std::int64_t parse_int(const std::string& flag, const std::string& v) {
  char* end = nullptr;
  long long x = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0') throw UsageError(flag + " needs an integer, got '" + v + "'");
  return x;
}

BnbConfig config_from(const Args& args) {
  BnbConfig c;
  auto bits = args.value("--bits");
  if (!bits) throw UsageError("--bits 8|4 is required");
  if (*bits == "8") c.load_in_8bit = true;
  else if (*bits == "4") c.load_in_4bit = true;
  else throw UsageError("--bits must be 8 or 4, got '" + *bits + "'");
  if (auto t = args.value("--quant-type")) {
    if (*t != "nf4" && *t != "fp4") throw UsageError("--quant-type must be nf4 or fp4");
    c.bnb_4bit_quant_type = *t;
  }
  c.bnb_4bit_use_double_quant = args.has("--double-quant");
  if (auto b = args.value("--blocksize")) c.blocksize = parse_int("--blocksize", *b);
  if (auto d = args.value("--compute-dtype")) c.bnb_4bit_compute_dtype = *d;
  if (auto t = args.value("--threshold")) {
    char* end = nullptr;
    c.llm_int8_threshold = std::strtod(t->c_str(), &end);
    if (t->empty() || *end != '\0') throw UsageError("--threshold needs a number");
  }
  if (auto s = args.value("--skip")) {
    std::vector<std::string> mods;
    std::stringstream ss(*s);
    for (std::string m; std::getline(ss, m, ',');)
      if (!m.empty()) mods.push_back(m);
    c.llm_int8_skip_modules = mods;
  }
  try {
    c.validate();
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  return c;
}

}  // namespace

int cmd_quantize(const Argv& argv) {
  Args args(argv, {"--bits", "--quant-type", "--blocksize", "--compute-dtype", "--threshold", "--skip", "--out", "--class"},
            {"--double-quant"});
  args.expect_positional(1, 1, kUsage);
  BnbConfig cfg = config_from(args);
  auto out = args.value("--out");
  if (!out) throw UsageError("--out DIR is required");
  StderrProgress progress;
  LoadOptions lo;
  lo.model_class = args.value("--class").value_or("");
  std::string path = hub::resolve_model(args.positional()[0], hub::ModelNeed::Weights, &progress, {});
  Session session;
  LoadReport load = session.load(path, lo, &progress);
  ModelSummary before = session.summary();
  session.quantize(cfg);
  ModelSummary after = session.summary();
  std::vector<QuantizedModuleInfo> mods = session.quantized_modules();
  SaveReport r = session.save(*out, SaveOptions{}, &progress);
  if (args.json()) {
    nlohmann::ordered_json j;
    j["out"] = *out;
    j["model_class"] = after.class_name;
    j["loading_info"] = loading_info_json(load);
    j["quantization_config"] = cfg.to_json();
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& m : mods)
      list.push_back({{"name", m.name}, {"type", m.type}, {"in_features", m.in}, {"out_features", m.out}, {"bytes", m.bytes}});
    j["quantized_modules"] = list;
    j["num_parameters"] = after.num_parameters;
    j["memory_footprint"] = {{"before", before.memory_footprint_with_buffers}, {"after", after.memory_footprint_with_buffers}};
    j["files"] = r.files;
    j["total_size"] = r.total_size;
    print_json(j);
  } else {
    std::printf("quantized %zu module(s) of %s to %s-bit%s; footprint %s -> %s; saved to %s\n", mods.size(),
                after.class_name.c_str(), cfg.load_in_8bit ? "8" : "4",
                cfg.load_in_4bit ? (" " + cfg.bnb_4bit_quant_type).c_str() : "",
                format_bytes(before.memory_footprint_with_buffers).c_str(),
                format_bytes(after.memory_footprint_with_buffers).c_str(), out->c_str());
  }
  return 0;
}

}  // namespace lathe::cli
