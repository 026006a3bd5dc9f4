// lathe-cli demo OUT: writes a tiny random GPT-2 checkpoint (no network).
// The build runs it to produce the bundled demo model ./run.sh opens.
#include "cli_args.h"
#include "commands.h"

#include "config/model_config.h"
#include "core/file_util.h"
#include "io/safetensors_io.h"

#include <ATen/core/Tensor.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/randn.h>
#include <ATen/ops/zeros.h>
#include <ATen/core/Generator.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cstdio>
#include <filesystem>

namespace lathe::cli {

int cmd_demo(const Argv& argv) {
  Args args(argv, {"--layers", "--hidden", "--heads", "--vocab", "--seed"}, {});
  args.expect_positional(1, 1, "lathe-cli demo OUT_DIR [--layers N] [--hidden H] [--heads A] [--vocab V]");
  const std::string out = args.positional()[0];
  const std::int64_t layers = std::stoll(args.value("--layers").value_or("4"));
  const std::int64_t hidden = std::stoll(args.value("--hidden").value_or("64"));
  const std::int64_t heads = std::stoll(args.value("--heads").value_or("4"));
  const std::int64_t vocab = std::stoll(args.value("--vocab").value_or("1000"));
  const std::int64_t positions = 128;
  if (layers < 1 || hidden < 1 || heads < 1 || vocab < 1 || hidden % heads != 0)
    throw UsageError("demo: sizes must be positive and --hidden a multiple of --heads");
  auto gen = at::make_generator<at::CPUGeneratorImpl>(std::stoull(args.value("--seed").value_or("0")));
  auto f32 = at::TensorOptions().dtype(c10::kFloat);
  auto normal = [&](std::vector<std::int64_t> shape) { return at::randn(shape, gen, f32).mul_(0.02); };

  // GPT2LMHeadModel state-dict order; lm_head is tied to wte and not stored.
  StateDict sd;
  sd.insert("transformer.wte.weight", normal({vocab, hidden}));
  sd.insert("transformer.wpe.weight", normal({positions, hidden}));
  for (std::int64_t i = 0; i < layers; ++i) {
    std::string p = "transformer.h." + std::to_string(i) + ".";
    sd.insert(p + "ln_1.weight", at::ones({hidden}, f32));
    sd.insert(p + "ln_1.bias", at::zeros({hidden}, f32));
    sd.insert(p + "attn.c_attn.weight", normal({hidden, 3 * hidden}));
    sd.insert(p + "attn.c_attn.bias", at::zeros({3 * hidden}, f32));
    sd.insert(p + "attn.c_proj.weight", normal({hidden, hidden}));
    sd.insert(p + "attn.c_proj.bias", at::zeros({hidden}, f32));
    sd.insert(p + "ln_2.weight", at::ones({hidden}, f32));
    sd.insert(p + "ln_2.bias", at::zeros({hidden}, f32));
    sd.insert(p + "mlp.c_fc.weight", normal({hidden, 4 * hidden}));
    sd.insert(p + "mlp.c_fc.bias", at::zeros({4 * hidden}, f32));
    sd.insert(p + "mlp.c_proj.weight", normal({4 * hidden, hidden}));
    sd.insert(p + "mlp.c_proj.bias", at::zeros({hidden}, f32));
  }
  sd.insert("transformer.ln_f.weight", at::ones({hidden}, f32));
  sd.insert("transformer.ln_f.bias", at::zeros({hidden}, f32));

  std::filesystem::create_directories(out);
  ModelConfig cfg = ModelConfig::from_json_text(R"({"model_type": "gpt2"})", "demo");
  cfg.set_string_list("architectures", {"GPT2LMHeadModel"});
  cfg.set_int("vocab_size", vocab);
  cfg.set_int("n_embd", hidden);
  cfg.set_int("n_layer", layers);
  cfg.set_int("n_head", heads);
  cfg.set_int("n_positions", positions);
  cfg.set_int("bos_token_id", vocab - 1);
  cfg.set_int("eos_token_id", vocab - 1);
  cfg.set_string("torch_dtype", "float32");
  cfg.set_string("activation_function", "gelu_new");
  cfg.save(path_join(out, "config.json"));
  save_safetensors(sd, path_join(out, "model.safetensors"));
  std::printf("wrote a %lld-layer GPT-2 demo model to %s\n", static_cast<long long>(layers), out.c_str());
  return 0;
}

}  // namespace lathe::cli
