#include "manifest.h"

#include "test_support.h"

#include "core/file_util.h"

#include <stdexcept>

namespace lathe::test {

const nlohmann::json& manifest() {
  static const nlohmann::json m = nlohmann::json::parse(read_text_file(fixture("manifest.json")));
  return m;
}

const nlohmann::json& manifest_case(const std::string& id) {
  for (const auto& c : manifest()["cases"])
    if (c["id"] == id) return c;
  throw std::runtime_error("no case " + id);
}

std::vector<ManifestFile> manifest_weight_files() {
  std::vector<ManifestFile> out;
  for (const auto& c : manifest()["cases"]) {
    if (!c.contains("checkpoints")) continue;
    for (const auto& ck : c["checkpoints"]) {
      for (auto it = ck["files"].begin(); it != ck["files"].end(); ++it) {
        const std::string& name = it.key();
        bool st = name.size() > 12 && name.substr(name.size() - 12) == ".safetensors";
        bool bin = name.size() > 4 && name.substr(name.size() - 4) == ".bin";
        if (!st && !bin) continue;
        out.push_back({c["id"].get<std::string>(), st ? "safetensors" : "bin",
                       fixture(ck["dir"].get<std::string>()), name,
                       (*it)["sha256"].get<std::string>(), &*it});
      }
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> all_fixture_safetensors() {
  std::vector<std::pair<std::string, std::string>> out;
  const auto& files = manifest()["files"];
  for (auto it = files.begin(); it != files.end(); ++it) {
    const std::string& rel = it.key();
    if (rel.size() > 12 && rel.substr(rel.size() - 12) == ".safetensors") {
      const auto& v = *it;
      std::string sha = v.is_string() ? v.get<std::string>() : v["sha256"].get<std::string>();
      out.emplace_back(fixture(rel), sha);
    }
  }
  return out;
}

}  // namespace lathe::test
