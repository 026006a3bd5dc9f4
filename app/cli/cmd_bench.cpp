#include "cli_args.h"
#include "commands.h"

#include "bench.h"

#include <cstdio>

namespace lathe::cli {

int cmd_bench(const Argv& args) {
  if (args.empty() || args[0] == "--help") {
    std::puts("usage: lathe-cli bench io|load|forward|save|hub|quant|plan|offload|inspect|tokenize [options] [--json]\n"
              "  io       read a generated safetensors file vs cat and torch.load; write vs cp\n"
              "           [--size S] [--dir D]\n"
              "  load     from_pretrained of a generated GPT-2 124M fp32 checkpoint vs read(2) of its\n"
              "           files: time and peak RSS [--dir D] [--keep]\n"
              "  forward  GPT-2 124M forward of 1xT tokens vs a LibTorch matmul of the same FLOPs\n"
              "           [--threads N] [--tokens T] [--profile]\n"
              "  save     save_pretrained of a ~1.2 GB model as 5 shards vs cp of the same bytes [--dir D]\n"
              "  hub      1 GB download and upload through the hub client and server vs curl on loopback\n"
              "           [--size-mb N] [--runs R] [--dir D]\n"
              "  quant    NF4 and int8 GEMV/GEMM on a 4096x4096 weight vs LibTorch float32/bfloat16 matmul,\n"
              "           weight-memory ratios [--threads 2] [--size 4096] [--reps 15]\n"
              "  plan     device-map planning on a Llama-70B config: the planning step and the whole\n"
              "           lathe-cli plan process vs peers [--runs N] [--procs P] [--dir D]\n"
              "  offload  GPT-2 124M forward with blocks 6-11 on disk vs all in memory: slowdown, peak RSS\n"
              "           [--dir D] [--tokens T] [--threads N] [--keep]\n"
              "  inspect  lathe-cli inspect of safetensors files with 10k/100k/1M tiny tensors, header parse\n"
              "           alone, growth [--sizes 10000,100000,1000000] [--runs R] [--dir D]\n"
              "  tokenize encode throughput and peak memory on 5 MB of mixed text (GPT-2, BERT, Llama-2), single\n"
              "           and batched, vs the Rust tokenizers library (npm, node) [--threads 2] [--size-mb 5]\n"
              "           [--runs 3] [--batch 256] [--src DIR]");
    return args.empty() ? 2 : 0;
  }
  Argv rest(args.begin() + 1, args.end());
  if (args[0] == "io") return bench_io(rest);
  if (args[0] == "load") return lathe::bench::bench_load(rest);
  if (args[0] == "forward") return lathe::bench::bench_forward(rest);
  if (args[0] == "save") return lathe::bench::bench_save(rest);
  if (args[0] == "hub") return lathe::bench::bench_hub(rest);
  if (args[0] == "quant") return lathe::bench::bench_quant(rest);
  if (args[0] == "plan") return lathe::bench::bench_plan(rest);
  if (args[0] == "offload") return lathe::bench::bench_offload(rest);
  if (args[0] == "inspect") return lathe::bench::bench_inspect(rest);
  if (args[0] == "tokenize") return lathe::bench::bench_tokenize(rest);
  throw UsageError("unknown benchmark '" + args[0] + "'");
}

}  // namespace lathe::cli
