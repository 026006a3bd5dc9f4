// lathe-cli: every engine operation, headless (docs/cli.md).
//
// Exit codes: 0 success; 1 a clean, explained failure (one "error:" line on
// stderr); 2 bad usage; 130 cancelled. This file is the one place that maps
// exceptions to exit codes.
#include "cli_args.h"
#include "commands.h"

#include "core/error.h"
#include "runtime/threads.h"

#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

namespace {

const char* kUsage = R"(usage: lathe-cli <command> [options] [--json]

Commands:
  inspect MODEL [--dtype D]        tensors, dtypes, shapes, sizes from headers alone
  run MODEL (--inputs F | --text T [--pair P] | --texts-file F) [--out OUT.safetensors] [--dtype D]
      [--hidden-states]            from_pretrained + forward; outputs as float32 safetensors;
                                   text goes through the model's tokenizer (padded as it pads)
      [--device-map auto|balanced|balanced_low_0|sequential|JSON] [--max-memory cpu=2GiB]
      [--offload-folder D] [--offload-buffers]   (also on memory) load with a device map:
                                   "disk" modules stay on disk and are read around their forward
  save MODEL --out DIR [--max-shard-size S] [--bin] [--variant V] [--dtype D] [--dry-run]
                                   from_pretrained + save_pretrained (atomic folder swap)
  prune MODEL --heads '{"0":[0,2]}' --out DIR   prune attention heads, then save
  resize MODEL (--vocab N | --to-tokenizer) [--add-token T ...] [--add-special-token T ...]
       [--pad-to-multiple-of K] [--no-mean-resizing] [--seed S] --out DIR
                                   resize_token_embeddings (to len(tokenizer)), then save
  generate MODEL (--text T | --texts-file F | --prompt "ID ...") [--max-new-tokens N] [--sample]
       [--temperature T] [--top-k K] [--top-p P]   continue prompts with the KV cache (causal LMs):
                                   text in, text out, or token ids
  memory MODEL (--inputs F | --text T | --texts-file F) [--repeat N]
                                   per-module memory hooks: RSS, allocator, time, parameters
  plan MODEL|--tree TREE.json --device-map auto|balanced|balanced_low_0|sequential [--max-memory 0=2GiB,cpu=16GiB]
       [--no-split CLS,...] [--dtype D] [--quantize 8bit|nf4|fp4] [--skip-modules M,...]
       [--offload-buffers] [--fallback-allocation]   device-map planning
  quantize MODEL --bits 8|4 [--quant-type nf4|fp4] [--double-quant] [--blocksize 64] [--compute-dtype D]
       [--threshold 6.0] [--skip MOD,...] --out DIR   bitsandbytes quantisation, saved in its layout
  tokenize MODEL (--text T [--pair P] ... | --texts-file F) [--no-special-tokens]
                                   text -> ids (AutoTokenizer's files; --json: ids, tokens, offsets, masks)
  detokenize MODEL --ids "ID ..." [--skip-special-tokens]   ids -> text
  convert IN OUT [--max-shard-size S] [--bin] [--variant V] [--dtype D]
                                   re-save a checkpoint: safetensors <-> .bin, shard, cast
  bench NAME                       benchmarks, printed as ratios against peers (bench --help)
  demo OUT_DIR                     write a tiny random GPT-2 checkpoint (the bundled demo)
  hub serve|search|info|files|download|push   the Hugging Face Hub (lathe-cli hub --help)

Every save carries the tokenizer files found beside the weights.
MODEL is a folder (config.json + weights), a single .safetensors/.bin file, or a Hub repo
id org/name[@revision] fetched into the Hugging Face cache ($HF_ENDPOINT, $HF_TOKEN, $HF_HOME,
$HF_HUB_OFFLINE as huggingface_hub). inspect reads a repo's safetensors headers with HTTP Range
requests: no weights are downloaded.
Sizes: 5GB (10^9), 5GiB (2^30), 300kB, 100KB, or bytes.
--json prints exactly one JSON document on stdout.
Exit codes: 0 ok, 1 error (an "error:" line on stderr), 2 usage, 130 cancelled.
Threads: $LATHE_THREADS or $OMP_NUM_THREADS, else all CPUs.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace lathe;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::puts("lathe-cli 0.1.0");
    return 0;
  }
  std::string command = args[0];
  cli::Argv rest(args.begin() + 1, args.end());
  try {
    init_threads();
    if (command == "inspect") return cli::cmd_inspect(rest);
    if (command == "convert") return cli::cmd_convert(rest);
    if (command == "bench") return cli::cmd_bench(rest);
    if (command == "demo") return cli::cmd_demo(rest);
    if (command == "run") return cli::cmd_run(rest);
    if (command == "save") return cli::cmd_save(rest);
    if (command == "prune") return cli::cmd_prune(rest);
    if (command == "resize") return cli::cmd_resize(rest);
    if (command == "memory") return cli::cmd_memory(rest);
    if (command == "generate") return cli::cmd_generate(rest);
    if (command == "hub") return cli::cmd_hub(rest);
    if (command == "plan") return cli::cmd_plan(rest);
    if (command == "quantize") return cli::cmd_quantize(rest);
    if (command == "tokenize") return cli::cmd_tokenize(rest);
    if (command == "detokenize") return cli::cmd_detokenize(rest);
    throw cli::UsageError("unknown command '" + command + "' (see lathe-cli --help)");
  } catch (const cli::UsageError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const Cancelled&) {
    std::cerr << "cancelled\n";
    return 130;
  } catch (const Error& e) {
    std::cerr << "error: " << one_line_message(e.what()) << "\n";
    return 1;
  } catch (...) {
    // Anything that escaped the engine boundary: one line, never a LibTorch backtrace.
    std::cerr << "error: " << command << " failed: " << current_exception_line() << "\n";
    return 1;
  }
}
