#include "cli_args.h"
#include "commands.h"

#include <cstdio>

namespace lathe::cli {

int cmd_bench(const Argv& args) {
  if (args.empty() || args[0] == "--help") {
    std::puts("usage: lathe-cli bench io [--size S] [--dir D]\n"
              "  io    read a generated safetensors file vs cat and torch.load; write vs cp");
    return args.empty() ? 2 : 0;
  }
  Argv rest(args.begin() + 1, args.end());
  if (args[0] == "io") return bench_io(rest);
  throw UsageError("unknown benchmark '" + args[0] + "'");
}

}  // namespace lathe::cli
