// Resolving checkpoint folders, index validation, and the inspect/convert CLI.
#include "core/error.h"
#include "core/file_util.h"
#include "io/checkpoint.h"
#include "manifest.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>

using namespace lathe;
using lathe::test::code_of;
namespace fs = std::filesystem;

namespace {
const std::string kGpt2St = "cases/gpt2_lm_s0/model_safetensors";
const std::string kGpt2Bin = "cases/gpt2_lm_s0/model_bin";

}  // namespace

TEST(Resolve, FolderOrderAndFiles) {
  auto st = resolve_checkpoint(test::fixture(kGpt2St));
  EXPECT_EQ(st.format, WeightFormat::Safetensors);
  EXPECT_EQ(st.weight_files, std::vector<std::string>{"model.safetensors"});
  EXPECT_FALSE(st.config_file.empty());
  auto bin = resolve_checkpoint(test::fixture(kGpt2Bin));
  EXPECT_EQ(bin.format, WeightFormat::TorchBin);
  // Both present: safetensors first unless told otherwise.
  test::TempDir d;
  fs::copy(test::fixture(kGpt2St + "/model.safetensors"), d.file("model.safetensors"));
  fs::copy(test::fixture(kGpt2Bin + "/pytorch_model.bin"), d.file("pytorch_model.bin"));
  EXPECT_EQ(resolve_checkpoint(d.path()).format, WeightFormat::Safetensors);
  EXPECT_EQ(resolve_checkpoint(d.path(), {"", false, ""}).format, WeightFormat::TorchBin);
  EXPECT_EQ(code_of([&] { resolve_checkpoint(d.path(), {"fp16", std::nullopt, ""}); }), ErrorCode::NotFound);
  fs::copy(test::fixture(kGpt2St + "/model.safetensors"), d.file("model.fp16.safetensors"));
  EXPECT_EQ(resolve_checkpoint(d.path(), {"fp16", std::nullopt, ""}).weight_files[0], "model.fp16.safetensors");
  // A single file is its own checkpoint.
  EXPECT_EQ(resolve_checkpoint(d.file("pytorch_model.bin")).format, WeightFormat::TorchBin);
}

TEST(Resolve, IndexEscapingTheFolderIsRefused) {
  test::TempDir d;
  for (const char* bad : {"../../etc/passwd", "/etc/passwd", "sub/../../x.safetensors"}) {
    write_text_file_atomic(d.file("model.safetensors.index.json"),
                           std::string(R"({"metadata":{},"weight_map":{"a":")") + bad + "\"}}");
    EXPECT_EQ(code_of([&] { resolve_checkpoint(d.path()); }), ErrorCode::CorruptFile) << bad;
  }
  write_text_file_atomic(d.file("model.safetensors.index.json"), R"({"weight_map":{"a":"missing.safetensors"}})");
  EXPECT_EQ(code_of([&] { resolve_checkpoint(d.path()); }), ErrorCode::NotFound);
  write_text_file_atomic(d.file("model.safetensors.index.json"), "{not json");
  EXPECT_EQ(code_of([&] { resolve_checkpoint(d.path()); }), ErrorCode::CorruptFile);
}

TEST(Cli, InspectJsonListsTensorsInFileOrder) {
  auto r = test::run_cli({"inspect", test::fixture(kGpt2St), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["model_type"], "gpt2");
  EXPECT_EQ(j["architectures"][0], "GPT2LMHeadModel");
  const auto& ref = test::manifest()["cases"];
  const nlohmann::json* tensors = nullptr;
  for (const auto& c : ref)
    if (c["id"] == "gpt2_lm_s0")
      tensors = &c["checkpoints"][0]["files"]["model.safetensors"]["safetensors"]["tensors_in_file_order"];
  ASSERT_NE(tensors, nullptr);
  ASSERT_EQ(j["tensors"].size(), tensors->size());
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < tensors->size(); ++i) {
    EXPECT_EQ(j["tensors"][i]["name"], (*tensors)[i]["name"]);
    EXPECT_EQ(j["tensors"][i]["dtype"], (*tensors)[i]["dtype"]);
    EXPECT_EQ(j["tensors"][i]["shape"], (*tensors)[i]["shape"]);
    auto bytes = (*tensors)[i]["data_offsets"][1].get<std::uint64_t>() - (*tensors)[i]["data_offsets"][0].get<std::uint64_t>();
    EXPECT_EQ(j["tensors"][i]["bytes"], bytes);
    total += bytes;
  }
  EXPECT_EQ(j["total_bytes"], total);
}

TEST(Cli, InspectBinReportsTies) {
  auto r = test::run_cli({"inspect", test::fixture(kGpt2Bin), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["tied"].size(), 1u);
  std::vector<std::string> g = j["tied"][0];
  std::sort(g.begin(), g.end());
  EXPECT_EQ(g, (std::vector<std::string>{"lm_head.weight", "transformer.wte.weight"}));
}

TEST(Cli, ConvertShardsAndReportsJson) {
  test::TempDir out;
  auto r = test::run_cli({"convert", test::fixture(kGpt2Bin), out.path(), "--max-shard-size", "50kB", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["index"], "model.safetensors.index.json");
  EXPECT_GE(j["files"].size(), 3u);
  // bf16 cast halves every floating tensor.
  test::TempDir half;
  auto r2 = test::run_cli({"convert", test::fixture(kGpt2St), half.path(), "--dtype", "bfloat16", "--json"});
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  auto j2 = nlohmann::json::parse(r2.out);
  auto r3 = test::run_cli({"inspect", test::fixture(kGpt2St), "--json"});
  EXPECT_EQ(j2["total_bytes"].get<std::uint64_t>() * 2, nlohmann::json::parse(r3.out)["total_bytes"].get<std::uint64_t>());
}

TEST(Cli, ExitCodes) {
  auto missing = test::run_cli({"inspect", "/nonexistent/model"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err.rfind("error: ", 0), 0u) << missing.err;
  EXPECT_NE(missing.err.find("/nonexistent/model"), std::string::npos);
  EXPECT_EQ(test::run_cli({"inspect"}).exit_code, 2);
  EXPECT_EQ(test::run_cli({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(test::run_cli({"inspect", "x", "--bogus"}).exit_code, 2);
  EXPECT_EQ(test::run_cli({"convert", "a", "b", "--max-shard-size", "lots"}).exit_code, 1);
  EXPECT_EQ(test::run_cli({"--help"}).exit_code, 0);
}
