// safetensors files as tensors (internal: includes ATen).
#pragma once

#include "core/progress.h"
#include "io/safetensors.h"
#include "io/state_dict.h"

#include <map>
#include <string>

namespace lathe {

struct SafetensorsLoadOptions {
  /// Prefault every page at open (eager read: faster than faulting page by
  /// page when every tensor will be touched anyway).
  bool populate = false;
};

/// Maps the file MAP_PRIVATE and returns zero-copy tensors in file order (a
/// tensor whose data is misaligned for its dtype is copied instead). The
/// mapping lives as long as any tensor or view of it. Dtypes LibTorch lacks
/// (F8_*, U16/32/64) are held as raw same-width tensors, tagged in the StateDict.
StateDict load_safetensors(const std::string& path, const SafetensorsLoadOptions& opts = {},
                           SafetensorsHeader* header_out = nullptr);

/// Writes `sd` byte-identically to the reference writer (see
/// build_safetensors_header) with the given metadata, atomically. Tensors
/// sharing memory are refused (Error InvalidArgument naming them): drop tied
/// duplicates first, as save_pretrained does.
void save_safetensors(const StateDict& sd, const std::string& path,
                      const std::map<std::string, std::string>& metadata = {{"format", "pt"}},
                      ProgressSink* progress = nullptr);

/// A tensor's raw bytes, contiguous (the tensor itself when it already is).
at::Tensor contiguous_cpu(const at::Tensor& t);

/// The file dtype a StateDict entry is written with (its tag, else its own dtype).
DType file_dtype_of(const StateDict& sd, const std::string& name, const at::Tensor& t);

}  // namespace lathe
