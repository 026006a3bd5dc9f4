// inspect of a header with many tensors grows linearly (issue 13 item 6), and
// the streaming header parser behind it keeps the DOM parser's semantics.
//
// Growth is checked on CPU time (this thread's, or the reaped CLI child's), not
// wall time, best of a few runs, 10x the tensors within a 30x budget: a
// quadratic step gives ~100x, n log n ~12x, and a loaded machine barely moves
// CPU time. The equivalence test runs thousands of generated hostile headers
// through the new parser and through the previous DOM-based one (kept below as
// the oracle) and requires the same tensors, metadata and error text.
#include "many_tensors.h"
#include "test_support.h"

#include "core/error.h"
#include "io/safetensors.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include <algorithm>
#include <ctime>
#include <functional>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

namespace {

using lathe::SafetensorsHeader;
using lathe::TensorInfo;

// ---- The previous parser (nlohmann DOM with a key callback): the oracle. ----
namespace oracle {

[[noreturn]] void corrupt(const std::string& what) { throw std::runtime_error("invalid safetensors header: " + what); }

TensorInfo parse_entry(const std::string& name, const nlohmann::json& v, const std::string& file_name) {
  if (!v.is_object()) corrupt("entry '" + name + "' is not an object");
  auto dt = v.find("dtype"), sh = v.find("shape"), off = v.find("data_offsets");
  if (dt == v.end() || sh == v.end() || off == v.end()) corrupt("entry '" + name + "' lacks dtype, shape or data_offsets");
  if (!dt->is_string()) corrupt("dtype of '" + name + "' is not a string");
  auto dtype = lathe::dtype_from_code(dt->get_ref<const std::string&>());
  if (!dtype) corrupt("unknown dtype '" + dt->get<std::string>() + "' for '" + name + "'");
  TensorInfo t;
  t.name = name;
  t.dtype = *dtype;
  t.file = file_name;
  if (!sh->is_array()) corrupt("shape of '" + name + "' is not a list");
  std::uint64_t numel = 1;
  for (const auto& d : *sh) {
    if (!d.is_number_unsigned()) corrupt("shape of '" + name + "' has a non-integer or negative dimension");
    std::uint64_t dim = d.get<std::uint64_t>();
    if (dim > static_cast<std::uint64_t>(INT64_MAX) || __builtin_mul_overflow(numel, dim, &numel))
      corrupt("shape of '" + name + "' overflows");
    t.shape.push_back(static_cast<std::int64_t>(dim));
  }
  if (__builtin_mul_overflow(numel, lathe::dtype_size(t.dtype), &t.nbytes) || numel > static_cast<std::uint64_t>(INT64_MAX))
    corrupt("byte size of '" + name + "' overflows");
  if (!off->is_array() || off->size() != 2 || !(*off)[0].is_number_unsigned() || !(*off)[1].is_number_unsigned())
    corrupt("data_offsets of '" + name + "' are not two non-negative integers");
  t.data_begin = (*off)[0].get<std::uint64_t>();
  t.data_end = (*off)[1].get<std::uint64_t>();
  return t;
}

SafetensorsHeader parse(const std::string& text, std::uint64_t file_size, const std::string& file_name) {
  const std::size_t n = text.size();
  if (n > lathe::kSafetensorsMaxHeader) corrupt("header larger than 100 MB");
  if (n == 0 || text[0] != '{') corrupt("header is not a JSON object");
  std::unordered_set<std::string> seen;
  std::string dup;
  auto cb = [&](int depth, nlohmann::json::parse_event_t ev, nlohmann::json& parsed) {
    if (depth == 1 && ev == nlohmann::json::parse_event_t::key) {
      const auto& k = parsed.get_ref<const std::string&>();
      if (!seen.insert(k).second && dup.empty()) dup = k;
    }
    return true;
  };
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text.begin(), text.end(), cb);
  } catch (const nlohmann::json::exception& e) {
    corrupt(std::string("not valid UTF-8 JSON (") + e.what() + ")");
  }
  if (!root.is_object()) corrupt("header is not a JSON object");
  if (!dup.empty()) corrupt("tensor '" + dup + "' appears twice");
  SafetensorsHeader h;
  h.header_len = n;
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (it.key() == "__metadata__") {
      if (!it->is_object()) corrupt("__metadata__ is not an object");
      for (auto m = it->begin(); m != it->end(); ++m) {
        if (!m->is_string()) corrupt("__metadata__ value '" + m.key() + "' is not a string");
        h.metadata[m.key()] = m->get<std::string>();
      }
      continue;
    }
    h.tensors.push_back(parse_entry(it.key(), *it, file_name));
  }
  std::stable_sort(h.tensors.begin(), h.tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.data_begin != b.data_begin ? a.data_begin < b.data_begin : a.data_end < b.data_end;
  });
  std::uint64_t pos = 0;
  for (const auto& t : h.tensors) {
    if (t.data_begin != pos)
      corrupt("tensor '" + t.name + "' starts at " + std::to_string(t.data_begin) + ", expected " + std::to_string(pos) +
              (t.data_begin < pos ? " (overlap)" : " (gap)"));
    if (t.data_end < t.data_begin) corrupt("tensor '" + t.name + "' ends before it starts");
    if (t.data_end - t.data_begin != t.nbytes)
      corrupt("tensor '" + t.name + "' has " + std::to_string(t.data_end - t.data_begin) +
              " bytes but its dtype and shape need " + std::to_string(t.nbytes));
    pos = t.data_end;
  }
  std::uint64_t expected = 0;
  if (__builtin_add_overflow(pos, 8 + static_cast<std::uint64_t>(n), &expected) || expected != file_size)
    corrupt("data section is " + std::to_string(file_size - std::min<std::uint64_t>(file_size, 8 + n)) +
            " bytes but the tensors cover " + std::to_string(pos));
  return h;
}

}  // namespace oracle

// "ok:" + everything parsed, or "error:" + the message (without the context).
std::string outcome(const std::function<SafetensorsHeader()>& f) {
  try {
    SafetensorsHeader h = f();
    std::string s = "ok: len " + std::to_string(h.header_len) + "\n";
    for (const auto& [k, v] : h.metadata) s += "meta " + k + "=" + v + "\n";
    for (const auto& t : h.tensors) {
      s += t.name + " " + lathe::dtype_code(t.dtype) + " [";
      for (auto d : t.shape) s += std::to_string(d) + ",";
      s += "] " + std::to_string(t.nbytes) + " " + std::to_string(t.data_begin) + "-" + std::to_string(t.data_end) +
           " " + t.file + "\n";
    }
    return s;
  } catch (const lathe::Error& e) {
    EXPECT_EQ(e.code(), lathe::ErrorCode::CorruptFile);
    const std::string w = e.what();  // "<context>: invalid safetensors header: ..."
    return "error: " + w.substr(std::min(w.size(), w.find("invalid safetensors header: ")));
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what();
  }
}

// A random header from small pools of names and values that hit every check
// (and their orders): duplicates at each depth, wrong types, nesting, empty
// tensors at one offset, overflowing shapes, metadata, bad JSON.
std::string random_header(std::mt19937& rng, std::uint64_t* data_size) {
  auto pick = [&](std::initializer_list<const char*> v) { return std::string(v.begin()[rng() % v.size()]); };
  auto chance = [&](int pct) { return static_cast<int>(rng() % 100) < pct; };
  const int entries = static_cast<int>(rng() % 6);
  std::string s = "{";
  std::uint64_t pos = 0;
  for (int i = 0; i < entries; ++i) {
    if (i) s += ",";
    if (chance(12)) {
      s += "\"__metadata__\":" + (chance(80) ? "{\"" + pick({"a", "b", "format"}) + "\":" + pick({"\"pt\"", "\"x\"", "1", "null", "[\"s\"]"}) +
                                                   (chance(50) ? ",\"" + pick({"a", "b", "c"}) + "\":" + pick({"\"y\"", "2", "{}"}) : "") + "}"
                                             : pick({"1", "[]", "\"m\"", "null"}));
      continue;
    }
    s += "\"" + pick({"a", "b", "B", "c", "w.1", "w.10", "w.2", "_x", "\\u00e9"}) + "\":";
    if (chance(5)) {
      s += pick({"1", "[1]", "\"F32\"", "null", "[{\"dtype\":\"F32\"}]"});
      continue;
    }
    const std::string dtype = pick({"F32", "F32", "F16", "U8", "BOOL", "F64", "XX"});
    const std::uint64_t sz = dtype == "F64" ? 8 : dtype == "F16" ? 2 : dtype == "F32" ? 4 : 1;
    const std::uint64_t numel = pick({"0", "1", "2", "3"}) [0] - '0';
    std::string shape = numel == 1 ? pick({"[]", "[1]", "[1,1]"}) : "[" + std::to_string(numel) + "]";
    if (chance(10)) shape = pick({"[-1]", "[1.5]", "[\"2\"]", "[[1]]", "[2,-1]", "[9223372036854775808]",
                                  "[4294967296,4294967296,2]", "[4611686018427387904,4]", "[18446744073709551616]", "5", "null", "[0,9223372036854775808]"});
    std::uint64_t b = pos, e = pos + numel * sz;
    if (chance(10)) b += pick({"0", "1", "4"})[0] - '0';
    if (chance(10)) e = b + (rng() % 9);
    if (chance(3)) b = pos + 8, e = pos;
    std::string offs = "[" + std::to_string(b) + "," + std::to_string(e) + "]";
    if (chance(8)) offs = pick({"[0]", "[0,4,8]", "[-1,4]", "[0,\"4\"]", "[0.0,4]", "{}", "[[0],4]"});
    std::vector<std::string> fields = {"\"dtype\":" + (chance(6) ? pick({"5", "null", "[\"F32\"]", "{\"F32\":1}"}) : "\"" + dtype + "\""),
                                       "\"shape\":" + shape, "\"data_offsets\":" + offs};
    if (chance(6)) fields.erase(fields.begin() + rng() % 3);
    if (chance(8)) fields.push_back(pick({"\"dtype\":\"F16\"", "\"dtype\":7", "\"shape\":[2]", "\"shape\":\"x\"",
                                          "\"data_offsets\":[0,0]", "\"extra\":{\"shape\":[9]}", "\"x\":[[[]]]"}));
    std::shuffle(fields.begin(), fields.end(), rng);
    s += "{";
    for (std::size_t f = 0; f < fields.size(); ++f) s += (f ? "," : "") + fields[f];
    s += "}";
    pos = e;
  }
  s += "}";
  if (chance(5)) s.insert(rng() % (s.size() + 1), pick({"}", ",", "\"", "\xff", " ", "]", "1e999", "{"}));
  if (chance(3)) s += pick({" ", "x", "{}"});
  *data_size = chance(90) ? pos : pos + rng() % 5;
  return s;
}

TEST(InspectScaling, StreamingParserMatchesTheDomParserOnHostileHeaders) {
  std::mt19937 rng(13);
  int ok = 0, refused = 0;
  for (int i = 0; i < 20000; ++i) {
    std::uint64_t data_size = 0;
    const std::string text = random_header(rng, &data_size);
    const std::uint64_t file_size = 8 + text.size() + data_size;
    const std::string want = outcome([&] { return oracle::parse(text, file_size, "f.safetensors"); });
    const std::string got = outcome([&] {
      return lathe::parse_safetensors_header(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), file_size,
                                             "ctx", "f.safetensors");
    });
    ASSERT_EQ(got, want) << "header: " << text << "\ndata bytes: " << data_size;
    (want.rfind("ok:", 0) == 0 ? ok : refused)++;
  }
  // The pools must reach both sides often.
  EXPECT_GT(ok, 2000);
  EXPECT_GT(refused, 2000);
}

TEST(InspectScaling, ManyTensorsHeaderIsValidAndInFileOrder) {
  const std::string text = lathe::test::many_tensors_header(1000);
  SafetensorsHeader h = lathe::parse_safetensors_header(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(),
                                                        8 + text.size() + 4000, "ctx");
  ASSERT_EQ(h.tensors.size(), 1000u);
  EXPECT_EQ(h.tensors.front().name, "layers.0.w");
  EXPECT_EQ(h.tensors.back().data_end, 4000u);
  EXPECT_EQ(h.metadata.at("format"), "pt");
  EXPECT_LT(lathe::test::many_tensors_header(1000000).size(), lathe::kSafetensorsMaxHeader);
}

// inspect --json writes its "tensors" array as text: it must be exactly what
// nlohmann's dump(2) of the same document gives, whatever the names hold.
TEST(InspectScaling, CliJsonIsNlohmannsDumpByteForByte) {
  lathe::test::TempDir dir;
  std::vector<lathe::SafetensorsEntry> entries = {
      {"plain.weight", lathe::DType::F32, {2, 3}, 24}, {"quote\"back\\slash", lathe::DType::F16, {}, 2},
      {"ctrl\n\t\x01\x1f\x7f", lathe::DType::U8, {0}, 0}, {"utf8 \xc3\xa9\xe2\x82\xac \xf0\x9f\x98\x80", lathe::DType::BF16, {1, 1, 1}, 2},
      {"", lathe::DType::I64, {3}, 24}, {"/slash</", lathe::DType::Bool, {0, 5}, 0}};
  const std::string header = lathe::build_safetensors_header(entries, {{"k\"", "v\n\xc3\xa9"}}, nullptr);
  std::string file(8, '\0');
  for (int i = 0; i < 8; ++i) file[i] = static_cast<char>(static_cast<std::uint64_t>(header.size()) >> (8 * i));
  lathe::test::write_bytes(dir.file("odd.safetensors"), file + header + std::string(24 + 2 + 2 + 24, '\0'));
  lathe::test::write_many_tensors_file(dir.file("many.safetensors"), 3);
  lathe::test::write_bytes(dir.file("none.safetensors"), [] {
    std::string h = "{}      ", f(8, '\0');
    f[0] = 8;
    return f + h;
  }());
  for (const std::string& path : {dir.file("odd.safetensors"), dir.file("many.safetensors"), dir.file("none.safetensors"),
                                  lathe::test::fixture("cases/gpt2_lm_s0/model_safetensors"),
                                  lathe::test::fixture("cases/gpt2_lm_s0/model_bin")}) {
    auto r = lathe::test::run_cli({"inspect", path, "--json"});
    ASSERT_EQ(r.exit_code, 0) << path << "\n" << r.err;
    EXPECT_EQ(nlohmann::ordered_json::parse(r.out).dump(2) + "\n", r.out) << path;
  }
}

double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double children_cpu_s() {
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

TEST(InspectScaling, HeaderParseGrowsLinearly) {
  const std::size_t small = 20000, large = 200000;
  const std::string a = lathe::test::many_tensors_header(small), b = lathe::test::many_tensors_header(large);
  auto best = [](const std::string& text, std::size_t n) {
    double t = 1e9;
    for (int rep = 0; rep < 3; ++rep) {
      const double t0 = thread_cpu_s();
      auto h = lathe::parse_safetensors_header(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(),
                                               8 + text.size() + 4 * n, "ctx");
      t = std::min(t, thread_cpu_s() - t0);
      EXPECT_EQ(h.tensors.size(), n);
    }
    return t;
  };
  const double ta = best(a, small), tb = best(b, large);
  // 10x the tensors: linear ~10x; 30x leaves room for allocator and cache effects.
  EXPECT_LE(tb, 30 * std::max(ta, 1e-3)) << small << " tensors " << ta << " s CPU, " << large << " tensors " << tb << " s CPU";
}

TEST(InspectScaling, CliInspectGrowsLinearly) {
  lathe::test::TempDir dir;
  const std::size_t small = 10000, large = 100000;
  lathe::test::write_many_tensors_file(dir.file("small.safetensors"), small);
  lathe::test::write_many_tensors_file(dir.file("large.safetensors"), large);
  for (bool json : {true, false}) {
    auto best = [&](const std::string& file, std::size_t n) {
      double t = 1e9;
      for (int rep = 0; rep < 2; ++rep) {
        std::vector<std::string> args = {"inspect", dir.file(file)};
        if (json) args.push_back("--json");
        const double t0 = children_cpu_s();
        auto r = lathe::test::run_cli(args, 120);
        t = std::min(t, children_cpu_s() - t0);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.out.find(std::to_string(n) + (json ? "" : " tensors")), std::string::npos);
      }
      return t;
    };
    const double ta = best("small.safetensors", small), tb = best("large.safetensors", large);
    // Process start-up (LibTorch) makes the small run's time mostly constant: a bound, not a ratio.
    EXPECT_LE(tb, 30 * ta) << (json ? "--json: " : "table: ") << small << " tensors " << ta << " s CPU, " << large
                           << " tensors " << tb << " s CPU";
  }
}

}  // namespace
