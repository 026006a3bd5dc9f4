// PyTorch `.bin` checkpoints <-> tensors. The one torch translation unit for
// the format; the parsing itself is torch-free (zip_reader, pickle_reader).
#include "io/torch_bin.h"
#include "io/torch_bin_io.h"

#include "core/error.h"
#include "core/file_util.h"
#include "io/pickle_reader.h"
#include "io/torch_dtype.h"
#include "io/zip_reader.h"
#include "io/zip_writer.h"

#include <ATen/core/Tensor.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/from_blob.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace lathe {
namespace {

// ---------------------------------------------------------------------------
// Reading: where each storage's bytes are, for both formats.

struct StorageRecord {
  DType dtype = DType::F32;
  std::uint64_t numel = 0;
  std::uint64_t offset = 0;  // file offset of the first element
};

struct BinLayout {
  std::vector<PickleTensor> tensors;
  std::vector<std::string> order;  // storage keys, first use first
  std::unordered_map<std::string, StorageRecord> storages;
};

void collect_order(BinLayout& l) {
  std::unordered_set<std::string> seen;
  for (const PickleTensor& t : l.tensors)
    if (seen.insert(t.storage).second) l.order.push_back(t.storage);
}

BinLayout zip_layout(const std::uint8_t* data, std::uint64_t size, const std::string& path) {
  auto corrupt = [&](const std::string& what) { return Error(ErrorCode::CorruptFile, what, path); };
  ZipArchive zip(data, size, path);
  // Like torch's reader: the folder of the first entry names the archive
  // ("archive/", "pytorch_model/", ...), whatever the file is called now.
  if (zip.entries().empty()) throw corrupt("empty zip archive");
  const std::string& first = zip.entries().front().name;
  auto slash = first.find('/');
  if (slash == std::string::npos) throw corrupt("zip entries are not in an archive folder");
  const std::string prefix = first.substr(0, slash + 1);

  const ZipEntry* pkl = zip.find(prefix + "data.pkl");
  if (!pkl) throw corrupt("no data.pkl in the archive");
  zip.verify_crc(*pkl);  // small, and a flipped bit here would misplace every tensor
  if (const ZipEntry* order = zip.find(prefix + "byteorder"))
    if (zip.stored_data(*order) != "little")
      throw Error(ErrorCode::Unsupported, "big-endian torch file", path);

  std::string_view pickle = zip.stored_data(*pkl);
  BinLayout l;
  l.tensors = read_state_dict_pickle(reinterpret_cast<const std::uint8_t*>(pickle.data()),
                                     pickle.size(), path);
  for (const PickleTensor& t : l.tensors) {
    if (l.storages.count(t.storage)) continue;
    const ZipEntry* rec = zip.find(prefix + "data/" + t.storage);
    if (!rec) throw corrupt("storage record data/" + t.storage + " is missing");
    std::string_view bytes = zip.stored_data(*rec);
    if (bytes.size() / dtype_size(t.dtype) < t.storage_numel)
      throw corrupt("storage record data/" + t.storage + " is shorter than its " +
                    std::to_string(t.storage_numel) + " elements");
    l.storages[t.storage] = {t.dtype, t.storage_numel, rec->data_offset};
  }
  collect_order(l);
  return l;
}

BinLayout legacy_layout(const std::uint8_t* data, std::uint64_t size, const std::string& path) {
  LegacyTorchBin legacy = parse_legacy_torch_bin(data, size, path);
  BinLayout l;
  l.tensors = std::move(legacy.tensors);
  for (const LegacyStorage& s : legacy.storages) l.storages[s.key] = {s.dtype, s.numel, s.data_offset};
  collect_order(l);
  return l;
}

BinLayout read_layout(const MappedFile& f) {
  if (looks_like_zip(f.data(), f.size())) return zip_layout(f.data(), f.size(), f.path());
  if (f.size() >= 2 && f.data()[0] == 0x80) return legacy_layout(f.data(), f.size(), f.path());
  throw Error(ErrorCode::CorruptFile, "not a PyTorch checkpoint (neither zip nor pickle)", f.path());
}

// ---------------------------------------------------------------------------
// Writing: a protocol-2 pickle in the shape torch.save gives a state_dict,
// restricted to what torch.load(weights_only=True) of torch 1.13 accepts
// (GLOBAL, not STACK_GLOBAL; BINUNICODE, not SHORT_BINUNICODE).

class PickleWriter {
 public:
  std::string out;

  void op(std::uint8_t c) { out.push_back(static_cast<char>(c)); }
  void le(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void str(const std::string& s) {
    if (s.size() > 0xffffffffu) throw Error(ErrorCode::InvalidArgument, "name too long for a pickle", s.substr(0, 64));
    op('X');
    le(s.size(), 4);
    out += s;
  }
  void integer(std::int64_t v) {
    if (v >= 0 && v < 0x100) {
      op('K');
      le(static_cast<std::uint64_t>(v), 1);
    } else if (v >= 0 && v < 0x10000) {
      op('M');
      le(static_cast<std::uint64_t>(v), 2);
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
      op('J');
      le(static_cast<std::uint32_t>(static_cast<std::int32_t>(v)), 4);
    } else {  // LONG1: the shortest two's complement that keeps the sign bit right
      int n = 8;
      while (n > 1) {
        std::int64_t top = v >> (8 * (n - 1) - 1);
        if (top != 0 && top != -1) break;
        --n;
      }
      op(0x8a);
      le(static_cast<std::uint64_t>(n), 1);
      le(static_cast<std::uint64_t>(v), n);
    }
  }
  void global(const std::string& module, const std::string& name) {
    auto key = module + "\n" + name;
    auto it = memo_.find(key);
    if (it != memo_.end()) {
      get(it->second);
      return;
    }
    op('c');
    out += key + "\n";
    memo_[key] = put();
  }
  void tuple(const std::vector<std::int64_t>& v) {
    if (v.empty()) return op(')');
    if (v.size() > 3) op('(');
    for (auto x : v) integer(x);
    op(v.size() > 3 ? 't' : static_cast<std::uint8_t>(0x85 + v.size() - 1));
  }

 private:
  std::uint32_t put() {
    auto i = next_memo_++;
    if (i < 0x100) {
      op('q');
      le(i, 1);
    } else {
      op('r');
      le(i, 4);
    }
    return i;
  }
  void get(std::uint32_t i) {
    if (i < 0x100) {
      op('h');
      le(i, 1);
    } else {
      op('j');
      le(i, 4);
    }
  }
  std::map<std::string, std::uint32_t> memo_;
  std::uint32_t next_memo_ = 0;
};

const char* storage_type_name(DType d) {
  switch (d) {
    case DType::F32: return "FloatStorage";
    case DType::F16: return "HalfStorage";
    case DType::BF16: return "BFloat16Storage";
    case DType::F64: return "DoubleStorage";
    case DType::I64: return "LongStorage";
    case DType::I32: return "IntStorage";
    case DType::I16: return "ShortStorage";
    case DType::I8: return "CharStorage";
    case DType::U8: return "ByteStorage";
    case DType::Bool: return "BoolStorage";
    default: return nullptr;
  }
}

/// One storage to write: the smallest span of an in-memory storage that holds
/// every tensor viewing it, so a slice of a huge tensor does not drag the rest along.
struct OutStorage {
  const c10::StorageImpl* impl = nullptr;
  DType dtype = DType::F32;
  std::string key;
  const char* base = nullptr;  // the in-memory storage's first byte
  std::int64_t first = 0;      // elements, inclusive
  std::int64_t end = 0;        // elements, exclusive; first == end: empty
};

struct OutTensor {
  std::size_t storage;
  std::int64_t offset;  // within the written span
  std::vector<std::int64_t> shape, stride;
};

std::string archive_name(const std::string& path) {
  std::string stem = path_basename(path);
  auto dot = stem.rfind('.');
  if (dot != std::string::npos && dot > 0) stem.resize(dot);
  for (char c : stem)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-'))
      return "archive";
  return stem.empty() ? "archive" : stem;
}

}  // namespace

std::vector<TensorInfo> inspect_torch_bin(const std::string& path) {
  // Mapping reads nothing until touched: only the directory and data.pkl pages are.
  auto file = MappedFile::open(path);
  BinLayout l = read_layout(*file);
  std::vector<TensorInfo> out;
  out.reserve(l.tensors.size());
  const std::string base = path_basename(path);
  for (const PickleTensor& t : l.tensors) {
    TensorInfo i;
    i.name = t.name;
    i.dtype = t.dtype;
    i.shape = t.shape;
    i.file = base;
    i.storage = t.storage;
    const std::uint64_t item = dtype_size(t.dtype);
    i.nbytes = static_cast<std::uint64_t>(i.numel()) * item;
    i.data_begin = static_cast<std::uint64_t>(t.storage_offset) * item;
    // data_end: one past the furthest element addressed (strides included).
    std::int64_t last = t.storage_offset;
    for (std::size_t d = 0; d < t.shape.size(); ++d) last += (t.shape[d] - 1) * t.stride[d];
    i.data_end = i.numel() == 0 ? i.data_begin : static_cast<std::uint64_t>(last + 1) * item;
    out.push_back(std::move(i));
  }
  return out;
}

StateDict load_torch_bin(const std::string& path, ProgressSink* progress) {
  auto file = MappedFile::open(path);
  BinLayout l = read_layout(*file);
  std::uint64_t total = 0, done = 0;
  for (const auto& [key, s] : l.storages) total += s.numel * dtype_size(s.dtype);
  const std::string stage = "reading " + path_basename(path);

  std::unordered_map<std::string, at::Tensor> bases;
  for (const std::string& key : l.order) {
    check_progress(progress, stage, done, total);
    const StorageRecord& s = l.storages.at(key);
    const auto options = at::TensorOptions().dtype(to_scalar_type(s.dtype));
    const auto numel = static_cast<std::int64_t>(s.numel);
    const std::uint64_t nbytes = s.numel * dtype_size(s.dtype);
    std::uint8_t* ptr = file->mutable_data() + s.offset;
    at::Tensor base;
    if (nbytes == 0) {
      base = at::empty({0}, options);
    } else if (reinterpret_cast<std::uintptr_t>(ptr) % dtype_size(s.dtype) == 0) {
      // Zero copy: the storage keeps the mapping alive; writes are copy-on-write.
      base = at::from_blob(ptr, {numel}, [file](void*) {}, options);
    } else {
      base = at::empty({numel}, options);
      std::memcpy(base.data_ptr(), ptr, nbytes);
    }
    bases.emplace(key, std::move(base));
    done += nbytes;
  }
  check_progress(progress, stage, done, total);

  StateDict sd;
  for (const PickleTensor& t : l.tensors)
    sd.insert(t.name, bases.at(t.storage).as_strided(t.shape, t.stride, t.storage_offset));
  return sd;
}

void save_torch_bin(const StateDict& sd, const std::string& path, ProgressSink* progress) {
  std::vector<OutStorage> storages;
  std::vector<OutTensor> tensors;
  std::map<std::pair<const c10::StorageImpl*, DType>, std::size_t> by_storage;
  std::vector<at::Tensor> keep;  // resolved copies must outlive the write
  for (const auto& [name, t0] : sd.items()) {
    if (!t0.defined()) throw Error(ErrorCode::InvalidArgument, "undefined tensor", name);
    if (t0.device().type() != c10::DeviceType::CPU)
      throw Error(ErrorCode::InvalidArgument, "tensor is not on the CPU", name);
    if (t0.layout() != c10::Layout::Strided || t0.is_quantized())
      throw Error(ErrorCode::Unsupported, ".bin writing supports dense tensors only", name);
    if (const DType* raw = sd.file_dtype(name))
      throw Error(ErrorCode::Unsupported,
                  std::string("dtype ") + dtype_code(*raw) + " has no PyTorch 1.13 storage type", name);
    at::Tensor t = t0.is_neg() ? t0.resolve_neg() : t0;  // the stored bits must be the values
    keep.push_back(t);
    const DType dtype = from_scalar_type(t.scalar_type());
    if (!storage_type_name(dtype))
      throw Error(ErrorCode::Unsupported, std::string("dtype ") + dtype_code(dtype) + " cannot be saved", name);

    const c10::StorageImpl* impl = t.storage().unsafeGetStorageImpl();
    auto [it, inserted] = by_storage.emplace(std::make_pair(impl, dtype), storages.size());
    if (inserted) {
      OutStorage s;
      s.impl = impl;
      s.dtype = dtype;
      s.key = std::to_string(storages.size());
      s.base = static_cast<const char*>(t.storage().data());
      storages.push_back(s);
    }
    OutStorage& s = storages[it->second];
    OutTensor o{it->second, 0, t.sizes().vec(), t.strides().vec()};
    if (t.numel() > 0) {
      std::int64_t last = t.storage_offset();
      for (std::size_t d = 0; d < o.shape.size(); ++d) last += (o.shape[d] - 1) * o.stride[d];
      if (s.first == s.end) {
        s.first = t.storage_offset();
        s.end = last + 1;
      } else {
        s.first = std::min(s.first, t.storage_offset());
        s.end = std::max(s.end, last + 1);
      }
      o.offset = t.storage_offset();  // rebased below, once the span is known
    } else {
      o.offset = -1;  // empty: offset 0 in whatever span
    }
    tensors.push_back(std::move(o));
  }
  for (OutTensor& o : tensors) o.offset = o.offset < 0 ? 0 : o.offset - storages[o.storage].first;

  PickleWriter p;
  p.op(0x80);
  p.op(2);
  p.global("collections", "OrderedDict");
  p.op(')');
  p.op('R');
  const auto& items = sd.items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i % 1000 == 0) p.op('(');  // SETITEMS in batches, as Python's pickler does
    const OutTensor& o = tensors[i];
    const OutStorage& s = storages[o.storage];
    p.str(items[i].first);
    p.global("torch._utils", "_rebuild_tensor_v2");
    p.op('(');
    p.op('(');  // persistent id: ('storage', type, key, location, numel)
    p.str("storage");
    p.global("torch", storage_type_name(s.dtype));
    p.str(s.key);
    p.str("cpu");
    p.integer(s.end - s.first);
    p.op('t');
    p.op('Q');
    p.integer(o.offset);
    p.tuple(o.shape);
    p.tuple(o.stride);
    p.op(0x89);  // requires_grad = False
    p.global("collections", "OrderedDict");
    p.op(')');
    p.op('R');  // backward hooks: OrderedDict()
    p.op('t');
    p.op('R');
    if (i % 1000 == 999 || i + 1 == items.size()) p.op('u');
  }
  p.op('.');

  const std::string prefix = archive_name(path) + "/";
  std::uint64_t total = 0, done = 0;
  for (const OutStorage& s : storages) total += static_cast<std::uint64_t>(s.end - s.first) * dtype_size(s.dtype);
  const std::string stage = "writing " + path_basename(path);
  ZipWriter zip(path);
  zip.add(prefix + "data.pkl", p.out.data(), p.out.size());
  for (const OutStorage& s : storages) {
    check_progress(progress, stage, done, total);
    const std::uint64_t item = dtype_size(s.dtype);
    const std::uint64_t nbytes = static_cast<std::uint64_t>(s.end - s.first) * item;
    zip.add(prefix + "data/" + s.key, s.base + static_cast<std::uint64_t>(s.first) * item, nbytes);
    done += nbytes;
  }
  check_progress(progress, stage, done, total);
  zip.add(prefix + "version", "3\n", 2);
  zip.finish();
}

}  // namespace lathe
