// A restricted unpickler for PyTorch state_dicts. Torch-free, never executes
// anything, and a pure function of a byte buffer (so it can be fuzzed).
//
// It interprets only what torch.save emits for a state_dict: protocol 2-5
// containers, scalars and strings, the globals `collections.OrderedDict`,
// `torch._utils._rebuild_tensor_v2` / `_rebuild_tensor` / `_rebuild_parameter`,
// the `torch.*Storage` types and `torch.<dtype>` names, and persistent ids of
// kind 'storage'. Any other global is refused with Error(UnsafePickle) at the
// opcode that names it, before anything it could be applied to is read;
// malformed input gives Error(CorruptFile). Stack, memo, object count and
// nesting depth are capped so hostile input cannot exhaust memory or recurse.
#pragma once

#include "core/dtype.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lathe {

/// One tensor of a state_dict as the pickle describes it.
struct PickleTensor {
  std::string name;
  std::string storage;                ///< storage key ("0", "12", ...): equal keys share storage
  DType dtype = DType::F32;           ///< element type of the storage
  std::uint64_t storage_numel = 0;    ///< elements in the whole storage record
  std::int64_t storage_offset = 0;    ///< first element, counted in elements
  std::vector<std::int64_t> shape;
  std::vector<std::int64_t> stride;   ///< in elements
};

struct PickleLimits {
  std::size_t max_stack = std::size_t{1} << 22;    ///< values on the stack
  std::size_t max_memo = std::size_t{1} << 24;     ///< memo entries
  std::size_t max_objects = std::size_t{1} << 24;  ///< strings/containers/tensors created
  std::size_t max_depth = 200;                     ///< MARK nesting and container nesting
  std::size_t max_dims = 64;                       ///< tensor rank
};

/// Runs a state_dict pickle (a zip archive's `data.pkl`, or the main pickle of
/// a legacy file) and returns its tensors in insertion (pickle) order. Every
/// tensor is checked to lie inside its storage (offset, shape and stride
/// against the storage's element count); tensors naming the same storage key
/// must agree on its dtype and size. `consumed`, when given, receives the
/// offset just past the STOP opcode. `context` (the file path) goes into errors.
/// Throws Error(UnsafePickle) for a refused global or persistent id,
/// Error(Unsupported) when the pickle is valid but not a flat name → tensor
/// dict, Error(CorruptFile) for anything malformed or over a limit.
std::vector<PickleTensor> read_state_dict_pickle(const std::uint8_t* data, std::size_t size,
                                                 const std::string& context,
                                                 std::size_t* consumed = nullptr,
                                                 const PickleLimits& limits = PickleLimits());

/// A storage record of a legacy (non-zip) torch.save file.
struct LegacyStorage {
  std::string key;
  DType dtype = DType::F32;
  std::uint64_t numel = 0;
  std::uint64_t data_offset = 0;  ///< file offset of the first byte of element data
};

struct LegacyTorchBin {
  std::vector<PickleTensor> tensors;
  std::vector<LegacyStorage> storages;  ///< in file order
};

/// Parses a legacy torch.save file (`_use_new_zipfile_serialization=False`):
/// magic-number, protocol-version and sys-info pickles, the state_dict pickle,
/// the storage-key list pickle, then per storage an int64 element count and
/// the raw little-endian elements. Checks the magic, the endianness, that
/// every storage is listed once and that every record lies inside the buffer.
/// Throws as read_state_dict_pickle.
LegacyTorchBin parse_legacy_torch_bin(const std::uint8_t* data, std::uint64_t size,
                                      const std::string& context,
                                      const PickleLimits& limits = PickleLimits());

}  // namespace lathe
