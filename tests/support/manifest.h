// Reading tests/data/hf-reference/manifest.json in tests.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lathe::test {

/// The parsed manifest (cached).
const nlohmann::json& manifest();

/// The manifest's case with this id; std::runtime_error when there is none.
const nlohmann::json& manifest_case(const std::string& id);

/// One checkpoint file listed by the manifest.
struct ManifestFile {
  std::string case_id;
  std::string format;   ///< "safetensors" | "bin"
  std::string dir;      ///< absolute folder
  std::string name;     ///< file name
  std::string sha256;
  const nlohmann::json* entry;  ///< the manifest's entry for the file
};

/// Every weight file of every case's checkpoints (model.safetensors, pytorch_model.bin).
std::vector<ManifestFile> manifest_weight_files();

/// Every *.safetensors file in the fixture tree with its manifest sha256 (files section).
std::vector<std::pair<std::string, std::string>> all_fixture_safetensors();

}  // namespace lathe::test
