// GPT2Config (torch-free; see config/arch_config.h).
#include "config/arch_config.h"

namespace lathe {

ArchConfigInfo gpt2_config_info() {
  return {"gpt2",
          {{"hidden_size", "n_embd"},
           {"num_hidden_layers", "n_layer"},
           {"num_attention_heads", "n_head"},
           {"max_position_embeddings", "n_positions"}}};
}

}  // namespace lathe
