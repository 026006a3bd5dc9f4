#include "commands.h"
namespace lathe::cli {
int bench_io(const Argv&) { return 0; }
}  // namespace lathe::cli
