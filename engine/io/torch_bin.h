// PyTorch checkpoints (`pytorch_model.bin`): header-level view, no torch.
//
// Read through Lathe's own restricted unpickler (pickle_reader.h): only the
// opcodes and globals a state_dict needs; any other global is refused with
// Error(UnsafePickle) naming it, and nothing is ever executed.
#pragma once

#include "io/tensor_info.h"

#include <string>
#include <vector>

namespace lathe {

/// Tensors of a `.bin` file in pickle order, from data.pkl alone (no tensor
/// data is read). TensorInfo::storage holds the storage key: equal keys share
/// storage (tied weights). Handles the zip format and the legacy format.
/// TensorInfo::data_begin/data_end are byte offsets within the storage record
/// (data_end: one past the furthest element the strides reach).
/// Throws Error(NotFound/Io/CorruptFile/UnsafePickle), or Error(Unsupported)
/// for a valid pickle that is not a flat name → tensor dict.
std::vector<TensorInfo> inspect_torch_bin(const std::string& path);

}  // namespace lathe
