#include "models/offload.h"

#include "core/error.h"
#include "core/json_util.h"
#include "io/torch_dtype.h"

#include <ATen/ops/empty.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace lathe::models {
namespace {

std::uint64_t numel_of(const std::vector<std::int64_t>& shape) {
  std::uint64_t n = 1;
  for (auto d : shape) n *= static_cast<std::uint64_t>(d);
  return n;
}

// numpy names (accelerate's index.json) and back.
const std::pair<DType, const char*> kNames[] = {
    {DType::F32, "float32"}, {DType::F16, "float16"}, {DType::BF16, "bfloat16"}, {DType::F64, "float64"},
    {DType::I64, "int64"},   {DType::I32, "int32"},   {DType::I16, "int16"},     {DType::I8, "int8"},
    {DType::U8, "uint8"},    {DType::Bool, "bool"},
};

std::optional<DType> dtype_of_name(const std::string& n) {
  for (const auto& [d, name] : kNames)
    if (n == name) return d;
  return std::nullopt;
}

}  // namespace

std::uint64_t OffloadEntry::nbytes() const { return numel_of(shape) * dtype_size(stored); }

const char* offload_dtype_name(DType d) {
  for (const auto& [dt, name] : kNames)
    if (dt == d) return name;
  throw Error(ErrorCode::Unsupported, std::string("dtype ") + dtype_code(d) + " cannot be offloaded to a folder");
}

const OffloadEntry* OffloadedWeights::find(const std::string& name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : &it->second;
}

at::Tensor OffloadedWeights::load(const OffloadEntry& e) const {
  auto& f = files_[e.file];
  if (!f) f = std::make_shared<ReadFile>(e.file);
  at::Tensor t = at::empty(e.shape, at::TensorOptions().dtype(to_scalar_type(e.stored)));
  if (e.nbytes()) f->read_exact(e.offset, t.data_ptr(), e.nbytes());
  if (at::isFloatingType(t.scalar_type()) && t.scalar_type() != e.target) return t.to(e.target);
  return t;
}

OffloadFolderWriter::OffloadFolderWriter(std::string folder) : folder_(std::move(folder)) {
  if (folder_.empty()) throw Error(ErrorCode::InvalidArgument, "offload_folder is empty");
  if (path_exists(folder_) && !is_directory(folder_))
    throw Error(ErrorCode::InvalidArgument, "offload_folder exists and is not a folder", folder_);
  if (!path_exists(folder_) && ::mkdir(folder_.c_str(), 0755) != 0 && !is_directory(folder_))
    throw Error(ErrorCode::Io, std::string("cannot create the offload folder: ") + std::strerror(errno), folder_);
  // save_offload_index merges into an existing index. Keep its entries, then
  // remove it before any .dat changes: an index is only ever next to the files
  // it describes.
  const std::string index = path_join(folder_, "index.json");
  if (path_exists(index)) {
    try {
      auto j = parse_json(read_text_file(index), index, static_cast<int>(ErrorCode::CorruptFile));
      if (j.is_object())
        for (auto it = j.begin(); it != j.end(); ++it)
          if (it->is_object() && it->contains("dtype") && it->contains("shape") && (*it)["dtype"].is_string())
            index_[it.key()] = {(*it)["dtype"].get<std::string>(), (*it)["shape"].get<std::vector<std::int64_t>>()};
    } catch (const std::exception&) {
      // An unreadable old index has nothing worth merging.
    }
    if (::unlink(index.c_str()) != 0)
      throw Error(ErrorCode::Io, std::string("cannot replace index.json: ") + std::strerror(errno), index);
    fsync_dir(folder_);
  }
}

OffloadEntry OffloadFolderWriter::add(const std::string& name, const at::Tensor& tensor) {
  if (committed_) throw Error(ErrorCode::Internal, "offload folder already committed", folder_);
  if (!is_safe_relative_path(name + ".dat") || name.find('/') != std::string::npos)
    throw Error(ErrorCode::InvalidArgument, "tensor name cannot be a file name", name);
  OffloadEntry e;
  e.file = path_join(folder_, name + ".dat");
  e.stored = from_scalar_type(tensor.scalar_type());
  e.target = tensor.scalar_type();
  e.shape = tensor.sizes().vec();
  at::Tensor c = tensor.contiguous();
  AtomicFile f(e.file);
  f.write(c.data_ptr(), e.nbytes());
  f.commit();
  index_[name] = {offload_dtype_name(e.stored), e.shape};
  return e;
}

void OffloadFolderWriter::commit() {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [name, v] : index_) j[name] = {{"dtype", v.first}, {"shape", v.second}};
  write_text_file_atomic(path_join(folder_, "index.json"), j.dump(2));
  committed_ = true;
}

OffloadedWeights read_offload_folder(const std::string& folder) {
  const std::string index = path_join(folder, "index.json");
  if (!path_exists(index)) throw Error(ErrorCode::NotFound, "no index.json in the offload folder", folder);
  auto j = parse_json(read_text_file(index), index, static_cast<int>(ErrorCode::CorruptFile));
  if (!j.is_object()) throw Error(ErrorCode::CorruptFile, "index.json is not an object", index);
  OffloadedWeights w;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const auto& v = it.value();
    if (!v.is_object() || !v.contains("dtype") || !v["dtype"].is_string() || !v.contains("shape") || !v["shape"].is_array())
      throw Error(ErrorCode::CorruptFile, "index entry without dtype/shape", it.key());
    auto d = dtype_of_name(v["dtype"].get<std::string>());
    if (!d) throw Error(ErrorCode::CorruptFile, "unknown dtype '" + v["dtype"].get<std::string>() + "'", it.key());
    OffloadEntry e;
    e.stored = *d;
    e.target = to_scalar_type(*d);
    for (const auto& s : v["shape"]) {
      if (!s.is_number_unsigned()) throw Error(ErrorCode::CorruptFile, "bad shape", it.key());
      e.shape.push_back(s.get<std::int64_t>());
    }
    if (!is_safe_relative_path(it.key() + ".dat") || it.key().find('/') != std::string::npos)
      throw Error(ErrorCode::CorruptFile, "index names a file outside the folder", it.key());
    e.file = path_join(folder, it.key() + ".dat");
    // A 0-d tensor is stored as shape (1,): same byte count.
    if (!path_exists(e.file)) throw Error(ErrorCode::CorruptFile, "index.json names a missing file", e.file);
    if (ReadFile(e.file).size() != e.nbytes()) throw Error(ErrorCode::CorruptFile, "offloaded file has the wrong size", e.file);
    w.add(it.key(), std::move(e));
  }
  return w;
}

void OffloadState::track(at::Tensor* slot, const OffloadEntry* entry) {
  Slot s{entry, at::empty(entry->shape, at::TensorOptions().dtype(entry->target).device(c10::DeviceType::Meta)), 0};
  *slot = s.meta;
  slots_[slot] = std::move(s);
}

void OffloadState::acquire(at::Tensor* slot) {
  Slot& s = slots_.at(slot);
  if (s.refs++ > 0) return;
  try {
    *slot = weights_.load(*s.entry);
  } catch (...) {
    --s.refs;
    throw;
  }
  const std::uint64_t n = slot->nbytes();
  stats_.loads++;
  stats_.bytes_loaded += n;
  stats_.resident += n;
  stats_.peak_resident = std::max(stats_.peak_resident, stats_.resident);
}

void OffloadState::release(at::Tensor* slot) noexcept {
  auto it = slots_.find(slot);
  if (it == slots_.end() || it->second.refs == 0 || --it->second.refs > 0) return;
  stats_.resident -= slot->nbytes();
  *slot = it->second.meta;  // set_module_tensor_to_device(..., "meta")
}

void AlignDevicesHook::pre_forward(const nn::Module&) {
  std::size_t done = 0;
  try {
    for (; done < tensors_.size(); ++done) state_->acquire(tensors_[done]);
  } catch (...) {
    while (done > 0) state_->release(tensors_[--done]);
    throw;
  }
}

void AlignDevicesHook::post_forward(const nn::Module&) noexcept {
  for (auto* t : tensors_) state_->release(t);
}

}  // namespace lathe::models
