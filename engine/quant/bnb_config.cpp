#include "quant/bnb_config.h"

#include "core/error.h"

#include <nlohmann/json.hpp>

namespace lathe {

void BnbConfig::validate() const {
  if (load_in_8bit && load_in_4bit)
    throw Error(ErrorCode::InvalidArgument, "load_in_4bit and load_in_8bit are both True, but only one can be used at the same time");
  if (!load_in_8bit && !load_in_4bit) throw Error(ErrorCode::InvalidArgument, "neither load_in_8bit nor load_in_4bit is set");
  if (bnb_4bit_quant_type != "nf4" && bnb_4bit_quant_type != "fp4")
    throw Error(ErrorCode::InvalidArgument, "bnb_4bit_quant_type must be nf4 or fp4, got '" + bnb_4bit_quant_type + "'");
  // float16 (transformers' GPU habit, kept in saved configs) computes as float32 on the CPU.
  if (bnb_4bit_compute_dtype != "float32" && bnb_4bit_compute_dtype != "bfloat16" && bnb_4bit_compute_dtype != "float16")
    throw Error(ErrorCode::InvalidArgument,
                "bnb_4bit_compute_dtype must be float32, bfloat16 or float16, got '" + bnb_4bit_compute_dtype + "'");
  if (bnb_4bit_quant_storage != "uint8")
    throw Error(ErrorCode::Unsupported, "bnb_4bit_quant_storage other than uint8 is not supported");
  if (llm_int8_has_fp16_weight) throw Error(ErrorCode::Unsupported, "llm_int8_has_fp16_weight=True is not supported");
  if (!(llm_int8_threshold >= 0)) throw Error(ErrorCode::InvalidArgument, "llm_int8_threshold must be >= 0");
  bool pow2 = blocksize > 0 && (blocksize & (blocksize - 1)) == 0;
  if (!pow2 || blocksize < 32 || blocksize > 4096)
    throw Error(ErrorCode::InvalidArgument, "blocksize must be a power of 2 from 32 to 4096, got " + std::to_string(blocksize));
}

nlohmann::ordered_json BnbConfig::to_json() const {
  // BitsAndBytesConfig.__dict__ in __init__ order plus the to_dict() additions;
  // config.json sorts the keys anyway.
  nlohmann::ordered_json j;
  j["quant_method"] = "bitsandbytes";
  j["_load_in_8bit"] = load_in_8bit;
  j["_load_in_4bit"] = load_in_4bit;
  j["llm_int8_threshold"] = llm_int8_threshold;
  j["llm_int8_skip_modules"] = llm_int8_skip_modules ? nlohmann::ordered_json(*llm_int8_skip_modules) : nlohmann::ordered_json();
  j["llm_int8_enable_fp32_cpu_offload"] = llm_int8_enable_fp32_cpu_offload;
  j["llm_int8_has_fp16_weight"] = llm_int8_has_fp16_weight;
  j["bnb_4bit_quant_type"] = bnb_4bit_quant_type;
  j["bnb_4bit_use_double_quant"] = bnb_4bit_use_double_quant;
  j["bnb_4bit_compute_dtype"] = bnb_4bit_compute_dtype;
  j["bnb_4bit_quant_storage"] = bnb_4bit_quant_storage;
  j["load_in_4bit"] = load_in_4bit;
  j["load_in_8bit"] = load_in_8bit;
  return j;
}

BnbConfig BnbConfig::from_json(const nlohmann::ordered_json& j) {
  if (!j.is_object() || j.value("quant_method", std::string()) != "bitsandbytes")
    throw Error(ErrorCode::Unsupported, "quantization_config is not a bitsandbytes config", "config.json");
  BnbConfig c;
  try {
    // from_dict accepts load_in_* or their underscored copies.
    c.load_in_8bit = j.value("load_in_8bit", j.value("_load_in_8bit", false));
    c.load_in_4bit = j.value("load_in_4bit", j.value("_load_in_4bit", false));
    c.llm_int8_threshold = j.value("llm_int8_threshold", 6.0);
    if (j.contains("llm_int8_skip_modules") && !j["llm_int8_skip_modules"].is_null()) {
      const auto& s = j["llm_int8_skip_modules"];
      c.llm_int8_skip_modules = s.is_string() ? std::vector<std::string>{s.get<std::string>()}
                                               : s.get<std::vector<std::string>>();
    }
    c.llm_int8_enable_fp32_cpu_offload = j.value("llm_int8_enable_fp32_cpu_offload", false);
    c.llm_int8_has_fp16_weight = j.value("llm_int8_has_fp16_weight", false);
    c.bnb_4bit_quant_type = j.value("bnb_4bit_quant_type", std::string("fp4"));
    c.bnb_4bit_use_double_quant = j.value("bnb_4bit_use_double_quant", false);
    if (j.contains("bnb_4bit_compute_dtype") && j["bnb_4bit_compute_dtype"].is_string())
      c.bnb_4bit_compute_dtype = j["bnb_4bit_compute_dtype"].get<std::string>();
    c.bnb_4bit_quant_storage = j.value("bnb_4bit_quant_storage", std::string("uint8"));
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::ConfigInvalid, std::string("bad quantization_config: ") + e.what(), "config.json");
  }
  c.validate();
  return c;
}

}  // namespace lathe
