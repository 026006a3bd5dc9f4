#include "hub/server_json.h"

#include "core/file_util.h"
#include "hub/hub_util.h"

namespace lathe::hub {

nlohmann::json parse_front_matter(const std::string& text) {
  nlohmann::json out = nlohmann::json::object();
  if (text.rfind("---\n", 0) != 0) return out;
  auto end = text.find("\n---", 3);
  if (end == std::string::npos) return out;
  std::string current_list;
  for (auto line : split(text.substr(4, end - 3), '\n')) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto trim = [](std::string s) {
      while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(0, 1);
      while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
      if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
        s = s.substr(1, s.size() - 2);
      return s;
    };
    std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (t[0] == '-' && !current_list.empty()) {
      out[current_list].push_back(trim(t.substr(1)));
      continue;
    }
    if (line[0] == ' ' || line[0] == '\t') continue;  // nested maps: not kept
    auto colon = t.find(':');
    if (colon == std::string::npos) continue;
    std::string key = trim(t.substr(0, colon)), value = trim(t.substr(colon + 1));
    if (value.empty()) {
      current_list = key;
      out[key] = nlohmann::json::array();
    } else {
      current_list.clear();
      out[key] = value;
    }
  }
  return out;
}

nlohmann::json file_entry_json(const std::string& path, const StoredFile& f) {
  nlohmann::json j = {{"type", "file"}, {"oid", f.git_oid()}, {"size", f.size}, {"path", path}};
  if (f.lfs)
    j["lfs"] = {{"oid", f.sha256}, {"size", f.size},
                {"pointerSize", lfs_pointer(f.sha256, f.size).size()}};
  return j;
}

nlohmann::json dir_entry_json(const std::string& path, const StoredCommit& c) {
  return {{"type", "directory"}, {"oid", sha1_hex("tree " + c.id + "/" + path)}, {"size", 0},
          {"path", path}};
}

nlohmann::json last_commit_json(Storage& st, const std::string& repo, const StoredCommit& c,
                                const std::string& path) {
  StoredCommit cur = c;
  auto it = cur.files.find(path);
  for (int depth = 0; it != cur.files.end() && !cur.parent.empty() && depth < 200; ++depth) {
    StoredCommit parent = st.load_commit(repo, cur.parent);
    auto pit = parent.files.find(path);
    if (pit == parent.files.end() || pit->second.sha256 != it->second.sha256 ||
        pit->second.lfs != it->second.lfs)
      break;
    cur = std::move(parent);
    it = cur.files.find(path);
  }
  return {{"id", cur.id}, {"title", cur.summary}, {"date", cur.date}};
}

nlohmann::json model_json(Storage& st, const RepoMeta& meta, const StoredCommit& head, bool full,
                          bool blobs) {
  std::string ns = meta.id.substr(0, meta.id.find('/'));
  nlohmann::json card = nlohmann::json::object();
  auto readme = head.files.find("README.md");
  if (readme != head.files.end() && readme->second.size < (1u << 20))
    card = parse_front_matter(read_text_file(st.blob_path(readme->second.sha256)));
  nlohmann::json tags = nlohmann::json::array();
  if (card.contains("tags") && card["tags"].is_array())
    for (auto& t : card["tags"]) tags.push_back(t);
  if (card.contains("library_name")) tags.push_back(card["library_name"]);
  if (card.contains("license")) tags.push_back("license:" + card["license"].get<std::string>());
  for (const auto& [path, f] : head.files) {
    (void)f;
    if (path.size() > 12 && path.substr(path.size() - 12) == ".safetensors") {
      tags.push_back("safetensors");
      break;
    }
  }
  nlohmann::json j = {{"_id", sha1_hex("repo " + meta.id).substr(0, 24)},
                      {"id", meta.id},
                      {"modelId", meta.id},
                      {"author", ns},
                      {"sha", head.id},
                      {"lastModified", head.date},
                      {"createdAt", meta.created_at},
                      {"private", meta.is_private},
                      {"gated", false},
                      {"disabled", false},
                      {"downloads", st.downloads(meta.id)},
                      {"likes", 0},
                      {"trendingScore", 0},
                      {"tags", tags}};
  if (card.contains("pipeline_tag")) j["pipeline_tag"] = card["pipeline_tag"];
  if (card.contains("library_name")) j["library_name"] = card["library_name"];
  if (full) {
    j["cardData"] = card;
    nlohmann::json sib = nlohmann::json::array();
    std::uint64_t used = 0;
    for (const auto& [path, f] : head.files) {
      nlohmann::json s = {{"rfilename", path}};
      if (blobs) {
        s["size"] = f.size;
        s["blobId"] = f.git_oid();
        if (f.lfs)
          s["lfs"] = {{"sha256", f.sha256}, {"size", f.size},
                      {"pointerSize", lfs_pointer(f.sha256, f.size).size()}};
      }
      used += f.size;
      sib.push_back(s);
    }
    j["siblings"] = sib;
    j["usedStorage"] = used;
  }
  return j;
}

}  // namespace lathe::hub
