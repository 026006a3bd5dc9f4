// BloomConfig (torch-free; see config/arch_config.h).
#include "config/arch_config.h"

namespace lathe {

ArchConfigInfo bloom_config_info() { return {"bloom", {{"num_hidden_layers", "n_layer"}, {"num_attention_heads", "n_head"}}}; }

}  // namespace lathe
