// lathe-cli save / prune / resize: from_pretrained, an edit, save_pretrained.
#include "cli_args.h"
#include "cli_text.h"
#include "commands.h"
#include "output.h"

#include "core/error.h"
#include "core/file_util.h"
#include "core/size_string.h"
#include "hub/model_source.h"
#include "session/session.h"
#include "text/auto_tokenizer.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <cstdio>

namespace lathe::cli {
namespace {

// Flags every saving command takes: where and how to save, how to load.
const std::vector<std::string> kSaveFlags = {"--out", "--max-shard-size", "--variant", "--dtype", "--load-variant", "--class"};
const std::vector<std::string> kSaveSwitches = {"--bin", "--ignore-mismatched-sizes", "--dry-run"};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

LoadOptions surgery_load_options(const Args& args) {
  LoadOptions o;
  o.variant = args.value("--load-variant").value_or("");
  o.model_class = args.value("--class").value_or("");
  o.ignore_mismatched_sizes = args.has("--ignore-mismatched-sizes");
  return o;
}

/// MODEL: a local path, or a Hub repo id fetched (weights) into the HF cache.
std::string model_path(const Args& args) {
  StderrProgress progress;
  return hub::resolve_model(args.positional()[0], hub::ModelNeed::Weights, &progress,
                            {surgery_load_options(args).variant, {}, {}});
}

/// A private folder under $TMPDIR, removed with this object.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& stem) {
    std::string tmpl = (std::filesystem::temp_directory_path() / (stem + "-XXXXXX")).string();
    if (!::mkdtemp(tmpl.data())) throw Error(ErrorCode::Io, "cannot create a scratch folder", tmpl);
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// A model's tokenizer with tokens added, saved into a scratch folder (removed
/// with this object) whose files the model's save then carries.
struct TokenizerEdit {
  std::size_t size = 0;   ///< len(tokenizer) afterwards
  std::size_t added = 0;  ///< tokens add_tokens reported new
  bool written = false;
  std::unique_ptr<ScratchDir> scratch;
  std::map<std::string, std::string> files;  ///< name → path in the scratch folder
  std::vector<std::string> dropped;          ///< carried files the new tokenizer.json replaces
};

TokenizerEdit edit_tokenizer(const std::string& model, const std::vector<std::string>& tokens,
                             const std::vector<std::string>& special) {
  Tokenizer tok = tokenizer_beside(model);
  TokenizerEdit e;
  if (!tokens.empty()) e.added += tok.add_tokens(tokens, false);
  if (!special.empty()) e.added += tok.add_tokens(special, true);
  e.size = tok.size();
  if (tokens.empty() && special.empty()) return e;  // --to-tokenizer alone: the files stay as they are
  e.scratch = std::make_unique<ScratchDir>("lathe-tokenizer");
  tok.save(e.scratch->path());
  for (const auto& entry : std::filesystem::directory_iterator(e.scratch->path()))
    e.files[entry.path().filename().string()] = entry.path().string();
  e.dropped = {"added_tokens.json"};  // its tokens are in tokenizer.json and tokenizer_config.json now
  e.written = true;
  return e;
}

SaveOptions save_options(const Args& args) {
  SaveOptions o;
  if (auto s = args.value("--max-shard-size")) o.max_shard_size = parse_size(*s);
  o.bin = args.has("--bin");
  o.variant = args.value("--variant").value_or("");
  o.dtype = args.value("--dtype").value_or("");
  return o;
}

int finish(Session& session, const Args& args, const LoadReport& load, nlohmann::ordered_json extra) {
  auto out = args.value("--out");
  if (!out) throw UsageError("--out DIR is required");
  StderrProgress progress;
  SaveOptions so = save_options(args);
  if (args.has("--dry-run")) {
    SaveReport r = session.preview_save(*out, so);
    if (args.json()) {
      nlohmann::ordered_json j{{"dry_run", true}, {"files", r.files}, {"deleted", r.deleted}, {"dropped_tied", r.dropped_tied},
                               {"total_size", r.total_size}};
      print_json(j);
    } else {
      for (const auto& f : r.files) std::printf("would write  %s\n", f.c_str());
      for (const auto& f : r.deleted) std::printf("would delete %s\n", f.c_str());
    }
    return 0;
  }
  SaveReport r = session.save(*out, so, &progress);
  ModelSummary s = session.summary();
  if (args.json()) {
    nlohmann::ordered_json j;
    j["out"] = *out;
    j["model_class"] = s.class_name;
    j["loading_info"] = loading_info_json(load);
    for (auto it = extra.begin(); it != extra.end(); ++it) j[it.key()] = it.value();
    j["files"] = r.files;
    j["deleted"] = r.deleted;
    j["num_parameters"] = s.num_parameters;
    j["total_size"] = r.total_size;
    print_json(j);
  } else {
    std::printf("saved %s (%lld parameters) to %s: %zu file(s), %s\n", s.class_name.c_str(),
                static_cast<long long>(s.num_parameters), out->c_str(), r.files.size(), format_bytes(r.total_size).c_str());
    for (const auto& f : r.deleted) std::printf("removed stale %s\n", f.c_str());
  }
  return 0;
}

}  // namespace

int cmd_save(const Argv& argv) {
  Args args(argv, kSaveFlags, kSaveSwitches);
  args.expect_positional(1, 1, "lathe-cli save MODEL --out DIR [--max-shard-size S] [--bin] [--variant V] [--dtype D] [--dry-run]");
  Session session;
  LoadReport load = session.load(model_path(args), surgery_load_options(args));
  return finish(session, args, load, nlohmann::ordered_json::object());
}

int cmd_prune(const Argv& argv) {
  Args args(argv, with(kSaveFlags, {"--heads"}), kSaveSwitches);
  args.expect_positional(1, 1, "lathe-cli prune MODEL --heads '{\"0\":[0,2],\"1\":[1]}' --out DIR");
  auto spec = args.value("--heads");
  if (!spec) throw UsageError("prune needs --heads '{\"layer\": [heads]}'");
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(*spec);
  } catch (const nlohmann::json::exception&) {
    throw UsageError("--heads must be JSON like {\"0\": [0, 2], \"1\": [1]}");
  }
  std::map<int, std::vector<int>> heads;
  if (!j.is_object()) throw UsageError("--heads must be a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    int layer = 0;
    try {
      std::size_t used = 0;
      layer = std::stoi(it.key(), &used);
      if (used != it.key().size()) throw std::invalid_argument("");
    } catch (const std::exception&) {
      throw UsageError("--heads keys must be layer numbers");
    }
    if (!it->is_array()) throw UsageError("--heads values must be lists of head numbers");
    for (const auto& h : *it) {
      if (!h.is_number_integer()) throw UsageError("--heads values must be lists of head numbers");
      heads[layer].push_back(h.get<int>());
    }
  }
  Session session;
  LoadReport load = session.load(model_path(args), surgery_load_options(args));
  session.prune_heads(heads);
  return finish(session, args, load, {{"pruned_heads", j}});
}

int cmd_resize(const Argv& argv) {
  Args args(argv, with(kSaveFlags, {"--vocab", "--pad-to-multiple-of", "--seed", "--add-token", "--add-special-token"}),
            with(kSaveSwitches, {"--no-mean-resizing", "--to-tokenizer"}));
  args.expect_positional(1, 1, "lathe-cli resize MODEL (--vocab N | --to-tokenizer) [--add-token T ...] [--add-special-token T ...] "
                               "[--pad-to-multiple-of K] [--no-mean-resizing] [--seed S] --out DIR");
  std::optional<std::int64_t> n, pad;
  auto parse_int = [](const std::string& flag, const std::string& v) {
    char* end = nullptr;
    long long x = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0') {
      if (flag == "--pad-to-multiple-of")
        throw Error(ErrorCode::InvalidArgument, "Asking to pad the embedding matrix to a multiple of `" + v +
                                                    "`, which is not and integer. Please make sure to pass an integer");
      throw UsageError(flag + " needs an integer");
    }
    return static_cast<std::int64_t>(x);
  };
  if (auto v = args.value("--vocab")) n = parse_int("--vocab", *v);
  if (auto v = args.value("--pad-to-multiple-of")) pad = parse_int("--pad-to-multiple-of", *v);
  const bool to_tokenizer = args.has("--to-tokenizer");
  if (n && to_tokenizer) throw UsageError("give --vocab N or --to-tokenizer, not both");
  if (!n && !pad && !to_tokenizer) throw UsageError("resize needs --vocab N, --to-tokenizer and/or --pad-to-multiple-of K");
  std::uint64_t seed = args.value("--seed") ? static_cast<std::uint64_t>(parse_int("--seed", *args.value("--seed"))) : 0;
  const std::string path = model_path(args);
  // The tokenizer first: its tokens are added (and its files written to a
  // scratch folder the save carries) before the weights load.
  std::optional<TokenizerEdit> edit;
  if (to_tokenizer || args.has("--add-token") || args.has("--add-special-token")) {
    edit = edit_tokenizer(path, args.values("--add-token"), args.values("--add-special-token"));
    if (to_tokenizer) n = static_cast<std::int64_t>(edit->size);
  }
  Session session;
  LoadReport load = session.load(path, surgery_load_options(args));
  if (edit && edit->written) {
    for (const auto& name : edit->dropped) session.set_carried_file(name, "");
    for (const auto& [name, file] : edit->files) session.set_carried_file(name, file);
  }
  std::int64_t size = session.resize_token_embeddings(n, pad, !args.has("--no-mean-resizing"), seed);
  nlohmann::ordered_json extra{{"vocab_size", size}};
  if (edit) extra["tokenizer"] = {{"len", edit->size}, {"added", edit->added}};
  return finish(session, args, load, extra);
}

}  // namespace lathe::cli
