// safetensors <-> tensors. One torch translation unit; narrow ATen headers only.
#include "io/safetensors_io.h"

#include "core/error.h"
#include "core/file_util.h"
#include "io/torch_dtype.h"

#include <ATen/core/Tensor.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/from_blob.h>

#include <cstring>
#include <set>

namespace lathe {

at::Tensor contiguous_cpu(const at::Tensor& t) { return t.is_contiguous() ? t : t.contiguous(); }

DType file_dtype_of(const StateDict& sd, const std::string& name, const at::Tensor& t) {
  if (const DType* tag = sd.file_dtype(name)) return *tag;
  return from_scalar_type(t.scalar_type());
}

StateDict load_safetensors(const std::string& path, const SafetensorsLoadOptions& opts,
                           SafetensorsHeader* header_out) {
  // Validate from the header alone first: a lying header must fail before we
  // map anything or trust any offset.
  SafetensorsHeader h = read_safetensors_header(path);
  auto map = MappedFile::open(path, opts.populate);
  if (map->size() != 8 + h.header_len + (h.tensors.empty() ? 0 : h.tensors.back().data_end))
    throw Error(ErrorCode::CorruptFile, "file changed while it was being read", path);
  StateDict sd;
  const std::uint64_t base = h.data_start();
  for (const auto& t : h.tensors) {
    bool raw = false;
    c10::ScalarType st = to_scalar_type(t.dtype, &raw);
    auto options = at::TensorOptions().dtype(st);
    std::uint8_t* ptr = map->mutable_data() + base + t.data_begin;
    at::Tensor tensor;
    if (t.nbytes == 0) {
      tensor = at::empty(t.shape, options);
    } else if (reinterpret_cast<std::uintptr_t>(ptr) % dtype_size(t.dtype) == 0) {
      tensor = at::from_blob(ptr, t.shape, [map](void*) {}, options);
    } else {
      tensor = at::empty(t.shape, options);
      std::memcpy(tensor.data_ptr(), ptr, t.nbytes);
    }
    sd.insert(t.name, std::move(tensor));
    if (raw) sd.set_file_dtype(t.name, t.dtype);
  }
  if (header_out) *header_out = std::move(h);
  return sd;
}

namespace {

// Two entries overlapping in memory cannot both be written (the reference
// library refuses too); report the first such pair.
void refuse_shared(const StateDict& sd, const std::string& path) {
  struct Span { std::uintptr_t begin, end; const std::string* name; };
  std::vector<Span> spans;
  for (const auto& [name, t] : sd.items()) {
    if (t.numel() == 0) continue;
    auto b = reinterpret_cast<std::uintptr_t>(t.data_ptr());
    spans.push_back({b, b + static_cast<std::uintptr_t>(t.numel() * t.element_size()), &name});
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  for (std::size_t i = 1; i < spans.size(); ++i)
    if (spans[i].begin < spans[i - 1].end)
      throw Error(ErrorCode::InvalidArgument,
                  "tensors '" + *spans[i - 1].name + "' and '" + *spans[i].name +
                      "' share memory; safetensors stores each tensor once (drop tied duplicates)",
                  path);
}

}  // namespace

void save_safetensors(const StateDict& sd, const std::string& path,
                      const std::map<std::string, std::string>& metadata, ProgressSink* progress) {
  refuse_shared(sd, path);
  std::vector<SafetensorsEntry> entries;
  std::vector<at::Tensor> data;
  entries.reserve(sd.size());
  std::uint64_t total = 0;
  for (const auto& [name, t] : sd.items()) {
    if (t.device().type() != c10::DeviceType::CPU)
      throw Error(ErrorCode::InvalidArgument, "tensor is not on the CPU", name);
    at::Tensor c = contiguous_cpu(t);
    SafetensorsEntry e{name, file_dtype_of(sd, name, t), c.sizes().vec(),
                       static_cast<std::uint64_t>(c.numel()) * c.element_size()};
    total += e.nbytes;
    entries.push_back(std::move(e));
    data.push_back(std::move(c));
  }
  std::vector<std::size_t> order;
  std::string header = build_safetensors_header(entries, metadata, &order);
  AtomicFile out(path);
  std::uint8_t len[8];
  std::uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) len[i] = static_cast<std::uint8_t>(n >> (8 * i));
  out.write(len, 8);
  out.write(header);
  std::uint64_t done = 0;
  const std::string stage = "writing " + path_basename(path);
  for (std::size_t i : order) {
    check_progress(progress, stage, done, total);
    if (entries[i].nbytes) out.write(data[i].data_ptr(), entries[i].nbytes);
    done += entries[i].nbytes;
  }
  check_progress(progress, stage, done, total);
  out.commit();
}

}  // namespace lathe
