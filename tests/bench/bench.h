// Model benchmarks for lathe-cli (`bench load`, `bench forward`). Torch-free
// public header: the CLI links lathe_bench and calls these.
//
// Benchmarks, not tests: each prints its numbers as ratios against a peer
// measured in the same run (a human table, or one JSON document on stdout
// with `--json` anywhere in args) and returns 0 whatever the ratios are.
#pragma once

#include <string>
#include <vector>

namespace lathe::bench {

/// lathe-cli bench load [--dir D] [--keep] [--json]
/// Returns the exit code (2 for bad usage); lathe::Error propagates.
int bench_load(const std::vector<std::string>& args);

/// lathe-cli bench forward [--threads N] [--tokens T] [--profile] [--json]
int bench_forward(const std::vector<std::string>& args);

/// lathe-cli bench save [--dir D] [--json]: save_pretrained of ~1.2 GB as 5 shards vs cp.
int bench_save(const std::vector<std::string>& args);

/// lathe-cli bench hub [--size-mb N] [--runs R] [--dir D] [--json]: 1 GB download and upload
/// through the Hub client and the local hub server on loopback vs curl against the same server.
int bench_hub(const std::vector<std::string>& args);

/// lathe-cli bench quant [--threads 2] [--size 4096] [--reps 15] [--json]: NF4 and int8
/// GEMV/GEMM (batch 1 and 64) vs LibTorch float32/bfloat16 matmul; weight-memory ratios.
int bench_quant(const std::vector<std::string>& args);

/// lathe-cli bench plan [--runs N] [--procs P] [--dir D] [--json]: device-map planning on a
/// Llama-70B-shaped config: the planning step and the whole `lathe-cli plan` process vs peers.
int bench_plan(const std::vector<std::string>& args);

/// lathe-cli bench offload [--dir D] [--tokens T] [--threads N] [--keep] [--json]: GPT-2 124M forward, blocks
/// 6-11 on disk vs all in memory: slowdown, peak RSS of each, the offload run's RSS bound.
int bench_offload(const std::vector<std::string>& args);

/// lathe-cli bench inspect [--sizes 10000,100000,1000000] [--runs R] [--dir D] [--json]: `lathe-cli inspect` of
/// safetensors files with that many tiny tensors (--json and table), the header parse alone, growth.
int bench_inspect(const std::vector<std::string>& args);

/// lathe-cli bench tokenize [--threads 2] [--size-mb 5] [--runs 3] [--batch 256] [--src DIR] [--json]: encode
/// throughput and peak memory on >= 5 MB of mixed text (GPT-2, BERT, Llama-2), single texts and batches, vs the
/// Rust tokenizers library (npm, through node) in the same run.
int bench_tokenize(const std::vector<std::string>& args);

}  // namespace lathe::bench
