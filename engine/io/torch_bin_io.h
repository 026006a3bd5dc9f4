// PyTorch checkpoints as tensors (internal: includes ATen).
#pragma once

#include "core/progress.h"
#include "io/state_dict.h"

#include <string>

namespace lathe {

/// Loads a `.bin` state_dict (zip or legacy format) into tensors in pickle
/// order. Storage records are mapped zero-copy where aligned (else copied);
/// tensors that share a storage in the file share it here (ties stay tied).
/// Throws as inspect_torch_bin, and Cancelled when `progress` asks to stop.
StateDict load_torch_bin(const std::string& path, ProgressSink* progress = nullptr);

/// Writes a state_dict that `torch.load(path, weights_only=True)` reads back
/// as an OrderedDict with the same names, dtypes, shapes, values and storage
/// sharing. Atomic (temp file + fsync + rename). Tensors sharing a storage are
/// written as one storage record holding only the span they use, with their
/// offsets and strides (non-contiguous views stay views). Throws
/// Error(InvalidArgument) for undefined or non-CPU tensors, Error(Unsupported)
/// for dtypes torch 1.13 cannot store (F8_*, U16, U32, U64, complex) or
/// non-dense tensors, Error(Io) on write failure, Cancelled from `progress`.
void save_torch_bin(const StateDict& sd, const std::string& path,
                    ProgressSink* progress = nullptr);

}  // namespace lathe
