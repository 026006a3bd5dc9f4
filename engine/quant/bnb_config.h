// BitsAndBytesConfig (public, torch-free): the options of transformers'
// bitsandbytes quantisation, serialised in config.json `quantization_config`
// exactly as transformers 4.47 writes it (BitsAndBytesConfig.to_dict()).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lathe {

struct BnbConfig {
  bool load_in_8bit = false;
  bool load_in_4bit = false;
  double llm_int8_threshold = 6.0;
  std::optional<std::vector<std::string>> llm_int8_skip_modules;  ///< nullopt: get_keys_to_not_convert
  bool llm_int8_enable_fp32_cpu_offload = false;
  bool llm_int8_has_fp16_weight = false;
  std::string bnb_4bit_quant_type = "fp4";      ///< "nf4" | "fp4"
  bool bnb_4bit_use_double_quant = false;
  std::string bnb_4bit_compute_dtype = "float32";  ///< "float32" | "bfloat16"
  std::string bnb_4bit_quant_storage = "uint8";
  /// Params4bit's blocksize (not part of the config: saved per tensor in the quant_state).
  std::int64_t blocksize = 64;

  /// Throws Error(InvalidArgument) for contradictory or unsupported values.
  void validate() const;
  /// to_dict(): `_load_in_4bit`, `_load_in_8bit`, ..., `quant_method: "bitsandbytes"`.
  nlohmann::ordered_json to_json() const;
  /// From a config.json `quantization_config` (Error(ConfigInvalid) when not bitsandbytes / malformed).
  static BnbConfig from_json(const nlohmann::ordered_json& j);
};

/// One quantised layer of a loaded model.
struct QuantizedModuleInfo {
  std::string name, type;                      ///< "Linear4bit" / "Linear8bitLt"
  std::int64_t in = 0, out = 0, bytes = 0;     ///< bytes of the stored weight
};

}  // namespace lathe
