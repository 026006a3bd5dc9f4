#include "commands.h"
namespace lathe::cli {
int cmd_convert(const Argv&) { return 0; }
}  // namespace lathe::cli
