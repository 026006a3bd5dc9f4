// lathe-cli: a torch-free front. LibTorch's static initialisers alone cost ~0.6 s of CPU per
// process, so `plan` (a pure function of a config or a tree), `tokenize` and `detokenize` run here
// without it; every other command, and plans that need a model skeleton, exec lathe-cli-full (same
// pid, same arguments).
#include "cli_args.h"
#include "commands.h"

#include "planning/model_tree.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>

namespace lathe::cli {
namespace {
struct NeedTorch {};
}  // namespace

planning::ModuleTree plan_tree_with_torch(const std::string&, const planning::ModelTreeOptions&) { throw NeedTorch{}; }

}  // namespace lathe::cli

namespace {

int exec_full(char** argv) {
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  std::string dir = n > 0 ? std::string(self, static_cast<std::size_t>(n)) : std::string(argv[0]);
  dir = dir.substr(0, dir.find_last_of('/') + 1);
  const std::string full = dir + "lathe-cli-full";
  execv(full.c_str(), argv);
  std::cerr << "error: cannot run " << full << ": " << std::strerror(errno) << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace lathe;
  const std::string command = argc < 2 ? "" : argv[1];
  if (command != "plan" && command != "tokenize" && command != "detokenize") return exec_full(argv);
  const cli::Argv rest(argv + 2, argv + argc);
  try {
    if (command == "tokenize") return cli::cmd_tokenize(rest);
    if (command == "detokenize") return cli::cmd_detokenize(rest);
    return cli::cmd_plan(rest);
  } catch (...) {
    // A plan that needs the skeleton (NeedTorch) or any failure: lathe-cli-full runs the same command
    // and reports it (main.cpp stays the one place that maps exceptions to exit codes). Nothing has
    // been printed on stdout yet: these commands print only once their result is complete.
    return exec_full(argv);
  }
}
