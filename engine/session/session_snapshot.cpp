#include "session/session_snapshot.h"

#include "core/error.h"
#include "io/torch_dtype.h"
#include "session/session_impl.h"

#include <unordered_map>

namespace lathe {
namespace {

models::PreTrainedModel& loaded_model(Session& session) {
  auto& model = session.impl().loaded.model;
  if (!model) throw Error(ErrorCode::InvalidArgument, "no model is loaded");
  return *model;
}

}  // namespace

CheckpointInfo session_tensor_info(Session& session) {
  auto& m = loaded_model(session);
  CheckpointInfo info;
  info.model_type = m.config.model_type();
  info.architectures = {m.type_name()};
  std::unordered_map<const void*, std::size_t> seen;  // TensorImpl → shared_storage slot + 1
  std::unordered_map<const void*, std::string> first;
  for (const auto& [name, t] : m.state_dict()) {
    TensorInfo ti;
    ti.name = name;
    ti.dtype = from_scalar_type(t.scalar_type());
    ti.shape = t.sizes().vec();
    ti.nbytes = static_cast<std::uint64_t>(t.numel()) * static_cast<std::uint64_t>(t.element_size());
    ti.file = "(memory)";
    const void* key = t.unsafeGetTensorImpl();
    auto [it, fresh] = first.try_emplace(key, name);
    if (fresh) {
      info.total_bytes += ti.nbytes;
      info.total_elements += static_cast<std::uint64_t>(t.numel());
    } else {
      std::size_t& slot = seen[key];
      if (slot == 0) {
        info.shared_storage.push_back({it->second});
        slot = info.shared_storage.size();
      }
      info.shared_storage[slot - 1].push_back(name);
    }
    info.tensors.push_back(std::move(ti));
  }
  return info;
}

AttentionLayout session_attention_layout(Session& session) {
  auto& m = loaded_model(session);
  AttentionLayout l;
  l.num_layers = m.config.num_hidden_layers().value_or(0);
  l.num_heads = m.config.num_attention_heads().value_or(0);
  l.hidden_size = m.config.hidden_size().value_or(0);
  if (auto* emb = m.get_input_embeddings()) l.vocab_size = emb->num_embeddings;
  l.pruned_heads = m.config.pruned_heads();
  l.supports_pruning = m.supports_head_pruning();
  return l;
}

}  // namespace lathe
