// Remote inspection: a Hub checkpoint's tensor list, dtypes, shapes and sizes
// from safetensors headers read with HTTP Range requests (8 bytes, then the
// header), without downloading weights. Only config.json, generation_config.json
// and index json files enter the cache (index files name the shards).
#pragma once

#include "core/progress.h"
#include "io/checkpoint.h"

#include <string>

namespace lathe::hub {

class HubClient;

/// The CheckpointInfo a local inspect_checkpoint of the same files gives. files.dir
/// is the cache snapshot folder (holding config/index files only), config_file the
/// cached config.json. Weight selection follows resolve_checkpoint (variant,
/// use_safetensors, subfolder). Errors: NotFound (repo/revision/weights),
/// Unsupported (.bin-only repos: their pickles are not range-readable),
/// CorruptFile (bad header, length over 100 MB or past the end), Network
/// (offline, unreachable, or a server that does not honour Range).
CheckpointInfo inspect_remote(HubClient& client, const std::string& repo, const std::string& revision,
                              const ResolveOptions& opts = {}, ProgressSink* progress = nullptr);

}  // namespace lathe::hub
