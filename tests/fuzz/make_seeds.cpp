// make_seeds FIXTURES_DIR OUT_DIR: writes the seed corpora of the fuzz targets
// into OUT_DIR/<target>/ from the HF reference fixtures plus hand-made edge
// cases. Fails (exit 1) when a seed meant to be valid does not parse, so a
// broken seed builder cannot silently weaken the corpus.
//
//   fuzz_safetensors_header  u64 LE data size + the header JSON of every fixture
//                            .safetensors, plus edge headers
//   fuzz_pickle              data.pkl of every fixture .bin, hand-built zip-style
//                            and legacy torch.save files, hostile pickles
//   fuzz_zip                 the fixture .bin files, shrunk copies of them (small
//                            records, also as ZIP64), hand-built archives
//   fuzz_tokenizer           u16 LE text length + text + tokenizer.json, for every
//                            tokenizers/**/tokenizer.json of <= 64 KiB and a few texts
//
// The tokenizer files are read from TOKENIZERS_DIR (third argument; default
// FIXTURES_DIR/../tokenizers, i.e. tests/data/tokenizers beside hf-reference).
#include "core/error.h"
#include "io/pickle_reader.h"
#include "io/safetensors.h"
#include "io/zip_reader.h"
#include "io/zip_writer.h"
#include "text/tokenizer.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

std::string u64le(std::uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>(v >> (8 * i));
  return s;
}

const auto* bytes_of(const std::string& s) { return reinterpret_cast<const std::uint8_t*>(s.data()); }

/// A pickle written opcode by opcode (protocol 2 unless proto() says otherwise).
struct Pickle {
  std::string b;
  Pickle& op(char c) { b += c; return *this; }
  Pickle& raw(const std::string& s) { b += s; return *this; }
  Pickle& proto(int v) { b += '\x80'; b += static_cast<char>(v); return *this; }
  Pickle& global(const std::string& m, const std::string& n) { b += 'c' + m + '\n' + n + '\n'; return *this; }
  Pickle& str(const std::string& s) {
    b += 'X';
    for (int i = 0; i < 4; ++i) b += static_cast<char>(s.size() >> (8 * i));
    b += s;
    return *this;
  }
  Pickle& short_str(const std::string& s) {  // SHORT_BINUNICODE + MEMOIZE
    b += '\x8c';
    b += static_cast<char>(s.size());
    b += s;
    b += '\x94';
    return *this;
  }
  Pickle& integer(std::int64_t v) {
    if (v >= 0 && v < 256) return op('K').op(static_cast<char>(v));
    if (v >= 0 && v < 65536) return op('M').op(static_cast<char>(v)).op(static_cast<char>(v >> 8));
    b += '\x8a';
    b += '\x08';
    b += u64le(static_cast<std::uint64_t>(v));
    return *this;
  }
  Pickle& tuple(std::initializer_list<std::int64_t> xs) {
    op('(');
    for (auto x : xs) integer(x);
    return op('t');
  }
  Pickle& ordered_dict() { return global("collections", "OrderedDict").op(')').op('R'); }
  /// _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()).
  Pickle& tensor(const std::string& type, const std::string& key, std::int64_t numel, std::int64_t offset,
                 std::initializer_list<std::int64_t> shape, std::initializer_list<std::int64_t> stride,
                 bool legacy) {
    global("torch._utils", "_rebuild_tensor_v2").op('(');
    op('(').str("storage").global("torch", type).str(key).str("cpu").integer(numel);
    if (legacy) op('N');
    op('t').op('Q');
    integer(offset).tuple(shape).tuple(stride).op('\x89').ordered_dict();
    return op('t').op('R');
  }
};

/// A state_dict with a tie (w and w_t share storage "0") and an int64 buffer.
std::string state_dict_pickle(bool legacy) {
  Pickle p;
  p.proto(2).ordered_dict().op('(');
  p.str("layer.weight").tensor("FloatStorage", "0", 6, 0, {2, 3}, {3, 1}, legacy);
  p.str("layer.weight_t").tensor("FloatStorage", "0", 6, 0, {3, 2}, {1, 3}, legacy);
  p.str("layer.bias").tensor("FloatStorage", "2", 3, 1, {2}, {1}, legacy);
  p.str("ids").tensor("LongStorage", "1", 4, 0, {2, 2}, {2, 1}, legacy);
  return p.op('u').op('.').b;
}

/// The same state_dict written as protocol 4: FRAME, STACK_GLOBAL, MEMOIZE, BINGET.
std::string state_dict_pickle_v4() {
  Pickle body;  // memo: 0 collections, 1 OrderedDict, 2 the global, 3 the dict
  body.short_str("collections").short_str("OrderedDict").op('\x93').op('\x94').op(')').op('R').op('\x94');
  body.op('(').short_str("w").short_str("torch._utils").short_str("_rebuild_tensor_v2").op('\x93').op('\x94');
  body.op('(').op('(').str("storage").short_str("torch").short_str("BFloat16Storage").op('\x93').op('\x94');
  body.str("0").str("cpu").integer(8).op('t').op('Q').integer(0).tuple({8}).tuple({1}).op('\x89');
  body.op('h').op(2).op(')').op('R').op('t').op('R').op('u').op('.');
  Pickle p;
  p.proto(4).op('\x95').raw(u64le(body.b.size())).raw(body.b);
  return p.b;
}

/// Legacy (_use_new_zipfile_serialization=False) torch.save of state_dict_pickle.
std::string legacy_file() {
  Pickle magic;
  magic.proto(2).op('\x8a').op(10).raw(std::string("\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 10)).op('.');
  Pickle version;
  version.proto(2).integer(1001).op('.');
  Pickle info;
  info.proto(2).op('}').op('(').str("protocol_version").integer(1001).str("little_endian").op('\x88');
  info.str("type_sizes").op('}').op('(').str("short").integer(2).str("int").integer(4).str("long").integer(4);
  info.op('u').op('u').op('.');
  Pickle keys;
  keys.proto(2).op(']').op('(').str("0").str("2").str("1").op('e').op('.');
  std::string out = magic.b + version.b + info.b + state_dict_pickle(true) + keys.b;
  out += u64le(6) + std::string(6 * 4, '\x01');
  out += u64le(3) + std::string(3 * 4, '\x02');
  out += u64le(4) + std::string(4 * 8, '\x03');
  return out;
}

struct Corpus {
  fs::path dir;
  int count = 0;
  void add(const std::string& name, const std::string& bytes) {
    write_file(dir / name, bytes);
    ++count;
  }
};

std::string safe_name(const fs::path& rel) {
  std::string s = rel.string();
  std::replace(s.begin(), s.end(), '/', '_');
  return s;
}

/// Hand-made archives: the small state_dict as a real .bin, plus shrunk copies of fixtures.
void write_zip(const fs::path& path, const std::vector<std::pair<std::string, std::string>>& entries,
               bool zip64) {
  lathe::ZipWriterOptions o;
  o.force_zip64 = zip64;
  lathe::ZipWriter w(path.string(), o);
  for (const auto& [name, data] : entries) w.add(name, data.data(), data.size());
  w.finish();
}

/// fuzz_tokenizer seeds: each small tokenizer.json (must load) with a few texts;
/// the input is u16 LE text length + text + JSON, and 0x01 in the text makes a pair.
void add_tokenizer_seeds(const fs::path& dir, Corpus& tk) {
  if (!fs::is_directory(dir)) throw std::runtime_error("tokenizers not found at " + dir.string());
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().filename() == "tokenizer.json" && e.file_size() <= 65536 - 64)
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  const std::string texts[] = {"Hello world!", "  don't\r\n 12345 caf\xc3\xa9 \xe4\xbd\xa0\xe5\xa5\xbd",
                               "<s>a</s>\x01pair text", ""};
  for (const auto& f : files) {
    const std::string json = read_file(f);
    (void)lathe::Tokenizer::from_json(json, f.string());  // must be valid
    const std::string name = safe_name(fs::relative(f, dir));
    int i = 0;
    for (const auto& t : texts) {
      std::string len{static_cast<char>(t.size() & 0xFF), static_cast<char>(t.size() >> 8)};
      tk.add(name + "." + std::to_string(i++), len + t + json);
    }
  }
  tk.add("bad_utf8", std::string("\x02\x00\xff\xfe") + R"({"model":{"type":"WordLevel","vocab":{"a":0},"unk_token":"a"}})");
  tk.add("bad_type", std::string("\x01\x00a") + R"({"model":{"type":"Nope"}})");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: make_seeds FIXTURES_DIR OUT_DIR [TOKENIZERS_DIR]\n");
    return 2;
  }
  const fs::path fixtures = argv[1], out = argv[2];
  const fs::path tokenizers = argc == 4 ? fs::path(argv[3]) : fixtures / ".." / "tokenizers";
  Corpus st{out / "fuzz_safetensors_header"}, pk{out / "fuzz_pickle"}, zp{out / "fuzz_zip"},
      cf{out / "fuzz_config"}, tk{out / "fuzz_tokenizer"};
  for (Corpus* c : {&st, &pk, &zp, &cf, &tk}) fs::create_directories(c->dir);
  try {
    add_tokenizer_seeds(tokenizers, tk);
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(fixtures))
      if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      const std::string name = safe_name(fs::relative(f, fixtures));
      if (f.filename() == "config.json") {
        cf.add(name, read_file(f));
      } else if (f.extension() == ".safetensors") {
        std::string bytes = read_file(f);
        lathe::SafetensorsHeader h = lathe::read_safetensors_header(f.string());  // must be valid
        st.add(name, u64le(bytes.size() - h.data_start()) + bytes.substr(8, h.header_len));
      } else if (f.extension() == ".bin") {
        std::string bytes = read_file(f);
        zp.add(name, bytes);
        lathe::ZipArchive zip(bytes_of(bytes), bytes.size(), f.string());
        std::vector<std::pair<std::string, std::string>> small;
        for (const auto& e : zip.entries()) {
          std::string data(zip.stored_data(e));
          if (e.name.size() >= 8 && e.name.compare(e.name.size() - 8, 8, "data.pkl") == 0) {
            lathe::read_state_dict_pickle(bytes_of(data), data.size(), e.name);  // must be valid
            pk.add(name + ".data.pkl", data);
          } else if (data.size() > 16) {
            data.resize(16);
          }
          small.emplace_back(e.name, data);
        }
        write_zip(zp.dir / (name + ".small"), small, false);
        write_zip(zp.dir / (name + ".small64"), small, true);
        zp.count += 2;
      }
    }

    // Pickles: valid ones first (checked), then edge and hostile ones.
    const std::string zip_pkl = state_dict_pickle(false), v4 = state_dict_pickle_v4(), legacy = legacy_file();
    lathe::read_state_dict_pickle(bytes_of(zip_pkl), zip_pkl.size(), "zip_pkl");
    lathe::read_state_dict_pickle(bytes_of(v4), v4.size(), "v4");
    lathe::parse_legacy_torch_bin(bytes_of(legacy), legacy.size(), "legacy");
    pk.add("hand_zip_style.pkl", zip_pkl);
    pk.add("hand_protocol4.pkl", v4);
    pk.add("hand_legacy.bin", legacy);
    pk.add("evil_os_system.pkl", Pickle().proto(2).global("os", "system").str("true").op('\x85').op('R').op('.').b);
    pk.add("evil_stack_global.pkl",
           Pickle().proto(4).str("builtins").str("eval").op('\x93').str("1").op('\x85').op('R').op('.').b);
    pk.add("cycle.pkl", Pickle().proto(2).op(']').op('q').op(0).op('h').op(0).op('a').op('.').b);
    pk.add("deep_marks.pkl", Pickle().proto(2).raw(std::string(300, '(')).op('.').b);
    pk.add("deep_lists.pkl", Pickle().proto(2).raw(std::string(300, ']')).raw(std::string(299, 'a')).op('.').b);
    pk.add("huge_lengths.pkl", Pickle().proto(4).op('\x8d').raw(u64le(~0ull)).b);
    const std::string ff(4, '\xff');
    pk.add("long_binput.pkl", Pickle().proto(2).op('N').op('r').raw(ff).op('j').raw(ff).op('.').b);
    pk.add("empty_dict.pkl", Pickle().proto(2).op('}').op('.').b);
    pk.add("truncated.pkl", zip_pkl.substr(0, zip_pkl.size() / 2));

    // Archives.
    write_zip(zp.dir / "hand_bin.zip",
              {{"archive/data.pkl", zip_pkl}, {"archive/byteorder", "little"},
               {"archive/data/0", std::string(24, '\x01')}, {"archive/data/1", std::string(32, '\x03')},
               {"archive/data/2", std::string(12, '\x02')}, {"archive/version", "3\n"}},
              false);
    write_zip(zp.dir / "hand_bin64.zip", {{"archive/data.pkl", zip_pkl}, {"archive/version", "3\n"}}, true);
    write_zip(zp.dir / "empty.zip", {}, false);
    zp.count += 3;
    zp.add("legacy_not_zip.bin", legacy);
    std::string eocd = "PK\x05\x06" + std::string(18, '\0');
    zp.add("eocd_only.zip", eocd);
    zp.add("eocd_lying_count.zip", "PK\x05\x06" + std::string(4, '\0') + "\xff\xff\xff\xff" +
                                     std::string(10, '\0'));

    // Llama-family configs (the torch-free tree path), small and full-sized.
    cf.add("llama_small.json", R"({"model_type":"llama","architectures":["LlamaForCausalLM"],"hidden_size":64,)"
                               R"("intermediate_size":128,"num_hidden_layers":2,"num_attention_heads":4,)"
                               R"("num_key_value_heads":2,"vocab_size":100,"torch_dtype":"float16"})");
    cf.add("llama2_7b.json", R"({"model_type":"llama","architectures":["LlamaForCausalLM"],"hidden_size":4096,)"
                             R"("intermediate_size":11008,"num_hidden_layers":32,"num_attention_heads":32,)"
                             R"("vocab_size":32000,"torch_dtype":"float16","rope_scaling":null})");
    cf.add("mistral.json", R"({"model_type":"mistral","architectures":["MistralForCausalLM"],"hidden_size":32,)"
                           R"("intermediate_size":64,"num_hidden_layers":1,"num_attention_heads":4,"num_key_value_heads":1,)"
                           R"("vocab_size":50,"sliding_window":4096,"tie_word_embeddings":true,"torch_dtype":"bfloat16"})");
    cf.add("qwen2.json", R"({"model_type":"qwen2","architectures":["Qwen2Model"],"hidden_size":48,"head_dim":16,)"
                         R"("intermediate_size":96,"num_hidden_layers":3,"num_attention_heads":6,"num_key_value_heads":3,)"
                         R"("vocab_size":77,"rope_scaling":{"rope_type":"linear","factor":2.0},"torch_dtype":"float32"})");

    // safetensors headers (data size prefix, then the JSON).
    auto h = [&](const std::string& name, std::uint64_t data, const std::string& json) {
      st.add(name, u64le(data) + json);
    };
    h("empty_object", 0, "{}");
    h("metadata_only", 0, "{\"__metadata__\":{\"format\":\"pt\"}}");
    h("scalar", 4, "{\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}");
    h("zero_dim", 0, "{\"z\":{\"dtype\":\"BF16\",\"shape\":[0,3],\"data_offsets\":[0,0]}}");
    std::string all = "{";
    std::uint64_t off = 0;
    const char* codes[] = {"BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16",
                           "BF16", "I32", "U32", "F32", "F64", "I64", "U64"};
    const int sizes[] = {1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 8, 8, 8};
    for (int i = 0; i < 15; ++i) {
      std::uint64_t n = 2u * static_cast<std::uint64_t>(sizes[i]);
      all += std::string(i ? "," : "") + "\"t" + std::to_string(i) + "\":{\"dtype\":\"" + codes[i] +
             "\",\"shape\":[2],\"data_offsets\":[" + std::to_string(off) + "," + std::to_string(off + n) + "]}";
      off += n;
    }
    h("all_dtypes", off, all + "}");
    h("overflow_shape", 16,
      "{\"x\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296,2],\"data_offsets\":[0,16]}}");
    h("overlap", 8,
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
      "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}");
    h("gap", 12,
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
      "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}");
    h("duplicate", 4,
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
      "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
    h("unknown_dtype", 4, "{\"a\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,4]}}");
    h("bad_types", 4, "{\"a\":{\"dtype\":7,\"shape\":[-1.5],\"data_offsets\":[\"0\",4e400]}}");
    h("deep", 0, "{\"a\":" + std::string(5000, '[') + std::string(5000, ']') + "}");
    h("not_object", 0, "[1,2,3]");
    h("bad_utf8", 0, "{\"\xff\xfe\":1,\"\\ud800\":2}");
    h("bom_and_padding", 0, "\xef\xbb\xbf{}       ");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_seeds: %s\n", e.what());
    return 1;
  }
  std::printf("seeds: %d safetensors headers, %d pickles, %d zips, %d configs, %d tokenizers\n", st.count, pk.count,
              zp.count, cf.count, tk.count);
  return 0;
}
