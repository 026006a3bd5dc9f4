#include "hub/hub_util.h"

#include "core/error.h"
#include "core/file_util.h"
#include "core/sha256.h"

#ifdef LATHE_HUB_OPENSSL
#include <openssl/evp.h>
#endif

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <vector>

namespace lathe::hub {
namespace {

inline std::uint32_t rol(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

void sha1_block(std::uint32_t h[5], const unsigned char* p) {
  std::uint32_t w[80];
  for (int i = 0; i < 16; ++i)
    w[i] = (std::uint32_t(p[4 * i]) << 24) | (std::uint32_t(p[4 * i + 1]) << 16) |
           (std::uint32_t(p[4 * i + 2]) << 8) | std::uint32_t(p[4 * i + 3]);
  for (int i = 16; i < 80; ++i) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
  for (int i = 0; i < 80; ++i) {
    std::uint32_t f, k;
    if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999; }
    else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1; }
    else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
    else { f = b ^ c ^ d; k = 0xCA62C1D6; }
    std::uint32_t t = rol(a, 5) + f + e + k + w[i];
    e = d; d = c; c = rol(b, 30); b = a; a = t;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
}

bool name_ok(std::string_view s) {
  if (s.empty() || s.size() > 96 || s[0] == '.' || s[0] == '-') return false;
  if (s.find("..") != std::string_view::npos) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
  return true;
}

}  // namespace

std::string sha1_hex(std::string_view data) {
  std::uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  std::size_t n = data.size(), i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  for (; i + 64 <= n; i += 64) sha1_block(h, p + i);
  unsigned char tail[128] = {0};
  std::size_t rem = n - i;
  std::memcpy(tail, p + i, rem);
  tail[rem] = 0x80;
  std::size_t tl = rem + 1 + 8 <= 64 ? 64 : 128;
  std::uint64_t bits = std::uint64_t(n) * 8;
  for (int k = 0; k < 8; ++k) tail[tl - 1 - k] = static_cast<unsigned char>(bits >> (8 * k));
  for (std::size_t off = 0; off < tl; off += 64) sha1_block(h, tail + off);
  static const char* hx = "0123456789abcdef";
  std::string out;
  for (auto v : h)
    for (int s = 28; s >= 0; s -= 4) out += hx[(v >> s) & 15];
  return out;
}

std::string git_blob_oid(std::string_view content) {
  std::string s = "blob " + std::to_string(content.size());
  s.push_back('\0');
  s.append(content.data(), content.size());
  return sha1_hex(s);
}

std::string lfs_pointer(const std::string& sha256, std::uint64_t size) {
  return "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256 + "\nsize " +
         std::to_string(size) + "\n";
}

static const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view d) {
  std::string out;
  out.reserve((d.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < d.size(); i += 3) {
    std::uint32_t v = (std::uint8_t(d[i]) << 16) | (std::uint8_t(d[i + 1]) << 8) | std::uint8_t(d[i + 2]);
    out += kB64[v >> 18]; out += kB64[(v >> 12) & 63]; out += kB64[(v >> 6) & 63]; out += kB64[v & 63];
  }
  if (i < d.size()) {
    std::uint32_t v = std::uint8_t(d[i]) << 16;
    if (i + 1 < d.size()) v |= std::uint8_t(d[i + 1]) << 8;
    out += kB64[v >> 18]; out += kB64[(v >> 12) & 63];
    out += i + 1 < d.size() ? kB64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string base64_decode(std::string_view t) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : t) {
    if (c == '=' || c == '\n' || c == '\r') continue;
    const char* pos = std::strchr(kB64, c);
    int v = -1;
    if (c && pos) v = int(pos - kB64);
    else if (c == '-') v = 62;
    else if (c == '_') v = 63;
    if (v < 0) throw Error(ErrorCode::InvalidArgument, "invalid base64");
    acc = (acc << 6) | std::uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::string url_encode(std::string_view s, bool keep_slash) {
  static const char* hx = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out += char(c);
    } else {
      out += '%'; out += hx[c >> 4]; out += hx[c & 15];
    }
  }
  return out;
}

std::string url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string iso_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return buf;
}

bool valid_repo_id(std::string_view id) {
  auto slash = id.find('/');
  if (slash == std::string_view::npos) return false;
  return name_ok(id.substr(0, slash)) && name_ok(id.substr(slash + 1));
}

bool valid_model_id(std::string_view id) { return valid_repo_id(id) || name_ok(id); }

bool valid_repo_path(std::string_view path) {
  if (path.empty() || path.size() > 1024 || path.front() == '/') return false;
  for (unsigned char c : path)
    if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') return false;
  for (const auto& part : split(path, '/'))
    if (part.empty() || part == "." || part == ".." || part == ".git") return false;
  return true;
}

bool valid_revision_name(std::string_view rev) {
  if (rev.size() > 8 && rev.substr(0, 8) == "refs/pr/") {
    for (char c : rev.substr(8))
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
  }
  return name_ok(rev);
}

bool is_commit_id(std::string_view s) {
  if (s.size() != 40) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto p = s.find(sep, start);
    out.emplace_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

std::string to_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace lathe::hub


namespace lathe::hub {

#ifdef LATHE_HUB_OPENSSL
FastSha256::FastSha256() : impl_(EVP_MD_CTX_new()) {
  if (!impl_ || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(impl_), EVP_sha256(), nullptr) != 1)
    throw Error(ErrorCode::Internal, "OpenSSL SHA-256 init failed");
}
FastSha256::~FastSha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(impl_)); }
void FastSha256::update(const void* data, std::size_t n) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(impl_), data, n);
}
std::string FastSha256::hex_digest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(impl_), md, &len);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}
#else
FastSha256::FastSha256() : impl_(new Sha256()) {}
FastSha256::~FastSha256() { delete static_cast<Sha256*>(impl_); }
void FastSha256::update(const void* data, std::size_t n) { static_cast<Sha256*>(impl_)->update(data, n); }
std::string FastSha256::hex_digest() { return static_cast<Sha256*>(impl_)->hex_digest(); }
#endif

std::string fast_sha256_file(const std::string& path) {
  ReadFile rf(path);
  FastSha256 h;
  std::vector<char> buf(1 << 20);
  for (std::uint64_t off = 0; off < rf.size();) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), rf.size() - off));
    rf.read_exact(off, buf.data(), n);
    h.update(buf.data(), n);
    off += n;
  }
  return h.hex_digest();
}

}  // namespace lathe::hub
