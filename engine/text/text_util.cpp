#include "text/text_util.h"

#include "core/error.h"

#include <algorithm>

namespace lathe::text {

char32_t utf8_decode(std::string_view s, std::size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = utf8_len(b);
  if (n == 1 || i + n > s.size()) return b;
  char32_t cp = b & (0xFF >> (n + 1));
  for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return cp;
}

void utf8_append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

namespace {
// Length of the well-formed sequence at s[i], or 0 with `bad` = the length of
// the maximal ill-formed subpart (Unicode 3.9, "U+FFFD substitution of
// maximal subparts", what Rust's from_utf8_lossy does).
std::size_t utf8_step(std::string_view s, std::size_t i, std::size_t& bad) {
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = at(i);
  if (b < 0x80) return 1;
  std::size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) n = 2;
  else if (b >= 0xE0 && b <= 0xEF) { n = 3; if (b == 0xE0) lo = 0xA0; if (b == 0xED) hi = 0x9F; }
  else if (b >= 0xF0 && b <= 0xF4) { n = 4; if (b == 0xF0) lo = 0x90; if (b == 0xF4) hi = 0x8F; }
  else { bad = 1; return 0; }
  for (std::size_t k = 1; k < n; ++k) {
    if (i + k >= s.size()) { bad = k; return 0; }
    unsigned char c = at(i + k);
    unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (c < l || c > h) { bad = k; return 0; }
  }
  return n;
}
}  // namespace

bool utf8_valid(std::string_view s) {
  for (std::size_t i = 0, bad = 0; i < s.size();) {
    std::size_t n = utf8_step(s, i, bad);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string utf8_lossy(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0, bad = 0; i < s.size();) {
    std::size_t n = utf8_step(s, i, bad);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      i += bad;
    } else {
      out.append(s.data() + i, n);
      i += n;
    }
  }
  return out;
}

bool is_unicode_whitespace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

namespace {
struct ByteLevelTables {
  std::vector<std::string> to_str = std::vector<std::string>(256);
  std::vector<int> from_cp = std::vector<int>(512, -1);
  ByteLevelTables() {
    int n = 0;
    for (int b = 0; b < 256; ++b) {
      bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      char32_t cp = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + n++);
      utf8_append(to_str[b], cp);
      from_cp[cp] = b;
    }
  }
};
const ByteLevelTables& tables() {
  static const ByteLevelTables t;
  return t;
}
}  // namespace

const std::vector<std::string>& byte_level_alphabet() { return tables().to_str; }
int byte_level_byte(char32_t c) { return c < 512 ? tables().from_cp[c] : -1; }

void config_error(const std::string& where, const std::string& message) {
  throw Error(ErrorCode::ConfigInvalid, message, where);
}

bool has_field(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && !it->is_null();
}

const Json& field(const Json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end()) config_error(where + "." + key, "missing field");
  return *it;
}

std::string get_string(const Json& obj, const char* key, const std::string& where) {
  const Json& v = field(obj, key, where);
  if (!v.is_string()) config_error(where + "." + key, "expected a string");
  return v.get<std::string>();
}

std::string get_string_or(const Json& obj, const char* key, const std::string& where, std::string dflt) {
  if (!has_field(obj, key)) return dflt;
  return get_string(obj, key, where);
}

bool get_bool_or(const Json& obj, const char* key, const std::string& where, bool dflt) {
  if (!has_field(obj, key)) return dflt;
  const Json& v = obj.at(key);
  if (!v.is_boolean()) config_error(where + "." + key, "expected true or false");
  return v.get<bool>();
}

std::uint32_t get_u32(const Json& obj, const char* key, const std::string& where) {
  const Json& v = field(obj, key, where);
  if (!v.is_number_unsigned() || v.get<std::uint64_t>() > 0xFFFFFFFFull)
    config_error(where + "." + key, "expected an integer id in [0, 2^32)");
  return static_cast<std::uint32_t>(v.get<std::uint64_t>());
}

void check_vocab_size(std::size_t n, const std::string& where) {
  if (n > kMaxVocabEntries)
    config_error(where, std::to_string(n) + " entries; Lathe accepts at most " + std::to_string(kMaxVocabEntries) +
                            " (the largest Hub vocabularies have about 260,000)");
}

Vocab Vocab::from_json(const Json& j, const std::string& where) {
  const Json& vocab = field(j, "vocab", where);
  if (!vocab.is_object()) config_error(where + ".vocab", "expected an object of token: id");
  check_vocab_size(vocab.size(), where + ".vocab");
  Vocab v;
  v.ids.reserve(vocab.size());
  v.tokens.reserve(vocab.size());
  for (auto it = vocab.begin(); it != vocab.end(); ++it) {
    if (!it.value().is_number_unsigned() || it.value().get<std::uint64_t>() > 0xFFFFFFFFull)
      config_error(where + ".vocab", "the id of \"" + it.key() + "\" is not an integer in [0, 2^32)");
    auto id = static_cast<std::uint32_t>(it.value().get<std::uint64_t>());
    v.ids[it.key()] = id;
    v.tokens[id] = it.key();
  }
  return v;
}

void StringIndex::build(const std::unordered_map<std::string, std::uint32_t>& ids) {
  std::size_t cap = 16;
  while (cap < ids.size() * 2) cap <<= 1;  // load factor <= 1/2
  slots_.assign(cap, Slot{});
  mask_ = cap - 1;
  for (const auto& [key, id] : ids) {
    std::size_t h = std::hash<std::string_view>()(key);
    std::size_t i = h & mask_;
    while (slots_[i].key) i = (i + 1) & mask_;
    slots_[i] = Slot{h, &key, id};
  }
}

void TokenTable::build(const std::unordered_map<std::uint32_t, std::string>& tokens) {
  std::uint32_t max_id = 0;
  for (const auto& [id, tok] : tokens) max_id = std::max(max_id, id);
  dense_.clear();
  map_ = &tokens;
  // Dense when the ids are (mostly) 0..n-1; sparse ids stay in the map.
  if (tokens.empty() || max_id > 2 * tokens.size() + 1024) return;
  dense_.assign(std::size_t{max_id} + 1, nullptr);
  for (const auto& [id, tok] : tokens) dense_[id] = &tok;
}

}  // namespace lathe::text
