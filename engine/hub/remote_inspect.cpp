// inspect_remote and HubClient::read_range.
#include "hub/remote_inspect.h"

#include "config/model_config.h"
#include "core/error.h"
#include "hub/hub_client.h"
#include "hub/hub_util.h"
#include "hub/model_source.h"
#include "io/safetensors.h"

namespace lathe::hub {

std::string HubClient::read_range(const std::string& repo, const std::string& revision, const std::string& path,
                                  std::uint64_t offset, std::uint64_t length, std::uint64_t file_size) {
  if (length == 0) return {};
  const std::string last = std::to_string(offset + length - 1);
  HttpRequest req;
  req.kind = HttpKind::Download;
  req.url = cfg_.endpoint + "/" + repo + "/resolve/" + url_encode(revision, false) + "/" + url_encode(path, true);
  req.headers = {"Range: bytes=" + std::to_string(offset) + "-" + last, "Accept-Encoding: identity"};
  std::string out;
  long bad_status = 0;
  bool too_long = false;
  req.on_data = [&](long status, const char* p, std::size_t n) {
    if (status != 206) {
      bad_status = status;
      return false;  // never stream a whole file we did not ask for
    }
    if (out.size() + n > length) {
      too_long = true;
      return false;
    }
    out.append(p, n);
    return true;
  };
  const std::string what = repo + "/" + path + " bytes " + std::to_string(offset) + "-" + last;
  for (int attempt = 0;; ++attempt) {
    out.clear();
    HttpResponse r;
    try {
      r = http_.send(req);
    } catch (const Error& e) {
      if (bad_status)
        throw Error(ErrorCode::Network, "the server answered " + std::to_string(bad_status) +
                                            " instead of 206 to a Range request for " + what, req.url);
      if (too_long) throw Error(ErrorCode::Network, "the server sent more bytes than asked for " + what, req.url);
      if (e.code() == ErrorCode::Network && attempt < 2) continue;
      throw;
    }
    check_hub_status(r, "read " + what);
    if (r.status != 206)
      throw Error(ErrorCode::Network, "the server answered " + std::to_string(r.status) +
                                          " instead of 206 to a Range request for " + what, req.url);
    std::string cr = r.header("content-range");
    std::string want_cr = "bytes " + std::to_string(offset) + "-" + last + "/" + std::to_string(file_size);
    if (!cr.empty() && cr != want_cr)
      throw Error(ErrorCode::Network, "Content-Range '" + cr + "' does not match '" + want_cr + "'", req.url);
    if (out.size() != length) {
      if (attempt < 2) continue;
      throw Error(ErrorCode::Network, "short read: " + std::to_string(out.size()) + " of " + std::to_string(length) +
                                          " bytes for " + what, req.url);
    }
    return out;
  }
}

CheckpointInfo inspect_remote(HubClient& client, const std::string& repo, const std::string& revision,
                              const ResolveOptions& opts, ProgressSink* progress) {
  std::string base = opts.subfolder.empty() ? std::string() : opts.subfolder + "/";
  if (!base.empty() && !valid_repo_path(opts.subfolder))
    throw Error(ErrorCode::InvalidArgument, "subfolder must be a relative path inside the model", opts.subfolder);
  auto want = [&](const std::string& p) {
    if (p.size() <= base.size() || p.compare(0, base.size(), base) != 0) return false;
    std::string name = p.substr(base.size());
    if (name.find('/') != std::string::npos) return false;
    return name == "config.json" || name == "generation_config.json" ||
           (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0 && name.find(".index.") != std::string::npos);
  };
  RemoteSnapshot s = fetch_remote(client, repo, revision, want, progress);
  ResolveOptions o = opts;
  o.subfolder.clear();
  CheckpointInfo info;
  info.files = resolve_checkpoint_listed(s.snapshot + (base.empty() ? "" : "/" + opts.subfolder), o,
                                         [&](const std::string& f) { return s.has(base + f); });
  if (info.files.format != WeightFormat::Safetensors)
    throw Error(ErrorCode::Unsupported,
                "remote inspection reads safetensors headers; " + repo + " has PyTorch .bin weights only "
                "(download it with `lathe-cli hub download` and inspect the snapshot)", repo);
  const std::string stage = "reading headers of " + repo;
  std::uint64_t done = 0;
  for (const auto& f : info.files.weight_files) {
    check_progress(progress, stage, done++, info.files.weight_files.size());
    const TreeEntry* e = s.find(base + f);
    const std::string ctx = repo + "/" + base + f;
    if (e->size < 8) throw Error(ErrorCode::CorruptFile, "file too small for a safetensors header", ctx);
    std::string len8 = client.read_range(repo, s.commit, base + f, 0, 8, e->size);
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(len8[static_cast<std::size_t>(i)]);
    if (n > kSafetensorsMaxHeader)
      throw Error(ErrorCode::CorruptFile, "header length " + std::to_string(n) + " exceeds the 100 MB limit", ctx);
    if (n > e->size - 8)
      throw Error(ErrorCode::CorruptFile, "header length " + std::to_string(n) + " runs past the end of the file (" +
                                              std::to_string(e->size) + " bytes)", ctx);
    std::string header = client.read_range(repo, s.commit, base + f, 8, n, e->size);
    SafetensorsHeader h = parse_safetensors_header(reinterpret_cast<const std::uint8_t*>(header.data()), header.size(),
                                                   e->size, ctx, f);
    if (&f == &info.files.weight_files.front()) info.metadata = h.metadata;
    for (auto& t : h.tensors) {
      t.file = f;
      info.total_bytes += t.nbytes;
      info.total_elements += static_cast<std::uint64_t>(t.numel());
      info.tensors.push_back(std::move(t));
    }
  }
  check_progress(progress, stage, done, info.files.weight_files.size());
  if (!info.files.config_file.empty()) {
    ModelConfig cfg = ModelConfig::from_file(info.files.config_file);
    info.model_type = cfg.model_type();
    info.architectures = cfg.architectures();
  }
  return info;
}

}  // namespace lathe::hub
