// Where a MODEL argument lives: a local path as given, or a Hub repo id
// ("org/name[@rev]", "name[@rev]") fetched into the Hugging Face cache the
// way transformers' from_pretrained does (hf_hub_download per file, offline
// fallback to refs/ + snapshots/). Torch-free; used by every lathe-cli command
// that takes MODEL and by the GUI.
#pragma once

#include "core/progress.h"
#include "hub/hub_client.h"
#include "io/checkpoint.h"

#include <functional>
#include <string>
#include <vector>

namespace lathe::hub {

enum class ModelNeed {
  Config,   ///< config.json, generation_config.json, index json(s), tokenizer/preprocessor files
  Weights,  ///< Config + the weight files from_pretrained loads (resolve_checkpoint's order)
};

/// "org/name[@rev]" or "name[@rev]" (valid Hub names and revision) that is not an
/// existing local path and does not look like a missing weight/config file name.
bool looks_like_repo_id(const std::string& arg);
/// "org/name[@rev]" -> (repo, rev or "main"), no validation.
std::pair<std::string, std::string> split_model_ref(const std::string& arg);

/// The top-level files of a repo listing that ModelNeed::Config fetches.
std::vector<std::string> config_files_of(const std::vector<std::string>& listing);

/// A revision resolved on the Hub: its commit, full file listing, and the cache
/// snapshot folder holding the files fetched so far.
struct RemoteSnapshot {
  std::string repo, revision, commit, snapshot;
  std::vector<TreeEntry> files;  ///< type "file" entries of the recursive tree
  bool has(const std::string& path) const;
  const TreeEntry* find(const std::string& path) const;
};

/// model_info + tree listing, then the files `want` selects into the cache
/// (refs/<rev> written, snapshot folder created even when nothing is selected).
/// Network failures throw Error(Network); unknown repo/revision Error(NotFound).
RemoteSnapshot fetch_remote(HubClient& client, const std::string& repo, const std::string& revision,
                            const std::function<bool(const std::string&)>& want, ProgressSink* progress = nullptr);

/// An existing local path is returned unchanged; a repo id is fetched into the HF
/// cache (what `need` asks; `weights` picks variant/format as from_pretrained) and
/// its snapshot folder returned. Offline, or Hub unreachable: the cached snapshot of
/// refs/<rev> (as hf_hub_download), else Error(Network). Unknown repo/revision:
/// Error(NotFound) naming the argument.
std::string resolve_model(const std::string& arg, ModelNeed need, ProgressSink* progress = nullptr,
                          const ResolveOptions& weights = {});
/// Same with an explicit client (tests, GUI).
std::string resolve_model(HubClient& client, const std::string& arg, ModelNeed need,
                          ProgressSink* progress = nullptr, const ResolveOptions& weights = {});

}  // namespace lathe::hub
