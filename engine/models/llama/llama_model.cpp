#include "models/registry.h"
namespace lathe::models {
void register_llama(Registry&) {}
}
