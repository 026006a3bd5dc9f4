// Session internals shared by engine modules (internal: includes ATen).
#pragma once

#include "analysis/memory_hooks.h"
#include "models/from_pretrained.h"
#include "session/session.h"

namespace lathe {

struct Session::Impl {
  models::LoadedModel loaded;
  std::unique_ptr<MemoryHooks> hooks;  ///< created on first use, dropped with the model
};

/// ModelSummary of any model (loaded or skeleton).
ModelSummary summarize(models::PreTrainedModel& m);

/// Reads forward inputs from JSON or safetensors (see ForwardRequest).
models::ForwardInputs read_forward_inputs(const ForwardRequest& req);

}  // namespace lathe
