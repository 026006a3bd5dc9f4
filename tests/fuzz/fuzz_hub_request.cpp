// Fuzz target: the local hub server's request parsing (engine/hub/server_parse.h),
// the functions the server runs on every request: NDJSON commit bodies, the
// JSON bodies (paths-info, preupload, LFS batch, repos, multipart completion),
// the request target, headers (Authorization, Content-Length, the header-block
// scanner of the connection layer) and the tokens file.
//
// Input layout: byte 0 picks the parser, the rest is its input.
// Contract: a validated result satisfying the invariants checked below, or
// lathe::Error; any other exception, crash or sanitizer report is a finding.
#include "fuzz_common.h"

#include "core/error.h"
#include "hub/hub_util.h"
#include "hub/server_parse.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace lathe::hub;

namespace {

bool hex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

/// Nesting depth of a parsed value, without recursion.
std::size_t depth_of(const nlohmann::json& j) {
  std::size_t max = 0;
  std::vector<std::pair<const nlohmann::json*, std::size_t>> stack{{&j, 0}};
  while (!stack.empty()) {
    auto [v, d] = stack.back();
    stack.pop_back();
    if (!v->is_structured()) continue;
    max = std::max(max, d + 1);
    for (const auto& child : *v) stack.push_back({&child, d + 1});
  }
  return max;
}

void check_path(const std::string& p) {
  LATHE_FUZZ_CHECK(valid_repo_path(p));
  LATHE_FUZZ_CHECK(wire::valid_utf8(p));
}

void headers(std::string_view text) {
  // The request line and header lines as the server sees them.
  auto eol = text.find('\n');
  std::string_view first = text.substr(0, eol);
  auto sp = first.find(' ');
  if (sp != std::string_view::npos) {
    std::string_view target = first.substr(sp + 1, first.find(' ', sp + 1) - sp - 1);
    try {
      for (const auto& seg : wire::split_target(target)) {
        LATHE_FUZZ_CHECK(seg.find('/') == std::string::npos);
        LATHE_FUZZ_CHECK(wire::valid_utf8(url_decode(seg, false)));
      }
    } catch (const lathe::Error&) {
    }
  }
  wire::HeaderScanner scan;
  std::size_t consumed = 0;
  bool done = false;
  for (char c : text) {
    ++consumed;
    if (scan.feed(c)) {
      done = true;
      break;
    }
  }
  LATHE_FUZZ_CHECK(scan.size() == consumed);
  LATHE_FUZZ_CHECK(done == scan.done());
  if (done) {  // it ends exactly at an empty CRLF line after the first line
    std::string_view block = text.substr(0, consumed);
    LATHE_FUZZ_CHECK(block.size() >= 3 && block.substr(block.size() - 2) == "\r\n");
    LATHE_FUZZ_CHECK(block[block.size() - 3] == '\n');
    LATHE_FUZZ_CHECK(block.find('\n') <= block.size() - 3);
  }
  for (std::size_t pos = eol; pos != std::string_view::npos && pos < text.size();) {
    std::size_t next = text.find('\n', pos + 1);
    std::string_view line = text.substr(pos + 1, next == std::string_view::npos ? std::string_view::npos : next - pos - 1);
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view name = line.substr(0, colon), value = line.substr(colon + 1);
      if (name == "Authorization") {
        std::string t = wire::bearer_token(value);
        LATHE_FUZZ_CHECK(t.size() <= value.size());
      } else if (name == "Content-Length") {
        try {
          std::uint64_t n = wire::parse_content_length(value);
          LATHE_FUZZ_CHECK(std::to_string(n).size() <= value.size());
        } catch (const lathe::Error&) {
        }
      }
    }
    pos = next;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    switch (data[0] % 9) {
      case 0: {
        wire::CommitRequest c = wire::parse_commit(in);
        LATHE_FUZZ_CHECK(c.ops.size() <= wire::kMaxListEntries);
        for (const auto& op : c.ops) {
          check_path(op.path);
          if (op.kind == wire::CommitOp::Kind::LfsFile) LATHE_FUZZ_CHECK(hex64(op.oid));
          else LATHE_FUZZ_CHECK(op.oid.empty());
        }
        break;
      }
      case 1: {
        nlohmann::json j = wire::parse_json(in);
        LATHE_FUZZ_CHECK(depth_of(j) <= wire::kMaxJsonDepth);
        std::string again = j.dump();  // every string in it is valid UTF-8: dump never throws
        LATHE_FUZZ_CHECK(wire::valid_utf8(again));
        LATHE_FUZZ_CHECK(nlohmann::json::parse(again) == j);
        break;
      }
      case 2:
      case 3: {
        wire::PathsInfoRequest p = wire::parse_paths_info(in, data[0] % 9 == 2);
        for (const auto& path : p.paths) LATHE_FUZZ_CHECK(wire::valid_utf8(path));
        break;
      }
      case 4:
        for (const auto& f : wire::parse_preupload(in)) check_path(f.path);
        break;
      case 5:
        for (const auto& o : wire::parse_lfs_batch(in).objects) {
          LATHE_FUZZ_CHECK(!o.valid || hex64(o.oid));
          LATHE_FUZZ_CHECK(wire::valid_utf8(o.oid));
        }
        break;
      case 6: {
        try {
          wire::RepoRequest r = wire::parse_repo_request(in);
          LATHE_FUZZ_CHECK(wire::valid_utf8(r.name) && wire::valid_utf8(r.organization));
        } catch (const lathe::Error&) {
        }
        wire::LfsCompleteRequest c = wire::parse_lfs_complete(in);
        for (const auto& p : c.parts) LATHE_FUZZ_CHECK(p.number >= 1 && p.number <= 100000);
        break;
      }
      case 7:
        headers(in);
        break;
      case 8:
        for (const auto& [token, user] : wire::parse_token_file(in)) {
          LATHE_FUZZ_CHECK(!token.empty() && !user.empty());
          LATHE_FUZZ_CHECK(token.find_first_of(" \t\r\n") == std::string::npos);
        }
        break;
    }
  } catch (const lathe::Error&) {
    // A clean refusal: the server answers 400.
  }
  return 0;
}
