// Engine calls the device-map designer runs as jobs (they block and throw
// lathe::Error), plus the Llama-shaped sample tree of the screenshots.
#pragma once

#include "planning/module_tree.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>

namespace lathe {
class ProgressSink;
}

namespace lathe::ui {

using SharedTree = std::shared_ptr<const planning::ModuleTree>;

/// A module-size tree JSON file (cli.md "Module-size tree").
SharedTree readTreeFile(const std::string& path);
/// The tree from_pretrained(device_map=...) sizes for a local folder or a Hub repo id
/// (remote: config files only, fetched into the HF cache; no weights downloaded).
SharedTree modelTree(const std::string& pathOrRepo, const std::string& torchDtype, lathe::ProgressSink& progress);
/// A device-map JSON file (an object). Error(NotFound/Io/ConfigInvalid).
nlohmann::json readMapFile(const std::string& path);
/// Writes the map atomically (2-space indent, trailing newline).
void writeMapFile(const std::string& path, const nlohmann::ordered_json& map);

/// A Llama-shaped --tree (float16 weights, fp32 rotary inv_freq buffers, LlamaDecoderLayer no-split):
/// llamaShapedTree(80, 8192, 28672, 64, 8, 32000) is Llama-2-70B.
nlohmann::json llamaShapedTree(int layers, int hidden, int intermediate, int heads, int kvHeads, int vocab);

}  // namespace lathe::ui
