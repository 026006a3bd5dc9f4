// Disk offload (accelerate 1.2.1's OffloadedWeightsLoader, offload folder and
// AlignDevicesHook, semantics.md A2), internal: includes ATen.
//
// An offloaded tensor lives on the meta device in the model. Its bytes stay in
// a file: the original .safetensors (no copy) or `<name>.dat` in an offload
// folder. The hook of each module that directly owns offloaded tensors reads
// them with pread just before the module's forward and drops them right after,
// so a forward holds at most the tensors of the modules currently running.
#pragma once

#include "core/dtype.h"
#include "core/file_util.h"
#include "nn/module.h"

#include <ATen/core/Tensor.h>

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace lathe::models {

/// Where one offloaded tensor's bytes are (an offload-index entry).
struct OffloadEntry {
  std::string file;            ///< absolute path: original .safetensors or <folder>/<name>.dat
  std::uint64_t offset = 0;    ///< first byte of the data in `file`
  DType stored = DType::F32;   ///< dtype of the bytes
  std::vector<std::int64_t> shape;
  c10::ScalarType target = c10::kFloat;  ///< dtype the model holds it in (floating: the model dtype)
  std::uint64_t nbytes() const;
};

/// name → entry; reads tensors on demand (one open descriptor per file).
class OffloadedWeights {
 public:
  void add(const std::string& name, OffloadEntry e) { entries_[name] = std::move(e); }
  const OffloadEntry* find(const std::string& name) const;
  const std::map<std::string, OffloadEntry>& entries() const { return entries_; }
  /// A fresh CPU tensor: the stored bytes, cast to `target` when it differs
  /// (the same .to() the in-memory load applies, so values are identical).
  at::Tensor load(const OffloadEntry& e) const;

 private:
  std::map<std::string, OffloadEntry> entries_;
  mutable std::unordered_map<std::string, std::shared_ptr<ReadFile>> files_;
};

/// numpy's dtype name as accelerate writes it in index.json ("float32", "int64",
/// "bfloat16" for bf16, whose bytes are stored as int16).
const char* offload_dtype_name(DType d);

/// Writes an offload folder in accelerate's format, so that an interrupted
/// write is never trusted: the existing index.json is read (entries are merged
/// as save_offload_index merges them) and removed before any .dat is touched;
/// each .dat is written atomically; the merged index.json is written
/// atomically last, by commit().
class OffloadFolderWriter {
 public:
  explicit OffloadFolderWriter(std::string folder);
  /// Writes `<name>.dat` (raw C-order bytes; 0-d as shape (1,)); returns its entry.
  OffloadEntry add(const std::string& name, const at::Tensor& t);
  void commit();
  const std::string& folder() const { return folder_; }

 private:
  std::string folder_;
  std::map<std::string, std::pair<std::string, std::vector<std::int64_t>>> index_;  ///< name → dtype, shape
  bool committed_ = false;
};

/// Reads a complete offload folder: index.json plus every `.dat` it names, each
/// of exactly numel × itemsize bytes. Error(NotFound) without index.json (an
/// interrupted write leaves none), Error(CorruptFile) on anything inconsistent.
/// Entries get `target` = their stored dtype.
OffloadedWeights read_offload_folder(const std::string& folder);

/// Counts for reports and tests.
struct OffloadStats {
  std::int64_t loads = 0;           ///< tensors brought in
  std::uint64_t bytes_loaded = 0;   ///< their bytes in total
  std::uint64_t resident = 0;       ///< offloaded bytes held right now
  std::uint64_t peak_resident = 0;  ///< the most held at once
};

/// The shared state of every hook of one model: per tensor a reference count,
/// so a tensor two modules hold (tied weights, BERT's decoder bias) is read
/// once while either runs and dropped when neither does.
class OffloadState {
 public:
  explicit OffloadState(OffloadedWeights w) : weights_(std::move(w)) {}
  /// Puts `slot` (a parameter or buffer tensor of the model) under management:
  /// it becomes a meta tensor of its shape and dtype.
  void track(at::Tensor* slot, const OffloadEntry* entry);
  bool tracked(const at::Tensor* slot) const { return slots_.count(const_cast<at::Tensor*>(slot)) > 0; }
  void acquire(at::Tensor* slot);
  void release(at::Tensor* slot) noexcept;
  const OffloadedWeights& weights() const { return weights_; }
  const OffloadStats& stats() const { return stats_; }

 private:
  struct Slot {
    const OffloadEntry* entry;
    at::Tensor meta;
    int refs = 0;
  };
  OffloadedWeights weights_;
  std::unordered_map<at::Tensor*, Slot> slots_;
  OffloadStats stats_;
};

/// AlignDevicesHook(offload=True, place_submodules=False): the module's own
/// offloaded tensors are loaded at pre_forward and released at post_forward.
class AlignDevicesHook : public nn::ModuleHook {
 public:
  AlignDevicesHook(std::shared_ptr<OffloadState> state, std::vector<at::Tensor*> tensors)
      : state_(std::move(state)), tensors_(std::move(tensors)) {}
  void pre_forward(const nn::Module& m) override;
  void post_forward(const nn::Module& m) noexcept override;
  const std::shared_ptr<OffloadState>& state() const { return state_; }
  const std::vector<at::Tensor*>& tensors() const { return tensors_; }

 private:
  std::shared_ptr<OffloadState> state_;
  std::vector<at::Tensor*> tensors_;
};

}  // namespace lathe::models
