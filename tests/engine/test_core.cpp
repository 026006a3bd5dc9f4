// Core utilities: size strings, dtype table, sha256, Python-compatible JSON.
#include "core/dtype.h"
#include "core/error.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "core/sha256.h"
#include "core/size_string.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace lathe;

TEST(SizeString, DecimalBinaryAndBits) {
  // Values are the unit definitions in semantics.md A2 applied by hand.
  EXPECT_EQ(parse_size("5GB"), 5000000000ull);
  EXPECT_EQ(parse_size("5GiB"), 5ull << 30);
  EXPECT_EQ(parse_size("300kB"), 300000ull);
  EXPECT_EQ(parse_size("100KB"), 100000ull);
  EXPECT_EQ(parse_size("10MiB"), 10ull << 20);
  EXPECT_EQ(parse_size("1.5GB"), 1500000000ull);
  EXPECT_EQ(parse_size("8Gb"), 1000000000ull);  // lowercase b = bits: 8e9 / 8
  EXPECT_EQ(parse_size("123456"), 123456ull);
  EXPECT_EQ(parse_size(" 2 MB "), 2000000ull);
  for (const char* bad : {"", "GB", "5XB", "-5GB", "5 G B", "abc", "1e3GB"}) {
    try {
      parse_size(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
    }
  }
}

TEST(DType, TableMatchesSafetensors) {
  EXPECT_EQ(dtype_size(DType::BF16), 2u);
  EXPECT_EQ(dtype_size(DType::I64), 8u);
  EXPECT_STREQ(dtype_code(DType::F8_E4M3), "F8_E4M3");
  EXPECT_EQ(dtype_from_code("BF16"), DType::BF16);
  EXPECT_FALSE(dtype_from_code("F4").has_value());
  EXPECT_EQ(parse_dtype_name("torch.bfloat16"), DType::BF16);
  EXPECT_EQ(parse_dtype_name("fp16"), DType::F16);
  EXPECT_THROW(parse_dtype_name("float7"), Error);
}

TEST(Sha256, KnownVectors) {
  // FIPS 180-2 appendix B test vectors.
  Sha256 a;
  a.update("abc", 3);
  EXPECT_EQ(a.hex_digest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 b;
  std::string s = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  b.update(s.data(), s.size());
  EXPECT_EQ(b.hex_digest(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 c;
  EXPECT_EQ(c.hex_digest(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(PythonJson, FloatRepr) {
  // Python: repr(1e-12), repr(0.1), repr(1e-05), repr(500000.0), repr(1e16), repr(0.0001)
  EXPECT_EQ(python_float_repr(1e-12), "1e-12");
  EXPECT_EQ(python_float_repr(0.1), "0.1");
  EXPECT_EQ(python_float_repr(1e-05), "1e-05");
  EXPECT_EQ(python_float_repr(500000.0), "500000.0");
  EXPECT_EQ(python_float_repr(1e16), "1e+16");
  EXPECT_EQ(python_float_repr(0.0001), "0.0001");
  EXPECT_EQ(python_float_repr(0.02), "0.02");
  EXPECT_EQ(python_float_repr(-2.5), "-2.5");
}

TEST(PythonJson, ReferenceConfigsRoundTripByteForByte) {
  // transformers writes config.json as json.dumps(indent=2, sort_keys=True) + "\n".
  for (const char* rel : {"cases/bert_mlm_s0/model_safetensors/config.json",
                          "cases/gpt2_lm_s0/model_safetensors/config.json",
                          "cases/bert_mlm_s0_prune/model_safetensors_pruned_twice/config.json",
                          "cases/gpt2_lm_s0/model_safetensors/generation_config.json"}) {
    std::string path = test::fixture(rel);
    std::string text = read_text_file(path);
    auto j = parse_json(text, path, static_cast<int>(ErrorCode::ConfigInvalid));
    EXPECT_EQ(dump_python_json(j), text) << rel;
  }
}

TEST(SafePaths, RejectsEscapes) {
  EXPECT_TRUE(is_safe_relative_path("model-00001-of-00002.safetensors"));
  EXPECT_TRUE(is_safe_relative_path("sub/model.safetensors"));
  for (const char* bad : {"../x", "/etc/passwd", "a/../../b", "a\\b", "", "a//b", "./x"})
    EXPECT_FALSE(is_safe_relative_path(bad)) << bad;
}

TEST(AtomicFile, UncommittedLeavesTargetUntouched) {
  test::TempDir dir;
  std::string target = dir.file("out.txt");
  write_text_file_atomic(target, "old");
  {
    AtomicFile f(target);
    f.write("new contents");
    // destroyed without commit: as after an exception mid-save
  }
  EXPECT_EQ(read_text_file(target), "old");
  write_text_file_atomic(target, "new");
  EXPECT_EQ(read_text_file(target), "new");
  // no temp files left behind
  int n = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path())) (void)e, ++n;
  EXPECT_EQ(n, 1);
}
