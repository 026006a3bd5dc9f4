// JSON shapes served by the local hub: model objects, tree entries, card data.
#pragma once

#include "hub/server_storage.h"

#include <nlohmann/json.hpp>

#include <string>

namespace lathe::hub {

/// README.md YAML front matter (flat "key: value" and "key:\n- item" lists) as JSON.
nlohmann::json parse_front_matter(const std::string& text);

/// The /api/models item / info object of a repo at a commit.
nlohmann::json model_json(Storage& st, const RepoMeta& meta, const StoredCommit& head, bool full,
                          bool blobs);

nlohmann::json file_entry_json(const std::string& path, const StoredFile& f);
nlohmann::json dir_entry_json(const std::string& path, const StoredCommit& c);
/// The newest commit (from `c` backwards) that last changed `path`.
nlohmann::json last_commit_json(Storage& st, const std::string& repo, const StoredCommit& c,
                                const std::string& path);

}  // namespace lathe::hub
