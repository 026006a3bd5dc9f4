#include "commands.h"
namespace lathe::cli {
int cmd_inspect(const Argv&) { return 0; }
}  // namespace lathe::cli
