// How transformers 4.47.1 sizes a model for device-map planning when a BitsAndBytesConfig is
// given (torch-free): the quantizer's unconverted modules, the int8 / INT4 target dtype, the
// 0.90 budget factor. Works on any module tree (from a model or a --tree JSON).
#pragma once

#include "planning/module_tree.h"

#include <string>
#include <vector>

namespace lathe::planning {

/// transformers.integrations.get_keys_to_not_convert on the tree: with tied parameters (after
/// tie_weights), the tied names plus the untied model's last parameter; without ties, the output
/// embeddings module (tree.output_embeddings) or else the last parameter; ".weight"/".bias"
/// removed from each name. Order follows the tree (transformers' order comes from a set).
std::vector<std::string> bnb_keys_to_not_convert(const ModuleTree& tree);

/// Applies load_in_8bit ("8bit") or load_in_4bit ("nf4", "fp4") to the tree's sizing:
///  - torch_dtype: "" becomes "float16" (Bnb*HfQuantizer.update_torch_dtype); "auto" must be resolved
///    by the caller;
///  - modules_to_not_convert = skip_modules, or bnb_keys_to_not_convert(tree) when empty;
///  - Linear / Conv1D modules outside that list become Linear8bitLt / Linear4bit (float32 meta
///    weights [out, in], as replace_with_bnb_linear builds them);
///  - special_dtypes = {param: torch_dtype for params whose name contains any unconverted name};
///  - target dtype "int8" (8-bit) or "int4" (4-bit: 0.5 byte); max_memory_factor 0.90.
/// Error(InvalidArgument) for another `quantize` value or a non-float torch_dtype.
void apply_bnb_sizing(ModuleTree& tree, const std::string& quantize, const std::vector<std::string>& skip_modules,
                      std::string torch_dtype);

}  // namespace lathe::planning
