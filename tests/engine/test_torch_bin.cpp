// PyTorch `.bin` checkpoints: fixtures written by transformers, round trips,
// interop with Debian's torch 1.13 (when /usr/bin/python3 has it), and
// hostile files that must fail with the right ErrorCode and never execute.
#include "core/error.h"
#include "core/file_util.h"
#include "io/pickle_reader.h"
#include "io/torch_bin.h"
#include "io/torch_bin_io.h"
#include "io/torch_dtype.h"
#include "io/zip_reader.h"
#include "io/zip_writer.h"
#include "test_support.h"

#include <ATen/core/Tensor.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/empty.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>

using namespace lathe;
using lathe::test::TempDir;
using json = nlohmann::json;

namespace {

const char* kPython = "/usr/bin/python3";

bool python_has_torch() {
  static int ok = -1;
  if (ok < 0) ok = test::run_process({kPython, "-c", "import torch"}, 120).exit_code == 0;
  return ok == 1;
}

/// The ErrorCode f throws; nullopt (plus a test failure) if it throws nothing or something else.
std::optional<ErrorCode> code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "non-lathe exception: " << e.what();
    return std::nullopt;
  }
  ADD_FAILURE() << "no exception";
  return std::nullopt;
}

/// Runs f on hostile input: success or lathe::Error are fine, anything else is not.
void survives(const std::function<void()>& f, const std::string& what) {
  try {
    f();
  } catch (const Error&) {
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << ": non-lathe exception: " << e.what();
  }
}

std::string tensor_bytes(const at::Tensor& t) {
  at::Tensor c = t.contiguous();
  return std::string(static_cast<const char*>(c.data_ptr()), static_cast<std::size_t>(c.nbytes()));
}

std::vector<double> tensor_values(const at::Tensor& t) {
  at::Tensor d = t.to(at::kDouble).contiguous();
  const double* p = d.data_ptr<double>();
  return std::vector<double>(p, p + d.numel());
}

const std::uint8_t* u8(const std::string& s) { return reinterpret_cast<const std::uint8_t*>(s.data()); }

std::vector<PickleTensor> read_pickle(const std::string& s) {
  return read_state_dict_pickle(u8(s), s.size(), "test.pkl");
}

// -- a tiny safetensors reader (the project's own is written elsewhere) -----

struct StTensor {
  std::string dtype;
  std::vector<std::int64_t> shape;
  std::string bytes;
};

std::map<std::string, StTensor> read_safetensors_tiny(const std::string& path) {
  std::string all = test::read_bytes(path);
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<std::uint8_t>(all[static_cast<std::size_t>(i)]);
  json h = json::parse(all.substr(8, n));
  std::map<std::string, StTensor> out;
  for (auto& [k, v] : h.items()) {
    if (k == "__metadata__") continue;
    std::uint64_t b = v["data_offsets"][0], e = v["data_offsets"][1];
    out[k] = {v["dtype"].get<std::string>(), v["shape"].get<std::vector<std::int64_t>>(),
              all.substr(8 + n + b, e - b)};
  }
  return out;
}

// -- hand-built pickles -------------------------------------------------------

struct Pk {
  std::string s = "\x80\x02";
  Pk& raw(const std::string& b) {
    s += b;
    return *this;
  }
  Pk& op(char c) {
    s.push_back(c);
    return *this;
  }
  Pk& str(const std::string& v) {  // BINUNICODE
    op('X');
    for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v.size() >> (8 * i)) & 0xff));
    return raw(v);
  }
  Pk& i64(std::int64_t v) {  // LONG1 with 8 bytes: any value, negative ones included
    op('\x8a').op('\x08');
    for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xff));
    return *this;
  }
  Pk& global(const std::string& m, const std::string& n) { return op('c').raw(m + "\n" + n + "\n"); }
  Pk& tuple(const std::vector<std::int64_t>& v) {
    op('(');
    for (auto x : v) i64(x);
    return op('t');
  }
};

/// A one-tensor state_dict pickle: {"w": _rebuild_tensor_v2(storage(key, numel), offset, size, stride)}.
std::string tensor_pickle(std::int64_t numel, std::int64_t offset, const std::vector<std::int64_t>& size,
                          const std::vector<std::int64_t>& stride, const std::string& type = "FloatStorage",
                          const std::string& key = "0") {
  Pk p;
  p.global("collections", "OrderedDict").op(')').op('R').op('(').str("w");
  p.global("torch._utils", "_rebuild_tensor_v2").op('(');
  p.op('(').str("storage").global("torch", type).str(key).str("cpu").i64(numel).op('t').op('Q');
  p.i64(offset).tuple(size).tuple(stride).op('\x89').op('N').op('t').op('R');
  return p.op('u').op('.').s;
}

/// The pickles a legacy torch.save writes before the state_dict.
std::string legacy_preamble() {
  Pk magic;
  magic.op('\x8a').op('\x0a').raw(std::string("\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 10)).op('.');
  Pk proto;
  proto.op('M').raw(std::string("\xe9\x03", 2)).op('.');
  Pk info;
  info.op('}').op('(').str("little_endian").op('\x88').op('u').op('.');
  return magic.s + proto.s + info.s;
}

std::string le64(std::uint64_t v) {
  std::string s;
  for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return s;
}

void write_zip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries) {
  ZipWriter z(path);
  for (const auto& [name, data] : entries) z.add(name, data.data(), data.size());
  z.finish();
}

// -- sample state_dict ----------------------------------------------------------

StateDict sample_state_dict() {
  StateDict sd;
  at::Tensor f32 = at::arange(24, at::kFloat).reshape({4, 6}).mul(0.25).sub(2);
  sd.insert("f32", f32);
  sd.insert("f32.t", f32.t());  // non-contiguous view of the same storage
  sd.insert("f32.tied", f32);   // the same tensor twice (tied weights)
  at::Tensor big = at::arange(100, at::kFloat);
  sd.insert("slice", big.narrow(0, 10, 5));  // storage offset, most of the storage unused
  sd.insert("f16", at::arange(-6, 6, at::kFloat).mul(0.3).to(at::kHalf).reshape({3, 4}));
  sd.insert("bf16", at::arange(-6, 6, at::kFloat).mul(1.7).to(at::kBFloat16).reshape({2, 2, 3}));
  sd.insert("i64", at::arange(-5, 5, at::kLong).mul(1 << 20).mul(1 << 20));
  sd.insert("i8", at::arange(-128, 128, 17, at::kChar));
  sd.insert("u8", at::arange(0, 256, 15, at::kByte));
  sd.insert("bool", at::arange(7, at::kLong).remainder(3).eq(0));
  sd.insert("f64.scalar", at::arange(1, at::kDouble).add(3.5).reshape({}));
  sd.insert("empty", at::empty({0, 3}, at::kFloat));
  sd.insert("expanded", at::arange(3, at::kFloat).expand({4, 3}));  // stride 0
  sd.insert("strided", at::arange(30, at::kInt).reshape({5, 6}).slice(1, 0, 6, 2));
  return sd;
}

void expect_same_state_dict(const StateDict& got, const StateDict& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto& [name, w] = want.items()[i];
    const auto& [gname, g] = got.items()[i];
    SCOPED_TRACE(name);
    EXPECT_EQ(gname, name);
    EXPECT_EQ(g.scalar_type(), w.scalar_type());
    EXPECT_EQ(g.sizes(), w.sizes());
    if (w.numel() > 0) {
      EXPECT_EQ(g.strides(), w.strides());
    }
    EXPECT_EQ(tensor_bytes(g), tensor_bytes(w));
  }
}

const void* storage_ptr(const at::Tensor& t) { return t.storage().data_ptr().get(); }

}  // namespace

// ---------------------------------------------------------------------------

TEST(TorchBinFixtures, MatchManifestValuesAndTies) {
  ASSERT_TRUE(test::fixtures_present());
  json manifest = json::parse(read_text_file(test::fixture("manifest.json")));
  int files = 0;
  for (const auto& c : manifest["cases"]) {
    if (!c.contains("checkpoints")) continue;
    for (const auto& ck : c["checkpoints"]) {
      for (const auto& [fname, f] : ck["files"].items()) {
        if (!f.contains("torch_pickle")) continue;
        const std::string dir = ck["dir"];
        const std::string path = test::fixture(dir + "/" + fname);
        SCOPED_TRACE(path);
        const json& tp = f["torch_pickle"];
        ++files;

        std::vector<TensorInfo> infos = inspect_torch_bin(path);
        StateDict sd = load_torch_bin(path);
        ASSERT_EQ(infos.size(), tp["tensors"].size());
        ASSERT_EQ(sd.size(), tp["tensors"].size());
        for (std::size_t i = 0; i < infos.size(); ++i) {
          const json& m = tp["tensors"][i];
          const auto shape = m["shape"].get<std::vector<std::int64_t>>();
          EXPECT_EQ(infos[i].name, m["name"]);
          EXPECT_EQ(dtype_code(infos[i].dtype), m["dtype"]);
          EXPECT_EQ(infos[i].shape, shape);
          EXPECT_EQ(infos[i].file, "pytorch_model.bin");
          const auto& [name, t] = sd.items()[i];
          EXPECT_EQ(name, m["name"]);
          EXPECT_EQ(dtype_code(from_scalar_type(t.scalar_type())), m["dtype"]);
          EXPECT_EQ(t.sizes().vec(), shape);
        }

        // Ties: each manifest group is one storage; everything else is alone.
        std::set<std::string> grouped;
        std::set<const void*> storages;
        std::size_t expected_storages = 0;
        for (const auto& group : tp["shared_storage_groups"]) {
          const at::Tensor& first = *sd.find(group[0].get<std::string>());
          for (const auto& n : group) {
            const at::Tensor& t = *sd.find(n.get<std::string>());
            EXPECT_EQ(storage_ptr(t), storage_ptr(first)) << n;
            EXPECT_TRUE(t.is_alias_of(first)) << n;
            grouped.insert(n.get<std::string>());
          }
          ++expected_storages;
        }
        for (const auto& [name, t] : sd.items()) {
          storages.insert(storage_ptr(t));
          if (!grouped.count(name)) ++expected_storages;
        }
        EXPECT_EQ(storages.size(), expected_storages);
        std::map<std::string, std::string> key_of;
        for (const auto& i : infos) key_of[i.name] = i.storage;
        for (const auto& group : tp["shared_storage_groups"])
          for (const auto& n : group) EXPECT_EQ(key_of[n.get<std::string>()], key_of[group[0].get<std::string>()]);

        // Values: bit-identical to the safetensors export of the same model.
        std::string st_dir = dir;
        st_dir.replace(st_dir.find("model_bin"), 9, "model_safetensors");
        const std::string st_path = test::fixture(st_dir + "/model.safetensors");
        if (!path_exists(st_path)) continue;
        int compared = 0;
        for (const auto& [name, st] : read_safetensors_tiny(st_path)) {
          const at::Tensor* t = sd.find(name);
          if (!t) continue;
          EXPECT_EQ(dtype_code(from_scalar_type(t->scalar_type())), st.dtype) << name;
          EXPECT_EQ(t->sizes().vec(), st.shape) << name;
          EXPECT_EQ(tensor_bytes(*t), st.bytes) << name;
          ++compared;
        }
        EXPECT_GE(compared + static_cast<int>(grouped.size()), static_cast<int>(sd.size())) << "too few compared";
      }
    }
  }
  EXPECT_GE(files, 4);
}

TEST(TorchBin, RoundTripKeepsOrderDtypesValuesViewsAndTies) {
  TempDir dir;
  const std::string path = dir.file("model.bin");
  StateDict sd = sample_state_dict();
  save_torch_bin(sd, path);
  StateDict back = load_torch_bin(path);
  expect_same_state_dict(back, sd);

  const at::Tensor& f32 = *back.find("f32");
  EXPECT_EQ(storage_ptr(*back.find("f32.t")), storage_ptr(f32));
  EXPECT_EQ(storage_ptr(*back.find("f32.tied")), storage_ptr(f32));
  EXPECT_TRUE(back.find("f32.t")->is_alias_of(f32));
  EXPECT_FALSE(back.find("f32.t")->is_contiguous());
  EXPECT_NE(storage_ptr(*back.find("f16")), storage_ptr(f32));
  // Only the used span of a storage is written.
  EXPECT_EQ(back.find("slice")->storage().nbytes(), 5u * 4u);

  std::vector<TensorInfo> infos = inspect_torch_bin(path);
  ASSERT_EQ(infos.size(), sd.size());
  EXPECT_EQ(infos[0].storage, infos[1].storage);
  EXPECT_EQ(infos[0].storage, infos[2].storage);
  EXPECT_NE(infos[0].storage, infos[3].storage);
  EXPECT_EQ(infos[7].dtype, DType::I8);
  EXPECT_EQ(infos[7].nbytes, 16u);

  // Layout as torch writes it: one archive folder, 64-byte aligned records, valid CRCs.
  auto map = MappedFile::open(path);
  ZipArchive zip(map->data(), map->size(), path);
  ASSERT_NE(zip.find("model/data.pkl"), nullptr);
  ASSERT_NE(zip.find("model/version"), nullptr);
  EXPECT_EQ(zip.stored_data(*zip.find("model/version")), "3\n");
  for (const ZipEntry& e : zip.entries()) {
    EXPECT_EQ(e.data_offset % 64, 0u) << e.name;
    EXPECT_NO_THROW(zip.verify_crc(e)) << e.name;
  }
}

TEST(TorchBin, LoadedTensorsAreCopyOnWriteViewsOfTheFile) {
  TempDir dir;
  const std::string path = dir.file("w.bin");
  save_torch_bin(sample_state_dict(), path);
  const std::string sha = test::sha256_of(path);
  {
    StateDict sd = load_torch_bin(path);
    sd.find("f32")->add_(1);
    EXPECT_EQ(tensor_values(*sd.find("f32.tied"))[0], -1.0);  // tie seen through the shared storage
  }
  EXPECT_EQ(test::sha256_of(path), sha);
  EXPECT_EQ(tensor_values(*load_torch_bin(path).find("f32"))[0], -2.0);
  {  // Re-saving over the file its tensors are mapped from: the old inode stays mapped.
    StateDict sd = load_torch_bin(path);
    save_torch_bin(sd, path);
    expect_same_state_dict(load_torch_bin(path), sample_state_dict());
  }
}

TEST(TorchBin, ProgressCanCancelAndSaveIsAtomic) {
  struct Stop : ProgressSink {
    bool report(const std::string&, std::uint64_t, std::uint64_t) override { return false; }
  } stop;
  TempDir dir;
  const std::string path = dir.file("c.bin");
  EXPECT_THROW(save_torch_bin(sample_state_dict(), path, &stop), Cancelled);
  EXPECT_FALSE(path_exists(path));
  save_torch_bin(sample_state_dict(), path);
  EXPECT_THROW(load_torch_bin(path, &stop), Cancelled);
}

TEST(TorchBin, ForcedZip64ArchiveReadsBack) {
  TempDir dir;
  const std::string path = dir.file("z64.zip");
  ZipWriterOptions o;
  o.force_zip64 = true;
  ZipWriter z(path, o);
  std::string a(1000, 'a'), b = "hello";
  z.add("x/a", a.data(), a.size());
  z.add("x/b", b.data(), b.size());
  z.finish();
  auto map = MappedFile::open(path);
  ZipArchive zip(map->data(), map->size(), path);
  ASSERT_EQ(zip.entries().size(), 2u);
  EXPECT_EQ(zip.stored_data(*zip.find("x/a")), a);
  EXPECT_EQ(zip.stored_data(*zip.find("x/b")), b);
  for (const ZipEntry& e : zip.entries()) {
    EXPECT_EQ(e.data_offset % 64, 0u);
    EXPECT_NO_THROW(zip.verify_crc(e));
  }
  if (path_exists(kPython)) {  // an independent reader agrees
    auto r = test::run_process({kPython, "-c",
                                "import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); "
                                "assert z.testzip() is None; print(len(z.read('x/a')), z.read('x/b').decode())",
                                path});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "1000 hello\n");
  }
}

// ---------------------------------------------------------------------------
// Interop with Python torch 1.13.

namespace {

const char* kSummaryPy = R"(
import torch, json
def summary(sd):
    out = []
    for k, t in sd.items():
        out.append({"name": k, "dtype": str(t.dtype), "shape": list(t.shape), "stride": list(t.stride()),
                    "values": t.detach().double().flatten().tolist(),
                    "ptr": t.storage().data_ptr() if t.numel() else 0})
    return {"type": type(sd).__name__, "tensors": out}
)";

void expect_matches_summary(const StateDict& sd, const json& s) {
  const json& ts = s["tensors"];
  ASSERT_EQ(sd.size(), ts.size());
  std::map<std::uint64_t, const void*> py_to_cpp;
  std::map<const void*, std::uint64_t> cpp_to_py;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const auto& [name, t] = sd.items()[i];
    SCOPED_TRACE(name);
    EXPECT_EQ(name, ts[i]["name"]);
    EXPECT_EQ(std::string("torch.") + dtype_torch_name(from_scalar_type(t.scalar_type())), ts[i]["dtype"]);
    EXPECT_EQ(t.sizes().vec(), ts[i]["shape"].get<std::vector<std::int64_t>>());
    EXPECT_EQ(tensor_values(t), ts[i]["values"].get<std::vector<double>>());
    if (t.numel() == 0) continue;
    EXPECT_EQ(t.strides().vec(), ts[i]["stride"].get<std::vector<std::int64_t>>());
    // Sharing must agree both ways: same storage in Python <=> same storage here.
    std::uint64_t py = ts[i]["ptr"];
    auto [a, new_a] = py_to_cpp.emplace(py, storage_ptr(t));
    auto [b, new_b] = cpp_to_py.emplace(storage_ptr(t), py);
    EXPECT_EQ(a->second, storage_ptr(t));
    EXPECT_EQ(b->second, py);
  }
}

}  // namespace

TEST(TorchBinPython, TorchLoadsOurFilesWithWeightsOnly) {
  if (!python_has_torch()) GTEST_SKIP() << "/usr/bin/python3 has no torch";
  TempDir dir;
  const std::string path = dir.file("pytorch_model.bin");
  StateDict sd = sample_state_dict();
  save_torch_bin(sd, path);
  auto r = test::run_process(
      {kPython, "-c", std::string(kSummaryPy) +
                          "import sys\nprint(json.dumps(summary(torch.load(sys.argv[1], weights_only=True))))",
       path},
      120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json s = json::parse(r.out);
  EXPECT_EQ(s["type"], "OrderedDict");
  expect_matches_summary(sd, s);
}

TEST(TorchBinPython, ReadsFilesTorchWritesInEveryFormat) {
  if (!python_has_torch()) GTEST_SKIP() << "/usr/bin/python3 has no torch";
  TempDir dir;
  auto r = test::run_process({kPython, "-c", std::string(kSummaryPy) + R"(
import sys
torch.manual_seed(0)
sd = torch.nn.Linear(3, 2).state_dict()  # an OrderedDict with _metadata (BUILD)
base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
sd['tied'] = base
sd['tied_t'] = base.t()
sd['slice'] = base[1:, 1:3]
sd['half'] = torch.linspace(-2, 2, 5).half()
sd['bf16'] = torch.linspace(-3, 3, 7).bfloat16()
sd['i64'] = torch.tensor([-(2 ** 40), 7, 0])
sd['i32'] = torch.tensor([-5, 1 << 30], dtype=torch.int32)
sd['i16'] = torch.tensor([-5, 300], dtype=torch.int16)
sd['i8'] = torch.tensor([-128, 127], dtype=torch.int8)
sd['u8'] = torch.tensor([0, 255], dtype=torch.uint8)
sd['bool'] = torch.tensor([True, False, True])
sd['f64'] = torch.tensor([[1.5, -2.25]], dtype=torch.float64)
sd['scalar'] = torch.tensor(2.5)
sd['empty'] = torch.zeros(0, 4)
sd['param'] = torch.nn.Parameter(torch.ones(2, 2))
d = sys.argv[1]
torch.save(sd, d + '/zip.bin')
torch.save(sd, d + '/proto4.bin', pickle_protocol=4)
torch.save(sd, d + '/legacy.bin', _use_new_zipfile_serialization=False)
torch.save(sd, d + '/legacy4.bin', _use_new_zipfile_serialization=False, pickle_protocol=4)
print(json.dumps(summary(sd)))
)",
                              dir.path()},
                             120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json s = json::parse(r.out);
  for (const char* f : {"zip.bin", "proto4.bin", "legacy.bin", "legacy4.bin"}) {
    SCOPED_TRACE(f);
    StateDict sd = load_torch_bin(dir.file(f));
    expect_matches_summary(sd, s);
    EXPECT_EQ(inspect_torch_bin(dir.file(f)).size(), sd.size());
  }
  // Every truncation of a legacy file is detected.
  const std::string legacy = test::read_bytes(dir.file("legacy.bin"));
  for (std::size_t n = 0; n < legacy.size(); n += 13) {
    if (n == 0) continue;
    EXPECT_EQ(code_of([&] { parse_legacy_torch_bin(u8(legacy), n, "legacy"); }), ErrorCode::CorruptFile) << n;
  }
}

// ---------------------------------------------------------------------------
// Hostile input.

TEST(TorchBinHostile, RefusesCodeExecutionGlobalsWithoutRunningThem) {
  TempDir dir;
  const std::string marker = dir.file("pwned");
  const std::string cmd = "touch " + marker;
  std::vector<std::pair<std::string, std::string>> pickles;
  const std::vector<std::pair<std::string, std::string>> globals = {
      {"os", "system"}, {"posix", "system"}, {"builtins", "eval"},
      {"subprocess", "check_call"}, {"torch", "load"}, {"collections", "deque"}};
  for (const auto& [m, n] : globals) {
    const std::string label = m + "." + n;
    // GLOBAL + REDUCE (protocol 2)
    pickles.push_back({label, Pk().global(m, n).op('(').str(cmd).op('t').op('R').op('.').s});
    // STACK_GLOBAL + REDUCE (protocol 4), strings as SHORT_BINUNICODE
    Pk p4;
    p4.s = "\x80\x04";
    for (const std::string& part : {m, n}) p4.op('\x8c').op(static_cast<char>(part.size())).raw(part);
    pickles.push_back({label, p4.op('\x93').op('(').str(cmd).op('t').op('R').op('.').s});
    // Hidden inside an otherwise valid state_dict, after a real tensor.
    std::string sd = tensor_pickle(4, 0, {4}, {1});
    sd.insert(sd.size() - 2, Pk().str("evil").global(m, n).op('(').str(cmd).op('t').op('R').s.substr(2));
    pickles.push_back({label, sd});
  }
  // Protocol 0 text form, as classic exploits write it.
  pickles.push_back({"os.system (protocol 0)", "cos\nsystem\n(S'" + cmd + "'\ntR."});

  for (const auto& [label, pkl] : pickles) {
    SCOPED_TRACE(label);
    EXPECT_EQ(code_of([&] { read_pickle(pkl); }), ErrorCode::UnsafePickle);
    const std::string zip = dir.file("evil.bin");
    write_zip(zip, {{"archive/data.pkl", pkl}, {"archive/version", "3\n"}});
    EXPECT_EQ(code_of([&] { load_torch_bin(zip); }), ErrorCode::UnsafePickle);
    EXPECT_EQ(code_of([&] { inspect_torch_bin(zip); }), ErrorCode::UnsafePickle);
    const std::string legacy = dir.file("evil_legacy.bin");
    test::write_bytes(legacy, legacy_preamble() + pkl);
    EXPECT_EQ(code_of([&] { load_torch_bin(legacy); }), ErrorCode::UnsafePickle);
  }
  // A persistent id that is not a storage (legacy 'module' records carry source code).
  EXPECT_EQ(code_of([&] { read_pickle(Pk().op('(').str("module").op('t').op('Q').op('.').s); }),
            ErrorCode::UnsafePickle);
  EXPECT_FALSE(path_exists(marker));
}

TEST(TorchBinHostile, MalformedPicklesAreCorrupt) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"unknown opcode", "\x80\x02\xff"},
      {"INST opcode", "\x80\x02i os\nsystem\n."},
      {"empty", ""},
      {"no STOP", "\x80\x02}"},
      {"stack underflow", "\x80\x02t."},
      {"underflow past MARK", "\x80\x02N(\x85."},
      {"missing memo", "\x80\x02h\x05."},
      {"huge BINUNICODE", "\x80\x02X\xff\xff\xff\xff"},
      {"huge BINUNICODE8", std::string("\x80\x02\x8d\x00\x00\x00\x00\x00\x00\x00\x80", 11)},
      {"bad UTF-8", std::string("\x80\x02X\x02\x00\x00\x00\xc3\x28.", 10)},
      {"SETITEM on a list", "\x80\x02]NNs."},
      {"REDUCE of a string", Pk().str("a").op(')').op('R').op('.').s},
      {"OrderedDict with args", "\x80\x02" "ccollections\nOrderedDict\n(Nt" "R."},
      {"truncated GLOBAL", "\x80\x02" "ccollections\nOrdered"},
  };
  for (const auto& [label, pkl] : cases)
    EXPECT_EQ(code_of([&] { read_pickle(pkl); }), ErrorCode::CorruptFile) << label;

  // Not a state_dict: valid pickle, wrong shape.
  EXPECT_EQ(code_of([&] { read_pickle("\x80\x02]."); }), ErrorCode::Unsupported);
  EXPECT_EQ(code_of([&] { read_pickle(Pk().op('}').str("a").op('K').op('\x01').op('s').op('.').s); }),
            ErrorCode::Unsupported);

  // Every strict prefix of a valid pickle is truncated.
  const std::string good = tensor_pickle(12, 2, {2, 5}, {5, 1});
  ASSERT_EQ(read_pickle(good).size(), 1u);
  for (std::size_t n = 0; n < good.size(); ++n)
    EXPECT_EQ(code_of([&] { read_pickle(good.substr(0, n)); }), ErrorCode::CorruptFile) << n;
  // Single-byte mutations: any outcome but a crash or a foreign exception.
  for (std::size_t i = 0; i < good.size(); ++i)
    for (int v : {0x00, 0x01, 0x28, 0x2e, 0x7f, 0x80, 0xff}) {
      std::string m = good;
      m[i] = static_cast<char>(v);
      survives([&] { read_pickle(m); }, "mutation at " + std::to_string(i));
    }
}

TEST(TorchBinHostile, TensorsOutsideTheirStorageAreCorrupt) {
  constexpr std::int64_t kBig = std::int64_t{1} << 62;
  struct Case {
    const char* label;
    std::int64_t numel, offset;
    std::vector<std::int64_t> size, stride;
  };
  const Case bad[] = {
      {"shape past the end", 50, 0, {10, 10}, {10, 1}},
      {"offset past the end", 50, 50, {1}, {1}},
      {"stride past the end", 50, 0, {2}, {50}},
      {"negative size", 50, 0, {-1}, {1}},
      {"negative stride", 50, 10, {2}, {-1}},
      {"negative offset", 50, -1, {1}, {1}},
      {"negative numel", -4, 0, {1}, {1}},
      {"rank mismatch", 50, 0, {2, 2}, {1}},
      {"extent overflows", 50, 0, {kBig, 8}, {kBig, 1}},
      {"numel overflows bytes", kBig, 0, {1}, {1}},
  };
  for (const Case& c : bad)
    EXPECT_EQ(code_of([&] { read_pickle(tensor_pickle(c.numel, c.offset, c.size, c.stride)); }),
              ErrorCode::CorruptFile)
        << c.label;
  // The edges that are fine: last element exactly at the end, empty tensors at the end, stride 0.
  EXPECT_EQ(read_pickle(tensor_pickle(50, 0, {5, 10}, {10, 1})).size(), 1u);
  EXPECT_EQ(read_pickle(tensor_pickle(50, 50, {0}, {1})).size(), 1u);
  EXPECT_EQ(read_pickle(tensor_pickle(50, 49, {1000}, {0})).size(), 1u);
  // Unknown storage types are refused like any global; bad keys are corrupt.
  EXPECT_EQ(code_of([&] { read_pickle(tensor_pickle(4, 0, {4}, {1}, "ComplexFloatStorage")); }),
            ErrorCode::UnsafePickle);
  EXPECT_EQ(code_of([&] { read_pickle(tensor_pickle(4, 0, {4}, {1}, "FloatStorage", "../x")); }),
            ErrorCode::CorruptFile);
}

TEST(TorchBinHostile, NestingAndSizeLimitsHold) {
  auto limit_hit = [](const std::string& s) { return code_of([&] { read_pickle(s); }); };
  EXPECT_EQ(limit_hit("\x80\x02" + std::string(100000, '(') + "."), ErrorCode::CorruptFile);
  EXPECT_EQ(limit_hit("\x80\x02" + std::string(100000, ']') + std::string(99999, 'a') + "."),
            ErrorCode::CorruptFile);
  EXPECT_EQ(limit_hit("\x80\x02" + std::string(100000, ')') + std::string(99999, '\x85') + "."),
            ErrorCode::CorruptFile);
  EXPECT_EQ(limit_hit("\x80\x02" + std::string((std::size_t{1} << 22) + 1, 'N') + "."), ErrorCode::CorruptFile);
  // A list appended to itself: a cycle, harmless (no recursion, no leak) and not a state_dict.
  EXPECT_EQ(limit_hit(std::string("\x80\x02]q\x00h\x00" "a.", 9)), ErrorCode::Unsupported);
  // Sparse huge memo indices do not allocate.
  EXPECT_EQ(limit_hit("\x80\x02]r\xff\xff\xff\xffj\xff\xff\xff\xff."), ErrorCode::Unsupported);
}

TEST(TorchBinHostile, BrokenZipArchivesAreCorrupt) {
  TempDir dir;
  const std::string good = dir.file("good.bin");
  StateDict sd;
  sd.insert("w", at::arange(100, at::kFloat));
  sd.insert("v", at::arange(8, at::kLong));
  save_torch_bin(sd, good);
  const std::string bytes = test::read_bytes(good);
  const std::string bad = dir.file("bad.bin");
  auto load_code = [&](const std::string& content) {
    test::write_bytes(bad, content);
    auto c = code_of([&] { load_torch_bin(bad); });
    EXPECT_EQ(code_of([&] { inspect_torch_bin(bad); }), c);
    return c;
  };

  for (std::size_t n = 0; n < bytes.size(); n += 37)
    EXPECT_EQ(load_code(bytes.substr(0, n)), ErrorCode::CorruptFile) << "truncated to " << n;

  // Patch a central directory field of the entry named `name`.
  auto patched = [&](const std::string& name, std::size_t field, std::uint32_t value) {
    std::string b = bytes;
    std::size_t pos = b.find(std::string("PK\x01\x02", 4));
    while (pos != std::string::npos && b.compare(pos + 46, name.size(), name) != 0)
      pos = b.find(std::string("PK\x01\x02", 4), pos + 4);
    EXPECT_NE(pos, std::string::npos);
    for (int i = 0; i < 4; ++i) b[pos + field + static_cast<std::size_t>(i)] = static_cast<char>(value >> (8 * i));
    return b;
  };
  EXPECT_EQ(load_code(patched("good/data/0", 42, 0x7ffffff0u)), ErrorCode::CorruptFile) << "offset past EOF";
  EXPECT_EQ(load_code(patched("good/data/0", 20, 0x7ffffff0u)), ErrorCode::CorruptFile) << "size past EOF";
  EXPECT_EQ(load_code(patched("good/data/0", 42, 0)), ErrorCode::CorruptFile) << "points at another entry";
  EXPECT_EQ(load_code(patched("good/data/1", 10, 8)), ErrorCode::CorruptFile) << "deflated record";
  EXPECT_EQ(load_code(patched("good/data.pkl", 16, 0x12345678u)), ErrorCode::CorruptFile) << "data.pkl CRC";
  {  // an entry count the directory cannot hold
    std::string b = bytes;
    std::size_t eocd = b.rfind(std::string("PK\x05\x06", 4));
    b[eocd + 8] = b[eocd + 9] = b[eocd + 10] = b[eocd + 11] = '\xff';
    EXPECT_EQ(load_code(b), ErrorCode::CorruptFile) << "huge count";
  }
  // Structural mutations of the directory never crash.
  const std::size_t cd = bytes.find(std::string("PK\x01\x02", 4));
  for (std::size_t i = cd; i < bytes.size(); i += 3) {
    std::string b = bytes;
    b[i] = static_cast<char>(b[i] ^ 0x5a);
    test::write_bytes(bad, b);
    survives([&] { load_torch_bin(bad); }, "directory mutation at " + std::to_string(i));
  }

  // Record shorter than numel x itemsize.
  auto map = MappedFile::open(good);
  ZipArchive zip(map->data(), map->size(), good);
  const std::string pkl(zip.stored_data(*zip.find("good/data.pkl")));
  const std::string rec0(zip.stored_data(*zip.find("good/data/0")));
  const std::string rec1(zip.stored_data(*zip.find("good/data/1")));
  write_zip(bad, {{"a/data.pkl", pkl}, {"a/data/0", rec0.substr(0, 40)}, {"a/data/1", rec1}, {"a/version", "3\n"}});
  EXPECT_EQ(code_of([&] { load_torch_bin(bad); }), ErrorCode::CorruptFile) << "short record";
  write_zip(bad, {{"a/data.pkl", pkl}, {"a/data/1", rec1}, {"a/version", "3\n"}});
  EXPECT_EQ(code_of([&] { load_torch_bin(bad); }), ErrorCode::CorruptFile) << "missing record";
  write_zip(bad, {{"a/data.pkl", pkl}, {"a/data/0", rec0}, {"a/data/1", rec1}});
  EXPECT_EQ(load_torch_bin(bad).size(), 2u) << "any archive folder name is fine";
  EXPECT_EQ(code_of([&] { load_torch_bin(dir.file("missing.bin")); }), ErrorCode::NotFound);
  test::write_bytes(bad, "hello, not a checkpoint");
  EXPECT_EQ(code_of([&] { load_torch_bin(bad); }), ErrorCode::CorruptFile);
}

TEST(TorchBinHostile, OverlappingAndDuplicateEntriesAreCorrupt) {
  // Hand-built archives: local headers at chosen offsets, then a directory.
  auto local = [](const std::string& name, const std::string& data) {
    std::string h("PK\x03\x04", 4);
    h += std::string(22, '\0');
    h[18] = h[22] = static_cast<char>(data.size());  // sizes (< 256)
    h += std::string(1, static_cast<char>(name.size())) + '\0' + std::string(2, '\0');
    return h + name + data;
  };
  auto archive = [](const std::string& body, const std::vector<std::tuple<std::string, std::uint32_t, std::uint32_t>>& dir) {
    std::string cd;
    for (const auto& [name, offset, size] : dir) {
      std::string c("PK\x01\x02", 4);
      c += std::string(42, '\0');
      c[20] = c[24] = static_cast<char>(size);
      c[28] = static_cast<char>(name.size());
      for (int i = 0; i < 4; ++i) c[42 + static_cast<std::size_t>(i)] = static_cast<char>(offset >> (8 * i));
      cd += c + name;
    }
    std::string e("PK\x05\x06", 4);
    e += std::string(18, '\0');
    e[8] = e[10] = static_cast<char>(dir.size());
    for (int i = 0; i < 4; ++i) {
      e[12 + static_cast<std::size_t>(i)] = static_cast<char>(cd.size() >> (8 * i));
      e[16 + static_cast<std::size_t>(i)] = static_cast<char>(body.size() >> (8 * i));
    }
    return body + cd + e;
  };
  auto parse = [](const std::string& z) { ZipArchive a(u8(z), z.size(), "raw.zip"); return a.entries().size(); };

  const std::string inner = local("b", "bbbb");
  const std::string body = local("a", inner + "pad") + local("c", "cc");
  const auto a_size = static_cast<std::uint32_t>(inner.size() + 3);
  const auto c_at = static_cast<std::uint32_t>(31 + a_size);
  EXPECT_EQ(parse(archive(body, {{"a", 0, a_size}, {"c", c_at, 2}})), 2u);  // the builder itself is sound
  EXPECT_EQ(code_of([&] { parse(archive(body, {{"a", 0, a_size}, {"b", 31, 4}, {"c", c_at, 2}})); }),
            ErrorCode::CorruptFile) << "entry inside another's data";
  EXPECT_EQ(code_of([&] { parse(archive(body, {{"a", 0, a_size}, {"a", 0, a_size}})); }), ErrorCode::CorruptFile)
      << "duplicate";
  EXPECT_EQ(code_of([&] { parse(archive(body, {{"c", 0, 2}})); }), ErrorCode::CorruptFile) << "name mismatch";
}

TEST(TorchBinHostile, BrokenLegacyFilesAreCorrupt) {
  // A legacy file built by hand: preamble, state_dict, key list, then count + data.
  const std::string main = tensor_pickle(3, 0, {3}, {1}, "FloatStorage", "k1");
  const std::string keys = Pk().op(']').op('(').str("k1").op('e').op('.').s;
  const std::string data = le64(3) + std::string(12, '\x01');
  const std::string good = legacy_preamble() + main + keys + data;
  LegacyTorchBin ok = parse_legacy_torch_bin(u8(good), good.size(), "legacy");
  ASSERT_EQ(ok.storages.size(), 1u);
  EXPECT_EQ(ok.storages[0].data_offset, good.size() - 12);
  for (std::size_t n = 0; n < good.size(); ++n)
    EXPECT_EQ(code_of([&] { parse_legacy_torch_bin(u8(good), n, "legacy"); }), ErrorCode::CorruptFile) << n;

  auto code = [](const std::string& s) { return code_of([&] { parse_legacy_torch_bin(u8(s), s.size(), "legacy"); }); };
  std::string bad_magic = good;
  bad_magic[4] = 'x';
  EXPECT_EQ(code(bad_magic), ErrorCode::CorruptFile);
  EXPECT_EQ(code(legacy_preamble() + main + keys + le64(4) + std::string(16, '\x01')), ErrorCode::CorruptFile);
  const std::string twice = Pk().op(']').op('(').str("k1").str("k1").op('e').op('.').s;
  EXPECT_EQ(code(legacy_preamble() + main + twice + data + data), ErrorCode::CorruptFile);
  const std::string unknown = Pk().op(']').op('(').str("k2").op('e').op('.').s;
  EXPECT_EQ(code(legacy_preamble() + main + unknown + data), ErrorCode::CorruptFile);
  const std::string none = Pk().op(']').op('.').s;
  EXPECT_EQ(code(legacy_preamble() + main + none), ErrorCode::CorruptFile);

  TempDir dir;
  test::write_bytes(dir.file("l.bin"), good);
  StateDict sd = load_torch_bin(dir.file("l.bin"));
  ASSERT_EQ(sd.size(), 1u);
  EXPECT_EQ(tensor_bytes(*sd.find("w")), std::string(12, '\x01'));
}
