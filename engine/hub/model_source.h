// Where a MODEL argument lives: a local path as given, or a Hub repo id
// ("org/name[@rev]", "name[@rev]") fetched into the Hugging Face cache the
// way transformers' from_pretrained does (hf_hub_download per file, offline
// fallback to refs/ + snapshots/). Torch-free; used by every lathe-cli command
// that takes MODEL and by the GUI.
#pragma once

#include "core/progress.h"

#include <string>
#include <vector>

namespace lathe::hub {

class HubClient;

enum class ModelNeed {
  Config,   ///< config.json, generation_config.json, index json(s), tokenizer/preprocessor files
  Weights,  ///< Config + the weight files from_pretrained loads (safetensors preferred, else .bin)
};

/// "org/name[@rev]" or "name[@rev]" (valid Hub names and revision) that is not an
/// existing local path and does not look like a missing weight/config file name.
bool looks_like_repo_id(const std::string& arg);

/// The repo files `need` asks for, chosen from a repo listing (paths). For Weights,
/// `index_shards` lists the shards named by the chosen index (empty if unknown yet).
std::vector<std::string> files_for_need(const std::vector<std::string>& listing, ModelNeed need,
                                        const std::vector<std::string>& index_shards = {});

/// An existing local path is returned unchanged; a repo id is fetched into the HF
/// cache (what `need` asks) and its snapshot folder returned. Offline, or Hub
/// unreachable: the cached snapshot of refs/<rev> (as hf_hub_download), else
/// Error(Network). Unknown repo/revision: Error(NotFound) naming the argument.
std::string resolve_model(const std::string& arg, ModelNeed need, ProgressSink* progress = nullptr);
/// Same with an explicit client (tests, GUI).
std::string resolve_model(HubClient& client, const std::string& arg, ModelNeed need,
                          ProgressSink* progress = nullptr);

}  // namespace lathe::hub
