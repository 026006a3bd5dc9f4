// Synthetic CheckpointInfo values for GUI tests: no files, built in memory.
#pragma once

#include "io/checkpoint.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace lathe::test {

inline TensorInfo makeTensor(std::string name, std::vector<std::int64_t> shape,
                             DType dtype = DType::F32, std::string file = "model.safetensors") {
  TensorInfo t;
  t.name = std::move(name);
  t.dtype = dtype;
  t.shape = std::move(shape);
  std::uint64_t n = 1;
  for (auto d : t.shape) n *= static_cast<std::uint64_t>(d);
  t.nbytes = n * dtype_size(dtype);
  t.file = std::move(file);
  return t;
}

inline void addTotals(CheckpointInfo& info) {
  info.total_bytes = 0;
  info.total_elements = 0;
  for (const auto& t : info.tensors) {
    info.total_bytes += t.nbytes;
    info.total_elements += static_cast<std::uint64_t>(t.numel());
  }
}

/// A GPT-2-shaped checkpoint with `layers` blocks, in safetensors' file order
/// (lexicographic: h.0, h.1, h.10, h.11, h.2, ...), plus a tied lm_head.
inline CheckpointInfo makeGpt2Like(int layers, int hidden = 32, int vocab = 100) {
  CheckpointInfo info;
  info.model_type = "gpt2";
  info.architectures = {"GPT2LMHeadModel"};
  info.files.dir = "/synthetic/gpt2";
  std::vector<std::string> ids;
  for (int i = 0; i < layers; ++i) ids.push_back(std::to_string(i));
  std::sort(ids.begin(), ids.end());  // lexicographic, as safetensors writes them
  const std::int64_t h = hidden;
  for (const auto& i : ids) {
    const std::string p = "transformer.h." + i + ".";
    info.tensors.push_back(makeTensor(p + "attn.c_attn.bias", {3 * h}));
    info.tensors.push_back(makeTensor(p + "attn.c_attn.weight", {h, 3 * h}));
    info.tensors.push_back(makeTensor(p + "ln_1.weight", {h}));
    info.tensors.push_back(makeTensor(p + "mlp.c_fc.weight", {h, 4 * h}, DType::BF16));
  }
  info.tensors.push_back(makeTensor("transformer.ln_f.weight", {h}));
  info.tensors.push_back(makeTensor("transformer.wte.weight", {vocab, h}, DType::F32, "extra.safetensors"));
  info.tensors.push_back(makeTensor("lm_head.weight", {vocab, h}, DType::F32, "extra.safetensors"));
  info.shared_storage = {{"transformer.wte.weight", "lm_head.weight"}};
  addTotals(info);
  // Tied weights count once, as the engine reports them.
  info.total_bytes -= info.tensors.back().nbytes;
  info.total_elements -= static_cast<std::uint64_t>(info.tensors.back().numel());
  return info;
}

/// `layers` × 10 tensors in a Llama-like layout: 10 000 layers = 100 000 tensors.
inline CheckpointInfo makeLarge(int layers) {
  static const char* kParts[] = {
      "input_layernorm.weight", "mlp.down_proj.weight", "mlp.gate_proj.weight",
      "mlp.up_proj.weight", "post_attention_layernorm.weight", "self_attn.k_proj.weight",
      "self_attn.o_proj.weight", "self_attn.q_proj.weight", "self_attn.v_proj.weight",
      "self_attn.rotary_emb.inv_freq"};
  CheckpointInfo info;
  info.model_type = "llama";
  info.tensors.reserve(static_cast<std::size_t>(layers) * 10);
  char file[64];
  for (int l = 0; l < layers; ++l) {
    std::snprintf(file, sizeof file, "model-%05d-of-%05d.safetensors", l / 1000 + 1,
                  (layers + 999) / 1000);
    const std::string prefix = "model.layers." + std::to_string(l) + ".";
    for (const char* part : kParts)
      info.tensors.push_back(makeTensor(prefix + part, {64, 64}, DType::BF16, file));
  }
  addTotals(info);
  return info;
}

}  // namespace lathe::test
