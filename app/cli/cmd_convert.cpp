// lathe-cli convert IN OUT: re-save a checkpoint (format, shards, dtype).
#include "cli_args.h"
#include "commands.h"
#include "output.h"

#include "core/dtype.h"
#include "core/size_string.h"
#include "io/checkpoint.h"

#include <cstdio>

namespace lathe::cli {

int cmd_convert(const Argv& argv) {
  Args args(argv, {"--max-shard-size", "--variant", "--dtype"}, {"--bin"});
  args.expect_positional(2, 2,
                         "lathe-cli convert IN OUT [--max-shard-size S] [--bin] [--variant V] [--dtype D]");
  ConvertOptions opts;
  opts.to_bin = args.has("--bin");
  if (auto s = args.value("--max-shard-size")) opts.max_shard_size = parse_size(*s);
  opts.variant = args.value("--variant").value_or("");
  if (auto d = args.value("--dtype")) opts.dtype = parse_dtype_name(*d);
  StderrProgress progress;
  convert_checkpoint(args.positional()[0], args.positional()[1], opts, &progress);
  CheckpointInfo out = inspect_checkpoint(args.positional()[1], {opts.variant, std::nullopt, {}});
  if (args.json()) {
    nlohmann::ordered_json j;
    j["out"] = args.positional()[1];
    j["format"] = opts.to_bin ? "bin" : "safetensors";
    j["files"] = out.files.weight_files;
    j["index"] = out.files.index_file.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(out.files.index_file);
    j["tensors"] = out.tensors.size();
    j["total_bytes"] = out.total_bytes;
    print_json(j);
  } else {
    std::printf("wrote %zu file(s), %zu tensors, %s into %s\n", out.files.weight_files.size(),
                out.tensors.size(), format_bytes(out.total_bytes).c_str(), args.positional()[1].c_str());
  }
  return 0;
}

}  // namespace lathe::cli
