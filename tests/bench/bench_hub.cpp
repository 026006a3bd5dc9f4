// lathe-cli bench hub: download and upload of one large LFS file (1 GB by
// default) through Lathe's Hub client and the local hub server on loopback,
// against curl talking to the same server: `curl -s -o FILE URL` for the
// download, a PUT of the same bytes to a basic LFS upload URL for the upload.
// A benchmark, never pass/fail (goal: ≥ 0.9× curl).
#include "bench.h"
#include "bench_util.h"

#include "core/error.h"
#include "core/file_util.h"
#include "core/sha256.h"
#include "hub/hub_client.h"
#include "hub/server.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

namespace fs = std::filesystem;

namespace lathe::bench {

namespace {

void write_random_file(const std::string& path, std::uint64_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::mt19937_64 rng(1234);
  std::vector<std::uint64_t> buf(1 << 19);  // 4 MiB
  for (std::uint64_t done = 0; done < size;) {
    for (auto& w : buf) w = rng();
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(size - done, buf.size() * 8));
    out.write(reinterpret_cast<const char*>(buf.data()), static_cast<std::streamsize>(n));
    done += n;
  }
  if (!out) throw Error(ErrorCode::Io, "cannot write the benchmark file", path);
}

void run_shell(const std::string& cmd) {
  if (std::system(cmd.c_str()) != 0) throw Error(ErrorCode::Io, "command failed", cmd);
}

hub::HubConfig client_config(const std::string& url, const std::string& home) {
  hub::HubConfig c;
  c.endpoint = url;
  c.token = "hf_bench";
  c.hf_home = home;
  c.cache_dir = home + "/hub";
  c.user_agent = hub::lathe_user_agent();
  return c;
}

double best(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

}  // namespace

int bench_hub(const std::vector<std::string>& argv) {
  std::uint64_t size = 0;
  std::string dir;
  int runs = 2;
  bool as_json = false;
  try {
    Args args(argv, {"--size-mb", "--dir", "--runs"}, {});
    if (args.help()) throw UsageFailure("help");
    size = static_cast<std::uint64_t>(args.positive_int("--size-mb", 1024, 1 << 20)) * 1024 * 1024;
    runs = args.positive_int("--runs", 2, 20);
    dir = args.value("--dir").value_or(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp");
    as_json = args.json();
  } catch (const UsageFailure&) {
    std::fprintf(stderr, "usage: lathe-cli bench hub [--size-mb N] [--runs R] [--dir D] [--json]\n");
    return 2;
  }
  if (std::system("curl --version > /dev/null 2>&1") != 0)
    throw Error(ErrorCode::NotFound, "bench hub needs curl on PATH", "curl");
  const std::string root = dir + "/lathe-bench-hub";
  fs::remove_all(root);
  fs::create_directories(root + "/model");
  const std::string src = root + "/model/model.bin";
  std::fprintf(stderr, "bench hub: writing a %.0f MB file\n", size / 1e6);
  write_random_file(src, size);
  const std::string oid = sha256_file(src);

  hub::ServerOptions so;
  so.dir = root + "/server";
  so.tokens = {{"hf_bench", "bench"}};
  hub::HubServer server(so);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.bind());
  std::thread serving([&] { server.listen(); });
  struct Stop {
    hub::HubServer& s;
    std::thread& t;
    ~Stop() {
      s.stop();
      t.join();
    }
  } stop{server, serving};
  const std::string blob = so.dir + "/blobs/" + oid;

  std::vector<double> up_lathe, up_curl, down_lathe, down_curl;
  // CPU seconds of this process (server + client) and its children (curl) per
  // download: less sensitive to other processes than wall time on a busy machine.
  std::vector<double> cpu_lathe, cpu_curl;
  CpuSample c0 = cpu_sample();
  for (int run = 0; run < runs; ++run) {
    // Upload, curl: a basic LFS upload URL from the batch endpoint, then one PUT.
    hub::HubClient client(client_config(url, root + "/home"));
    fs::remove(blob);
    const std::string repo = "bench/up" + std::to_string(run);
    client.create_repo(repo, false, true);
    nlohmann::json req = {{"operation", "upload"}, {"transfers", {"basic"}}, {"hash_algo", "sha256"},
                          {"objects", {{{"oid", oid}, {"size", size}}}}};
    nlohmann::json ans = client.api("POST", "/" + repo + ".git/info/lfs/objects/batch", req.dump(),
                                    {"Content-Type: application/vnd.git-lfs+json"});
    std::string href = ans["objects"][0]["actions"]["upload"]["href"];
    double t0 = now_s();
    run_shell("curl -s -f -o /dev/null -T '" + src + "' -H 'Expect:' '" + href + "'");
    up_curl.push_back(now_s() - t0);
    if (!fs::exists(blob)) throw Error(ErrorCode::Internal, "curl upload did not store the blob", blob);
    // Upload, Lathe: a whole push (hash, preupload, LFS batch, PUT, commit) of the same file.
    fs::remove(blob);
    t0 = now_s();
    client.push(root + "/model", "bench/lathe" + std::to_string(run), hub::PushOptions{});
    up_lathe.push_back(now_s() - t0);
    if (!fs::exists(blob)) throw Error(ErrorCode::Internal, "push did not store the blob", blob);

    // Download, curl then Lathe (into an empty cache), both of the same resolve URL.
    const std::string out = root + "/curl.bin";
    fs::remove(out);
    t0 = now_s();
    CpuSample s0 = cpu_sample();
    run_shell("curl -s -f -o '" + out + "' '" + url + "/bench/lathe" + std::to_string(run) + "/resolve/main/model.bin'");
    down_curl.push_back(now_s() - t0);
    cpu_curl.push_back(cpu_sample().own_s - s0.own_s);
    if (fs::file_size(out) != size) throw Error(ErrorCode::Internal, "curl download has the wrong size", out);
    fs::remove(out);
    const std::string home = root + "/dl" + std::to_string(run);
    t0 = now_s();
    s0 = cpu_sample();
    hub::DownloadResult r = hub::HubClient(client_config(url, home)).download("bench/lathe" + std::to_string(run), "main");
    down_lathe.push_back(now_s() - t0);
    cpu_lathe.push_back(cpu_sample().own_s - s0.own_s);
    if (fs::file_size(r.snapshot + "/model.bin") != size)
      throw Error(ErrorCode::Internal, "download has the wrong size", r.snapshot);
    fs::remove_all(home);
  }
  double others = others_cpu_share(c0, cpu_sample());
  const double mb = size / 1e6;
  const double dl = mb / best(down_lathe), dc = mb / best(down_curl);
  const double ul = mb / best(up_lathe), uc = mb / best(up_curl);
  if (as_json) {
    nlohmann::json j = {{"bytes", size}, {"runs", runs},
                        {"download", {{"lathe_mb_s", dl}, {"curl_mb_s", dc}, {"ratio", dl / dc},
                                      {"lathe_cpu_s_per_gb", best(cpu_lathe) * 1e3 / mb},
                                      {"curl_cpu_s_per_gb", best(cpu_curl) * 1e3 / mb}}},
                        {"upload", {{"lathe_mb_s", ul}, {"curl_mb_s", uc}, {"ratio", ul / uc}}},
                        {"others_cpu_share", others}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("bench hub: %.0f MB over loopback, best of %d (goal: >= 0.9x curl)\n", mb, runs);
    std::printf("  download  lathe %8.1f MB/s   curl %8.1f MB/s   ratio %.2f  %s\n", dl, dc, dl / dc,
                verdict(dl / dc >= 0.9));
    std::printf("            CPU s/GB (server + client): lathe %.2f (incl. sha256)   curl %.2f\n",
                best(cpu_lathe) * 1e3 / mb, best(cpu_curl) * 1e3 / mb);
    std::printf("  upload    lathe %8.1f MB/s   curl %8.1f MB/s   ratio %.2f  %s  (lathe: whole push incl. sha256)\n",
                ul, uc, ul / uc, verdict(ul / uc >= 0.9));
    warn_if_busy(others);
  }
  fs::remove_all(root);
  return 0;
}

}  // namespace lathe::bench
