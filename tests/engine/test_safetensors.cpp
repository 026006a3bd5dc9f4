// safetensors: reading with full validation, zero-copy mapping, and a writer
// byte-identical to the reference (checked against files Python wrote).
#include "core/error.h"
#include "core/file_util.h"
#include "io/safetensors.h"
#include "io/safetensors_io.h"
#include "manifest.h"
#include "test_support.h"

#include <ATen/core/Tensor.h>
#include <ATen/ops/allclose.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/equal.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace lathe;

namespace {

std::string le64(std::uint64_t n) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>(n >> (8 * i));
  return s;
}

std::string file_with_header(const std::string& header, std::size_t data_bytes) {
  return le64(header.size()) + header + std::string(data_bytes, '\x01');
}

ErrorCode code_of_reading(const std::string& bytes) {
  test::TempDir dir;
  std::string p = dir.file("x.safetensors");
  test::write_bytes(p, bytes);
  try {
    load_safetensors(p);
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::Internal;  // "no error" sentinel for the assertions below
}

}  // namespace

TEST(Safetensors, FixtureHeadersMatchManifest) {
  int checked = 0;
  for (const auto& f : test::manifest_weight_files()) {
    if (f.format != "safetensors") continue;
    const auto& ref = (*f.entry)["safetensors"];
    SafetensorsHeader h = read_safetensors_header(f.dir + "/" + f.name);
    EXPECT_EQ(h.header_len, ref["header_len"].get<std::uint64_t>()) << f.dir;
    EXPECT_EQ(h.metadata.at("format"), ref["metadata"]["format"].get<std::string>());
    const auto& tensors = ref["tensors_in_file_order"];
    ASSERT_EQ(h.tensors.size(), tensors.size()) << f.dir;
    for (std::size_t i = 0; i < h.tensors.size(); ++i) {
      const auto& r = tensors[i];
      EXPECT_EQ(h.tensors[i].name, r["name"].get<std::string>());
      EXPECT_STREQ(dtype_code(h.tensors[i].dtype), r["dtype"].get<std::string>().c_str());
      EXPECT_EQ(h.tensors[i].shape, r["shape"].get<std::vector<std::int64_t>>());
      EXPECT_EQ(h.tensors[i].data_begin, r["data_offsets"][0].get<std::uint64_t>());
      EXPECT_EQ(h.tensors[i].data_end, r["data_offsets"][1].get<std::uint64_t>());
    }
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

TEST(Safetensors, EveryFixtureFileRoundTripsByteForByte) {
  // Files written by transformers' save_pretrained and by safetensors'
  // save_file (expected/*.safetensors, no metadata): read them, write them
  // again, and the bytes must hash the same.
  test::TempDir dir;
  int n = 0;
  for (const auto& [path, sha] : test::all_fixture_safetensors()) {
    SafetensorsHeader h;
    StateDict sd = load_safetensors(path, {}, &h);
    std::string out = dir.file("rt_" + std::to_string(n++) + ".safetensors");
    save_safetensors(sd, out, h.metadata);
    EXPECT_EQ(test::sha256_of(out), sha) << path;
  }
  EXPECT_GE(n, 20);
}

TEST(Safetensors, ZeroCopyMappingLivesAsLongAsTensors) {
  std::string path = std::filesystem::canonical(
      test::fixture("cases/gpt2_lm_s0/model_safetensors/model.safetensors"));
  auto maps_file = [&] {
    std::ifstream f("/proc/self/maps");  // procfs reports size 0: stream it
    std::string maps((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    return maps.find(path) != std::string::npos;
  };
  at::Tensor keep;
  {
    StateDict sd = load_safetensors(path);
    EXPECT_TRUE(maps_file());
    keep = sd.find("transformer.wte.weight")->view({-1});
  }
  EXPECT_TRUE(maps_file()) << "a view must keep the mapping alive";
  // In-place edits are copy-on-write: the file does not change.
  std::string before = test::sha256_of(path);
  keep.zero_();
  EXPECT_EQ(test::sha256_of(path), before);
  keep = at::Tensor();
  EXPECT_FALSE(maps_file()) << "mapping must be released with the last tensor";
}

TEST(Safetensors, AllTorchDtypesRoundTrip) {
  test::TempDir dir;
  StateDict sd;
  for (auto st : {c10::kFloat, c10::kHalf, c10::kBFloat16, c10::kDouble, c10::kLong, c10::kInt,
                  c10::kShort, c10::kChar, c10::kByte, c10::kBool}) {
    at::Tensor t = at::arange(12, at::TensorOptions().dtype(c10::kFloat)).reshape({3, 4});
    sd.insert(std::string("t_") + c10::toString(st), t.to(st));
  }
  sd.insert("scalar", at::arange(1, at::TensorOptions().dtype(c10::kFloat)).reshape({}));
  sd.insert("empty", at::arange(0, at::TensorOptions().dtype(c10::kFloat)).reshape({0, 5}));
  sd.insert("noncontig", at::arange(12, at::TensorOptions().dtype(c10::kFloat)).reshape({3, 4}).t());
  std::string p = dir.file("all.safetensors");
  save_safetensors(sd, p);
  StateDict back = load_safetensors(p);
  ASSERT_EQ(back.size(), sd.size());
  for (const auto& [name, t] : sd.items()) {
    const at::Tensor* b = back.find(name);
    ASSERT_NE(b, nullptr) << name;
    EXPECT_EQ(b->scalar_type(), t.scalar_type()) << name;
    EXPECT_TRUE(at::equal(*b, t)) << name;
  }
  // Written order: dtype descending in safetensors' enum order, then name.
  SafetensorsHeader h = read_safetensors_header(p);
  std::vector<std::string> order;
  for (const auto& t : h.tensors) order.push_back(dtype_code(t.dtype));
  std::vector<std::string> expected{"I64", "F64", "F32", "F32", "F32", "F32", "I32", "BF16", "F16",
                                    "I16", "I8", "U8", "BOOL"};
  EXPECT_EQ(order, expected);
}

TEST(Safetensors, Float8AndUnsignedKeptBitExact) {
  // LibTorch 1.13 has no F8/U16 types: they load as raw bytes with a tag and
  // are written back unchanged.
  std::string header =
      R"({"b":{"dtype":"U16","shape":[2],"data_offsets":[0,4]},"a":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[4,8]}})";
  header.append((8 - header.size() % 8) % 8, ' ');
  // Canonical order (U16 sorts before F8_E4M3), so a rewrite reproduces it.
  std::string bytes = le64(header.size()) + header + std::string("\x01\x00\xff\xff\x38\x40\xb8\x00", 8);
  test::TempDir dir;
  std::string p = dir.file("f8.safetensors");
  test::write_bytes(p, bytes);
  StateDict sd = load_safetensors(p);
  ASSERT_NE(sd.file_dtype("a"), nullptr);
  EXPECT_EQ(*sd.file_dtype("a"), DType::F8_E4M3);
  EXPECT_EQ(*sd.file_dtype("b"), DType::U16);
  std::string out = dir.file("f8_out.safetensors");
  save_safetensors(sd, out, {});
  EXPECT_EQ(test::read_bytes(out), bytes);
}

TEST(Safetensors, SharedMemoryRefused) {
  StateDict sd;
  at::Tensor w = at::arange(6, at::TensorOptions().dtype(c10::kFloat));
  sd.insert("a", w);
  sd.insert("b", w);
  test::TempDir dir;
  try {
    save_safetensors(sd, dir.file("x.safetensors"));
    FAIL() << "aliasing accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
  }
  EXPECT_FALSE(path_exists(dir.file("x.safetensors")));
}

TEST(SafetensorsValidation, EveryMalformedHeaderIsCorruptFile) {
  struct Case { const char* what; std::string bytes; };
  const std::string ok_entry = R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
  std::vector<Case> cases = {
      {"shorter than 8 bytes", std::string("\x05\x00\x00", 3)},
      {"length past EOF", le64(1000) + "{}"},
      {"length over 100MB", le64(200000000) + std::string(16, ' ')},
      {"not JSON", file_with_header("{not json", 0)},
      {"JSON array", file_with_header("[1,2]   ", 0)},
      {"invalid UTF-8", file_with_header(std::string("{\"\xff\xfe\":1}"), 0)},
      {"unknown dtype", file_with_header(R"({"a":{"dtype":"F7","shape":[2],"data_offsets":[0,8]}})", 8)},
      {"negative dim", file_with_header(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8)},
      {"float dim", file_with_header(R"({"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}})", 8)},
      {"overflowing shape",
       file_with_header(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,8]}})", 8)},
      {"size mismatch", file_with_header(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8)},
      {"gap", file_with_header(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12)},
      {"overlap", file_with_header("{" + ok_entry + R"(,"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12)},
      {"end before begin", file_with_header(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", 8)},
      {"data shorter than offsets", file_with_header("{" + ok_entry + "}", 4)},
      {"trailing data", file_with_header("{" + ok_entry + "}", 12)},
      {"duplicate name", file_with_header("{" + ok_entry + "," + ok_entry + "}", 8)},
      {"missing field", file_with_header(R"({"a":{"dtype":"F32","shape":[2]}})", 8)},
      {"metadata not strings", file_with_header(R"({"__metadata__":{"x":1}})", 0)},
      {"offsets not a pair", file_with_header(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}})", 8)},
      {"leading space", file_with_header(" {}", 0)},
  };
  for (const auto& c : cases) EXPECT_EQ(code_of_reading(c.bytes), ErrorCode::CorruptFile) << c.what;
  // And a minimal valid file passes (the test can fail).
  EXPECT_EQ(code_of_reading(file_with_header("{" + ok_entry + "}", 8)), ErrorCode::Internal);
}
